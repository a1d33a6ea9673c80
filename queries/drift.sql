-- name: DriftObserve :exec
-- DriftObserve records what the documents of a run's manifest of a
-- resource show the drift check, from an earlier manifest's and the
-- documents that differ when it can (see landing.observe).
SELECT landing.observe(@landed_run_id::bigint, @resource::text);

-- name: DriftRecord :many
-- DriftRecord compares the top-level keys and JSON types of the landed
-- documents a run's resource reads (landed_run_id's manifest, as
-- DriftObserve recorded them) with the resource's contract ({"key":
-- ["type", ...]}), records every difference for the run in meta.run_drift
-- and returns them.
WITH observed AS (
    SELECT o.key, o.type, o.documents
    FROM landing.observed o
    WHERE o.run_id = @landed_run_id::bigint AND o.resource = @resource::text
), objects AS (
    SELECT coalesce(sum(documents) FILTER (WHERE key IS NULL), 0) AS n FROM observed
), contract AS (
    SELECT c.key, ARRAY(SELECT jsonb_array_elements_text(c.value)) AS types
    FROM jsonb_each(@contract::jsonb) AS c(key, value)
), drift AS (
    SELECT o.key, 'new_key' AS change, NULL::text AS expected,
           string_agg(o.type, ',' ORDER BY o.type) AS observed, sum(o.documents)::bigint AS documents
    FROM observed o
    WHERE o.key IS NOT NULL AND NOT EXISTS (SELECT 1 FROM contract c WHERE c.key = o.key)
    GROUP BY o.key
    UNION ALL
    SELECT c.key, 'missing_key', array_to_string(c.types, ','), NULL,
           ((SELECT n FROM objects) - coalesce((SELECT sum(o.documents) FROM observed o WHERE o.key = c.key), 0))::bigint
    FROM contract c
    WHERE (SELECT n FROM objects) > coalesce((SELECT sum(o.documents) FROM observed o WHERE o.key = c.key), 0)
    UNION ALL
    SELECT o.key, 'type_change', array_to_string(c.types, ','),
           string_agg(o.type, ',' ORDER BY o.type), sum(o.documents)::bigint
    FROM observed o JOIN contract c ON c.key = o.key
    WHERE o.type <> ALL (c.types)
    GROUP BY o.key, c.types
)
INSERT INTO meta.run_drift (run_id, resource, key, change, expected, observed, documents)
SELECT @run_id::bigint, @resource::text, drift.key, drift.change, drift.expected, drift.observed, drift.documents
FROM drift
RETURNING key, change, expected, observed, documents;

-- name: DriftCopy :many
-- DriftCopy records for a run the drift an earlier run found in the same
-- documents under the same contract, and returns it.
INSERT INTO meta.run_drift (run_id, resource, key, change, expected, observed, documents)
SELECT @run_id::bigint, d.resource, d.key, d.change, d.expected, d.observed, d.documents
FROM meta.run_drift d
WHERE d.run_id = @from_run_id::bigint AND d.resource = @resource::text
RETURNING key, change, expected, observed, documents;
