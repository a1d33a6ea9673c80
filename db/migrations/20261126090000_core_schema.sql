-- migrate:up

-- Layers. landing holds raw API documents per run, bronze the typed model,
-- gold the analyst-facing materialized views (db/views), meta the run ledger
-- and bookkeeping.
CREATE SCHEMA landing;
CREATE SCHEMA bronze;
CREATE SCHEMA gold;
CREATE SCHEMA meta;

COMMENT ON SCHEMA landing IS 'Raw API documents exactly as extracted, one row per array element, keyed by run.';
COMMENT ON SCHEMA bronze IS 'Typed tables normalised from landing by the upserts in queries/. Keys are the API ids.';
COMMENT ON SCHEMA gold IS 'Analyst-facing metrics, materialized views defined in db/views/.';
COMMENT ON SCHEMA meta IS 'Run ledger and loader bookkeeping.';

-- The run ledger: one row per `loader sync` or `loader replay`.
CREATE TABLE meta.runs (
    run_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    status      text NOT NULL DEFAULT 'running'
                CHECK (status IN ('running', 'succeeded', 'failed', 'cancelled', 'abandoned')),
    source      text NOT NULL,
    started_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    finished_at timestamptz,
    error       text,
    CHECK ((status = 'running') = (finished_at IS NULL)),
    CHECK (status <> 'failed' OR error IS NOT NULL)
);

COMMENT ON TABLE meta.runs IS 'One row per sync or replay: status, timing and the error of a failed run.';
COMMENT ON COLUMN meta.runs.source IS 'Where the run extracted from: the API base URL, the snapshot directory, or the run it replays.';
COMMENT ON COLUMN meta.runs.status IS 'running, succeeded, failed, cancelled (SIGINT/SIGTERM), or abandoned (the process died; found by the next run).';

-- Per-resource counts of a run. fetched and sanitized are written when the
-- resource lands; the rest with the promotion into bronze, so they stay NULL
-- for a run whose promotion did not commit.
CREATE TABLE meta.run_resources (
    run_id     bigint NOT NULL REFERENCES meta.runs ON DELETE CASCADE,
    resource   text NOT NULL,
    fetched    bigint NOT NULL,
    sanitized  bigint NOT NULL DEFAULT 0,
    duplicates bigint,
    rejected   bigint,
    bad_values bigint,
    inserted   bigint,
    updated    bigint,
    unchanged  bigint,
    deleted    bigint,
    revived    bigint,
    PRIMARY KEY (run_id, resource)
);

COMMENT ON TABLE meta.run_resources IS 'Per-resource counts of a run: what was fetched, what was changed on the way, and what happened to bronze.';
COMMENT ON COLUMN meta.run_resources.fetched IS 'Documents landed.';
COMMENT ON COLUMN meta.run_resources.sanitized IS 'Documents in which what jsonb rejects (\u0000, unpaired surrogate escapes, bytes that are not UTF-8) was replaced by U+FFFD before landing.';
COMMENT ON COLUMN meta.run_resources.duplicates IS 'Documents that repeated an id already in the same extract; the last occurrence won.';
COMMENT ON COLUMN meta.run_resources.rejected IS 'Documents without a usable id (missing, null, empty, over 256 bytes, or not a string or number), kept in landing but not promoted; the run soft-deletes nothing of that resource.';
COMMENT ON COLUMN meta.run_resources.bad_values IS 'Promoted rows with at least one value of the wrong type, set to NULL and listed in the row''s issues column.';
COMMENT ON COLUMN meta.run_resources.inserted IS 'Bronze rows inserted.';
COMMENT ON COLUMN meta.run_resources.updated IS 'Bronze rows rewritten because a value changed (revived rows included).';
COMMENT ON COLUMN meta.run_resources.unchanged IS 'Bronze rows whose values were already current; not rewritten.';
COMMENT ON COLUMN meta.run_resources.deleted IS 'Bronze rows soft-deleted (deleted_at set) because the complete extract no longer had them.';
COMMENT ON COLUMN meta.run_resources.revived IS 'Soft-deleted bronze rows that came back (deleted_at cleared).';

