-- Bookkeeping functions of the run ledger. `loader migrate` applies this
-- file whenever it changes.

-- The version of everything that decides what bronze holds for a given
-- document: the migrations applied and the function files. A promotion
-- records it; a document is typed again when it changed.
CREATE OR REPLACE FUNCTION meta.transform_version() RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
RETURN left(md5(
    (SELECT string_agg(version, ',' ORDER BY version) FROM public.schema_migrations) || '/' ||
    coalesce((SELECT string_agg(name || '=' || sha256, ',' ORDER BY name) FROM meta.applied_sql WHERE kind = 'function'), '')
), 16);

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
