-- severity: error
-- description: Every resource the source has served still has a live
--   bronze row: a table that holds rows holds a live one. A table whose every
--   row is soft-deleted is what a source answering [] leaves behind once
--   --force-deletes lets it through; the run succeeded, but gold now counts
--   nothing of that resource. A resource never served (the snapshot's
--   starlink) has no rows and is not one. It reads bronze alone, so a
--   spacex_analyst login runs it too. One violation per resource; the key is
--   'resource: no live rows, N soft-deleted'.
-- The tables are the registry's (internal/resources), which loader check
-- passes in the setting loader.resources, as for bronze_bad_values.
WITH registry AS (
    SELECT r.resource, r."table"
    FROM jsonb_to_recordset(current_setting('loader.resources')::jsonb)
        AS r(resource text, "table" regclass, bridge regclass)
    WHERE r.bridge IS NULL
)
SELECT format('%s: no live rows, %s soft-deleted', g.resource, n.total) AS key
FROM registry g
CROSS JOIN LATERAL (
    SELECT count(*) AS total, count(*) FILTER (WHERE t.deleted_at IS NULL) AS live
    FROM bronze.records(g."table") AS t
) AS n
WHERE n.total > 0 AND n.live = 0
