-- severity: warn
-- description: Each live starlink satellite's launch is a live launch. One
--   violation per satellite; the key is its id and the launch id it names.
SELECT format('%s → %s', coalesce(t.id, t.id), t.launch_id) AS key
FROM bronze.starlink t
WHERE t.deleted_at IS NULL
  AND t.launch_id IS NOT NULL
  AND NOT EXISTS (SELECT FROM bronze.launches r WHERE r.id = t.launch_id AND r.deleted_at IS NULL)
