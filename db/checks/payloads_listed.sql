-- severity: warn
-- description: Each live payload is listed by some live launch. The API has
--   payloads no launch lists (PROVENANCE.md: 5, the four whose launch was
--   deleted and O3b mPower 3.4). One violation per payload; the key is the
--   payload's name.
SELECT coalesce(p.name, p.id) AS key
FROM bronze.payloads p
WHERE p.deleted_at IS NULL
  AND NOT EXISTS (
      SELECT FROM bronze.launch_payloads lp
      JOIN bronze.launches l ON l.id = lp.launch_id AND l.deleted_at IS NULL
      WHERE lp.payload_id = p.id)
