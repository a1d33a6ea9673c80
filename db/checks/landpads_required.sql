-- severity: error
-- description: Live landpads have every field the API's model requires:
--   status. One violation per landpad and missing field; the key is the
--   landpad's name (its id when the name is missing) and the field.
SELECT format('%s: %s', coalesce(p.name, p.id), 'status') AS key
FROM bronze.landpads p
WHERE p.deleted_at IS NULL AND p.status IS NULL
