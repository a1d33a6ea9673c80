-- severity: error
-- description: Live launchpads have every field the API's model requires:
--   status. One violation per launchpad and missing field; the key is the
--   launchpad's name (its id when the name is missing) and the field.
SELECT format('%s: %s', coalesce(p.name, p.id), 'status') AS key
FROM bronze.launchpads p
WHERE p.deleted_at IS NULL AND p.status IS NULL
