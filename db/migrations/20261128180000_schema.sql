-- migrate:up

-- Layers. landing holds raw API documents per run, bronze the typed model,
-- gold the analyst-facing materialized views (db/views), meta the run ledger
-- and bookkeeping. The functions that move data between them are in
-- db/functions, applied by `loader migrate` by content hash; only the
-- functions that table definitions depend on are here.
CREATE SCHEMA landing;
CREATE SCHEMA bronze;
CREATE SCHEMA gold;
CREATE SCHEMA meta;

COMMENT ON SCHEMA landing IS 'Raw API documents exactly as extracted, one row per array element, partitioned by run.';
COMMENT ON SCHEMA bronze IS 'Typed tables normalised from landing. Keys are the API ids; each typed column is generated from the stored document.';
COMMENT ON SCHEMA gold IS 'Analyst-facing metrics, materialized views defined in db/views/.';
COMMENT ON SCHEMA meta IS 'Run ledger and loader bookkeeping.';

-- The run ledger: one row per `loader sync` or `loader replay`.
CREATE TABLE meta.runs (
    run_id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    status          text NOT NULL DEFAULT 'running'
                    CHECK (status IN ('running', 'succeeded', 'failed', 'cancelled', 'abandoned')),
    source          text NOT NULL,
    started_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
    finished_at     timestamptz,
    error           text,
    views_refreshed text[],
    CHECK ((status = 'running') = (finished_at IS NULL)),
    CHECK (status <> 'failed' OR error IS NOT NULL)
);

COMMENT ON TABLE meta.runs IS 'One row per sync or replay: status, timing and the error of a failed run.';
COMMENT ON COLUMN meta.runs.source IS 'Where the run extracted from: the API base URL, the snapshot directory, or the run it replays.';
COMMENT ON COLUMN meta.runs.status IS 'running, succeeded, failed, cancelled (SIGINT/SIGTERM), or abandoned (the process died; found by the next run).';
COMMENT ON COLUMN meta.runs.views_refreshed IS 'The gold views a succeeded run refreshed: those reading a table the run changed.';

-- Per-resource record of a run. What the extract gave is written when the
-- resource lands; the counts of the promotion with it, so they stay NULL
-- for a run whose promotion did not commit.
CREATE TABLE meta.run_resources (
    run_id         bigint NOT NULL REFERENCES meta.runs ON DELETE CASCADE,
    resource       text NOT NULL,
    landed_run_id  bigint NOT NULL,
    not_modified   boolean NOT NULL DEFAULT false,
    etag           text,
    extract_sha256 bytea NOT NULL,
    fetched        bigint NOT NULL,
    sanitized      bigint NOT NULL DEFAULT 0,
    transform      text,
    skipped        boolean,
    duplicates     bigint,
    rejected       bigint,
    bad_values     bigint,
    inserted       bigint,
    updated        bigint,
    unchanged      bigint,
    deleted        bigint,
    revived        bigint,
    PRIMARY KEY (run_id, resource)
);

COMMENT ON TABLE meta.run_resources IS 'Per-resource record of a run: where its documents are, what was fetched, and what happened to bronze.';
COMMENT ON COLUMN meta.run_resources.landed_run_id IS 'The run whose landing partition holds the documents: this run, or the earlier run whose identical extract it reuses (HTTP 304, an unchanged snapshot file, a replay).';
COMMENT ON COLUMN meta.run_resources.not_modified IS 'The source said the extract is unchanged since the ETag sent (HTTP 304, or the same snapshot file): nothing was downloaded or landed.';
COMMENT ON COLUMN meta.run_resources.etag IS 'The extract''s ETag: the HTTP ETag header, or sha256 of a snapshot file. The next run sends it as If-None-Match.';
COMMENT ON COLUMN meta.run_resources.extract_sha256 IS 'sha256 over the sha256 of every document in order: equal for equal extracts, whatever their source.';
COMMENT ON COLUMN meta.run_resources.fetched IS 'Documents in the extract.';
COMMENT ON COLUMN meta.run_resources.sanitized IS 'Documents in which what jsonb rejects (\u0000, unpaired surrogate escapes, bytes that are not UTF-8) was replaced by U+FFFD before landing.';
COMMENT ON COLUMN meta.run_resources.transform IS 'Version of the schema and transform functions the promotion ran under (meta.transform_version()).';
COMMENT ON COLUMN meta.run_resources.skipped IS 'Bronze already held exactly this extract under this transform version, so nothing was typed or written.';
COMMENT ON COLUMN meta.run_resources.duplicates IS 'Documents that repeated an id already in the same extract; the last occurrence won.';
COMMENT ON COLUMN meta.run_resources.rejected IS 'Documents without a usable id (missing, null, empty, over 256 bytes, or not a string or number), kept in landing but not promoted; the run soft-deletes nothing of that resource.';
COMMENT ON COLUMN meta.run_resources.bad_values IS 'Records with at least one value of the wrong type in their row or their bridge rows, set to NULL and listed in an issues column.';
COMMENT ON COLUMN meta.run_resources.inserted IS 'Bronze rows inserted.';
COMMENT ON COLUMN meta.run_resources.updated IS 'Bronze rows rewritten because their document changed (revived rows included).';
COMMENT ON COLUMN meta.run_resources.unchanged IS 'Bronze rows whose document was already current; not rewritten, not even typed.';
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

