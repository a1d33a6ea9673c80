-- migrate:up

-- The bridges declare no foreign key to their parent any more (issue 15).
-- Each inserted bridge row ran an RI trigger that looked up and locked its
-- parent's row: at 1,000 times the snapshot that was about 17 s of an
-- 85 s first sync (the 906,000 rows of bronze.payload_norad_ids took 8.1 s
-- to insert with the key, 2.9 s without). The constraint guarded nothing
-- the loader can break: it writes a parent's bridge rows from that
-- parent's own document in the same transaction, and never deletes a
-- parent's row (a record the API drops is soft-deleted, deleted_at, and
-- keeps its rows). What it would have refused, a bridge row whose parent
-- is gone, the check bridges_match_documents now reports.
--
-- No index goes with them (a foreign key has none of its own), and the
-- lookups by parent keep theirs: each bridge's primary key is (parent id,
-- position).

ALTER TABLE bronze.capsule_launches DROP CONSTRAINT capsule_launches_capsule_id_fkey;
ALTER TABLE bronze.core_launches DROP CONSTRAINT core_launches_core_id_fkey;
ALTER TABLE bronze.crew_launches DROP CONSTRAINT crew_launches_crew_id_fkey;
ALTER TABLE bronze.dragon_thrusters DROP CONSTRAINT dragon_thrusters_dragon_id_fkey;
ALTER TABLE bronze.landpad_launches DROP CONSTRAINT landpad_launches_landpad_id_fkey;
ALTER TABLE bronze.launch_capsules DROP CONSTRAINT launch_capsules_launch_id_fkey;
ALTER TABLE bronze.launch_cores DROP CONSTRAINT launch_cores_launch_id_fkey;
ALTER TABLE bronze.launch_crew DROP CONSTRAINT launch_crew_launch_id_fkey;
ALTER TABLE bronze.launch_failures DROP CONSTRAINT launch_failures_launch_id_fkey;
ALTER TABLE bronze.launch_fairing_ships DROP CONSTRAINT launch_fairing_ships_launch_id_fkey;
ALTER TABLE bronze.launch_payloads DROP CONSTRAINT launch_payloads_launch_id_fkey;
ALTER TABLE bronze.launch_ships DROP CONSTRAINT launch_ships_launch_id_fkey;
ALTER TABLE bronze.launchpad_launches DROP CONSTRAINT launchpad_launches_launchpad_id_fkey;
ALTER TABLE bronze.launchpad_rockets DROP CONSTRAINT launchpad_rockets_launchpad_id_fkey;
ALTER TABLE bronze.payload_customers DROP CONSTRAINT payload_customers_payload_id_fkey;
ALTER TABLE bronze.payload_manufacturers DROP CONSTRAINT payload_manufacturers_payload_id_fkey;
ALTER TABLE bronze.payload_nationalities DROP CONSTRAINT payload_nationalities_payload_id_fkey;
ALTER TABLE bronze.payload_norad_ids DROP CONSTRAINT payload_norad_ids_payload_id_fkey;
ALTER TABLE bronze.rocket_payload_weights DROP CONSTRAINT rocket_payload_weights_rocket_id_fkey;
ALTER TABLE bronze.ship_launches DROP CONSTRAINT ship_launches_ship_id_fkey;

-- migrate:down

