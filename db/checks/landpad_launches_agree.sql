-- severity: warn
-- description: The landpads a live launch's cores landed on (cores[].landpad)
--   and the live landpads' own launches lists agree. Links whose other end is
--   missing or soft-deleted are left to the _exists checks. One violation per
--   link found on one side only (a launch whose two cores used one landpad
--   counts once per core); the key is 'launch → landpad' when only the launch
--   names it, 'landpad → launch' when only the landpad does.
SELECT format('%s → %s', coalesce(l.name, l.id), coalesce(t.name, t.id)) AS key
FROM bronze.launch_cores f
JOIN bronze.launches l ON l.id = f.launch_id AND l.deleted_at IS NULL
JOIN bronze.landpads t ON t.id = f.landpad_id AND t.deleted_at IS NULL
WHERE NOT EXISTS (SELECT FROM bronze.landpad_launches r WHERE r.landpad_id = t.id AND r.launch_id = l.id)
UNION ALL
SELECT format('%s → %s', coalesce(t.name, t.id), coalesce(l.name, l.id))
FROM bronze.landpad_launches r
JOIN bronze.landpads t ON t.id = r.landpad_id AND t.deleted_at IS NULL
JOIN bronze.launches l ON l.id = r.launch_id AND l.deleted_at IS NULL
WHERE NOT EXISTS (SELECT FROM bronze.launch_cores f WHERE f.launch_id = l.id AND f.landpad_id = t.id)
