-- The floor of scripts/bench: what PostgreSQL itself needs to load the same
-- launches and payloads the loader syncs, with nothing of the loader's own:
-- no ledger, no type checks (plain casts, which would fail on a bad value),
-- no drift check, no change detection, no gold views.
--
--   psql -v dir=DIR/floor -f scripts/bench-floor.sql   (in an empty database)
--
-- DIR/floor holds launches.jsonl and payloads.jsonl, one document a line, as
-- scripts/scale writes them. The floor is
--   1. \copy of both files into plain jsonb tables (CSV with quote and
--      delimiter bytes that never occur in JSON, so backslashes in strings
--      reach jsonb untouched);
--   2. one set-based INSERT ... SELECT per target, each reading the staged
--      documents once: launches with bronze.launches' typed columns, the
--      launch-payload bridge, the launch-core bridge with the core's typed
--      attributes, and payloads with bronze.payloads' typed columns; then
--      one INSERT per other bridge of launches and payloads (crew, ships,
--      capsules, failures, fairing ships; customers, nationalities,
--      manufacturers, NORAD ids), the element and its position.
-- Targets keep the document (doc) and a primary key, as bronze does; they
-- have none of bronze's secondary indexes. Every statement commits on its
-- own.

\set ON_ERROR_STOP on
\cd :dir

CREATE TABLE launch_docs (doc jsonb NOT NULL);
CREATE TABLE payload_docs (doc jsonb NOT NULL);

CREATE TABLE launches (
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
    doc                       jsonb NOT NULL
);

CREATE TABLE launch_payloads (
    launch_id  text NOT NULL,
    payload_id text NOT NULL,
    PRIMARY KEY (launch_id, payload_id)
);

CREATE TABLE launch_cores (
    launch_id       text NOT NULL,
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
    PRIMARY KEY (launch_id, core_index)
);

CREATE TABLE payloads (
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
    doc                      jsonb NOT NULL
);

CREATE TABLE launch_crew (
    parent_id text NOT NULL,
    position  integer NOT NULL,
    elem      jsonb NOT NULL,
    value     text,
    PRIMARY KEY (parent_id, position)
);

CREATE TABLE launch_ships (
    parent_id text NOT NULL,
    position  integer NOT NULL,
    elem      jsonb NOT NULL,
    value     text,
    PRIMARY KEY (parent_id, position)
);

CREATE TABLE launch_capsules (
    parent_id text NOT NULL,
    position  integer NOT NULL,
    elem      jsonb NOT NULL,
    value     text,
    PRIMARY KEY (parent_id, position)
);

CREATE TABLE launch_failures (
    parent_id text NOT NULL,
    position  integer NOT NULL,
    elem      jsonb NOT NULL,
    value     text,
    PRIMARY KEY (parent_id, position)
);

CREATE TABLE launch_fairing_ships (
    parent_id text NOT NULL,
    position  integer NOT NULL,
    elem      jsonb NOT NULL,
    value     text,
    PRIMARY KEY (parent_id, position)
);

CREATE TABLE payload_customers (
    parent_id text NOT NULL,
    position  integer NOT NULL,
    elem      jsonb NOT NULL,
    value     text,
    PRIMARY KEY (parent_id, position)
);

CREATE TABLE payload_nationalities (
    parent_id text NOT NULL,
    position  integer NOT NULL,
    elem      jsonb NOT NULL,
    value     text,
    PRIMARY KEY (parent_id, position)
);

CREATE TABLE payload_manufacturers (
    parent_id text NOT NULL,
    position  integer NOT NULL,
    elem      jsonb NOT NULL,
    value     text,
    PRIMARY KEY (parent_id, position)
);

CREATE TABLE payload_norad_ids (
    parent_id text NOT NULL,
    position  integer NOT NULL,
    elem      jsonb NOT NULL,
    value     text,
    PRIMARY KEY (parent_id, position)
);

\copy launch_docs FROM 'launches.jsonl' WITH (FORMAT csv, QUOTE E'\x01', DELIMITER E'\x02')
\copy payload_docs FROM 'payloads.jsonl' WITH (FORMAT csv, QUOTE E'\x01', DELIMITER E'\x02')

