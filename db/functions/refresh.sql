-- Refreshing gold: which views a promotion made stale, and their refresh.
-- `loader migrate` applies this file whenever it changes.

-- The applied gold materialized views that read any of the columns a
-- promotion changed, directly or through other views, in the order to
-- refresh them (the order their files are applied in, which puts a view
-- after those it reads), each with why: the changed columns it reads
-- ("bronze.launches.success"), and the refreshed views it reads
-- ("gold.crew_flights"), since a refresh may change any of their columns.
-- changed_columns[i] is a column of changed_tables[i], or '*' for every
-- column (a retyped resource).
--
-- What a view reads is PostgreSQL's own record of it: its rewrite rule
-- depends (pg_depend) on each column the query names, or on the table as
-- a whole (refobjsubid 0) when it names none of its columns. A row read
-- whole (to_jsonb(l), l::text, f(l)) is a Var of attribute 0 in the rule,
-- which pg_depend drops beside the columns named: a view with one is taken
-- to read every column of every table it reads.
DROP FUNCTION IF EXISTS meta.views_to_refresh(regclass[]);
CREATE OR REPLACE FUNCTION meta.views_to_refresh(changed_tables regclass[], changed_columns text[],
    OUT view text, OUT because text[]) RETURNS SETOF record
-- The search_path makes every regclass's text schema-qualified.
LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    WITH RECURSIVE changed(rel, attnum, cause) AS (
        SELECT c.rel, a.attnum, format('%s.%s', c.rel, c.col)
        FROM unnest(changed_tables, changed_columns) AS c(rel, col)
        LEFT JOIN pg_attribute a ON a.attrelid = c.rel AND a.attname = c.col AND c.col <> '*'
        WHERE c.col = '*' OR a.attnum IS NOT NULL
    ), rules(oid, view, whole) AS MATERIALIZED (
        -- The rules of the views outside the system catalogs, each rule's
        -- tree made text once: it is large, and the catalogs' views are
        -- most of them (30 ms, made text once per column read, for all).
        SELECT r.oid, r.ev_class, r.ev_action::text ~ ':varattno 0[ }]'
        FROM pg_rewrite r
        WHERE (SELECT v.relnamespace FROM pg_class v WHERE v.oid = r.ev_class)
              NOT IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace)
    ), reads(view, input, attnum) AS (
        SELECT DISTINCT r.view, d.refobjid, CASE WHEN r.whole THEN 0 ELSE d.refobjsubid END
        FROM rules r
        JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid
             AND d.refclassid = 'pg_class'::regclass AND d.refobjid <> r.view
    ), stale(view, cause) AS (
        SELECT reads.view, changed.cause
        FROM reads JOIN changed ON changed.rel = reads.input
        WHERE changed.attnum IS NULL OR reads.attnum = 0 OR reads.attnum = changed.attnum
        UNION
        SELECT reads.view, stale.view::regclass::text
        FROM reads JOIN stale ON reads.input = stale.view
    )
    SELECT a.name, array_agg(DISTINCT s.cause ORDER BY s.cause)
    FROM meta.applied_sql a
    JOIN pg_class c ON c.oid = to_regclass(a.name)
    JOIN stale s ON s.view = c.oid
    WHERE a.kind = 'view' AND c.relkind = 'm'
    GROUP BY a.name
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
