-- severity: warn
-- description: Each live launch's date_local is the same instant as its
--   date_utc. The API has seven that are not, a wrong offset or a wrong day
--   (PROVENANCE.md: flights 4, 9, 21, 25, 58, 62 and 141); the loader keeps
--   both as sent. One violation per launch; the key is the launch's name.
SELECT coalesce(l.name, l.id) AS key
FROM bronze.launches l
WHERE l.deleted_at IS NULL
  AND l.date_local <> l.date_utc
