-- name: LandingContentsKnown :many
-- LandingContentsKnown returns which of the given document hashes
-- landing.contents already holds, and how many replacements each had: a
-- landing sends only the others in full.
SELECT c.sha256, c.sanitized FROM landing.contents c WHERE c.sha256 = ANY (@sha256s::bytea[]);

-- name: LandingManifestOpen :exec
-- LandingManifestOpen makes the temporary table a manifest is sent into,
-- a block of hashes at a time, with COPY (see landing.manifest_open).
SELECT landing.manifest_open();

-- name: LandingManifestAdd :exec
-- LandingManifestAdd records a run's extract of a resource from the
-- blocks of hashes sent since LandingManifestOpen: the hashes of its
-- documents in order, each of them in landing.contents.
SELECT landing.manifest_add(@run_id::bigint, @resource::text, @extracted_at::timestamptz);

-- name: LandingManifestNewest :one
-- LandingManifestNewest returns the newest manifest of a resource, its
-- hashes end to end in one value (32 bytes each; in no particular order):
-- what landing holds for certain while it is kept.
SELECT m.run_id, (SELECT coalesce(string_agg(e.sha256, ''::bytea), ''::bytea) FROM unnest(m.sha256s) AS e(sha256))::bytea AS sha256s
FROM landing.manifests m
WHERE m.resource = @resource::text
ORDER BY m.run_id DESC
LIMIT 1;

-- name: LandingManifestSanitized :many
-- LandingManifestSanitized returns the documents of a run's manifest of a
-- resource that had something replaced: few, found in the partial index
-- of them. When landing holds none at all (as a rule), the manifest is not
-- read: its hashes, as the index scan's keys, would be sorted for nothing
-- (40 ms for 61,500). That test takes the first of the index in its
-- order: as EXISTS, it was a scan of landing.contents whenever the planner
-- had no statistics yet (as after a first sync) and guessed that a third
-- of the rows had something replaced.
SELECT c.sha256 FROM landing.contents c
WHERE c.sanitized > 0
  AND c.sha256 = ANY ((SELECT m.sha256s FROM landing.manifests m
                       WHERE m.run_id = @run_id::bigint AND m.resource = @resource::text
                         AND (SELECT x.sha256 FROM landing.contents x WHERE x.sanitized > 0
                              ORDER BY x.sha256 LIMIT 1) IS NOT NULL)::bytea[]);

-- name: LandingHasExtract :one
-- LandingHasExtract reports whether a run's extract of a resource is still
-- in landing.
SELECT landing.has_extract(@run_id::bigint, @resource::text)::boolean AS kept;

-- name: LandingPrune :many
-- LandingPrune drops the manifests no kept run reads, and the documents no
-- manifest left names, and returns the runs whose manifests it dropped.
SELECT run_id::bigint FROM landing.prune(@keep_runs::integer) AS run_id;
