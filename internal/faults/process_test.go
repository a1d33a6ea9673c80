package faults_test

import (
	"context"
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/spacex-elt/loader/internal/fakeapi"
	"github.com/spacex-elt/loader/internal/pgtest"
)

// pausedLaunches makes the launches response stop half-way until resume is
// closed: the loader is then mid-sync, with three resources landed and the
// fourth streaming into COPY.
func pausedLaunches(t *testing.T) (fakeapi.Fault, <-chan struct{}, chan struct{}) {
	t.Helper()
	body := snapshotBody(t, "launches", nil)
	reached, resume := make(chan struct{}), make(chan struct{})
	return fakeapi.On("/v5/launches", fakeapi.Pause(body, len(body)/2, reached, resume)), reached, resume
}

func waitFor(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(time.Minute):
		t.Fatalf("timed out waiting for %s", what)
	}
}

// SIGKILL mid-sync: nothing partial is visible; the ledger row left
// 'running' is marked abandoned by the next run, which succeeds.
func TestSIGKILLMidSync(t *testing.T) {
	t.Parallel()
	fault, reached, resume := pausedLaunches(t)
	defer close(resume)
	e := newEnv(t, fault)
	before := e.seedOld()

	p := e.start("sync", "--api-url", e.url)
	waitFor(t, reached, "the launches response")
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if code := p.wait(t, 10*time.Second); code != -int(syscall.SIGKILL) {
		t.Errorf("exit %d, want killed", code)
	}
	if after := pgtest.FullHash(t, e.pool); after != before {
		t.Error("bronze/gold changed by a killed sync")
	}
	killed := e.int("SELECT max(run_id) FROM meta.runs")
	if status, _ := e.lastRun(); status != "running" {
		t.Errorf("killed run is %s, want still running in the ledger", status)
	}

	out := e.mustLoad("sync", "--source", snapshot)
	if !strings.Contains(out, "was found abandoned") {
		t.Errorf("next run does not report the abandoned run:\n%s", out)
	}
	if s := e.query("SELECT status FROM meta.runs WHERE run_id = $1", killed)[0]; s != "abandoned" {
		t.Errorf("killed run %d is %v, want abandoned", killed, s)
	}
	e.assertComplete()
}

// SIGTERM and SIGINT: the run is cancelled, rolled back and recorded as
// cancelled, and the process exits promptly with code 130.
func TestSignalCancelsRun(t *testing.T) {
	t.Parallel()
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			t.Parallel()
			fault, reached, resume := pausedLaunches(t)
			defer close(resume)
			e := newEnv(t, fault)
			before := e.seedOld()

			p := e.start("sync", "--api-url", e.url)
			waitFor(t, reached, "the launches response")
			sent := time.Now()
			if err := p.cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			code := p.wait(t, 10*time.Second)
			if d := time.Since(sent); d > 5*time.Second {
				t.Errorf("exited %s after the signal, want promptly", d)
			}
			// Exit 130 is checked by assertFailedIntact, for "cancelled".
			// The signal is named ("terminated signal received", not the
			// other's), on stderr and in the ledger.
			named := sig.String() + " signal received"
			e.assertFailedIntact(code, p.out.String(), before, "cancelled", "run 2 cancelled", named)
			if _, msg := e.lastRun(); !strings.Contains(msg, named) {
				t.Errorf("ledger error %q does not name the signal as %q", msg, named)
			}
		})
	}
}

