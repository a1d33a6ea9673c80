-- severity: warn
-- description: Each live payload a live launch lists names that launch as its
--   own launch. The API has launches listing a payload whose launch is
--   another launch (PROVENANCE.md: 4, NROL-87, Starlink 4-36, TTL-1 and O3b
--   mPower 3.4). The other direction is payloads_launch_agrees. One violation
--   per listed payload; the key is 'launch → payload (payload's launch)'.
SELECT format('%s → %s (%s)', coalesce(l.name, l.id), coalesce(p.name, p.id),
              coalesce(o.name, p.launch_id, 'no launch')) AS key
FROM bronze.launch_payloads lp
JOIN bronze.launches l ON l.id = lp.launch_id AND l.deleted_at IS NULL
JOIN bronze.payloads p ON p.id = lp.payload_id AND p.deleted_at IS NULL
LEFT JOIN bronze.launches o ON o.id = p.launch_id AND o.deleted_at IS NULL
WHERE p.launch_id IS DISTINCT FROM l.id
