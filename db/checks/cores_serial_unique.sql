-- severity: error
-- description: No two live cores share a serial (the API's model declares
--   serial unique). One violation per repeated serial; the key is the serial.
SELECT serial AS key, count(*) AS records
FROM bronze.cores
WHERE deleted_at IS NULL AND serial IS NOT NULL
GROUP BY serial
HAVING count(*) > 1
