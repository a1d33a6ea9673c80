-- name: BronzeStage :one
-- BronzeStage stages a resource's landed documents for promotion into its
-- bronze table (see bronze.stage in db/functions/bronze.sql) and returns
-- the counts the shrink guard needs.
SELECT s.documents::bigint AS documents, s.duplicates::bigint AS duplicates, s.rejected::bigint AS rejected,
       s.live::bigint AS live, s.missing::bigint AS missing
FROM bronze.stage(@table_name::regclass, @resource::text, @landed_run_id::bigint, @retype::boolean) AS s;

-- name: BronzeUpsert :one
-- BronzeUpsert writes the staged documents that are new, changed or revived,
-- with their issues, and keeps the source arrays (arrays, dotted paths) of
-- their bridges for BronzeReconcile; it returns how many rows it inserted
-- and how many it rewrote or revived.
SELECT u.inserted::bigint AS inserted, u.rewritten::bigint AS rewritten
FROM bronze.upsert(@table_name::regclass, @run_id::bigint, @arrays::text[]) AS u;

-- name: BronzeReconcile :exec
-- BronzeReconcile brings a bridge table in line with the array_number-th source
-- array (from 1) of the documents just written; with retype, every element
-- is typed again. inserted and rewritten say whether BronzeUpsert inserted
-- and rewrote any parent.
SELECT bronze.reconcile(@bridge::regclass, @array_number::integer, @run_id::bigint, @retype::boolean,
    @inserted::boolean, @rewritten::boolean);

-- name: BronzeSoftDelete :one
-- BronzeSoftDelete sets deleted_at on the live rows the staged, complete
-- extract lacks.
SELECT bronze.soft_delete(@table_name::regclass, @run_id::bigint)::bigint AS deleted;

-- name: BronzeCounts :one
-- BronzeCounts returns the ledger's counts of the staged resource.
SELECT c.inserted::bigint AS inserted, c.updated::bigint AS updated, c.revived::bigint AS revived,
       c.unchanged::bigint AS unchanged, c.bad_values::bigint AS bad_values
FROM bronze.counts(CAST(@bridges::text[] AS regclass[])) AS c;

-- name: BronzeTransformVersion :one
-- BronzeTransformVersion is the version of the migrations and function
-- files that decide what bronze holds for a document.
SELECT meta.transform_version()::text AS version;

-- name: BronzeChangedColumns :many
-- BronzeChangedColumns lists the columns of bronze tables the staged
-- resource's promotion changed (every column of a table it inserted rows
-- into or deleted rows from), for the gold refresh.
SELECT c.table_name::text AS table_name, c.column_name::text AS column_name
FROM bronze.changed_columns() AS c;
