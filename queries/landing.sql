-- name: LandingOpenRun :exec
-- LandingOpenRun creates the partition that holds a run's documents.
SELECT landing.open_run(@run_id::bigint);

-- name: LandingHasRun :one
-- LandingHasRun reports whether a run's documents are still in landing.
SELECT landing.has_run(@run_id::bigint)::boolean AS kept;

-- name: LandingPrune :many
-- LandingPrune drops the landing partitions no kept run reads from, and
-- returns their runs.
SELECT run_id::bigint FROM landing.prune(@keep_runs::integer) AS run_id;
