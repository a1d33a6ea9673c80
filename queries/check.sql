-- name: CheckRunCreate :one
-- CheckRunCreate records a loader check invocation and returns its id.
-- only_checks is NULL when every check ran.
INSERT INTO meta.check_runs (max_age, only_checks)
VALUES (CAST(@max_age::text AS interval), sqlc.narg('only_checks')::text[])
RETURNING check_run_id, checked_at;

-- name: CheckResultsRecord :execrows
-- CheckResultsRecord records the results of a check run, given as a JSON
-- array of {name, severity, status, violations, samples, error}: one
-- statement, however many checks ran.
INSERT INTO meta.check_results (check_run_id, name, severity, status, violations, samples, error)
SELECT @check_run_id::bigint, r.name, r.severity, r.status, r.violations,
       ARRAY(SELECT jsonb_array_elements_text(r.samples)), r.error
FROM jsonb_to_recordset(@results::jsonb)
     AS r(name text, severity text, status text, violations bigint, samples jsonb, error text);

-- name: CheckRunLatest :one
-- CheckRunLatest returns the newest recorded check run after check run
-- @after (0: of all) that ran every check (@every) or only some (--only),
-- with its age by the server's clock. loader status shows the newest run of
-- every check, and the newest --only run after it: a run of one check does
-- not stand for a full one.
SELECT check_run_id, checked_at, only_checks,
       extract(epoch FROM clock_timestamp() - checked_at)::float8 AS age_seconds
FROM meta.check_runs
WHERE (only_checks IS NULL) = @every::boolean
  AND check_run_id > @after::bigint
ORDER BY check_run_id DESC
LIMIT 1;

-- name: CheckResultsOfRun :many
-- CheckResultsOfRun lists a check run's results by name.
SELECT name, severity, status, violations, samples, error
FROM meta.check_results
WHERE check_run_id = @check_run_id::bigint
ORDER BY name;
