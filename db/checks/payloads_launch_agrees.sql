-- severity: warn
-- description: Each live payload whose launch is a live launch is among the
--   payloads that launch lists. The API has payloads naming a launch that
--   does not list them (3 in the snapshot: O3b mPower 3.4, Starlink 4-36 and
--   TTL-1; the first is listed by no launch, the others by another launch).
--   The other direction is launch_payloads_agree. One violation per payload;
--   the key is 'payload → launch'.
SELECT format('%s → %s', coalesce(p.name, p.id), coalesce(l.name, l.id)) AS key
FROM bronze.payloads p
JOIN bronze.launches l ON l.id = p.launch_id AND l.deleted_at IS NULL
WHERE p.deleted_at IS NULL
  AND NOT EXISTS (SELECT FROM bronze.launch_payloads lp WHERE lp.launch_id = l.id AND lp.payload_id = p.id)
