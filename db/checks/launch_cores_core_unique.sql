-- severity: warn
-- description: No live launch lists the same core twice. One violation per
--   launch and repeated core; the key is 'launch → core serial' (the core id
--   when it is not a live core).
SELECT format('%s → %s', coalesce(l.name, l.id), coalesce(c.serial, lc.core_id)) AS key, count(*) AS listings
FROM bronze.launch_cores lc
JOIN bronze.launches l ON l.id = lc.launch_id AND l.deleted_at IS NULL
LEFT JOIN bronze.cores c ON c.id = lc.core_id AND c.deleted_at IS NULL
WHERE lc.core_id IS NOT NULL
GROUP BY l.id, l.name, lc.core_id, c.serial
HAVING count(*) > 1
