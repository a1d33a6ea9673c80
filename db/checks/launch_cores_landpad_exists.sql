-- severity: warn
-- description: Each landpad a live launch's cores landed on (cores[].landpad)
--   is a live landpad. One violation per core; the key is the launch's name,
--   the position in its cores and the landpad id.
SELECT format('%s cores[%s] → %s', coalesce(p.name, p.id), b.core_index, b.landpad_id) AS key
FROM bronze.launch_cores b
JOIN bronze.launches p ON p.id = b.launch_id AND p.deleted_at IS NULL
WHERE b.landpad_id IS NOT NULL
  AND NOT EXISTS (SELECT FROM bronze.landpads r WHERE r.id = b.landpad_id AND r.deleted_at IS NULL)
