-- severity: error
-- description: Live cores' status is one of the API's enum: active, inactive,
--   unknown, expended, lost, retired. One violation per core; the key is the
--   core's serial and the value. NULL is cores_required's business.
SELECT format('%s: %s', coalesce(t.serial, t.id), t.status) AS key
FROM bronze.cores t
WHERE t.deleted_at IS NULL
  AND t.status NOT IN ('active', 'inactive', 'unknown', 'expended', 'lost', 'retired')
