-- name: LandingContentsKnown :many
-- LandingContentsKnown returns which of the given document hashes
-- landing.contents already holds, and how many replacements each had: a
-- landing sends only the others in full.
SELECT c.sha256, c.sanitized FROM landing.contents c WHERE c.sha256 = ANY (@sha256s::bytea[]);

-- name: LandingManifestAdd :exec
-- LandingManifestAdd records a run's extract of a resource: the hashes of
-- its documents in order, each of them in landing.contents, sent end to
-- end in one value (32 bytes each), which is lighter to hold and send
-- than an array of them.
INSERT INTO landing.manifests (run_id, resource, extracted_at, sha256s)
SELECT @run_id::bigint, @resource::text, @extracted_at::timestamptz,
       ARRAY(SELECT substring(@sha256s::bytea FROM i * 32 + 1 FOR 32)
             FROM generate_series(0, length(@sha256s::bytea) / 32 - 1) AS i ORDER BY i);

-- name: LandingHasExtract :one
-- LandingHasExtract reports whether a run's extract of a resource is still
-- in landing.
SELECT landing.has_extract(@run_id::bigint, @resource::text)::boolean AS kept;

-- name: LandingPrune :many
-- LandingPrune drops the manifests no kept run reads, and the documents no
-- manifest left names, and returns the runs whose manifests it dropped.
SELECT run_id::bigint FROM landing.prune(@keep_runs::integer) AS run_id;
