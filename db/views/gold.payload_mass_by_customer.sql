-- gold.payload_mass_by_customer: payloads flown and their mass per customer,
-- from gold.payload_flights (each payload once, flown launches only). A
-- payload with two customers counts, whole, toward both. One row per
-- customer string. `loader migrate` re-creates this view when this file
-- changes (or when gold.payload_flights is re-created); `loader sync`
-- refreshes it (CONCURRENTLY, through the unique index), after
-- gold.payload_flights.
CREATE MATERIALIZED VIEW gold.payload_mass_by_customer AS
WITH by_customer AS (
    -- A customer listed twice on one payload counts the payload once.
    SELECT DISTINCT pc.customer, f.payload_id, f.mass_kg, f.delivered,
                    f.first_launch_utc, f.last_launch_utc
    FROM gold.payload_flights f
    JOIN bronze.payload_customers pc ON pc.payload_id = f.payload_id
)
SELECT
    b.customer,
    count(*)::integer AS payloads,
    count(b.mass_kg)::integer AS payloads_with_mass,
    coalesce(sum(b.mass_kg), 0) AS mass_kg,
    count(*) FILTER (WHERE b.delivered)::integer AS payloads_delivered,
    coalesce(sum(b.mass_kg) FILTER (WHERE b.delivered), 0) AS mass_delivered_kg,
    min(b.first_launch_utc) AS first_launch_utc,
    max(b.last_launch_utc) AS last_launch_utc
FROM by_customer b
GROUP BY b.customer;

CREATE UNIQUE INDEX payload_mass_by_customer_customer_idx
    ON gold.payload_mass_by_customer (customer) NULLS NOT DISTINCT;

COMMENT ON MATERIALIZED VIEW gold.payload_mass_by_customer IS
    'Payloads flown per customer: one row per customer string in payload.customers[] (bronze.payload_customers) of the payloads of gold.payload_flights (payloads listed in launch.payloads[] of a flown launch, upcoming = false, each payload once). A payload with two customers counts, with its whole mass, toward both, so rows do not add up to the totals; a payload with no customer is in no row. Customer names are the API''s strings, not normalised (NASA, NASA (CRS), NASA(COTS) are three rows; "OHB-System, AG" is split into two customers upstream). Soft-deleted launches and payloads are left out.';
COMMENT ON COLUMN gold.payload_mass_by_customer.customer IS
    'The customer as the API writes it (an element of payload.customers[]); NULL groups elements that are not strings (none in the snapshot).';
COMMENT ON COLUMN gold.payload_mass_by_customer.payloads IS
    'Number of flown payloads listing the customer.';
COMMENT ON COLUMN gold.payload_mass_by_customer.payloads_with_mass IS
    'Those payloads whose mass_kg is known; the mass columns are over these only.';
COMMENT ON COLUMN gold.payload_mass_by_customer.mass_kg IS
    'Sum of the known masses of the customer''s payloads, in kilograms, each payload''s whole mass even when it has other customers; 0 when no mass is known.';
COMMENT ON COLUMN gold.payload_mass_by_customer.payloads_delivered IS
    'The customer''s payloads of which at least one listing launch has success = true.';
COMMENT ON COLUMN gold.payload_mass_by_customer.mass_delivered_kg IS
    'Sum of the known masses of the customer''s delivered payloads, in kilograms; 0 when none.';
COMMENT ON COLUMN gold.payload_mass_by_customer.first_launch_utc IS
    'date_utc of the first flown launch carrying one of the customer''s payloads.';
COMMENT ON COLUMN gold.payload_mass_by_customer.last_launch_utc IS
    'date_utc of the last flown launch carrying one of the customer''s payloads.';
