-- name: RocketUpsertFromLanding :one
-- RocketUpsertFromLanding normalises a run's landed rockets into
-- bronze.rockets, clearing deleted_at of records that came back. Values
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
                "type":             "text",
                "active":           "boolean",
                "stages":           "integer",
                "boosters":         "integer",
                "cost_per_launch":  "numeric",
                "success_rate_pct": "numeric",
                "first_flight":     "date",
                "country":          "text",
                "company":          "text",
                "height.meters":    "numeric",
                "diameter.meters":  "numeric",
                "mass.kg":          "numeric",
                "wikipedia":        "text",
                "description":      "text"
            }'::jsonb) AS c
        FROM landing.latest_documents l
        WHERE l.run_id = @run_id::bigint AND l.resource = 'rockets'
    ) x
), upserted AS (
    INSERT INTO bronze.rockets AS t (
        id, name, type, active, stages, boosters, cost_per_launch,
        success_rate_pct, first_flight, country, company, height_m,
        diameter_m, mass_kg, wikipedia, description, doc, issues, run_id
    )
    SELECT
        src.id,
        src.v ->> 'name',
        src.v ->> 'type',
        (src.v ->> 'active')::boolean,
        (src.v ->> 'stages')::numeric::integer,
        (src.v ->> 'boosters')::numeric::integer,
        (src.v ->> 'cost_per_launch')::numeric,
        (src.v ->> 'success_rate_pct')::numeric,
        (src.v ->> 'first_flight')::date,
        src.v ->> 'country',
        src.v ->> 'company',
        (src.v ->> 'height.meters')::numeric,
        (src.v ->> 'diameter.meters')::numeric,
        (src.v ->> 'mass.kg')::numeric,
        src.v ->> 'wikipedia',
        src.v ->> 'description',
        src.doc,
        src.issues,
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
        issues = EXCLUDED.issues,
        deleted_at = NULL,
        run_id = EXCLUDED.run_id,
        updated_at = clock_timestamp()
    WHERE (
        t.name, t.type, t.active, t.stages, t.boosters, t.cost_per_launch,
        t.success_rate_pct, t.first_flight, t.country, t.company, t.height_m,
        t.diameter_m, t.mass_kg, t.wikipedia, t.description, t.doc, t.issues, t.deleted_at IS NOT NULL
    ) IS DISTINCT FROM (
        EXCLUDED.name, EXCLUDED.type, EXCLUDED.active, EXCLUDED.stages,
        EXCLUDED.boosters, EXCLUDED.cost_per_launch, EXCLUDED.success_rate_pct,
        EXCLUDED.first_flight, EXCLUDED.country, EXCLUDED.company,
        EXCLUDED.height_m, EXCLUDED.diameter_m, EXCLUDED.mass_kg,
        EXCLUDED.wikipedia, EXCLUDED.description, EXCLUDED.doc, EXCLUDED.issues, false
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
LEFT JOIN bronze.rockets b ON b.id = u.id;
