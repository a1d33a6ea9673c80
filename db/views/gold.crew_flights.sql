-- gold.crew_flights: flights per astronaut, counted from the launch side
-- (launch.crew[], bronze.launch_crew, the relationship of record), with the
-- roles flown. One row per crew member in bronze.crew, plus any crew id that
-- flown launches name but bronze.crew lacks. Soft-deleted records are left
-- out. gold.crew_flights_by_agency aggregates this view. `loader migrate`
-- re-creates this view when this file changes; `loader sync` refreshes it
-- (CONCURRENTLY, through the unique index).
CREATE MATERIALIZED VIEW gold.crew_flights AS
WITH seats AS (
    SELECT lc.crew_id, l.id AS launch_id, l.date_utc, lc.role
    FROM bronze.launch_crew lc
    JOIN bronze.launches l ON l.id = lc.launch_id
    WHERE l.upcoming = false AND l.deleted_at IS NULL AND lc.crew_id IS NOT NULL
), flown AS (
    SELECT
        s.crew_id,
        count(DISTINCT s.launch_id) AS flights,
        min(s.date_utc) AS first_flight_utc,
        max(s.date_utc) AS last_flight_utc,
        array_agg(DISTINCT s.role COLLATE "C" ORDER BY s.role COLLATE "C") FILTER (WHERE s.role IS NOT NULL) AS roles
    FROM seats s
    GROUP BY s.crew_id
), api AS (
    SELECT cl.crew_id, count(*) AS launches
    FROM bronze.crew_launches cl
    GROUP BY cl.crew_id
), crew AS (
    SELECT c.id, c.name, c.agency, c.status
    FROM bronze.crew c
    WHERE c.deleted_at IS NULL
)
SELECT
    coalesce(c.id, f.crew_id) AS crew_id,
    c.name,
    c.agency,
    c.status,
    coalesce(f.flights, 0)::integer AS flights,
    f.first_flight_utc,
    f.last_flight_utc,
    coalesce(f.roles, '{}') AS roles,
    CASE WHEN c.id IS NOT NULL THEN coalesce(a.launches, 0)::integer END AS api_launches
FROM crew c
FULL JOIN flown f ON f.crew_id = c.id
LEFT JOIN api a ON a.crew_id = c.id;

CREATE UNIQUE INDEX crew_flights_crew_id_idx ON gold.crew_flights (crew_id);

COMMENT ON MATERIALIZED VIEW gold.crew_flights IS
    'Flights per astronaut: one row per live crew member in bronze.crew (those who never flew have flights = 0), plus one per crew id that flown launches name but bronze.crew lacks (name, agency, status NULL). Counted from launch.crew[] (bronze.launch_crew) of flown launches (upcoming = false). Roles come from the v5 launches; a v4 extract has none. Soft-deleted launches and crew are left out.';
COMMENT ON COLUMN gold.crew_flights.crew_id IS
    'The crew member''s API id.';
COMMENT ON COLUMN gold.crew_flights.name IS
    'The crew member''s name; NULL when bronze.crew lacks the id.';
COMMENT ON COLUMN gold.crew_flights.agency IS
    'The crew member''s agency as the API states it (NASA, ESA, JAXA, SpaceX, Axiom Space, Roscosmos); NULL when unknown.';
COMMENT ON COLUMN gold.crew_flights.status IS
    'The crew member''s status as the API states it (active, inactive, retired, unknown).';
COMMENT ON COLUMN gold.crew_flights.flights IS
    'Number of flown launches listing the crew member in launch.crew[]; 0 when none.';
COMMENT ON COLUMN gold.crew_flights.first_flight_utc IS
    'date_utc of the crew member''s first flown launch; NULL when none.';
COMMENT ON COLUMN gold.crew_flights.last_flight_utc IS
    'date_utc of the crew member''s last flown launch; NULL when none.';
COMMENT ON COLUMN gold.crew_flights.roles IS
    'The distinct roles the crew member flew (launch.crew[].role: Commander, Pilot, Mission Specialist 1, ...), sorted bytewise; empty when none is known.';
COMMENT ON COLUMN gold.crew_flights.api_launches IS
    'Number of launches in the crew record''s own launches[] list (bronze.crew_launches), the API''s reverse reference, for comparison with flights; NULL when bronze.crew lacks the id.';
