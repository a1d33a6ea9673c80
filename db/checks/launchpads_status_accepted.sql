-- severity: error
-- description: Live launchpads' status is one of the API's enum: active,
--   inactive, unknown, retired, lost, under construction. One violation per
--   launchpad; the key is the launchpad's name and the value. NULL is
--   launchpads_required's business.
SELECT format('%s: %s', coalesce(t.name, t.id), t.status) AS key
FROM bronze.launchpads t
WHERE t.deleted_at IS NULL
  AND t.status NOT IN ('active', 'inactive', 'unknown', 'retired', 'lost', 'under construction')
