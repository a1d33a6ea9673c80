-- severity: warn
-- description: Every rocket a live launch flew from a live launchpad is one
--   of the rockets that launchpad lists. One violation per launch; the key is
--   'launch → launchpad: rocket'.
SELECT format('%s → %s: %s', coalesce(l.name, l.id), coalesce(p.name, p.id), coalesce(r.name, r.id)) AS key
FROM bronze.launches l
JOIN bronze.launchpads p ON p.id = l.launchpad_id AND p.deleted_at IS NULL
JOIN bronze.rockets r ON r.id = l.rocket_id AND r.deleted_at IS NULL
WHERE l.deleted_at IS NULL
  AND NOT EXISTS (SELECT FROM bronze.launchpad_rockets pr WHERE pr.launchpad_id = p.id AND pr.rocket_id = r.id)
