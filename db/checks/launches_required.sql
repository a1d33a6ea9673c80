-- severity: error
-- description: Live launches have every field the API's model requires:
--   flight_number, name, date_utc, date_unix, date_local, date_precision and
--   upcoming. NULL means the API sent none, or a value of the wrong type (see
--   issues). One violation per launch and missing field; the key is the
--   launch's name (its id when the name is missing) and the field.
SELECT format('%s: %s', coalesce(l.name, l.id), f.field) AS key
FROM bronze.launches l
CROSS JOIN LATERAL (VALUES
    ('flight_number', l.flight_number IS NULL),
    ('name', l.name IS NULL),
    ('date_utc', l.date_utc IS NULL),
    ('date_unix', l.date_unix IS NULL),
    ('date_local', l.date_local IS NULL),
    ('date_precision', l.date_precision IS NULL),
    ('upcoming', l.upcoming IS NULL)
) AS f(field, missing)
WHERE l.deleted_at IS NULL AND f.missing
