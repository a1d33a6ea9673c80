-- severity: warn
-- description: Each live launch's date_unix is the instant of its date_utc,
--   in whole seconds. The API has two that disagree (PROVENANCE.md: flight 8
--   COTS 2 by 20 days, flight 71 SSO-A by 120 s); the loader keeps both as
--   sent. One violation per launch; the key is the launch's name.
SELECT coalesce(l.name, l.id) AS key
FROM bronze.launches l
WHERE l.deleted_at IS NULL
  AND l.date_unix <> floor(extract(epoch FROM l.date_utc))
