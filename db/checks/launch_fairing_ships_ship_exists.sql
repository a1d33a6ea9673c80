-- severity: warn
-- description: Each ship a live launch sent to recover its fairings
--   (fairings.ships) is a live ship. One violation per listed ship; the key
--   is the launch's name, the position in fairings.ships and the ship id.
SELECT format('%s fairings.ships[%s] → %s', coalesce(p.name, p.id), b.ship_index, b.ship_id) AS key
FROM bronze.launch_fairing_ships b
JOIN bronze.launches p ON p.id = b.launch_id AND p.deleted_at IS NULL
WHERE b.ship_id IS NOT NULL
  AND NOT EXISTS (SELECT FROM bronze.ships r WHERE r.id = b.ship_id AND r.deleted_at IS NULL)