// Two syncs at once: the run lock lets one run; the other exits at
// once with code 3 naming the run that holds it, or waits --lock-timeout.
func TestConcurrentSyncs(t *testing.T) {
	t.Parallel()
	fault, reached, resume := pausedLaunches(t)
	e := newEnv(t, fault)
	first := e.start("sync", "--api-url", e.url)
	waitFor(t, reached, "the first sync")

	start := time.Now()
	code, out := e.loader("sync", "--source", snapshot)
	if code != 3 || !strings.Contains(out, "another sync or replay is running: run 1") {
		t.Errorf("second sync: exit %d, want 3 naming run 1:\n%s", code, out)
	}
	// The whole holder, as the ledger has the run that holds the lock.
	run1 := e.query("SELECT source, started_at FROM meta.runs WHERE run_id = 1")
	holder := fmt.Sprintf("another sync or replay is running: run 1 (%s, started %s) holds the lock",
		run1[0], run1[1].(time.Time).UTC().Format(time.RFC3339))
	if !strings.Contains(out, holder) {
		t.Errorf("second sync does not name its holder as %q:\n%s", holder, out)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("second sync took %s to give up, want at once", d)
	}

	start = time.Now()
	code, out = e.loader("sync", "--source", snapshot, "--lock-timeout", "1s")
	if code != 3 || time.Since(start) < time.Second || !strings.Contains(out, "after 1s") {
		t.Errorf("waiting sync: exit %d after %s, want 3 after 1s:\n%s", code, time.Since(start), out)
	}

	// One waits for the lock while the first finishes, then runs.
	waiter := e.start("sync", "--source", snapshot, "--lock-timeout", "1m")
	// It really waits: its backend is blocked on a lock in the run lock's
	// FOR UPDATE (the first sync's backends sit idle while launches
	// stream), and it has opened no run, before the first is let go.
	deadline := time.Now().Add(time.Minute)
	for e.int(`SELECT count(*) FROM pg_stat_activity
		WHERE datname = current_database() AND application_name = 'spacex-loader'
		AND wait_event_type = 'Lock' AND query LIKE '%FROM meta.locks%FOR UPDATE%'`) != 1 {
		if time.Now().After(deadline) {
			t.Fatalf("the waiting sync never waited on the run lock\n%s", waiter.out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if n := e.int("SELECT count(*) FROM meta.runs"); n != 1 {
		t.Errorf("runs in the ledger while the second sync waits = %d, want the first's 1", n)
	}
	close(resume)
	if code := first.wait(t, time.Minute); code != 0 {
		t.Fatalf("first sync: exit %d\n%s", code, first.out.String())
	}
	if code := waiter.wait(t, time.Minute); code != 0 {
		t.Fatalf("waiting sync: exit %d\n%s", code, waiter.out.String())
	}
	// Only the two that held the lock opened runs, one after the other.
	if n := e.int("SELECT count(*) FROM meta.runs"); n != 2 {
		t.Errorf("runs in the ledger = %d, want 2", n)
	}
	if n := e.int(`SELECT count(*) FROM meta.runs a JOIN meta.runs b ON a.run_id < b.run_id
		WHERE b.started_at < a.finished_at`); n != 0 {
		t.Errorf("%d pairs of runs overlapped", n)
	}
	e.assertComplete()
}

// PostgreSQL restarted during a sync: the run fails cleanly, and the next
// run succeeds with correct data. Not parallel: the server it restarts is
// the one the package's other tests use, unless TEST_DATABASE_URL gave
// that (pgtest.RestartableDSN).
func TestPostgresRestartMidSync(t *testing.T) {
	fault, reached, resume := pausedLaunches(t)
	e := newEnvOn(t, pgtest.RestartableDSN(t), fault)
	before := e.seedOld()

	p := e.start("sync", "--api-url", e.url)
	waitFor(t, reached, "the launches response")
	pgtest.Restart(t)
	close(resume)
	code := p.wait(t, time.Minute)
	t.Logf("loader output:\n%s", p.out.String())
	e.pool.Reset()
	// The restart breaks whichever step is talking to the server: the
	// landing of launches, or the promotion of the resources before it,
	// which runs meanwhile. Either way the error names the resource and
	// carries the server's own: the fast shutdown's FATAL to every backend,
	// admin_shutdown (57P01), on stderr and in the ledger, which the loader
	// wrote once the server was back.
	const server = "terminating connection due to administrator command (SQLSTATE 57P01)"
	e.assertFailedIntact(code, p.out.String(), before, "failed", "run 2 failed: resource ", server)
	if _, msg := e.lastRun(); !strings.Contains(msg, server) {
		t.Errorf("ledger error %q does not carry the server's %q", msg, server)
	}

	e.mustLoad("sync", "--source", snapshot)
	e.assertComplete()
}

// blockPromotion holds an exclusive lock on bronze.launches, so a sync
// stops inside its promotion transaction, after rockets, launchpads and
// payloads were already upserted there; it returns once the loader waits
// on the lock, and a func that releases it.
func blockPromotion(t *testing.T, e *env) (release func()) {
	t.Helper()
	ctx := context.Background()
	tx, err := e.pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, "LOCK TABLE bronze.launches IN ACCESS EXCLUSIVE MODE"); err != nil {
		t.Fatal(err)
	}
	return func() { _ = tx.Rollback(ctx) }
}

func waitBlocked(t *testing.T, e *env) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for e.int(`SELECT count(*) FROM pg_stat_activity
		WHERE datname = current_database() AND application_name = 'spacex-loader' AND wait_event_type = 'Lock'`) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the loader never blocked in its promotion")
		}
		time.Sleep(50 * time.Millisecond)
	}
	// The upserts before the block really happened, inside the transaction.
	if n := e.int(`SELECT count(*) FROM pg_stat_activity
		WHERE datname = current_database() AND application_name = 'spacex-loader' AND backend_xid IS NOT NULL`); n != 1 {
		t.Fatalf("%d loader sessions hold a transaction id, want the promotion's 1", n)
	}
}

