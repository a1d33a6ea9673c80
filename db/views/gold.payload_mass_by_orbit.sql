-- gold.payload_mass_by_orbit: payloads flown and their mass per target orbit,
-- from gold.payload_flights (each payload once, flown launches only), with the
-- share delivered by a successful launch. One row per orbit. `loader migrate`
-- re-creates this view when this file changes (or when gold.payload_flights
-- is re-created); `loader sync` refreshes it (CONCURRENTLY, through the
-- unique index), after gold.payload_flights.
CREATE MATERIALIZED VIEW gold.payload_mass_by_orbit AS
SELECT
    f.orbit,
    count(*)::integer AS payloads,
    count(f.mass_kg)::integer AS payloads_with_mass,
    coalesce(sum(f.mass_kg), 0) AS mass_kg,
    avg(f.mass_kg) AS avg_mass_kg,
    count(*) FILTER (WHERE f.delivered)::integer AS payloads_delivered,
    coalesce(sum(f.mass_kg) FILTER (WHERE f.delivered), 0) AS mass_delivered_kg
FROM gold.payload_flights f
GROUP BY f.orbit;

CREATE UNIQUE INDEX payload_mass_by_orbit_orbit_idx
    ON gold.payload_mass_by_orbit (orbit) NULLS NOT DISTINCT;

COMMENT ON MATERIALIZED VIEW gold.payload_mass_by_orbit IS
    'Payloads flown per target orbit: one row per orbit among the payloads of gold.payload_flights (payloads listed in launch.payloads[] of a flown launch, upcoming = false, each payload once even when two launches list it). Every flown payload is in exactly one row, so the columns add up to the totals. Soft-deleted launches and payloads are left out.';
COMMENT ON COLUMN gold.payload_mass_by_orbit.orbit IS
    'Target orbit as the API states it (LEO, GTO, ISS, VLEO, SSO, ...); NULL groups the payloads whose orbit is unknown.';
COMMENT ON COLUMN gold.payload_mass_by_orbit.payloads IS
    'Number of payloads flown to the orbit.';
COMMENT ON COLUMN gold.payload_mass_by_orbit.payloads_with_mass IS
    'Payloads whose mass_kg is known; mass_kg and avg_mass_kg are over these only.';
COMMENT ON COLUMN gold.payload_mass_by_orbit.mass_kg IS
    'Sum of the known masses, in kilograms; unknown masses are left out (not counted as 0); 0 when no mass is known.';
COMMENT ON COLUMN gold.payload_mass_by_orbit.avg_mass_kg IS
    'mass_kg / payloads_with_mass, in kilograms; NULL when no mass is known.';
COMMENT ON COLUMN gold.payload_mass_by_orbit.payloads_delivered IS
    'Payloads of which at least one listing launch has success = true (gold.payload_flights.delivered).';
COMMENT ON COLUMN gold.payload_mass_by_orbit.mass_delivered_kg IS
    'Sum of the known masses of the delivered payloads, in kilograms; 0 when none.';
