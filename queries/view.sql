-- name: ViewGet :one
-- ViewGet returns the hash a view was last applied with ('' if never), and
-- the kind of relation that now carries its name ('m' materialized view,
-- 'v' view, '' when there is none).
SELECT
    coalesce((SELECT v.sha256 FROM meta.views v WHERE v.name = @name::text), '')::text AS sha256,
    coalesce((SELECT c.relkind FROM pg_catalog.pg_class c WHERE c.oid = to_regclass(@name::text))::text, '')::text AS relkind;

-- name: ViewRecord :exec
-- ViewRecord stores the hash of the SQL a view was just created from.
INSERT INTO meta.views (name, sha256) VALUES (@name::text, @sha256::text)
ON CONFLICT (name) DO UPDATE SET sha256 = EXCLUDED.sha256, applied_at = clock_timestamp();

-- name: ViewListMaterialized :many
-- ViewListMaterialized lists the applied materialized views in the order
-- their files are applied, which is the order to refresh them in.
SELECT v.name
FROM meta.views v
JOIN pg_catalog.pg_class c ON c.oid = to_regclass(v.name)
WHERE c.relkind = 'm'
ORDER BY v.name;
