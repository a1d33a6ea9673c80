-- severity: warn
-- description: A live launch's launchpad and the live launchpads' own
--   launches lists agree. The snapshot's launchpads file was fetched before
--   the last launches (PROVENANCE.md: launchpads are stale, 2022-09-17), so
--   the launches after it are missing from their pad's list. Links whose
--   other end is missing or soft-deleted are left to the _exists checks. One
--   violation per link found on one side only; the key is 'launch →
--   launchpad' when only the launch names it, 'launchpad → launch' when only
--   the launchpad does.
SELECT format('%s → %s', coalesce(l.name, l.id), coalesce(p.name, p.id)) AS key
FROM bronze.launches l
JOIN bronze.launchpads p ON p.id = l.launchpad_id AND p.deleted_at IS NULL
WHERE l.deleted_at IS NULL
  AND NOT EXISTS (SELECT FROM bronze.launchpad_launches r WHERE r.launchpad_id = p.id AND r.launch_id = l.id)
UNION ALL
SELECT format('%s → %s', coalesce(p.name, p.id), coalesce(l.name, l.id))
FROM bronze.launchpad_launches r
JOIN bronze.launchpads p ON p.id = r.launchpad_id AND p.deleted_at IS NULL
JOIN bronze.launches l ON l.id = r.launch_id AND l.deleted_at IS NULL
WHERE l.launchpad_id IS DISTINCT FROM p.id
