-- migrate:up

-- What `loader check` found, one row per invocation and one per check it
-- ran, so that `loader status` (and SQL) can say how the data last fared.
-- The checks themselves run read-only; the command records their results
-- afterwards in one short transaction. The writer gets its privileges on
-- both tables (and the identity's sequence) from the default privileges of
-- schema meta (db/migrations/*_roles.sql), which meta.apply_grants()
-- restates. Like any migration, this one changes meta.transform_version(),
-- so the first sync after it types every document again, once.
CREATE TABLE meta.check_runs (
    check_run_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    checked_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    max_age      interval NOT NULL,
    only_checks  text[]
);

COMMENT ON TABLE meta.check_runs IS 'One row per loader check whose results were recorded (meta.check_results).';
COMMENT ON COLUMN meta.check_runs.check_run_id IS 'Identifies the invocation; meta.check_results rows refer to it.';
COMMENT ON COLUMN meta.check_runs.checked_at IS 'When the results were recorded, just after the checks'' read-only transaction ended.';
COMMENT ON COLUMN meta.check_runs.max_age IS 'The --max-age runs_fresh was held to; 0 means no limit.';
COMMENT ON COLUMN meta.check_runs.only_checks IS 'The checks --only selected; NULL when every check ran.';

CREATE TABLE meta.check_results (
    check_run_id bigint NOT NULL REFERENCES meta.check_runs ON DELETE CASCADE,
    name         text NOT NULL,
    severity     text NOT NULL CHECK (severity IN ('error', 'warn')),
    status       text NOT NULL CHECK (status IN ('pass', 'warn', 'fail', 'error')),
    violations   bigint NOT NULL CHECK (violations >= 0),
    samples      text[] NOT NULL,
    error        text,
    PRIMARY KEY (check_run_id, name),
    CHECK ((status = 'error') = (error IS NOT NULL))
);

COMMENT ON TABLE meta.check_results IS 'One row per check of a recorded loader check (meta.check_runs).';
COMMENT ON COLUMN meta.check_results.check_run_id IS 'The loader check invocation (meta.check_runs).';
COMMENT ON COLUMN meta.check_results.name IS 'The check: its file name in db/checks without .sql.';
COMMENT ON COLUMN meta.check_results.severity IS 'error (violations fail loader check) or warn (reported only).';
COMMENT ON COLUMN meta.check_results.status IS 'pass, warn (a warn check found rows), fail (an error check found rows), or error (the check''s SQL failed).';
COMMENT ON COLUMN meta.check_results.violations IS 'Rows the check returned; 0 when its SQL failed.';
COMMENT ON COLUMN meta.check_results.samples IS 'The smallest keys of the violating rows, at most 5.';
COMMENT ON COLUMN meta.check_results.error IS 'Why the check could not run (status error); NULL otherwise.';

-- migrate:down

DROP TABLE meta.check_results;
DROP TABLE meta.check_runs;
