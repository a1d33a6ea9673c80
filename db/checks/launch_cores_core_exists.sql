-- severity: warn
-- description: Each core a live launch lists (cores[].core; NULL on upcoming
--   launches) is a live core. One violation per listed core; the key is the
--   launch's name, the position in its cores and the core id.
SELECT format('%s cores[%s] → %s', coalesce(p.name, p.id), b.core_index, b.core_id) AS key
FROM bronze.launch_cores b
JOIN bronze.launches p ON p.id = b.launch_id AND p.deleted_at IS NULL
WHERE b.core_id IS NOT NULL
  AND NOT EXISTS (SELECT FROM bronze.cores r WHERE r.id = b.core_id AND r.deleted_at IS NULL)
