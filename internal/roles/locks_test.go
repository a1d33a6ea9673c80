package roles_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	schema "github.com/spacex-elt/loader/db"
	"github.com/spacex-elt/loader/internal/extract"
	"github.com/spacex-elt/loader/internal/ledger"
	"github.com/spacex-elt/loader/internal/migrate"
	"github.com/spacex-elt/loader/internal/pgtest"
)

// The keys of the advisory locks the loader took before issue 13 (item 2):
// "spacex-s" for a run and "spacex-m" for migrate, in ASCII. It takes none
// now.
const (
	oldRunLockKey  int64 = 0x7370616365782d73 // 8318255591285337459
	migrateLockKey int64 = 0x7370616365782d6d
)

// A login with only spacex_analyst tries every lock the loader uses: the
// advisory keys (which any login may take, and which it keeps), the rows
// of meta.locks in every row-lock mode and as a table lock, and migrate's
// lock on schema_migrations in every mode stronger than the ACCESS SHARE
// its SELECT gives it (all refused: they need UPDATE, or a privilege on
// meta); it holds that ACCESS SHARE. Then a sync that may not wait
// (--lock-timeout 0), one that may wait a second, and a migrate all
// succeed, promptly. Before meta.locks, the advisory key made every sync
// fail with "another sync or replay is running" and migrate wait for ever.
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
	refusedTableLocks(t, e.analyst)
	if _, err := held.Exec(ctx, "BEGIN; LOCK TABLE public.schema_migrations IN ACCESS SHARE MODE"); err != nil {
		t.Fatalf("the analyst's ACCESS SHARE lock on schema_migrations: %v", err)
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

// refusedTableLocks: every mode of LOCK TABLE on migrate's table that
// conflicts with another is refused to the pool's role.
func refusedTableLocks(t *testing.T, pool *pgxpool.Pool) {
	t.Helper()
	for _, mode := range []string{"ROW EXCLUSIVE", "SHARE UPDATE EXCLUSIVE", "SHARE", "SHARE ROW EXCLUSIVE", "EXCLUSIVE", "ACCESS EXCLUSIVE"} {
		refused(t, pool, denied, "permission denied for table schema_migrations",
			"BEGIN; LOCK TABLE public.schema_migrations IN "+mode+" MODE; COMMIT")
	}
}

// A login with only spacex_analyst, on a database never migrated (it may
// connect, as PUBLIC may by default; the roles are the cluster's, made by
// a database migrated before), holds the advisory key migrate took on such
// a database until issue 13, then the first migrate runs, and promptly
// completes: it had waited for the key for ever. The same login cannot then
// lock the table that migrate's lock is on, and its ACCESS SHARE holds up
// no later migrate.
func TestAnalystCannotBlockFirstMigrate(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := context.Background()
	dsn := pgtest.EmptyDSN(t)
	_, analystDSN := login(t, e.owner, dsn, "a", analystRole)
	analyst := connect(t, analystDSN)
	held, err := analyst.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Release()
	var got bool
	if err := held.QueryRow(ctx, "SELECT pg_try_advisory_lock($1)", migrateLockKey).Scan(&got); err != nil || !got {
		t.Fatalf("the analyst's advisory lock: %v, %v; want taken", got, err)
	}
	for i := range 2 {
		mctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		start := time.Now()
		err := migrate.Up(mctx, dsn, migrate.Files{
			FS: schema.FS, MigrationsDir: schema.MigrationsDir, FunctionsDir: schema.FunctionsDir, ViewsDir: schema.ViewsDir,
		}, io.Discard, quiet)
		cancel()
		if err != nil {
			t.Fatalf("migrate %d beside the analyst's locks, after %s: %v", i+1, time.Since(start), err)
		}
		if i == 0 {
			refusedTableLocks(t, analyst)
			if _, err := held.Exec(ctx, "BEGIN; LOCK TABLE public.schema_migrations IN ACCESS SHARE MODE"); err != nil {
				t.Fatalf("the analyst's ACCESS SHARE lock on schema_migrations: %v", err)
			}
		}
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