// Killed or interrupted inside the promotion transaction, with some bronze
// tables already rewritten in it: nothing of it becomes visible.
func TestStopMidPromotion(t *testing.T) {
	t.Parallel()
	for _, sig := range []syscall.Signal{syscall.SIGKILL, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			before := e.seedOld()
			release := blockPromotion(t, e)
			p := e.start("sync", "--source", snapshot)
			waitBlocked(t, e)
			if err := p.cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			code := p.wait(t, 10*time.Second)
			release()
			if sig == syscall.SIGTERM {
				// Exit 130 is checked by assertFailedIntact, for "cancelled".
				e.assertFailedIntact(code, p.out.String(), before, "cancelled", "terminated signal received")
				if _, msg := e.lastRun(); !strings.Contains(msg, "terminated signal received") {
					t.Errorf("ledger error %q does not name SIGTERM", msg)
				}
				return
			}
			// The server notices the dead client and rolls back.
			deadline := time.Now().Add(30 * time.Second)
			for e.int("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'spacex-loader'") > 0 {
				if time.Now().After(deadline) {
					t.Fatal("the killed loader's sessions never ended")
				}
				time.Sleep(50 * time.Millisecond)
			}
			if after := pgtest.FullHash(t, e.pool); after != before {
				t.Error("bronze/gold changed by a sync killed mid-promotion")
			}
			e.mustLoad("sync", "--source", snapshot)
			e.assertComplete()
		})
	}
}

// The run lock's session dies mid-run (a restart, an administrator's
// pg_terminate_backend): another run may then take the lock, but the first
// can no longer promote, since it promotes on that same session. The first
// records its failure when it notices the lost session (its promotion of
// the first resources runs on it while launches still land), unless the
// second run marked it abandoned before; either way it is never recorded
// as succeeded and writes nothing.
func TestRunLockLost(t *testing.T) {
	t.Parallel()
	// The first sync's launches differ, so anything it wrote would show.
	body := snapshotBody(t, "launches", func(d []map[string]any) []map[string]any {
		d[0]["name"] = "written by the run that lost its lock"
		return d
	})
	reached, resume := make(chan struct{}), make(chan struct{})
	e := newEnv(t, fakeapi.On("/v5/launches", fakeapi.Pause(body, len(body)/2, reached, resume)))
	e.seedOld()

	a := e.start("sync", "--api-url", e.url)
	waitFor(t, reached, "the first sync")
	if n := e.int(`SELECT jsonb_array_length(meta.lock_holders('run'))`); n != 1 {
		t.Fatalf("%d sessions hold the run lock, want the first sync's 1", n)
	}
	pid := e.int(`SELECT (meta.lock_holders('run') -> 0 ->> 'pid')::bigint`)
	// A terminated backend holds its locks until it has exited: started
	// at once, the second sync could still find the lock taken (exit 3,
	// "another session holds the lock"). With a timeout,
	// pg_terminate_backend returns once the backend is gone, its
	// transaction aborted and its locks released, or false when it is
	// not gone within the timeout.
	if gone := e.query(`SELECT pg_terminate_backend($1::int, 60000)`, pid)[0]; gone != true {
		t.Fatalf("the first sync's lock session %d is still there a minute after pg_terminate_backend", pid)
	}
	if n := e.int(`SELECT (SELECT count(*) FROM pg_stat_activity WHERE pid = $1)
		+ (SELECT count(*) FROM pg_locks WHERE pid = $1)
		+ jsonb_array_length(meta.lock_holders('run'))`, pid); n != 0 {
		t.Fatalf("after its termination, backend %d or its locks, or a run lock holder, remain (%d)", pid, n)
	}
	e.mustLoad("sync", "--source", snapshot) // takes the lock
	after := pgtest.FullHash(t, e.pool)

	close(resume)
	if code := a.wait(t, time.Minute); code != 1 {
		t.Errorf("first sync: exit %d, want 1\n%s", code, a.out.String())
	}
	if after2 := pgtest.FullHash(t, e.pool); after2 != after {
		t.Error("the sync that lost its lock still wrote to bronze/gold")
	}
	if s := e.query("SELECT status FROM meta.runs WHERE run_id = 2")[0]; s != "abandoned" && s != "failed" {
		t.Errorf("run 2 is %v, want failed or abandoned", s)
	}
	e.assertComplete()
}
