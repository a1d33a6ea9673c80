-- Landing partitions: one per run that lands documents, dropped whole when
-- the run falls out of retention. `loader migrate` applies this file
-- whenever it changes.

-- Creates the partition of landing.documents that holds a run's documents,
-- if it does not exist yet. Created apart and then attached, it takes no
-- lock that waits for readers of landing.documents (CREATE TABLE ...
-- PARTITION OF would wait for an analyst's query to end).
CREATE OR REPLACE FUNCTION landing.open_run(p_run_id bigint) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    part text := 'documents_r' || p_run_id;
BEGIN
    IF to_regclass('landing.' || part) IS NULL THEN
        EXECUTE format('CREATE TABLE landing.%I (LIKE landing.documents INCLUDING ALL)', part);
        EXECUTE format('ALTER TABLE landing.documents ATTACH PARTITION landing.%I FOR VALUES IN (%s)', part, p_run_id);
    END IF;
END
$$;

-- Whether a run's landing partition exists.
CREATE OR REPLACE FUNCTION landing.has_run(p_run_id bigint) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
RETURN to_regclass(format('landing.documents_r%s', p_run_id)) IS NOT NULL;

-- Drops the partitions no run still needs: a partition stays while one of
-- the newest p_keep runs, or the newest succeeded run (whose documents
-- bronze holds), reads from it. A run that landed nothing (every extract
-- unchanged) leaves an empty partition, dropped here. Call it between
-- runs. A drop waits at most a second for readers of landing (a waiting
-- drop would hold up every query behind it); what could not be dropped is
-- dropped by a later run. Returns the runs dropped.
CREATE OR REPLACE FUNCTION landing.prune(p_keep integer) RETURNS SETOF bigint
LANGUAGE plpgsql AS $$
DECLARE
    r bigint;
BEGIN
    PERFORM set_config('lock_timeout', '1s', true);
    FOR r IN
        SELECT substring(c.relname FROM '^documents_r(\d+)$')::bigint AS run_id
        FROM pg_inherits i
        JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'landing.documents'::regclass
        EXCEPT
        SELECT rr.landed_run_id FROM meta.run_resources rr
        WHERE rr.run_id IN (SELECT run_id FROM meta.runs ORDER BY run_id DESC LIMIT p_keep)
           OR rr.run_id = (SELECT max(run_id) FROM meta.runs WHERE status = 'succeeded')
    LOOP
        EXECUTE format('DROP TABLE landing.%I', 'documents_r' || r);
        RETURN NEXT r;
    END LOOP;
END
$$;
