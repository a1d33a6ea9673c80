-- severity: warn
-- description: No live launch lists the same crew member twice. One violation
--   per launch and repeated member; the key is 'launch → member' (the crew id
--   when it is not a live member).
SELECT format('%s → %s', coalesce(l.name, l.id), coalesce(c.name, lc.crew_id)) AS key, count(*) AS listings
FROM bronze.launch_crew lc
JOIN bronze.launches l ON l.id = lc.launch_id AND l.deleted_at IS NULL
LEFT JOIN bronze.crew c ON c.id = lc.crew_id AND c.deleted_at IS NULL
WHERE lc.crew_id IS NOT NULL
GROUP BY l.id, l.name, lc.crew_id, c.name
HAVING count(*) > 1
