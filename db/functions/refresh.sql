-- Refreshing gold: which views a promotion made stale, and their refresh.
-- `loader migrate` applies this file whenever it changes.

-- The applied gold materialized views that read, directly or through
-- other views, any of the tables changed, in the order to refresh them
-- (the order their files are applied in).
CREATE OR REPLACE FUNCTION meta.views_to_refresh(changed regclass[]) RETURNS SETOF text
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    WITH RECURSIVE reads(view, input) AS (
        SELECT DISTINCT r.ev_class, d.refobjid
        FROM pg_rewrite r
        JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid
             AND d.refclassid = 'pg_class'::regclass AND d.refobjid <> r.ev_class
    ), stale(view) AS (
        SELECT view FROM reads WHERE input = ANY (changed)
        UNION
        SELECT reads.view FROM reads JOIN stale ON reads.input = stale.view
    )
    SELECT a.name
    FROM meta.applied_sql a
    JOIN pg_class c ON c.oid = to_regclass(a.name)
    WHERE a.kind = 'view' AND c.relkind = 'm' AND c.oid IN (SELECT view FROM stale)
    ORDER BY a.name;
END;

-- Refreshes the gold materialized view p_name (as named in
-- meta.applied_sql, e.g. gold.rocket_cost_efficiency) CONCURRENTLY, so
-- that readers keep the previous contents until the caller commits. A view
-- with no rows yet (the first load) is refreshed plainly: there is nothing
-- for readers to keep, and CONCURRENTLY would diff every new row against
-- nothing, which at 300 times the snapshot doubles the refresh.
--
-- It refreshes only what meta.applied_sql lists as a view file applied by
-- loader migrate, which the writer can read but not write, and builds the
-- statement from the view's regclass, never from the text it was given.
--
-- Whose rights it runs with depends on the server (docs/design.md, "Roles"):
-- - before PostgreSQL 17, REFRESH MATERIALIZED VIEW needs ownership of the
--   view, and spacex_writer owns nothing: the function is SECURITY DEFINER
--   and runs as its owner (the migration owner, who created the views);
-- - from 17, the MAINTAIN privilege allows REFRESH without ownership, and
--   meta.apply_grants() gives the writer MAINTAIN on exactly the views
--   loader migrate applied: the DO block below makes the function SECURITY
--   INVOKER, so a refresh runs with the writer's rights and nothing of ours
--   runs as the owner.
-- Either way the search_path is fixed.
CREATE OR REPLACE FUNCTION meta.refresh_view(p_name text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v     regclass;
    empty boolean;
BEGIN
    SELECT c.oid INTO v
    FROM meta.applied_sql a
    JOIN pg_class c ON c.oid = to_regclass(a.name)
    WHERE a.name = p_name AND a.kind = 'view' AND c.relkind = 'm';
    IF v IS NULL THEN
        RAISE EXCEPTION 'meta.refresh_view: % is not a materialized view applied by loader migrate', coalesce(quote_literal(p_name), 'NULL')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    EXECUTE format('SELECT NOT EXISTS (SELECT FROM %s)', v) INTO empty;
    EXECUTE format('REFRESH MATERIALIZED VIEW %s %s', CASE WHEN NOT empty THEN 'CONCURRENTLY' END, v);
END
$$;

REVOKE ALL ON FUNCTION meta.refresh_view(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION meta.refresh_view(text) TO spacex_writer;

DO $$
BEGIN
    IF current_setting('server_version_num')::int >= 170000 THEN
        ALTER FUNCTION meta.refresh_view(text) SECURITY INVOKER;
    END IF;
END
$$;
