-- severity: error
-- description: Each bridge table holds exactly the elements of its live
--   parents' arrays: one row per element, at its position, equal to it (a
--   value that is not an array has no rows). A difference means the load is
--   broken, not the API's data: a promotion that skipped, duplicated or
--   misplaced elements, or a bridge edited by hand. One violation per parent
--   and array; the key is 'resource.array parent id'.
WITH source (array_path, parent_id, arr) AS (
    SELECT 'rockets.payload_weights', id, doc #> '{payload_weights}' FROM bronze.rockets WHERE deleted_at IS NULL
    UNION ALL
    SELECT 'dragons.thrusters',       id, doc #> '{thrusters}' FROM bronze.dragons WHERE deleted_at IS NULL
    UNION ALL
    SELECT 'capsules.launches',       id, doc #> '{launches}' FROM bronze.capsules WHERE deleted_at IS NULL
    UNION ALL
    SELECT 'cores.launches',          id, doc #> '{launches}' FROM bronze.cores WHERE deleted_at IS NULL
    UNION ALL
    SELECT 'crew.launches',           id, doc #> '{launches}' FROM bronze.crew WHERE deleted_at IS NULL
    UNION ALL
    SELECT 'ships.launches',          id, doc #> '{launches}' FROM bronze.ships WHERE deleted_at IS NULL
    UNION ALL
    SELECT 'landpads.launches',       id, doc #> '{launches}' FROM bronze.landpads WHERE deleted_at IS NULL
    UNION ALL
    SELECT 'launchpads.rockets',      id, doc #> '{rockets}' FROM bronze.launchpads WHERE deleted_at IS NULL
    UNION ALL
    SELECT 'launchpads.launches',     id, doc #> '{launches}' FROM bronze.launchpads WHERE deleted_at IS NULL
    UNION ALL
    SELECT 'payloads.customers',      id, doc #> '{customers}' FROM bronze.payloads WHERE deleted_at IS NULL
    UNION ALL
    SELECT 'payloads.nationalities',  id, doc #> '{nationalities}' FROM bronze.payloads WHERE deleted_at IS NULL
    UNION ALL
    SELECT 'payloads.manufacturers',  id, doc #> '{manufacturers}' FROM bronze.payloads WHERE deleted_at IS NULL
    UNION ALL
    SELECT 'payloads.norad_ids',      id, doc #> '{norad_ids}' FROM bronze.payloads WHERE deleted_at IS NULL
    UNION ALL
    SELECT 'launches.payloads',       id, doc #> '{payloads}' FROM bronze.launches WHERE deleted_at IS NULL
    UNION ALL
    SELECT 'launches.cores',          id, doc #> '{cores}' FROM bronze.launches WHERE deleted_at IS NULL
    UNION ALL
    SELECT 'launches.crew',           id, doc #> '{crew}' FROM bronze.launches WHERE deleted_at IS NULL
    UNION ALL
    SELECT 'launches.ships',          id, doc #> '{ships}' FROM bronze.launches WHERE deleted_at IS NULL
    UNION ALL
    SELECT 'launches.capsules',       id, doc #> '{capsules}' FROM bronze.launches WHERE deleted_at IS NULL
    UNION ALL
    SELECT 'launches.failures',       id, doc #> '{failures}' FROM bronze.launches WHERE deleted_at IS NULL
    UNION ALL
    SELECT 'launches.fairings.ships', id, doc #> '{fairings,ships}' FROM bronze.launches WHERE deleted_at IS NULL
), bridge (array_path, parent_id, position, elem) AS (
    SELECT 'rockets.payload_weights', rocket_id, weight_index, elem FROM bronze.rocket_payload_weights
    UNION ALL
    SELECT 'dragons.thrusters',       dragon_id, thruster_index, elem FROM bronze.dragon_thrusters
    UNION ALL
    SELECT 'capsules.launches',       capsule_id, launch_index, elem FROM bronze.capsule_launches
    UNION ALL
    SELECT 'cores.launches',          core_id, launch_index, elem FROM bronze.core_launches
    UNION ALL
    SELECT 'crew.launches',           crew_id, launch_index, elem FROM bronze.crew_launches
    UNION ALL
    SELECT 'ships.launches',          ship_id, launch_index, elem FROM bronze.ship_launches
    UNION ALL
    SELECT 'landpads.launches',       landpad_id, launch_index, elem FROM bronze.landpad_launches
    UNION ALL
    SELECT 'launchpads.rockets',      launchpad_id, rocket_index, elem FROM bronze.launchpad_rockets
    UNION ALL
    SELECT 'launchpads.launches',     launchpad_id, launch_index, elem FROM bronze.launchpad_launches
    UNION ALL
    SELECT 'payloads.customers',      payload_id, customer_index, elem FROM bronze.payload_customers
    UNION ALL
    SELECT 'payloads.nationalities',  payload_id, nationality_index, elem FROM bronze.payload_nationalities
    UNION ALL
    SELECT 'payloads.manufacturers',  payload_id, manufacturer_index, elem FROM bronze.payload_manufacturers
    UNION ALL
    SELECT 'payloads.norad_ids',      payload_id, norad_id_index, elem FROM bronze.payload_norad_ids
    UNION ALL
    SELECT 'launches.payloads',       launch_id, payload_index, elem FROM bronze.launch_payloads
    UNION ALL
    SELECT 'launches.cores',          launch_id, core_index, elem FROM bronze.launch_cores
    UNION ALL
    SELECT 'launches.crew',           launch_id, crew_index, elem FROM bronze.launch_crew
    UNION ALL
    SELECT 'launches.ships',          launch_id, ship_index, elem FROM bronze.launch_ships
    UNION ALL
    SELECT 'launches.capsules',       launch_id, capsule_index, elem FROM bronze.launch_capsules
    UNION ALL
    SELECT 'launches.failures',       launch_id, failure_index, elem FROM bronze.launch_failures
    UNION ALL
    SELECT 'launches.fairings.ships', launch_id, ship_index, elem FROM bronze.launch_fairing_ships
), held AS (
    SELECT array_path, parent_id, jsonb_object_agg(position, elem) AS elems
    FROM bridge
    GROUP BY array_path, parent_id
)
SELECT format('%s %s', s.array_path, s.parent_id) AS key
FROM source s
LEFT JOIN held h USING (array_path, parent_id)
WHERE coalesce(h.elems, '{}') IS DISTINCT FROM coalesce((
    SELECT jsonb_object_agg(a.i - 1, a.e)
    FROM jsonb_array_elements(CASE WHEN jsonb_typeof(s.arr) = 'array' THEN s.arr END) WITH ORDINALITY AS a(e, i)
), '{}')
