-- name: LandingStats :one
-- LandingStats counts, in a run's landed documents of a resource, the
-- repeated ids (the last occurrence wins) and the documents without a usable
-- id (kept in landing, not promoted).
SELECT
    (count(landing.doc_id(doc)) - count(DISTINCT landing.doc_id(doc)))::bigint AS duplicates,
    (count(*) - count(landing.doc_id(doc)))::bigint AS rejected
FROM landing.documents
WHERE run_id = @run_id::bigint AND resource = @resource::text;

-- name: LandingPrune :execrows
-- LandingPrune deletes the landed documents of all but the newest keep_runs
-- runs, so landing stays bounded.
DELETE FROM landing.documents
WHERE run_id < (
    SELECT min(r.run_id)
    FROM (SELECT run_id FROM meta.runs ORDER BY run_id DESC LIMIT @keep_runs::integer) r
);

-- name: LandingCopyRun :execrows
-- LandingCopyRun lands a copy of an earlier run's documents under a new run,
-- for a replay; lineage (position, time, hash) is kept.
INSERT INTO landing.documents (run_id, resource, ordinal, extracted_at, sha256, sanitized, doc)
SELECT @run_id::bigint, d.resource, d.ordinal, d.extracted_at, d.sha256, d.sanitized, d.doc
FROM landing.documents d
WHERE d.run_id = @from_run_id::bigint;

-- name: LandingCount :one
-- LandingCount counts the documents a run has in landing now.
SELECT count(*)::bigint FROM landing.documents WHERE run_id = @run_id::bigint;
