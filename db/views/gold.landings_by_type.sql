-- gold.landings_by_type: booster landing attempts and their outcome per
-- landing type (RTLS, ASDS, Ocean), over every core of every flown launch
-- (launch.cores[], the relationship of record; a Falcon Heavy has up to three
-- attempts). Soft-deleted launches are left out. `loader migrate` re-creates
-- this view when this file changes; `loader sync` refreshes it
-- (CONCURRENTLY, through the unique index).
CREATE MATERIALIZED VIEW gold.landings_by_type AS
SELECT
    lc.landing_type,
    count(*)::integer AS attempts,
    count(*) FILTER (WHERE lc.landing_success)::integer AS successes,
    count(*) FILTER (WHERE NOT lc.landing_success)::integer AS failures,
    count(*) FILTER (WHERE lc.landing_success IS NULL)::integer AS outcome_unknown,
    count(*) FILTER (WHERE lc.landing_success)::numeric
        / nullif(count(*) FILTER (WHERE lc.landing_success IS NOT NULL), 0) AS success_rate,
    min(l.date_utc) AS first_attempt_utc,
    max(l.date_utc) AS last_attempt_utc
FROM bronze.launch_cores lc
JOIN bronze.launches l ON l.id = lc.launch_id
WHERE l.upcoming = false AND l.deleted_at IS NULL AND lc.landing_attempt
GROUP BY lc.landing_type;

CREATE UNIQUE INDEX landings_by_type_landing_type_idx
    ON gold.landings_by_type (landing_type) NULLS NOT DISTINCT;

COMMENT ON MATERIALIZED VIEW gold.landings_by_type IS
    'Booster landing attempts per landing type: one row per landing_type among the elements of launch.cores[] of flown launches (upcoming = false) with landing_attempt = true. Each element is one booster''s attempt, whether or not the core is known. Flights without an attempt (landing_attempt false or NULL) are not counted. Soft-deleted launches are left out.';
COMMENT ON COLUMN gold.landings_by_type.landing_type IS
    'RTLS (return to launch site), ASDS (droneship) or Ocean (controlled splashdown), as the API states it; NULL groups attempts whose type the API does not give (none in the snapshot).';
COMMENT ON COLUMN gold.landings_by_type.attempts IS
    'Number of landing attempts (launch.cores[] elements with landing_attempt = true).';
COMMENT ON COLUMN gold.landings_by_type.successes IS
    'Attempts with landing_success = true.';
COMMENT ON COLUMN gold.landings_by_type.failures IS
    'Attempts with landing_success = false.';
COMMENT ON COLUMN gold.landings_by_type.outcome_unknown IS
    'Attempts with landing_success NULL (2 ASDS attempts in the snapshot); neither successes nor failures.';
COMMENT ON COLUMN gold.landings_by_type.success_rate IS
    'successes / (successes + failures), a fraction from 0 to 1; NULL when that sum is 0.';
COMMENT ON COLUMN gold.landings_by_type.first_attempt_utc IS
    'date_utc of the first launch with an attempt of this type.';
COMMENT ON COLUMN gold.landings_by_type.last_attempt_utc IS
    'date_utc of the last launch with an attempt of this type.';
