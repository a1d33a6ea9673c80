-- gold.fairing_recovery_by_year: payload fairing recovery attempts, recoveries
-- and reuse per calendar year (of date_utc, in UTC), over flown launches. One
-- row per year with at least one flown launch. Soft-deleted launches are left
-- out. `loader migrate` re-creates this view when this file changes; `loader
-- sync` refreshes it (CONCURRENTLY, through the unique index).
CREATE MATERIALIZED VIEW gold.fairing_recovery_by_year AS
WITH counts AS (
    SELECT
        extract(year FROM l.date_utc AT TIME ZONE 'UTC')::integer AS launch_year,
        count(*) AS launches_flown,
        count(*) FILTER (WHERE l.fairings_reused IS NULL AND l.fairings_recovery_attempt IS NULL
                           AND l.fairings_recovered IS NULL) AS launches_without_fairing_data,
        count(*) FILTER (WHERE l.fairings_reused) AS launches_reused_fairings,
        count(*) FILTER (WHERE l.fairings_recovery_attempt) AS recovery_attempts,
        count(*) FILTER (WHERE l.fairings_recovery_attempt AND l.fairings_recovered) AS recoveries,
        count(*) FILTER (WHERE l.fairings_recovery_attempt AND NOT l.fairings_recovered) AS recovery_failures,
        count(*) FILTER (WHERE l.fairings_recovery_attempt AND l.fairings_recovered IS NULL) AS recovery_outcome_unknown
    FROM bronze.launches l
    WHERE l.upcoming = false AND l.deleted_at IS NULL
    GROUP BY 1
)
SELECT
    launch_year,
    launches_flown::integer AS launches_flown,
    launches_without_fairing_data::integer AS launches_without_fairing_data,
    launches_reused_fairings::integer AS launches_reused_fairings,
    recovery_attempts::integer AS recovery_attempts,
    recoveries::integer AS recoveries,
    recovery_failures::integer AS recovery_failures,
    recovery_outcome_unknown::integer AS recovery_outcome_unknown,
    recoveries::numeric / nullif(recoveries + recovery_failures, 0) AS recovery_rate
FROM counts;

CREATE UNIQUE INDEX fairing_recovery_by_year_launch_year_idx
    ON gold.fairing_recovery_by_year (launch_year) NULLS NOT DISTINCT;

COMMENT ON MATERIALIZED VIEW gold.fairing_recovery_by_year IS
    'Fairing recovery per calendar year (UTC): one row per year with at least one flown launch (upcoming = false), from the launch''s fairings object (fairings.reused, recovery_attempt, recovered). fairings is null for the Dragon launches (a capsule flies without a fairing; 35 flown), and its three flags are all null on 44 more flown launches (38 of them in 2022: the API stopped recording them); such launches count in launches_flown and launches_without_fairing_data only. The API says whether the fairing was recovered, not how many halves. Soft-deleted launches are left out.';
COMMENT ON COLUMN gold.fairing_recovery_by_year.launch_year IS
    'Calendar year of the launch''s date_utc, taken in UTC; NULL when the launch has no valid date_utc.';
COMMENT ON COLUMN gold.fairing_recovery_by_year.launches_flown IS
    'Number of flown launches (upcoming = false) in the year.';
COMMENT ON COLUMN gold.fairing_recovery_by_year.launches_without_fairing_data IS
    'Flown launches whose fairings.reused, recovery_attempt and recovered are all unknown (fairings null, or all three flags null).';
COMMENT ON COLUMN gold.fairing_recovery_by_year.launches_reused_fairings IS
    'Flown launches with fairings.reused = true (the fairing had flown before).';
COMMENT ON COLUMN gold.fairing_recovery_by_year.recovery_attempts IS
    'Flown launches with fairings.recovery_attempt = true.';
COMMENT ON COLUMN gold.fairing_recovery_by_year.recoveries IS
    'Recovery attempts with fairings.recovered = true.';
COMMENT ON COLUMN gold.fairing_recovery_by_year.recovery_failures IS
    'Recovery attempts with fairings.recovered = false.';
COMMENT ON COLUMN gold.fairing_recovery_by_year.recovery_outcome_unknown IS
    'Recovery attempts with fairings.recovered NULL; neither recoveries nor failures.';
COMMENT ON COLUMN gold.fairing_recovery_by_year.recovery_rate IS
    'recoveries / (recoveries + recovery_failures), a fraction from 0 to 1; NULL when that sum is 0.';
