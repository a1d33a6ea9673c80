-- severity: error
-- description: Live capsules have every field the API's model requires:
--   serial, status and type. One violation per capsule and missing field; the
--   key is the capsule's serial (its id when the serial is missing) and the
--   field.
SELECT format('%s: %s', coalesce(c.serial, c.id), f.field) AS key
FROM bronze.capsules c
CROSS JOIN LATERAL (VALUES
    ('serial', c.serial IS NULL),
    ('status', c.status IS NULL),
    ('type', c.type IS NULL)
) AS f(field, missing)
WHERE c.deleted_at IS NULL AND f.missing
