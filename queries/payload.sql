-- name: PayloadUpsertFromLanding :one
-- PayloadUpsertFromLanding normalises a run's landed payloads into
-- bronze.payloads. Rows whose values are unchanged are not rewritten. It
-- returns the number of distinct documents, and of rows inserted and updated.
WITH src AS (
    SELECT l.id, l.doc
    FROM landing.latest_documents l
    WHERE l.run_id = @run_id::bigint AND l.resource = 'payloads'
), upserted AS (
    INSERT INTO bronze.payloads AS t (
        id, name, type, reused, launch_id, customers, norad_ids, nationalities,
        manufacturers, mass_kg, mass_lbs, orbit, reference_system, regime,
        longitude, semi_major_axis_km, eccentricity, periapsis_km, apoapsis_km,
        inclination_deg, period_min, lifespan_years, epoch, mean_motion, raan,
        arg_of_pericenter, mean_anomaly, dragon_capsule_id,
        dragon_mass_returned_kg, dragon_mass_returned_lbs,
        dragon_flight_time_sec, dragon_manifest, dragon_water_landing,
        dragon_land_landing, doc, run_id
    )
    SELECT
        src.id,
        src.doc ->> 'name',
        src.doc ->> 'type',
        (src.doc ->> 'reused')::boolean,
        src.doc ->> 'launch',
        landing.text_array(src.doc -> 'customers'),
        landing.text_array(src.doc -> 'norad_ids')::integer[],
        landing.text_array(src.doc -> 'nationalities'),
        landing.text_array(src.doc -> 'manufacturers'),
        (src.doc ->> 'mass_kg')::numeric,
        (src.doc ->> 'mass_lbs')::numeric,
        src.doc ->> 'orbit',
        src.doc ->> 'reference_system',
        src.doc ->> 'regime',
        (src.doc ->> 'longitude')::numeric,
        (src.doc ->> 'semi_major_axis_km')::numeric,
        (src.doc ->> 'eccentricity')::numeric,
        (src.doc ->> 'periapsis_km')::numeric,
        (src.doc ->> 'apoapsis_km')::numeric,
        (src.doc ->> 'inclination_deg')::numeric,
        (src.doc ->> 'period_min')::numeric,
        (src.doc ->> 'lifespan_years')::numeric,
        (src.doc ->> 'epoch')::timestamptz,
        (src.doc ->> 'mean_motion')::numeric,
        (src.doc ->> 'raan')::numeric,
        (src.doc ->> 'arg_of_pericenter')::numeric,
        (src.doc ->> 'mean_anomaly')::numeric,
        src.doc #>> '{dragon,capsule}',
        (src.doc #>> '{dragon,mass_returned_kg}')::numeric,
        (src.doc #>> '{dragon,mass_returned_lbs}')::numeric,
        (src.doc #>> '{dragon,flight_time_sec}')::integer,
        src.doc #>> '{dragon,manifest}',
        (src.doc #>> '{dragon,water_landing}')::boolean,
        (src.doc #>> '{dragon,land_landing}')::boolean,
        src.doc,
        @run_id::bigint
    FROM src
    ON CONFLICT (id) DO UPDATE SET
        name = EXCLUDED.name,
        type = EXCLUDED.type,
        reused = EXCLUDED.reused,
        launch_id = EXCLUDED.launch_id,
        customers = EXCLUDED.customers,
        norad_ids = EXCLUDED.norad_ids,
        nationalities = EXCLUDED.nationalities,
        manufacturers = EXCLUDED.manufacturers,
        mass_kg = EXCLUDED.mass_kg,
        mass_lbs = EXCLUDED.mass_lbs,
        orbit = EXCLUDED.orbit,
        reference_system = EXCLUDED.reference_system,
        regime = EXCLUDED.regime,
        longitude = EXCLUDED.longitude,
        semi_major_axis_km = EXCLUDED.semi_major_axis_km,
        eccentricity = EXCLUDED.eccentricity,
        periapsis_km = EXCLUDED.periapsis_km,
        apoapsis_km = EXCLUDED.apoapsis_km,
        inclination_deg = EXCLUDED.inclination_deg,
        period_min = EXCLUDED.period_min,
        lifespan_years = EXCLUDED.lifespan_years,
        epoch = EXCLUDED.epoch,
        mean_motion = EXCLUDED.mean_motion,
        raan = EXCLUDED.raan,
        arg_of_pericenter = EXCLUDED.arg_of_pericenter,
        mean_anomaly = EXCLUDED.mean_anomaly,
        dragon_capsule_id = EXCLUDED.dragon_capsule_id,
        dragon_mass_returned_kg = EXCLUDED.dragon_mass_returned_kg,
        dragon_mass_returned_lbs = EXCLUDED.dragon_mass_returned_lbs,
        dragon_flight_time_sec = EXCLUDED.dragon_flight_time_sec,
        dragon_manifest = EXCLUDED.dragon_manifest,
        dragon_water_landing = EXCLUDED.dragon_water_landing,
        dragon_land_landing = EXCLUDED.dragon_land_landing,
        doc = EXCLUDED.doc,
        run_id = EXCLUDED.run_id,
        updated_at = clock_timestamp()
    WHERE (
        t.name, t.type, t.reused, t.launch_id, t.customers, t.norad_ids,
        t.nationalities, t.manufacturers, t.mass_kg, t.mass_lbs, t.orbit,
        t.reference_system, t.regime, t.longitude, t.semi_major_axis_km,
        t.eccentricity, t.periapsis_km, t.apoapsis_km, t.inclination_deg,
        t.period_min, t.lifespan_years, t.epoch, t.mean_motion, t.raan,
        t.arg_of_pericenter, t.mean_anomaly, t.dragon_capsule_id,
        t.dragon_mass_returned_kg, t.dragon_mass_returned_lbs,
        t.dragon_flight_time_sec, t.dragon_manifest, t.dragon_water_landing,
        t.dragon_land_landing, t.doc
    ) IS DISTINCT FROM (
        EXCLUDED.name, EXCLUDED.type, EXCLUDED.reused, EXCLUDED.launch_id,
        EXCLUDED.customers, EXCLUDED.norad_ids, EXCLUDED.nationalities,
        EXCLUDED.manufacturers, EXCLUDED.mass_kg, EXCLUDED.mass_lbs,
        EXCLUDED.orbit, EXCLUDED.reference_system, EXCLUDED.regime,
        EXCLUDED.longitude, EXCLUDED.semi_major_axis_km, EXCLUDED.eccentricity,
        EXCLUDED.periapsis_km, EXCLUDED.apoapsis_km, EXCLUDED.inclination_deg,
        EXCLUDED.period_min, EXCLUDED.lifespan_years, EXCLUDED.epoch,
        EXCLUDED.mean_motion, EXCLUDED.raan, EXCLUDED.arg_of_pericenter,
        EXCLUDED.mean_anomaly, EXCLUDED.dragon_capsule_id,
        EXCLUDED.dragon_mass_returned_kg, EXCLUDED.dragon_mass_returned_lbs,
        EXCLUDED.dragon_flight_time_sec, EXCLUDED.dragon_manifest,
        EXCLUDED.dragon_water_landing, EXCLUDED.dragon_land_landing,
        EXCLUDED.doc
    )
    RETURNING t.id
)
SELECT
    (SELECT count(*) FROM src)::bigint AS documents,
    count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM bronze.payloads b WHERE b.id = u.id))::bigint AS inserted,
    count(*) FILTER (WHERE EXISTS (SELECT 1 FROM bronze.payloads b WHERE b.id = u.id))::bigint AS updated
FROM upserted u;
