-- severity: error
-- description: Live landpads' status is one of the API's enum: active,
--   inactive, unknown, retired, lost, under construction. One violation per
--   landpad; the key is the landpad's name and the value. NULL is
--   landpads_required's business.
SELECT format('%s: %s', coalesce(t.name, t.id), t.status) AS key
FROM bronze.landpads t
WHERE t.deleted_at IS NULL
  AND t.status NOT IN ('active', 'inactive', 'unknown', 'retired', 'lost', 'under construction')
