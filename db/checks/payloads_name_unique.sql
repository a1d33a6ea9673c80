-- severity: error
-- description: No two live payloads share a name (the API's model declares
--   name unique). One violation per repeated name; the key is the name.
SELECT name AS key, count(*) AS records
FROM bronze.payloads
WHERE deleted_at IS NULL AND name IS NOT NULL
GROUP BY name
HAVING count(*) > 1
