\restrict dbmate

-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: bronze; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA bronze;


--
-- Name: SCHEMA bronze; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON SCHEMA bronze IS 'Typed tables normalised from landing. Keys are the API ids; each typed column is generated from the stored document.';


--
-- Name: gold; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA gold;


--
-- Name: SCHEMA gold; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON SCHEMA gold IS 'Analyst-facing metrics, materialized views defined in db/views/.';


--
-- Name: landing; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA landing;


--
-- Name: SCHEMA landing; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON SCHEMA landing IS 'Raw API documents exactly as extracted, one row per array element, partitioned by run.';


--
-- Name: meta; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA meta;


--
-- Name: SCHEMA meta; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON SCHEMA meta IS 'Run ledger and loader bookkeeping.';


--
-- Name: typed_arrays; Type: TYPE; Schema: bronze; Owner: -
--

CREATE TYPE bronze.typed_arrays AS (
	texts text[],
	numbers numeric[]
);


--
-- Name: TYPE typed_arrays; Type: COMMENT; Schema: bronze; Owner: -
--

COMMENT ON TYPE bronze.typed_arrays IS 'A JSON array made an SQL array by jsonb_populate_record, in bronze.as_text_array and bronze.as_integer_array.';


--
-- Name: as_bigint(jsonb); Type: FUNCTION; Schema: bronze; Owner: -
--

CREATE FUNCTION bronze.as_bigint(v jsonb) RETURNS bigint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN ((jsonb_typeof(v) = 'number'::text) AND ((v)::numeric = trunc((v)::numeric)) AND (((v)::numeric >= ('-9223372036854775808'::bigint)::numeric) AND ((v)::numeric <= ('9223372036854775807'::bigint)::numeric))) THEN ((v)::numeric)::bigint ELSE NULL::bigint END;


--
-- Name: as_boolean(jsonb); Type: FUNCTION; Schema: bronze; Owner: -
--

CREATE FUNCTION bronze.as_boolean(v jsonb) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN (jsonb_typeof(v) = 'boolean'::text) THEN (v)::boolean ELSE NULL::boolean END;


--
-- Name: as_date(jsonb); Type: FUNCTION; Schema: bronze; Owner: -
--

CREATE FUNCTION bronze.as_date(v jsonb) RETURNS date
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    AS $_$
DECLARE
    s text := CASE WHEN jsonb_typeof(v) = 'string' THEN v #>> '{}' END;
BEGIN
    IF s !~ '^[0-9]{4}-[0-9][0-9]-[0-9][0-9]$'
       OR NOT bronze.is_date(substr(s, 1, 4)::integer, substr(s, 6, 2)::integer, substr(s, 9, 2)::integer) THEN
        RETURN NULL;
    END IF;
    RETURN make_date(substr(s, 1, 4)::integer, substr(s, 6, 2)::integer, substr(s, 9, 2)::integer);
END
$_$;


--
-- Name: as_id(jsonb); Type: FUNCTION; Schema: bronze; Owner: -
--

