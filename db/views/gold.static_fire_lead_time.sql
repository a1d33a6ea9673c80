-- gold.static_fire_lead_time: time from a launch's static fire to its launch,
-- per flown launch with a static fire date. One row per launch. Soft-deleted
-- launches are left out. `loader migrate` re-creates this view when this file
-- changes; `loader sync` refreshes it (CONCURRENTLY, through the unique
-- index).
CREATE MATERIALIZED VIEW gold.static_fire_lead_time AS
SELECT
    l.id AS launch_id,
    l.name AS launch_name,
    l.flight_number,
    l.rocket_id,
    extract(year FROM l.date_utc AT TIME ZONE 'UTC')::integer AS launch_year,
    l.static_fire_date_utc,
    l.date_utc,
    l.date_precision,
    (extract(epoch FROM l.date_utc) - extract(epoch FROM l.static_fire_date_utc))
        / 3600 AS lead_time_hours,
    (extract(epoch FROM l.date_utc) - extract(epoch FROM l.static_fire_date_utc))
        / 86400 AS lead_time_days,
    -- An unknown precision is not hour: false, not NULL (docs/gold.md).
    coalesce(l.date_precision = 'hour', false) AS launch_time_exact,
    l.static_fire_date_utc < l.date_utc AS static_fire_before_launch
FROM bronze.launches l
WHERE l.upcoming = false AND l.deleted_at IS NULL
  AND l.static_fire_date_utc IS NOT NULL AND l.date_utc IS NOT NULL;

CREATE UNIQUE INDEX static_fire_lead_time_launch_id_idx
    ON gold.static_fire_lead_time (launch_id);

COMMENT ON MATERIALIZED VIEW gold.static_fire_lead_time IS
    'Static fire to launch lead time: one row per flown launch (upcoming = false) with both a static_fire_date_utc and a date_utc. Launches without a static fire (66 of the 187 flown in the snapshot) and upcoming launches (placeholder dates) are left out, as are soft-deleted launches. Filter on launch_time_exact before averaging: a launch date_precision other than hour is not a real time. The static fire date has no precision field of its own; some are at 00:00:00Z and probably mean the day. static_fire_date_unix is not read (it disagrees with the UTC text for flight 93).';
COMMENT ON COLUMN gold.static_fire_lead_time.launch_id IS
    'The launch''s API id.';
COMMENT ON COLUMN gold.static_fire_lead_time.launch_name IS
    'The launch''s name.';
COMMENT ON COLUMN gold.static_fire_lead_time.flight_number IS
    'The launch''s flight_number as the API states it (not unique across launches).';
COMMENT ON COLUMN gold.static_fire_lead_time.rocket_id IS
    'The launch''s rocket (bronze.rockets id), for grouping.';
COMMENT ON COLUMN gold.static_fire_lead_time.launch_year IS
    'Calendar year of date_utc, taken in UTC, for grouping.';
COMMENT ON COLUMN gold.static_fire_lead_time.static_fire_date_utc IS
    'When the static fire took place, as the API states it (static_fire_date_utc).';
COMMENT ON COLUMN gold.static_fire_lead_time.date_utc IS
    'The launch''s date_utc; only as exact as date_precision says.';
COMMENT ON COLUMN gold.static_fire_lead_time.date_precision IS
    'The launch''s date_precision (hour, day, month, ...).';
COMMENT ON COLUMN gold.static_fire_lead_time.lead_time_hours IS
    'Hours (fractional) from static_fire_date_utc to date_utc. Negative when the API''s static fire date follows the launch (a data error: OG-2 Mission 1, SES-9); 0 when the API gives the launch''s own time (Amos-6, destroyed in its static fire, and FormoSat-5). See static_fire_before_launch.';
COMMENT ON COLUMN gold.static_fire_lead_time.lead_time_days IS
    'lead_time_hours / 24: days (fractional, 86400 s each) from static_fire_date_utc to date_utc.';
COMMENT ON COLUMN gold.static_fire_lead_time.launch_time_exact IS
    'true when date_precision = hour; false when the launch date is only a day, month, ... or of unknown precision, and the lead time is approximate.';
COMMENT ON COLUMN gold.static_fire_lead_time.static_fire_before_launch IS
    'true when static_fire_date_utc is before date_utc; false when it is at or after the launch (4 records in the snapshot, see lead_time_hours), which an average of lead times should leave out.';
