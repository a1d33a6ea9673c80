-- name: LockTake :one
-- LockTake takes one of the loader's locks (a meta.locks row) for the rest
-- of the transaction, waiting for its holder, up to lock_timeout
-- (LockTimeout) if set; a wait that times out fails with 55P03. Only a role
-- with UPDATE on meta.locks can take it: the owner and spacex_writer.
SELECT name FROM meta.locks WHERE name = @name::text FOR UPDATE;

-- name: LockTakeNowait :one
-- LockTakeNowait takes the lock as LockTake does, or fails at once with
-- 55P03 when another transaction holds it.
SELECT name FROM meta.locks WHERE name = @name::text FOR UPDATE NOWAIT;

-- name: LockTimeout :one
-- LockTimeout bounds lock waits for the rest of the transaction, and
-- returns the setting it replaced, for LockTimeout to put back once the
-- lock is taken: the statements run under the lock then wait as they would
-- without it.
SELECT current_setting('lock_timeout') AS previous, set_config('lock_timeout', @timeout::text, true) AS timeout;

-- name: LockHolders :one
-- LockHolders names the backends holding a lock, as a JSON array
-- (meta.lock_holders).
SELECT meta.lock_holders(@name::text)::jsonb AS holders;
