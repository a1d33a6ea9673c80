-- severity: error
-- description: Each bridge table holds exactly the elements of its live
--   parents' arrays: one row per element, at its position, equal to it (a
--   value that is not an array has no rows); a soft-deleted parent's rows
--   are not held to its document. No row's parent is missing from its table
--   (an orphan: the bridges declare no foreign key). A difference means the
--   load is broken, not the API's data: a promotion that skipped, duplicated
--   or misplaced elements, or a bridge or a parent edited by hand. One
--   violation per parent and array; the key is 'resource.array parent id'.
-- The bridges are the registry's (internal/resources), which loader check
-- passes in the setting loader.resources: one row per resource, and one per
-- bridge, with its parent's table and its array's path, dotted as the
-- promotion reads it. See db/functions/checks.sql.
WITH registry (array_path, path, parent, bridge) AS (
    SELECT r.resource || '.' || r."array", string_to_array(r."array", '.'), r."table", r.bridge
    FROM jsonb_to_recordset(current_setting('loader.resources')::jsonb)
        AS r(resource text, "table" regclass, bridge regclass, "array" text)
    WHERE r.bridge IS NOT NULL
), source (array_path, parent_id, live, arr) AS (
    SELECT g.array_path, p.id, p.deleted_at IS NULL, p.doc #> g.path
    FROM registry g
    CROSS JOIN bronze.records(g.parent) AS p
), bridge (array_path, parent_id, position, elem) AS (
    SELECT g.array_path, c.parent_id, c.pos, c.elem
    FROM registry g
    CROSS JOIN bronze.elements(g.bridge) AS c
), held AS (
    SELECT array_path, parent_id, jsonb_object_agg(position, elem) AS elems
    FROM bridge
    GROUP BY array_path, parent_id
)
-- Every parent, live or not, against its rows: a row without one is an
-- orphan.
SELECT format('%s %s', array_path, parent_id) AS key
FROM source s
FULL JOIN held h USING (array_path, parent_id)
WHERE s.parent_id IS NULL
   OR (s.live AND coalesce(h.elems, '{}') IS DISTINCT FROM coalesce((
           SELECT jsonb_object_agg(a.i - 1, a.e)
           FROM jsonb_array_elements(CASE WHEN jsonb_typeof(s.arr) = 'array' THEN s.arr END) WITH ORDINALITY AS a(e, i)
       ), '{}'))
