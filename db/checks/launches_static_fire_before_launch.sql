-- severity: warn
-- description: A live launch that has flown (upcoming is false) was static
--   fired before it launched: its static_fire_date_utc, when set, is not
--   later than its date_utc. An upcoming launch's date is an estimate (see
--   date_precision), so only flown ones are held to it. The API has two
--   that are not (flights 15 and 27, OG-2 Mission 1 and SES-9: a static
--   fire months after the launch). One violation per launch; the key is the
--   launch's name.
SELECT coalesce(l.name, l.id) AS key
FROM bronze.launches l
WHERE l.deleted_at IS NULL
  AND l.upcoming = false
  AND l.static_fire_date_utc > l.date_utc
