-- severity: warn
-- description: Each live launch's static_fire_date_unix is the instant of its
--   static_fire_date_utc, in whole seconds, and both are set or neither. The
--   API has one that disagrees (PROVENANCE.md: flight 93). One violation per
--   launch; the key is the launch's name.
SELECT coalesce(l.name, l.id) AS key
FROM bronze.launches l
WHERE l.deleted_at IS NULL
  AND l.static_fire_date_unix IS DISTINCT FROM floor(extract(epoch FROM l.static_fire_date_utc))
