-- name: AppliedSQLGet :one
-- AppliedSQLGet returns the hash a function or view file was last applied
-- with ('' if never), and the kind of relation that now carries its name
-- ('m' materialized view, 'v' view, '' when there is none).
SELECT
    coalesce((SELECT a.sha256 FROM meta.applied_sql a WHERE a.name = @name::text), '')::text AS sha256,
    coalesce((SELECT c.relkind FROM pg_catalog.pg_class c WHERE c.oid = to_regclass(@name::text))::text, '')::text AS relkind;

-- name: AppliedSQLRecord :exec
-- AppliedSQLRecord stores the hash of the file just applied.
INSERT INTO meta.applied_sql (name, kind, sha256) VALUES (@name::text, @kind::text, @sha256::text)
ON CONFLICT (name) DO UPDATE SET kind = EXCLUDED.kind, sha256 = EXCLUDED.sha256, applied_at = clock_timestamp();

-- name: AppliedSQLList :many
-- AppliedSQLList lists the function and view files applied, by kind and
-- name; present says whether a view's relation exists (always true for a
-- function file).
SELECT name, kind, sha256, applied_at,
       (kind <> 'view' OR to_regclass(name) IS NOT NULL)::boolean AS present
FROM meta.applied_sql
ORDER BY kind, name;
