-- gold.core_reuse: booster reuse and landings per first-stage core, from its
-- flights in gold.core_flights (the launch side is the relationship of
-- record), with the API's own counters of the core beside them. One row per
-- core in bronze.cores, including cores that never flew, plus any core that
-- flown launches name but bronze.cores lacks. Soft-deleted records are left
-- out. `loader migrate` re-creates this view when this file changes (or when
-- gold.core_flights is re-created); `loader sync` refreshes it
-- (CONCURRENTLY, through the unique index), after gold.core_flights.
CREATE MATERIALIZED VIEW gold.core_reuse AS
WITH flown AS (
    SELECT
        f.core_id,
        count(*) AS flights,
        min(f.date_utc) AS first_flight_utc,
        max(f.date_utc) AS last_flight_utc,
        count(*) FILTER (WHERE f.landing_attempt) AS landing_attempts,
        count(*) FILTER (WHERE f.landing_attempt AND f.landing_success) AS landing_successes,
        count(*) FILTER (WHERE f.landing_attempt AND f.landing_type = 'RTLS') AS rtls_attempts,
        count(*) FILTER (WHERE f.landing_attempt AND f.landing_type = 'RTLS' AND f.landing_success) AS rtls_successes,
        count(*) FILTER (WHERE f.landing_attempt AND f.landing_type = 'ASDS') AS asds_attempts,
        count(*) FILTER (WHERE f.landing_attempt AND f.landing_type = 'ASDS' AND f.landing_success) AS asds_successes,
        count(*) FILTER (WHERE f.landing_attempt AND f.landing_type = 'Ocean') AS ocean_attempts,
        count(*) FILTER (WHERE f.landing_attempt AND f.landing_type = 'Ocean' AND f.landing_success) AS ocean_successes,
        min(f.days_since_previous_flight) AS min_turnaround_days,
        avg(f.days_since_previous_flight) AS avg_turnaround_days,
        max(f.days_since_previous_flight) AS max_turnaround_days
    FROM gold.core_flights f
    GROUP BY f.core_id
), cores AS (
    SELECT c.id, c.serial, c.block, c.status, c.reuse_count,
           c.rtls_attempts, c.rtls_landings, c.asds_attempts, c.asds_landings
    FROM bronze.cores c
    WHERE c.deleted_at IS NULL
)
SELECT
    coalesce(c.id, f.core_id) AS core_id,
    c.serial,
    c.block,
    c.status,
    coalesce(f.flights, 0)::integer AS flights,
    greatest(coalesce(f.flights, 0) - 1, 0)::integer AS reflights,
    f.first_flight_utc,
    f.last_flight_utc,
    coalesce(f.landing_attempts, 0)::integer AS landing_attempts,
    coalesce(f.landing_successes, 0)::integer AS landing_successes,
    coalesce(f.rtls_attempts, 0)::integer AS rtls_attempts,
    coalesce(f.rtls_successes, 0)::integer AS rtls_successes,
    coalesce(f.asds_attempts, 0)::integer AS asds_attempts,
    coalesce(f.asds_successes, 0)::integer AS asds_successes,
    coalesce(f.ocean_attempts, 0)::integer AS ocean_attempts,
    coalesce(f.ocean_successes, 0)::integer AS ocean_successes,
    f.min_turnaround_days,
    f.avg_turnaround_days,
    f.max_turnaround_days,
    c.reuse_count AS api_reuse_count,
    c.rtls_attempts AS api_rtls_attempts,
    c.rtls_landings AS api_rtls_landings,
    c.asds_attempts AS api_asds_attempts,
    c.asds_landings AS api_asds_landings
FROM cores c
FULL JOIN flown f ON f.core_id = c.id;

CREATE UNIQUE INDEX core_reuse_core_id_idx ON gold.core_reuse (core_id);

