-- severity: warn
-- description: No live bronze row, nor a bridge row of a live parent, has a
--   value of the wrong type for its column. The loader stores such a value as
--   NULL and lists it in the row's issues ({field, reason, value}); the
--   source document keeps it. One violation per row and field; the key is the
--   resource (and array), the record's id (and position) and the field.
SELECT format('rockets %s: %s', t.id, i ->> 'field') AS key FROM bronze.rockets t, jsonb_array_elements(t.issues) AS i WHERE t.deleted_at IS NULL
UNION ALL
SELECT format('dragons %s: %s', t.id, i ->> 'field') FROM bronze.dragons t, jsonb_array_elements(t.issues) AS i WHERE t.deleted_at IS NULL
UNION ALL
SELECT format('capsules %s: %s', t.id, i ->> 'field') FROM bronze.capsules t, jsonb_array_elements(t.issues) AS i WHERE t.deleted_at IS NULL
UNION ALL
SELECT format('cores %s: %s', t.id, i ->> 'field') FROM bronze.cores t, jsonb_array_elements(t.issues) AS i WHERE t.deleted_at IS NULL
UNION ALL
SELECT format('crew %s: %s', t.id, i ->> 'field') FROM bronze.crew t, jsonb_array_elements(t.issues) AS i WHERE t.deleted_at IS NULL
UNION ALL
SELECT format('ships %s: %s', t.id, i ->> 'field') FROM bronze.ships t, jsonb_array_elements(t.issues) AS i WHERE t.deleted_at IS NULL
UNION ALL
SELECT format('landpads %s: %s', t.id, i ->> 'field') FROM bronze.landpads t, jsonb_array_elements(t.issues) AS i WHERE t.deleted_at IS NULL
UNION ALL
SELECT format('launchpads %s: %s', t.id, i ->> 'field') FROM bronze.launchpads t, jsonb_array_elements(t.issues) AS i WHERE t.deleted_at IS NULL
UNION ALL
SELECT format('payloads %s: %s', t.id, i ->> 'field') FROM bronze.payloads t, jsonb_array_elements(t.issues) AS i WHERE t.deleted_at IS NULL
UNION ALL
SELECT format('launches %s: %s', t.id, i ->> 'field') FROM bronze.launches t, jsonb_array_elements(t.issues) AS i WHERE t.deleted_at IS NULL
UNION ALL
SELECT format('starlink %s: %s', t.id, i ->> 'field') FROM bronze.starlink t, jsonb_array_elements(t.issues) AS i WHERE t.deleted_at IS NULL
UNION ALL
SELECT format('history %s: %s', t.id, i ->> 'field') FROM bronze.history t, jsonb_array_elements(t.issues) AS i WHERE t.deleted_at IS NULL
UNION ALL
SELECT format('company %s: %s', t.id, i ->> 'field') FROM bronze.company t, jsonb_array_elements(t.issues) AS i WHERE t.deleted_at IS NULL
UNION ALL
SELECT format('roadster %s: %s', t.id, i ->> 'field') FROM bronze.roadster t, jsonb_array_elements(t.issues) AS i WHERE t.deleted_at IS NULL
UNION ALL
SELECT format('rockets.payload_weights %s[%s]: %s', b.rocket_id, b.weight_index, e ->> 'field') FROM bronze.rocket_payload_weights b JOIN bronze.rockets p ON p.id = b.rocket_id AND p.deleted_at IS NULL, jsonb_array_elements(b.issues) AS e
UNION ALL
SELECT format('dragons.thrusters %s[%s]: %s', b.dragon_id, b.thruster_index, e ->> 'field') FROM bronze.dragon_thrusters b JOIN bronze.dragons p ON p.id = b.dragon_id AND p.deleted_at IS NULL, jsonb_array_elements(b.issues) AS e
UNION ALL
SELECT format('capsules.launches %s[%s]: %s', b.capsule_id, b.launch_index, e ->> 'field') FROM bronze.capsule_launches b JOIN bronze.capsules p ON p.id = b.capsule_id AND p.deleted_at IS NULL, jsonb_array_elements(b.issues) AS e
UNION ALL
SELECT format('cores.launches %s[%s]: %s', b.core_id, b.launch_index, e ->> 'field') FROM bronze.core_launches b JOIN bronze.cores p ON p.id = b.core_id AND p.deleted_at IS NULL, jsonb_array_elements(b.issues) AS e
UNION ALL
SELECT format('crew.launches %s[%s]: %s', b.crew_id, b.launch_index, e ->> 'field') FROM bronze.crew_launches b JOIN bronze.crew p ON p.id = b.crew_id AND p.deleted_at IS NULL, jsonb_array_elements(b.issues) AS e
UNION ALL
SELECT format('ships.launches %s[%s]: %s', b.ship_id, b.launch_index, e ->> 'field') FROM bronze.ship_launches b JOIN bronze.ships p ON p.id = b.ship_id AND p.deleted_at IS NULL, jsonb_array_elements(b.issues) AS e
UNION ALL
SELECT format('landpads.launches %s[%s]: %s', b.landpad_id, b.launch_index, e ->> 'field') FROM bronze.landpad_launches b JOIN bronze.landpads p ON p.id = b.landpad_id AND p.deleted_at IS NULL, jsonb_array_elements(b.issues) AS e
UNION ALL
SELECT format('launchpads.rockets %s[%s]: %s', b.launchpad_id, b.rocket_index, e ->> 'field') FROM bronze.launchpad_rockets b JOIN bronze.launchpads p ON p.id = b.launchpad_id AND p.deleted_at IS NULL, jsonb_array_elements(b.issues) AS e
UNION ALL
SELECT format('launchpads.launches %s[%s]: %s', b.launchpad_id, b.launch_index, e ->> 'field') FROM bronze.launchpad_launches b JOIN bronze.launchpads p ON p.id = b.launchpad_id AND p.deleted_at IS NULL, jsonb_array_elements(b.issues) AS e
UNION ALL
SELECT format('payloads.customers %s[%s]: %s', b.payload_id, b.customer_index, e ->> 'field') FROM bronze.payload_customers b JOIN bronze.payloads p ON p.id = b.payload_id AND p.deleted_at IS NULL, jsonb_array_elements(b.issues) AS e
UNION ALL
SELECT format('payloads.nationalities %s[%s]: %s', b.payload_id, b.nationality_index, e ->> 'field') FROM bronze.payload_nationalities b JOIN bronze.payloads p ON p.id = b.payload_id AND p.deleted_at IS NULL, jsonb_array_elements(b.issues) AS e
UNION ALL
SELECT format('payloads.manufacturers %s[%s]: %s', b.payload_id, b.manufacturer_index, e ->> 'field') FROM bronze.payload_manufacturers b JOIN bronze.payloads p ON p.id = b.payload_id AND p.deleted_at IS NULL, jsonb_array_elements(b.issues) AS e
UNION ALL
SELECT format('payloads.norad_ids %s[%s]: %s', b.payload_id, b.norad_id_index, e ->> 'field') FROM bronze.payload_norad_ids b JOIN bronze.payloads p ON p.id = b.payload_id AND p.deleted_at IS NULL, jsonb_array_elements(b.issues) AS e
UNION ALL
SELECT format('launches.payloads %s[%s]: %s', b.launch_id, b.payload_index, e ->> 'field') FROM bronze.launch_payloads b JOIN bronze.launches p ON p.id = b.launch_id AND p.deleted_at IS NULL, jsonb_array_elements(b.issues) AS e
UNION ALL
SELECT format('launches.cores %s[%s]: %s', b.launch_id, b.core_index, e ->> 'field') FROM bronze.launch_cores b JOIN bronze.launches p ON p.id = b.launch_id AND p.deleted_at IS NULL, jsonb_array_elements(b.issues) AS e
UNION ALL
SELECT format('launches.crew %s[%s]: %s', b.launch_id, b.crew_index, e ->> 'field') FROM bronze.launch_crew b JOIN bronze.launches p ON p.id = b.launch_id AND p.deleted_at IS NULL, jsonb_array_elements(b.issues) AS e
UNION ALL
SELECT format('launches.ships %s[%s]: %s', b.launch_id, b.ship_index, e ->> 'field') FROM bronze.launch_ships b JOIN bronze.launches p ON p.id = b.launch_id AND p.deleted_at IS NULL, jsonb_array_elements(b.issues) AS e
UNION ALL
SELECT format('launches.capsules %s[%s]: %s', b.launch_id, b.capsule_index, e ->> 'field') FROM bronze.launch_capsules b JOIN bronze.launches p ON p.id = b.launch_id AND p.deleted_at IS NULL, jsonb_array_elements(b.issues) AS e
UNION ALL
SELECT format('launches.failures %s[%s]: %s', b.launch_id, b.failure_index, e ->> 'field') FROM bronze.launch_failures b JOIN bronze.launches p ON p.id = b.launch_id AND p.deleted_at IS NULL, jsonb_array_elements(b.issues) AS e
UNION ALL
SELECT format('launches.fairings.ships %s[%s]: %s', b.launch_id, b.ship_index, e ->> 'field') FROM bronze.launch_fairing_ships b JOIN bronze.launches p ON p.id = b.launch_id AND p.deleted_at IS NULL, jsonb_array_elements(b.issues) AS e
