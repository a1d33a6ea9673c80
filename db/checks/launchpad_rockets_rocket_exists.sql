-- severity: warn
-- description: Each rocket a live launchpad lists is a live rocket. One
--   violation per listed rocket; the key is the launchpad's name, the
--   position in its rockets and the rocket id.
SELECT format('%s rockets[%s] → %s', coalesce(p.name, p.id), b.rocket_index, b.rocket_id) AS key
FROM bronze.launchpad_rockets b
JOIN bronze.launchpads p ON p.id = b.launchpad_id AND p.deleted_at IS NULL
WHERE b.rocket_id IS NOT NULL
  AND NOT EXISTS (SELECT FROM bronze.rockets r WHERE r.id = b.rocket_id AND r.deleted_at IS NULL)
