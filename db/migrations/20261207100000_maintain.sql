-- migrate:up

-- PostgreSQL 17 added the MAINTAIN privilege, which allows REFRESH
-- MATERIALIZED VIEW without owning the view. Where the server has it,
-- meta.apply_grants() now gives spacex_writer MAINTAIN on the gold views
-- loader migrate applied, and db/functions/refresh.sql makes
-- meta.refresh_view run with the writer's rights instead of its owner's
-- (docs/design.md, "Roles"). The rest of the function is as the roles
-- migration wrote it.
CREATE OR REPLACE FUNCTION meta.apply_grants() RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
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

SELECT meta.apply_grants();

-- migrate:down

-- The function as the roles migration wrote it, and no MAINTAIN left.
CREATE OR REPLACE FUNCTION meta.apply_grants() RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
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

    -- The analyst: reads bronze and gold; no access to landing or meta.
    GRANT USAGE ON SCHEMA bronze, gold TO spacex_analyst;
    GRANT SELECT ON ALL TABLES IN SCHEMA bronze, gold TO spacex_analyst;
    ALTER DEFAULT PRIVILEGES IN SCHEMA bronze, gold GRANT SELECT ON TABLES TO spacex_analyst;
END
$$;

DO $$
DECLARE
    v regclass;
BEGIN
    IF current_setting('server_version_num')::int >= 170000 THEN
        FOR v IN SELECT c.oid::regclass FROM pg_class c WHERE c.relnamespace = 'gold'::regnamespace AND c.relkind = 'm' LOOP
            EXECUTE format('REVOKE MAINTAIN ON %s FROM spacex_writer', v);
        END LOOP;
    END IF;
END
$$;
