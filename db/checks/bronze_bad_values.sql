-- severity: warn
-- description: No live bronze row, nor a bridge row of a live parent, has a
--   value of the wrong type for its column. The loader stores such a value as
--   NULL and lists it in the row's issues ({field, reason, value}); the
--   source document keeps it. One violation per row and field; the key is the
--   resource (and array), the record's id (and position) and the field.
-- The tables are the registry's (internal/resources), which loader check
-- passes in the setting loader.resources: one row per resource, and one per
-- bridge. See db/functions/checks.sql.
WITH registry AS (
    SELECT *
    FROM jsonb_to_recordset(current_setting('loader.resources')::jsonb)
        AS r(resource text, "table" regclass, bridge regclass, "array" text)
)
SELECT format('%s %s: %s', g.resource, t.id, i ->> 'field') AS key
FROM registry g
CROSS JOIN bronze.records(g."table") AS t
CROSS JOIN jsonb_array_elements(t.issues) AS i
WHERE g.bridge IS NULL AND t.deleted_at IS NULL
UNION ALL
SELECT format('%s.%s %s[%s]: %s', g.resource, g."array", c.parent_id, c.pos, e ->> 'field')
FROM registry g
CROSS JOIN bronze.elements(g.bridge) AS c
JOIN bronze.records(g."table") AS p ON p.id = c.parent_id AND p.deleted_at IS NULL
CROSS JOIN jsonb_array_elements(c.issues) AS e