-- Schema drift of a run: how the landed documents differ from the contract
-- committed in db/contracts.
CREATE TABLE meta.run_drift (
    run_id    bigint NOT NULL REFERENCES meta.runs ON DELETE CASCADE,
    resource  text NOT NULL,
    key       text NOT NULL,
    change    text NOT NULL CHECK (change IN ('new_key', 'missing_key', 'type_change')),
    expected  text,
    observed  text,
    documents bigint NOT NULL,
    PRIMARY KEY (run_id, resource, key, change)
);

COMMENT ON TABLE meta.run_drift IS 'Per run and resource: top-level keys that are new, missing from some documents, or of a JSON type the contract (db/contracts) does not allow.';
COMMENT ON COLUMN meta.run_drift.expected IS 'JSON types the contract allows for the key.';
COMMENT ON COLUMN meta.run_drift.observed IS 'JSON types seen (new_key, type_change).';
COMMENT ON COLUMN meta.run_drift.documents IS 'Documents showing the change.';

-- Views applied from db/views by `loader migrate`, with the sha256 of the
-- file that created them, so an unchanged file is not re-applied.
CREATE TABLE meta.views (
    name       text PRIMARY KEY,
    sha256     text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

COMMENT ON TABLE meta.views IS 'Gold view files applied by loader migrate, with the hash of the applied SQL.';

-- Landing: every element of every extracted response, as jsonb, with its
-- lineage. One table for all resources keeps adding a resource to a registry
-- entry plus its SQL.
CREATE TABLE landing.documents (
    run_id       bigint NOT NULL REFERENCES meta.runs ON DELETE CASCADE,
    resource     text NOT NULL,
    ordinal      integer NOT NULL,
    extracted_at timestamptz NOT NULL,
    sha256       bytea NOT NULL CHECK (length(sha256) = 32),
    sanitized    integer NOT NULL DEFAULT 0,
    doc          jsonb NOT NULL,
    PRIMARY KEY (run_id, resource, ordinal)
);

COMMENT ON TABLE landing.documents IS 'Raw API documents, one row per element of a response array.';
COMMENT ON COLUMN landing.documents.ordinal IS 'Zero-based position of the document in the response.';
COMMENT ON COLUMN landing.documents.extracted_at IS 'When the response carrying the document was requested.';
COMMENT ON COLUMN landing.documents.sha256 IS 'sha256 of the document''s raw bytes as received.';
COMMENT ON COLUMN landing.documents.sanitized IS 'How many \u0000 escapes, unpaired surrogate escapes and non-UTF-8 bytes were replaced by U+FFFD in doc (sha256 is of the bytes before).';

-- The key of a document: its id, a non-empty string (or a number, as text)
-- of at most 256 bytes; NULL when the document has no usable id.
CREATE FUNCTION landing.doc_id(doc jsonb) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN jsonb_typeof(doc -> 'id') IN ('string', 'number')
             AND octet_length(doc ->> 'id') BETWEEN 1 AND 256
            THEN doc ->> 'id' END;

-- The document that stands for each id in a run: when one extract repeats an
-- id, the last occurrence wins. Documents without a usable id cannot be
-- keyed and are left out (counted as rejected). Filters on run_id and
-- resource are pushed below the DISTINCT ON, so this reads one run's rows.
CREATE VIEW landing.latest_documents AS
SELECT DISTINCT ON (run_id, resource, landing.doc_id(doc))
       run_id, resource, landing.doc_id(doc) AS id, ordinal, doc
FROM landing.documents
WHERE landing.doc_id(doc) IS NOT NULL
ORDER BY run_id, resource, landing.doc_id(doc), ordinal DESC;

COMMENT ON VIEW landing.latest_documents IS 'The last document per id of each run and resource.';

-- A JSON array of strings as text[]; NULL when the value is not an array.
CREATE FUNCTION landing.text_array(value jsonb) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN jsonb_typeof(value) = 'array'
            THEN ARRAY(SELECT jsonb_array_elements_text(value)) END;

-- A JSON array as is, or an empty array for anything else (null, missing,
-- a value of another type), for bridges that expand arrays.
CREATE FUNCTION landing.array_or_empty(value jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN jsonb_typeof(value) = 'array' THEN value ELSE '[]'::jsonb END;

-- Why a JSON value cannot become a column of the wanted type, or NULL when
-- it can. Types: text, numeric, integer, bigint, boolean, timestamptz, date,
-- uuid, array (any elements), text[], integer[], and crew[] (crew ids, or v5 {crew, role}
-- objects). Casts are tried inside an exception block because
-- pg_input_is_valid only exists from PostgreSQL 16.
CREATE FUNCTION landing.type_problem(value jsonb, want text) RETURNS text
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
    got  text := jsonb_typeof(value);
    str  text := value #>> '{}';
    elem jsonb;
BEGIN
    CASE want
    WHEN 'text' THEN
        IF got <> 'string' THEN RETURN 'expected string, got ' || got; END IF;
    WHEN 'numeric' THEN
        IF got <> 'number' THEN RETURN 'expected number, got ' || got; END IF;
    WHEN 'integer', 'bigint' THEN
        IF got <> 'number' THEN RETURN 'expected integer, got ' || got; END IF;
        IF str::numeric <> trunc(str::numeric) THEN RETURN 'expected integer, got a fraction'; END IF;
        IF want = 'integer' AND abs(str::numeric) > 2147483647
           OR abs(str::numeric) > 9223372036854775807 THEN
            RETURN 'integer out of range';
        END IF;
    WHEN 'boolean' THEN
        IF got <> 'boolean' THEN RETURN 'expected boolean, got ' || got; END IF;
    WHEN 'array' THEN
        IF got <> 'array' THEN RETURN 'expected array, got ' || got; END IF;
    WHEN 'timestamptz', 'date', 'uuid' THEN
        IF got <> 'string' THEN RETURN 'expected ' || want || ' string, got ' || got; END IF;
        -- PostgreSQL also accepts words such as 'now' and 'epoch'; the API
        -- never sends those, so demand the ISO 8601 shape first.
        IF want = 'timestamptz' AND str !~ '^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}'
           OR want = 'date' AND str !~ '^\d{4}-\d{2}-\d{2}$' THEN
            RETURN 'unparseable ' || want;
        END IF;
        BEGIN
            CASE want
            WHEN 'timestamptz' THEN PERFORM str::timestamptz;
            WHEN 'date' THEN PERFORM str::date;
            ELSE PERFORM str::uuid;
            END CASE;
        EXCEPTION WHEN data_exception THEN
            RETURN 'unparseable ' || want;
        END;
    WHEN 'text[]', 'integer[]', 'crew[]' THEN
        IF got <> 'array' THEN RETURN 'expected array, got ' || got; END IF;
        FOR elem IN SELECT e FROM jsonb_array_elements(value) AS e LOOP
            IF want = 'text[]' AND jsonb_typeof(elem) <> 'string'
               OR want = 'integer[]' AND landing.type_problem(elem, 'integer') IS NOT NULL
               OR want = 'crew[]' AND jsonb_typeof(elem) <> 'string'
                  AND jsonb_typeof(elem -> 'crew') IS DISTINCT FROM 'string' THEN
                RETURN 'unexpected array element ' || elem::text;
            END IF;
        END LOOP;
    ELSE
        RAISE EXCEPTION 'landing.type_problem: unknown type %', want;
    END CASE;
    RETURN NULL;
END
$$;

-- Checks the fields of doc named in spec ({"field": "type"}; a dotted field
-- is a path into nested objects) and returns {"v": {...}, "issues": [...]}:
-- v holds every field whose value fits its type, unchanged; a value that does
-- not fit is left out of v (so its column becomes NULL) and described in
-- issues as {field, reason, value}. Absent and null fields are simply NULL.
-- A doc that is not an object, or a path whose parent is not an object, is
-- an issue too (field "$" for the whole document, else the parent's path).
CREATE FUNCTION landing.conform(doc jsonb, spec jsonb) RETURNS jsonb
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
    field  text;
    want   text;
    path   text[];
    value  jsonb;
    parent jsonb;
    reason text;
    seen   text[] := '{}';
    v      jsonb := '{}';
    issues jsonb := '[]';
BEGIN
    IF jsonb_typeof(doc) IS DISTINCT FROM 'object' THEN
        RETURN jsonb_build_object('v', v, 'issues', jsonb_build_array(jsonb_build_object(
            'field', '$', 'reason', 'expected object, got ' || coalesce(jsonb_typeof(doc), 'nothing'), 'value', doc)));
    END IF;
    FOR field, want IN SELECT key, s.value FROM jsonb_each_text(spec) AS s LOOP
        path := string_to_array(field, '.');
        value := doc #> path;
        IF value IS NULL THEN
            -- Absent, or a parent on the path is not an object: say which.
            FOR i IN 1 .. array_length(path, 1) - 1 LOOP
                parent := doc #> path[1:i];
                EXIT WHEN parent IS NULL OR jsonb_typeof(parent) = 'null';
                IF jsonb_typeof(parent) <> 'object' THEN
                    IF NOT array_to_string(path[1:i], '.') = ANY (seen) THEN
                        seen := seen || array_to_string(path[1:i], '.');
                        issues := issues || jsonb_build_object('field', array_to_string(path[1:i], '.'),
                            'reason', 'expected object, got ' || jsonb_typeof(parent), 'value', parent);
                    END IF;
                    EXIT;
                END IF;
            END LOOP;
            CONTINUE;
        END IF;
        CONTINUE WHEN jsonb_typeof(value) = 'null';
        reason := landing.type_problem(value, want);
        IF reason IS NULL THEN
            v := v || jsonb_build_object(field, value);
        ELSE
            issues := issues || jsonb_build_object('field', field, 'reason', reason, 'value', value);
        END IF;
    END LOOP;
    RETURN jsonb_build_object('v', v, 'issues', issues);
END
$$;

-- How many live rows a bronze table has, and how many of them the run's
-- extract of the resource lacks. tbl comes from the loader's registry.
-- (NOT IN runs as one hashed subplan; latest_documents.id is never NULL.)
CREATE FUNCTION meta.missing_rows(tbl regclass, p_run_id bigint, p_resource text,
                                  OUT live bigint, OUT missing bigint)
LANGUAGE plpgsql STABLE AS $$
BEGIN
    EXECUTE format(
        'SELECT count(*), count(*) FILTER (WHERE t.id NOT IN (
             SELECT l.id FROM landing.latest_documents l
             WHERE l.run_id = $1 AND l.resource = $2))
         FROM %s t WHERE t.deleted_at IS NULL', tbl)
    INTO live, missing USING p_run_id, p_resource;
END
$$;

-- Soft-deletes the live rows of a bronze table that the run's (complete)
-- extract of the resource lacks, and returns how many.
CREATE FUNCTION meta.soft_delete_missing(tbl regclass, p_run_id bigint, p_resource text)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    n bigint;
BEGIN
    EXECUTE format(
        'UPDATE %s t SET deleted_at = clock_timestamp(), updated_at = clock_timestamp(), run_id = $1
         WHERE t.deleted_at IS NULL AND t.id NOT IN (
             SELECT l.id FROM landing.latest_documents l
             WHERE l.run_id = $1 AND l.resource = $2)', tbl)
    USING p_run_id, p_resource;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END
$$;

-- Bronze. Every table keeps the source document (doc) so a field not modelled
-- yet is never lost, the values that did not fit their column (issues), the
-- run that last changed the row (run_id), and deleted_at, set when a complete
-- extract no longer has the record and cleared when it comes back.
-- References between resources are not declared as foreign keys: the API's
-- references are broken in both directions (see docs/design.md).

CREATE TABLE bronze.rockets (
    id               text PRIMARY KEY,
    name             text,
    type             text,
    active           boolean,
    stages           integer,
    boosters         integer,
    cost_per_launch  numeric,
    success_rate_pct numeric,
    first_flight     date,
    country          text,
    company          text,
    height_m         numeric,
    diameter_m       numeric,
    mass_kg          numeric,
    wikipedia        text,
    description      text,
    doc              jsonb NOT NULL,
    issues           jsonb,
    deleted_at       timestamptz,
    run_id           bigint NOT NULL,
    updated_at       timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE TABLE bronze.launchpads (
    id               text PRIMARY KEY,
    name             text,
    full_name        text,
    locality         text,
    region           text,
    timezone         text,
    latitude         numeric,
    longitude        numeric,
    launch_attempts  integer,
    launch_successes integer,
    status           text,
    details          text,
    doc              jsonb NOT NULL,
    issues           jsonb,
    deleted_at       timestamptz,
    run_id           bigint NOT NULL,
    updated_at       timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE TABLE bronze.payloads (
    id                       text PRIMARY KEY,
    name                     text,
    type                     text,
    reused                   boolean,
    launch_id                text,
    customers                text[],
    norad_ids                integer[],
    nationalities            text[],
    manufacturers            text[],
    mass_kg                  numeric,
    mass_lbs                 numeric,
    orbit                    text,
    reference_system         text,
    regime                   text,
    longitude                numeric,
    semi_major_axis_km       numeric,
    eccentricity             numeric,
    periapsis_km             numeric,
    apoapsis_km              numeric,
    inclination_deg          numeric,
    period_min               numeric,
    lifespan_years           numeric,
    epoch                    timestamptz,
    mean_motion              numeric,
    raan                     numeric,
    arg_of_pericenter        numeric,
    mean_anomaly             numeric,
    dragon_capsule_id        text,
    dragon_mass_returned_kg  numeric,
    dragon_mass_returned_lbs numeric,
    dragon_flight_time_sec   integer,
    dragon_manifest          text,
    dragon_water_landing     boolean,
    dragon_land_landing      boolean,
    doc                      jsonb NOT NULL,
    issues                   jsonb,
    deleted_at               timestamptz,
    run_id                   bigint NOT NULL,
    updated_at               timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE INDEX payloads_launch_id_idx ON bronze.payloads (launch_id);
CREATE INDEX payloads_dragon_capsule_id_idx ON bronze.payloads (dragon_capsule_id);

CREATE TABLE bronze.launches (
    id                        text PRIMARY KEY,
    flight_number             integer,
    name                      text,
    date_utc                  timestamptz,
    date_unix                 bigint,
    date_local                timestamptz,
    date_precision            text,
    upcoming                  boolean,
    success                   boolean,
    tbd                       boolean,
    net                       boolean,
    auto_update               boolean,
    window_sec                integer,
    details                   text,
    static_fire_date_utc      timestamptz,
    static_fire_date_unix     bigint,
    launch_library_id         uuid,
    rocket_id                 text,
    launchpad_id              text,
    fairings_reused           boolean,
    fairings_recovery_attempt boolean,
    fairings_recovered        boolean,
    webcast_url               text,
    wikipedia_url             text,
    article_url               text,
    patch_small_url           text,
    doc                       jsonb NOT NULL,
    issues                    jsonb,
    deleted_at                timestamptz,
    run_id                    bigint NOT NULL,
    updated_at                timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE INDEX launches_rocket_id_idx ON bronze.launches (rocket_id);
CREATE INDEX launches_launchpad_id_idx ON bronze.launches (launchpad_id);
CREATE INDEX launches_date_utc_idx ON bronze.launches (date_utc);

-- launch.payloads[] is the relationship of record between launches and
-- payloads (payload.launch disagrees with it for a few records).
CREATE TABLE bronze.launch_payloads (
    launch_id  text NOT NULL REFERENCES bronze.launches ON DELETE CASCADE,
    payload_id text NOT NULL,
    run_id     bigint NOT NULL,
    PRIMARY KEY (launch_id, payload_id)
);

CREATE INDEX launch_payloads_payload_id_idx ON bronze.launch_payloads (payload_id);

-- One row per element of launch.cores[], with the per-flight attributes.
-- core_index is the element's position; core_id is NULL on upcoming launches.
CREATE TABLE bronze.launch_cores (
    launch_id       text NOT NULL REFERENCES bronze.launches ON DELETE CASCADE,
    core_index      integer NOT NULL,
    core_id         text,
    flight          integer,
    gridfins        boolean,
    legs            boolean,
    reused          boolean,
    landing_attempt boolean,
    landing_success boolean,
    landing_type    text,
    landpad_id      text,
    issues          jsonb,
    run_id          bigint NOT NULL,
    PRIMARY KEY (launch_id, core_index)
);

CREATE INDEX launch_cores_core_id_idx ON bronze.launch_cores (core_id);
CREATE INDEX launch_cores_landpad_id_idx ON bronze.launch_cores (landpad_id);

-- One row per element of launch.crew[]: a crew id in v4, a {crew, role}
-- object in v5 (role is NULL for v4).
CREATE TABLE bronze.launch_crew (
    launch_id text NOT NULL REFERENCES bronze.launches ON DELETE CASCADE,
    crew_id   text NOT NULL,
    role      text,
    run_id    bigint NOT NULL,
    PRIMARY KEY (launch_id, crew_id)
);

CREATE INDEX launch_crew_crew_id_idx ON bronze.launch_crew (crew_id);

-- migrate:down

DROP SCHEMA gold CASCADE;
DROP SCHEMA bronze CASCADE;
DROP SCHEMA landing CASCADE;
DROP SCHEMA meta CASCADE;
