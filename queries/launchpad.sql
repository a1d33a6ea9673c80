-- name: LaunchpadUpsertFromLanding :one
-- LaunchpadUpsertFromLanding normalises a run's landed launchpads into
-- bronze.launchpads. Rows whose values are unchanged are not rewritten. It
-- returns the number of distinct documents, and of rows inserted and updated.
WITH src AS (
    SELECT l.id, l.doc
    FROM landing.latest_documents l
    WHERE l.run_id = @run_id::bigint AND l.resource = 'launchpads'
), upserted AS (
    INSERT INTO bronze.launchpads AS t (
        id, name, full_name, locality, region, timezone, latitude, longitude,
        launch_attempts, launch_successes, status, details, doc, run_id
    )
    SELECT
        src.id,
        src.doc ->> 'name',
        src.doc ->> 'full_name',
        src.doc ->> 'locality',
        src.doc ->> 'region',
        src.doc ->> 'timezone',
        (src.doc ->> 'latitude')::numeric,
        (src.doc ->> 'longitude')::numeric,
        (src.doc ->> 'launch_attempts')::integer,
        (src.doc ->> 'launch_successes')::integer,
        src.doc ->> 'status',
        src.doc ->> 'details',
        src.doc,
        @run_id::bigint
    FROM src
    ON CONFLICT (id) DO UPDATE SET
        name = EXCLUDED.name,
        full_name = EXCLUDED.full_name,
        locality = EXCLUDED.locality,
        region = EXCLUDED.region,
        timezone = EXCLUDED.timezone,
        latitude = EXCLUDED.latitude,
        longitude = EXCLUDED.longitude,
        launch_attempts = EXCLUDED.launch_attempts,
        launch_successes = EXCLUDED.launch_successes,
        status = EXCLUDED.status,
        details = EXCLUDED.details,
        doc = EXCLUDED.doc,
        run_id = EXCLUDED.run_id,
        updated_at = clock_timestamp()
    WHERE (
        t.name, t.full_name, t.locality, t.region, t.timezone, t.latitude,
        t.longitude, t.launch_attempts, t.launch_successes, t.status,
        t.details, t.doc
    ) IS DISTINCT FROM (
        EXCLUDED.name, EXCLUDED.full_name, EXCLUDED.locality, EXCLUDED.region,
        EXCLUDED.timezone, EXCLUDED.latitude, EXCLUDED.longitude,
        EXCLUDED.launch_attempts, EXCLUDED.launch_successes, EXCLUDED.status,
        EXCLUDED.details, EXCLUDED.doc
    )
    RETURNING t.id
)
SELECT
    (SELECT count(*) FROM src)::bigint AS documents,
    count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM bronze.launchpads b WHERE b.id = u.id))::bigint AS inserted,
    count(*) FILTER (WHERE EXISTS (SELECT 1 FROM bronze.launchpads b WHERE b.id = u.id))::bigint AS updated
FROM upserted u;
