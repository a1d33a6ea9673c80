-- migrate:up

-- Each bridge's rows with issues, by parent (issue 15). A promotion counts
-- the records with bad values, those of unchanged parents included, which
-- took a scan of every bridge of the resource (about 50 ms of a changed
-- sync of 61,500 launches, for no row at all as a rule). bronze.counts
-- asks each bridge's index first, and joins only the bridges that have
-- such rows. The indexes are empty as long as the data is clean, and cost
-- nothing to keep.

CREATE INDEX capsule_launches_issues ON bronze.capsule_launches (capsule_id) WHERE issues IS NOT NULL;
CREATE INDEX core_launches_issues ON bronze.core_launches (core_id) WHERE issues IS NOT NULL;
CREATE INDEX crew_launches_issues ON bronze.crew_launches (crew_id) WHERE issues IS NOT NULL;
CREATE INDEX dragon_thrusters_issues ON bronze.dragon_thrusters (dragon_id) WHERE issues IS NOT NULL;
CREATE INDEX landpad_launches_issues ON bronze.landpad_launches (landpad_id) WHERE issues IS NOT NULL;
CREATE INDEX launch_capsules_issues ON bronze.launch_capsules (launch_id) WHERE issues IS NOT NULL;
CREATE INDEX launch_cores_issues ON bronze.launch_cores (launch_id) WHERE issues IS NOT NULL;
CREATE INDEX launch_crew_issues ON bronze.launch_crew (launch_id) WHERE issues IS NOT NULL;
CREATE INDEX launch_failures_issues ON bronze.launch_failures (launch_id) WHERE issues IS NOT NULL;
CREATE INDEX launch_fairing_ships_issues ON bronze.launch_fairing_ships (launch_id) WHERE issues IS NOT NULL;
CREATE INDEX launch_payloads_issues ON bronze.launch_payloads (launch_id) WHERE issues IS NOT NULL;
CREATE INDEX launch_ships_issues ON bronze.launch_ships (launch_id) WHERE issues IS NOT NULL;
CREATE INDEX launchpad_launches_issues ON bronze.launchpad_launches (launchpad_id) WHERE issues IS NOT NULL;
CREATE INDEX launchpad_rockets_issues ON bronze.launchpad_rockets (launchpad_id) WHERE issues IS NOT NULL;
CREATE INDEX payload_customers_issues ON bronze.payload_customers (payload_id) WHERE issues IS NOT NULL;
CREATE INDEX payload_manufacturers_issues ON bronze.payload_manufacturers (payload_id) WHERE issues IS NOT NULL;
CREATE INDEX payload_nationalities_issues ON bronze.payload_nationalities (payload_id) WHERE issues IS NOT NULL;
CREATE INDEX payload_norad_ids_issues ON bronze.payload_norad_ids (payload_id) WHERE issues IS NOT NULL;
CREATE INDEX rocket_payload_weights_issues ON bronze.rocket_payload_weights (rocket_id) WHERE issues IS NOT NULL;
CREATE INDEX ship_launches_issues ON bronze.ship_launches (ship_id) WHERE issues IS NOT NULL;

-- migrate:down

DROP INDEX bronze.capsule_launches_issues;
DROP INDEX bronze.core_launches_issues;
DROP INDEX bronze.crew_launches_issues;
DROP INDEX bronze.dragon_thrusters_issues;
DROP INDEX bronze.landpad_launches_issues;
DROP INDEX bronze.launch_capsules_issues;
DROP INDEX bronze.launch_cores_issues;
DROP INDEX bronze.launch_crew_issues;
DROP INDEX bronze.launch_failures_issues;
DROP INDEX bronze.launch_fairing_ships_issues;
DROP INDEX bronze.launch_payloads_issues;
DROP INDEX bronze.launch_ships_issues;
DROP INDEX bronze.launchpad_launches_issues;
DROP INDEX bronze.launchpad_rockets_issues;
DROP INDEX bronze.payload_customers_issues;
DROP INDEX bronze.payload_manufacturers_issues;
DROP INDEX bronze.payload_nationalities_issues;
DROP INDEX bronze.payload_norad_ids_issues;
DROP INDEX bronze.rocket_payload_weights_issues;
DROP INDEX bronze.ship_launches_issues;
