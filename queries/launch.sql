-- name: LaunchUpsertFromLanding :one
-- LaunchUpsertFromLanding normalises a run's landed launches into
-- bronze.launches, clearing deleted_at of records that came back. Values
-- of the wrong type become NULL and are listed in the row's issues. Rows whose
-- values are unchanged are not rewritten. It returns the number of distinct
-- documents, of rows with bad values, and of rows inserted, updated and
-- revived.
WITH src AS (
    -- v: the values that fit their column; issues: the ones that did not.
    SELECT x.id, x.doc, x.c -> 'v' AS v, nullif(x.c -> 'issues', '[]') AS issues
    FROM (
        SELECT l.id, l.doc, landing.conform(l.doc, '{
                "flight_number":             "integer",
                "name":                      "text",
                "date_utc":                  "timestamptz",
                "date_unix":                 "bigint",
                "date_local":                "timestamptz",
                "date_precision":            "text",
                "upcoming":                  "boolean",
                "success":                   "boolean",
                "tbd":                       "boolean",
                "net":                       "boolean",
                "auto_update":               "boolean",
                "window":                    "integer",
                "details":                   "text",
                "static_fire_date_utc":      "timestamptz",
                "static_fire_date_unix":     "bigint",
                "launch_library_id":         "uuid",
                "rocket":                    "text",
                "launchpad":                 "text",
                "fairings.reused":           "boolean",
                "fairings.recovery_attempt": "boolean",
                "fairings.recovered":        "boolean",
                "links.webcast":             "text",
                "links.wikipedia":           "text",
                "links.article":             "text",
                "links.patch.small":         "text",
                "payloads":                  "text[]",
                "cores":                     "array",
                "crew":                      "crew[]"
            }'::jsonb) AS c
        FROM landing.latest_documents l
        WHERE l.run_id = @run_id::bigint AND l.resource = 'launches'
    ) x
), upserted AS (
    INSERT INTO bronze.launches AS t (
        id, flight_number, name, date_utc, date_unix, date_local,
        date_precision, upcoming, success, tbd, net, auto_update, window_sec,
        details, static_fire_date_utc, static_fire_date_unix,
        launch_library_id, rocket_id, launchpad_id, fairings_reused,
        fairings_recovery_attempt, fairings_recovered, webcast_url,
        wikipedia_url, article_url, patch_small_url, doc, issues, run_id
    )
    SELECT
        src.id,
        (src.v ->> 'flight_number')::numeric::integer,
        src.v ->> 'name',
        (src.v ->> 'date_utc')::timestamptz,
        (src.v ->> 'date_unix')::numeric::bigint,
        (src.v ->> 'date_local')::timestamptz,
        src.v ->> 'date_precision',
        (src.v ->> 'upcoming')::boolean,
        (src.v ->> 'success')::boolean,
        (src.v ->> 'tbd')::boolean,
        (src.v ->> 'net')::boolean,
        (src.v ->> 'auto_update')::boolean,
        (src.v ->> 'window')::numeric::integer,
        src.v ->> 'details',
        (src.v ->> 'static_fire_date_utc')::timestamptz,
        (src.v ->> 'static_fire_date_unix')::numeric::bigint,
        (src.v ->> 'launch_library_id')::uuid,
        src.v ->> 'rocket',
        src.v ->> 'launchpad',
        (src.v ->> 'fairings.reused')::boolean,
        (src.v ->> 'fairings.recovery_attempt')::boolean,
        (src.v ->> 'fairings.recovered')::boolean,
        src.v ->> 'links.webcast',
        src.v ->> 'links.wikipedia',
        src.v ->> 'links.article',
        src.v ->> 'links.patch.small',
        src.doc,
        src.issues,
        @run_id::bigint
    FROM src
    ON CONFLICT (id) DO UPDATE SET
        flight_number = EXCLUDED.flight_number,
        name = EXCLUDED.name,
        date_utc = EXCLUDED.date_utc,
        date_unix = EXCLUDED.date_unix,
        date_local = EXCLUDED.date_local,
        date_precision = EXCLUDED.date_precision,
        upcoming = EXCLUDED.upcoming,
        success = EXCLUDED.success,
        tbd = EXCLUDED.tbd,
        net = EXCLUDED.net,
        auto_update = EXCLUDED.auto_update,
        window_sec = EXCLUDED.window_sec,
        details = EXCLUDED.details,
        static_fire_date_utc = EXCLUDED.static_fire_date_utc,
        static_fire_date_unix = EXCLUDED.static_fire_date_unix,
        launch_library_id = EXCLUDED.launch_library_id,
        rocket_id = EXCLUDED.rocket_id,
        launchpad_id = EXCLUDED.launchpad_id,
        fairings_reused = EXCLUDED.fairings_reused,
        fairings_recovery_attempt = EXCLUDED.fairings_recovery_attempt,
        fairings_recovered = EXCLUDED.fairings_recovered,
        webcast_url = EXCLUDED.webcast_url,
        wikipedia_url = EXCLUDED.wikipedia_url,
        article_url = EXCLUDED.article_url,
        patch_small_url = EXCLUDED.patch_small_url,
        doc = EXCLUDED.doc,
        issues = EXCLUDED.issues,
        deleted_at = NULL,
        run_id = EXCLUDED.run_id,
        updated_at = clock_timestamp()
    WHERE (
        t.flight_number, t.name, t.date_utc, t.date_unix, t.date_local,
        t.date_precision, t.upcoming, t.success, t.tbd, t.net, t.auto_update,
        t.window_sec, t.details, t.static_fire_date_utc,
        t.static_fire_date_unix, t.launch_library_id, t.rocket_id,
        t.launchpad_id, t.fairings_reused, t.fairings_recovery_attempt,
        t.fairings_recovered, t.webcast_url, t.wikipedia_url, t.article_url,
        t.patch_small_url, t.doc, t.issues, t.deleted_at IS NOT NULL
    ) IS DISTINCT FROM (
        EXCLUDED.flight_number, EXCLUDED.name, EXCLUDED.date_utc,
        EXCLUDED.date_unix, EXCLUDED.date_local, EXCLUDED.date_precision,
        EXCLUDED.upcoming, EXCLUDED.success, EXCLUDED.tbd, EXCLUDED.net,
        EXCLUDED.auto_update, EXCLUDED.window_sec, EXCLUDED.details,
        EXCLUDED.static_fire_date_utc, EXCLUDED.static_fire_date_unix,
        EXCLUDED.launch_library_id, EXCLUDED.rocket_id, EXCLUDED.launchpad_id,
        EXCLUDED.fairings_reused, EXCLUDED.fairings_recovery_attempt,
        EXCLUDED.fairings_recovered, EXCLUDED.webcast_url,
        EXCLUDED.wikipedia_url, EXCLUDED.article_url, EXCLUDED.patch_small_url,
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
LEFT JOIN bronze.launches b ON b.id = u.id;

-- name: LaunchPayloadDeleteStale :execrows
-- LaunchPayloadDeleteStale removes launch-payload links of the run's launches
-- that their payloads array no longer lists.
DELETE FROM bronze.launch_payloads lp
USING landing.latest_documents src
WHERE src.run_id = @run_id::bigint
  AND src.resource = 'launches'
  AND lp.launch_id = src.id
  AND NOT EXISTS (
      SELECT 1 FROM jsonb_array_elements(landing.array_or_empty(src.doc -> 'payloads')) AS e
      WHERE e #>> '{}' = lp.payload_id AND jsonb_typeof(e) = 'string'
  );

-- name: LaunchPayloadInsertFromLanding :execrows
-- LaunchPayloadInsertFromLanding adds a link for every string element of each
-- of the run's launches' payloads array that bronze does not hold yet. Other
-- elements are listed in the launch's issues.
INSERT INTO bronze.launch_payloads (launch_id, payload_id, run_id)
SELECT src.id, e #>> '{}', @run_id::bigint
FROM landing.latest_documents src
CROSS JOIN LATERAL jsonb_array_elements(landing.array_or_empty(src.doc -> 'payloads')) AS e
WHERE src.run_id = @run_id::bigint
  AND src.resource = 'launches'
  AND jsonb_typeof(e) = 'string'
ON CONFLICT (launch_id, payload_id) DO NOTHING;

-- name: LaunchCrewDeleteStale :execrows
-- LaunchCrewDeleteStale removes crew links of the run's launches that their
-- crew array no longer lists.
DELETE FROM bronze.launch_crew lc
USING landing.latest_documents src
WHERE src.run_id = @run_id::bigint
  AND src.resource = 'launches'
  AND lc.launch_id = src.id
  AND NOT EXISTS (
      SELECT 1 FROM jsonb_array_elements(landing.array_or_empty(src.doc -> 'crew')) AS e
      WHERE coalesce(e ->> 'crew', e #>> '{}') = lc.crew_id
  );

-- name: LaunchCrewUpsertFromLanding :execrows
-- LaunchCrewUpsertFromLanding writes one row per element of each of the run's
-- launches' crew array: a crew id (v4) or a {crew, role} object (v5).
-- Elements of any other shape are listed in the launch's issues.
INSERT INTO bronze.launch_crew AS t (launch_id, crew_id, role, run_id)
SELECT DISTINCT ON (src.id, m.crew_id) src.id, m.crew_id, m.role, @run_id::bigint
FROM landing.latest_documents src
CROSS JOIN LATERAL jsonb_array_elements(landing.array_or_empty(src.doc -> 'crew'))
    WITH ORDINALITY AS e(member, ordinality)
CROSS JOIN LATERAL (
    SELECT CASE WHEN jsonb_typeof(e.member) = 'string' THEN e.member #>> '{}'
                WHEN jsonb_typeof(e.member -> 'crew') = 'string' THEN e.member ->> 'crew' END AS crew_id,
           CASE WHEN jsonb_typeof(e.member -> 'role') = 'string' THEN e.member ->> 'role' END AS role
) m
WHERE src.run_id = @run_id::bigint
  AND src.resource = 'launches'
  AND m.crew_id IS NOT NULL
ORDER BY src.id, m.crew_id, e.ordinality DESC -- a repeated member: the last one wins
ON CONFLICT (launch_id, crew_id) DO UPDATE SET
    role = EXCLUDED.role,
    run_id = EXCLUDED.run_id
WHERE t.role IS DISTINCT FROM EXCLUDED.role;

-- name: LaunchCoreDeleteStale :execrows
-- LaunchCoreDeleteStale removes per-flight core rows past the end of each of
-- the run's launches' cores array.
DELETE FROM bronze.launch_cores lc
USING landing.latest_documents src
WHERE src.run_id = @run_id::bigint
  AND src.resource = 'launches'
  AND lc.launch_id = src.id
  AND lc.core_index >= jsonb_array_length(landing.array_or_empty(src.doc -> 'cores'));

-- name: LaunchCoreUpsertFromLanding :execrows
-- LaunchCoreUpsertFromLanding writes one row per element of each of the run's
-- launches' cores array, keyed by its position, rewriting only changed rows.
-- Values of the wrong type are NULL and listed in the row's issues.
INSERT INTO bronze.launch_cores AS t (
    launch_id, core_index, core_id, flight, gridfins, legs, reused,
    landing_attempt, landing_success, landing_type, landpad_id, issues, run_id
)
SELECT
    x.launch_id,
    x.core_index,
    x.c #>> '{v,core}',
    (x.c #>> '{v,flight}')::numeric::integer,
    (x.c #>> '{v,gridfins}')::boolean,
    (x.c #>> '{v,legs}')::boolean,
    (x.c #>> '{v,reused}')::boolean,
    (x.c #>> '{v,landing_attempt}')::boolean,
    (x.c #>> '{v,landing_success}')::boolean,
    x.c #>> '{v,landing_type}',
    x.c #>> '{v,landpad}',
    nullif(x.c -> 'issues', '[]'),
    @run_id::bigint
FROM (
    SELECT
        src.id AS launch_id,
        (e.ordinality - 1)::integer AS core_index,
        landing.conform(e.core, '{
            "core":            "text",
            "flight":          "integer",
            "gridfins":        "boolean",
            "legs":            "boolean",
            "reused":          "boolean",
            "landing_attempt": "boolean",
            "landing_success": "boolean",
            "landing_type":    "text",
            "landpad":         "text"
        }'::jsonb) AS c
    FROM landing.latest_documents src
    CROSS JOIN LATERAL jsonb_array_elements(landing.array_or_empty(src.doc -> 'cores'))
        WITH ORDINALITY AS e(core, ordinality)
    WHERE src.run_id = @run_id::bigint AND src.resource = 'launches'
) x
ON CONFLICT (launch_id, core_index) DO UPDATE SET
    core_id = EXCLUDED.core_id,
    flight = EXCLUDED.flight,
    gridfins = EXCLUDED.gridfins,
    legs = EXCLUDED.legs,
    reused = EXCLUDED.reused,
    landing_attempt = EXCLUDED.landing_attempt,
    landing_success = EXCLUDED.landing_success,
    landing_type = EXCLUDED.landing_type,
    landpad_id = EXCLUDED.landpad_id,
    issues = EXCLUDED.issues,
    run_id = EXCLUDED.run_id
WHERE (
    t.core_id, t.flight, t.gridfins, t.legs, t.reused, t.landing_attempt,
    t.landing_success, t.landing_type, t.landpad_id, t.issues
) IS DISTINCT FROM (
    EXCLUDED.core_id, EXCLUDED.flight, EXCLUDED.gridfins, EXCLUDED.legs,
    EXCLUDED.reused, EXCLUDED.landing_attempt, EXCLUDED.landing_success,
    EXCLUDED.landing_type, EXCLUDED.landpad_id, EXCLUDED.issues
);
