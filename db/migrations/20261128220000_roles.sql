-- migrate:up

-- Least-privilege group roles (NOLOGIN; deployers grant them to their own
-- logins: GRANT spacex_writer TO etl_user):
--   spacex_writer   runs loader sync, replay and check: reads and writes the
--                   rows of landing, bronze and meta, reads gold, and does
--                   everything that needs ownership (a run's landing
--                   partition, pruning, refreshing gold) through the
--                   SECURITY DEFINER functions of db/functions, owned by
--                   the migration owner. It owns nothing and can create
--                   nothing but temporary tables.
--   spacex_analyst  reads bronze and gold, nothing else.
-- Roles belong to the cluster, not the database: each is created only
-- where absent (another database of the cluster may have created it, even
-- concurrently), and the down migration leaves them in place.
DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['spacex_writer', 'spacex_analyst'] LOOP
        IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = r) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I NOLOGIN', r);
            EXCEPTION
                WHEN duplicate_object OR unique_violation THEN
                    NULL; -- created meanwhile by the migration of another database
                WHEN insufficient_privilege THEN
                    RAISE EXCEPTION 'cannot create role %: %', r, SQLERRM
                        USING HINT = format('Give the migration owner CREATEROLE, or have a superuser run CREATE ROLE %I NOLOGIN first.', r);
            END;
        ELSIF EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = r AND (rolsuper OR rolcanlogin OR rolbypassrls)) THEN
            RAISE WARNING 'role % already exists and can log in, is a superuser or bypasses row security: it should be a plain NOLOGIN group role', r;
        END IF;
    END LOOP;
END
$$;

-- Grants every privilege the two roles have, on what exists now. Called
-- here, and by `loader migrate` after it has applied the function and view
-- files, since a re-created view starts without grants. (The default
-- privileges it sets cover what the migration owner creates later too: a
-- run's landing partition, a new table, a re-created view.) Run it as the
-- migration owner, who owns every object of these schemas.
CREATE FUNCTION meta.apply_grants() RETURNS void
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

COMMENT ON FUNCTION meta.apply_grants() IS 'Grants spacex_writer and spacex_analyst their privileges on everything that exists now, and sets the default privileges of what the caller (the migration owner) creates later. loader migrate calls it after the function and view files.';

REVOKE ALL ON FUNCTION meta.apply_grants() FROM PUBLIC;

SELECT meta.apply_grants();

-- migrate:down

-- The roles stay: other databases of the cluster may use them, and logins
-- may have been granted them. Only what this database granted them goes.
DO $$
BEGIN
    ALTER DEFAULT PRIVILEGES IN SCHEMA landing, bronze, meta
        REVOKE ALL ON TABLES FROM spacex_writer;
    ALTER DEFAULT PRIVILEGES IN SCHEMA landing, bronze, meta
        REVOKE ALL ON SEQUENCES FROM spacex_writer;
    ALTER DEFAULT PRIVILEGES IN SCHEMA gold REVOKE ALL ON TABLES FROM spacex_writer;
    ALTER DEFAULT PRIVILEGES IN SCHEMA bronze, gold REVOKE ALL ON TABLES FROM spacex_analyst;
    REVOKE ALL ON ALL TABLES IN SCHEMA landing, bronze, gold, meta FROM spacex_writer, spacex_analyst;
    REVOKE ALL ON ALL SEQUENCES IN SCHEMA landing, bronze, gold, meta FROM spacex_writer, spacex_analyst;
    REVOKE ALL ON SCHEMA landing, bronze, gold, meta FROM spacex_writer, spacex_analyst;
    IF to_regprocedure('landing.open_run(bigint)') IS NOT NULL THEN
        REVOKE ALL ON FUNCTION landing.open_run(bigint), landing.prune(integer) FROM spacex_writer;
    END IF;
    IF to_regprocedure('meta.refresh_view(text)') IS NOT NULL THEN
        REVOKE ALL ON FUNCTION meta.refresh_view(text) FROM spacex_writer;
    END IF;
    IF to_regclass('public.schema_migrations') IS NOT NULL THEN
        REVOKE ALL ON public.schema_migrations FROM spacex_writer;
    END IF;
    IF pg_has_role((SELECT datdba FROM pg_database WHERE datname = current_database()), 'USAGE') THEN
        EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM spacex_writer', current_database());
    END IF;
END
$$;

DROP FUNCTION meta.apply_grants();
