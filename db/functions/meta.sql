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
