-- severity: warn
-- description: Each capsule a live launch lists is a live capsule. One
--   violation per listed capsule; the key is the launch's name, the position
--   in its capsules and the capsule id.
SELECT format('%s capsules[%s] → %s', coalesce(p.name, p.id), b.capsule_index, b.capsule_id) AS key
FROM bronze.launch_capsules b
JOIN bronze.launches p ON p.id = b.launch_id AND p.deleted_at IS NULL
WHERE b.capsule_id IS NOT NULL
  AND NOT EXISTS (SELECT FROM bronze.capsules r WHERE r.id = b.capsule_id AND r.deleted_at IS NULL)
