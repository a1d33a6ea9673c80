-- name: LaunchUpsertFromLanding :one
-- LaunchUpsertFromLanding normalises a run's landed launches into
-- bronze.launches. Rows whose values are unchanged are not rewritten. It
-- returns the number of distinct documents, and of rows inserted and updated.
WITH src AS (
    SELECT l.id, l.doc
    FROM landing.latest_documents l
    WHERE l.run_id = @run_id::bigint AND l.resource = 'launches'
), upserted AS (
    INSERT INTO bronze.launches AS t (
        id, flight_number, name, date_utc, date_unix, date_local,
        date_precision, upcoming, success, tbd, net, auto_update, window_sec,
        details, static_fire_date_utc, static_fire_date_unix,
        launch_library_id, rocket_id, launchpad_id, fairings_reused,
        fairings_recovery_attempt, fairings_recovered, webcast_url,
        wikipedia_url, article_url, patch_small_url, doc, run_id
    )
    SELECT
        src.id,
        (src.doc ->> 'flight_number')::integer,
        src.doc ->> 'name',
        (src.doc ->> 'date_utc')::timestamptz,
        (src.doc ->> 'date_unix')::bigint,
        (src.doc ->> 'date_local')::timestamptz,
        src.doc ->> 'date_precision',
        (src.doc ->> 'upcoming')::boolean,
        (src.doc ->> 'success')::boolean,
        (src.doc ->> 'tbd')::boolean,
        (src.doc ->> 'net')::boolean,
        (src.doc ->> 'auto_update')::boolean,
        (src.doc ->> 'window')::integer,
        src.doc ->> 'details',
        (src.doc ->> 'static_fire_date_utc')::timestamptz,
        (src.doc ->> 'static_fire_date_unix')::bigint,
        (src.doc ->> 'launch_library_id')::uuid,
        src.doc ->> 'rocket',
        src.doc ->> 'launchpad',
        (src.doc #>> '{fairings,reused}')::boolean,
        (src.doc #>> '{fairings,recovery_attempt}')::boolean,
        (src.doc #>> '{fairings,recovered}')::boolean,
        src.doc #>> '{links,webcast}',
        src.doc #>> '{links,wikipedia}',
        src.doc #>> '{links,article}',
        src.doc #>> '{links,patch,small}',
        src.doc,
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
        run_id = EXCLUDED.run_id,
        updated_at = clock_timestamp()
    WHERE (
        t.flight_number, t.name, t.date_utc, t.date_unix, t.date_local,
        t.date_precision, t.upcoming, t.success, t.tbd, t.net, t.auto_update,
        t.window_sec, t.details, t.static_fire_date_utc,
        t.static_fire_date_unix, t.launch_library_id, t.rocket_id,
        t.launchpad_id, t.fairings_reused, t.fairings_recovery_attempt,
        t.fairings_recovered, t.webcast_url, t.wikipedia_url, t.article_url,
        t.patch_small_url, t.doc
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
        EXCLUDED.doc
    )
    RETURNING t.id
)
SELECT
    (SELECT count(*) FROM src)::bigint AS documents,
    count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM bronze.launches b WHERE b.id = u.id))::bigint AS inserted,
    count(*) FILTER (WHERE EXISTS (SELECT 1 FROM bronze.launches b WHERE b.id = u.id))::bigint AS updated
FROM upserted u;

-- name: LaunchPayloadDeleteStale :execrows
-- LaunchPayloadDeleteStale removes launch-payload links of the run's launches
-- that their payloads array no longer lists.
DELETE FROM bronze.launch_payloads lp
USING landing.latest_documents src
WHERE src.run_id = @run_id::bigint
  AND src.resource = 'launches'
  AND lp.launch_id = src.id
  AND lp.payload_id <> ALL (coalesce(landing.text_array(src.doc -> 'payloads'), '{}'));

-- name: LaunchPayloadInsertFromLanding :execrows
-- LaunchPayloadInsertFromLanding adds a link for every element of each of the
-- run's launches' payloads array that bronze does not hold yet.
INSERT INTO bronze.launch_payloads (launch_id, payload_id, run_id)
SELECT src.id, p.payload_id, @run_id::bigint
FROM landing.latest_documents src
CROSS JOIN LATERAL unnest(landing.text_array(src.doc -> 'payloads')) AS p(payload_id)
WHERE src.run_id = @run_id::bigint AND src.resource = 'launches'
ON CONFLICT (launch_id, payload_id) DO NOTHING;

-- name: LaunchCoreDeleteStale :execrows
-- LaunchCoreDeleteStale removes per-flight core rows past the end of each of
-- the run's launches' cores array.
DELETE FROM bronze.launch_cores lc
USING landing.latest_documents src
WHERE src.run_id = @run_id::bigint
  AND src.resource = 'launches'
  AND lc.launch_id = src.id
  AND lc.core_index >= CASE WHEN jsonb_typeof(src.doc -> 'cores') = 'array'
                            THEN jsonb_array_length(src.doc -> 'cores') ELSE 0 END;

-- name: LaunchCoreUpsertFromLanding :execrows
-- LaunchCoreUpsertFromLanding writes one row per element of each of the run's
-- launches' cores array, keyed by its position, rewriting only changed rows.
INSERT INTO bronze.launch_cores AS t (
    launch_id, core_index, core_id, flight, gridfins, legs, reused,
    landing_attempt, landing_success, landing_type, landpad_id, run_id
)
SELECT
    src.id,
    (c.ordinality - 1)::integer,
    c.core ->> 'core',
    (c.core ->> 'flight')::integer,
    (c.core ->> 'gridfins')::boolean,
    (c.core ->> 'legs')::boolean,
    (c.core ->> 'reused')::boolean,
    (c.core ->> 'landing_attempt')::boolean,
    (c.core ->> 'landing_success')::boolean,
    c.core ->> 'landing_type',
    c.core ->> 'landpad',
    @run_id::bigint
FROM landing.latest_documents src
CROSS JOIN LATERAL jsonb_array_elements(
    CASE WHEN jsonb_typeof(src.doc -> 'cores') = 'array' THEN src.doc -> 'cores' END
) WITH ORDINALITY AS c(core, ordinality)
WHERE src.run_id = @run_id::bigint AND src.resource = 'launches'
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
    run_id = EXCLUDED.run_id
WHERE (
    t.core_id, t.flight, t.gridfins, t.legs, t.reused, t.landing_attempt,
    t.landing_success, t.landing_type, t.landpad_id
) IS DISTINCT FROM (
    EXCLUDED.core_id, EXCLUDED.flight, EXCLUDED.gridfins, EXCLUDED.legs,
    EXCLUDED.reused, EXCLUDED.landing_attempt, EXCLUDED.landing_success,
    EXCLUDED.landing_type, EXCLUDED.landpad_id
);
