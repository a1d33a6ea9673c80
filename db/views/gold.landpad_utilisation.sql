-- gold.landpad_utilisation: booster landings per landing pad or droneship,
-- counted from the launch side (launch.cores[].landpad of flown launches),
-- with the pad record's own counters beside them for comparison. One row per
-- landpad in bronze.landpads, plus any pad that launches name but
-- bronze.landpads lacks. Soft-deleted records are left out. `loader migrate`
-- re-creates this view when this file changes; `loader sync` refreshes it
-- (CONCURRENTLY, through the unique index).
CREATE MATERIALIZED VIEW gold.landpad_utilisation AS
WITH landed AS (
    SELECT
        lc.landpad_id,
        count(*) AS landing_attempts,
        count(*) FILTER (WHERE lc.landing_success) AS landing_successes,
        count(*) FILTER (WHERE NOT lc.landing_success) AS landing_failures,
        min(l.date_utc) AS first_landing_attempt_utc,
        max(l.date_utc) AS last_landing_attempt_utc
    FROM bronze.launch_cores lc
    JOIN bronze.launches l ON l.id = lc.launch_id
    WHERE l.upcoming = false AND l.deleted_at IS NULL
      AND lc.landing_attempt AND lc.landpad_id IS NOT NULL
    GROUP BY lc.landpad_id
), pads AS (
    SELECT p.id, p.name, p.full_name, p.type, p.locality, p.region, p.status,
           p.landing_attempts, p.landing_successes
    FROM bronze.landpads p
    WHERE p.deleted_at IS NULL
)
SELECT
    coalesce(p.id, s.landpad_id) AS landpad_id,
    p.name,
    p.full_name,
    p.type,
    p.locality,
    p.region,
    p.status,
    coalesce(s.landing_attempts, 0)::integer AS landing_attempts,
    coalesce(s.landing_successes, 0)::integer AS landing_successes,
    coalesce(s.landing_failures, 0)::integer AS landing_failures,
    s.landing_successes::numeric
        / nullif(s.landing_successes + s.landing_failures, 0) AS success_rate,
    s.first_landing_attempt_utc,
    s.last_landing_attempt_utc,
    p.landing_attempts AS api_landing_attempts,
    p.landing_successes AS api_landing_successes
FROM pads p
FULL JOIN landed s ON s.landpad_id = p.id;

CREATE UNIQUE INDEX landpad_utilisation_landpad_id_idx
    ON gold.landpad_utilisation (landpad_id);

COMMENT ON MATERIALIZED VIEW gold.landpad_utilisation IS
    'Booster landings per landing zone or droneship: one row per live landpad in bronze.landpads (pads never used have zeros), plus one per landpad id that flown launches name but bronze.landpads lacks (name, type and api_* NULL). Counted over the elements of launch.cores[] of flown launches (upcoming = false) with landing_attempt = true and a landpad; Ocean landings have no pad and are only in gold.landings_by_type. The api_* columns are the pad record''s own counters, for comparison. Soft-deleted launches and pads are left out.';
COMMENT ON COLUMN gold.landpad_utilisation.landpad_id IS
    'The landpad''s API id.';
COMMENT ON COLUMN gold.landpad_utilisation.name IS
    'The pad''s short name (LZ-1, OCISLY, JRTI, ...); NULL when bronze.landpads lacks the pad.';
COMMENT ON COLUMN gold.landpad_utilisation.full_name IS
    'The pad''s full name.';
COMMENT ON COLUMN gold.landpad_utilisation.type IS
    'RTLS (a landing zone on land) or ASDS (a droneship), as the API states it.';
COMMENT ON COLUMN gold.landpad_utilisation.locality IS
    'Where the pad is, or the droneship''s port.';
COMMENT ON COLUMN gold.landpad_utilisation.region IS
    'The pad''s region.';
COMMENT ON COLUMN gold.landpad_utilisation.status IS
    'The pad''s status as the API states it (active, retired, ...).';
COMMENT ON COLUMN gold.landpad_utilisation.landing_attempts IS
    'Landing attempts on the pad: launch.cores[] elements of flown launches with landing_attempt = true naming it; 0 when none.';
COMMENT ON COLUMN gold.landpad_utilisation.landing_successes IS
    'Attempts with landing_success = true.';
COMMENT ON COLUMN gold.landpad_utilisation.landing_failures IS
    'Attempts with landing_success = false (landing_success NULL counts as neither).';
COMMENT ON COLUMN gold.landpad_utilisation.success_rate IS
    'landing_successes / (landing_successes + landing_failures), a fraction from 0 to 1; NULL when that sum is 0.';
COMMENT ON COLUMN gold.landpad_utilisation.first_landing_attempt_utc IS
    'date_utc of the first flown launch with a landing attempt on the pad; NULL when none.';
COMMENT ON COLUMN gold.landpad_utilisation.last_landing_attempt_utc IS
    'date_utc of the last flown launch with a landing attempt on the pad; NULL when none.';
COMMENT ON COLUMN gold.landpad_utilisation.api_landing_attempts IS
    'The pad record''s landing_attempts as the API states it, for comparison with landing_attempts; NULL when bronze.landpads lacks the pad.';
COMMENT ON COLUMN gold.landpad_utilisation.api_landing_successes IS
    'The pad record''s landing_successes as the API states it, for comparison with landing_successes.';
