-- severity: warn
-- description: Each live launch's rocket is a live rocket. One violation per
--   launch; the key is the launch's name and the rocket id it names.
SELECT format('%s → %s', coalesce(t.name, t.id), t.rocket_id) AS key
FROM bronze.launches t
WHERE t.deleted_at IS NULL
  AND t.rocket_id IS NOT NULL
  AND NOT EXISTS (SELECT FROM bronze.rockets r WHERE r.id = t.rocket_id AND r.deleted_at IS NULL)
