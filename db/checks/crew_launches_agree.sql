-- severity: warn
-- description: A live launch's crew and the live crew members' own launches
--   lists agree. Links whose other end is missing or soft-deleted are left to
--   the _exists checks. One violation per link found on one side only; the
--   key is 'launch → member' when only the launch lists it, 'member → launch'
--   when only the member does.
SELECT format('%s → %s', coalesce(l.name, l.id), coalesce(t.name, t.id)) AS key
FROM bronze.launch_crew f
JOIN bronze.launches l ON l.id = f.launch_id AND l.deleted_at IS NULL
JOIN bronze.crew t ON t.id = f.crew_id AND t.deleted_at IS NULL
WHERE NOT EXISTS (SELECT FROM bronze.crew_launches r WHERE r.crew_id = t.id AND r.launch_id = l.id)
UNION ALL
SELECT format('%s → %s', coalesce(t.name, t.id), coalesce(l.name, l.id))
FROM bronze.crew_launches r
JOIN bronze.crew t ON t.id = r.crew_id AND t.deleted_at IS NULL
JOIN bronze.launches l ON l.id = r.launch_id AND l.deleted_at IS NULL
WHERE NOT EXISTS (SELECT FROM bronze.launch_crew f WHERE f.launch_id = l.id AND f.crew_id = t.id)
