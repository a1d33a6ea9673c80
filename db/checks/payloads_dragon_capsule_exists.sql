-- severity: warn
-- description: Each live payload's dragon.capsule, when set, is a live
--   capsule. One violation per payload; the key is the payload's name and the
--   capsule id it names.
SELECT format('%s → %s', coalesce(t.name, t.id), t.dragon_capsule_id) AS key
FROM bronze.payloads t
WHERE t.deleted_at IS NULL
  AND t.dragon_capsule_id IS NOT NULL
  AND NOT EXISTS (SELECT FROM bronze.capsules r WHERE r.id = t.dragon_capsule_id AND r.deleted_at IS NULL)
