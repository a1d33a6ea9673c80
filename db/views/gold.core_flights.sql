-- gold.core_flights: every flight of a first-stage core, in the core's own
-- order, with the days since the core's previous flight (its turnaround) and
-- how the booster landed. One row per core and flown launch. The launch side
-- (launch.cores[], bronze.launch_cores) is the relationship of record; the
-- cores' own launch lists are not read. Soft-deleted launches are left out.
-- gold.core_reuse aggregates this view. `loader migrate` re-creates this view
-- when this file changes; `loader sync` refreshes it (CONCURRENTLY, through
-- the unique index).
CREATE MATERIALIZED VIEW gold.core_flights AS
WITH flights AS (
    -- A core named twice by one launch (never in the snapshot) counts once:
    -- its first element.
    SELECT DISTINCT ON (lc.core_id, l.id)
        lc.core_id,
        l.id AS launch_id,
        l.name AS launch_name,
        l.flight_number,
        l.date_utc,
        l.date_precision,
        l.success AS launch_success,
        lc.core_index,
        lc.flight AS api_core_flight,
        lc.reused,
        lc.landing_attempt,
        lc.landing_success,
        lc.landing_type,
        lc.landpad_id
    FROM bronze.launch_cores lc
    JOIN bronze.launches l ON l.id = lc.launch_id
    WHERE l.upcoming = false AND l.deleted_at IS NULL AND lc.core_id IS NOT NULL
    ORDER BY lc.core_id, l.id, lc.core_index
), ordered AS (
    SELECT
        f.*,
        row_number() OVER w AS core_flight_number,
        lag(f.launch_id) OVER w AS previous_launch_id,
        lag(f.date_utc) OVER w AS previous_date_utc,
        lag(f.date_precision) OVER w AS previous_date_precision
    FROM flights f
    WINDOW w AS (PARTITION BY f.core_id ORDER BY f.date_utc, f.launch_id)
)
SELECT
    o.core_id,
    c.serial AS core_serial,
    o.launch_id,
    o.launch_name,
    o.flight_number,
    o.date_utc,
    o.date_precision,
    o.core_flight_number::integer AS core_flight_number,
    o.api_core_flight,
    o.reused,
    o.previous_launch_id,
    (extract(epoch FROM o.date_utc) - extract(epoch FROM o.previous_date_utc))
        / 86400 AS days_since_previous_flight,
    -- An unknown precision is not hour: false, not NULL (docs/gold.md).
    CASE WHEN o.previous_launch_id IS NOT NULL
         THEN coalesce(o.date_precision = 'hour' AND o.previous_date_precision = 'hour', false)
    END AS turnaround_exact,
    o.launch_success,
    o.landing_attempt,
    o.landing_success,
    o.landing_type,
    o.landpad_id
FROM ordered o
LEFT JOIN bronze.cores c ON c.id = o.core_id AND c.deleted_at IS NULL;

CREATE UNIQUE INDEX core_flights_core_id_launch_id_idx
    ON gold.core_flights (core_id, launch_id);

COMMENT ON MATERIALIZED VIEW gold.core_flights IS
    'Flights of first-stage cores: one row per (core_id, launch_id) for each core named in launch.cores[] of a flown launch (upcoming = false). Upcoming launches are left out (most name no core yet; USSF-44 names three), as are soft-deleted launches. A core bronze.cores lacks still has its flights here, with core_serial NULL.';
COMMENT ON COLUMN gold.core_flights.core_id IS
    'The core''s API id (bronze.launch_cores.core_id).';
COMMENT ON COLUMN gold.core_flights.core_serial IS
    'The core''s serial (B1049 ...) from bronze.cores; NULL when the core is not there.';
COMMENT ON COLUMN gold.core_flights.launch_id IS
    'The launch''s API id.';
COMMENT ON COLUMN gold.core_flights.launch_name IS
    'The launch''s name.';
COMMENT ON COLUMN gold.core_flights.flight_number IS
    'The launch''s flight_number as the API states it (not unique across launches).';
COMMENT ON COLUMN gold.core_flights.date_utc IS
    'The launch''s date_utc; only as exact as date_precision says.';
COMMENT ON COLUMN gold.core_flights.date_precision IS
    'The launch''s date_precision (hour, day, month, ...): anything but hour means date_utc is not a real time.';
COMMENT ON COLUMN gold.core_flights.core_flight_number IS
    'The core''s 1st, 2nd, ... flight, counting its flown launches by date_utc (then launch id); computed here, not the API''s figure.';
COMMENT ON COLUMN gold.core_flights.api_core_flight IS
    'The API''s own flight count of the core on this launch (launch.cores[].flight), for comparison with core_flight_number; NULL when the API gives none.';
COMMENT ON COLUMN gold.core_flights.reused IS
    'The API''s launch.cores[].reused flag: whether the core had flown before; NULL when unknown.';
COMMENT ON COLUMN gold.core_flights.previous_launch_id IS
    'The core''s previous flown launch (by date_utc); NULL on its first flight.';
COMMENT ON COLUMN gold.core_flights.days_since_previous_flight IS
    'Turnaround: days (fractional, 86400 s each) from the previous flight''s date_utc to this one''s; NULL on the core''s first flight or when either date is unknown.';
COMMENT ON COLUMN gold.core_flights.turnaround_exact IS
    'true when both launches of the turnaround have date_precision = hour, so days_since_previous_flight is exact; false when either date is only a day or month, or of unknown precision; NULL on the first flight.';
COMMENT ON COLUMN gold.core_flights.launch_success IS
    'The launch''s success flag; NULL when unknown (flight 172).';
COMMENT ON COLUMN gold.core_flights.landing_attempt IS
    'Whether the booster tried to land on this flight (launch.cores[].landing_attempt); NULL when unknown.';
COMMENT ON COLUMN gold.core_flights.landing_success IS
    'Whether the landing succeeded; NULL when not attempted or unknown.';
COMMENT ON COLUMN gold.core_flights.landing_type IS
    'RTLS (landing zone), ASDS (droneship) or Ocean (soft splashdown, no pad); NULL when no landing was attempted.';
COMMENT ON COLUMN gold.core_flights.landpad_id IS
    'The landing pad or droneship (bronze.landpads id); NULL for Ocean landings and flights without a landing attempt.';
