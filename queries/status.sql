-- name: SchemaTablesPresent :one
-- SchemaTablesPresent says which of the tables loader status reads exist,
-- so that it can describe a database that is not (fully) migrated.
SELECT (to_regclass('public.schema_migrations') IS NOT NULL)::boolean AS has_schema_migrations,
       (to_regclass('meta.applied_sql') IS NOT NULL)::boolean AS has_applied_sql,
       (to_regclass('meta.runs') IS NOT NULL)::boolean AS has_runs,
       (to_regclass('meta.check_runs') IS NOT NULL)::boolean AS has_check_runs;
