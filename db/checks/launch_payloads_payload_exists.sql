-- severity: warn
-- description: Each payload a live launch lists is a live payload. One
--   violation per listed payload; the key is the launch's name, the position
--   in its payloads and the payload id.
SELECT format('%s payloads[%s] → %s', coalesce(p.name, p.id), b.payload_index, b.payload_id) AS key
FROM bronze.launch_payloads b
JOIN bronze.launches p ON p.id = b.launch_id AND p.deleted_at IS NULL
WHERE b.payload_id IS NOT NULL
  AND NOT EXISTS (SELECT FROM bronze.payloads r WHERE r.id = b.payload_id AND r.deleted_at IS NULL)
