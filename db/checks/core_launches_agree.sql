-- severity: warn
-- description: A live launch's cores and the live cores' own launches lists
--   agree. The API has cores used by a launch whose launches omit it
--   (PROVENANCE.md: B1064, B1065 and B1066 on the upcoming USSF-44). Links
--   whose other end is missing or soft-deleted are left to the _exists
--   checks. One violation per link found on one side only; the key is 'launch
--   → core serial' when only the launch lists it, 'core serial → launch' when
--   only the core does.
SELECT format('%s → %s', coalesce(l.name, l.id), coalesce(t.serial, t.id)) AS key
FROM bronze.launch_cores f
JOIN bronze.launches l ON l.id = f.launch_id AND l.deleted_at IS NULL
JOIN bronze.cores t ON t.id = f.core_id AND t.deleted_at IS NULL
WHERE NOT EXISTS (SELECT FROM bronze.core_launches r WHERE r.core_id = t.id AND r.launch_id = l.id)
UNION ALL
SELECT format('%s → %s', coalesce(t.serial, t.id), coalesce(l.name, l.id))
FROM bronze.core_launches r
JOIN bronze.cores t ON t.id = r.core_id AND t.deleted_at IS NULL
JOIN bronze.launches l ON l.id = r.launch_id AND l.deleted_at IS NULL
WHERE NOT EXISTS (SELECT FROM bronze.launch_cores f WHERE f.launch_id = l.id AND f.core_id = t.id)
