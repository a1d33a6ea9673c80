-- gold.rocket_cost_efficiency: what each rocket costs per launch flown and per
-- kilogram of payload delivered. One row per rocket in bronze.rockets,
-- including rockets that never flew, plus any rocket id that flown launches
-- name but bronze.rockets lacks (a broken reference, kept as in every
-- per-entity view). Soft-deleted records (deleted_at set) are left out.
-- `loader migrate` re-creates this view when this file changes; `loader
-- sync` refreshes it (CONCURRENTLY, through the unique index).
CREATE MATERIALIZED VIEW gold.rocket_cost_efficiency AS
WITH flown AS (
    SELECT
        l.rocket_id,
        count(*) AS launches_flown,
        count(*) FILTER (WHERE l.success) AS launches_succeeded,
        count(*) FILTER (WHERE NOT l.success) AS launches_failed
    FROM bronze.launches l
    WHERE l.upcoming = false AND l.deleted_at IS NULL AND l.rocket_id IS NOT NULL
    GROUP BY l.rocket_id
), delivered AS (
    -- Each payload counts once per rocket, even when two launches list it.
    SELECT d.rocket_id, sum(d.mass_kg) AS mass_kg
    FROM (
        SELECT DISTINCT l.rocket_id, p.id, p.mass_kg
        FROM bronze.launches l
        JOIN bronze.launch_payloads lp ON lp.launch_id = l.id
        JOIN bronze.payloads p ON p.id = lp.payload_id
        WHERE l.upcoming = false AND l.success = true
          AND l.deleted_at IS NULL AND p.deleted_at IS NULL
    ) d
    GROUP BY d.rocket_id
), rockets AS (
    SELECT r.id, r.name, r.cost_per_launch
    FROM bronze.rockets r
    WHERE r.deleted_at IS NULL
), figures AS (
    SELECT
        coalesce(r.id, f.rocket_id) AS rocket_id,
        r.name AS rocket_name,
        coalesce(f.launches_flown, 0)::integer AS launches_flown,
        coalesce(f.launches_succeeded, 0)::integer AS launches_succeeded,
        coalesce(f.launches_failed, 0)::integer AS launches_failed,
        r.cost_per_launch AS cost_per_launch_usd,
        coalesce(d.mass_kg, 0) AS payload_mass_delivered_kg
    FROM rockets r
    FULL JOIN flown f ON f.rocket_id = r.id
    LEFT JOIN delivered d ON d.rocket_id = coalesce(r.id, f.rocket_id)
)
SELECT
    rocket_id,
    rocket_name,
    launches_flown,
    launches_succeeded,
    launches_failed,
    launches_succeeded::numeric
        / nullif(launches_succeeded + launches_failed, 0) AS success_rate,
    cost_per_launch_usd,
    cost_per_launch_usd * launches_flown AS estimated_spend_usd,
    payload_mass_delivered_kg,
    cost_per_launch_usd * launches_flown
        / nullif(payload_mass_delivered_kg, 0) AS cost_per_kg_usd
FROM figures;

CREATE UNIQUE INDEX rocket_cost_efficiency_rocket_id_idx
    ON gold.rocket_cost_efficiency (rocket_id);

COMMENT ON MATERIALIZED VIEW gold.rocket_cost_efficiency IS
    'Cost efficiency per rocket: one row per rocket in bronze.rockets, including rockets with no launches, plus any rocket id that flown launches name but bronze.rockets lacks (rocket_name and cost_per_launch_usd NULL). Flown launches are those with upcoming = false. Soft-deleted rockets, launches and payloads are left out.';
COMMENT ON COLUMN gold.rocket_cost_efficiency.rocket_id IS
    'The rocket''s API id (bronze.rockets.id, or the id flown launches name when bronze.rockets lacks it).';
COMMENT ON COLUMN gold.rocket_cost_efficiency.rocket_name IS
    'The rocket''s name; NULL for a rocket id bronze.rockets lacks.';
COMMENT ON COLUMN gold.rocket_cost_efficiency.launches_flown IS
    'Number of the rocket''s launches with upcoming = false.';
COMMENT ON COLUMN gold.rocket_cost_efficiency.launches_succeeded IS
    'Number of flown launches with success = true.';
COMMENT ON COLUMN gold.rocket_cost_efficiency.launches_failed IS
    'Number of flown launches with success = false (success NULL counts as neither).';
COMMENT ON COLUMN gold.rocket_cost_efficiency.success_rate IS
    'launches_succeeded / (launches_succeeded + launches_failed), a fraction from 0 to 1; NULL when that sum is 0.';
COMMENT ON COLUMN gold.rocket_cost_efficiency.cost_per_launch_usd IS
    'The rocket''s cost_per_launch in US dollars, as the API states it.';
COMMENT ON COLUMN gold.rocket_cost_efficiency.estimated_spend_usd IS
    'cost_per_launch_usd × launches_flown.';
COMMENT ON COLUMN gold.rocket_cost_efficiency.payload_mass_delivered_kg IS
    'Sum of mass_kg over the payloads listed (bronze.launch_payloads) on the rocket''s successful launches (flown, success = true), each payload once; unknown masses are left out; 0 when there are none.';
COMMENT ON COLUMN gold.rocket_cost_efficiency.cost_per_kg_usd IS
    'estimated_spend_usd / payload_mass_delivered_kg; NULL when the mass is 0.';
