-- name: SchemaTablesPresent :one
-- SchemaTablesPresent says which of the tables loader status reads exist,
-- so that it can describe a database that is not (fully) migrated.
SELECT (to_regclass('public.schema_migrations') IS NOT NULL)::boolean AS has_schema_migrations,
       (to_regclass('meta.applied_sql') IS NOT NULL)::boolean AS has_applied_sql,
       (to_regclass('meta.runs') IS NOT NULL)::boolean AS has_runs,
       (to_regclass('meta.check_runs') IS NOT NULL)::boolean AS has_check_runs;

-- name: SchemaMigrationsReadable :one
-- SchemaMigrationsReadable says whether the current role may read dbmate's
-- table, from the catalog, which every role can read (to_regclass fails on
-- a schema the role has no USAGE on); no row when the table does not exist.
SELECT has_table_privilege(c.oid, 'SELECT')::boolean AS readable
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relname = 'schema_migrations' AND c.relkind IN ('r', 'p');

-- name: AppliedSQLReadable :one
-- AppliedSQLReadable says whether the current role may read
-- meta.applied_sql, from the catalog (a spacex_analyst login has no USAGE
-- on meta); no row when the table does not exist.
SELECT has_table_privilege(c.oid, 'SELECT')::boolean AS readable
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'meta' AND c.relname = 'applied_sql' AND c.relkind IN ('r', 'p');
