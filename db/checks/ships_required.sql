-- severity: error
-- description: Live ships have every field the API's model requires: name and
--   active. One violation per ship and missing field; the key is the ship's
--   name (its id when the name is missing) and the field.
SELECT format('%s: %s', coalesce(s.name, s.id), f.field) AS key
FROM bronze.ships s
CROSS JOIN LATERAL (VALUES
    ('name', s.name IS NULL),
    ('active', s.active IS NULL)
) AS f(field, missing)
WHERE s.deleted_at IS NULL AND f.missing