INSERT INTO launches
SELECT
    doc ->> 'id',
    (doc ->> 'flight_number')::numeric::integer,
    doc ->> 'name',
    (doc ->> 'date_utc')::timestamptz,
    (doc ->> 'date_unix')::numeric::bigint,
    (doc ->> 'date_local')::timestamptz,
    doc ->> 'date_precision',
    (doc ->> 'upcoming')::boolean,
    (doc ->> 'success')::boolean,
    (doc ->> 'tbd')::boolean,
    (doc ->> 'net')::boolean,
    (doc ->> 'auto_update')::boolean,
    (doc ->> 'window')::numeric::integer,
    doc ->> 'details',
    (doc ->> 'static_fire_date_utc')::timestamptz,
    (doc ->> 'static_fire_date_unix')::numeric::bigint,
    (doc ->> 'launch_library_id')::uuid,
    doc ->> 'rocket',
    doc ->> 'launchpad',
    (doc #>> '{fairings,reused}')::boolean,
    (doc #>> '{fairings,recovery_attempt}')::boolean,
    (doc #>> '{fairings,recovered}')::boolean,
    doc #>> '{links,webcast}',
    doc #>> '{links,wikipedia}',
    doc #>> '{links,article}',
    doc #>> '{links,patch,small}',
    doc
FROM launch_docs;

INSERT INTO launch_payloads
SELECT l.doc ->> 'id', p.payload_id
FROM launch_docs l
CROSS JOIN LATERAL jsonb_array_elements_text(l.doc -> 'payloads') AS p(payload_id)
ON CONFLICT DO NOTHING;

INSERT INTO launch_cores
SELECT
    l.doc ->> 'id',
    (c.ordinality - 1)::integer,
    c.core ->> 'core',
    (c.core ->> 'flight')::numeric::integer,
    (c.core ->> 'gridfins')::boolean,
    (c.core ->> 'legs')::boolean,
    (c.core ->> 'reused')::boolean,
    (c.core ->> 'landing_attempt')::boolean,
    (c.core ->> 'landing_success')::boolean,
    c.core ->> 'landing_type',
    c.core ->> 'landpad'
FROM launch_docs l
CROSS JOIN LATERAL jsonb_array_elements(l.doc -> 'cores') WITH ORDINALITY AS c(core, ordinality);

INSERT INTO payloads
SELECT
    doc ->> 'id',
    doc ->> 'name',
    doc ->> 'type',
    (doc ->> 'reused')::boolean,
    doc ->> 'launch',
    ARRAY(SELECT jsonb_array_elements_text(doc -> 'customers')),
    ARRAY(SELECT jsonb_array_elements_text(doc -> 'norad_ids')::numeric::integer),
    ARRAY(SELECT jsonb_array_elements_text(doc -> 'nationalities')),
    ARRAY(SELECT jsonb_array_elements_text(doc -> 'manufacturers')),
    (doc ->> 'mass_kg')::numeric,
    (doc ->> 'mass_lbs')::numeric,
    doc ->> 'orbit',
    doc ->> 'reference_system',
    doc ->> 'regime',
    (doc ->> 'longitude')::numeric,
    (doc ->> 'semi_major_axis_km')::numeric,
    (doc ->> 'eccentricity')::numeric,
    (doc ->> 'periapsis_km')::numeric,
    (doc ->> 'apoapsis_km')::numeric,
    (doc ->> 'inclination_deg')::numeric,
    (doc ->> 'period_min')::numeric,
    (doc ->> 'lifespan_years')::numeric,
    (doc ->> 'epoch')::timestamptz,
    (doc ->> 'mean_motion')::numeric,
    (doc ->> 'raan')::numeric,
    (doc ->> 'arg_of_pericenter')::numeric,
    (doc ->> 'mean_anomaly')::numeric,
    doc #>> '{dragon,capsule}',
    (doc #>> '{dragon,mass_returned_kg}')::numeric,
    (doc #>> '{dragon,mass_returned_lbs}')::numeric,
    (doc #>> '{dragon,flight_time_sec}')::numeric::integer,
    doc #>> '{dragon,manifest}',
    (doc #>> '{dragon,water_landing}')::boolean,
    (doc #>> '{dragon,land_landing}')::boolean,
    doc
FROM payload_docs;

INSERT INTO launch_crew
SELECT d.doc ->> 'id', (e.i - 1)::integer, e.elem, e.elem #>> '{}'
FROM launch_docs d
CROSS JOIN LATERAL jsonb_array_elements(d.doc -> 'crew') WITH ORDINALITY AS e(elem, i);

INSERT INTO launch_ships
SELECT d.doc ->> 'id', (e.i - 1)::integer, e.elem, e.elem #>> '{}'
FROM launch_docs d
CROSS JOIN LATERAL jsonb_array_elements(d.doc -> 'ships') WITH ORDINALITY AS e(elem, i);

INSERT INTO launch_capsules
SELECT d.doc ->> 'id', (e.i - 1)::integer, e.elem, e.elem #>> '{}'
FROM launch_docs d
CROSS JOIN LATERAL jsonb_array_elements(d.doc -> 'capsules') WITH ORDINALITY AS e(elem, i);

INSERT INTO launch_failures
SELECT d.doc ->> 'id', (e.i - 1)::integer, e.elem, e.elem #>> '{}'
FROM launch_docs d
CROSS JOIN LATERAL jsonb_array_elements(d.doc -> 'failures') WITH ORDINALITY AS e(elem, i);

INSERT INTO launch_fairing_ships
SELECT d.doc ->> 'id', (e.i - 1)::integer, e.elem, e.elem #>> '{}'
FROM launch_docs d
CROSS JOIN LATERAL jsonb_array_elements(d.doc #> '{fairings,ships}') WITH ORDINALITY AS e(elem, i);

INSERT INTO payload_customers
SELECT d.doc ->> 'id', (e.i - 1)::integer, e.elem, e.elem #>> '{}'
FROM payload_docs d
CROSS JOIN LATERAL jsonb_array_elements(d.doc -> 'customers') WITH ORDINALITY AS e(elem, i);

INSERT INTO payload_nationalities
SELECT d.doc ->> 'id', (e.i - 1)::integer, e.elem, e.elem #>> '{}'
FROM payload_docs d
CROSS JOIN LATERAL jsonb_array_elements(d.doc -> 'nationalities') WITH ORDINALITY AS e(elem, i);

INSERT INTO payload_manufacturers
SELECT d.doc ->> 'id', (e.i - 1)::integer, e.elem, e.elem #>> '{}'
FROM payload_docs d
CROSS JOIN LATERAL jsonb_array_elements(d.doc -> 'manufacturers') WITH ORDINALITY AS e(elem, i);

INSERT INTO payload_norad_ids
SELECT d.doc ->> 'id', (e.i - 1)::integer, e.elem, e.elem #>> '{}'
FROM payload_docs d
CROSS JOIN LATERAL jsonb_array_elements(d.doc -> 'norad_ids') WITH ORDINALITY AS e(elem, i);
