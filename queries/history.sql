-- name: RunList :many
-- RunList lists the newest runs, newest first, each with the bronze rows
-- it changed: inserted, updated (revived included) and soft-deleted, over
-- its resources. A run whose promotion did not commit has NULL counts, so 0.
SELECT r.run_id, r.status, r.source, r.started_at, r.finished_at, r.error,
       coalesce(r.views_refreshed, '{}')::text[] AS views_refreshed,
       coalesce(sum(coalesce(rr.inserted, 0) + coalesce(rr.updated, 0) + coalesce(rr.deleted, 0)), 0)::bigint AS rows_changed
FROM meta.runs r
LEFT JOIN meta.run_resources rr ON rr.run_id = r.run_id
GROUP BY r.run_id
ORDER BY r.run_id DESC
LIMIT @max_runs::integer;

-- name: RunLastSucceeded :one
-- RunLastSucceeded returns the newest succeeded sync or replay (what
-- bronze holds), with its age by the server's clock.
SELECT run_id, source, started_at, finished_at::timestamptz AS finished_at,
       extract(epoch FROM clock_timestamp() - finished_at)::float8 AS age_seconds
FROM meta.runs
WHERE status = 'succeeded'
ORDER BY run_id DESC
LIMIT 1;

-- name: SchemaTablesPresent :one
-- SchemaTablesPresent says which of the tables loader status reads exist,
-- so that it can describe a database that is not (fully) migrated.
SELECT (to_regclass('public.schema_migrations') IS NOT NULL)::boolean AS has_schema_migrations,
       (to_regclass('meta.applied_sql') IS NOT NULL)::boolean AS has_applied_sql,
       (to_regclass('meta.runs') IS NOT NULL)::boolean AS has_runs,
       (to_regclass('meta.check_runs') IS NOT NULL)::boolean AS has_check_runs;

-- name: AppliedSQLList :many
-- AppliedSQLList lists the function and view files applied, by kind and
-- name; present says whether a view's relation exists (always true for a
-- function file).
SELECT name, kind, sha256, applied_at,
       (kind <> 'view' OR to_regclass(name) IS NOT NULL)::boolean AS present
FROM meta.applied_sql
ORDER BY kind, name;
