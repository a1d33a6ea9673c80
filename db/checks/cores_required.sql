-- severity: error
-- description: Live cores have every field the API's model requires: serial
--   and status. One violation per core and missing field; the key is the
--   core's serial (its id when the serial is missing) and the field.
SELECT format('%s: %s', coalesce(c.serial, c.id), f.field) AS key
FROM bronze.cores c
CROSS JOIN LATERAL (VALUES
    ('serial', c.serial IS NULL),
    ('status', c.status IS NULL)
) AS f(field, missing)
WHERE c.deleted_at IS NULL AND f.missing
