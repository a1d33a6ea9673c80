-- name: PayloadUpsertFromLanding :one
-- PayloadUpsertFromLanding normalises a run's landed payloads into
-- bronze.payloads, clearing deleted_at of records that came back. Values
-- of the wrong type become NULL and are listed in the row's issues. Rows whose
-- values are unchanged are not rewritten. It returns the number of distinct
-- documents, of rows with bad values, and of rows inserted, updated and
-- revived.
WITH src AS (
    -- v: the values that fit their column; issues: the ones that did not.
    SELECT x.id, x.doc, x.c -> 'v' AS v, nullif(x.c -> 'issues', '[]') AS issues
    FROM (
        SELECT l.id, l.doc, landing.conform(l.doc, '{
                "name":                     "text",
                "type":                     "text",
                "reused":                   "boolean",
                "launch":                   "text",
                "customers":                "text[]",
                "norad_ids":                "integer[]",
                "nationalities":            "text[]",
                "manufacturers":            "text[]",
                "mass_kg":                  "numeric",
                "mass_lbs":                 "numeric",
                "orbit":                    "text",
                "reference_system":         "text",
                "regime":                   "text",
                "longitude":                "numeric",
                "semi_major_axis_km":       "numeric",
                "eccentricity":             "numeric",
                "periapsis_km":             "numeric",
                "apoapsis_km":              "numeric",
                "inclination_deg":          "numeric",
                "period_min":               "numeric",
                "lifespan_years":           "numeric",
                "epoch":                    "timestamptz",
                "mean_motion":              "numeric",
                "raan":                     "numeric",
                "arg_of_pericenter":        "numeric",
                "mean_anomaly":             "numeric",
                "dragon.capsule":           "text",
                "dragon.mass_returned_kg":  "numeric",
                "dragon.mass_returned_lbs": "numeric",
                "dragon.flight_time_sec":   "integer",
                "dragon.manifest":          "text",
                "dragon.water_landing":     "boolean",
                "dragon.land_landing":      "boolean"
            }'::jsonb) AS c
        FROM landing.latest_documents l
        WHERE l.run_id = @run_id::bigint AND l.resource = 'payloads'
    ) x
), upserted AS (
    INSERT INTO bronze.payloads AS t (
        id, name, type, reused, launch_id, customers, norad_ids, nationalities,
        manufacturers, mass_kg, mass_lbs, orbit, reference_system, regime,
        longitude, semi_major_axis_km, eccentricity, periapsis_km, apoapsis_km,
        inclination_deg, period_min, lifespan_years, epoch, mean_motion, raan,
        arg_of_pericenter, mean_anomaly, dragon_capsule_id,
        dragon_mass_returned_kg, dragon_mass_returned_lbs,
        dragon_flight_time_sec, dragon_manifest, dragon_water_landing,
        dragon_land_landing, doc, issues, run_id
    )
    SELECT
        src.id,
        src.v ->> 'name',
        src.v ->> 'type',
        (src.v ->> 'reused')::boolean,
        src.v ->> 'launch',
        landing.text_array(src.v -> 'customers'),
        landing.text_array(src.v -> 'norad_ids')::numeric[]::integer[],
        landing.text_array(src.v -> 'nationalities'),
        landing.text_array(src.v -> 'manufacturers'),
        (src.v ->> 'mass_kg')::numeric,
        (src.v ->> 'mass_lbs')::numeric,
        src.v ->> 'orbit',
        src.v ->> 'reference_system',
        src.v ->> 'regime',
        (src.v ->> 'longitude')::numeric,
        (src.v ->> 'semi_major_axis_km')::numeric,
        (src.v ->> 'eccentricity')::numeric,
        (src.v ->> 'periapsis_km')::numeric,
        (src.v ->> 'apoapsis_km')::numeric,
        (src.v ->> 'inclination_deg')::numeric,
        (src.v ->> 'period_min')::numeric,
        (src.v ->> 'lifespan_years')::numeric,
        (src.v ->> 'epoch')::timestamptz,
        (src.v ->> 'mean_motion')::numeric,
        (src.v ->> 'raan')::numeric,
        (src.v ->> 'arg_of_pericenter')::numeric,
        (src.v ->> 'mean_anomaly')::numeric,
        src.v ->> 'dragon.capsule',
        (src.v ->> 'dragon.mass_returned_kg')::numeric,
        (src.v ->> 'dragon.mass_returned_lbs')::numeric,
        (src.v ->> 'dragon.flight_time_sec')::numeric::integer,
        src.v ->> 'dragon.manifest',
        (src.v ->> 'dragon.water_landing')::boolean,
        (src.v ->> 'dragon.land_landing')::boolean,
        src.doc,
        src.issues,
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
        issues = EXCLUDED.issues,
        deleted_at = NULL,
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
        t.dragon_land_landing, t.doc, t.issues, t.deleted_at IS NOT NULL
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
        EXCLUDED.doc, EXCLUDED.issues, false
    )
    RETURNING t.id
)
-- The outer query sees bronze as it was before the upsert: a row it already
-- holds was updated, and revived if it was soft-deleted.
SELECT
    (SELECT count(*) FROM src)::bigint AS documents,
    (SELECT count(*) FROM src WHERE src.issues IS NOT NULL)::bigint AS bad_values,
    count(*) FILTER (WHERE b.id IS NULL)::bigint AS inserted,
    count(*) FILTER (WHERE b.id IS NOT NULL)::bigint AS updated,
    count(*) FILTER (WHERE b.deleted_at IS NOT NULL)::bigint AS revived
FROM upserted u
LEFT JOIN bronze.payloads b ON b.id = u.id;
