-- migrate:up

-- The loader's locks, as rows. A sync or replay locks the 'run' row, and
-- loader migrate the 'migrate' row, with SELECT ... FOR UPDATE, which needs
-- the UPDATE privilege: only the owner and spacex_writer have it, so a login
-- with only spacex_analyst can neither take these locks nor make the loader
-- wait for them. They replace session advisory locks, which any login could
-- take with the same key and so block every sync (issue 13, item 2).
CREATE TABLE meta.locks (
    name text PRIMARY KEY CHECK (name IN ('run', 'migrate'))
);

COMMENT ON TABLE meta.locks IS 'One row per loader lock: run (one sync or replay at a time) and migrate (one loader migrate at a time). A loader holds a lock by locking its row FOR UPDATE in a transaction; nothing is ever written to the rows.';

INSERT INTO meta.locks (name) VALUES ('run'), ('migrate');

-- The backend that holds the run lock for a running run, so that a run that
-- cannot take the lock can name the run holding it, or else say that a
-- session other than a loader's holds it.
ALTER TABLE meta.runs ADD COLUMN pid integer;

COMMENT ON COLUMN meta.runs.pid IS 'The PostgreSQL backend (pg_backend_pid) that held the run lock for the run; NULL for runs recorded before the column existed.';

-- Who holds a lock, for the message of a loader that cannot take it: a row
-- locked FOR UPDATE carries its locker's transaction id in xmax, and
-- pg_locks says which backend holds that transaction (the loader locks the
-- row outside any savepoint: a released savepoint's id leaves pg_locks). pg_stat_activity
-- shows any role every backend's pid and role (the rest, such as its query,
-- only for sessions of roles it is a member of). The run is the running one
-- whose lock session that backend is; none when it is not a loader's.
CREATE FUNCTION meta.lock_holders(lock text) RETURNS jsonb
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT coalesce(jsonb_agg(jsonb_build_object(
        'pid', l.pid, 'role', a.usename, 'run_id', r.run_id, 'source', r.source, 'started_at', r.started_at
    ) ORDER BY l.pid), '[]')
    FROM meta.locks k
    JOIN pg_locks l ON l.locktype = 'transactionid' AND l.mode = 'ExclusiveLock' AND l.granted
        AND l.transactionid::text = k.xmax::text
    LEFT JOIN pg_stat_activity a ON a.pid = l.pid
    LEFT JOIN meta.runs r ON r.status = 'running' AND r.pid = l.pid
    WHERE k.name = lock AND l.pid <> pg_backend_pid()
$$;

COMMENT ON FUNCTION meta.lock_holders(text) IS 'The backends holding a loader lock (a meta.locks row), as a JSON array of {pid, role, run_id, source, started_at}; the run fields are null unless the backend is a sync or replay''s lock session.';

-- Only the loader names holders: the writer, as the roles migration gives
-- the definer functions (a function starts executable by PUBLIC).
REVOKE ALL ON FUNCTION meta.lock_holders(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION meta.lock_holders(text) TO spacex_writer;

-- migrate:down

DROP FUNCTION meta.lock_holders(text);

ALTER TABLE meta.runs DROP COLUMN pid;
DROP TABLE meta.locks;
