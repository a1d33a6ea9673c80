-- severity: error
-- description: Live launches' date_precision is one of the API's enum: half,
--   quarter, year, month, day, hour. Another value means the API's model
--   changed and what a launch date means is unknown. One violation per
--   launch; the key is the launch's name and the value. NULL is
--   launches_required's business.
SELECT format('%s: %s', coalesce(t.name, t.id), t.date_precision) AS key
FROM bronze.launches t
WHERE t.deleted_at IS NULL
  AND t.date_precision NOT IN ('half', 'quarter', 'year', 'month', 'day', 'hour')
