-- name: GoldViewsToRefresh :many
-- GoldViewsToRefresh lists the gold materialized views that read any of
-- the changed columns (columns[i] of tables[i], '*' for all of them),
-- directly or through other views, in refresh order, each with the changed
-- columns and refreshed views it reads.
SELECT v.view::text AS view, v.because::text[] AS because
FROM meta.views_to_refresh(CAST(@tables::text[] AS regclass[]), @columns::text[]) AS v;

-- name: GoldRefreshView :exec
-- GoldRefreshView refreshes one gold materialized view through
-- meta.refresh_view (db/functions/refresh.sql), which refreshes only views
-- loader migrate applied: before PostgreSQL 17 as the view's owner, since
-- REFRESH then needs ownership, which the writer role running a sync does
-- not have; from 17 with the writer's own MAINTAIN privilege.
SELECT meta.refresh_view(@name::text);

-- name: GoldFreshnessLastRun :one
-- GoldFreshnessLastRun returns the newest succeeded run and when it
-- finished, from gold.freshness, which the analyst may read (meta.runs it
-- may not); no row when no run succeeded.
SELECT run_id, finished_at::timestamptz AS finished_at FROM gold.freshness LIMIT 1;
