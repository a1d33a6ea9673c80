-- severity: error
-- description: Live capsules' type is one of the API's enum: Dragon 1.0,
--   Dragon 1.1, Dragon 2.0. One violation per capsule; the key is the
--   capsule's serial and the value. NULL is capsules_required's business.
SELECT format('%s: %s', coalesce(t.serial, t.id), t.type) AS key
FROM bronze.capsules t
WHERE t.deleted_at IS NULL
  AND t.type NOT IN ('Dragon 1.0', 'Dragon 1.1', 'Dragon 2.0')
