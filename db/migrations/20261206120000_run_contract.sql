-- migrate:up

-- The contract mode each sync or replay ran under (--contract), so that a
-- replay checks drift in its run's documents as that run did, unless told
-- otherwise: a run that failed under 'fail', replayed under the default
-- 'warn', once promoted the very documents it had been refused for. Runs
-- recorded before this migration have none (NULL); a replay of one uses
-- 'warn', the default they ran under unless told otherwise.
ALTER TABLE meta.runs ADD COLUMN contract text CHECK (contract IN ('warn', 'fail'));

COMMENT ON COLUMN meta.runs.contract IS 'What drift from db/contracts did in the run: warn (recorded and logged) or fail (recorded, and the run failed); a replay uses its run''s unless --contract is given. NULL for runs recorded before the column existed.';

-- migrate:down

ALTER TABLE meta.runs DROP COLUMN contract;
