-- migrate:up

-- loader migrate no longer locks a row of meta.locks: it locks dbmate's
-- migrations table (SHARE UPDATE EXCLUSIVE, which needs more than the
-- SELECT the roles have on it). That table exists before the first
-- migration, which meta.locks does not, so a database never migrated had
-- only an advisory lock to offer, and any login can take those (issue 13,
-- item 2). The 'migrate' row is no lock any more.
DELETE FROM meta.locks WHERE name = 'migrate';

ALTER TABLE meta.locks
    DROP CONSTRAINT locks_name_check,
    ADD CONSTRAINT locks_name_check CHECK (name = 'run');

COMMENT ON TABLE meta.locks IS 'The loader''s run lock, as a row: a sync or replay holds it (one at a time) by locking the row FOR UPDATE in a transaction; nothing is ever written to it. loader migrate locks public.schema_migrations instead.';

-- migrate:down

ALTER TABLE meta.locks
    DROP CONSTRAINT locks_name_check,
    ADD CONSTRAINT locks_name_check CHECK (name IN ('run', 'migrate'));

INSERT INTO meta.locks (name) VALUES ('migrate');

COMMENT ON TABLE meta.locks IS 'One row per loader lock: run (one sync or replay at a time) and migrate (one loader migrate at a time). A loader holds a lock by locking its row FOR UPDATE in a transaction; nothing is ever written to the rows.';