-- Fails on a bridge row whose parent is gone (which bridges_match_documents
-- reports): delete such rows first.
ALTER TABLE bronze.capsule_launches ADD CONSTRAINT capsule_launches_capsule_id_fkey FOREIGN KEY (capsule_id) REFERENCES bronze.capsules (id) ON DELETE CASCADE;
ALTER TABLE bronze.core_launches ADD CONSTRAINT core_launches_core_id_fkey FOREIGN KEY (core_id) REFERENCES bronze.cores (id) ON DELETE CASCADE;
ALTER TABLE bronze.crew_launches ADD CONSTRAINT crew_launches_crew_id_fkey FOREIGN KEY (crew_id) REFERENCES bronze.crew (id) ON DELETE CASCADE;
ALTER TABLE bronze.dragon_thrusters ADD CONSTRAINT dragon_thrusters_dragon_id_fkey FOREIGN KEY (dragon_id) REFERENCES bronze.dragons (id) ON DELETE CASCADE;
ALTER TABLE bronze.landpad_launches ADD CONSTRAINT landpad_launches_landpad_id_fkey FOREIGN KEY (landpad_id) REFERENCES bronze.landpads (id) ON DELETE CASCADE;
ALTER TABLE bronze.launch_capsules ADD CONSTRAINT launch_capsules_launch_id_fkey FOREIGN KEY (launch_id) REFERENCES bronze.launches (id) ON DELETE CASCADE;
ALTER TABLE bronze.launch_cores ADD CONSTRAINT launch_cores_launch_id_fkey FOREIGN KEY (launch_id) REFERENCES bronze.launches (id) ON DELETE CASCADE;
ALTER TABLE bronze.launch_crew ADD CONSTRAINT launch_crew_launch_id_fkey FOREIGN KEY (launch_id) REFERENCES bronze.launches (id) ON DELETE CASCADE;
ALTER TABLE bronze.launch_failures ADD CONSTRAINT launch_failures_launch_id_fkey FOREIGN KEY (launch_id) REFERENCES bronze.launches (id) ON DELETE CASCADE;
ALTER TABLE bronze.launch_fairing_ships ADD CONSTRAINT launch_fairing_ships_launch_id_fkey FOREIGN KEY (launch_id) REFERENCES bronze.launches (id) ON DELETE CASCADE;
ALTER TABLE bronze.launch_payloads ADD CONSTRAINT launch_payloads_launch_id_fkey FOREIGN KEY (launch_id) REFERENCES bronze.launches (id) ON DELETE CASCADE;
ALTER TABLE bronze.launch_ships ADD CONSTRAINT launch_ships_launch_id_fkey FOREIGN KEY (launch_id) REFERENCES bronze.launches (id) ON DELETE CASCADE;
ALTER TABLE bronze.launchpad_launches ADD CONSTRAINT launchpad_launches_launchpad_id_fkey FOREIGN KEY (launchpad_id) REFERENCES bronze.launchpads (id) ON DELETE CASCADE;
ALTER TABLE bronze.launchpad_rockets ADD CONSTRAINT launchpad_rockets_launchpad_id_fkey FOREIGN KEY (launchpad_id) REFERENCES bronze.launchpads (id) ON DELETE CASCADE;
ALTER TABLE bronze.payload_customers ADD CONSTRAINT payload_customers_payload_id_fkey FOREIGN KEY (payload_id) REFERENCES bronze.payloads (id) ON DELETE CASCADE;
ALTER TABLE bronze.payload_manufacturers ADD CONSTRAINT payload_manufacturers_payload_id_fkey FOREIGN KEY (payload_id) REFERENCES bronze.payloads (id) ON DELETE CASCADE;
ALTER TABLE bronze.payload_nationalities ADD CONSTRAINT payload_nationalities_payload_id_fkey FOREIGN KEY (payload_id) REFERENCES bronze.payloads (id) ON DELETE CASCADE;
ALTER TABLE bronze.payload_norad_ids ADD CONSTRAINT payload_norad_ids_payload_id_fkey FOREIGN KEY (payload_id) REFERENCES bronze.payloads (id) ON DELETE CASCADE;
ALTER TABLE bronze.rocket_payload_weights ADD CONSTRAINT rocket_payload_weights_rocket_id_fkey FOREIGN KEY (rocket_id) REFERENCES bronze.rockets (id) ON DELETE CASCADE;
ALTER TABLE bronze.ship_launches ADD CONSTRAINT ship_launches_ship_id_fkey FOREIGN KEY (ship_id) REFERENCES bronze.ships (id) ON DELETE CASCADE;
