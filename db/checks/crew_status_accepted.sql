-- severity: error
-- description: Live crew members' status is one of the API's enum: active,
--   inactive, retired, unknown. One violation per member; the key is the
--   member's name and the value. NULL is crew_required's business.
SELECT format('%s: %s', coalesce(t.name, t.id), t.status) AS key
FROM bronze.crew t
WHERE t.deleted_at IS NULL
  AND t.status NOT IN ('active', 'inactive', 'retired', 'unknown')
