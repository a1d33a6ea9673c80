-- severity: warn
-- description: Each launch in a live core's launches is a live launch. One
--   violation per listed launch; the key is the core's serial, the position
--   in its launches and the launch id.
SELECT format('%s launches[%s] → %s', coalesce(p.serial, p.id), b.launch_index, b.launch_id) AS key
FROM bronze.core_launches b
JOIN bronze.cores p ON p.id = b.core_id AND p.deleted_at IS NULL
WHERE b.launch_id IS NOT NULL
  AND NOT EXISTS (SELECT FROM bronze.launches r WHERE r.id = b.launch_id AND r.deleted_at IS NULL)
