-- gold.launchpad_utilisation: launches per launch pad, counted from the launch
-- side (launch.launchpad), with the pad record's own counters beside them for
-- comparison. One row per launch pad in bronze.launchpads, plus any pad that
-- launches name but bronze.launchpads lacks. Soft-deleted records are left
-- out. `loader migrate` re-creates this view when this file changes; `loader
-- sync` refreshes it (CONCURRENTLY, through the unique index).
CREATE MATERIALIZED VIEW gold.launchpad_utilisation AS
WITH launched AS (
    SELECT
        l.launchpad_id,
        count(*) FILTER (WHERE NOT l.upcoming) AS launches_flown,
        count(*) FILTER (WHERE NOT l.upcoming AND l.success) AS launches_succeeded,
        count(*) FILTER (WHERE NOT l.upcoming AND NOT l.success) AS launches_failed,
        min(l.date_utc) FILTER (WHERE NOT l.upcoming) AS first_launch_utc,
        max(l.date_utc) FILTER (WHERE NOT l.upcoming) AS last_launch_utc,
        count(*) FILTER (WHERE l.upcoming) AS launches_upcoming
    FROM bronze.launches l
    WHERE l.deleted_at IS NULL AND l.launchpad_id IS NOT NULL AND l.upcoming IS NOT NULL
    GROUP BY l.launchpad_id
), pads AS (
    SELECT p.id, p.name, p.full_name, p.locality, p.region, p.status,
           p.launch_attempts, p.launch_successes
    FROM bronze.launchpads p
    WHERE p.deleted_at IS NULL
)
SELECT
    coalesce(p.id, s.launchpad_id) AS launchpad_id,
    p.name,
    p.full_name,
    p.locality,
    p.region,
    p.status,
    coalesce(s.launches_flown, 0)::integer AS launches_flown,
    coalesce(s.launches_succeeded, 0)::integer AS launches_succeeded,
    coalesce(s.launches_failed, 0)::integer AS launches_failed,
    s.launches_succeeded::numeric
        / nullif(s.launches_succeeded + s.launches_failed, 0) AS success_rate,
    s.first_launch_utc,
    s.last_launch_utc,
    coalesce(s.launches_upcoming, 0)::integer AS launches_upcoming,
    p.launch_attempts AS api_launch_attempts,
    p.launch_successes AS api_launch_successes
FROM pads p
FULL JOIN launched s ON s.launchpad_id = p.id;

CREATE UNIQUE INDEX launchpad_utilisation_launchpad_id_idx
    ON gold.launchpad_utilisation (launchpad_id);

COMMENT ON MATERIALIZED VIEW gold.launchpad_utilisation IS
    'Launches per launch pad: one row per live pad in bronze.launchpads (pads never used have zeros), plus one per launchpad id that launches name but bronze.launchpads lacks (name, status and api_* NULL). Counted from bronze.launches.launchpad_id, the relationship of record; flown launches are those with upcoming = false. The api_* columns are the pad record''s own counters, which in the snapshot are stale (fetched 2022-09-17) and lag the launch side. Soft-deleted launches and pads are left out.';
COMMENT ON COLUMN gold.launchpad_utilisation.launchpad_id IS
    'The launch pad''s API id.';
COMMENT ON COLUMN gold.launchpad_utilisation.name IS
    'The pad''s short name (CCSFS SLC 40, KSC LC 39A, ...); NULL when bronze.launchpads lacks the pad.';
COMMENT ON COLUMN gold.launchpad_utilisation.full_name IS
    'The pad''s full name.';
COMMENT ON COLUMN gold.launchpad_utilisation.locality IS
    'Where the pad is (Cape Canaveral, Vandenberg, ...).';
COMMENT ON COLUMN gold.launchpad_utilisation.region IS
    'The pad''s region (Florida, California, Marshall Islands, Texas).';
COMMENT ON COLUMN gold.launchpad_utilisation.status IS
    'The pad''s status as the API states it (active, retired, under construction, ...).';
COMMENT ON COLUMN gold.launchpad_utilisation.launches_flown IS
    'Launches from the pad with upcoming = false; 0 when none.';
COMMENT ON COLUMN gold.launchpad_utilisation.launches_succeeded IS
    'Flown launches from the pad with success = true.';
COMMENT ON COLUMN gold.launchpad_utilisation.launches_failed IS
    'Flown launches from the pad with success = false (success NULL counts as neither).';
COMMENT ON COLUMN gold.launchpad_utilisation.success_rate IS
    'launches_succeeded / (launches_succeeded + launches_failed), a fraction from 0 to 1; NULL when that sum is 0.';
COMMENT ON COLUMN gold.launchpad_utilisation.first_launch_utc IS
    'date_utc of the pad''s first flown launch; NULL when none.';
COMMENT ON COLUMN gold.launchpad_utilisation.last_launch_utc IS
    'date_utc of the pad''s last flown launch; NULL when none.';
COMMENT ON COLUMN gold.launchpad_utilisation.launches_upcoming IS
    'Upcoming launches (upcoming = true, placeholders) assigned to the pad.';
COMMENT ON COLUMN gold.launchpad_utilisation.api_launch_attempts IS
    'The pad record''s launch_attempts as the API states it, for comparison with launches_flown; NULL when bronze.launchpads lacks the pad.';
COMMENT ON COLUMN gold.launchpad_utilisation.api_launch_successes IS
    'The pad record''s launch_successes as the API states it, for comparison with launches_succeeded.';
