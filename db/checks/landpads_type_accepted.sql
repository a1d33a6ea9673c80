-- severity: warn
-- description: Live landpads' type is RTLS or ASDS (or NULL), the values the
--   data has; the API's model does not enforce them. One violation per
--   landpad; the key is the landpad's name and the value.
SELECT format('%s: %s', coalesce(t.name, t.id), t.type) AS key
FROM bronze.landpads t
WHERE t.deleted_at IS NULL
  AND t.type NOT IN ('RTLS', 'ASDS')
