-- name: LaunchpadUpsertFromLanding :one
-- LaunchpadUpsertFromLanding normalises a run's landed launchpads into
-- bronze.launchpads, clearing deleted_at of records that came back. Values
-- of the wrong type become NULL and are listed in the row's issues. Rows whose
-- values are unchanged are not rewritten. It returns the number of distinct
-- documents, of rows with bad values, and of rows inserted, updated and
-- revived.
WITH src AS (
    -- v: the values that fit their column; issues: the ones that did not.
    SELECT x.id, x.doc, x.c -> 'v' AS v, nullif(x.c -> 'issues', '[]') AS issues
    FROM (
        SELECT l.id, l.doc, landing.conform(l.doc, '{
                "name":             "text",
                "full_name":        "text",
                "locality":         "text",
                "region":           "text",
                "timezone":         "text",
                "latitude":         "numeric",
                "longitude":        "numeric",
                "launch_attempts":  "integer",
                "launch_successes": "integer",
                "status":           "text",
                "details":          "text"
            }'::jsonb) AS c
        FROM landing.latest_documents l
        WHERE l.run_id = @run_id::bigint AND l.resource = 'launchpads'
    ) x
), upserted AS (
    INSERT INTO bronze.launchpads AS t (
        id, name, full_name, locality, region, timezone, latitude, longitude,
        launch_attempts, launch_successes, status, details, doc, issues, run_id
    )
    SELECT
        src.id,
        src.v ->> 'name',
        src.v ->> 'full_name',
        src.v ->> 'locality',
        src.v ->> 'region',
        src.v ->> 'timezone',
        (src.v ->> 'latitude')::numeric,
        (src.v ->> 'longitude')::numeric,
        (src.v ->> 'launch_attempts')::numeric::integer,
        (src.v ->> 'launch_successes')::numeric::integer,
        src.v ->> 'status',
        src.v ->> 'details',
        src.doc,
        src.issues,
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
        issues = EXCLUDED.issues,
        deleted_at = NULL,
        run_id = EXCLUDED.run_id,
        updated_at = clock_timestamp()
    WHERE (
        t.name, t.full_name, t.locality, t.region, t.timezone, t.latitude,
        t.longitude, t.launch_attempts, t.launch_successes, t.status,
        t.details, t.doc, t.issues, t.deleted_at IS NOT NULL
    ) IS DISTINCT FROM (
        EXCLUDED.name, EXCLUDED.full_name, EXCLUDED.locality, EXCLUDED.region,
        EXCLUDED.timezone, EXCLUDED.latitude, EXCLUDED.longitude,
        EXCLUDED.launch_attempts, EXCLUDED.launch_successes, EXCLUDED.status,
        EXCLUDED.details, EXCLUDED.doc, EXCLUDED.issues, false
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
LEFT JOIN bronze.launchpads b ON b.id = u.id;
