-- severity: warn
-- description: No payload is listed by more than one live launch, or twice by
--   one. The snapshot has 2 listed twice: the NROL-87 payload (by
--   Transporter-3 and NROL-87) and O3b mPower 1,2 (by O3b mPower 1,2 and O3b
--   mPower 3.4). One violation per payload, not per listing; the key is the
--   payload's name (its id when it is not a live payload).
SELECT coalesce(p.name, lp.payload_id) AS key, count(*) AS listings
FROM bronze.launch_payloads lp
JOIN bronze.launches l ON l.id = lp.launch_id AND l.deleted_at IS NULL
LEFT JOIN bronze.payloads p ON p.id = lp.payload_id AND p.deleted_at IS NULL
WHERE lp.payload_id IS NOT NULL
GROUP BY lp.payload_id, p.name
HAVING count(*) > 1
