-- severity: warn
-- description: A live launch's capsules and the live capsules' own launches
--   lists agree. Links whose other end is missing or soft-deleted are left to
--   the _exists checks. One violation per link found on one side only; the
--   key is 'launch → capsule serial' when only the launch lists it, 'capsule
--   serial → launch' when only the capsule does.
SELECT format('%s → %s', coalesce(l.name, l.id), coalesce(t.serial, t.id)) AS key
FROM bronze.launch_capsules f
JOIN bronze.launches l ON l.id = f.launch_id AND l.deleted_at IS NULL
JOIN bronze.capsules t ON t.id = f.capsule_id AND t.deleted_at IS NULL
WHERE NOT EXISTS (SELECT FROM bronze.capsule_launches r WHERE r.capsule_id = t.id AND r.launch_id = l.id)
UNION ALL
SELECT format('%s → %s', coalesce(t.serial, t.id), coalesce(l.name, l.id))
FROM bronze.capsule_launches r
JOIN bronze.capsules t ON t.id = r.capsule_id AND t.deleted_at IS NULL
JOIN bronze.launches l ON l.id = r.launch_id AND l.deleted_at IS NULL
WHERE NOT EXISTS (SELECT FROM bronze.launch_capsules f WHERE f.launch_id = l.id AND f.capsule_id = t.id)
