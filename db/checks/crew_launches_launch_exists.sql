-- severity: warn
-- description: Each launch in a live crew member's launches is a live launch.
--   One violation per listed launch; the key is the member's name, the
--   position in their launches and the launch id.
SELECT format('%s launches[%s] → %s', coalesce(p.name, p.id), b.launch_index, b.launch_id) AS key
FROM bronze.crew_launches b
JOIN bronze.crew p ON p.id = b.crew_id AND p.deleted_at IS NULL
WHERE b.launch_id IS NOT NULL
  AND NOT EXISTS (SELECT FROM bronze.launches r WHERE r.id = b.launch_id AND r.deleted_at IS NULL)
