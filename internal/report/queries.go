package report

// The report's read-only queries, in one place. They are plain SELECTs of
// the gold views, kept here rather than in queries/ for sqlc because every
// figure is read as text (exact, as PostgreSQL prints it) into the one
// generic Table shape; the views hold the logic. Each selects the key
// columns, then the row's label, then the figures in the order of the
// section's columns. NULLs stay NULL. ORDER BY names the view's column
// through its alias: unqualified, it would sort the text of the output
// column of the same name ("9" after "10").

// costQuery: one row per rocket.
const costQuery = `
SELECT rocket_id, rocket_name,
       launches_flown::text, cost_per_launch_usd::text,
       payload_mass_delivered_kg::text, cost_per_kg_usd::text
FROM gold.rocket_cost_efficiency v
ORDER BY v.rocket_name, v.rocket_id`

// launchesQuery adds the view's rows of each year over its rockets; the
// rate is recomputed from the sums, by the view's own formula.
const launchesQuery = `
SELECT launch_year::text, launch_year::text,
       sum(launches_flown)::text, sum(launches_succeeded)::text,
       sum(launches_failed)::text, sum(launches_outcome_unknown)::text,
       sum(launches_upcoming)::text,
       (sum(launches_succeeded)::numeric
           / nullif(sum(launches_succeeded) + sum(launches_failed), 0))::text
FROM gold.launch_stats_by_year_rocket v
GROUP BY v.launch_year
ORDER BY v.launch_year NULLS LAST`

// landingsQuery: one row per landing type.
const landingsQuery = `
SELECT landing_type, landing_type,
       attempts::text, successes::text, failures::text,
       outcome_unknown::text, success_rate::text
FROM gold.landings_by_type v
ORDER BY v.attempts DESC, v.landing_type NULLS LAST`

// reuseQuery counts the cores of gold.core_reuse by how many flights each
// flew.
const reuseQuery = `
SELECT flights::text, flights::text, count(*)::text
FROM gold.core_reuse v
GROUP BY v.flights
ORDER BY v.flights`

// orbitQuery: one row per orbit, heaviest first.
const orbitQuery = `
SELECT orbit, orbit,
       payloads::text, payloads_with_mass::text, mass_kg::text,
       avg_mass_kg::text, payloads_delivered::text, mass_delivered_kg::text
FROM gold.payload_mass_by_orbit v
ORDER BY v.mass_kg DESC, v.orbit NULLS LAST`

// fairingQuery: one row per year.
const fairingQuery = `
SELECT launch_year::text, launch_year::text,
       launches_flown::text, launches_without_fairing_data::text,
       launches_reused_fairings::text, recovery_attempts::text,
       recoveries::text, recovery_failures::text,
       recovery_outcome_unknown::text, recovery_rate::text
FROM gold.fairing_recovery_by_year v
ORDER BY v.launch_year NULLS LAST`
