-- migrate:up

-- Every resource of the API, and every field of each: the tables of the
-- resources not loaded until now, the fields the first four left in doc,
-- and a bridge table for every array of references or sub-documents. The
-- pattern is the first migration's: a typed column is generated from the
-- stored document, so each field is named once, here. Columns of nested
-- objects are named by their path (engines.isp.sea_level is
-- engines_isp_sea_level); unit pairs get a column per unit.

-- A resource a snapshot directory lacks is recorded as absent: nothing
-- landed or promoted, nothing soft-deleted.
ALTER TABLE meta.run_resources
    ADD COLUMN absent boolean NOT NULL DEFAULT false,
    ALTER COLUMN landed_run_id DROP NOT NULL,
    ALTER COLUMN extract_sha256 DROP NOT NULL,
    ADD CHECK (absent OR landed_run_id IS NOT NULL AND extract_sha256 IS NOT NULL);

COMMENT ON COLUMN meta.run_resources.absent IS 'The source does not have the resource (a snapshot directory without its file): nothing was landed or promoted, and bronze keeps what earlier runs loaded.';

-- A reference is typed by the rule of a document's own id
-- (landing.doc_id): a string, or a number as text, of 1 to 256 bytes.
-- Anything else cannot name a record, so it is a bad value (NULL, with an
-- issue) rather than a key: an absurdly long reference would otherwise
-- break a btree index (over about 2.7 kB), such as the unique indexes of
-- the gold views that group by it. Bounded so, references are indexed with
-- btree again: the hash indexes the first migration used to take values of
-- any length degrade with the many duplicates a reference has (4 rockets
-- for every launch), each insert walking one bucket's overflow chain.
CREATE FUNCTION bronze.as_id(v jsonb) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN jsonb_typeof(v) IN ('string', 'number') AND octet_length(v #>> '{}') BETWEEN 1 AND 256
            THEN v #>> '{}' END;

-- The first migration's references, typed again by that rule. PostgreSQL
-- before 17 cannot change a generated column's expression, so each is
-- dropped and added again (with its index). The gold view reading them is
-- dropped with them and forgotten by meta.applied_sql, so that `loader
-- migrate` creates it again.
DROP MATERIALIZED VIEW IF EXISTS gold.rocket_cost_efficiency;
DELETE FROM meta.applied_sql WHERE kind = 'view';
ALTER TABLE bronze.payloads
    DROP COLUMN launch_id,
    DROP COLUMN dragon_capsule_id,
    ADD COLUMN launch_id         text GENERATED ALWAYS AS (bronze.as_id(doc -> 'launch')) STORED,
    ADD COLUMN dragon_capsule_id text GENERATED ALWAYS AS (bronze.as_id(doc #> '{dragon,capsule}')) STORED;
CREATE INDEX payloads_launch_id_idx ON bronze.payloads (launch_id);
CREATE INDEX payloads_dragon_capsule_id_idx ON bronze.payloads (dragon_capsule_id);
ALTER TABLE bronze.launches
    DROP COLUMN rocket_id,
    DROP COLUMN launchpad_id,
    ADD COLUMN rocket_id    text GENERATED ALWAYS AS (bronze.as_id(doc -> 'rocket')) STORED,
    ADD COLUMN launchpad_id text GENERATED ALWAYS AS (bronze.as_id(doc -> 'launchpad')) STORED;
CREATE INDEX launches_rocket_id_idx ON bronze.launches (rocket_id);
CREATE INDEX launches_launchpad_id_idx ON bronze.launches (launchpad_id);
ALTER TABLE bronze.launch_payloads
    DROP COLUMN payload_id,
    ADD COLUMN payload_id text GENERATED ALWAYS AS (bronze.as_id(elem)) STORED;
CREATE INDEX launch_payloads_payload_id_idx ON bronze.launch_payloads (payload_id);
ALTER TABLE bronze.launch_cores
    DROP COLUMN core_id,
    DROP COLUMN landpad_id,
    ADD COLUMN core_id    text GENERATED ALWAYS AS (bronze.as_id(elem -> 'core')) STORED,
    ADD COLUMN landpad_id text GENERATED ALWAYS AS (bronze.as_id(elem -> 'landpad')) STORED;
CREATE INDEX launch_cores_core_id_idx ON bronze.launch_cores (core_id);
CREATE INDEX launch_cores_landpad_id_idx ON bronze.launch_cores (landpad_id);
ALTER TABLE bronze.launch_crew
    DROP COLUMN crew_id,
    DROP COLUMN role,
    ADD COLUMN crew_id text GENERATED ALWAYS AS (bronze.as_id(coalesce(elem -> 'crew', elem))) STORED,
    ADD COLUMN role    text GENERATED ALWAYS AS (bronze.as_text(jsonb_path_query_first(elem, '$.role'))) STORED;
CREATE INDEX launch_crew_crew_id_idx ON bronze.launch_crew (crew_id);

-- rockets: the fields the first migration left in doc.
ALTER TABLE bronze.rockets
    ADD COLUMN height_ft                        numeric GENERATED ALWAYS AS (bronze.as_numeric(doc #> '{height,feet}')) STORED,
    ADD COLUMN diameter_ft                      numeric GENERATED ALWAYS AS (bronze.as_numeric(doc #> '{diameter,feet}')) STORED,
    ADD COLUMN mass_lb                          numeric GENERATED ALWAYS AS (bronze.as_numeric(doc #> '{mass,lb}')) STORED,
    ADD COLUMN first_stage_reusable             boolean GENERATED ALWAYS AS (bronze.as_boolean(doc #> '{first_stage,reusable}')) STORED,
    ADD COLUMN first_stage_engines              integer GENERATED ALWAYS AS (bronze.as_integer(doc #> '{first_stage,engines}')) STORED,
    ADD COLUMN first_stage_fuel_amount_tons     numeric GENERATED ALWAYS AS (bronze.as_numeric(doc #> '{first_stage,fuel_amount_tons}')) STORED,
    ADD COLUMN first_stage_burn_time_sec        numeric GENERATED ALWAYS AS (bronze.as_numeric(doc #> '{first_stage,burn_time_sec}')) STORED,
    ADD COLUMN first_stage_thrust_sea_level_kn  numeric GENERATED ALWAYS AS (bronze.as_numeric(doc #> '{first_stage,thrust_sea_level,kN}')) STORED,
    ADD COLUMN first_stage_thrust_sea_level_lbf numeric GENERATED ALWAYS AS (bronze.as_numeric(doc #> '{first_stage,thrust_sea_level,lbf}')) STORED,
    ADD COLUMN first_stage_thrust_vacuum_kn     numeric GENERATED ALWAYS AS (bronze.as_numeric(doc #> '{first_stage,thrust_vacuum,kN}')) STORED,
    ADD COLUMN first_stage_thrust_vacuum_lbf    numeric GENERATED ALWAYS AS (bronze.as_numeric(doc #> '{first_stage,thrust_vacuum,lbf}')) STORED,
    ADD COLUMN second_stage_reusable            boolean GENERATED ALWAYS AS (bronze.as_boolean(doc #> '{second_stage,reusable}')) STORED,
    ADD COLUMN second_stage_engines             integer GENERATED ALWAYS AS (bronze.as_integer(doc #> '{second_stage,engines}')) STORED,
    ADD COLUMN second_stage_fuel_amount_tons    numeric GENERATED ALWAYS AS (bronze.as_numeric(doc #> '{second_stage,fuel_amount_tons}')) STORED,
    ADD COLUMN second_stage_burn_time_sec       numeric GENERATED ALWAYS AS (bronze.as_numeric(doc #> '{second_stage,burn_time_sec}')) STORED,
    ADD COLUMN second_stage_thrust_kn           numeric GENERATED ALWAYS AS (bronze.as_numeric(doc #> '{second_stage,thrust,kN}')) STORED,
    ADD COLUMN second_stage_thrust_lbf          numeric GENERATED ALWAYS AS (bronze.as_numeric(doc #> '{second_stage,thrust,lbf}')) STORED,
    ADD COLUMN second_stage_payload_option_1    text    GENERATED ALWAYS AS (bronze.as_text(doc #> '{second_stage,payloads,option_1}')) STORED,
    ADD COLUMN second_stage_fairing_height_m    numeric GENERATED ALWAYS AS (bronze.as_numeric(doc #> '{second_stage,payloads,composite_fairing,height,meters}')) STORED,
    ADD COLUMN second_stage_fairing_height_ft   numeric GENERATED ALWAYS AS (bronze.as_numeric(doc #> '{second_stage,payloads,composite_fairing,height,feet}')) STORED,
    ADD COLUMN second_stage_fairing_diameter_m  numeric GENERATED ALWAYS AS (bronze.as_numeric(doc #> '{second_stage,payloads,composite_fairing,diameter,meters}')) STORED,
    ADD COLUMN second_stage_fairing_diameter_ft numeric GENERATED ALWAYS AS (bronze.as_numeric(doc #> '{second_stage,payloads,composite_fairing,diameter,feet}')) STORED,
    ADD COLUMN engines_number                   integer GENERATED ALWAYS AS (bronze.as_integer(doc #> '{engines,number}')) STORED,
    ADD COLUMN engines_type                     text    GENERATED ALWAYS AS (bronze.as_text(doc #> '{engines,type}')) STORED,
    ADD COLUMN engines_version                  text    GENERATED ALWAYS AS (bronze.as_text(doc #> '{engines,version}')) STORED,
    ADD COLUMN engines_layout                   text    GENERATED ALWAYS AS (bronze.as_text(doc #> '{engines,layout}')) STORED,
    ADD COLUMN engines_isp_sea_level            numeric GENERATED ALWAYS AS (bronze.as_numeric(doc #> '{engines,isp,sea_level}')) STORED,
    ADD COLUMN engines_isp_vacuum               numeric GENERATED ALWAYS AS (bronze.as_numeric(doc #> '{engines,isp,vacuum}')) STORED,
    ADD COLUMN engines_engine_loss_max          numeric GENERATED ALWAYS AS (bronze.as_numeric(doc #> '{engines,engine_loss_max}')) STORED,
    ADD COLUMN engines_propellant_1             text    GENERATED ALWAYS AS (bronze.as_text(doc #> '{engines,propellant_1}')) STORED,
    ADD COLUMN engines_propellant_2             text    GENERATED ALWAYS AS (bronze.as_text(doc #> '{engines,propellant_2}')) STORED,
    ADD COLUMN engines_thrust_sea_level_kn      numeric GENERATED ALWAYS AS (bronze.as_numeric(doc #> '{engines,thrust_sea_level,kN}')) STORED,
    ADD COLUMN engines_thrust_sea_level_lbf     numeric GENERATED ALWAYS AS (bronze.as_numeric(doc #> '{engines,thrust_sea_level,lbf}')) STORED,
    ADD COLUMN engines_thrust_vacuum_kn         numeric GENERATED ALWAYS AS (bronze.as_numeric(doc #> '{engines,thrust_vacuum,kN}')) STORED,
    ADD COLUMN engines_thrust_vacuum_lbf        numeric GENERATED ALWAYS AS (bronze.as_numeric(doc #> '{engines,thrust_vacuum,lbf}')) STORED,
    ADD COLUMN engines_thrust_to_weight         numeric GENERATED ALWAYS AS (bronze.as_numeric(doc #> '{engines,thrust_to_weight}')) STORED,
    ADD COLUMN landing_legs_number              integer GENERATED ALWAYS AS (bronze.as_integer(doc #> '{landing_legs,number}')) STORED,
    ADD COLUMN landing_legs_material            text    GENERATED ALWAYS AS (bronze.as_text(doc #> '{landing_legs,material}')) STORED,
    ADD COLUMN flickr_images                    text[]  GENERATED ALWAYS AS (bronze.as_text_array(doc -> 'flickr_images')) STORED;

CREATE TABLE bronze.rocket_payload_weights (
    rocket_id text NOT NULL REFERENCES bronze.rockets ON DELETE CASCADE,
    weight_index integer NOT NULL,
    orbit_id text    GENERATED ALWAYS AS (bronze.as_text(elem -> 'id')) STORED,
    name     text    GENERATED ALWAYS AS (bronze.as_text(elem -> 'name')) STORED,
    kg       numeric GENERATED ALWAYS AS (bronze.as_numeric(elem -> 'kg')) STORED,
    lb       numeric GENERATED ALWAYS AS (bronze.as_numeric(elem -> 'lb')) STORED,
    LIKE meta.bronze_element INCLUDING DEFAULTS,
    PRIMARY KEY (rocket_id, weight_index)
);
COMMENT ON TABLE bronze.rocket_payload_weights IS 'rocket.payload_weights[]: payload capacity per orbit; orbit_id is a slug such as "leo", not a reference. One row per element, keyed by the parent''s id and the element''s zero-based position.';

-- launchpads: the image list; rockets[] and launches[] are bridges below.
ALTER TABLE bronze.launchpads
    ADD COLUMN images_large text[] GENERATED ALWAYS AS (bronze.as_text_array(doc #> '{images,large}')) STORED;

-- launches: the links the first migration left in doc.
ALTER TABLE bronze.launches
    ADD COLUMN patch_large_url      text   GENERATED ALWAYS AS (bronze.as_text(doc #> '{links,patch,large}')) STORED,
    ADD COLUMN reddit_campaign_url  text   GENERATED ALWAYS AS (bronze.as_text(doc #> '{links,reddit,campaign}')) STORED,
    ADD COLUMN reddit_launch_url    text   GENERATED ALWAYS AS (bronze.as_text(doc #> '{links,reddit,launch}')) STORED,
    ADD COLUMN reddit_media_url     text   GENERATED ALWAYS AS (bronze.as_text(doc #> '{links,reddit,media}')) STORED,
    ADD COLUMN reddit_recovery_url  text   GENERATED ALWAYS AS (bronze.as_text(doc #> '{links,reddit,recovery}')) STORED,
    ADD COLUMN flickr_small_urls    text[] GENERATED ALWAYS AS (bronze.as_text_array(doc #> '{links,flickr,small}')) STORED,
    ADD COLUMN flickr_original_urls text[] GENERATED ALWAYS AS (bronze.as_text_array(doc #> '{links,flickr,original}')) STORED,
    ADD COLUMN presskit_url         text   GENERATED ALWAYS AS (bronze.as_text(doc #> '{links,presskit}')) STORED,
    ADD COLUMN youtube_id           text   GENERATED ALWAYS AS (bronze.as_text(doc #> '{links,youtube_id}')) STORED;

CREATE TABLE bronze.dragons (
    id text PRIMARY KEY,
    name                        text    GENERATED ALWAYS AS (bronze.as_text(doc -> 'name')) STORED,
    type                        text    GENERATED ALWAYS AS (bronze.as_text(doc -> 'type')) STORED,
    active                      boolean GENERATED ALWAYS AS (bronze.as_boolean(doc -> 'active')) STORED,
    crew_capacity               integer GENERATED ALWAYS AS (bronze.as_integer(doc -> 'crew_capacity')) STORED,
    sidewall_angle_deg          numeric GENERATED ALWAYS AS (bronze.as_numeric(doc -> 'sidewall_angle_deg')) STORED,
    orbit_duration_yr           numeric GENERATED ALWAYS AS (bronze.as_numeric(doc -> 'orbit_duration_yr')) STORED,
    dry_mass_kg                 numeric GENERATED ALWAYS AS (bronze.as_numeric(doc -> 'dry_mass_kg')) STORED,
    dry_mass_lb                 numeric GENERATED ALWAYS AS (bronze.as_numeric(doc -> 'dry_mass_lb')) STORED,
    first_flight                date    GENERATED ALWAYS AS (bronze.as_date(doc -> 'first_flight')) STORED,
    heat_shield_material        text    GENERATED ALWAYS AS (bronze.as_text(doc #> '{heat_shield,material}')) STORED,
    heat_shield_size_meters     numeric GENERATED ALWAYS AS (bronze.as_numeric(doc #> '{heat_shield,size_meters}')) STORED,
    heat_shield_temp_degrees    numeric GENERATED ALWAYS AS (bronze.as_numeric(doc #> '{heat_shield,temp_degrees}')) STORED,
    heat_shield_dev_partner     text    GENERATED ALWAYS AS (bronze.as_text(doc #> '{heat_shield,dev_partner}')) STORED,
    launch_payload_mass_kg      numeric GENERATED ALWAYS AS (bronze.as_numeric(doc #> '{launch_payload_mass,kg}')) STORED,
    launch_payload_mass_lb      numeric GENERATED ALWAYS AS (bronze.as_numeric(doc #> '{launch_payload_mass,lb}')) STORED,
    launch_payload_vol_m3       numeric GENERATED ALWAYS AS (bronze.as_numeric(doc #> '{launch_payload_vol,cubic_meters}')) STORED,
    launch_payload_vol_ft3      numeric GENERATED ALWAYS AS (bronze.as_numeric(doc #> '{launch_payload_vol,cubic_feet}')) STORED,
    return_payload_mass_kg      numeric GENERATED ALWAYS AS (bronze.as_numeric(doc #> '{return_payload_mass,kg}')) STORED,
    return_payload_mass_lb      numeric GENERATED ALWAYS AS (bronze.as_numeric(doc #> '{return_payload_mass,lb}')) STORED,
    return_payload_vol_m3       numeric GENERATED ALWAYS AS (bronze.as_numeric(doc #> '{return_payload_vol,cubic_meters}')) STORED,
    return_payload_vol_ft3      numeric GENERATED ALWAYS AS (bronze.as_numeric(doc #> '{return_payload_vol,cubic_feet}')) STORED,
    pressurized_payload_vol_m3  numeric GENERATED ALWAYS AS (bronze.as_numeric(doc #> '{pressurized_capsule,payload_volume,cubic_meters}')) STORED,
    pressurized_payload_vol_ft3 numeric GENERATED ALWAYS AS (bronze.as_numeric(doc #> '{pressurized_capsule,payload_volume,cubic_feet}')) STORED,
    trunk_vol_m3                numeric GENERATED ALWAYS AS (bronze.as_numeric(doc #> '{trunk,trunk_volume,cubic_meters}')) STORED,
    trunk_vol_ft3               numeric GENERATED ALWAYS AS (bronze.as_numeric(doc #> '{trunk,trunk_volume,cubic_feet}')) STORED,
    trunk_cargo_solar_array     numeric GENERATED ALWAYS AS (bronze.as_numeric(doc #> '{trunk,cargo,solar_array}')) STORED,
    trunk_cargo_unpressurized   boolean GENERATED ALWAYS AS (bronze.as_boolean(doc #> '{trunk,cargo,unpressurized_cargo}')) STORED,
    height_w_trunk_m            numeric GENERATED ALWAYS AS (bronze.as_numeric(doc #> '{height_w_trunk,meters}')) STORED,
    height_w_trunk_ft           numeric GENERATED ALWAYS AS (bronze.as_numeric(doc #> '{height_w_trunk,feet}')) STORED,
    diameter_m                  numeric GENERATED ALWAYS AS (bronze.as_numeric(doc #> '{diameter,meters}')) STORED,
    diameter_ft                 numeric GENERATED ALWAYS AS (bronze.as_numeric(doc #> '{diameter,feet}')) STORED,
    flickr_images               text[]  GENERATED ALWAYS AS (bronze.as_text_array(doc -> 'flickr_images')) STORED,
    wikipedia                   text    GENERATED ALWAYS AS (bronze.as_text(doc -> 'wikipedia')) STORED,
    description                 text    GENERATED ALWAYS AS (bronze.as_text(doc -> 'description')) STORED,
    LIKE meta.bronze_record INCLUDING DEFAULTS
);
COMMENT ON TABLE bronze.dragons IS 'Dragon capsule types.';

CREATE TABLE bronze.dragon_thrusters (
    dragon_id text NOT NULL REFERENCES bronze.dragons ON DELETE CASCADE,
    thruster_index integer NOT NULL,
    type       text    GENERATED ALWAYS AS (bronze.as_text(elem -> 'type')) STORED,
    amount     integer GENERATED ALWAYS AS (bronze.as_integer(elem -> 'amount')) STORED,
    pods       integer GENERATED ALWAYS AS (bronze.as_integer(elem -> 'pods')) STORED,
    fuel_1     text    GENERATED ALWAYS AS (bronze.as_text(elem -> 'fuel_1')) STORED,
    fuel_2     text    GENERATED ALWAYS AS (bronze.as_text(elem -> 'fuel_2')) STORED,
    isp        numeric GENERATED ALWAYS AS (bronze.as_numeric(elem -> 'isp')) STORED,
    thrust_kn  numeric GENERATED ALWAYS AS (bronze.as_numeric(elem #> '{thrust,kN}')) STORED,
    thrust_lbf numeric GENERATED ALWAYS AS (bronze.as_numeric(elem #> '{thrust,lbf}')) STORED,
    LIKE meta.bronze_element INCLUDING DEFAULTS,
    PRIMARY KEY (dragon_id, thruster_index)
);
COMMENT ON TABLE bronze.dragon_thrusters IS 'dragon.thrusters[] (a Mixed field in the API''s model: the shape is the data''s). One row per element, keyed by the parent''s id and the element''s zero-based position.';

CREATE TABLE bronze.capsules (
    id text PRIMARY KEY,
    serial         text    GENERATED ALWAYS AS (bronze.as_text(doc -> 'serial')) STORED,
    status         text    GENERATED ALWAYS AS (bronze.as_text(doc -> 'status')) STORED,
    type           text    GENERATED ALWAYS AS (bronze.as_text(doc -> 'type')) STORED,
    dragon_id      text    GENERATED ALWAYS AS (bronze.as_id(doc -> 'dragon')) STORED,
    reuse_count    integer GENERATED ALWAYS AS (bronze.as_integer(doc -> 'reuse_count')) STORED,
    water_landings integer GENERATED ALWAYS AS (bronze.as_integer(doc -> 'water_landings')) STORED,
    land_landings  integer GENERATED ALWAYS AS (bronze.as_integer(doc -> 'land_landings')) STORED,
    last_update    text    GENERATED ALWAYS AS (bronze.as_text(doc -> 'last_update')) STORED,
    LIKE meta.bronze_record INCLUDING DEFAULTS
);
COMMENT ON TABLE bronze.capsules IS 'Dragon capsules flown (C101 ...).';

CREATE TABLE bronze.cores (
    id text PRIMARY KEY,
    serial        text    GENERATED ALWAYS AS (bronze.as_text(doc -> 'serial')) STORED,
    block         integer GENERATED ALWAYS AS (bronze.as_integer(doc -> 'block')) STORED,
    status        text    GENERATED ALWAYS AS (bronze.as_text(doc -> 'status')) STORED,
    reuse_count   integer GENERATED ALWAYS AS (bronze.as_integer(doc -> 'reuse_count')) STORED,
    rtls_attempts integer GENERATED ALWAYS AS (bronze.as_integer(doc -> 'rtls_attempts')) STORED,
    rtls_landings integer GENERATED ALWAYS AS (bronze.as_integer(doc -> 'rtls_landings')) STORED,
    asds_attempts integer GENERATED ALWAYS AS (bronze.as_integer(doc -> 'asds_attempts')) STORED,
    asds_landings integer GENERATED ALWAYS AS (bronze.as_integer(doc -> 'asds_landings')) STORED,
    last_update   text    GENERATED ALWAYS AS (bronze.as_text(doc -> 'last_update')) STORED,
    LIKE meta.bronze_record INCLUDING DEFAULTS
);
COMMENT ON TABLE bronze.cores IS 'First-stage cores (boosters).';

CREATE TABLE bronze.crew (
    id text PRIMARY KEY,
    name      text GENERATED ALWAYS AS (bronze.as_text(doc -> 'name')) STORED,
    agency    text GENERATED ALWAYS AS (bronze.as_text(doc -> 'agency')) STORED,
    image     text GENERATED ALWAYS AS (bronze.as_text(doc -> 'image')) STORED,
    wikipedia text GENERATED ALWAYS AS (bronze.as_text(doc -> 'wikipedia')) STORED,
    status    text GENERATED ALWAYS AS (bronze.as_text(doc -> 'status')) STORED,
    LIKE meta.bronze_record INCLUDING DEFAULTS
);
COMMENT ON TABLE bronze.crew IS 'Astronauts flown on crewed launches.';

CREATE TABLE bronze.ships (
    id text PRIMARY KEY,
    name            text        GENERATED ALWAYS AS (bronze.as_text(doc -> 'name')) STORED,
    legacy_id       text        GENERATED ALWAYS AS (bronze.as_text(doc -> 'legacy_id')) STORED,
    model           text        GENERATED ALWAYS AS (bronze.as_text(doc -> 'model')) STORED,
    type            text        GENERATED ALWAYS AS (bronze.as_text(doc -> 'type')) STORED,
    roles           text[]      GENERATED ALWAYS AS (bronze.as_text_array(doc -> 'roles')) STORED,
    active          boolean     GENERATED ALWAYS AS (bronze.as_boolean(doc -> 'active')) STORED,
    imo             integer     GENERATED ALWAYS AS (bronze.as_integer(doc -> 'imo')) STORED,
    mmsi            integer     GENERATED ALWAYS AS (bronze.as_integer(doc -> 'mmsi')) STORED,
    abs             integer     GENERATED ALWAYS AS (bronze.as_integer(doc -> 'abs')) STORED,
    class           integer     GENERATED ALWAYS AS (bronze.as_integer(doc -> 'class')) STORED,
    mass_kg         numeric     GENERATED ALWAYS AS (bronze.as_numeric(doc -> 'mass_kg')) STORED,
    mass_lbs        numeric     GENERATED ALWAYS AS (bronze.as_numeric(doc -> 'mass_lbs')) STORED,
    year_built      integer     GENERATED ALWAYS AS (bronze.as_integer(doc -> 'year_built')) STORED,
    home_port       text        GENERATED ALWAYS AS (bronze.as_text(doc -> 'home_port')) STORED,
    status          text        GENERATED ALWAYS AS (bronze.as_text(doc -> 'status')) STORED,
    speed_kn        numeric     GENERATED ALWAYS AS (bronze.as_numeric(doc -> 'speed_kn')) STORED,
    course_deg      numeric     GENERATED ALWAYS AS (bronze.as_numeric(doc -> 'course_deg')) STORED,
    latitude        numeric     GENERATED ALWAYS AS (bronze.as_numeric(doc -> 'latitude')) STORED,
    longitude       numeric     GENERATED ALWAYS AS (bronze.as_numeric(doc -> 'longitude')) STORED,
    last_ais_update timestamptz GENERATED ALWAYS AS (bronze.as_timestamptz(doc -> 'last_ais_update')) STORED,
    link            text        GENERATED ALWAYS AS (bronze.as_text(doc -> 'link')) STORED,
    image           text        GENERATED ALWAYS AS (bronze.as_text(doc -> 'image')) STORED,
    LIKE meta.bronze_record INCLUDING DEFAULTS
);
COMMENT ON TABLE bronze.ships IS 'Support ships (recovery, tugs, droneships).';

CREATE TABLE bronze.landpads (
    id text PRIMARY KEY,
    name              text    GENERATED ALWAYS AS (bronze.as_text(doc -> 'name')) STORED,
    full_name         text    GENERATED ALWAYS AS (bronze.as_text(doc -> 'full_name')) STORED,
    status            text    GENERATED ALWAYS AS (bronze.as_text(doc -> 'status')) STORED,
    type              text    GENERATED ALWAYS AS (bronze.as_text(doc -> 'type')) STORED,
    locality          text    GENERATED ALWAYS AS (bronze.as_text(doc -> 'locality')) STORED,
    region            text    GENERATED ALWAYS AS (bronze.as_text(doc -> 'region')) STORED,
    latitude          numeric GENERATED ALWAYS AS (bronze.as_numeric(doc -> 'latitude')) STORED,
    longitude         numeric GENERATED ALWAYS AS (bronze.as_numeric(doc -> 'longitude')) STORED,
    landing_attempts  integer GENERATED ALWAYS AS (bronze.as_integer(doc -> 'landing_attempts')) STORED,
    landing_successes integer GENERATED ALWAYS AS (bronze.as_integer(doc -> 'landing_successes')) STORED,
    wikipedia         text    GENERATED ALWAYS AS (bronze.as_text(doc -> 'wikipedia')) STORED,
    details           text    GENERATED ALWAYS AS (bronze.as_text(doc -> 'details')) STORED,
    images_large      text[]  GENERATED ALWAYS AS (bronze.as_text_array(doc #> '{images,large}')) STORED,
    LIKE meta.bronze_record INCLUDING DEFAULTS
);
COMMENT ON TABLE bronze.landpads IS 'Landing zones (RTLS) and droneships (ASDS).';

CREATE TABLE bronze.history (
    id text PRIMARY KEY,
    title           text        GENERATED ALWAYS AS (bronze.as_text(doc -> 'title')) STORED,
    event_date_utc  timestamptz GENERATED ALWAYS AS (bronze.as_timestamptz(doc -> 'event_date_utc')) STORED,
    event_date_unix bigint      GENERATED ALWAYS AS (bronze.as_bigint(doc -> 'event_date_unix')) STORED,
    details         text        GENERATED ALWAYS AS (bronze.as_text(doc -> 'details')) STORED,
    article_url     text        GENERATED ALWAYS AS (bronze.as_text(doc #> '{links,article}')) STORED,
    LIKE meta.bronze_record INCLUDING DEFAULTS
);
COMMENT ON TABLE bronze.history IS 'Milestones in SpaceX''s history.';

CREATE TABLE bronze.company (
    id text PRIMARY KEY,
    name                 text    GENERATED ALWAYS AS (bronze.as_text(doc -> 'name')) STORED,
    founder              text    GENERATED ALWAYS AS (bronze.as_text(doc -> 'founder')) STORED,
    founded              integer GENERATED ALWAYS AS (bronze.as_integer(doc -> 'founded')) STORED,
    employees            integer GENERATED ALWAYS AS (bronze.as_integer(doc -> 'employees')) STORED,
    vehicles             integer GENERATED ALWAYS AS (bronze.as_integer(doc -> 'vehicles')) STORED,
    launch_sites         integer GENERATED ALWAYS AS (bronze.as_integer(doc -> 'launch_sites')) STORED,
    test_sites           integer GENERATED ALWAYS AS (bronze.as_integer(doc -> 'test_sites')) STORED,
    ceo                  text    GENERATED ALWAYS AS (bronze.as_text(doc -> 'ceo')) STORED,
    cto                  text    GENERATED ALWAYS AS (bronze.as_text(doc -> 'cto')) STORED,
    coo                  text    GENERATED ALWAYS AS (bronze.as_text(doc -> 'coo')) STORED,
    cto_propulsion       text    GENERATED ALWAYS AS (bronze.as_text(doc -> 'cto_propulsion')) STORED,
    valuation            numeric GENERATED ALWAYS AS (bronze.as_numeric(doc -> 'valuation')) STORED,
    summary              text    GENERATED ALWAYS AS (bronze.as_text(doc -> 'summary')) STORED,
    headquarters_address text    GENERATED ALWAYS AS (bronze.as_text(doc #> '{headquarters,address}')) STORED,
    headquarters_city    text    GENERATED ALWAYS AS (bronze.as_text(doc #> '{headquarters,city}')) STORED,
    headquarters_state   text    GENERATED ALWAYS AS (bronze.as_text(doc #> '{headquarters,state}')) STORED,
    website_url          text    GENERATED ALWAYS AS (bronze.as_text(doc #> '{links,website}')) STORED,
    flickr_url           text    GENERATED ALWAYS AS (bronze.as_text(doc #> '{links,flickr}')) STORED,
    twitter_url          text    GENERATED ALWAYS AS (bronze.as_text(doc #> '{links,twitter}')) STORED,
    elon_twitter_url     text    GENERATED ALWAYS AS (bronze.as_text(doc #> '{links,elon_twitter}')) STORED,
    LIKE meta.bronze_record INCLUDING DEFAULTS
);
COMMENT ON TABLE bronze.company IS 'The company: one row (GET /v4/company returns one object).';

CREATE TABLE bronze.roadster (
    id text PRIMARY KEY,
    name               text        GENERATED ALWAYS AS (bronze.as_text(doc -> 'name')) STORED,
    launch_date_utc    timestamptz GENERATED ALWAYS AS (bronze.as_timestamptz(doc -> 'launch_date_utc')) STORED,
    launch_date_unix   bigint      GENERATED ALWAYS AS (bronze.as_bigint(doc -> 'launch_date_unix')) STORED,
    launch_mass_kg     numeric     GENERATED ALWAYS AS (bronze.as_numeric(doc -> 'launch_mass_kg')) STORED,
    launch_mass_lbs    numeric     GENERATED ALWAYS AS (bronze.as_numeric(doc -> 'launch_mass_lbs')) STORED,
    norad_id           integer     GENERATED ALWAYS AS (bronze.as_integer(doc -> 'norad_id')) STORED,
    epoch_jd           numeric     GENERATED ALWAYS AS (bronze.as_numeric(doc -> 'epoch_jd')) STORED,
    orbit_type         text        GENERATED ALWAYS AS (bronze.as_text(doc -> 'orbit_type')) STORED,
    apoapsis_au        numeric     GENERATED ALWAYS AS (bronze.as_numeric(doc -> 'apoapsis_au')) STORED,
    periapsis_au       numeric     GENERATED ALWAYS AS (bronze.as_numeric(doc -> 'periapsis_au')) STORED,
    semi_major_axis_au numeric     GENERATED ALWAYS AS (bronze.as_numeric(doc -> 'semi_major_axis_au')) STORED,
    eccentricity       numeric     GENERATED ALWAYS AS (bronze.as_numeric(doc -> 'eccentricity')) STORED,
    inclination        numeric     GENERATED ALWAYS AS (bronze.as_numeric(doc -> 'inclination')) STORED,
    longitude          numeric     GENERATED ALWAYS AS (bronze.as_numeric(doc -> 'longitude')) STORED,
    periapsis_arg      numeric     GENERATED ALWAYS AS (bronze.as_numeric(doc -> 'periapsis_arg')) STORED,
    period_days        numeric     GENERATED ALWAYS AS (bronze.as_numeric(doc -> 'period_days')) STORED,
    speed_kph          numeric     GENERATED ALWAYS AS (bronze.as_numeric(doc -> 'speed_kph')) STORED,
    speed_mph          numeric     GENERATED ALWAYS AS (bronze.as_numeric(doc -> 'speed_mph')) STORED,
    earth_distance_km  numeric     GENERATED ALWAYS AS (bronze.as_numeric(doc -> 'earth_distance_km')) STORED,
    earth_distance_mi  numeric     GENERATED ALWAYS AS (bronze.as_numeric(doc -> 'earth_distance_mi')) STORED,
    mars_distance_km   numeric     GENERATED ALWAYS AS (bronze.as_numeric(doc -> 'mars_distance_km')) STORED,
    mars_distance_mi   numeric     GENERATED ALWAYS AS (bronze.as_numeric(doc -> 'mars_distance_mi')) STORED,
    flickr_images      text[]      GENERATED ALWAYS AS (bronze.as_text_array(doc -> 'flickr_images')) STORED,
    wikipedia          text        GENERATED ALWAYS AS (bronze.as_text(doc -> 'wikipedia')) STORED,
    video              text        GENERATED ALWAYS AS (bronze.as_text(doc -> 'video')) STORED,
    details            text        GENERATED ALWAYS AS (bronze.as_text(doc -> 'details')) STORED,
    LIKE meta.bronze_record INCLUDING DEFAULTS
);
COMMENT ON TABLE bronze.roadster IS 'Elon Musk''s Tesla Roadster: one row (GET /v4/roadster returns one object).';

CREATE TABLE bronze.starlink (
    id text PRIMARY KEY,
    version                text        GENERATED ALWAYS AS (bronze.as_text(doc -> 'version')) STORED,
    launch_id              text        GENERATED ALWAYS AS (bronze.as_id(doc -> 'launch')) STORED,
    longitude              numeric     GENERATED ALWAYS AS (bronze.as_numeric(doc -> 'longitude')) STORED,
    latitude               numeric     GENERATED ALWAYS AS (bronze.as_numeric(doc -> 'latitude')) STORED,
    height_km              numeric     GENERATED ALWAYS AS (bronze.as_numeric(doc -> 'height_km')) STORED,
    velocity_kms           numeric     GENERATED ALWAYS AS (bronze.as_numeric(doc -> 'velocity_kms')) STORED,
    st_ccsds_omm_vers      text        GENERATED ALWAYS AS (bronze.as_text(doc #> '{spaceTrack,CCSDS_OMM_VERS}')) STORED,
    st_comment             text        GENERATED ALWAYS AS (bronze.as_text(doc #> '{spaceTrack,COMMENT}')) STORED,
    st_creation_date       timestamptz GENERATED ALWAYS AS (bronze.as_timestamptz(doc #> '{spaceTrack,CREATION_DATE}')) STORED,
    st_originator          text        GENERATED ALWAYS AS (bronze.as_text(doc #> '{spaceTrack,ORIGINATOR}')) STORED,
    st_object_name         text        GENERATED ALWAYS AS (bronze.as_text(doc #> '{spaceTrack,OBJECT_NAME}')) STORED,
    st_object_id           text        GENERATED ALWAYS AS (bronze.as_text(doc #> '{spaceTrack,OBJECT_ID}')) STORED,
    st_center_name         text        GENERATED ALWAYS AS (bronze.as_text(doc #> '{spaceTrack,CENTER_NAME}')) STORED,
    st_ref_frame           text        GENERATED ALWAYS AS (bronze.as_text(doc #> '{spaceTrack,REF_FRAME}')) STORED,
    st_time_system         text        GENERATED ALWAYS AS (bronze.as_text(doc #> '{spaceTrack,TIME_SYSTEM}')) STORED,
    st_mean_element_theory text        GENERATED ALWAYS AS (bronze.as_text(doc #> '{spaceTrack,MEAN_ELEMENT_THEORY}')) STORED,
    st_epoch               timestamptz GENERATED ALWAYS AS (bronze.as_timestamptz(doc #> '{spaceTrack,EPOCH}')) STORED,
    st_mean_motion         numeric     GENERATED ALWAYS AS (bronze.as_numeric(doc #> '{spaceTrack,MEAN_MOTION}')) STORED,
    st_eccentricity        numeric     GENERATED ALWAYS AS (bronze.as_numeric(doc #> '{spaceTrack,ECCENTRICITY}')) STORED,
    st_inclination         numeric     GENERATED ALWAYS AS (bronze.as_numeric(doc #> '{spaceTrack,INCLINATION}')) STORED,
    st_ra_of_asc_node      numeric     GENERATED ALWAYS AS (bronze.as_numeric(doc #> '{spaceTrack,RA_OF_ASC_NODE}')) STORED,
    st_arg_of_pericenter   numeric     GENERATED ALWAYS AS (bronze.as_numeric(doc #> '{spaceTrack,ARG_OF_PERICENTER}')) STORED,
    st_mean_anomaly        numeric     GENERATED ALWAYS AS (bronze.as_numeric(doc #> '{spaceTrack,MEAN_ANOMALY}')) STORED,
    st_ephemeris_type      integer     GENERATED ALWAYS AS (bronze.as_integer(doc #> '{spaceTrack,EPHEMERIS_TYPE}')) STORED,
    st_classification_type text        GENERATED ALWAYS AS (bronze.as_text(doc #> '{spaceTrack,CLASSIFICATION_TYPE}')) STORED,
    st_norad_cat_id        integer     GENERATED ALWAYS AS (bronze.as_integer(doc #> '{spaceTrack,NORAD_CAT_ID}')) STORED,
    st_element_set_no      integer     GENERATED ALWAYS AS (bronze.as_integer(doc #> '{spaceTrack,ELEMENT_SET_NO}')) STORED,
    st_rev_at_epoch        integer     GENERATED ALWAYS AS (bronze.as_integer(doc #> '{spaceTrack,REV_AT_EPOCH}')) STORED,
    st_bstar               numeric     GENERATED ALWAYS AS (bronze.as_numeric(doc #> '{spaceTrack,BSTAR}')) STORED,
    st_mean_motion_dot     numeric     GENERATED ALWAYS AS (bronze.as_numeric(doc #> '{spaceTrack,MEAN_MOTION_DOT}')) STORED,
    st_mean_motion_ddot    numeric     GENERATED ALWAYS AS (bronze.as_numeric(doc #> '{spaceTrack,MEAN_MOTION_DDOT}')) STORED,
    st_semimajor_axis      numeric     GENERATED ALWAYS AS (bronze.as_numeric(doc #> '{spaceTrack,SEMIMAJOR_AXIS}')) STORED,
    st_period              numeric     GENERATED ALWAYS AS (bronze.as_numeric(doc #> '{spaceTrack,PERIOD}')) STORED,
    st_apoapsis            numeric     GENERATED ALWAYS AS (bronze.as_numeric(doc #> '{spaceTrack,APOAPSIS}')) STORED,
    st_periapsis           numeric     GENERATED ALWAYS AS (bronze.as_numeric(doc #> '{spaceTrack,PERIAPSIS}')) STORED,
    st_object_type         text        GENERATED ALWAYS AS (bronze.as_text(doc #> '{spaceTrack,OBJECT_TYPE}')) STORED,
    st_rcs_size            text        GENERATED ALWAYS AS (bronze.as_text(doc #> '{spaceTrack,RCS_SIZE}')) STORED,
    st_country_code        text        GENERATED ALWAYS AS (bronze.as_text(doc #> '{spaceTrack,COUNTRY_CODE}')) STORED,
    st_launch_date         date        GENERATED ALWAYS AS (bronze.as_date(doc #> '{spaceTrack,LAUNCH_DATE}')) STORED,
    st_site                text        GENERATED ALWAYS AS (bronze.as_text(doc #> '{spaceTrack,SITE}')) STORED,
    st_decay_date          date        GENERATED ALWAYS AS (bronze.as_date(doc #> '{spaceTrack,DECAY_DATE}')) STORED,
    st_decayed             integer     GENERATED ALWAYS AS (bronze.as_integer(doc #> '{spaceTrack,DECAYED}')) STORED,
    st_file                integer     GENERATED ALWAYS AS (bronze.as_integer(doc #> '{spaceTrack,FILE}')) STORED,
    st_gp_id               integer     GENERATED ALWAYS AS (bronze.as_integer(doc #> '{spaceTrack,GP_ID}')) STORED,
    st_tle_line0           text        GENERATED ALWAYS AS (bronze.as_text(doc #> '{spaceTrack,TLE_LINE0}')) STORED,
    st_tle_line1           text        GENERATED ALWAYS AS (bronze.as_text(doc #> '{spaceTrack,TLE_LINE1}')) STORED,
    st_tle_line2           text        GENERATED ALWAYS AS (bronze.as_text(doc #> '{spaceTrack,TLE_LINE2}')) STORED,
    LIKE meta.bronze_record INCLUDING DEFAULTS
);
COMMENT ON TABLE bronze.starlink IS 'Starlink satellites; st_* are the Space-Track OMM record (spaceTrack), one column per key.';
CREATE INDEX starlink_launch_id_idx ON bronze.starlink (launch_id);

-- Bridges of launches: one row per element of an array of a launch.
CREATE TABLE bronze.launch_ships (
    launch_id text NOT NULL REFERENCES bronze.launches ON DELETE CASCADE,
    ship_index integer NOT NULL,
    ship_id text GENERATED ALWAYS AS (bronze.as_id(elem)) STORED,
    LIKE meta.bronze_element INCLUDING DEFAULTS,
    PRIMARY KEY (launch_id, ship_index)
);
COMMENT ON TABLE bronze.launch_ships IS 'launch.ships[]: the ships that supported the launch. One row per element, keyed by the parent''s id and the element''s zero-based position.';
CREATE INDEX launch_ships_ship_id_idx ON bronze.launch_ships (ship_id);

CREATE TABLE bronze.launch_capsules (
    launch_id text NOT NULL REFERENCES bronze.launches ON DELETE CASCADE,
    capsule_index integer NOT NULL,
    capsule_id text GENERATED ALWAYS AS (bronze.as_id(elem)) STORED,
    LIKE meta.bronze_element INCLUDING DEFAULTS,
    PRIMARY KEY (launch_id, capsule_index)
);
COMMENT ON TABLE bronze.launch_capsules IS 'launch.capsules[]: the Dragon capsules flown. One row per element, keyed by the parent''s id and the element''s zero-based position.';
CREATE INDEX launch_capsules_capsule_id_idx ON bronze.launch_capsules (capsule_id);

CREATE TABLE bronze.launch_failures (
    launch_id text NOT NULL REFERENCES bronze.launches ON DELETE CASCADE,
    failure_index integer NOT NULL,
    time_sec integer GENERATED ALWAYS AS (bronze.as_integer(elem -> 'time')) STORED,
    altitude integer GENERATED ALWAYS AS (bronze.as_integer(elem -> 'altitude')) STORED,
    reason   text    GENERATED ALWAYS AS (bronze.as_text(elem -> 'reason')) STORED,
    LIKE meta.bronze_element INCLUDING DEFAULTS,
    PRIMARY KEY (launch_id, failure_index)
);
COMMENT ON TABLE bronze.launch_failures IS 'launch.failures[]: what went wrong, seconds after liftoff. One row per element, keyed by the parent''s id and the element''s zero-based position.';

CREATE TABLE bronze.launch_fairing_ships (
    launch_id text NOT NULL REFERENCES bronze.launches ON DELETE CASCADE,
    ship_index integer NOT NULL,
    ship_id text GENERATED ALWAYS AS (bronze.as_id(elem)) STORED,
    LIKE meta.bronze_element INCLUDING DEFAULTS,
    PRIMARY KEY (launch_id, ship_index)
);
COMMENT ON TABLE bronze.launch_fairing_ships IS 'launch.fairings.ships[]: the ships sent to recover the fairing halves. One row per element, keyed by the parent''s id and the element''s zero-based position.';
CREATE INDEX launch_fairing_ships_ship_id_idx ON bronze.launch_fairing_ships (ship_id);

-- Reverse launch lists: denormalised copies the API keeps on the other
-- side of a launch's references. They disagree with the launch side in the
-- real data, so they are stored as they are, and loader check compares them.
CREATE TABLE bronze.capsule_launches (
    capsule_id text NOT NULL REFERENCES bronze.capsules ON DELETE CASCADE,
    launch_index integer NOT NULL,
    launch_id text GENERATED ALWAYS AS (bronze.as_id(elem)) STORED,
    LIKE meta.bronze_element INCLUDING DEFAULTS,
    PRIMARY KEY (capsule_id, launch_index)
);
COMMENT ON TABLE bronze.capsule_launches IS 'capsule.launches[] One row per element, keyed by the parent''s id and the element''s zero-based position.';
CREATE INDEX capsule_launches_launch_id_idx ON bronze.capsule_launches (launch_id);

CREATE TABLE bronze.core_launches (
    core_id text NOT NULL REFERENCES bronze.cores ON DELETE CASCADE,
    launch_index integer NOT NULL,
    launch_id text GENERATED ALWAYS AS (bronze.as_id(elem)) STORED,
    LIKE meta.bronze_element INCLUDING DEFAULTS,
    PRIMARY KEY (core_id, launch_index)
);
COMMENT ON TABLE bronze.core_launches IS 'core.launches[] One row per element, keyed by the parent''s id and the element''s zero-based position.';
CREATE INDEX core_launches_launch_id_idx ON bronze.core_launches (launch_id);

CREATE TABLE bronze.crew_launches (
    crew_id text NOT NULL REFERENCES bronze.crew ON DELETE CASCADE,
    launch_index integer NOT NULL,
    launch_id text GENERATED ALWAYS AS (bronze.as_id(elem)) STORED,
    LIKE meta.bronze_element INCLUDING DEFAULTS,
    PRIMARY KEY (crew_id, launch_index)
);
COMMENT ON TABLE bronze.crew_launches IS 'crew.launches[] One row per element, keyed by the parent''s id and the element''s zero-based position.';
CREATE INDEX crew_launches_launch_id_idx ON bronze.crew_launches (launch_id);

CREATE TABLE bronze.ship_launches (
    ship_id text NOT NULL REFERENCES bronze.ships ON DELETE CASCADE,
    launch_index integer NOT NULL,
    launch_id text GENERATED ALWAYS AS (bronze.as_id(elem)) STORED,
    LIKE meta.bronze_element INCLUDING DEFAULTS,
    PRIMARY KEY (ship_id, launch_index)
);
COMMENT ON TABLE bronze.ship_launches IS 'ship.launches[] One row per element, keyed by the parent''s id and the element''s zero-based position.';
CREATE INDEX ship_launches_launch_id_idx ON bronze.ship_launches (launch_id);

CREATE TABLE bronze.landpad_launches (
    landpad_id text NOT NULL REFERENCES bronze.landpads ON DELETE CASCADE,
    launch_index integer NOT NULL,
    launch_id text GENERATED ALWAYS AS (bronze.as_id(elem)) STORED,
    LIKE meta.bronze_element INCLUDING DEFAULTS,
    PRIMARY KEY (landpad_id, launch_index)
);
COMMENT ON TABLE bronze.landpad_launches IS 'landpad.launches[] One row per element, keyed by the parent''s id and the element''s zero-based position.';
CREATE INDEX landpad_launches_launch_id_idx ON bronze.landpad_launches (launch_id);

CREATE TABLE bronze.launchpad_launches (
    launchpad_id text NOT NULL REFERENCES bronze.launchpads ON DELETE CASCADE,
    launch_index integer NOT NULL,
    launch_id text GENERATED ALWAYS AS (bronze.as_id(elem)) STORED,
    LIKE meta.bronze_element INCLUDING DEFAULTS,
    PRIMARY KEY (launchpad_id, launch_index)
);
COMMENT ON TABLE bronze.launchpad_launches IS 'launchpad.launches[] One row per element, keyed by the parent''s id and the element''s zero-based position.';
CREATE INDEX launchpad_launches_launch_id_idx ON bronze.launchpad_launches (launch_id);

CREATE TABLE bronze.launchpad_rockets (
    launchpad_id text NOT NULL REFERENCES bronze.launchpads ON DELETE CASCADE,
    rocket_index integer NOT NULL,
    rocket_id text GENERATED ALWAYS AS (bronze.as_id(elem)) STORED,
    LIKE meta.bronze_element INCLUDING DEFAULTS,
    PRIMARY KEY (launchpad_id, rocket_index)
);
COMMENT ON TABLE bronze.launchpad_rockets IS 'launchpad.rockets[]: the rockets the pad supports. One row per element, keyed by the parent''s id and the element''s zero-based position.';
CREATE INDEX launchpad_rockets_rocket_id_idx ON bronze.launchpad_rockets (rocket_id);

-- Arrays of payloads, also as bridges, for joins.
CREATE TABLE bronze.payload_customers (
    payload_id text NOT NULL REFERENCES bronze.payloads ON DELETE CASCADE,
    customer_index integer NOT NULL,
    customer text GENERATED ALWAYS AS (bronze.as_text(elem)) STORED,
    LIKE meta.bronze_element INCLUDING DEFAULTS,
    PRIMARY KEY (payload_id, customer_index)
);
COMMENT ON TABLE bronze.payload_customers IS 'payload.customers[] One row per element, keyed by the parent''s id and the element''s zero-based position.';

CREATE TABLE bronze.payload_nationalities (
    payload_id text NOT NULL REFERENCES bronze.payloads ON DELETE CASCADE,
    nationality_index integer NOT NULL,
    nationality text GENERATED ALWAYS AS (bronze.as_text(elem)) STORED,
    LIKE meta.bronze_element INCLUDING DEFAULTS,
    PRIMARY KEY (payload_id, nationality_index)
);
COMMENT ON TABLE bronze.payload_nationalities IS 'payload.nationalities[] One row per element, keyed by the parent''s id and the element''s zero-based position.';

CREATE TABLE bronze.payload_manufacturers (
    payload_id text NOT NULL REFERENCES bronze.payloads ON DELETE CASCADE,
    manufacturer_index integer NOT NULL,
    manufacturer text GENERATED ALWAYS AS (bronze.as_text(elem)) STORED,
    LIKE meta.bronze_element INCLUDING DEFAULTS,
    PRIMARY KEY (payload_id, manufacturer_index)
);
COMMENT ON TABLE bronze.payload_manufacturers IS 'payload.manufacturers[] One row per element, keyed by the parent''s id and the element''s zero-based position.';

CREATE TABLE bronze.payload_norad_ids (
    payload_id text NOT NULL REFERENCES bronze.payloads ON DELETE CASCADE,
    norad_id_index integer NOT NULL,
    norad_id integer GENERATED ALWAYS AS (bronze.as_integer(elem)) STORED,
    LIKE meta.bronze_element INCLUDING DEFAULTS,
    PRIMARY KEY (payload_id, norad_id_index)
);
COMMENT ON TABLE bronze.payload_norad_ids IS 'payload.norad_ids[] One row per element, keyed by the parent''s id and the element''s zero-based position.';

-- migrate:down

-- The gold views read the tables dropped here: drop them all, and make
-- `loader migrate` create them again (those of this version's files).
DO $$
DECLARE
    v name;
BEGIN
    FOR v IN SELECT matviewname FROM pg_matviews WHERE schemaname = 'gold' LOOP
        EXECUTE format('DROP MATERIALIZED VIEW IF EXISTS gold.%I CASCADE', v);
    END LOOP;
END
$$;
DELETE FROM meta.applied_sql WHERE kind = 'view';

DROP TABLE bronze.payload_norad_ids;

DROP TABLE bronze.payload_manufacturers;

DROP TABLE bronze.payload_nationalities;

DROP TABLE bronze.payload_customers;

DROP TABLE bronze.launchpad_rockets;

DROP TABLE bronze.launchpad_launches;

DROP TABLE bronze.landpad_launches;

DROP TABLE bronze.ship_launches;

DROP TABLE bronze.crew_launches;

DROP TABLE bronze.core_launches;

DROP TABLE bronze.capsule_launches;

DROP TABLE bronze.launch_fairing_ships;

DROP TABLE bronze.launch_failures;

DROP TABLE bronze.launch_capsules;

DROP TABLE bronze.launch_ships;

DROP TABLE bronze.starlink;

DROP TABLE bronze.roadster;

DROP TABLE bronze.company;

DROP TABLE bronze.history;

DROP TABLE bronze.landpads;

DROP TABLE bronze.ships;

DROP TABLE bronze.crew;

DROP TABLE bronze.cores;

DROP TABLE bronze.capsules;

DROP TABLE bronze.dragon_thrusters;

DROP TABLE bronze.dragons;

DROP TABLE bronze.rocket_payload_weights;

ALTER TABLE bronze.rockets
    DROP COLUMN height_ft,
    DROP COLUMN diameter_ft,
    DROP COLUMN mass_lb,
    DROP COLUMN first_stage_reusable,
    DROP COLUMN first_stage_engines,
    DROP COLUMN first_stage_fuel_amount_tons,
    DROP COLUMN first_stage_burn_time_sec,
    DROP COLUMN first_stage_thrust_sea_level_kn,
    DROP COLUMN first_stage_thrust_sea_level_lbf,
    DROP COLUMN first_stage_thrust_vacuum_kn,
    DROP COLUMN first_stage_thrust_vacuum_lbf,
    DROP COLUMN second_stage_reusable,
    DROP COLUMN second_stage_engines,
    DROP COLUMN second_stage_fuel_amount_tons,
    DROP COLUMN second_stage_burn_time_sec,
    DROP COLUMN second_stage_thrust_kn,
    DROP COLUMN second_stage_thrust_lbf,
    DROP COLUMN second_stage_payload_option_1,
    DROP COLUMN second_stage_fairing_height_m,
    DROP COLUMN second_stage_fairing_height_ft,
    DROP COLUMN second_stage_fairing_diameter_m,
    DROP COLUMN second_stage_fairing_diameter_ft,
    DROP COLUMN engines_number,
    DROP COLUMN engines_type,
    DROP COLUMN engines_version,
    DROP COLUMN engines_layout,
    DROP COLUMN engines_isp_sea_level,
    DROP COLUMN engines_isp_vacuum,
    DROP COLUMN engines_engine_loss_max,
    DROP COLUMN engines_propellant_1,
    DROP COLUMN engines_propellant_2,
    DROP COLUMN engines_thrust_sea_level_kn,
    DROP COLUMN engines_thrust_sea_level_lbf,
    DROP COLUMN engines_thrust_vacuum_kn,
    DROP COLUMN engines_thrust_vacuum_lbf,
    DROP COLUMN engines_thrust_to_weight,
    DROP COLUMN landing_legs_number,
    DROP COLUMN landing_legs_material,
    DROP COLUMN flickr_images;

ALTER TABLE bronze.launchpads
    DROP COLUMN images_large;

ALTER TABLE bronze.launches
    DROP COLUMN patch_large_url,
    DROP COLUMN reddit_campaign_url,
    DROP COLUMN reddit_launch_url,
    DROP COLUMN reddit_media_url,
    DROP COLUMN reddit_recovery_url,
    DROP COLUMN flickr_small_urls,
    DROP COLUMN flickr_original_urls,
    DROP COLUMN presskit_url,
    DROP COLUMN youtube_id;

DROP MATERIALIZED VIEW IF EXISTS gold.rocket_cost_efficiency;
DELETE FROM meta.applied_sql WHERE kind = 'view';
ALTER TABLE bronze.payloads
    DROP COLUMN launch_id,
    DROP COLUMN dragon_capsule_id,
    ADD COLUMN launch_id         text GENERATED ALWAYS AS (bronze.as_text(doc -> 'launch')) STORED,
    ADD COLUMN dragon_capsule_id text GENERATED ALWAYS AS (bronze.as_text(doc #> '{dragon,capsule}')) STORED;
CREATE INDEX payloads_launch_id_idx ON bronze.payloads USING hash (launch_id);
CREATE INDEX payloads_dragon_capsule_id_idx ON bronze.payloads USING hash (dragon_capsule_id);
ALTER TABLE bronze.launches
    DROP COLUMN rocket_id,
    DROP COLUMN launchpad_id,
    ADD COLUMN rocket_id    text GENERATED ALWAYS AS (bronze.as_text(doc -> 'rocket')) STORED,
    ADD COLUMN launchpad_id text GENERATED ALWAYS AS (bronze.as_text(doc -> 'launchpad')) STORED;
CREATE INDEX launches_rocket_id_idx ON bronze.launches USING hash (rocket_id);
CREATE INDEX launches_launchpad_id_idx ON bronze.launches USING hash (launchpad_id);
ALTER TABLE bronze.launch_payloads
    DROP COLUMN payload_id,
    ADD COLUMN payload_id text GENERATED ALWAYS AS (bronze.as_text(elem)) STORED;
CREATE INDEX launch_payloads_payload_id_idx ON bronze.launch_payloads USING hash (payload_id);
ALTER TABLE bronze.launch_cores
    DROP COLUMN core_id,
    DROP COLUMN landpad_id,
    ADD COLUMN core_id    text GENERATED ALWAYS AS (bronze.as_text(elem -> 'core')) STORED,
    ADD COLUMN landpad_id text GENERATED ALWAYS AS (bronze.as_text(elem -> 'landpad')) STORED;
CREATE INDEX launch_cores_core_id_idx ON bronze.launch_cores USING hash (core_id);
CREATE INDEX launch_cores_landpad_id_idx ON bronze.launch_cores USING hash (landpad_id);
ALTER TABLE bronze.launch_crew
    DROP COLUMN crew_id,
    DROP COLUMN role,
    ADD COLUMN crew_id text GENERATED ALWAYS AS (bronze.as_text(coalesce(elem -> 'crew', elem))) STORED,
    ADD COLUMN role    text GENERATED ALWAYS AS (bronze.as_text(jsonb_path_query_first(elem, '$.role'))) STORED;
CREATE INDEX launch_crew_crew_id_idx ON bronze.launch_crew USING hash (crew_id);
DROP FUNCTION bronze.as_id(jsonb);

-- The previous schema has no absent resources: their ledger rows go.
DELETE FROM meta.run_resources WHERE absent;
ALTER TABLE meta.run_resources
    DROP COLUMN absent,
    ALTER COLUMN landed_run_id SET NOT NULL,
    ALTER COLUMN extract_sha256 SET NOT NULL;
