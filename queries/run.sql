-- name: RunCreate :one
-- RunCreate opens a ledger row for a new sync and returns its id.
INSERT INTO meta.runs (source) VALUES (@source::text)
RETURNING run_id;

-- name: RunFinish :exec
-- RunFinish closes a run with its final status; error is NULL on success.
UPDATE meta.runs
SET status = @status::text,
    finished_at = clock_timestamp(),
    error = sqlc.narg('error')::text
WHERE run_id = @run_id::bigint;

-- name: RunResourceFetched :exec
-- RunResourceFetched records how many documents a resource landed in a run.
INSERT INTO meta.run_resources (run_id, resource, fetched)
VALUES (@run_id::bigint, @resource::text, @fetched::bigint)
ON CONFLICT (run_id, resource) DO UPDATE SET fetched = EXCLUDED.fetched;

-- name: RunResourcePromoted :exec
-- RunResourcePromoted records what promoting a resource did to bronze.
UPDATE meta.run_resources
SET inserted = @inserted::bigint,
    updated = @updated::bigint,
    unchanged = @unchanged::bigint
WHERE run_id = @run_id::bigint AND resource = @resource::text;
