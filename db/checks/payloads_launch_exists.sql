-- severity: warn
-- description: Each live payload's launch is a live launch. The API has
--   payloads pointing at launches it deleted (PROVENANCE.md: 4, Starlink 2-2,
--   IM-1 Nova-C, Psyche and Janus). One violation per payload; the key is the
--   payload's name and the launch id it names.
SELECT format('%s → %s', coalesce(t.name, t.id), t.launch_id) AS key
FROM bronze.payloads t
WHERE t.deleted_at IS NULL
  AND t.launch_id IS NOT NULL
  AND NOT EXISTS (SELECT FROM bronze.launches r WHERE r.id = t.launch_id AND r.deleted_at IS NULL)
