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

-- The run ledger: one row per `loader sync`.
CREATE TABLE meta.runs (
    run_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    status      text NOT NULL DEFAULT 'running'
                CHECK (status IN ('running', 'succeeded', 'failed', 'cancelled')),
    source      text NOT NULL,
    started_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    finished_at timestamptz,
    error       text,
    CHECK ((status = 'running') = (finished_at IS NULL)),
    CHECK (status <> 'failed' OR error IS NOT NULL)
);

COMMENT ON TABLE meta.runs IS 'One row per sync: status, timing and the error of a failed run.';
COMMENT ON COLUMN meta.runs.source IS 'Where the run extracted from: the API base URL or the snapshot directory.';

-- Per-resource counts of a run. fetched is written when the resource lands;
-- inserted/updated/unchanged are written with the promotion into bronze, so
-- they stay NULL for a run whose promotion did not commit.
CREATE TABLE meta.run_resources (
    run_id    bigint NOT NULL REFERENCES meta.runs ON DELETE CASCADE,
    resource  text NOT NULL,
    fetched   bigint NOT NULL,
    inserted  bigint,
    updated   bigint,
    unchanged bigint,
    PRIMARY KEY (run_id, resource)
);

COMMENT ON TABLE meta.run_resources IS 'Per-resource counts of a run: documents fetched, and bronze rows inserted, updated and left unchanged.';

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
    doc          jsonb NOT NULL,
    PRIMARY KEY (run_id, resource, ordinal)
);

COMMENT ON TABLE landing.documents IS 'Raw API documents, one row per element of a response array.';
COMMENT ON COLUMN landing.documents.ordinal IS 'Zero-based position of the document in the response.';
COMMENT ON COLUMN landing.documents.extracted_at IS 'When the response carrying the document was requested.';
COMMENT ON COLUMN landing.documents.sha256 IS 'sha256 of the document''s raw bytes as received.';

-- The document that stands for each id in a run: when one extract repeats an
-- id, the last occurrence wins. Filters on run_id and resource are pushed
-- below the DISTINCT ON, so this reads one run's rows only.
CREATE VIEW landing.latest_documents AS
SELECT DISTINCT ON (run_id, resource, doc ->> 'id')
       run_id, resource, doc ->> 'id' AS id, ordinal, doc
FROM landing.documents
ORDER BY run_id, resource, doc ->> 'id', ordinal DESC;

COMMENT ON VIEW landing.latest_documents IS 'The last document per id of each run and resource.';

-- A JSON array of strings as text[]; NULL when the value is not an array.
CREATE FUNCTION landing.text_array(value jsonb) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN jsonb_typeof(value) = 'array'
            THEN ARRAY(SELECT jsonb_array_elements_text(value)) END;

-- Bronze. Every table keeps the source document (doc) so a field not modelled
-- yet is never lost, and the run that last changed the row (run_id).
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
    run_id          bigint NOT NULL,
    PRIMARY KEY (launch_id, core_index)
);

CREATE INDEX launch_cores_core_id_idx ON bronze.launch_cores (core_id);
CREATE INDEX launch_cores_landpad_id_idx ON bronze.launch_cores (landpad_id);

-- migrate:down

DROP SCHEMA gold CASCADE;
DROP SCHEMA bronze CASCADE;
DROP SCHEMA landing CASCADE;
DROP SCHEMA meta CASCADE;
