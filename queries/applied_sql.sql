-- name: AppliedSQLGet :one
-- AppliedSQLGet returns the hash a function or view file was last applied
-- with ('' if never), and the kind of relation that now carries its name
-- ('m' materialized view, 'v' view, '' when there is none).
SELECT
    coalesce((SELECT a.sha256 FROM meta.applied_sql a WHERE a.name = @name::text), '')::text AS sha256,
    coalesce((SELECT c.relkind FROM pg_catalog.pg_class c WHERE c.oid = to_regclass(@name::text))::text, '')::text AS relkind;

-- name: AppliedSQLRecord :exec
-- AppliedSQLRecord stores the hash of the file just applied.
INSERT INTO meta.applied_sql (name, kind, sha256) VALUES (@name::text, @kind::text, @sha256::text)
ON CONFLICT (name) DO UPDATE SET kind = EXCLUDED.kind, sha256 = EXCLUDED.sha256, applied_at = clock_timestamp();

-- name: AppliedSQLViewsToRefresh :many
-- AppliedSQLViewsToRefresh lists the gold materialized views that read any
-- of the changed tables, directly or through other views, in refresh order.
SELECT name::text FROM meta.views_to_refresh(CAST(@changed::text[] AS regclass[])) AS name;

-- name: AppliedSQLRefreshView :exec
-- AppliedSQLRefreshView refreshes one gold materialized view through
-- meta.refresh_view (db/functions/refresh.sql), which runs as the view's
-- owner: REFRESH needs ownership, which the writer role running a sync does
-- not have, and it refreshes only views loader migrate applied.
SELECT meta.refresh_view(@name::text);
