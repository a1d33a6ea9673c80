-- severity: error
-- description: Live crew members have every field the API's model requires:
--   status. One violation per member and missing field; the key is the
--   member's name (the id when the name is missing) and the field.
SELECT format('%s: %s', coalesce(c.name, c.id), 'status') AS key
FROM bronze.crew c
WHERE c.deleted_at IS NULL AND c.status IS NULL
