package pgtest

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

func TestMain(m *testing.M) { os.Exit(Main(m)) }

// Restart restarts the server of RestartableDSN: a session open on it is
// cut, and a new one finds a server started later, with what was committed
// before. With TEST_DATABASE_URL that is a server of the test binary's
// own, so a session on DSN's server, shared with the rest of the suite,
// lives on. (Not parallel: it restarts a server.)
func TestRestart(t *testing.T) {
	ctx := context.Background()
	connect := func(dsn string) *pgx.Conn {
		t.Helper()
		conn, err := pgx.Connect(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { conn.Close(context.Background()) })
		return conn
	}
	started := func(conn *pgx.Conn) (ts time.Time) {
		t.Helper()
		if err := conn.QueryRow(ctx, "SELECT pg_postmaster_start_time()").Scan(&ts); err != nil {
			t.Fatal(err)
		}
		return ts
	}
	shared := connect(DSN(t))
	sharedStart := started(shared)
	dsn := RestartableDSN(t)
	before := connect(dsn)
	start := started(before)
	if _, err := before.Exec(ctx, "CREATE TABLE kept AS SELECT 42 AS n"); err != nil {
		t.Fatal(err)
	}

	Restart(t)

	if err := before.Ping(ctx); err == nil {
		t.Error("a session opened before the restart still answers: the server was not restarted")
	}
	after := connect(dsn)
	if s := started(after); !s.After(start) {
		t.Errorf("the server started at %s, before the restart at %s", s, start)
	}
	var n int
	if err := after.QueryRow(ctx, "SELECT n FROM kept").Scan(&n); err != nil || n != 42 {
		t.Errorf("after the restart: kept.n = %d, %v; want 42", n, err)
	}
	if os.Getenv("TEST_DATABASE_URL") != "" {
		if s := started(shared); !s.Equal(sharedStart) {
			t.Errorf("TEST_DATABASE_URL's server was restarted: started %s, before %s", s, sharedStart)
		}
	}
}
