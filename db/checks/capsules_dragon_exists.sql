-- severity: warn
-- description: Each live capsule's dragon, when set, is a live dragon (the
--   snapshot's capsules have no dragon). One violation per capsule; the key
--   is the capsule's serial and the dragon id it names.
SELECT format('%s → %s', coalesce(t.serial, t.id), t.dragon_id) AS key
FROM bronze.capsules t
WHERE t.deleted_at IS NULL
  AND t.dragon_id IS NOT NULL
  AND NOT EXISTS (SELECT FROM bronze.dragons r WHERE r.id = t.dragon_id AND r.deleted_at IS NULL)
