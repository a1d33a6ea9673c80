-- gold.launch_stats_by_year_rocket: launches and their outcome per calendar
-- year (of date_utc, in UTC) and rocket. One row per year and rocket with at
-- least one launch, flown or upcoming. Soft-deleted launches are left out.
-- `loader migrate` re-creates this view when this file changes; `loader sync`
-- refreshes it (CONCURRENTLY, through the unique index).
CREATE MATERIALIZED VIEW gold.launch_stats_by_year_rocket AS
WITH counts AS (
    SELECT
        extract(year FROM l.date_utc AT TIME ZONE 'UTC')::integer AS launch_year,
        l.rocket_id,
        count(*) FILTER (WHERE NOT l.upcoming) AS launches_flown,
        count(*) FILTER (WHERE NOT l.upcoming AND l.success) AS launches_succeeded,
        count(*) FILTER (WHERE NOT l.upcoming AND NOT l.success) AS launches_failed,
        count(*) FILTER (WHERE NOT l.upcoming AND l.success IS NULL) AS launches_outcome_unknown,
        count(*) FILTER (WHERE l.upcoming) AS launches_upcoming
    FROM bronze.launches l
    WHERE l.deleted_at IS NULL AND l.upcoming IS NOT NULL
    GROUP BY 1, 2
)
SELECT
    c.launch_year,
    c.rocket_id,
    r.name AS rocket_name,
    c.launches_flown::integer AS launches_flown,
    c.launches_succeeded::integer AS launches_succeeded,
    c.launches_failed::integer AS launches_failed,
    c.launches_outcome_unknown::integer AS launches_outcome_unknown,
    c.launches_succeeded::numeric
        / nullif(c.launches_succeeded + c.launches_failed, 0) AS success_rate,
    c.launches_upcoming::integer AS launches_upcoming
FROM counts c
LEFT JOIN bronze.rockets r ON r.id = c.rocket_id AND r.deleted_at IS NULL;

-- NULLS NOT DISTINCT: a launch without a date or rocket still has one row
-- per (year, rocket), so the grain stays unique and REFRESH CONCURRENTLY
-- works.
CREATE UNIQUE INDEX launch_stats_by_year_rocket_key_idx
    ON gold.launch_stats_by_year_rocket (launch_year, rocket_id) NULLS NOT DISTINCT;

COMMENT ON MATERIALIZED VIEW gold.launch_stats_by_year_rocket IS
    'Launches per calendar year (UTC) and rocket: one row per (launch_year, rocket_id) with at least one launch whose upcoming flag is known. Flown launches are those with upcoming = false, upcoming ones the placeholders with upcoming = true (dated by the API, often only to the month). Soft-deleted launches are left out.';
COMMENT ON COLUMN gold.launch_stats_by_year_rocket.launch_year IS
    'Calendar year of the launch''s date_utc, taken in UTC; NULL when the launch has no valid date_utc. For an upcoming launch this is the year of its placeholder date.';
COMMENT ON COLUMN gold.launch_stats_by_year_rocket.rocket_id IS
    'The launch''s rocket (bronze.launches.rocket_id); NULL when the launch names none.';
COMMENT ON COLUMN gold.launch_stats_by_year_rocket.rocket_name IS
    'The rocket''s name from bronze.rockets; NULL when the rocket is not there (a broken reference) or rocket_id is NULL.';
COMMENT ON COLUMN gold.launch_stats_by_year_rocket.launches_flown IS
    'Number of launches with upcoming = false in the year, on the rocket.';
COMMENT ON COLUMN gold.launch_stats_by_year_rocket.launches_succeeded IS
    'Number of flown launches with success = true.';
COMMENT ON COLUMN gold.launch_stats_by_year_rocket.launches_failed IS
    'Number of flown launches with success = false.';
COMMENT ON COLUMN gold.launch_stats_by_year_rocket.launches_outcome_unknown IS
    'Number of flown launches with success NULL (in the snapshot: flight 172, Starlink 3-1); they count as neither succeeded nor failed.';
COMMENT ON COLUMN gold.launch_stats_by_year_rocket.success_rate IS
    'launches_succeeded / (launches_succeeded + launches_failed), a fraction from 0 to 1; NULL when that sum is 0 (no flown launch with a known outcome).';
COMMENT ON COLUMN gold.launch_stats_by_year_rocket.launches_upcoming IS
    'Number of launches with upcoming = true: placeholders, not flights (several were flown but never updated, e.g. USSF-44).';
