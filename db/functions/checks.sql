-- Reading a bronze table named at run time, for the checks that go over
-- every resource and bridge of the registry (db/checks/bronze_bad_values.sql
-- and bridges_match_documents.sql). The registry (internal/resources) names
-- the tables, and loader check passes it to them in the setting
-- loader.resources; these functions read a table of the pattern every
-- resource follows, whatever its name and its key columns' names, so a new
-- resource needs no edit to a check. `loader migrate` applies this file
-- whenever it changes. They read with the caller's privileges (SECURITY
-- INVOKER): a spacex_analyst login runs the checks as it did.

-- The rows of a bronze record table (LIKE meta.bronze_record, keyed by id).
CREATE OR REPLACE FUNCTION bronze.records(tbl regclass)
RETURNS TABLE (id text, doc jsonb, issues jsonb, deleted_at timestamptz)
LANGUAGE plpgsql STABLE STRICT AS $$
BEGIN
    RETURN QUERY EXECUTE format('SELECT id, doc, issues, deleted_at FROM %s', tbl);
END
$$;

-- The rows of a bridge table (LIKE meta.bronze_element): parent_id and pos
-- are its primary key's two columns, the parent's id and the element's
-- position, found as bronze.reconcile finds them.
CREATE OR REPLACE FUNCTION bronze.elements(bridge regclass)
RETURNS TABLE (parent_id text, pos integer, elem jsonb, issues jsonb)
LANGUAGE plpgsql STABLE STRICT AS $$
DECLARE
    key name[];
BEGIN
    key := bronze.bridge_key(bridge);
    RETURN QUERY EXECUTE format('SELECT %I, %I, elem, issues FROM %s', key[1], key[2], bridge);
END
$$;