-- Function and view files applied by `loader migrate`, with the sha256 of
-- the applied file, so an unchanged file is not applied again.
CREATE TABLE meta.applied_sql (
    name       text PRIMARY KEY,
    kind       text NOT NULL CHECK (kind IN ('function', 'view')),
    sha256     text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

COMMENT ON TABLE meta.applied_sql IS 'db/functions and db/views files applied by loader migrate, with the hash of the applied SQL.';

-- The key of a document: its id, a non-empty string (or a number, as text)
-- of at most 256 bytes; NULL when the document has no usable id.
CREATE FUNCTION landing.doc_id(doc jsonb) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN jsonb_typeof(doc -> 'id') IN ('string', 'number')
             AND octet_length(doc ->> 'id') BETWEEN 1 AND 256
            THEN doc ->> 'id' END;

-- Landing: every element of every extracted response, as jsonb, with its
-- lineage. One table for all resources, one partition per run that landed
-- anything, so pruning a run drops a partition instead of deleting rows.
CREATE TABLE landing.documents (
    run_id       bigint NOT NULL,
    resource     text NOT NULL,
    ordinal      integer NOT NULL,
    extracted_at timestamptz NOT NULL,
    sha256       bytea NOT NULL CHECK (length(sha256) = 32),
    sanitized    integer NOT NULL DEFAULT 0,
    doc          jsonb NOT NULL,
    id           text GENERATED ALWAYS AS (landing.doc_id(doc)) STORED,
    PRIMARY KEY (run_id, resource, ordinal)
) PARTITION BY LIST (run_id);

COMMENT ON TABLE landing.documents IS 'Raw API documents, one row per element of a response array, one partition per run (meta.run_resources.landed_run_id says which run''s partition a resource of a run reads).';
COMMENT ON COLUMN landing.documents.ordinal IS 'Zero-based position of the document in the response.';
COMMENT ON COLUMN landing.documents.extracted_at IS 'When the response carrying the document was requested.';
COMMENT ON COLUMN landing.documents.sha256 IS 'sha256 of the document''s raw bytes as received.';
COMMENT ON COLUMN landing.documents.sanitized IS 'How many \u0000 escapes, unpaired surrogate escapes and non-UTF-8 bytes were replaced by U+FFFD in doc (sha256 is of the bytes before).';
COMMENT ON COLUMN landing.documents.id IS 'The document''s id (landing.doc_id); NULL when it has no usable one.';

-- Typed values from JSON. Each takes a JSON value and returns it as the
-- column's type, or NULL when it is absent, JSON null, or of the wrong type
-- (bronze.issue says why). Bronze columns are generated from them, so they
-- are IMMUTABLE: timestamps and dates accept ISO 8601 only, and a time
-- without a zone is UTC, so no setting changes a result. None opens a
-- subtransaction: they are PARALLEL SAFE. A change to one needs a migration
-- that also rewrites the rows (UPDATE ... SET doc = doc).
CREATE FUNCTION bronze.as_text(v jsonb) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN jsonb_typeof(v) = 'string' THEN v #>> '{}' END;

CREATE FUNCTION bronze.as_numeric(v jsonb) RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN jsonb_typeof(v) = 'number' THEN v::numeric END;

CREATE FUNCTION bronze.as_boolean(v jsonb) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN jsonb_typeof(v) = 'boolean' THEN v::boolean END;

-- Integral numbers only, 2.0 included; fractions and out-of-range are NULL.
CREATE FUNCTION bronze.as_integer(v jsonb) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN jsonb_typeof(v) = 'number' AND v::numeric = trunc(v::numeric)
             AND v::numeric BETWEEN -2147483648 AND 2147483647
            THEN v::numeric::integer END;

CREATE FUNCTION bronze.as_bigint(v jsonb) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN jsonb_typeof(v) = 'number' AND v::numeric = trunc(v::numeric)
             AND v::numeric BETWEEN -9223372036854775808 AND 9223372036854775807
            THEN v::numeric::bigint END;

-- 8-4-4-4-12 hex digits; the hyphens may be left out.
CREATE FUNCTION bronze.as_uuid(v jsonb) RETURNS uuid
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN jsonb_typeof(v) = 'string'
             AND v #>> '{}' ~ '^[0-9a-fA-F]{8}(-?[0-9a-fA-F]{4}){3}-?[0-9a-fA-F]{12}$'
            THEN (v #>> '{}')::uuid END;

-- Whether y-m-d is a day of the Gregorian calendar, without a cast that
-- could fail.
CREATE FUNCTION bronze.is_date(y integer, m integer, d integer) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN y >= 1 AND m BETWEEN 1 AND 12 AND d >= 1 AND d <= CASE
    WHEN m = 2 THEN CASE WHEN y % 4 = 0 AND (y % 100 <> 0 OR y % 400 = 0) THEN 29 ELSE 28 END
    WHEN m IN (4, 6, 9, 11) THEN 30
    ELSE 31 END;

-- YYYY-MM-DD.
CREATE FUNCTION bronze.as_date(v jsonb) RETURNS date
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    s text := CASE WHEN jsonb_typeof(v) = 'string' THEN v #>> '{}' END;
BEGIN
    IF s !~ '^[0-9]{4}-[0-9][0-9]-[0-9][0-9]$'
       OR NOT bronze.is_date(substr(s, 1, 4)::integer, substr(s, 6, 2)::integer, substr(s, 9, 2)::integer) THEN
        RETURN NULL;
    END IF;
    RETURN make_date(substr(s, 1, 4)::integer, substr(s, 6, 2)::integer, substr(s, 9, 2)::integer);
END
$$;

-- YYYY-MM-DD[T ]HH:MM[:SS[.fraction]] with Z, ±HH, ±HHMM or ±HH:MM, or no
-- zone, which means UTC. Once the shape and the day are checked, the cast
-- cannot fail, and with the zone explicit no setting changes its result.
CREATE FUNCTION bronze.as_timestamptz(v jsonb) RETURNS timestamptz
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    s text := CASE WHEN jsonb_typeof(v) = 'string' THEN v #>> '{}' END;
BEGIN
    IF s !~ '^[0-9]{4}-[0-9][0-9]-[0-9][0-9][T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,9})?)?(Z|[+-](0[0-9]|1[0-5])(:?[0-5][0-9])?)?$'
       OR NOT bronze.is_date(substr(s, 1, 4)::integer, substr(s, 6, 2)::integer, substr(s, 9, 2)::integer) THEN
        RETURN NULL;
    END IF;
    RETURN (CASE WHEN s ~ '(Z|[+-][0-9:]+)$' THEN s ELSE s || 'Z' END)::timestamptz;
END
$$;

-- A JSON array of strings; NULL if anything else, or any element is not a
-- string.
CREATE FUNCTION bronze.as_text_array(v jsonb) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    a text[];
BEGIN
    IF jsonb_typeof(v) IS DISTINCT FROM 'array' THEN
        RETURN NULL;
    END IF;
    SELECT CASE WHEN bool_and(jsonb_typeof(e) = 'string') IS NOT FALSE THEN coalesce(array_agg(e #>> '{}'), '{}') END
    INTO a FROM jsonb_array_elements(v) AS e;
    RETURN a;
END
$$;

-- A JSON array of integers (as bronze.as_integer); NULL if anything else.
CREATE FUNCTION bronze.as_integer_array(v jsonb) RETURNS integer[]
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    a integer[];
BEGIN
    IF jsonb_typeof(v) IS DISTINCT FROM 'array' THEN
        RETURN NULL;
    END IF;
    SELECT CASE WHEN bool_and(bronze.as_integer(e) IS NOT NULL) IS NOT FALSE THEN coalesce(array_agg(bronze.as_integer(e)), '{}') END
    INTO a FROM jsonb_array_elements(v) AS e;
    RETURN a;
END
$$;

-- What every bronze record table has besides its typed columns: the source
-- document, the hash of its raw bytes (a document whose hash is unchanged
-- is not typed again), the values that did not fit their column, when a
-- complete extract stopped listing it, and the run that last wrote it.
-- Tables take these columns with LIKE; this table itself stays empty.
CREATE TABLE meta.bronze_record (
    doc        jsonb NOT NULL,
    doc_sha256 bytea NOT NULL,
    issues     jsonb,
    deleted_at timestamptz,
    run_id     bigint NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- The same for bridge tables: one row per element of an array in the
-- parent's document, keyed by the parent's id and the element's position.
CREATE TABLE meta.bronze_element (
    elem   jsonb NOT NULL,
    issues jsonb,
    run_id bigint NOT NULL
);

COMMENT ON TABLE meta.bronze_record IS 'Template (LIKE) of the bookkeeping columns of bronze record tables. Always empty.';
COMMENT ON TABLE meta.bronze_element IS 'Template (LIKE) of the bookkeeping columns of bronze bridge tables. Always empty.';

-- Bronze. Each typed column is generated from doc (elem for bridges) by the
-- bronze.as_* function of its type, so a field is named once, here: the
-- promotion writes documents and PostgreSQL types them. `\d bronze.x` shows
-- where each column comes from. References between resources are not
-- declared as foreign keys: the API's references are broken in both
-- directions (see docs/design.md). They are indexed for joins with hash
-- indexes, which take a value of any length (a btree refuses one over
-- about 2.7 kB, and would fail the run over one absurd reference).

CREATE TABLE bronze.rockets (
    id               text PRIMARY KEY,
    name             text    GENERATED ALWAYS AS (bronze.as_text(doc -> 'name')) STORED,
    type             text    GENERATED ALWAYS AS (bronze.as_text(doc -> 'type')) STORED,
    active           boolean GENERATED ALWAYS AS (bronze.as_boolean(doc -> 'active')) STORED,
    stages           integer GENERATED ALWAYS AS (bronze.as_integer(doc -> 'stages')) STORED,
    boosters         integer GENERATED ALWAYS AS (bronze.as_integer(doc -> 'boosters')) STORED,
    cost_per_launch  numeric GENERATED ALWAYS AS (bronze.as_numeric(doc -> 'cost_per_launch')) STORED,
    success_rate_pct numeric GENERATED ALWAYS AS (bronze.as_numeric(doc -> 'success_rate_pct')) STORED,
    first_flight     date    GENERATED ALWAYS AS (bronze.as_date(doc -> 'first_flight')) STORED,
    country          text    GENERATED ALWAYS AS (bronze.as_text(doc -> 'country')) STORED,
    company          text    GENERATED ALWAYS AS (bronze.as_text(doc -> 'company')) STORED,
    height_m         numeric GENERATED ALWAYS AS (bronze.as_numeric(doc #> '{height,meters}')) STORED,
    diameter_m       numeric GENERATED ALWAYS AS (bronze.as_numeric(doc #> '{diameter,meters}')) STORED,
    mass_kg          numeric GENERATED ALWAYS AS (bronze.as_numeric(doc #> '{mass,kg}')) STORED,
    wikipedia        text    GENERATED ALWAYS AS (bronze.as_text(doc -> 'wikipedia')) STORED,
    description      text    GENERATED ALWAYS AS (bronze.as_text(doc -> 'description')) STORED,
    LIKE meta.bronze_record INCLUDING DEFAULTS
);

CREATE TABLE bronze.launchpads (
    id               text PRIMARY KEY,
    name             text    GENERATED ALWAYS AS (bronze.as_text(doc -> 'name')) STORED,
    full_name        text    GENERATED ALWAYS AS (bronze.as_text(doc -> 'full_name')) STORED,
    locality         text    GENERATED ALWAYS AS (bronze.as_text(doc -> 'locality')) STORED,
    region           text    GENERATED ALWAYS AS (bronze.as_text(doc -> 'region')) STORED,
    timezone         text    GENERATED ALWAYS AS (bronze.as_text(doc -> 'timezone')) STORED,
    latitude         numeric GENERATED ALWAYS AS (bronze.as_numeric(doc -> 'latitude')) STORED,
    longitude        numeric GENERATED ALWAYS AS (bronze.as_numeric(doc -> 'longitude')) STORED,
    launch_attempts  integer GENERATED ALWAYS AS (bronze.as_integer(doc -> 'launch_attempts')) STORED,
    launch_successes integer GENERATED ALWAYS AS (bronze.as_integer(doc -> 'launch_successes')) STORED,
    status           text    GENERATED ALWAYS AS (bronze.as_text(doc -> 'status')) STORED,
    details          text    GENERATED ALWAYS AS (bronze.as_text(doc -> 'details')) STORED,
    LIKE meta.bronze_record INCLUDING DEFAULTS
);

CREATE TABLE bronze.payloads (
    id                       text PRIMARY KEY,
    name                     text      GENERATED ALWAYS AS (bronze.as_text(doc -> 'name')) STORED,
    type                     text      GENERATED ALWAYS AS (bronze.as_text(doc -> 'type')) STORED,
    reused                   boolean   GENERATED ALWAYS AS (bronze.as_boolean(doc -> 'reused')) STORED,
    launch_id                text      GENERATED ALWAYS AS (bronze.as_text(doc -> 'launch')) STORED,
    customers                text[]    GENERATED ALWAYS AS (bronze.as_text_array(doc -> 'customers')) STORED,
    norad_ids                integer[] GENERATED ALWAYS AS (bronze.as_integer_array(doc -> 'norad_ids')) STORED,
    nationalities            text[]    GENERATED ALWAYS AS (bronze.as_text_array(doc -> 'nationalities')) STORED,
    manufacturers            text[]    GENERATED ALWAYS AS (bronze.as_text_array(doc -> 'manufacturers')) STORED,
    mass_kg                  numeric   GENERATED ALWAYS AS (bronze.as_numeric(doc -> 'mass_kg')) STORED,
    mass_lbs                 numeric   GENERATED ALWAYS AS (bronze.as_numeric(doc -> 'mass_lbs')) STORED,
    orbit                    text      GENERATED ALWAYS AS (bronze.as_text(doc -> 'orbit')) STORED,
    reference_system         text      GENERATED ALWAYS AS (bronze.as_text(doc -> 'reference_system')) STORED,
    regime                   text      GENERATED ALWAYS AS (bronze.as_text(doc -> 'regime')) STORED,
    longitude                numeric   GENERATED ALWAYS AS (bronze.as_numeric(doc -> 'longitude')) STORED,
    semi_major_axis_km       numeric   GENERATED ALWAYS AS (bronze.as_numeric(doc -> 'semi_major_axis_km')) STORED,
    eccentricity             numeric   GENERATED ALWAYS AS (bronze.as_numeric(doc -> 'eccentricity')) STORED,
    periapsis_km             numeric   GENERATED ALWAYS AS (bronze.as_numeric(doc -> 'periapsis_km')) STORED,
    apoapsis_km              numeric   GENERATED ALWAYS AS (bronze.as_numeric(doc -> 'apoapsis_km')) STORED,
    inclination_deg          numeric   GENERATED ALWAYS AS (bronze.as_numeric(doc -> 'inclination_deg')) STORED,
    period_min               numeric   GENERATED ALWAYS AS (bronze.as_numeric(doc -> 'period_min')) STORED,
    lifespan_years           numeric   GENERATED ALWAYS AS (bronze.as_numeric(doc -> 'lifespan_years')) STORED,
    epoch                    timestamptz GENERATED ALWAYS AS (bronze.as_timestamptz(doc -> 'epoch')) STORED,
    mean_motion              numeric   GENERATED ALWAYS AS (bronze.as_numeric(doc -> 'mean_motion')) STORED,
    raan                     numeric   GENERATED ALWAYS AS (bronze.as_numeric(doc -> 'raan')) STORED,
    arg_of_pericenter        numeric   GENERATED ALWAYS AS (bronze.as_numeric(doc -> 'arg_of_pericenter')) STORED,
    mean_anomaly             numeric   GENERATED ALWAYS AS (bronze.as_numeric(doc -> 'mean_anomaly')) STORED,
    dragon_capsule_id        text      GENERATED ALWAYS AS (bronze.as_text(doc #> '{dragon,capsule}')) STORED,
    dragon_mass_returned_kg  numeric   GENERATED ALWAYS AS (bronze.as_numeric(doc #> '{dragon,mass_returned_kg}')) STORED,
    dragon_mass_returned_lbs numeric   GENERATED ALWAYS AS (bronze.as_numeric(doc #> '{dragon,mass_returned_lbs}')) STORED,
    dragon_flight_time_sec   integer   GENERATED ALWAYS AS (bronze.as_integer(doc #> '{dragon,flight_time_sec}')) STORED,
    dragon_manifest          text      GENERATED ALWAYS AS (bronze.as_text(doc #> '{dragon,manifest}')) STORED,
    dragon_water_landing     boolean   GENERATED ALWAYS AS (bronze.as_boolean(doc #> '{dragon,water_landing}')) STORED,
    dragon_land_landing      boolean   GENERATED ALWAYS AS (bronze.as_boolean(doc #> '{dragon,land_landing}')) STORED,
    LIKE meta.bronze_record INCLUDING DEFAULTS
);

CREATE INDEX payloads_launch_id_idx ON bronze.payloads USING hash (launch_id);
CREATE INDEX payloads_dragon_capsule_id_idx ON bronze.payloads USING hash (dragon_capsule_id);

CREATE TABLE bronze.launches (
    id                        text PRIMARY KEY,
    flight_number             integer     GENERATED ALWAYS AS (bronze.as_integer(doc -> 'flight_number')) STORED,
    name                      text        GENERATED ALWAYS AS (bronze.as_text(doc -> 'name')) STORED,
    date_utc                  timestamptz GENERATED ALWAYS AS (bronze.as_timestamptz(doc -> 'date_utc')) STORED,
    date_unix                 bigint      GENERATED ALWAYS AS (bronze.as_bigint(doc -> 'date_unix')) STORED,
    date_local                timestamptz GENERATED ALWAYS AS (bronze.as_timestamptz(doc -> 'date_local')) STORED,
    date_precision            text        GENERATED ALWAYS AS (bronze.as_text(doc -> 'date_precision')) STORED,
    upcoming                  boolean     GENERATED ALWAYS AS (bronze.as_boolean(doc -> 'upcoming')) STORED,
    success                   boolean     GENERATED ALWAYS AS (bronze.as_boolean(doc -> 'success')) STORED,
    tbd                       boolean     GENERATED ALWAYS AS (bronze.as_boolean(doc -> 'tbd')) STORED,
    net                       boolean     GENERATED ALWAYS AS (bronze.as_boolean(doc -> 'net')) STORED,
    auto_update               boolean     GENERATED ALWAYS AS (bronze.as_boolean(doc -> 'auto_update')) STORED,
    window_sec                integer     GENERATED ALWAYS AS (bronze.as_integer(doc -> 'window')) STORED,
    details                   text        GENERATED ALWAYS AS (bronze.as_text(doc -> 'details')) STORED,
    static_fire_date_utc      timestamptz GENERATED ALWAYS AS (bronze.as_timestamptz(doc -> 'static_fire_date_utc')) STORED,
    static_fire_date_unix     bigint      GENERATED ALWAYS AS (bronze.as_bigint(doc -> 'static_fire_date_unix')) STORED,
    launch_library_id         uuid        GENERATED ALWAYS AS (bronze.as_uuid(doc -> 'launch_library_id')) STORED,
    rocket_id                 text        GENERATED ALWAYS AS (bronze.as_text(doc -> 'rocket')) STORED,
    launchpad_id              text        GENERATED ALWAYS AS (bronze.as_text(doc -> 'launchpad')) STORED,
    fairings_reused           boolean     GENERATED ALWAYS AS (bronze.as_boolean(doc #> '{fairings,reused}')) STORED,
    fairings_recovery_attempt boolean     GENERATED ALWAYS AS (bronze.as_boolean(doc #> '{fairings,recovery_attempt}')) STORED,
    fairings_recovered        boolean     GENERATED ALWAYS AS (bronze.as_boolean(doc #> '{fairings,recovered}')) STORED,
    webcast_url               text        GENERATED ALWAYS AS (bronze.as_text(doc #> '{links,webcast}')) STORED,
    wikipedia_url             text        GENERATED ALWAYS AS (bronze.as_text(doc #> '{links,wikipedia}')) STORED,
    article_url               text        GENERATED ALWAYS AS (bronze.as_text(doc #> '{links,article}')) STORED,
    patch_small_url           text        GENERATED ALWAYS AS (bronze.as_text(doc #> '{links,patch,small}')) STORED,
    LIKE meta.bronze_record INCLUDING DEFAULTS
);

CREATE INDEX launches_rocket_id_idx ON bronze.launches USING hash (rocket_id);
CREATE INDEX launches_launchpad_id_idx ON bronze.launches USING hash (launchpad_id);
CREATE INDEX launches_date_utc_idx ON bronze.launches (date_utc);

-- Bridges: one row per element of an array of a launch (its key columns
-- are the launch's id and the element's zero-based position).
-- launch.payloads[] is the relationship of record between launches and
-- payloads (payload.launch disagrees with it for a few records).
CREATE TABLE bronze.launch_payloads (
    launch_id     text NOT NULL REFERENCES bronze.launches ON DELETE CASCADE,
    payload_index integer NOT NULL,
    payload_id    text GENERATED ALWAYS AS (bronze.as_text(elem)) STORED,
    LIKE meta.bronze_element INCLUDING DEFAULTS,
    PRIMARY KEY (launch_id, payload_index)
);

CREATE INDEX launch_payloads_payload_id_idx ON bronze.launch_payloads USING hash (payload_id);

-- launch.cores[], with the per-flight attributes; core_id is NULL on
-- upcoming launches.
CREATE TABLE bronze.launch_cores (
    launch_id       text NOT NULL REFERENCES bronze.launches ON DELETE CASCADE,
    core_index      integer NOT NULL,
    core_id         text    GENERATED ALWAYS AS (bronze.as_text(elem -> 'core')) STORED,
    flight          integer GENERATED ALWAYS AS (bronze.as_integer(elem -> 'flight')) STORED,
    gridfins        boolean GENERATED ALWAYS AS (bronze.as_boolean(elem -> 'gridfins')) STORED,
    legs            boolean GENERATED ALWAYS AS (bronze.as_boolean(elem -> 'legs')) STORED,
    reused          boolean GENERATED ALWAYS AS (bronze.as_boolean(elem -> 'reused')) STORED,
    landing_attempt boolean GENERATED ALWAYS AS (bronze.as_boolean(elem -> 'landing_attempt')) STORED,
    landing_success boolean GENERATED ALWAYS AS (bronze.as_boolean(elem -> 'landing_success')) STORED,
    landing_type    text    GENERATED ALWAYS AS (bronze.as_text(elem -> 'landing_type')) STORED,
    landpad_id      text    GENERATED ALWAYS AS (bronze.as_text(elem -> 'landpad')) STORED,
    LIKE meta.bronze_element INCLUDING DEFAULTS,
    PRIMARY KEY (launch_id, core_index)
);

CREATE INDEX launch_cores_core_id_idx ON bronze.launch_cores USING hash (core_id);
CREATE INDEX launch_cores_landpad_id_idx ON bronze.launch_cores USING hash (landpad_id);

-- launch.crew[]: a crew id in v4, a {crew, role} object in v5 (role is
-- NULL for v4).
CREATE TABLE bronze.launch_crew (
    launch_id  text NOT NULL REFERENCES bronze.launches ON DELETE CASCADE,
    crew_index integer NOT NULL,
    crew_id    text GENERATED ALWAYS AS (bronze.as_text(coalesce(elem -> 'crew', elem))) STORED,
    role       text GENERATED ALWAYS AS (bronze.as_text(jsonb_path_query_first(elem, '$.role'))) STORED,
    LIKE meta.bronze_element INCLUDING DEFAULTS,
    PRIMARY KEY (launch_id, crew_index)
);

CREATE INDEX launch_crew_crew_id_idx ON bronze.launch_crew USING hash (crew_id);

-- migrate:down

DROP SCHEMA gold CASCADE;
DROP SCHEMA bronze CASCADE;
DROP SCHEMA landing CASCADE;
DROP SCHEMA meta CASCADE;
