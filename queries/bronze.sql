-- name: BronzeMissing :one
-- BronzeMissing counts a bronze table's live rows and those of them that the
-- run's extract of the resource lacks, before anything is deleted.
SELECT m.live::bigint AS live, m.missing::bigint AS missing
FROM meta.missing_rows(@table_name::regclass, @run_id::bigint, @resource::text) AS m;

-- name: BronzeSoftDeleteMissing :one
-- BronzeSoftDeleteMissing sets deleted_at on the live rows of a bronze table
-- that the run's complete extract of the resource lacks.
SELECT meta.soft_delete_missing(@table_name::regclass, @run_id::bigint, @resource::text)::bigint AS deleted;
