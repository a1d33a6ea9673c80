-- name: RocketUpsertFromLanding :one
-- RocketUpsertFromLanding normalises a run's landed rockets into
-- bronze.rockets. Rows whose values are unchanged are not rewritten. It
-- returns the number of distinct documents, and of rows inserted and updated.
WITH src AS (
    SELECT l.id, l.doc
    FROM landing.latest_documents l
    WHERE l.run_id = @run_id::bigint AND l.resource = 'rockets'
), upserted AS (
    INSERT INTO bronze.rockets AS t (
        id, name, type, active, stages, boosters, cost_per_launch,
        success_rate_pct, first_flight, country, company, height_m,
        diameter_m, mass_kg, wikipedia, description, doc, run_id
    )
    SELECT
        src.id,
        src.doc ->> 'name',
        src.doc ->> 'type',
        (src.doc ->> 'active')::boolean,
        (src.doc ->> 'stages')::integer,
        (src.doc ->> 'boosters')::integer,
        (src.doc ->> 'cost_per_launch')::numeric,
        (src.doc ->> 'success_rate_pct')::numeric,
        (src.doc ->> 'first_flight')::date,
        src.doc ->> 'country',
        src.doc ->> 'company',
        (src.doc #>> '{height,meters}')::numeric,
        (src.doc #>> '{diameter,meters}')::numeric,
        (src.doc #>> '{mass,kg}')::numeric,
        src.doc ->> 'wikipedia',
        src.doc ->> 'description',
        src.doc,
        @run_id::bigint
    FROM src
    ON CONFLICT (id) DO UPDATE SET
        name = EXCLUDED.name,
        type = EXCLUDED.type,
        active = EXCLUDED.active,
        stages = EXCLUDED.stages,
        boosters = EXCLUDED.boosters,
        cost_per_launch = EXCLUDED.cost_per_launch,
        success_rate_pct = EXCLUDED.success_rate_pct,
        first_flight = EXCLUDED.first_flight,
        country = EXCLUDED.country,
        company = EXCLUDED.company,
        height_m = EXCLUDED.height_m,
        diameter_m = EXCLUDED.diameter_m,
        mass_kg = EXCLUDED.mass_kg,
        wikipedia = EXCLUDED.wikipedia,
        description = EXCLUDED.description,
        doc = EXCLUDED.doc,
        run_id = EXCLUDED.run_id,
        updated_at = clock_timestamp()
    WHERE (
        t.name, t.type, t.active, t.stages, t.boosters, t.cost_per_launch,
        t.success_rate_pct, t.first_flight, t.country, t.company, t.height_m,
        t.diameter_m, t.mass_kg, t.wikipedia, t.description, t.doc
    ) IS DISTINCT FROM (
        EXCLUDED.name, EXCLUDED.type, EXCLUDED.active, EXCLUDED.stages,
        EXCLUDED.boosters, EXCLUDED.cost_per_launch, EXCLUDED.success_rate_pct,
        EXCLUDED.first_flight, EXCLUDED.country, EXCLUDED.company,
        EXCLUDED.height_m, EXCLUDED.diameter_m, EXCLUDED.mass_kg,
        EXCLUDED.wikipedia, EXCLUDED.description, EXCLUDED.doc
    )
    RETURNING t.id
)
-- The outer query sees bronze as it was before the upsert, so an id it
-- already holds was an update.
SELECT
    (SELECT count(*) FROM src)::bigint AS documents,
    count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM bronze.rockets b WHERE b.id = u.id))::bigint AS inserted,
    count(*) FILTER (WHERE EXISTS (SELECT 1 FROM bronze.rockets b WHERE b.id = u.id))::bigint AS updated
FROM upserted u;
