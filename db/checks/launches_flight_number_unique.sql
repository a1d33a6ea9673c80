-- severity: warn
-- description: No two live launches share a flight_number. The API repeats
--   some (PROVENANCE.md: 188 four times, 198 twice), which is why launches
--   are keyed by id. One violation per repeated number, not per launch; the
--   key is the number.
SELECT flight_number::text AS key, count(*) AS records
FROM bronze.launches
WHERE deleted_at IS NULL AND flight_number IS NOT NULL
GROUP BY flight_number
HAVING count(*) > 1
