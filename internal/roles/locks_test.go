package roles_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"testing"
	"time"

	schema "github.com/spacex-elt/loader/db"
	"github.com/spacex-elt/loader/internal/extract"
	"github.com/spacex-elt/loader/internal/ledger"
	"github.com/spacex-elt/loader/internal/migrate"
)

// The keys of the advisory locks the loader took before meta.locks (issue
// 13, item 2): "spacex-s" for a run and "spacex-m" for migrate, in ASCII.
// migrate still takes the second while a database has no meta.locks.
const (
	oldRunLockKey  int64 = 0x7370616365782d73 // 8318255591285337459
	migrateLockKey int64 = 0x7370616365782d6d
)

// A login with only spacex_analyst tries every lock the loader uses: the
// advisory keys (which any login may take, and which it keeps) and the
// rows of meta.locks in every row-lock mode and as a table lock (all
// refused: they need UPDATE, or a privilege on meta). Then a sync that may
// not wait (--lock-timeout 0), one that may wait a second, and a migrate
// all succeed, promptly. Before meta.locks, the advisory key made every
// sync fail with "another sync or replay is running" and migrate wait for
// ever.
func TestAnalystCannotBlockSyncOrMigrate(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := context.Background()

	held, err := e.analyst.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Release()
	for _, key := range []int64{oldRunLockKey, migrateLockKey} {
		var got bool
		if err := held.QueryRow(ctx, "SELECT pg_try_advisory_lock($1)", key).Scan(&got); err != nil || !got {
			t.Fatalf("the analyst's advisory lock %d: %v, %v; want taken", key, got, err)
		}
	}
	for _, lock := range []string{
		"SELECT name FROM meta.locks FOR UPDATE",
		"SELECT name FROM meta.locks FOR NO KEY UPDATE",
		"SELECT name FROM meta.locks FOR SHARE",
		"SELECT name FROM meta.locks FOR KEY SHARE",
		"SELECT name FROM meta.locks WHERE name = 'run' FOR UPDATE NOWAIT",
		"BEGIN; LOCK TABLE meta.locks IN ACCESS EXCLUSIVE MODE; COMMIT",
		"BEGIN; LOCK TABLE meta.locks IN ROW SHARE MODE; COMMIT",
		"SELECT meta.lock_holders('run')",
	} {
		refused(t, e.analyst, denied, "permission denied for", lock)
	}

	for _, wait := range []time.Duration{0, time.Second} {
		s := syncer(t, e.writer, extract.Dir(snapshot), 10)
		s.Options.LockTimeout = wait
		start := time.Now()
		res, err := s.Sync(ctx)
		if err != nil {
			t.Fatalf("sync (--lock-timeout %s) beside the analyst's locks: %v", wait, err)
		}
		if status := scan[string](t, e.owner, "SELECT status FROM meta.runs WHERE run_id = $1", res.RunID); status != "succeeded" {
			t.Errorf("run %d is %s, want succeeded", res.RunID, status)
		}
		if d := time.Since(start); d > 30*time.Second {
			t.Errorf("sync took %s", d)
		}
	}

	mctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	start := time.Now()
	if err := migrate.Up(mctx, e.dsn, migrate.Files{
		FS: schema.FS, MigrationsDir: schema.MigrationsDir, FunctionsDir: schema.FunctionsDir, ViewsDir: schema.ViewsDir,
	}, io.Discard, quiet); err != nil {
		t.Fatalf("loader migrate beside the analyst's locks, after %s: %v", time.Since(start), err)
	}
	// The analyst still holds its advisory locks: nothing waited them out.
	if n := scan[int64](t, e.owner, `SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid = $1`,
		held.Conn().PgConn().PID()); n != 2 {
		t.Errorf("the analyst holds %d advisory locks, want 2", n)
	}
}

// A session that is not a loader's holds the run lock (a writer login
// locking the row by hand): a sync fails with ErrLocked (exit 3), naming
// that backend and its role, and not claiming a sync or replay runs.
func TestRunLockHolderNotALoader(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := context.Background()
	tx, err := e.writer.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	var pid int32
	if err := tx.QueryRow(ctx, "SELECT pg_backend_pid()").Scan(&pid); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, "SELECT name FROM meta.locks WHERE name = 'run' FOR UPDATE"); err != nil {
		t.Fatal(err)
	}

	for _, c := range []struct {
		wait time.Duration
		want string
	}{
		{0, fmt.Sprintf("the run lock is taken, not by a sync or replay: PostgreSQL backend %d (role %s) holds the lock", pid, e.writerName)},
		{500 * time.Millisecond, fmt.Sprintf("the run lock is taken, not by a sync or replay: PostgreSQL backend %d (role %s) still holds the lock after 500ms", pid, e.writerName)},
	} {
		s := syncer(t, e.writer, extract.Dir(snapshot), 10)
		s.Options.LockTimeout = c.wait
		_, err := s.Sync(ctx)
		if !errors.Is(err, ledger.ErrLocked) || err.Error() != c.want {
			t.Errorf("sync (--lock-timeout %s): %v\nwant ErrLocked: %s", c.wait, err, c.want)
		}
	}
	if n := scan[int64](t, e.owner, "SELECT count(*) FROM meta.runs"); n != 0 {
		t.Errorf("%d runs in the ledger, want none: a run that could not take the lock opens none", n)
	}
}