COMMENT ON MATERIALIZED VIEW gold.core_reuse IS
    'Reuse and landings per first-stage core: one row per live core in bronze.cores (cores that never flew have flights = 0), plus one per core id that flown launches name but bronze.cores lacks (serial, block, status and api_* NULL). Flight figures come from gold.core_flights: flown launches only (upcoming = false), soft-deleted launches and cores left out. The api_* columns are the core record''s own counters, for comparison; they disagree with the launch side for some cores.';
COMMENT ON COLUMN gold.core_reuse.core_id IS
    'The core''s API id.';
COMMENT ON COLUMN gold.core_reuse.serial IS
    'The core''s serial (B1049 ...); NULL when bronze.cores lacks the core.';
COMMENT ON COLUMN gold.core_reuse.block IS
    'The core''s block (1 to 5); NULL when the API does not say (5 cores in the snapshot) or bronze.cores lacks the core.';
COMMENT ON COLUMN gold.core_reuse.status IS
    'The core''s status as the API states it (active, inactive, unknown, expended, lost, retired).';
COMMENT ON COLUMN gold.core_reuse.flights IS
    'Number of flown launches that name the core in launch.cores[]; 0 when none.';
COMMENT ON COLUMN gold.core_reuse.reflights IS
    'flights - 1 (0 for a core that never flew): how many times the core was reused, by the launch side.';
COMMENT ON COLUMN gold.core_reuse.first_flight_utc IS
    'date_utc of the core''s first flown launch; NULL when it never flew.';
COMMENT ON COLUMN gold.core_reuse.last_flight_utc IS
    'date_utc of the core''s last flown launch; NULL when it never flew.';
COMMENT ON COLUMN gold.core_reuse.landing_attempts IS
    'Flights with landing_attempt = true, of any landing type.';
COMMENT ON COLUMN gold.core_reuse.landing_successes IS
    'Landing attempts with landing_success = true. Attempts whose outcome is NULL count as attempts only.';
COMMENT ON COLUMN gold.core_reuse.rtls_attempts IS
    'Landing attempts with landing_type RTLS (return to launch site, a landing zone).';
COMMENT ON COLUMN gold.core_reuse.rtls_successes IS
    'RTLS attempts with landing_success = true.';
COMMENT ON COLUMN gold.core_reuse.asds_attempts IS
    'Landing attempts with landing_type ASDS (autonomous spaceport droneship).';
COMMENT ON COLUMN gold.core_reuse.asds_successes IS
    'ASDS attempts with landing_success = true.';
COMMENT ON COLUMN gold.core_reuse.ocean_attempts IS
    'Landing attempts with landing_type Ocean (a controlled splashdown, no pad).';
COMMENT ON COLUMN gold.core_reuse.ocean_successes IS
    'Ocean attempts with landing_success = true.';
COMMENT ON COLUMN gold.core_reuse.min_turnaround_days IS
    'Shortest gold.core_flights.days_since_previous_flight of the core, in days; NULL with fewer than two flights. Includes turnarounds whose dates are not exact (see gold.core_flights.turnaround_exact).';
COMMENT ON COLUMN gold.core_reuse.avg_turnaround_days IS
    'Mean of the core''s days_since_previous_flight, in days (with every date known: (last_flight_utc - first_flight_utc) / reflights); NULL with fewer than two flights.';
COMMENT ON COLUMN gold.core_reuse.max_turnaround_days IS
    'Longest days between consecutive flights of the core; NULL with fewer than two flights.';
COMMENT ON COLUMN gold.core_reuse.api_reuse_count IS
    'The core record''s reuse_count as the API states it; NULL when bronze.cores lacks the core.';
COMMENT ON COLUMN gold.core_reuse.api_rtls_attempts IS
    'The core record''s rtls_attempts as the API states it.';
COMMENT ON COLUMN gold.core_reuse.api_rtls_landings IS
    'The core record''s rtls_landings as the API states it.';
COMMENT ON COLUMN gold.core_reuse.api_asds_attempts IS
    'The core record''s asds_attempts as the API states it.';
COMMENT ON COLUMN gold.core_reuse.api_asds_landings IS
    'The core record''s asds_landings as the API states it.';
