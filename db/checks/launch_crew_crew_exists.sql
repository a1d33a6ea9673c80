-- severity: warn
-- description: Each crew member a live launch lists is a live crew member.
--   One violation per listed member; the key is the launch's name, the
--   position in its crew and the crew id.
SELECT format('%s crew[%s] → %s', coalesce(p.name, p.id), b.crew_index, b.crew_id) AS key
FROM bronze.launch_crew b
JOIN bronze.launches p ON p.id = b.launch_id AND p.deleted_at IS NULL
WHERE b.crew_id IS NOT NULL
  AND NOT EXISTS (SELECT FROM bronze.crew r WHERE r.id = b.crew_id AND r.deleted_at IS NULL)
