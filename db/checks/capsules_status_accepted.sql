-- severity: error
-- description: Live capsules' status is one of the API's enum: unknown,
--   active, retired, destroyed. One violation per capsule; the key is the
--   capsule's serial and the value. NULL is capsules_required's business.
SELECT format('%s: %s', coalesce(t.serial, t.id), t.status) AS key
FROM bronze.capsules t
WHERE t.deleted_at IS NULL
  AND t.status NOT IN ('unknown', 'active', 'retired', 'destroyed')
