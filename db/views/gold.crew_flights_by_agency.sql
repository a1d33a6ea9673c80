-- gold.crew_flights_by_agency: astronauts, seats flown and crewed launches per
-- agency, from gold.crew_flights and the launch side (bronze.launch_crew). One
-- row per agency. `loader migrate` re-creates this view when this file changes
-- (or when gold.crew_flights is re-created); `loader sync` refreshes it
-- (CONCURRENTLY, through the unique index), after gold.crew_flights.
CREATE MATERIALIZED VIEW gold.crew_flights_by_agency AS
WITH people AS (
    SELECT
        cf.agency,
        count(*) AS astronauts,
        count(*) FILTER (WHERE cf.flights > 0) AS astronauts_flown,
        sum(cf.flights) AS seats,
        min(cf.first_flight_utc) AS first_flight_utc,
        max(cf.last_flight_utc) AS last_flight_utc
    FROM gold.crew_flights cf
    GROUP BY cf.agency
), launches AS (
    SELECT cf.agency, count(DISTINCT l.id) AS launches
    FROM gold.crew_flights cf
    JOIN bronze.launch_crew lc ON lc.crew_id = cf.crew_id
    JOIN bronze.launches l ON l.id = lc.launch_id
    WHERE l.upcoming = false AND l.deleted_at IS NULL
    GROUP BY cf.agency
)
SELECT
    p.agency,
    p.astronauts::integer AS astronauts,
    p.astronauts_flown::integer AS astronauts_flown,
    p.seats::integer AS seats,
    coalesce(n.launches, 0)::integer AS launches,
    p.first_flight_utc,
    p.last_flight_utc
FROM people p
LEFT JOIN launches n ON n.agency IS NOT DISTINCT FROM p.agency;

CREATE UNIQUE INDEX crew_flights_by_agency_agency_idx
    ON gold.crew_flights_by_agency (agency) NULLS NOT DISTINCT;

COMMENT ON MATERIALIZED VIEW gold.crew_flights_by_agency IS
    'Crew flights per agency: one row per agency among the rows of gold.crew_flights (every live crew member, plus crew ids that flown launches name but bronze.crew lacks). Flights are counted from launch.crew[] of flown launches (upcoming = false). Agencies are the API''s strings; an astronaut counts toward the agency of their crew record, whatever agency flew them. Soft-deleted launches and crew are left out.';
COMMENT ON COLUMN gold.crew_flights_by_agency.agency IS
    'The agency as the API states it (NASA, ESA, JAXA, SpaceX, Axiom Space, Roscosmos); NULL groups crew whose agency is unknown or who are missing from bronze.crew.';
COMMENT ON COLUMN gold.crew_flights_by_agency.astronauts IS
    'Number of crew members of the agency, flown or not.';
COMMENT ON COLUMN gold.crew_flights_by_agency.astronauts_flown IS
    'Crew members of the agency with at least one flight.';
COMMENT ON COLUMN gold.crew_flights_by_agency.seats IS
    'Seats flown: the sum of the agency''s crew members'' flights (one per crew member and flown launch).';
COMMENT ON COLUMN gold.crew_flights_by_agency.launches IS
    'Distinct flown launches carrying at least one of the agency''s crew members; at most seats.';
COMMENT ON COLUMN gold.crew_flights_by_agency.first_flight_utc IS
    'date_utc of the first flown launch carrying one of the agency''s crew members; NULL when none flew.';
COMMENT ON COLUMN gold.crew_flights_by_agency.last_flight_utc IS
    'date_utc of the last flown launch carrying one of the agency''s crew members; NULL when none flew.';
