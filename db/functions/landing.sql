-- Landing partitions: one per run that lands documents, dropped whole when
-- the run falls out of retention. `loader migrate` applies this file
-- whenever it changes.
--
-- Creating and dropping a partition is DDL, which needs ownership of
-- landing.documents: spacex_writer does it through open_run and prune,
-- SECURITY DEFINER functions that run as their owner (the migration owner)
-- with a fixed search_path, so that no object of the caller's can stand in
-- for one named here. They take numbers only, and build no name from text.
-- EXECUTE is revoked from PUBLIC and granted to spacex_writer at the end of
-- this file (CREATE OR REPLACE keeps a function's grants; a function
-- dropped and created again starts with EXECUTE for PUBLIC).

-- Creates the partition of landing.documents that holds a run's documents,
-- if it does not exist yet. Created apart and then attached, it takes no
-- lock that waits for readers of landing.documents (CREATE TABLE ...
-- PARTITION OF would wait for an analyst's query to end). Only for a run
-- that is running: the partition is opened before anything lands.
CREATE OR REPLACE FUNCTION landing.open_run(p_run_id bigint) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    part text := 'documents_r' || p_run_id;
BEGIN
    IF NOT EXISTS (SELECT FROM meta.runs r WHERE r.run_id = p_run_id AND r.run_id > 0 AND r.status = 'running') THEN
        RAISE EXCEPTION 'landing.open_run: run % is not a running run of meta.runs', coalesce(p_run_id::text, 'NULL')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
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
-- drop would hold up every query behind it). One drop that times out fails
-- the whole prune (lock_not_available): it is one statement, so none of its
-- drops stand, and the next run's prune tries them all again. Returns the
-- runs dropped.
CREATE OR REPLACE FUNCTION landing.prune(p_keep integer) RETURNS SETOF bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    r bigint;
BEGIN
    IF p_keep IS NULL OR p_keep < 1 THEN
        RAISE EXCEPTION 'landing.prune: keep at least 1 run, not %', coalesce(p_keep::text, 'NULL')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM set_config('lock_timeout', '1s', true);
    FOR r IN
        SELECT substring(c.relname FROM '^documents_r(\d+)$')::bigint AS run_id
        FROM pg_inherits i
        JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'landing.documents'::regclass AND c.relname ~ '^documents_r\d+$'
        EXCEPT
        SELECT rr.landed_run_id FROM meta.run_resources rr
        WHERE rr.run_id IN (SELECT run_id FROM meta.runs ORDER BY run_id DESC LIMIT p_keep)
           OR rr.run_id = (SELECT max(run_id) FROM meta.runs WHERE status = 'succeeded')
        EXCEPT
        -- A run still landing: a run that lost the run lock may prune while
        -- the next one lands, before that one has recorded what it landed.
        SELECT run_id FROM meta.runs WHERE status = 'running'
    LOOP
        EXECUTE format('DROP TABLE landing.%I', 'documents_r' || r);
        RETURN NEXT r;
    END LOOP;
END
$$;

REVOKE ALL ON FUNCTION landing.open_run(bigint), landing.prune(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION landing.open_run(bigint), landing.prune(integer) TO spacex_writer;
