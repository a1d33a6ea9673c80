-- gold.payload_flights: the payloads that flew, each once, with what the
-- payload marts (gold.payload_mass_by_orbit, gold.payload_mass_by_customer)
-- aggregate. A payload flew when a flown launch lists it in launch.payloads[]
-- (the relationship of record; payload.launch is not read, it disagrees for a
-- few records). Soft-deleted launches and payloads are left out. `loader
-- migrate` re-creates this view when this file changes; `loader sync`
-- refreshes it (CONCURRENTLY, through the unique index), before the marts
-- that read it.
CREATE MATERIALIZED VIEW gold.payload_flights AS
WITH listed AS (
    SELECT
        lp.payload_id,
        count(DISTINCT l.id) AS launches,
        bool_or(coalesce(l.success, false)) AS delivered,
        min(l.date_utc) AS first_launch_utc,
        max(l.date_utc) AS last_launch_utc
    FROM bronze.launch_payloads lp
    JOIN bronze.launches l ON l.id = lp.launch_id
    WHERE l.upcoming = false AND l.deleted_at IS NULL
    GROUP BY lp.payload_id
)
SELECT
    p.id AS payload_id,
    p.name AS payload_name,
    p.type AS payload_type,
    p.orbit,
    p.mass_kg,
    s.launches::integer AS launches,
    s.delivered,
    s.first_launch_utc,
    s.last_launch_utc
FROM listed s
JOIN bronze.payloads p ON p.id = s.payload_id AND p.deleted_at IS NULL;

CREATE UNIQUE INDEX payload_flights_payload_id_idx ON gold.payload_flights (payload_id);

COMMENT ON MATERIALIZED VIEW gold.payload_flights IS
    'Payloads that flew: one row per live payload in bronze.payloads that at least one flown launch (upcoming = false) lists in launch.payloads[]. A payload listed by two launches is one row. Payloads only on upcoming launches, on no launch, or referenced by a launch but missing from bronze.payloads (no orbit or mass to report) are left out, as are soft-deleted launches and payloads.';
COMMENT ON COLUMN gold.payload_flights.payload_id IS
    'The payload''s API id.';
COMMENT ON COLUMN gold.payload_flights.payload_name IS
    'The payload''s name.';
COMMENT ON COLUMN gold.payload_flights.payload_type IS
    'The payload''s type as the API states it (Satellite, Dragon 2.0, Crew Dragon, ...).';
COMMENT ON COLUMN gold.payload_flights.orbit IS
    'The payload''s target orbit as the API states it (LEO, GTO, ISS, VLEO, ...); NULL when unknown (one payload in the snapshot).';
COMMENT ON COLUMN gold.payload_flights.mass_kg IS
    'The payload''s mass in kilograms; NULL when the API does not give it (29 payloads in the snapshot).';
COMMENT ON COLUMN gold.payload_flights.launches IS
    'Number of flown launches listing the payload (2 for one payload in the snapshot, NROL-87).';
COMMENT ON COLUMN gold.payload_flights.delivered IS
    'true when at least one flown launch listing the payload has success = true; false when all failed or their outcome is unknown.';
COMMENT ON COLUMN gold.payload_flights.first_launch_utc IS
    'date_utc of the first flown launch listing the payload.';
COMMENT ON COLUMN gold.payload_flights.last_launch_utc IS
    'date_utc of the last flown launch listing the payload (first_launch_utc unless two launches list it).';
