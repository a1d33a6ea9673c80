-- severity: warn
-- description: Each live launch's launchpad is a live launchpad. One
--   violation per launch; the key is the launch's name and the launchpad id
--   it names.
SELECT format('%s → %s', coalesce(t.name, t.id), t.launchpad_id) AS key
FROM bronze.launches t
WHERE t.deleted_at IS NULL
  AND t.launchpad_id IS NOT NULL
  AND NOT EXISTS (SELECT FROM bronze.launchpads r WHERE r.id = t.launchpad_id AND r.deleted_at IS NULL)
