-- name: RunAbandonStale :many
-- RunAbandonStale marks every run still 'running' as abandoned. Call it only
-- while holding the run lock: no live process can then own such a run, so its
-- process died (SIGKILL, crash, lost connection) before recording an outcome.
UPDATE meta.runs
SET status = 'abandoned',
    finished_at = clock_timestamp(),
    error = 'the process stopped before recording an outcome; nothing it did reached bronze or gold'
WHERE status = 'running'
RETURNING run_id;

-- name: RunCreate :one
-- RunCreate opens a ledger row for a new sync or replay, with the contract
-- mode it runs under and the backend holding its run lock, and returns its
-- id.
INSERT INTO meta.runs (source, contract, pid) VALUES (@source::text, @contract::text, @pid::int)
RETURNING run_id;

-- name: RunFinish :execrows
-- RunFinish closes a run with its final status; error is NULL on success.
-- It changes only a run still 'running': a run another one has marked
-- abandoned stays so, and RunFinish reports 0 rows.
UPDATE meta.runs
SET status = @status::text,
    finished_at = clock_timestamp(),
    error = sqlc.narg('error')::text
WHERE run_id = @run_id::bigint AND status = 'running';

-- name: RunPromotionSettings :exec
-- RunPromotionSettings sets the promotion transaction's settings: timestamps
-- shown in UTC whatever the session's TimeZone, and work_mem for the sorts
-- and hashes over a whole extract, so that they stay in memory as it grows.
SELECT set_config('TimeZone', 'UTC', true), set_config('work_mem', '64MB', true);

-- name: RunViewsRefreshed :exec
-- RunViewsRefreshed records the gold views a run refreshed.
UPDATE meta.runs SET views_refreshed = @views::text[] WHERE run_id = @run_id::bigint;

-- name: RunResourceLanded :exec
-- RunResourceLanded records where a run's extract of a resource is and
-- what it held.
-- An absent resource (the source does not have it) has no landing and no
-- extract hash. oversized is NULL when no document was over the limit.
INSERT INTO meta.run_resources (run_id, resource, absent, landed_run_id, not_modified, etag, extract_sha256, fetched, sanitized, oversized)
VALUES (@run_id::bigint, @resource::text, @absent::boolean, sqlc.narg('landed_run_id')::bigint, @not_modified::boolean,
        sqlc.narg('etag')::text, sqlc.narg('extract_sha256')::bytea, @fetched::bigint, @sanitized::bigint,
        sqlc.narg('oversized')::jsonb)
ON CONFLICT (run_id, resource) DO UPDATE
SET absent = EXCLUDED.absent, landed_run_id = EXCLUDED.landed_run_id, not_modified = EXCLUDED.not_modified,
    etag = EXCLUDED.etag, extract_sha256 = EXCLUDED.extract_sha256, fetched = EXCLUDED.fetched, sanitized = EXCLUDED.sanitized,
    oversized = EXCLUDED.oversized;

-- name: RunResourcePromoted :exec
-- RunResourcePromoted records what promoting a resource did to bronze.
UPDATE meta.run_resources
SET transform = @transform::text,
    skipped = @skipped::boolean,
    duplicates = @duplicates::bigint,
    rejected = @rejected::bigint,
    bad_values = @bad_values::bigint,
    inserted = @inserted::bigint,
    updated = @updated::bigint,
    unchanged = @unchanged::bigint,
    deleted = @deleted::bigint,
    revived = @revived::bigint
WHERE run_id = @run_id::bigint AND resource = @resource::text;

-- name: RunResources :many
-- RunResources lists what each resource of the given runs extracted and
-- promoted, by run and resource.
SELECT * FROM meta.run_resources
WHERE run_id = ANY (@run_ids::bigint[])
ORDER BY run_id, resource;

-- name: RunResourceCurrent :one
-- RunResourceCurrent returns the resource's record in the newest succeeded
-- run that had it: the extract bronze holds now, under which transform, and
-- its counts. (A run the resource was absent from left bronze as it was.)
SELECT rr.* FROM meta.run_resources rr
JOIN meta.runs r ON r.run_id = rr.run_id
WHERE r.status = 'succeeded' AND rr.resource = @resource::text AND NOT rr.absent
ORDER BY rr.run_id DESC
LIMIT 1;

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

-- name: RunGet :one
-- RunGet returns one run of the ledger, by id.
SELECT * FROM meta.runs WHERE run_id = @run_id::bigint;

-- name: RunLastSucceeded :one
-- RunLastSucceeded returns the newest succeeded sync or replay (what
-- bronze holds), with its age by the server's clock.
SELECT run_id, source, started_at, finished_at::timestamptz AS finished_at,
       extract(epoch FROM clock_timestamp() - finished_at)::float8 AS age_seconds
FROM meta.runs
WHERE status = 'succeeded'
ORDER BY run_id DESC
LIMIT 1;