CREATE FUNCTION bronze.as_id(v jsonb) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN ((jsonb_typeof(v) = ANY (ARRAY['string'::text, 'number'::text])) AND ((octet_length((v #>> '{}'::text[])) >= 1) AND (octet_length((v #>> '{}'::text[])) <= 256))) THEN (v #>> '{}'::text[]) ELSE NULL::text END;


--
-- Name: as_integer(jsonb); Type: FUNCTION; Schema: bronze; Owner: -
--

CREATE FUNCTION bronze.as_integer(v jsonb) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN ((jsonb_typeof(v) = 'number'::text) AND ((v)::numeric = trunc((v)::numeric)) AND (((v)::numeric >= ('-2147483648'::integer)::numeric) AND ((v)::numeric <= (2147483647)::numeric))) THEN ((v)::numeric)::integer ELSE NULL::integer END;


--
-- Name: as_integer_array(jsonb); Type: FUNCTION; Schema: bronze; Owner: -
--

CREATE FUNCTION bronze.as_integer_array(v jsonb) RETURNS integer[]
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    AS $_$
BEGIN
    IF jsonb_typeof(v) IS DISTINCT FROM 'array'
       OR jsonb_path_exists(v, 'strict $[*] ? (@.type() != "number" || @ != @.floor() || @ < -2147483648 || @ > 2147483647)',
                            '{}', true) THEN
        RETURN NULL;
    END IF;
    RETURN (jsonb_populate_record(NULL::bronze.typed_arrays, jsonb_build_object('numbers', v))).numbers::integer[];
END
$_$;


--
-- Name: as_numeric(jsonb); Type: FUNCTION; Schema: bronze; Owner: -
--

CREATE FUNCTION bronze.as_numeric(v jsonb) RETURNS numeric
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN (jsonb_typeof(v) = 'number'::text) THEN (v)::numeric ELSE NULL::numeric END;


--
-- Name: as_text(jsonb); Type: FUNCTION; Schema: bronze; Owner: -
--

CREATE FUNCTION bronze.as_text(v jsonb) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN (jsonb_typeof(v) = 'string'::text) THEN (v #>> '{}'::text[]) ELSE NULL::text END;


--
-- Name: as_text_array(jsonb); Type: FUNCTION; Schema: bronze; Owner: -
--

CREATE FUNCTION bronze.as_text_array(v jsonb) RETURNS text[]
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    AS $_$
BEGIN
    IF jsonb_typeof(v) IS DISTINCT FROM 'array'
       OR jsonb_path_exists(v, 'strict $[*] ? (@.type() != "string")', '{}', true) THEN
        RETURN NULL;
    END IF;
    RETURN (jsonb_populate_record(NULL::bronze.typed_arrays, jsonb_build_object('texts', v))).texts;
END
$_$;


--
-- Name: as_timestamptz(jsonb); Type: FUNCTION; Schema: bronze; Owner: -
--

CREATE FUNCTION bronze.as_timestamptz(v jsonb) RETURNS timestamp with time zone
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    AS $_$
DECLARE
    s text := CASE WHEN jsonb_typeof(v) = 'string' THEN v #>> '{}' END;
BEGIN
    -- The API's forms, 2006-03-24T22:30:00.000Z and 2006-03-25T10:30:00+12:00:
    -- hours to 23, minutes and seconds to 59, offsets to 15:59.
    IF translate(s, '0123456789', '##########')
       IN ('####-##-##T##:##:##.###Z', '####-##-##T##:##:##+##:##', '####-##-##T##:##:##-##:##') THEN
        RETURN CASE WHEN substr(s, 12, 2)::integer <= 23 AND substr(s, 15, 2)::integer <= 59
                         AND substr(s, 18, 2)::integer <= 59
                         AND (right(s, 1) = 'Z' OR substr(s, 21, 2)::integer <= 15 AND substr(s, 24, 2)::integer <= 59)
                         AND bronze.is_date(substr(s, 1, 4)::integer, substr(s, 6, 2)::integer, substr(s, 9, 2)::integer)
                    THEN s::timestamptz END;
    END IF;
    IF s !~ '^[0-9]{4}-[0-9][0-9]-[0-9][0-9][T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,9})?)?(Z|[+-](0[0-9]|1[0-5])(:?[0-5][0-9])?)?$'
       OR NOT bronze.is_date(substr(s, 1, 4)::integer, substr(s, 6, 2)::integer, substr(s, 9, 2)::integer) THEN
        RETURN NULL;
    END IF;
    RETURN (CASE WHEN s ~ '(Z|[+-][0-9:]+)$' THEN s ELSE s || 'Z' END)::timestamptz;
END
$_$;


--
-- Name: as_uuid(jsonb); Type: FUNCTION; Schema: bronze; Owner: -
--

CREATE FUNCTION bronze.as_uuid(v jsonb) RETURNS uuid
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN ((jsonb_typeof(v) = 'string'::text) AND ((v #>> '{}'::text[]) ~ '^[0-9a-fA-F]{8}(-?[0-9a-fA-F]{4}){3}-?[0-9a-fA-F]{12}$'::text)) THEN ((v #>> '{}'::text[]))::uuid ELSE NULL::uuid END;


--
-- Name: is_date(integer, integer, integer); Type: FUNCTION; Schema: bronze; Owner: -
--

CREATE FUNCTION bronze.is_date(y integer, m integer, d integer) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN ((y >= 1) AND ((m >= 1) AND (m <= 12)) AND (d >= 1) AND (d <= CASE WHEN (m = 2) THEN CASE WHEN (((y % 4) = 0) AND (((y % 100) <> 0) OR ((y % 400) = 0))) THEN 29 ELSE 28 END WHEN (m = ANY (ARRAY[4, 6, 9, 11])) THEN 30 ELSE 31 END));


--
-- Name: doc_id(jsonb); Type: FUNCTION; Schema: landing; Owner: -
--

CREATE FUNCTION landing.doc_id(doc jsonb) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN ((jsonb_typeof((doc -> 'id'::text)) = ANY (ARRAY['string'::text, 'number'::text])) AND ((octet_length((doc ->> 'id'::text)) >= 1) AND (octet_length((doc ->> 'id'::text)) <= 256))) THEN (doc ->> 'id'::text) ELSE NULL::text END;


--
-- Name: apply_grants(); Type: FUNCTION; Schema: meta; Owner: -
--

CREATE FUNCTION meta.apply_grants() RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    v       regclass;
    applied boolean;
BEGIN
    -- The writer: rows of landing, bronze and meta, read access to gold.
    -- No CREATE on any schema, no TRUNCATE, no ownership.
    GRANT USAGE ON SCHEMA landing, bronze, gold, meta TO spacex_writer;
    GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA landing, bronze, meta TO spacex_writer;
    ALTER DEFAULT PRIVILEGES IN SCHEMA landing, bronze, meta
        GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO spacex_writer;
    -- meta.applied_sql says which views meta.refresh_view may refresh and
    -- is loader migrate's record: the writer only reads it.
    REVOKE INSERT, UPDATE, DELETE ON meta.applied_sql FROM spacex_writer;
    GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA landing, bronze, meta TO spacex_writer;
    ALTER DEFAULT PRIVILEGES IN SCHEMA landing, bronze, meta
        GRANT USAGE, SELECT ON SEQUENCES TO spacex_writer;
    GRANT SELECT ON ALL TABLES IN SCHEMA gold TO spacex_writer;
    ALTER DEFAULT PRIVILEGES IN SCHEMA gold GRANT SELECT ON TABLES TO spacex_writer;
    -- meta.transform_version() reads the migrations applied.
    IF to_regclass('public.schema_migrations') IS NOT NULL THEN
        GRANT SELECT ON public.schema_migrations TO spacex_writer;
    END IF;
    -- The promotion stages into temporary tables. PUBLIC has TEMP unless a
    -- DBA revoked it; granted here too when we may (database owner).
    IF pg_has_role((SELECT datdba FROM pg_database WHERE datname = current_database()), 'USAGE') THEN
        EXECUTE format('GRANT TEMPORARY ON DATABASE %I TO spacex_writer', current_database());
    ELSIF NOT has_database_privilege('spacex_writer', current_database(), 'TEMPORARY') THEN
        RAISE WARNING 'spacex_writer cannot create temporary tables in database %, which a sync needs', current_database()
            USING HINT = format('Have the database owner run GRANT TEMPORARY ON DATABASE %I TO spacex_writer.', current_database());
    END IF;

    -- PostgreSQL 17 and later: MAINTAIN on exactly the gold views loader
    -- migrate applied (and on no other gold materialized view), so that
    -- meta.refresh_view refreshes them with the writer's own rights; see
    -- db/functions/refresh.sql. Before 17 there is no MAINTAIN, and
    -- meta.refresh_view runs as the views' owner.
    IF current_setting('server_version_num')::int >= 170000 THEN
        FOR v, applied IN
            SELECT c.oid::regclass, EXISTS (SELECT FROM meta.applied_sql a WHERE a.kind = 'view' AND to_regclass(a.name) = c.oid)
            FROM pg_class c
            WHERE c.relnamespace = 'gold'::regnamespace AND c.relkind = 'm'
        LOOP
            EXECUTE format(CASE WHEN applied THEN 'GRANT MAINTAIN ON %s TO spacex_writer'
                                ELSE 'REVOKE MAINTAIN ON %s FROM spacex_writer' END, v);
        END LOOP;
    END IF;

    -- The analyst: reads bronze and gold; no access to landing or meta.
    GRANT USAGE ON SCHEMA bronze, gold TO spacex_analyst;
    GRANT SELECT ON ALL TABLES IN SCHEMA bronze, gold TO spacex_analyst;
    ALTER DEFAULT PRIVILEGES IN SCHEMA bronze, gold GRANT SELECT ON TABLES TO spacex_analyst;
END
$$;


--
-- Name: FUNCTION apply_grants(); Type: COMMENT; Schema: meta; Owner: -
--

COMMENT ON FUNCTION meta.apply_grants() IS 'Grants spacex_writer and spacex_analyst their privileges on everything that exists now, and sets the default privileges of what the caller (the migration owner) creates later. loader migrate calls it after the function and view files.';


--
-- Name: lock_holders(text); Type: FUNCTION; Schema: meta; Owner: -
--

CREATE FUNCTION meta.lock_holders(lock text) RETURNS jsonb
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
    SELECT coalesce(jsonb_agg(jsonb_build_object(
        'pid', l.pid, 'role', a.usename, 'run_id', r.run_id, 'source', r.source, 'started_at', r.started_at
    ) ORDER BY l.pid), '[]')
    FROM meta.locks k
    JOIN pg_locks l ON l.locktype = 'transactionid' AND l.mode = 'ExclusiveLock' AND l.granted
        AND l.transactionid::text = k.xmax::text
    LEFT JOIN pg_stat_activity a ON a.pid = l.pid
    LEFT JOIN meta.runs r ON r.status = 'running' AND r.pid = l.pid
    WHERE k.name = lock AND l.pid <> pg_backend_pid()
$$;


--
-- Name: FUNCTION lock_holders(lock text); Type: COMMENT; Schema: meta; Owner: -
--

COMMENT ON FUNCTION meta.lock_holders(lock text) IS 'The backends holding a loader lock (a meta.locks row), as a JSON array of {pid, role, run_id, source, started_at}; the run fields are null unless the backend is a sync or replay''s lock session.';


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: capsule_launches; Type: TABLE; Schema: bronze; Owner: -
--

CREATE TABLE bronze.capsule_launches (
    capsule_id text NOT NULL,
    launch_index integer NOT NULL,
    launch_id text GENERATED ALWAYS AS (bronze.as_id(elem)) STORED,
    elem jsonb NOT NULL,
    issues jsonb,
    run_id bigint NOT NULL
);


--
-- Name: TABLE capsule_launches; Type: COMMENT; Schema: bronze; Owner: -
--

COMMENT ON TABLE bronze.capsule_launches IS 'capsule.launches[] One row per element, keyed by the parent''s id and the element''s zero-based position.';


--
-- Name: capsules; Type: TABLE; Schema: bronze; Owner: -
--

CREATE TABLE bronze.capsules (
    id text NOT NULL,
    serial text GENERATED ALWAYS AS (bronze.as_text((doc -> 'serial'::text))) STORED,
    status text GENERATED ALWAYS AS (bronze.as_text((doc -> 'status'::text))) STORED,
    type text GENERATED ALWAYS AS (bronze.as_text((doc -> 'type'::text))) STORED,
    dragon_id text GENERATED ALWAYS AS (bronze.as_id((doc -> 'dragon'::text))) STORED,
    reuse_count integer GENERATED ALWAYS AS (bronze.as_integer((doc -> 'reuse_count'::text))) STORED,
    water_landings integer GENERATED ALWAYS AS (bronze.as_integer((doc -> 'water_landings'::text))) STORED,
    land_landings integer GENERATED ALWAYS AS (bronze.as_integer((doc -> 'land_landings'::text))) STORED,
    last_update text GENERATED ALWAYS AS (bronze.as_text((doc -> 'last_update'::text))) STORED,
    doc jsonb NOT NULL,
    doc_sha256 bytea NOT NULL,
    issues jsonb,
    deleted_at timestamp with time zone,
    run_id bigint NOT NULL,
    updated_at timestamp with time zone DEFAULT clock_timestamp() NOT NULL
);


--
-- Name: TABLE capsules; Type: COMMENT; Schema: bronze; Owner: -
--

COMMENT ON TABLE bronze.capsules IS 'Dragon capsules flown (C101 ...).';


--
-- Name: company; Type: TABLE; Schema: bronze; Owner: -
--

CREATE TABLE bronze.company (
    id text NOT NULL,
    name text GENERATED ALWAYS AS (bronze.as_text((doc -> 'name'::text))) STORED,
    founder text GENERATED ALWAYS AS (bronze.as_text((doc -> 'founder'::text))) STORED,
    founded integer GENERATED ALWAYS AS (bronze.as_integer((doc -> 'founded'::text))) STORED,
    employees integer GENERATED ALWAYS AS (bronze.as_integer((doc -> 'employees'::text))) STORED,
    vehicles integer GENERATED ALWAYS AS (bronze.as_integer((doc -> 'vehicles'::text))) STORED,
    launch_sites integer GENERATED ALWAYS AS (bronze.as_integer((doc -> 'launch_sites'::text))) STORED,
    test_sites integer GENERATED ALWAYS AS (bronze.as_integer((doc -> 'test_sites'::text))) STORED,
    ceo text GENERATED ALWAYS AS (bronze.as_text((doc -> 'ceo'::text))) STORED,
    cto text GENERATED ALWAYS AS (bronze.as_text((doc -> 'cto'::text))) STORED,
    coo text GENERATED ALWAYS AS (bronze.as_text((doc -> 'coo'::text))) STORED,
    cto_propulsion text GENERATED ALWAYS AS (bronze.as_text((doc -> 'cto_propulsion'::text))) STORED,
    valuation numeric GENERATED ALWAYS AS (bronze.as_numeric((doc -> 'valuation'::text))) STORED,
    summary text GENERATED ALWAYS AS (bronze.as_text((doc -> 'summary'::text))) STORED,
    headquarters_address text GENERATED ALWAYS AS (bronze.as_text((doc #> '{headquarters,address}'::text[]))) STORED,
    headquarters_city text GENERATED ALWAYS AS (bronze.as_text((doc #> '{headquarters,city}'::text[]))) STORED,
    headquarters_state text GENERATED ALWAYS AS (bronze.as_text((doc #> '{headquarters,state}'::text[]))) STORED,
    website_url text GENERATED ALWAYS AS (bronze.as_text((doc #> '{links,website}'::text[]))) STORED,
    flickr_url text GENERATED ALWAYS AS (bronze.as_text((doc #> '{links,flickr}'::text[]))) STORED,
    twitter_url text GENERATED ALWAYS AS (bronze.as_text((doc #> '{links,twitter}'::text[]))) STORED,
    elon_twitter_url text GENERATED ALWAYS AS (bronze.as_text((doc #> '{links,elon_twitter}'::text[]))) STORED,
    doc jsonb NOT NULL,
    doc_sha256 bytea NOT NULL,
    issues jsonb,
    deleted_at timestamp with time zone,
    run_id bigint NOT NULL,
    updated_at timestamp with time zone DEFAULT clock_timestamp() NOT NULL
);


--
-- Name: TABLE company; Type: COMMENT; Schema: bronze; Owner: -
--

COMMENT ON TABLE bronze.company IS 'The company: one row (GET /v4/company returns one object).';


--
-- Name: core_launches; Type: TABLE; Schema: bronze; Owner: -
--

CREATE TABLE bronze.core_launches (
    core_id text NOT NULL,
    launch_index integer NOT NULL,
    launch_id text GENERATED ALWAYS AS (bronze.as_id(elem)) STORED,
    elem jsonb NOT NULL,
    issues jsonb,
    run_id bigint NOT NULL
);


--
-- Name: TABLE core_launches; Type: COMMENT; Schema: bronze; Owner: -
--

COMMENT ON TABLE bronze.core_launches IS 'core.launches[] One row per element, keyed by the parent''s id and the element''s zero-based position.';


--
-- Name: cores; Type: TABLE; Schema: bronze; Owner: -
--

CREATE TABLE bronze.cores (
    id text NOT NULL,
    serial text GENERATED ALWAYS AS (bronze.as_text((doc -> 'serial'::text))) STORED,
    block integer GENERATED ALWAYS AS (bronze.as_integer((doc -> 'block'::text))) STORED,
    status text GENERATED ALWAYS AS (bronze.as_text((doc -> 'status'::text))) STORED,
    reuse_count integer GENERATED ALWAYS AS (bronze.as_integer((doc -> 'reuse_count'::text))) STORED,
    rtls_attempts integer GENERATED ALWAYS AS (bronze.as_integer((doc -> 'rtls_attempts'::text))) STORED,
    rtls_landings integer GENERATED ALWAYS AS (bronze.as_integer((doc -> 'rtls_landings'::text))) STORED,
    asds_attempts integer GENERATED ALWAYS AS (bronze.as_integer((doc -> 'asds_attempts'::text))) STORED,
    asds_landings integer GENERATED ALWAYS AS (bronze.as_integer((doc -> 'asds_landings'::text))) STORED,
    last_update text GENERATED ALWAYS AS (bronze.as_text((doc -> 'last_update'::text))) STORED,
    doc jsonb NOT NULL,
    doc_sha256 bytea NOT NULL,
    issues jsonb,
    deleted_at timestamp with time zone,
    run_id bigint NOT NULL,
    updated_at timestamp with time zone DEFAULT clock_timestamp() NOT NULL
);


--
-- Name: TABLE cores; Type: COMMENT; Schema: bronze; Owner: -
--

COMMENT ON TABLE bronze.cores IS 'First-stage cores (boosters).';


--
-- Name: crew; Type: TABLE; Schema: bronze; Owner: -
--

CREATE TABLE bronze.crew (
    id text NOT NULL,
    name text GENERATED ALWAYS AS (bronze.as_text((doc -> 'name'::text))) STORED,
    agency text GENERATED ALWAYS AS (bronze.as_text((doc -> 'agency'::text))) STORED,
    image text GENERATED ALWAYS AS (bronze.as_text((doc -> 'image'::text))) STORED,
    wikipedia text GENERATED ALWAYS AS (bronze.as_text((doc -> 'wikipedia'::text))) STORED,
    status text GENERATED ALWAYS AS (bronze.as_text((doc -> 'status'::text))) STORED,
    doc jsonb NOT NULL,
    doc_sha256 bytea NOT NULL,
    issues jsonb,
    deleted_at timestamp with time zone,
    run_id bigint NOT NULL,
    updated_at timestamp with time zone DEFAULT clock_timestamp() NOT NULL
);


--
-- Name: TABLE crew; Type: COMMENT; Schema: bronze; Owner: -
--

COMMENT ON TABLE bronze.crew IS 'Astronauts flown on crewed launches.';


--
-- Name: crew_launches; Type: TABLE; Schema: bronze; Owner: -
--

CREATE TABLE bronze.crew_launches (
    crew_id text NOT NULL,
    launch_index integer NOT NULL,
    launch_id text GENERATED ALWAYS AS (bronze.as_id(elem)) STORED,
    elem jsonb NOT NULL,
    issues jsonb,
    run_id bigint NOT NULL
);


--
-- Name: TABLE crew_launches; Type: COMMENT; Schema: bronze; Owner: -
--

COMMENT ON TABLE bronze.crew_launches IS 'crew.launches[] One row per element, keyed by the parent''s id and the element''s zero-based position.';


--
-- Name: dragon_thrusters; Type: TABLE; Schema: bronze; Owner: -
--

CREATE TABLE bronze.dragon_thrusters (
    dragon_id text NOT NULL,
    thruster_index integer NOT NULL,
    type text GENERATED ALWAYS AS (bronze.as_text((elem -> 'type'::text))) STORED,
    amount integer GENERATED ALWAYS AS (bronze.as_integer((elem -> 'amount'::text))) STORED,
    pods integer GENERATED ALWAYS AS (bronze.as_integer((elem -> 'pods'::text))) STORED,
    fuel_1 text GENERATED ALWAYS AS (bronze.as_text((elem -> 'fuel_1'::text))) STORED,
    fuel_2 text GENERATED ALWAYS AS (bronze.as_text((elem -> 'fuel_2'::text))) STORED,
    isp numeric GENERATED ALWAYS AS (bronze.as_numeric((elem -> 'isp'::text))) STORED,
    thrust_kn numeric GENERATED ALWAYS AS (bronze.as_numeric((elem #> '{thrust,kN}'::text[]))) STORED,
    thrust_lbf numeric GENERATED ALWAYS AS (bronze.as_numeric((elem #> '{thrust,lbf}'::text[]))) STORED,
    elem jsonb NOT NULL,
    issues jsonb,
    run_id bigint NOT NULL
);


--
-- Name: TABLE dragon_thrusters; Type: COMMENT; Schema: bronze; Owner: -
--

COMMENT ON TABLE bronze.dragon_thrusters IS 'dragon.thrusters[] (a Mixed field in the API''s model: the shape is the data''s). One row per element, keyed by the parent''s id and the element''s zero-based position.';


--
-- Name: dragons; Type: TABLE; Schema: bronze; Owner: -
--

CREATE TABLE bronze.dragons (
    id text NOT NULL,
    name text GENERATED ALWAYS AS (bronze.as_text((doc -> 'name'::text))) STORED,
    type text GENERATED ALWAYS AS (bronze.as_text((doc -> 'type'::text))) STORED,
    active boolean GENERATED ALWAYS AS (bronze.as_boolean((doc -> 'active'::text))) STORED,
    crew_capacity integer GENERATED ALWAYS AS (bronze.as_integer((doc -> 'crew_capacity'::text))) STORED,
    sidewall_angle_deg numeric GENERATED ALWAYS AS (bronze.as_numeric((doc -> 'sidewall_angle_deg'::text))) STORED,
    orbit_duration_yr numeric GENERATED ALWAYS AS (bronze.as_numeric((doc -> 'orbit_duration_yr'::text))) STORED,
    dry_mass_kg numeric GENERATED ALWAYS AS (bronze.as_numeric((doc -> 'dry_mass_kg'::text))) STORED,
    dry_mass_lb numeric GENERATED ALWAYS AS (bronze.as_numeric((doc -> 'dry_mass_lb'::text))) STORED,
    first_flight date GENERATED ALWAYS AS (bronze.as_date((doc -> 'first_flight'::text))) STORED,
    heat_shield_material text GENERATED ALWAYS AS (bronze.as_text((doc #> '{heat_shield,material}'::text[]))) STORED,
    heat_shield_size_meters numeric GENERATED ALWAYS AS (bronze.as_numeric((doc #> '{heat_shield,size_meters}'::text[]))) STORED,
    heat_shield_temp_degrees numeric GENERATED ALWAYS AS (bronze.as_numeric((doc #> '{heat_shield,temp_degrees}'::text[]))) STORED,
    heat_shield_dev_partner text GENERATED ALWAYS AS (bronze.as_text((doc #> '{heat_shield,dev_partner}'::text[]))) STORED,
    launch_payload_mass_kg numeric GENERATED ALWAYS AS (bronze.as_numeric((doc #> '{launch_payload_mass,kg}'::text[]))) STORED,
    launch_payload_mass_lb numeric GENERATED ALWAYS AS (bronze.as_numeric((doc #> '{launch_payload_mass,lb}'::text[]))) STORED,
    launch_payload_vol_m3 numeric GENERATED ALWAYS AS (bronze.as_numeric((doc #> '{launch_payload_vol,cubic_meters}'::text[]))) STORED,
    launch_payload_vol_ft3 numeric GENERATED ALWAYS AS (bronze.as_numeric((doc #> '{launch_payload_vol,cubic_feet}'::text[]))) STORED,
    return_payload_mass_kg numeric GENERATED ALWAYS AS (bronze.as_numeric((doc #> '{return_payload_mass,kg}'::text[]))) STORED,
    return_payload_mass_lb numeric GENERATED ALWAYS AS (bronze.as_numeric((doc #> '{return_payload_mass,lb}'::text[]))) STORED,
    return_payload_vol_m3 numeric GENERATED ALWAYS AS (bronze.as_numeric((doc #> '{return_payload_vol,cubic_meters}'::text[]))) STORED,
    return_payload_vol_ft3 numeric GENERATED ALWAYS AS (bronze.as_numeric((doc #> '{return_payload_vol,cubic_feet}'::text[]))) STORED,
    pressurized_payload_vol_m3 numeric GENERATED ALWAYS AS (bronze.as_numeric((doc #> '{pressurized_capsule,payload_volume,cubic_meters}'::text[]))) STORED,
    pressurized_payload_vol_ft3 numeric GENERATED ALWAYS AS (bronze.as_numeric((doc #> '{pressurized_capsule,payload_volume,cubic_feet}'::text[]))) STORED,
    trunk_vol_m3 numeric GENERATED ALWAYS AS (bronze.as_numeric((doc #> '{trunk,trunk_volume,cubic_meters}'::text[]))) STORED,
    trunk_vol_ft3 numeric GENERATED ALWAYS AS (bronze.as_numeric((doc #> '{trunk,trunk_volume,cubic_feet}'::text[]))) STORED,
    trunk_cargo_solar_array numeric GENERATED ALWAYS AS (bronze.as_numeric((doc #> '{trunk,cargo,solar_array}'::text[]))) STORED,
    trunk_cargo_unpressurized boolean GENERATED ALWAYS AS (bronze.as_boolean((doc #> '{trunk,cargo,unpressurized_cargo}'::text[]))) STORED,
    height_w_trunk_m numeric GENERATED ALWAYS AS (bronze.as_numeric((doc #> '{height_w_trunk,meters}'::text[]))) STORED,
    height_w_trunk_ft numeric GENERATED ALWAYS AS (bronze.as_numeric((doc #> '{height_w_trunk,feet}'::text[]))) STORED,
    diameter_m numeric GENERATED ALWAYS AS (bronze.as_numeric((doc #> '{diameter,meters}'::text[]))) STORED,
    diameter_ft numeric GENERATED ALWAYS AS (bronze.as_numeric((doc #> '{diameter,feet}'::text[]))) STORED,
    flickr_images text[] GENERATED ALWAYS AS (bronze.as_text_array((doc -> 'flickr_images'::text))) STORED,
    wikipedia text GENERATED ALWAYS AS (bronze.as_text((doc -> 'wikipedia'::text))) STORED,
    description text GENERATED ALWAYS AS (bronze.as_text((doc -> 'description'::text))) STORED,
    doc jsonb NOT NULL,
    doc_sha256 bytea NOT NULL,
    issues jsonb,
    deleted_at timestamp with time zone,
    run_id bigint NOT NULL,
    updated_at timestamp with time zone DEFAULT clock_timestamp() NOT NULL
);


--
-- Name: TABLE dragons; Type: COMMENT; Schema: bronze; Owner: -
--

COMMENT ON TABLE bronze.dragons IS 'Dragon capsule types.';


--
-- Name: history; Type: TABLE; Schema: bronze; Owner: -
--

CREATE TABLE bronze.history (
    id text NOT NULL,
    title text GENERATED ALWAYS AS (bronze.as_text((doc -> 'title'::text))) STORED,
    event_date_utc timestamp with time zone GENERATED ALWAYS AS (bronze.as_timestamptz((doc -> 'event_date_utc'::text))) STORED,
    event_date_unix bigint GENERATED ALWAYS AS (bronze.as_bigint((doc -> 'event_date_unix'::text))) STORED,
    details text GENERATED ALWAYS AS (bronze.as_text((doc -> 'details'::text))) STORED,
    article_url text GENERATED ALWAYS AS (bronze.as_text((doc #> '{links,article}'::text[]))) STORED,
    doc jsonb NOT NULL,
    doc_sha256 bytea NOT NULL,
    issues jsonb,
    deleted_at timestamp with time zone,
    run_id bigint NOT NULL,
    updated_at timestamp with time zone DEFAULT clock_timestamp() NOT NULL
);


--
-- Name: TABLE history; Type: COMMENT; Schema: bronze; Owner: -
--

COMMENT ON TABLE bronze.history IS 'Milestones in SpaceX''s history.';


--
-- Name: landpad_launches; Type: TABLE; Schema: bronze; Owner: -
--

CREATE TABLE bronze.landpad_launches (
    landpad_id text NOT NULL,
    launch_index integer NOT NULL,
    launch_id text GENERATED ALWAYS AS (bronze.as_id(elem)) STORED,
    elem jsonb NOT NULL,
    issues jsonb,
    run_id bigint NOT NULL
);


--
-- Name: TABLE landpad_launches; Type: COMMENT; Schema: bronze; Owner: -
--

COMMENT ON TABLE bronze.landpad_launches IS 'landpad.launches[] One row per element, keyed by the parent''s id and the element''s zero-based position.';


--
-- Name: landpads; Type: TABLE; Schema: bronze; Owner: -
--

CREATE TABLE bronze.landpads (
    id text NOT NULL,
    name text GENERATED ALWAYS AS (bronze.as_text((doc -> 'name'::text))) STORED,
    full_name text GENERATED ALWAYS AS (bronze.as_text((doc -> 'full_name'::text))) STORED,
    status text GENERATED ALWAYS AS (bronze.as_text((doc -> 'status'::text))) STORED,
    type text GENERATED ALWAYS AS (bronze.as_text((doc -> 'type'::text))) STORED,
    locality text GENERATED ALWAYS AS (bronze.as_text((doc -> 'locality'::text))) STORED,
    region text GENERATED ALWAYS AS (bronze.as_text((doc -> 'region'::text))) STORED,
    latitude numeric GENERATED ALWAYS AS (bronze.as_numeric((doc -> 'latitude'::text))) STORED,
    longitude numeric GENERATED ALWAYS AS (bronze.as_numeric((doc -> 'longitude'::text))) STORED,
    landing_attempts integer GENERATED ALWAYS AS (bronze.as_integer((doc -> 'landing_attempts'::text))) STORED,
    landing_successes integer GENERATED ALWAYS AS (bronze.as_integer((doc -> 'landing_successes'::text))) STORED,
    wikipedia text GENERATED ALWAYS AS (bronze.as_text((doc -> 'wikipedia'::text))) STORED,
    details text GENERATED ALWAYS AS (bronze.as_text((doc -> 'details'::text))) STORED,
    images_large text[] GENERATED ALWAYS AS (bronze.as_text_array((doc #> '{images,large}'::text[]))) STORED,
    doc jsonb NOT NULL,
    doc_sha256 bytea NOT NULL,
    issues jsonb,
    deleted_at timestamp with time zone,
    run_id bigint NOT NULL,
    updated_at timestamp with time zone DEFAULT clock_timestamp() NOT NULL
);


--
-- Name: TABLE landpads; Type: COMMENT; Schema: bronze; Owner: -
--

COMMENT ON TABLE bronze.landpads IS 'Landing zones (RTLS) and droneships (ASDS).';


--
-- Name: launch_capsules; Type: TABLE; Schema: bronze; Owner: -
--

CREATE TABLE bronze.launch_capsules (
    launch_id text NOT NULL,
    capsule_index integer NOT NULL,
    capsule_id text GENERATED ALWAYS AS (bronze.as_id(elem)) STORED,
    elem jsonb NOT NULL,
    issues jsonb,
    run_id bigint NOT NULL
);


--
-- Name: TABLE launch_capsules; Type: COMMENT; Schema: bronze; Owner: -
--

COMMENT ON TABLE bronze.launch_capsules IS 'launch.capsules[]: the Dragon capsules flown. One row per element, keyed by the parent''s id and the element''s zero-based position.';


--
-- Name: launch_cores; Type: TABLE; Schema: bronze; Owner: -
--

CREATE TABLE bronze.launch_cores (
    launch_id text NOT NULL,
    core_index integer NOT NULL,
    flight integer GENERATED ALWAYS AS (bronze.as_integer((elem -> 'flight'::text))) STORED,
    gridfins boolean GENERATED ALWAYS AS (bronze.as_boolean((elem -> 'gridfins'::text))) STORED,
    legs boolean GENERATED ALWAYS AS (bronze.as_boolean((elem -> 'legs'::text))) STORED,
    reused boolean GENERATED ALWAYS AS (bronze.as_boolean((elem -> 'reused'::text))) STORED,
    landing_attempt boolean GENERATED ALWAYS AS (bronze.as_boolean((elem -> 'landing_attempt'::text))) STORED,
    landing_success boolean GENERATED ALWAYS AS (bronze.as_boolean((elem -> 'landing_success'::text))) STORED,
    landing_type text GENERATED ALWAYS AS (bronze.as_text((elem -> 'landing_type'::text))) STORED,
    elem jsonb NOT NULL,
    issues jsonb,
    run_id bigint NOT NULL,
    core_id text GENERATED ALWAYS AS (bronze.as_id((elem -> 'core'::text))) STORED,
    landpad_id text GENERATED ALWAYS AS (bronze.as_id((elem -> 'landpad'::text))) STORED
);


--
-- Name: launch_crew; Type: TABLE; Schema: bronze; Owner: -
--

CREATE TABLE bronze.launch_crew (
    launch_id text NOT NULL,
    crew_index integer NOT NULL,
    elem jsonb NOT NULL,
    issues jsonb,
    run_id bigint NOT NULL,
    crew_id text GENERATED ALWAYS AS (bronze.as_id(COALESCE((elem -> 'crew'::text), elem))) STORED,
    role text GENERATED ALWAYS AS (bronze.as_text(jsonb_path_query_first(elem, '$."role"'::jsonpath))) STORED
);


--
-- Name: launch_failures; Type: TABLE; Schema: bronze; Owner: -
--

CREATE TABLE bronze.launch_failures (
    launch_id text NOT NULL,
    failure_index integer NOT NULL,
    time_sec integer GENERATED ALWAYS AS (bronze.as_integer((elem -> 'time'::text))) STORED,
    altitude integer GENERATED ALWAYS AS (bronze.as_integer((elem -> 'altitude'::text))) STORED,
    reason text GENERATED ALWAYS AS (bronze.as_text((elem -> 'reason'::text))) STORED,
    elem jsonb NOT NULL,
    issues jsonb,
    run_id bigint NOT NULL
);


--
-- Name: TABLE launch_failures; Type: COMMENT; Schema: bronze; Owner: -
--

COMMENT ON TABLE bronze.launch_failures IS 'launch.failures[]: what went wrong, seconds after liftoff. One row per element, keyed by the parent''s id and the element''s zero-based position.';


--
-- Name: launch_fairing_ships; Type: TABLE; Schema: bronze; Owner: -
--

CREATE TABLE bronze.launch_fairing_ships (
    launch_id text NOT NULL,
    ship_index integer NOT NULL,
    ship_id text GENERATED ALWAYS AS (bronze.as_id(elem)) STORED,
    elem jsonb NOT NULL,
    issues jsonb,
    run_id bigint NOT NULL
);


--
-- Name: TABLE launch_fairing_ships; Type: COMMENT; Schema: bronze; Owner: -
--

COMMENT ON TABLE bronze.launch_fairing_ships IS 'launch.fairings.ships[]: the ships sent to recover the fairing halves. One row per element, keyed by the parent''s id and the element''s zero-based position.';


--
-- Name: launch_payloads; Type: TABLE; Schema: bronze; Owner: -
--

CREATE TABLE bronze.launch_payloads (
    launch_id text NOT NULL,
    payload_index integer NOT NULL,
    elem jsonb NOT NULL,
    issues jsonb,
    run_id bigint NOT NULL,
    payload_id text GENERATED ALWAYS AS (bronze.as_id(elem)) STORED
);


--
-- Name: launch_ships; Type: TABLE; Schema: bronze; Owner: -
--

CREATE TABLE bronze.launch_ships (
    launch_id text NOT NULL,
    ship_index integer NOT NULL,
    ship_id text GENERATED ALWAYS AS (bronze.as_id(elem)) STORED,
    elem jsonb NOT NULL,
    issues jsonb,
    run_id bigint NOT NULL
);


--
-- Name: TABLE launch_ships; Type: COMMENT; Schema: bronze; Owner: -
--

COMMENT ON TABLE bronze.launch_ships IS 'launch.ships[]: the ships that supported the launch. One row per element, keyed by the parent''s id and the element''s zero-based position.';


--
-- Name: launches; Type: TABLE; Schema: bronze; Owner: -
--

CREATE TABLE bronze.launches (
    id text NOT NULL,
    flight_number integer GENERATED ALWAYS AS (bronze.as_integer((doc -> 'flight_number'::text))) STORED,
    name text GENERATED ALWAYS AS (bronze.as_text((doc -> 'name'::text))) STORED,
    date_utc timestamp with time zone GENERATED ALWAYS AS (bronze.as_timestamptz((doc -> 'date_utc'::text))) STORED,
    date_unix bigint GENERATED ALWAYS AS (bronze.as_bigint((doc -> 'date_unix'::text))) STORED,
    date_local timestamp with time zone GENERATED ALWAYS AS (bronze.as_timestamptz((doc -> 'date_local'::text))) STORED,
    date_precision text GENERATED ALWAYS AS (bronze.as_text((doc -> 'date_precision'::text))) STORED,
    upcoming boolean GENERATED ALWAYS AS (bronze.as_boolean((doc -> 'upcoming'::text))) STORED,
    success boolean GENERATED ALWAYS AS (bronze.as_boolean((doc -> 'success'::text))) STORED,
    tbd boolean GENERATED ALWAYS AS (bronze.as_boolean((doc -> 'tbd'::text))) STORED,
    net boolean GENERATED ALWAYS AS (bronze.as_boolean((doc -> 'net'::text))) STORED,
    auto_update boolean GENERATED ALWAYS AS (bronze.as_boolean((doc -> 'auto_update'::text))) STORED,
    window_sec integer GENERATED ALWAYS AS (bronze.as_integer((doc -> 'window'::text))) STORED,
    details text GENERATED ALWAYS AS (bronze.as_text((doc -> 'details'::text))) STORED,
    static_fire_date_utc timestamp with time zone GENERATED ALWAYS AS (bronze.as_timestamptz((doc -> 'static_fire_date_utc'::text))) STORED,
    static_fire_date_unix bigint GENERATED ALWAYS AS (bronze.as_bigint((doc -> 'static_fire_date_unix'::text))) STORED,
    launch_library_id uuid GENERATED ALWAYS AS (bronze.as_uuid((doc -> 'launch_library_id'::text))) STORED,
    fairings_reused boolean GENERATED ALWAYS AS (bronze.as_boolean((doc #> '{fairings,reused}'::text[]))) STORED,
    fairings_recovery_attempt boolean GENERATED ALWAYS AS (bronze.as_boolean((doc #> '{fairings,recovery_attempt}'::text[]))) STORED,
    fairings_recovered boolean GENERATED ALWAYS AS (bronze.as_boolean((doc #> '{fairings,recovered}'::text[]))) STORED,
    webcast_url text GENERATED ALWAYS AS (bronze.as_text((doc #> '{links,webcast}'::text[]))) STORED,
    wikipedia_url text GENERATED ALWAYS AS (bronze.as_text((doc #> '{links,wikipedia}'::text[]))) STORED,
    article_url text GENERATED ALWAYS AS (bronze.as_text((doc #> '{links,article}'::text[]))) STORED,
    patch_small_url text GENERATED ALWAYS AS (bronze.as_text((doc #> '{links,patch,small}'::text[]))) STORED,
    doc jsonb NOT NULL,
    doc_sha256 bytea NOT NULL,
    issues jsonb,
    deleted_at timestamp with time zone,
    run_id bigint NOT NULL,
    updated_at timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
    rocket_id text GENERATED ALWAYS AS (bronze.as_id((doc -> 'rocket'::text))) STORED,
    launchpad_id text GENERATED ALWAYS AS (bronze.as_id((doc -> 'launchpad'::text))) STORED,
    patch_large_url text GENERATED ALWAYS AS (bronze.as_text((doc #> '{links,patch,large}'::text[]))) STORED,
    reddit_campaign_url text GENERATED ALWAYS AS (bronze.as_text((doc #> '{links,reddit,campaign}'::text[]))) STORED,
    reddit_launch_url text GENERATED ALWAYS AS (bronze.as_text((doc #> '{links,reddit,launch}'::text[]))) STORED,
    reddit_media_url text GENERATED ALWAYS AS (bronze.as_text((doc #> '{links,reddit,media}'::text[]))) STORED,
    reddit_recovery_url text GENERATED ALWAYS AS (bronze.as_text((doc #> '{links,reddit,recovery}'::text[]))) STORED,
    flickr_small_urls text[] GENERATED ALWAYS AS (bronze.as_text_array((doc #> '{links,flickr,small}'::text[]))) STORED,
    flickr_original_urls text[] GENERATED ALWAYS AS (bronze.as_text_array((doc #> '{links,flickr,original}'::text[]))) STORED,
    presskit_url text GENERATED ALWAYS AS (bronze.as_text((doc #> '{links,presskit}'::text[]))) STORED,
    youtube_id text GENERATED ALWAYS AS (bronze.as_text((doc #> '{links,youtube_id}'::text[]))) STORED
);


--
-- Name: launchpad_launches; Type: TABLE; Schema: bronze; Owner: -
--

CREATE TABLE bronze.launchpad_launches (
    launchpad_id text NOT NULL,
    launch_index integer NOT NULL,
    launch_id text GENERATED ALWAYS AS (bronze.as_id(elem)) STORED,
    elem jsonb NOT NULL,
    issues jsonb,
    run_id bigint NOT NULL
);


--
-- Name: TABLE launchpad_launches; Type: COMMENT; Schema: bronze; Owner: -
--

COMMENT ON TABLE bronze.launchpad_launches IS 'launchpad.launches[] One row per element, keyed by the parent''s id and the element''s zero-based position.';


--
-- Name: launchpad_rockets; Type: TABLE; Schema: bronze; Owner: -
--

CREATE TABLE bronze.launchpad_rockets (
    launchpad_id text NOT NULL,
    rocket_index integer NOT NULL,
    rocket_id text GENERATED ALWAYS AS (bronze.as_id(elem)) STORED,
    elem jsonb NOT NULL,
    issues jsonb,
    run_id bigint NOT NULL
);


--
-- Name: TABLE launchpad_rockets; Type: COMMENT; Schema: bronze; Owner: -
--

COMMENT ON TABLE bronze.launchpad_rockets IS 'launchpad.rockets[]: the rockets the pad supports. One row per element, keyed by the parent''s id and the element''s zero-based position.';


--
-- Name: launchpads; Type: TABLE; Schema: bronze; Owner: -
--

CREATE TABLE bronze.launchpads (
    id text NOT NULL,
    name text GENERATED ALWAYS AS (bronze.as_text((doc -> 'name'::text))) STORED,
    full_name text GENERATED ALWAYS AS (bronze.as_text((doc -> 'full_name'::text))) STORED,
    locality text GENERATED ALWAYS AS (bronze.as_text((doc -> 'locality'::text))) STORED,
    region text GENERATED ALWAYS AS (bronze.as_text((doc -> 'region'::text))) STORED,
    timezone text GENERATED ALWAYS AS (bronze.as_text((doc -> 'timezone'::text))) STORED,
    latitude numeric GENERATED ALWAYS AS (bronze.as_numeric((doc -> 'latitude'::text))) STORED,
    longitude numeric GENERATED ALWAYS AS (bronze.as_numeric((doc -> 'longitude'::text))) STORED,
    launch_attempts integer GENERATED ALWAYS AS (bronze.as_integer((doc -> 'launch_attempts'::text))) STORED,
    launch_successes integer GENERATED ALWAYS AS (bronze.as_integer((doc -> 'launch_successes'::text))) STORED,
    status text GENERATED ALWAYS AS (bronze.as_text((doc -> 'status'::text))) STORED,
    details text GENERATED ALWAYS AS (bronze.as_text((doc -> 'details'::text))) STORED,
    doc jsonb NOT NULL,
    doc_sha256 bytea NOT NULL,
    issues jsonb,
    deleted_at timestamp with time zone,
    run_id bigint NOT NULL,
    updated_at timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
    images_large text[] GENERATED ALWAYS AS (bronze.as_text_array((doc #> '{images,large}'::text[]))) STORED
);


--
-- Name: payload_customers; Type: TABLE; Schema: bronze; Owner: -
--

CREATE TABLE bronze.payload_customers (
    payload_id text NOT NULL,
    customer_index integer NOT NULL,
    customer text GENERATED ALWAYS AS (bronze.as_text(elem)) STORED,
    elem jsonb NOT NULL,
    issues jsonb,
    run_id bigint NOT NULL
);


--
-- Name: TABLE payload_customers; Type: COMMENT; Schema: bronze; Owner: -
--

COMMENT ON TABLE bronze.payload_customers IS 'payload.customers[] One row per element, keyed by the parent''s id and the element''s zero-based position.';


--
-- Name: payload_manufacturers; Type: TABLE; Schema: bronze; Owner: -
--

CREATE TABLE bronze.payload_manufacturers (
    payload_id text NOT NULL,
    manufacturer_index integer NOT NULL,
    manufacturer text GENERATED ALWAYS AS (bronze.as_text(elem)) STORED,
    elem jsonb NOT NULL,
    issues jsonb,
    run_id bigint NOT NULL
);


--
-- Name: TABLE payload_manufacturers; Type: COMMENT; Schema: bronze; Owner: -
--

COMMENT ON TABLE bronze.payload_manufacturers IS 'payload.manufacturers[] One row per element, keyed by the parent''s id and the element''s zero-based position.';


--
-- Name: payload_nationalities; Type: TABLE; Schema: bronze; Owner: -
--

CREATE TABLE bronze.payload_nationalities (
    payload_id text NOT NULL,
    nationality_index integer NOT NULL,
    nationality text GENERATED ALWAYS AS (bronze.as_text(elem)) STORED,
    elem jsonb NOT NULL,
    issues jsonb,
    run_id bigint NOT NULL
);


--
-- Name: TABLE payload_nationalities; Type: COMMENT; Schema: bronze; Owner: -
--

COMMENT ON TABLE bronze.payload_nationalities IS 'payload.nationalities[] One row per element, keyed by the parent''s id and the element''s zero-based position.';


--
-- Name: payload_norad_ids; Type: TABLE; Schema: bronze; Owner: -
--

CREATE TABLE bronze.payload_norad_ids (
    payload_id text NOT NULL,
    norad_id_index integer NOT NULL,
    norad_id integer GENERATED ALWAYS AS (bronze.as_integer(elem)) STORED,
    elem jsonb NOT NULL,
    issues jsonb,
    run_id bigint NOT NULL
);


--
-- Name: TABLE payload_norad_ids; Type: COMMENT; Schema: bronze; Owner: -
--

COMMENT ON TABLE bronze.payload_norad_ids IS 'payload.norad_ids[] One row per element, keyed by the parent''s id and the element''s zero-based position.';


--
-- Name: payloads; Type: TABLE; Schema: bronze; Owner: -
--

CREATE TABLE bronze.payloads (
    id text NOT NULL,
    name text GENERATED ALWAYS AS (bronze.as_text((doc -> 'name'::text))) STORED,
    type text GENERATED ALWAYS AS (bronze.as_text((doc -> 'type'::text))) STORED,
    reused boolean GENERATED ALWAYS AS (bronze.as_boolean((doc -> 'reused'::text))) STORED,
    customers text[] GENERATED ALWAYS AS (bronze.as_text_array((doc -> 'customers'::text))) STORED,
    norad_ids integer[] GENERATED ALWAYS AS (bronze.as_integer_array((doc -> 'norad_ids'::text))) STORED,
    nationalities text[] GENERATED ALWAYS AS (bronze.as_text_array((doc -> 'nationalities'::text))) STORED,
    manufacturers text[] GENERATED ALWAYS AS (bronze.as_text_array((doc -> 'manufacturers'::text))) STORED,
    mass_kg numeric GENERATED ALWAYS AS (bronze.as_numeric((doc -> 'mass_kg'::text))) STORED,
    mass_lbs numeric GENERATED ALWAYS AS (bronze.as_numeric((doc -> 'mass_lbs'::text))) STORED,
    orbit text GENERATED ALWAYS AS (bronze.as_text((doc -> 'orbit'::text))) STORED,
    reference_system text GENERATED ALWAYS AS (bronze.as_text((doc -> 'reference_system'::text))) STORED,
    regime text GENERATED ALWAYS AS (bronze.as_text((doc -> 'regime'::text))) STORED,
    longitude numeric GENERATED ALWAYS AS (bronze.as_numeric((doc -> 'longitude'::text))) STORED,
    semi_major_axis_km numeric GENERATED ALWAYS AS (bronze.as_numeric((doc -> 'semi_major_axis_km'::text))) STORED,
    eccentricity numeric GENERATED ALWAYS AS (bronze.as_numeric((doc -> 'eccentricity'::text))) STORED,
    periapsis_km numeric GENERATED ALWAYS AS (bronze.as_numeric((doc -> 'periapsis_km'::text))) STORED,
    apoapsis_km numeric GENERATED ALWAYS AS (bronze.as_numeric((doc -> 'apoapsis_km'::text))) STORED,
    inclination_deg numeric GENERATED ALWAYS AS (bronze.as_numeric((doc -> 'inclination_deg'::text))) STORED,
    period_min numeric GENERATED ALWAYS AS (bronze.as_numeric((doc -> 'period_min'::text))) STORED,
    lifespan_years numeric GENERATED ALWAYS AS (bronze.as_numeric((doc -> 'lifespan_years'::text))) STORED,
    epoch timestamp with time zone GENERATED ALWAYS AS (bronze.as_timestamptz((doc -> 'epoch'::text))) STORED,
    mean_motion numeric GENERATED ALWAYS AS (bronze.as_numeric((doc -> 'mean_motion'::text))) STORED,
    raan numeric GENERATED ALWAYS AS (bronze.as_numeric((doc -> 'raan'::text))) STORED,
    arg_of_pericenter numeric GENERATED ALWAYS AS (bronze.as_numeric((doc -> 'arg_of_pericenter'::text))) STORED,
    mean_anomaly numeric GENERATED ALWAYS AS (bronze.as_numeric((doc -> 'mean_anomaly'::text))) STORED,
    dragon_mass_returned_kg numeric GENERATED ALWAYS AS (bronze.as_numeric((doc #> '{dragon,mass_returned_kg}'::text[]))) STORED,
    dragon_mass_returned_lbs numeric GENERATED ALWAYS AS (bronze.as_numeric((doc #> '{dragon,mass_returned_lbs}'::text[]))) STORED,
    dragon_flight_time_sec integer GENERATED ALWAYS AS (bronze.as_integer((doc #> '{dragon,flight_time_sec}'::text[]))) STORED,
    dragon_manifest text GENERATED ALWAYS AS (bronze.as_text((doc #> '{dragon,manifest}'::text[]))) STORED,
    dragon_water_landing boolean GENERATED ALWAYS AS (bronze.as_boolean((doc #> '{dragon,water_landing}'::text[]))) STORED,
    dragon_land_landing boolean GENERATED ALWAYS AS (bronze.as_boolean((doc #> '{dragon,land_landing}'::text[]))) STORED,
    doc jsonb NOT NULL,
    doc_sha256 bytea NOT NULL,
    issues jsonb,
    deleted_at timestamp with time zone,
    run_id bigint NOT NULL,
    updated_at timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
    launch_id text GENERATED ALWAYS AS (bronze.as_id((doc -> 'launch'::text))) STORED,
    dragon_capsule_id text GENERATED ALWAYS AS (bronze.as_id((doc #> '{dragon,capsule}'::text[]))) STORED
);


--
-- Name: roadster; Type: TABLE; Schema: bronze; Owner: -
--

CREATE TABLE bronze.roadster (
    id text NOT NULL,
    name text GENERATED ALWAYS AS (bronze.as_text((doc -> 'name'::text))) STORED,
    launch_date_utc timestamp with time zone GENERATED ALWAYS AS (bronze.as_timestamptz((doc -> 'launch_date_utc'::text))) STORED,
    launch_date_unix bigint GENERATED ALWAYS AS (bronze.as_bigint((doc -> 'launch_date_unix'::text))) STORED,
    launch_mass_kg numeric GENERATED ALWAYS AS (bronze.as_numeric((doc -> 'launch_mass_kg'::text))) STORED,
    launch_mass_lbs numeric GENERATED ALWAYS AS (bronze.as_numeric((doc -> 'launch_mass_lbs'::text))) STORED,
    norad_id integer GENERATED ALWAYS AS (bronze.as_integer((doc -> 'norad_id'::text))) STORED,
    epoch_jd numeric GENERATED ALWAYS AS (bronze.as_numeric((doc -> 'epoch_jd'::text))) STORED,
    orbit_type text GENERATED ALWAYS AS (bronze.as_text((doc -> 'orbit_type'::text))) STORED,
    apoapsis_au numeric GENERATED ALWAYS AS (bronze.as_numeric((doc -> 'apoapsis_au'::text))) STORED,
    periapsis_au numeric GENERATED ALWAYS AS (bronze.as_numeric((doc -> 'periapsis_au'::text))) STORED,
    semi_major_axis_au numeric GENERATED ALWAYS AS (bronze.as_numeric((doc -> 'semi_major_axis_au'::text))) STORED,
    eccentricity numeric GENERATED ALWAYS AS (bronze.as_numeric((doc -> 'eccentricity'::text))) STORED,
    inclination numeric GENERATED ALWAYS AS (bronze.as_numeric((doc -> 'inclination'::text))) STORED,
    longitude numeric GENERATED ALWAYS AS (bronze.as_numeric((doc -> 'longitude'::text))) STORED,
    periapsis_arg numeric GENERATED ALWAYS AS (bronze.as_numeric((doc -> 'periapsis_arg'::text))) STORED,
    period_days numeric GENERATED ALWAYS AS (bronze.as_numeric((doc -> 'period_days'::text))) STORED,
    speed_kph numeric GENERATED ALWAYS AS (bronze.as_numeric((doc -> 'speed_kph'::text))) STORED,
    speed_mph numeric GENERATED ALWAYS AS (bronze.as_numeric((doc -> 'speed_mph'::text))) STORED,
    earth_distance_km numeric GENERATED ALWAYS AS (bronze.as_numeric((doc -> 'earth_distance_km'::text))) STORED,
    earth_distance_mi numeric GENERATED ALWAYS AS (bronze.as_numeric((doc -> 'earth_distance_mi'::text))) STORED,
    mars_distance_km numeric GENERATED ALWAYS AS (bronze.as_numeric((doc -> 'mars_distance_km'::text))) STORED,
    mars_distance_mi numeric GENERATED ALWAYS AS (bronze.as_numeric((doc -> 'mars_distance_mi'::text))) STORED,
    flickr_images text[] GENERATED ALWAYS AS (bronze.as_text_array((doc -> 'flickr_images'::text))) STORED,
    wikipedia text GENERATED ALWAYS AS (bronze.as_text((doc -> 'wikipedia'::text))) STORED,
    video text GENERATED ALWAYS AS (bronze.as_text((doc -> 'video'::text))) STORED,
    details text GENERATED ALWAYS AS (bronze.as_text((doc -> 'details'::text))) STORED,
    doc jsonb NOT NULL,
    doc_sha256 bytea NOT NULL,
    issues jsonb,
    deleted_at timestamp with time zone,
    run_id bigint NOT NULL,
    updated_at timestamp with time zone DEFAULT clock_timestamp() NOT NULL
);


--
-- Name: TABLE roadster; Type: COMMENT; Schema: bronze; Owner: -
--

COMMENT ON TABLE bronze.roadster IS 'Elon Musk''s Tesla Roadster: one row (GET /v4/roadster returns one object).';


--
-- Name: rocket_payload_weights; Type: TABLE; Schema: bronze; Owner: -
--

CREATE TABLE bronze.rocket_payload_weights (
    rocket_id text NOT NULL,
    weight_index integer NOT NULL,
    orbit_id text GENERATED ALWAYS AS (bronze.as_text((elem -> 'id'::text))) STORED,
    name text GENERATED ALWAYS AS (bronze.as_text((elem -> 'name'::text))) STORED,
    kg numeric GENERATED ALWAYS AS (bronze.as_numeric((elem -> 'kg'::text))) STORED,
    lb numeric GENERATED ALWAYS AS (bronze.as_numeric((elem -> 'lb'::text))) STORED,
    elem jsonb NOT NULL,
    issues jsonb,
    run_id bigint NOT NULL
);


--
-- Name: TABLE rocket_payload_weights; Type: COMMENT; Schema: bronze; Owner: -
--

COMMENT ON TABLE bronze.rocket_payload_weights IS 'rocket.payload_weights[]: payload capacity per orbit; orbit_id is a slug such as "leo", not a reference. One row per element, keyed by the parent''s id and the element''s zero-based position.';


--
-- Name: rockets; Type: TABLE; Schema: bronze; Owner: -
--

CREATE TABLE bronze.rockets (
    id text NOT NULL,
    name text GENERATED ALWAYS AS (bronze.as_text((doc -> 'name'::text))) STORED,
    type text GENERATED ALWAYS AS (bronze.as_text((doc -> 'type'::text))) STORED,
    active boolean GENERATED ALWAYS AS (bronze.as_boolean((doc -> 'active'::text))) STORED,
    stages integer GENERATED ALWAYS AS (bronze.as_integer((doc -> 'stages'::text))) STORED,
    boosters integer GENERATED ALWAYS AS (bronze.as_integer((doc -> 'boosters'::text))) STORED,
    cost_per_launch numeric GENERATED ALWAYS AS (bronze.as_numeric((doc -> 'cost_per_launch'::text))) STORED,
    success_rate_pct numeric GENERATED ALWAYS AS (bronze.as_numeric((doc -> 'success_rate_pct'::text))) STORED,
    first_flight date GENERATED ALWAYS AS (bronze.as_date((doc -> 'first_flight'::text))) STORED,
    country text GENERATED ALWAYS AS (bronze.as_text((doc -> 'country'::text))) STORED,
    company text GENERATED ALWAYS AS (bronze.as_text((doc -> 'company'::text))) STORED,
    height_m numeric GENERATED ALWAYS AS (bronze.as_numeric((doc #> '{height,meters}'::text[]))) STORED,
    diameter_m numeric GENERATED ALWAYS AS (bronze.as_numeric((doc #> '{diameter,meters}'::text[]))) STORED,
    mass_kg numeric GENERATED ALWAYS AS (bronze.as_numeric((doc #> '{mass,kg}'::text[]))) STORED,
    wikipedia text GENERATED ALWAYS AS (bronze.as_text((doc -> 'wikipedia'::text))) STORED,
    description text GENERATED ALWAYS AS (bronze.as_text((doc -> 'description'::text))) STORED,
    doc jsonb NOT NULL,
    doc_sha256 bytea NOT NULL,
    issues jsonb,
    deleted_at timestamp with time zone,
    run_id bigint NOT NULL,
    updated_at timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
    height_ft numeric GENERATED ALWAYS AS (bronze.as_numeric((doc #> '{height,feet}'::text[]))) STORED,
    diameter_ft numeric GENERATED ALWAYS AS (bronze.as_numeric((doc #> '{diameter,feet}'::text[]))) STORED,
    mass_lb numeric GENERATED ALWAYS AS (bronze.as_numeric((doc #> '{mass,lb}'::text[]))) STORED,
    first_stage_reusable boolean GENERATED ALWAYS AS (bronze.as_boolean((doc #> '{first_stage,reusable}'::text[]))) STORED,
    first_stage_engines integer GENERATED ALWAYS AS (bronze.as_integer((doc #> '{first_stage,engines}'::text[]))) STORED,
    first_stage_fuel_amount_tons numeric GENERATED ALWAYS AS (bronze.as_numeric((doc #> '{first_stage,fuel_amount_tons}'::text[]))) STORED,
    first_stage_burn_time_sec numeric GENERATED ALWAYS AS (bronze.as_numeric((doc #> '{first_stage,burn_time_sec}'::text[]))) STORED,
    first_stage_thrust_sea_level_kn numeric GENERATED ALWAYS AS (bronze.as_numeric((doc #> '{first_stage,thrust_sea_level,kN}'::text[]))) STORED,
    first_stage_thrust_sea_level_lbf numeric GENERATED ALWAYS AS (bronze.as_numeric((doc #> '{first_stage,thrust_sea_level,lbf}'::text[]))) STORED,
    first_stage_thrust_vacuum_kn numeric GENERATED ALWAYS AS (bronze.as_numeric((doc #> '{first_stage,thrust_vacuum,kN}'::text[]))) STORED,
    first_stage_thrust_vacuum_lbf numeric GENERATED ALWAYS AS (bronze.as_numeric((doc #> '{first_stage,thrust_vacuum,lbf}'::text[]))) STORED,
    second_stage_reusable boolean GENERATED ALWAYS AS (bronze.as_boolean((doc #> '{second_stage,reusable}'::text[]))) STORED,
    second_stage_engines integer GENERATED ALWAYS AS (bronze.as_integer((doc #> '{second_stage,engines}'::text[]))) STORED,
    second_stage_fuel_amount_tons numeric GENERATED ALWAYS AS (bronze.as_numeric((doc #> '{second_stage,fuel_amount_tons}'::text[]))) STORED,
    second_stage_burn_time_sec numeric GENERATED ALWAYS AS (bronze.as_numeric((doc #> '{second_stage,burn_time_sec}'::text[]))) STORED,
    second_stage_thrust_kn numeric GENERATED ALWAYS AS (bronze.as_numeric((doc #> '{second_stage,thrust,kN}'::text[]))) STORED,
    second_stage_thrust_lbf numeric GENERATED ALWAYS AS (bronze.as_numeric((doc #> '{second_stage,thrust,lbf}'::text[]))) STORED,
    second_stage_payload_option_1 text GENERATED ALWAYS AS (bronze.as_text((doc #> '{second_stage,payloads,option_1}'::text[]))) STORED,
    second_stage_fairing_height_m numeric GENERATED ALWAYS AS (bronze.as_numeric((doc #> '{second_stage,payloads,composite_fairing,height,meters}'::text[]))) STORED,
    second_stage_fairing_height_ft numeric GENERATED ALWAYS AS (bronze.as_numeric((doc #> '{second_stage,payloads,composite_fairing,height,feet}'::text[]))) STORED,
    second_stage_fairing_diameter_m numeric GENERATED ALWAYS AS (bronze.as_numeric((doc #> '{second_stage,payloads,composite_fairing,diameter,meters}'::text[]))) STORED,
    second_stage_fairing_diameter_ft numeric GENERATED ALWAYS AS (bronze.as_numeric((doc #> '{second_stage,payloads,composite_fairing,diameter,feet}'::text[]))) STORED,
    engines_number integer GENERATED ALWAYS AS (bronze.as_integer((doc #> '{engines,number}'::text[]))) STORED,
    engines_type text GENERATED ALWAYS AS (bronze.as_text((doc #> '{engines,type}'::text[]))) STORED,
    engines_version text GENERATED ALWAYS AS (bronze.as_text((doc #> '{engines,version}'::text[]))) STORED,
    engines_layout text GENERATED ALWAYS AS (bronze.as_text((doc #> '{engines,layout}'::text[]))) STORED,
    engines_isp_sea_level numeric GENERATED ALWAYS AS (bronze.as_numeric((doc #> '{engines,isp,sea_level}'::text[]))) STORED,
    engines_isp_vacuum numeric GENERATED ALWAYS AS (bronze.as_numeric((doc #> '{engines,isp,vacuum}'::text[]))) STORED,
    engines_engine_loss_max numeric GENERATED ALWAYS AS (bronze.as_numeric((doc #> '{engines,engine_loss_max}'::text[]))) STORED,
    engines_propellant_1 text GENERATED ALWAYS AS (bronze.as_text((doc #> '{engines,propellant_1}'::text[]))) STORED,
    engines_propellant_2 text GENERATED ALWAYS AS (bronze.as_text((doc #> '{engines,propellant_2}'::text[]))) STORED,
    engines_thrust_sea_level_kn numeric GENERATED ALWAYS AS (bronze.as_numeric((doc #> '{engines,thrust_sea_level,kN}'::text[]))) STORED,
    engines_thrust_sea_level_lbf numeric GENERATED ALWAYS AS (bronze.as_numeric((doc #> '{engines,thrust_sea_level,lbf}'::text[]))) STORED,
    engines_thrust_vacuum_kn numeric GENERATED ALWAYS AS (bronze.as_numeric((doc #> '{engines,thrust_vacuum,kN}'::text[]))) STORED,
    engines_thrust_vacuum_lbf numeric GENERATED ALWAYS AS (bronze.as_numeric((doc #> '{engines,thrust_vacuum,lbf}'::text[]))) STORED,
    engines_thrust_to_weight numeric GENERATED ALWAYS AS (bronze.as_numeric((doc #> '{engines,thrust_to_weight}'::text[]))) STORED,
    landing_legs_number integer GENERATED ALWAYS AS (bronze.as_integer((doc #> '{landing_legs,number}'::text[]))) STORED,
    landing_legs_material text GENERATED ALWAYS AS (bronze.as_text((doc #> '{landing_legs,material}'::text[]))) STORED,
    flickr_images text[] GENERATED ALWAYS AS (bronze.as_text_array((doc -> 'flickr_images'::text))) STORED
);


--
-- Name: ship_launches; Type: TABLE; Schema: bronze; Owner: -
--

CREATE TABLE bronze.ship_launches (
    ship_id text NOT NULL,
    launch_index integer NOT NULL,
    launch_id text GENERATED ALWAYS AS (bronze.as_id(elem)) STORED,
    elem jsonb NOT NULL,
    issues jsonb,
    run_id bigint NOT NULL
);


--
-- Name: TABLE ship_launches; Type: COMMENT; Schema: bronze; Owner: -
--

COMMENT ON TABLE bronze.ship_launches IS 'ship.launches[] One row per element, keyed by the parent''s id and the element''s zero-based position.';


--
-- Name: ships; Type: TABLE; Schema: bronze; Owner: -
--

CREATE TABLE bronze.ships (
    id text NOT NULL,
    name text GENERATED ALWAYS AS (bronze.as_text((doc -> 'name'::text))) STORED,
    legacy_id text GENERATED ALWAYS AS (bronze.as_text((doc -> 'legacy_id'::text))) STORED,
    model text GENERATED ALWAYS AS (bronze.as_text((doc -> 'model'::text))) STORED,
    type text GENERATED ALWAYS AS (bronze.as_text((doc -> 'type'::text))) STORED,
    roles text[] GENERATED ALWAYS AS (bronze.as_text_array((doc -> 'roles'::text))) STORED,
    active boolean GENERATED ALWAYS AS (bronze.as_boolean((doc -> 'active'::text))) STORED,
    imo integer GENERATED ALWAYS AS (bronze.as_integer((doc -> 'imo'::text))) STORED,
    mmsi integer GENERATED ALWAYS AS (bronze.as_integer((doc -> 'mmsi'::text))) STORED,
    abs integer GENERATED ALWAYS AS (bronze.as_integer((doc -> 'abs'::text))) STORED,
    class integer GENERATED ALWAYS AS (bronze.as_integer((doc -> 'class'::text))) STORED,
    mass_kg numeric GENERATED ALWAYS AS (bronze.as_numeric((doc -> 'mass_kg'::text))) STORED,
    mass_lbs numeric GENERATED ALWAYS AS (bronze.as_numeric((doc -> 'mass_lbs'::text))) STORED,
    year_built integer GENERATED ALWAYS AS (bronze.as_integer((doc -> 'year_built'::text))) STORED,
    home_port text GENERATED ALWAYS AS (bronze.as_text((doc -> 'home_port'::text))) STORED,
    status text GENERATED ALWAYS AS (bronze.as_text((doc -> 'status'::text))) STORED,
    speed_kn numeric GENERATED ALWAYS AS (bronze.as_numeric((doc -> 'speed_kn'::text))) STORED,
    course_deg numeric GENERATED ALWAYS AS (bronze.as_numeric((doc -> 'course_deg'::text))) STORED,
    latitude numeric GENERATED ALWAYS AS (bronze.as_numeric((doc -> 'latitude'::text))) STORED,
    longitude numeric GENERATED ALWAYS AS (bronze.as_numeric((doc -> 'longitude'::text))) STORED,
    last_ais_update timestamp with time zone GENERATED ALWAYS AS (bronze.as_timestamptz((doc -> 'last_ais_update'::text))) STORED,
    link text GENERATED ALWAYS AS (bronze.as_text((doc -> 'link'::text))) STORED,
    image text GENERATED ALWAYS AS (bronze.as_text((doc -> 'image'::text))) STORED,
    doc jsonb NOT NULL,
    doc_sha256 bytea NOT NULL,
    issues jsonb,
    deleted_at timestamp with time zone,
    run_id bigint NOT NULL,
    updated_at timestamp with time zone DEFAULT clock_timestamp() NOT NULL
);


--
-- Name: TABLE ships; Type: COMMENT; Schema: bronze; Owner: -
--

COMMENT ON TABLE bronze.ships IS 'Support ships (recovery, tugs, droneships).';


--
-- Name: starlink; Type: TABLE; Schema: bronze; Owner: -
--

CREATE TABLE bronze.starlink (
    id text NOT NULL,
    version text GENERATED ALWAYS AS (bronze.as_text((doc -> 'version'::text))) STORED,
    launch_id text GENERATED ALWAYS AS (bronze.as_id((doc -> 'launch'::text))) STORED,
    longitude numeric GENERATED ALWAYS AS (bronze.as_numeric((doc -> 'longitude'::text))) STORED,
    latitude numeric GENERATED ALWAYS AS (bronze.as_numeric((doc -> 'latitude'::text))) STORED,
    height_km numeric GENERATED ALWAYS AS (bronze.as_numeric((doc -> 'height_km'::text))) STORED,
    velocity_kms numeric GENERATED ALWAYS AS (bronze.as_numeric((doc -> 'velocity_kms'::text))) STORED,
    st_ccsds_omm_vers text GENERATED ALWAYS AS (bronze.as_text((doc #> '{spaceTrack,CCSDS_OMM_VERS}'::text[]))) STORED,
    st_comment text GENERATED ALWAYS AS (bronze.as_text((doc #> '{spaceTrack,COMMENT}'::text[]))) STORED,
    st_creation_date timestamp with time zone GENERATED ALWAYS AS (bronze.as_timestamptz((doc #> '{spaceTrack,CREATION_DATE}'::text[]))) STORED,
    st_originator text GENERATED ALWAYS AS (bronze.as_text((doc #> '{spaceTrack,ORIGINATOR}'::text[]))) STORED,
    st_object_name text GENERATED ALWAYS AS (bronze.as_text((doc #> '{spaceTrack,OBJECT_NAME}'::text[]))) STORED,
    st_object_id text GENERATED ALWAYS AS (bronze.as_text((doc #> '{spaceTrack,OBJECT_ID}'::text[]))) STORED,
    st_center_name text GENERATED ALWAYS AS (bronze.as_text((doc #> '{spaceTrack,CENTER_NAME}'::text[]))) STORED,
    st_ref_frame text GENERATED ALWAYS AS (bronze.as_text((doc #> '{spaceTrack,REF_FRAME}'::text[]))) STORED,
    st_time_system text GENERATED ALWAYS AS (bronze.as_text((doc #> '{spaceTrack,TIME_SYSTEM}'::text[]))) STORED,
    st_mean_element_theory text GENERATED ALWAYS AS (bronze.as_text((doc #> '{spaceTrack,MEAN_ELEMENT_THEORY}'::text[]))) STORED,
    st_epoch timestamp with time zone GENERATED ALWAYS AS (bronze.as_timestamptz((doc #> '{spaceTrack,EPOCH}'::text[]))) STORED,
    st_mean_motion numeric GENERATED ALWAYS AS (bronze.as_numeric((doc #> '{spaceTrack,MEAN_MOTION}'::text[]))) STORED,
    st_eccentricity numeric GENERATED ALWAYS AS (bronze.as_numeric((doc #> '{spaceTrack,ECCENTRICITY}'::text[]))) STORED,
    st_inclination numeric GENERATED ALWAYS AS (bronze.as_numeric((doc #> '{spaceTrack,INCLINATION}'::text[]))) STORED,
    st_ra_of_asc_node numeric GENERATED ALWAYS AS (bronze.as_numeric((doc #> '{spaceTrack,RA_OF_ASC_NODE}'::text[]))) STORED,
    st_arg_of_pericenter numeric GENERATED ALWAYS AS (bronze.as_numeric((doc #> '{spaceTrack,ARG_OF_PERICENTER}'::text[]))) STORED,
    st_mean_anomaly numeric GENERATED ALWAYS AS (bronze.as_numeric((doc #> '{spaceTrack,MEAN_ANOMALY}'::text[]))) STORED,
    st_ephemeris_type integer GENERATED ALWAYS AS (bronze.as_integer((doc #> '{spaceTrack,EPHEMERIS_TYPE}'::text[]))) STORED,
    st_classification_type text GENERATED ALWAYS AS (bronze.as_text((doc #> '{spaceTrack,CLASSIFICATION_TYPE}'::text[]))) STORED,
    st_norad_cat_id integer GENERATED ALWAYS AS (bronze.as_integer((doc #> '{spaceTrack,NORAD_CAT_ID}'::text[]))) STORED,
    st_element_set_no integer GENERATED ALWAYS AS (bronze.as_integer((doc #> '{spaceTrack,ELEMENT_SET_NO}'::text[]))) STORED,
    st_rev_at_epoch integer GENERATED ALWAYS AS (bronze.as_integer((doc #> '{spaceTrack,REV_AT_EPOCH}'::text[]))) STORED,
    st_bstar numeric GENERATED ALWAYS AS (bronze.as_numeric((doc #> '{spaceTrack,BSTAR}'::text[]))) STORED,
    st_mean_motion_dot numeric GENERATED ALWAYS AS (bronze.as_numeric((doc #> '{spaceTrack,MEAN_MOTION_DOT}'::text[]))) STORED,
    st_mean_motion_ddot numeric GENERATED ALWAYS AS (bronze.as_numeric((doc #> '{spaceTrack,MEAN_MOTION_DDOT}'::text[]))) STORED,
    st_semimajor_axis numeric GENERATED ALWAYS AS (bronze.as_numeric((doc #> '{spaceTrack,SEMIMAJOR_AXIS}'::text[]))) STORED,
    st_period numeric GENERATED ALWAYS AS (bronze.as_numeric((doc #> '{spaceTrack,PERIOD}'::text[]))) STORED,
    st_apoapsis numeric GENERATED ALWAYS AS (bronze.as_numeric((doc #> '{spaceTrack,APOAPSIS}'::text[]))) STORED,
    st_periapsis numeric GENERATED ALWAYS AS (bronze.as_numeric((doc #> '{spaceTrack,PERIAPSIS}'::text[]))) STORED,
    st_object_type text GENERATED ALWAYS AS (bronze.as_text((doc #> '{spaceTrack,OBJECT_TYPE}'::text[]))) STORED,
    st_rcs_size text GENERATED ALWAYS AS (bronze.as_text((doc #> '{spaceTrack,RCS_SIZE}'::text[]))) STORED,
    st_country_code text GENERATED ALWAYS AS (bronze.as_text((doc #> '{spaceTrack,COUNTRY_CODE}'::text[]))) STORED,
    st_launch_date date GENERATED ALWAYS AS (bronze.as_date((doc #> '{spaceTrack,LAUNCH_DATE}'::text[]))) STORED,
    st_site text GENERATED ALWAYS AS (bronze.as_text((doc #> '{spaceTrack,SITE}'::text[]))) STORED,
    st_decay_date date GENERATED ALWAYS AS (bronze.as_date((doc #> '{spaceTrack,DECAY_DATE}'::text[]))) STORED,
    st_decayed integer GENERATED ALWAYS AS (bronze.as_integer((doc #> '{spaceTrack,DECAYED}'::text[]))) STORED,
    st_file integer GENERATED ALWAYS AS (bronze.as_integer((doc #> '{spaceTrack,FILE}'::text[]))) STORED,
    st_gp_id integer GENERATED ALWAYS AS (bronze.as_integer((doc #> '{spaceTrack,GP_ID}'::text[]))) STORED,
    st_tle_line0 text GENERATED ALWAYS AS (bronze.as_text((doc #> '{spaceTrack,TLE_LINE0}'::text[]))) STORED,
    st_tle_line1 text GENERATED ALWAYS AS (bronze.as_text((doc #> '{spaceTrack,TLE_LINE1}'::text[]))) STORED,
    st_tle_line2 text GENERATED ALWAYS AS (bronze.as_text((doc #> '{spaceTrack,TLE_LINE2}'::text[]))) STORED,
    doc jsonb NOT NULL,
    doc_sha256 bytea NOT NULL,
    issues jsonb,
    deleted_at timestamp with time zone,
    run_id bigint NOT NULL,
    updated_at timestamp with time zone DEFAULT clock_timestamp() NOT NULL
);


--
-- Name: TABLE starlink; Type: COMMENT; Schema: bronze; Owner: -
--

COMMENT ON TABLE bronze.starlink IS 'Starlink satellites; st_* are the Space-Track OMM record (spaceTrack), one column per key.';


--
-- Name: run_resources; Type: TABLE; Schema: meta; Owner: -
--

CREATE TABLE meta.run_resources (
    run_id bigint NOT NULL,
    resource text NOT NULL,
    landed_run_id bigint,
    not_modified boolean DEFAULT false NOT NULL,
    etag text,
    extract_sha256 bytea,
    fetched bigint NOT NULL,
    sanitized bigint DEFAULT 0 NOT NULL,
    transform text,
    skipped boolean,
    duplicates bigint,
    rejected bigint,
    bad_values bigint,
    inserted bigint,
    updated bigint,
    unchanged bigint,
    deleted bigint,
    revived bigint,
    absent boolean DEFAULT false NOT NULL,
    oversized jsonb,
    CONSTRAINT run_resources_check CHECK ((absent OR ((landed_run_id IS NOT NULL) AND (extract_sha256 IS NOT NULL))))
);


--
-- Name: TABLE run_resources; Type: COMMENT; Schema: meta; Owner: -
--

COMMENT ON TABLE meta.run_resources IS 'Per-resource record of a run: where its documents are, what was fetched, and what happened to bronze.';


--
-- Name: COLUMN run_resources.landed_run_id; Type: COMMENT; Schema: meta; Owner: -
--

COMMENT ON COLUMN meta.run_resources.landed_run_id IS 'The run whose landing partition holds the documents: this run, or the earlier run whose identical extract it reuses (HTTP 304, an unchanged snapshot file, a replay).';


--
-- Name: COLUMN run_resources.not_modified; Type: COMMENT; Schema: meta; Owner: -
--

COMMENT ON COLUMN meta.run_resources.not_modified IS 'The source said the extract is unchanged since the ETag sent (HTTP 304, or the same snapshot file): nothing was downloaded or landed.';


--
-- Name: COLUMN run_resources.etag; Type: COMMENT; Schema: meta; Owner: -
--

COMMENT ON COLUMN meta.run_resources.etag IS 'The extract''s ETag: the HTTP ETag header, or sha256 of a snapshot file. The next run sends it as If-None-Match.';


--
-- Name: COLUMN run_resources.extract_sha256; Type: COMMENT; Schema: meta; Owner: -
--

COMMENT ON COLUMN meta.run_resources.extract_sha256 IS 'sha256 over the sha256 of every document in order: equal for equal extracts, whatever their source.';


--
-- Name: COLUMN run_resources.fetched; Type: COMMENT; Schema: meta; Owner: -
--

COMMENT ON COLUMN meta.run_resources.fetched IS 'Documents in the extract.';


--
-- Name: COLUMN run_resources.sanitized; Type: COMMENT; Schema: meta; Owner: -
--

COMMENT ON COLUMN meta.run_resources.sanitized IS 'Documents in which what jsonb rejects (\u0000, unpaired surrogate escapes, bytes that are not UTF-8) was replaced by U+FFFD before landing.';


--
-- Name: COLUMN run_resources.transform; Type: COMMENT; Schema: meta; Owner: -
--

COMMENT ON COLUMN meta.run_resources.transform IS 'Version of the schema and transform functions the promotion ran under (meta.transform_version()).';


--
-- Name: COLUMN run_resources.skipped; Type: COMMENT; Schema: meta; Owner: -
--

COMMENT ON COLUMN meta.run_resources.skipped IS 'Bronze already held exactly this extract under this transform version, so nothing was typed or written.';


--
-- Name: COLUMN run_resources.duplicates; Type: COMMENT; Schema: meta; Owner: -
--

COMMENT ON COLUMN meta.run_resources.duplicates IS 'Documents that repeated an id already in the same extract; the last occurrence won.';


--
-- Name: COLUMN run_resources.rejected; Type: COMMENT; Schema: meta; Owner: -
--

COMMENT ON COLUMN meta.run_resources.rejected IS 'Documents without a usable id (missing, null, empty, over 256 bytes, or not a string or number), kept in landing but not promoted; the run soft-deletes nothing of that resource.';


--
-- Name: COLUMN run_resources.bad_values; Type: COMMENT; Schema: meta; Owner: -
--

COMMENT ON COLUMN meta.run_resources.bad_values IS 'Records with at least one value of the wrong type in their row or their bridge rows, set to NULL and listed in an issues column.';


--
-- Name: COLUMN run_resources.inserted; Type: COMMENT; Schema: meta; Owner: -
--

COMMENT ON COLUMN meta.run_resources.inserted IS 'Bronze rows inserted.';


--
-- Name: COLUMN run_resources.updated; Type: COMMENT; Schema: meta; Owner: -
--

COMMENT ON COLUMN meta.run_resources.updated IS 'Bronze rows rewritten because their document changed (revived rows included).';


--
-- Name: COLUMN run_resources.unchanged; Type: COMMENT; Schema: meta; Owner: -
--

COMMENT ON COLUMN meta.run_resources.unchanged IS 'Bronze rows whose document was already current; not rewritten, not even typed.';


--
-- Name: COLUMN run_resources.deleted; Type: COMMENT; Schema: meta; Owner: -
--

COMMENT ON COLUMN meta.run_resources.deleted IS 'Bronze rows soft-deleted (deleted_at set) because the complete extract no longer had them.';


--
-- Name: COLUMN run_resources.revived; Type: COMMENT; Schema: meta; Owner: -
--

COMMENT ON COLUMN meta.run_resources.revived IS 'Soft-deleted bronze rows that came back (deleted_at cleared).';


--
-- Name: COLUMN run_resources.absent; Type: COMMENT; Schema: meta; Owner: -
--

COMMENT ON COLUMN meta.run_resources.absent IS 'The source does not have the resource (a snapshot directory without its file): nothing was landed or promoted, and bronze keeps what earlier runs loaded.';


--
-- Name: COLUMN run_resources.oversized; Type: COMMENT; Schema: meta; Owner: -
--

COMMENT ON COLUMN meta.run_resources.oversized IS 'Documents of the extract over the per-document byte limit (--max-document-bytes), each landed as a JSON string saying its size and rejected by the promotion: a JSON array of {"ordinal": n, "bytes": n}, ordinal being the document''s position in the array from 0 (landing''s ordinal) and bytes its size. NULL when none was.';


--
-- Name: runs; Type: TABLE; Schema: meta; Owner: -
--

CREATE TABLE meta.runs (
    run_id bigint NOT NULL,
    status text DEFAULT 'running'::text NOT NULL,
    source text NOT NULL,
    started_at timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
    finished_at timestamp with time zone,
    error text,
    views_refreshed text[],
    contract text,
    pid integer,
    CONSTRAINT runs_check CHECK (((status = 'running'::text) = (finished_at IS NULL))),
    CONSTRAINT runs_check1 CHECK (((status <> 'failed'::text) OR (error IS NOT NULL))),
    CONSTRAINT runs_contract_check CHECK ((contract = ANY (ARRAY['warn'::text, 'fail'::text]))),
    CONSTRAINT runs_status_check CHECK ((status = ANY (ARRAY['running'::text, 'succeeded'::text, 'failed'::text, 'cancelled'::text, 'abandoned'::text])))
);


--
-- Name: TABLE runs; Type: COMMENT; Schema: meta; Owner: -
--

COMMENT ON TABLE meta.runs IS 'One row per sync or replay: status, timing and the error of a failed run.';


--
-- Name: COLUMN runs.status; Type: COMMENT; Schema: meta; Owner: -
--

COMMENT ON COLUMN meta.runs.status IS 'running, succeeded, failed, cancelled (SIGINT/SIGTERM), or abandoned (the process died; found by the next run).';


--
-- Name: COLUMN runs.source; Type: COMMENT; Schema: meta; Owner: -
--

COMMENT ON COLUMN meta.runs.source IS 'Where the run extracted from: the API base URL, the snapshot directory, or the run it replays.';


--
-- Name: COLUMN runs.views_refreshed; Type: COMMENT; Schema: meta; Owner: -
--

COMMENT ON COLUMN meta.runs.views_refreshed IS 'The gold views a succeeded run refreshed: those reading a column the run changed, directly or through another gold view, in refresh order.';


--
-- Name: COLUMN runs.contract; Type: COMMENT; Schema: meta; Owner: -
--

COMMENT ON COLUMN meta.runs.contract IS 'What drift from db/contracts did in the run: warn (recorded and logged) or fail (recorded, and the run failed); a replay uses its run''s unless --contract is given. NULL for runs recorded before the column existed.';


--
-- Name: COLUMN runs.pid; Type: COMMENT; Schema: meta; Owner: -
--

COMMENT ON COLUMN meta.runs.pid IS 'The PostgreSQL backend (pg_backend_pid) that held the run lock for the run; NULL for runs recorded before the column existed.';


--
-- Name: freshness; Type: VIEW; Schema: gold; Owner: -
--

CREATE VIEW gold.freshness WITH (security_barrier='true') AS
 SELECT r.run_id,
    r.started_at,
    r.finished_at,
    rr.resource,
    rr.absent,
    rr.not_modified,
    rr.fetched,
    rr.inserted,
    rr.updated,
    rr.unchanged,
    rr.deleted,
    rr.revived
   FROM (( SELECT runs.run_id,
            runs.started_at,
            runs.finished_at
           FROM meta.runs
          WHERE (runs.status = 'succeeded'::text)
          ORDER BY runs.run_id DESC
         LIMIT 1) r
     LEFT JOIN meta.run_resources rr ON ((rr.run_id = r.run_id)));


--
-- Name: VIEW freshness; Type: COMMENT; Schema: gold; Owner: -
--

COMMENT ON VIEW gold.freshness IS 'The newest succeeded sync or replay (what bronze and gold now hold), one row per resource it recorded; no row before any run succeeded. Analysts read it instead of meta.runs, which they may not: SELECT DISTINCT run_id, finished_at, now() - finished_at AS age FROM gold.freshness.';


--
-- Name: COLUMN freshness.run_id; Type: COMMENT; Schema: gold; Owner: -
--

COMMENT ON COLUMN gold.freshness.run_id IS 'Id of the newest succeeded run (meta.runs.run_id; loader runs lists it).';


--
-- Name: COLUMN freshness.started_at; Type: COMMENT; Schema: gold; Owner: -
--

COMMENT ON COLUMN gold.freshness.started_at IS 'When that run started.';


--
-- Name: COLUMN freshness.finished_at; Type: COMMENT; Schema: gold; Owner: -
--

COMMENT ON COLUMN gold.freshness.finished_at IS 'When that run finished and committed: bronze and gold are as of this time.';


--
-- Name: COLUMN freshness.resource; Type: COMMENT; Schema: gold; Owner: -
--

COMMENT ON COLUMN gold.freshness.resource IS 'API resource (rockets, launches, ...): one row per resource the run recorded.';


--
-- Name: COLUMN freshness.absent; Type: COMMENT; Schema: gold; Owner: -
--

COMMENT ON COLUMN gold.freshness.absent IS 'The source lacked the resource (no file, or 404): bronze kept what it held of it.';


--
-- Name: COLUMN freshness.not_modified; Type: COMMENT; Schema: gold; Owner: -
--

COMMENT ON COLUMN gold.freshness.not_modified IS 'The source answered not modified (same ETag or file hash as the run before): nothing was downloaded or changed.';


--
-- Name: COLUMN freshness.fetched; Type: COMMENT; Schema: gold; Owner: -
--

COMMENT ON COLUMN gold.freshness.fetched IS 'Documents the run read from the source for this resource (0 when absent or not modified).';


--
-- Name: COLUMN freshness.inserted; Type: COMMENT; Schema: gold; Owner: -
--

COMMENT ON COLUMN gold.freshness.inserted IS 'Bronze rows the run inserted (new records); NULL when the resource was not promoted.';


--
-- Name: COLUMN freshness.updated; Type: COMMENT; Schema: gold; Owner: -
--

COMMENT ON COLUMN gold.freshness.updated IS 'Bronze rows the run updated (content changed, revived rows included); NULL when not promoted.';


--
-- Name: COLUMN freshness.unchanged; Type: COMMENT; Schema: gold; Owner: -
--

COMMENT ON COLUMN gold.freshness.unchanged IS 'Records whose content was already in bronze; NULL when not promoted.';


--
-- Name: COLUMN freshness.deleted; Type: COMMENT; Schema: gold; Owner: -
--

COMMENT ON COLUMN gold.freshness.deleted IS 'Bronze rows the run soft-deleted (missing from a complete extract); NULL when not promoted.';


--
-- Name: COLUMN freshness.revived; Type: COMMENT; Schema: gold; Owner: -
--

COMMENT ON COLUMN gold.freshness.revived IS 'Soft-deleted rows the run revived (back in the extract), also counted in updated; NULL when not promoted.';


--
-- Name: contents; Type: TABLE; Schema: landing; Owner: -
--

CREATE TABLE landing.contents (
    sha256 bytea NOT NULL,
    sanitized integer DEFAULT 0 NOT NULL,
    doc jsonb NOT NULL,
    id text GENERATED ALWAYS AS (landing.doc_id(doc)) STORED,
    CONSTRAINT contents_sha256_check CHECK ((length(sha256) = 32))
);


--
-- Name: TABLE contents; Type: COMMENT; Schema: landing; Owner: -
--

COMMENT ON TABLE landing.contents IS 'Each distinct document any kept extract holds, once, addressed by the sha256 of its raw bytes as received (landing.manifests names them).';


--
-- Name: COLUMN contents.sha256; Type: COMMENT; Schema: landing; Owner: -
--

COMMENT ON COLUMN landing.contents.sha256 IS 'sha256 of the document''s raw bytes as received.';


--
-- Name: COLUMN contents.sanitized; Type: COMMENT; Schema: landing; Owner: -
--

COMMENT ON COLUMN landing.contents.sanitized IS 'How many \u0000 escapes, unpaired surrogate escapes and non-UTF-8 bytes were replaced by U+FFFD in doc (sha256 is of the bytes before).';


--
-- Name: COLUMN contents.id; Type: COMMENT; Schema: landing; Owner: -
--

COMMENT ON COLUMN landing.contents.id IS 'The document''s id (landing.doc_id); NULL when it has no usable one.';


--
-- Name: manifests; Type: TABLE; Schema: landing; Owner: -
--

CREATE TABLE landing.manifests (
    run_id bigint NOT NULL,
    resource text NOT NULL,
    extracted_at timestamp with time zone NOT NULL,
    sha256s bytea[] NOT NULL
);
ALTER TABLE ONLY landing.manifests ALTER COLUMN sha256s SET STORAGE EXTERNAL;


--
-- Name: TABLE manifests; Type: COMMENT; Schema: landing; Owner: -
--

COMMENT ON TABLE landing.manifests IS 'The extract of a resource a run landed: the sha256 of each document, in the order received (meta.run_resources.landed_run_id says which run''s manifest a resource of a run reads). No foreign key to landing.contents: a manifest is checked whole when it is promoted.';


--
-- Name: COLUMN manifests.extracted_at; Type: COMMENT; Schema: landing; Owner: -
--

COMMENT ON COLUMN landing.manifests.extracted_at IS 'When the response carrying the documents was requested.';


--
-- Name: COLUMN manifests.sha256s; Type: COMMENT; Schema: landing; Owner: -
--

COMMENT ON COLUMN landing.manifests.sha256s IS 'sha256 of each document''s raw bytes (a key of landing.contents), element i+1 being the document at ordinal i.';


--
-- Name: documents; Type: VIEW; Schema: landing; Owner: -
--

CREATE VIEW landing.documents AS
 SELECT m.run_id,
    m.resource,
    ((e.i - 1))::integer AS ordinal,
    m.extracted_at,
    e.sha256,
    c.sanitized,
    c.doc,
    c.id
   FROM ((landing.manifests m
     CROSS JOIN LATERAL unnest(m.sha256s) WITH ORDINALITY e(sha256, i))
     JOIN landing.contents c ON ((c.sha256 = e.sha256)));


--
-- Name: VIEW documents; Type: COMMENT; Schema: landing; Owner: -
--

COMMENT ON VIEW landing.documents IS 'Raw API documents of every kept extract, one row per element of a response array (landing.manifests joined with landing.contents); meta.run_resources.landed_run_id says which run''s extract a resource of a run reads.';


--
-- Name: COLUMN documents.ordinal; Type: COMMENT; Schema: landing; Owner: -
--

COMMENT ON COLUMN landing.documents.ordinal IS 'Zero-based position of the document in the response.';


--
-- Name: observed; Type: TABLE; Schema: landing; Owner: -
--

CREATE TABLE landing.observed (
    run_id bigint NOT NULL,
    resource text NOT NULL,
    key text,
    type text,
    documents bigint NOT NULL
);


--
-- Name: TABLE observed; Type: COMMENT; Schema: landing; Owner: -
--

COMMENT ON TABLE landing.observed IS 'Per manifest: the top-level keys of its documents and their JSON types, with how many documents have each; the row of NULL key and type counts the documents that are objects. What the drift check compares with the contract.';


--
-- Name: applied_sql; Type: TABLE; Schema: meta; Owner: -
--

CREATE TABLE meta.applied_sql (
    name text NOT NULL,
    kind text NOT NULL,
    sha256 text NOT NULL,
    applied_at timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
    CONSTRAINT applied_sql_kind_check CHECK ((kind = ANY (ARRAY['function'::text, 'view'::text])))
);


--
-- Name: TABLE applied_sql; Type: COMMENT; Schema: meta; Owner: -
--

COMMENT ON TABLE meta.applied_sql IS 'db/functions and db/views files applied by loader migrate, with the hash of the applied SQL.';


--
-- Name: bronze_element; Type: TABLE; Schema: meta; Owner: -
--

CREATE TABLE meta.bronze_element (
    elem jsonb NOT NULL,
    issues jsonb,
    run_id bigint NOT NULL
);


--
-- Name: TABLE bronze_element; Type: COMMENT; Schema: meta; Owner: -
--

COMMENT ON TABLE meta.bronze_element IS 'Template (LIKE) of the bookkeeping columns of bronze bridge tables. Always empty.';


--
-- Name: bronze_record; Type: TABLE; Schema: meta; Owner: -
--

CREATE TABLE meta.bronze_record (
    doc jsonb NOT NULL,
    doc_sha256 bytea NOT NULL,
    issues jsonb,
    deleted_at timestamp with time zone,
    run_id bigint NOT NULL,
    updated_at timestamp with time zone DEFAULT clock_timestamp() NOT NULL
);


--
-- Name: TABLE bronze_record; Type: COMMENT; Schema: meta; Owner: -
--

COMMENT ON TABLE meta.bronze_record IS 'Template (LIKE) of the bookkeeping columns of bronze record tables. Always empty.';


--
-- Name: check_results; Type: TABLE; Schema: meta; Owner: -
--

CREATE TABLE meta.check_results (
    check_run_id bigint NOT NULL,
    name text NOT NULL,
    severity text NOT NULL,
    status text NOT NULL,
    violations bigint NOT NULL,
    samples text[] NOT NULL,
    error text,
    CONSTRAINT check_results_check CHECK (((status = 'error'::text) = (error IS NOT NULL))),
    CONSTRAINT check_results_severity_check CHECK ((severity = ANY (ARRAY['error'::text, 'warn'::text]))),
    CONSTRAINT check_results_status_check CHECK ((status = ANY (ARRAY['pass'::text, 'warn'::text, 'fail'::text, 'error'::text]))),
    CONSTRAINT check_results_violations_check CHECK ((violations >= 0))
);


--
-- Name: TABLE check_results; Type: COMMENT; Schema: meta; Owner: -
--

COMMENT ON TABLE meta.check_results IS 'One row per check of a recorded loader check (meta.check_runs).';


--
-- Name: COLUMN check_results.check_run_id; Type: COMMENT; Schema: meta; Owner: -
--

COMMENT ON COLUMN meta.check_results.check_run_id IS 'The loader check invocation (meta.check_runs).';


--
-- Name: COLUMN check_results.name; Type: COMMENT; Schema: meta; Owner: -
--

COMMENT ON COLUMN meta.check_results.name IS 'The check: its file name in db/checks without .sql.';


--
-- Name: COLUMN check_results.severity; Type: COMMENT; Schema: meta; Owner: -
--

COMMENT ON COLUMN meta.check_results.severity IS 'error (violations fail loader check) or warn (reported only).';


--
-- Name: COLUMN check_results.status; Type: COMMENT; Schema: meta; Owner: -
--

COMMENT ON COLUMN meta.check_results.status IS 'pass, warn (a warn check found rows), fail (an error check found rows), or error (the check''s SQL failed).';


--
-- Name: COLUMN check_results.violations; Type: COMMENT; Schema: meta; Owner: -
--

COMMENT ON COLUMN meta.check_results.violations IS 'Rows the check returned; 0 when its SQL failed.';


--
-- Name: COLUMN check_results.samples; Type: COMMENT; Schema: meta; Owner: -
--

COMMENT ON COLUMN meta.check_results.samples IS 'The smallest keys of the violating rows, at most 5.';


--
-- Name: COLUMN check_results.error; Type: COMMENT; Schema: meta; Owner: -
--

COMMENT ON COLUMN meta.check_results.error IS 'Why the check could not run (status error); NULL otherwise.';


--
-- Name: check_runs; Type: TABLE; Schema: meta; Owner: -
--

CREATE TABLE meta.check_runs (
    check_run_id bigint NOT NULL,
    checked_at timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
    max_age interval NOT NULL,
    only_checks text[]
);


--
-- Name: TABLE check_runs; Type: COMMENT; Schema: meta; Owner: -
--

COMMENT ON TABLE meta.check_runs IS 'One row per loader check whose results were recorded (meta.check_results).';


--
-- Name: COLUMN check_runs.check_run_id; Type: COMMENT; Schema: meta; Owner: -
--

COMMENT ON COLUMN meta.check_runs.check_run_id IS 'Identifies the invocation; meta.check_results rows refer to it.';


--
-- Name: COLUMN check_runs.checked_at; Type: COMMENT; Schema: meta; Owner: -
--

COMMENT ON COLUMN meta.check_runs.checked_at IS 'When the results were recorded, just after the checks'' read-only transaction ended.';


--
-- Name: COLUMN check_runs.max_age; Type: COMMENT; Schema: meta; Owner: -
--

COMMENT ON COLUMN meta.check_runs.max_age IS 'The --max-age runs_fresh was held to; 0 means no limit.';


--
-- Name: COLUMN check_runs.only_checks; Type: COMMENT; Schema: meta; Owner: -
--

COMMENT ON COLUMN meta.check_runs.only_checks IS 'The checks --only selected; NULL when every check ran.';


--
-- Name: check_runs_check_run_id_seq; Type: SEQUENCE; Schema: meta; Owner: -
--

ALTER TABLE meta.check_runs ALTER COLUMN check_run_id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME meta.check_runs_check_run_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: locks; Type: TABLE; Schema: meta; Owner: -
--

CREATE TABLE meta.locks (
    name text NOT NULL,
    CONSTRAINT locks_name_check CHECK ((name = 'run'::text))
);


--
-- Name: TABLE locks; Type: COMMENT; Schema: meta; Owner: -
--

COMMENT ON TABLE meta.locks IS 'The loader''s run lock, as a row: a sync or replay holds it (one at a time) by locking the row FOR UPDATE in a transaction; nothing is ever written to it. loader migrate locks public.schema_migrations instead.';


--
-- Name: run_drift; Type: TABLE; Schema: meta; Owner: -
--

CREATE TABLE meta.run_drift (
    run_id bigint NOT NULL,
    resource text NOT NULL,
    key text NOT NULL,
    change text NOT NULL,
    expected text,
    observed text,
    documents bigint NOT NULL,
    CONSTRAINT run_drift_change_check CHECK ((change = ANY (ARRAY['new_key'::text, 'missing_key'::text, 'type_change'::text])))
);


--
-- Name: TABLE run_drift; Type: COMMENT; Schema: meta; Owner: -
--

COMMENT ON TABLE meta.run_drift IS 'Per run and resource: top-level keys that are new, missing from some documents, or of a JSON type the contract (db/contracts) does not allow.';


--
-- Name: COLUMN run_drift.expected; Type: COMMENT; Schema: meta; Owner: -
--

COMMENT ON COLUMN meta.run_drift.expected IS 'JSON types the contract allows for the key.';


--
-- Name: COLUMN run_drift.observed; Type: COMMENT; Schema: meta; Owner: -
--

COMMENT ON COLUMN meta.run_drift.observed IS 'JSON types seen (new_key, type_change).';


--
-- Name: COLUMN run_drift.documents; Type: COMMENT; Schema: meta; Owner: -
--

COMMENT ON COLUMN meta.run_drift.documents IS 'Documents showing the change.';


--
-- Name: runs_run_id_seq; Type: SEQUENCE; Schema: meta; Owner: -
--

ALTER TABLE meta.runs ALTER COLUMN run_id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME meta.runs_run_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: schema_migrations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.schema_migrations (
    version character varying NOT NULL
);


--
-- Name: capsule_launches capsule_launches_pkey; Type: CONSTRAINT; Schema: bronze; Owner: -
--

ALTER TABLE ONLY bronze.capsule_launches
    ADD CONSTRAINT capsule_launches_pkey PRIMARY KEY (capsule_id, launch_index);


--
-- Name: capsules capsules_pkey; Type: CONSTRAINT; Schema: bronze; Owner: -
--

ALTER TABLE ONLY bronze.capsules
    ADD CONSTRAINT capsules_pkey PRIMARY KEY (id);


--
-- Name: company company_pkey; Type: CONSTRAINT; Schema: bronze; Owner: -
--

ALTER TABLE ONLY bronze.company
    ADD CONSTRAINT company_pkey PRIMARY KEY (id);


--
-- Name: core_launches core_launches_pkey; Type: CONSTRAINT; Schema: bronze; Owner: -
--

ALTER TABLE ONLY bronze.core_launches
    ADD CONSTRAINT core_launches_pkey PRIMARY KEY (core_id, launch_index);


--
-- Name: cores cores_pkey; Type: CONSTRAINT; Schema: bronze; Owner: -
--

ALTER TABLE ONLY bronze.cores
    ADD CONSTRAINT cores_pkey PRIMARY KEY (id);


--
-- Name: crew_launches crew_launches_pkey; Type: CONSTRAINT; Schema: bronze; Owner: -
--

ALTER TABLE ONLY bronze.crew_launches
    ADD CONSTRAINT crew_launches_pkey PRIMARY KEY (crew_id, launch_index);


--
-- Name: crew crew_pkey; Type: CONSTRAINT; Schema: bronze; Owner: -
--

ALTER TABLE ONLY bronze.crew
    ADD CONSTRAINT crew_pkey PRIMARY KEY (id);


--
-- Name: dragon_thrusters dragon_thrusters_pkey; Type: CONSTRAINT; Schema: bronze; Owner: -
--

ALTER TABLE ONLY bronze.dragon_thrusters
    ADD CONSTRAINT dragon_thrusters_pkey PRIMARY KEY (dragon_id, thruster_index);


--
-- Name: dragons dragons_pkey; Type: CONSTRAINT; Schema: bronze; Owner: -
--

ALTER TABLE ONLY bronze.dragons
    ADD CONSTRAINT dragons_pkey PRIMARY KEY (id);


--
-- Name: history history_pkey; Type: CONSTRAINT; Schema: bronze; Owner: -
--

ALTER TABLE ONLY bronze.history
    ADD CONSTRAINT history_pkey PRIMARY KEY (id);


--
-- Name: landpad_launches landpad_launches_pkey; Type: CONSTRAINT; Schema: bronze; Owner: -
--

ALTER TABLE ONLY bronze.landpad_launches
    ADD CONSTRAINT landpad_launches_pkey PRIMARY KEY (landpad_id, launch_index);


--
-- Name: landpads landpads_pkey; Type: CONSTRAINT; Schema: bronze; Owner: -
--

ALTER TABLE ONLY bronze.landpads
    ADD CONSTRAINT landpads_pkey PRIMARY KEY (id);


--
-- Name: launch_capsules launch_capsules_pkey; Type: CONSTRAINT; Schema: bronze; Owner: -
--

ALTER TABLE ONLY bronze.launch_capsules
    ADD CONSTRAINT launch_capsules_pkey PRIMARY KEY (launch_id, capsule_index);


--
-- Name: launch_cores launch_cores_pkey; Type: CONSTRAINT; Schema: bronze; Owner: -
--

ALTER TABLE ONLY bronze.launch_cores
    ADD CONSTRAINT launch_cores_pkey PRIMARY KEY (launch_id, core_index);


--
-- Name: launch_crew launch_crew_pkey; Type: CONSTRAINT; Schema: bronze; Owner: -
--

ALTER TABLE ONLY bronze.launch_crew
    ADD CONSTRAINT launch_crew_pkey PRIMARY KEY (launch_id, crew_index);


--
-- Name: launch_failures launch_failures_pkey; Type: CONSTRAINT; Schema: bronze; Owner: -
--

ALTER TABLE ONLY bronze.launch_failures
    ADD CONSTRAINT launch_failures_pkey PRIMARY KEY (launch_id, failure_index);


--
-- Name: launch_fairing_ships launch_fairing_ships_pkey; Type: CONSTRAINT; Schema: bronze; Owner: -
--

ALTER TABLE ONLY bronze.launch_fairing_ships
    ADD CONSTRAINT launch_fairing_ships_pkey PRIMARY KEY (launch_id, ship_index);


--
-- Name: launch_payloads launch_payloads_pkey; Type: CONSTRAINT; Schema: bronze; Owner: -
--

ALTER TABLE ONLY bronze.launch_payloads
    ADD CONSTRAINT launch_payloads_pkey PRIMARY KEY (launch_id, payload_index);


--
-- Name: launch_ships launch_ships_pkey; Type: CONSTRAINT; Schema: bronze; Owner: -
--

ALTER TABLE ONLY bronze.launch_ships
    ADD CONSTRAINT launch_ships_pkey PRIMARY KEY (launch_id, ship_index);


--
-- Name: launches launches_pkey; Type: CONSTRAINT; Schema: bronze; Owner: -
--

ALTER TABLE ONLY bronze.launches
    ADD CONSTRAINT launches_pkey PRIMARY KEY (id);


--
-- Name: launchpad_launches launchpad_launches_pkey; Type: CONSTRAINT; Schema: bronze; Owner: -
--

ALTER TABLE ONLY bronze.launchpad_launches
    ADD CONSTRAINT launchpad_launches_pkey PRIMARY KEY (launchpad_id, launch_index);


--
-- Name: launchpad_rockets launchpad_rockets_pkey; Type: CONSTRAINT; Schema: bronze; Owner: -
--

ALTER TABLE ONLY bronze.launchpad_rockets
    ADD CONSTRAINT launchpad_rockets_pkey PRIMARY KEY (launchpad_id, rocket_index);


--
-- Name: launchpads launchpads_pkey; Type: CONSTRAINT; Schema: bronze; Owner: -
--

ALTER TABLE ONLY bronze.launchpads
    ADD CONSTRAINT launchpads_pkey PRIMARY KEY (id);


--
-- Name: payload_customers payload_customers_pkey; Type: CONSTRAINT; Schema: bronze; Owner: -
--

ALTER TABLE ONLY bronze.payload_customers
    ADD CONSTRAINT payload_customers_pkey PRIMARY KEY (payload_id, customer_index);


--
-- Name: payload_manufacturers payload_manufacturers_pkey; Type: CONSTRAINT; Schema: bronze; Owner: -
--

ALTER TABLE ONLY bronze.payload_manufacturers
    ADD CONSTRAINT payload_manufacturers_pkey PRIMARY KEY (payload_id, manufacturer_index);


--
-- Name: payload_nationalities payload_nationalities_pkey; Type: CONSTRAINT; Schema: bronze; Owner: -
--

ALTER TABLE ONLY bronze.payload_nationalities
    ADD CONSTRAINT payload_nationalities_pkey PRIMARY KEY (payload_id, nationality_index);


--
-- Name: payload_norad_ids payload_norad_ids_pkey; Type: CONSTRAINT; Schema: bronze; Owner: -
--

ALTER TABLE ONLY bronze.payload_norad_ids
    ADD CONSTRAINT payload_norad_ids_pkey PRIMARY KEY (payload_id, norad_id_index);


--
-- Name: payloads payloads_pkey; Type: CONSTRAINT; Schema: bronze; Owner: -
--

ALTER TABLE ONLY bronze.payloads
    ADD CONSTRAINT payloads_pkey PRIMARY KEY (id);


--
-- Name: roadster roadster_pkey; Type: CONSTRAINT; Schema: bronze; Owner: -
--

ALTER TABLE ONLY bronze.roadster
    ADD CONSTRAINT roadster_pkey PRIMARY KEY (id);


--
-- Name: rocket_payload_weights rocket_payload_weights_pkey; Type: CONSTRAINT; Schema: bronze; Owner: -
--

ALTER TABLE ONLY bronze.rocket_payload_weights
    ADD CONSTRAINT rocket_payload_weights_pkey PRIMARY KEY (rocket_id, weight_index);


--
-- Name: rockets rockets_pkey; Type: CONSTRAINT; Schema: bronze; Owner: -
--

ALTER TABLE ONLY bronze.rockets
    ADD CONSTRAINT rockets_pkey PRIMARY KEY (id);


--
-- Name: ship_launches ship_launches_pkey; Type: CONSTRAINT; Schema: bronze; Owner: -
--

ALTER TABLE ONLY bronze.ship_launches
    ADD CONSTRAINT ship_launches_pkey PRIMARY KEY (ship_id, launch_index);


--
-- Name: ships ships_pkey; Type: CONSTRAINT; Schema: bronze; Owner: -
--

ALTER TABLE ONLY bronze.ships
    ADD CONSTRAINT ships_pkey PRIMARY KEY (id);


--
-- Name: starlink starlink_pkey; Type: CONSTRAINT; Schema: bronze; Owner: -
--

ALTER TABLE ONLY bronze.starlink
    ADD CONSTRAINT starlink_pkey PRIMARY KEY (id);


--
-- Name: contents contents_pkey; Type: CONSTRAINT; Schema: landing; Owner: -
--

ALTER TABLE ONLY landing.contents
    ADD CONSTRAINT contents_pkey PRIMARY KEY (sha256);


--
-- Name: manifests manifests_pkey; Type: CONSTRAINT; Schema: landing; Owner: -
--

ALTER TABLE ONLY landing.manifests
    ADD CONSTRAINT manifests_pkey PRIMARY KEY (run_id, resource);


--
-- Name: applied_sql applied_sql_pkey; Type: CONSTRAINT; Schema: meta; Owner: -
--

ALTER TABLE ONLY meta.applied_sql
    ADD CONSTRAINT applied_sql_pkey PRIMARY KEY (name);


--
-- Name: check_results check_results_pkey; Type: CONSTRAINT; Schema: meta; Owner: -
--

ALTER TABLE ONLY meta.check_results
    ADD CONSTRAINT check_results_pkey PRIMARY KEY (check_run_id, name);


--
-- Name: check_runs check_runs_pkey; Type: CONSTRAINT; Schema: meta; Owner: -
--

ALTER TABLE ONLY meta.check_runs
    ADD CONSTRAINT check_runs_pkey PRIMARY KEY (check_run_id);


--
-- Name: locks locks_pkey; Type: CONSTRAINT; Schema: meta; Owner: -
--

ALTER TABLE ONLY meta.locks
    ADD CONSTRAINT locks_pkey PRIMARY KEY (name);


--
-- Name: run_drift run_drift_pkey; Type: CONSTRAINT; Schema: meta; Owner: -
--

ALTER TABLE ONLY meta.run_drift
    ADD CONSTRAINT run_drift_pkey PRIMARY KEY (run_id, resource, key, change);


--
-- Name: run_resources run_resources_pkey; Type: CONSTRAINT; Schema: meta; Owner: -
--

ALTER TABLE ONLY meta.run_resources
    ADD CONSTRAINT run_resources_pkey PRIMARY KEY (run_id, resource);


--
-- Name: runs runs_pkey; Type: CONSTRAINT; Schema: meta; Owner: -
--

ALTER TABLE ONLY meta.runs
    ADD CONSTRAINT runs_pkey PRIMARY KEY (run_id);


--
-- Name: schema_migrations schema_migrations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.schema_migrations
    ADD CONSTRAINT schema_migrations_pkey PRIMARY KEY (version);


--
-- Name: capsule_launches_issues; Type: INDEX; Schema: bronze; Owner: -
--

CREATE INDEX capsule_launches_issues ON bronze.capsule_launches USING btree (capsule_id) WHERE (issues IS NOT NULL);


--
-- Name: capsule_launches_launch_id_idx; Type: INDEX; Schema: bronze; Owner: -
--

CREATE INDEX capsule_launches_launch_id_idx ON bronze.capsule_launches USING btree (launch_id);


--
-- Name: core_launches_issues; Type: INDEX; Schema: bronze; Owner: -
--

CREATE INDEX core_launches_issues ON bronze.core_launches USING btree (core_id) WHERE (issues IS NOT NULL);


--
-- Name: core_launches_launch_id_idx; Type: INDEX; Schema: bronze; Owner: -
--

CREATE INDEX core_launches_launch_id_idx ON bronze.core_launches USING btree (launch_id);


--
-- Name: crew_launches_issues; Type: INDEX; Schema: bronze; Owner: -
--

CREATE INDEX crew_launches_issues ON bronze.crew_launches USING btree (crew_id) WHERE (issues IS NOT NULL);


--
-- Name: crew_launches_launch_id_idx; Type: INDEX; Schema: bronze; Owner: -
--

CREATE INDEX crew_launches_launch_id_idx ON bronze.crew_launches USING btree (launch_id);


--
-- Name: dragon_thrusters_issues; Type: INDEX; Schema: bronze; Owner: -
--

CREATE INDEX dragon_thrusters_issues ON bronze.dragon_thrusters USING btree (dragon_id) WHERE (issues IS NOT NULL);


--
-- Name: landpad_launches_issues; Type: INDEX; Schema: bronze; Owner: -
--

CREATE INDEX landpad_launches_issues ON bronze.landpad_launches USING btree (landpad_id) WHERE (issues IS NOT NULL);


--
-- Name: landpad_launches_launch_id_idx; Type: INDEX; Schema: bronze; Owner: -
--

CREATE INDEX landpad_launches_launch_id_idx ON bronze.landpad_launches USING btree (launch_id);


--
-- Name: launch_capsules_capsule_id_idx; Type: INDEX; Schema: bronze; Owner: -
--

CREATE INDEX launch_capsules_capsule_id_idx ON bronze.launch_capsules USING btree (capsule_id);


--
-- Name: launch_capsules_issues; Type: INDEX; Schema: bronze; Owner: -
--

CREATE INDEX launch_capsules_issues ON bronze.launch_capsules USING btree (launch_id) WHERE (issues IS NOT NULL);


--
-- Name: launch_cores_core_id_idx; Type: INDEX; Schema: bronze; Owner: -
--

CREATE INDEX launch_cores_core_id_idx ON bronze.launch_cores USING btree (core_id);


--
-- Name: launch_cores_issues; Type: INDEX; Schema: bronze; Owner: -
--

CREATE INDEX launch_cores_issues ON bronze.launch_cores USING btree (launch_id) WHERE (issues IS NOT NULL);


--
-- Name: launch_cores_landpad_id_idx; Type: INDEX; Schema: bronze; Owner: -
--

CREATE INDEX launch_cores_landpad_id_idx ON bronze.launch_cores USING btree (landpad_id);


--
-- Name: launch_crew_crew_id_idx; Type: INDEX; Schema: bronze; Owner: -
--

CREATE INDEX launch_crew_crew_id_idx ON bronze.launch_crew USING btree (crew_id);


--
-- Name: launch_crew_issues; Type: INDEX; Schema: bronze; Owner: -
--

CREATE INDEX launch_crew_issues ON bronze.launch_crew USING btree (launch_id) WHERE (issues IS NOT NULL);


--
-- Name: launch_failures_issues; Type: INDEX; Schema: bronze; Owner: -
--

CREATE INDEX launch_failures_issues ON bronze.launch_failures USING btree (launch_id) WHERE (issues IS NOT NULL);


--
-- Name: launch_fairing_ships_issues; Type: INDEX; Schema: bronze; Owner: -
--

CREATE INDEX launch_fairing_ships_issues ON bronze.launch_fairing_ships USING btree (launch_id) WHERE (issues IS NOT NULL);


--
-- Name: launch_fairing_ships_ship_id_idx; Type: INDEX; Schema: bronze; Owner: -
--

CREATE INDEX launch_fairing_ships_ship_id_idx ON bronze.launch_fairing_ships USING btree (ship_id);


--
-- Name: launch_payloads_issues; Type: INDEX; Schema: bronze; Owner: -
--

CREATE INDEX launch_payloads_issues ON bronze.launch_payloads USING btree (launch_id) WHERE (issues IS NOT NULL);


--
-- Name: launch_payloads_payload_id_idx; Type: INDEX; Schema: bronze; Owner: -
--

CREATE INDEX launch_payloads_payload_id_idx ON bronze.launch_payloads USING btree (payload_id);


--
-- Name: launch_ships_issues; Type: INDEX; Schema: bronze; Owner: -
--

CREATE INDEX launch_ships_issues ON bronze.launch_ships USING btree (launch_id) WHERE (issues IS NOT NULL);


--
-- Name: launch_ships_ship_id_idx; Type: INDEX; Schema: bronze; Owner: -
--

CREATE INDEX launch_ships_ship_id_idx ON bronze.launch_ships USING btree (ship_id);


--
-- Name: launches_date_utc_idx; Type: INDEX; Schema: bronze; Owner: -
--

CREATE INDEX launches_date_utc_idx ON bronze.launches USING btree (date_utc);


--
-- Name: launches_launchpad_id_idx; Type: INDEX; Schema: bronze; Owner: -
--

CREATE INDEX launches_launchpad_id_idx ON bronze.launches USING btree (launchpad_id);


--
-- Name: launches_rocket_id_idx; Type: INDEX; Schema: bronze; Owner: -
--

CREATE INDEX launches_rocket_id_idx ON bronze.launches USING btree (rocket_id);


--
-- Name: launchpad_launches_issues; Type: INDEX; Schema: bronze; Owner: -
--

CREATE INDEX launchpad_launches_issues ON bronze.launchpad_launches USING btree (launchpad_id) WHERE (issues IS NOT NULL);


--
-- Name: launchpad_launches_launch_id_idx; Type: INDEX; Schema: bronze; Owner: -
--

CREATE INDEX launchpad_launches_launch_id_idx ON bronze.launchpad_launches USING btree (launch_id);


--
-- Name: launchpad_rockets_issues; Type: INDEX; Schema: bronze; Owner: -
--

CREATE INDEX launchpad_rockets_issues ON bronze.launchpad_rockets USING btree (launchpad_id) WHERE (issues IS NOT NULL);


--
-- Name: launchpad_rockets_rocket_id_idx; Type: INDEX; Schema: bronze; Owner: -
--

CREATE INDEX launchpad_rockets_rocket_id_idx ON bronze.launchpad_rockets USING btree (rocket_id);


--
-- Name: payload_customers_issues; Type: INDEX; Schema: bronze; Owner: -
--

CREATE INDEX payload_customers_issues ON bronze.payload_customers USING btree (payload_id) WHERE (issues IS NOT NULL);


--
-- Name: payload_manufacturers_issues; Type: INDEX; Schema: bronze; Owner: -
--

CREATE INDEX payload_manufacturers_issues ON bronze.payload_manufacturers USING btree (payload_id) WHERE (issues IS NOT NULL);


--
-- Name: payload_nationalities_issues; Type: INDEX; Schema: bronze; Owner: -
--

CREATE INDEX payload_nationalities_issues ON bronze.payload_nationalities USING btree (payload_id) WHERE (issues IS NOT NULL);


--
-- Name: payload_norad_ids_issues; Type: INDEX; Schema: bronze; Owner: -
--

CREATE INDEX payload_norad_ids_issues ON bronze.payload_norad_ids USING btree (payload_id) WHERE (issues IS NOT NULL);


--
-- Name: payloads_dragon_capsule_id_idx; Type: INDEX; Schema: bronze; Owner: -
--

CREATE INDEX payloads_dragon_capsule_id_idx ON bronze.payloads USING btree (dragon_capsule_id);


--
-- Name: payloads_launch_id_idx; Type: INDEX; Schema: bronze; Owner: -
--

CREATE INDEX payloads_launch_id_idx ON bronze.payloads USING btree (launch_id);


--
-- Name: rocket_payload_weights_issues; Type: INDEX; Schema: bronze; Owner: -
--

CREATE INDEX rocket_payload_weights_issues ON bronze.rocket_payload_weights USING btree (rocket_id) WHERE (issues IS NOT NULL);


--
-- Name: ship_launches_issues; Type: INDEX; Schema: bronze; Owner: -
--

CREATE INDEX ship_launches_issues ON bronze.ship_launches USING btree (ship_id) WHERE (issues IS NOT NULL);


--
-- Name: ship_launches_launch_id_idx; Type: INDEX; Schema: bronze; Owner: -
--

CREATE INDEX ship_launches_launch_id_idx ON bronze.ship_launches USING btree (launch_id);


--
-- Name: starlink_launch_id_idx; Type: INDEX; Schema: bronze; Owner: -
--

CREATE INDEX starlink_launch_id_idx ON bronze.starlink USING btree (launch_id);


--
-- Name: contents_sanitized; Type: INDEX; Schema: landing; Owner: -
--

CREATE INDEX contents_sanitized ON landing.contents USING btree (sha256) WHERE (sanitized > 0);


--
-- Name: observed_run_id_resource_idx; Type: INDEX; Schema: landing; Owner: -
--

CREATE INDEX observed_run_id_resource_idx ON landing.observed USING btree (run_id, resource);


--
-- Name: observed observed_run_id_resource_fkey; Type: FK CONSTRAINT; Schema: landing; Owner: -
--

ALTER TABLE ONLY landing.observed
    ADD CONSTRAINT observed_run_id_resource_fkey FOREIGN KEY (run_id, resource) REFERENCES landing.manifests(run_id, resource) ON DELETE CASCADE;


--
-- Name: check_results check_results_check_run_id_fkey; Type: FK CONSTRAINT; Schema: meta; Owner: -
--

ALTER TABLE ONLY meta.check_results
    ADD CONSTRAINT check_results_check_run_id_fkey FOREIGN KEY (check_run_id) REFERENCES meta.check_runs(check_run_id) ON DELETE CASCADE;


--
-- Name: run_drift run_drift_run_id_fkey; Type: FK CONSTRAINT; Schema: meta; Owner: -
--

ALTER TABLE ONLY meta.run_drift
    ADD CONSTRAINT run_drift_run_id_fkey FOREIGN KEY (run_id) REFERENCES meta.runs(run_id) ON DELETE CASCADE;


--
-- Name: run_resources run_resources_run_id_fkey; Type: FK CONSTRAINT; Schema: meta; Owner: -
--

ALTER TABLE ONLY meta.run_resources
    ADD CONSTRAINT run_resources_run_id_fkey FOREIGN KEY (run_id) REFERENCES meta.runs(run_id) ON DELETE CASCADE;


--
-- PostgreSQL database dump complete
--

\unrestrict dbmate


--
-- Dbmate schema migrations
--

INSERT INTO public.schema_migrations (version) VALUES
    ('20261128180000'),
    ('20261128210000'),
    ('20261128220000'),
    ('20261128230000'),
    ('20261206120000'),
    ('20261206140000'),
    ('20261206151200'),
    ('20261206160000'),
    ('20261206170000'),
    ('20261207100000'),
    ('20261208100000'),
    ('20261208200000'),
    ('20261208300000'),
    ('20261209100000'),
    ('20261209200000'),
    ('20261209300000'),
    ('20261210100000');
