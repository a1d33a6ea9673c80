-- severity: warn
-- description: A live launch's ships and the live ships' own launches lists
--   agree (fairings.ships is not part of a ship's launches). Links whose
--   other end is missing or soft-deleted are left to the _exists checks. One
--   violation per link found on one side only; the key is 'launch → ship'
--   when only the launch lists it, 'ship → launch' when only the ship does.
SELECT format('%s → %s', coalesce(l.name, l.id), coalesce(t.name, t.id)) AS key
FROM bronze.launch_ships f
JOIN bronze.launches l ON l.id = f.launch_id AND l.deleted_at IS NULL
JOIN bronze.ships t ON t.id = f.ship_id AND t.deleted_at IS NULL
WHERE NOT EXISTS (SELECT FROM bronze.ship_launches r WHERE r.ship_id = t.id AND r.launch_id = l.id)
UNION ALL
SELECT format('%s → %s', coalesce(t.name, t.id), coalesce(l.name, l.id))
FROM bronze.ship_launches r
JOIN bronze.ships t ON t.id = r.ship_id AND t.deleted_at IS NULL
JOIN bronze.launches l ON l.id = r.launch_id AND l.deleted_at IS NULL
WHERE NOT EXISTS (SELECT FROM bronze.launch_ships f WHERE f.launch_id = l.id AND f.ship_id = t.id)
