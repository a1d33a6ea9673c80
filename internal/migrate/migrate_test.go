package migrate_test

import (
	"context"
	"crypto/rand"
	"io"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/amacneil/dbmate/v2/pkg/dbmate"
	"github.com/jackc/pgx/v5"

	schema "github.com/spacex-elt/loader/db"
	"github.com/spacex-elt/loader/internal/migrate"
	"github.com/spacex-elt/loader/internal/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

var discard = slog.New(slog.NewTextHandler(io.Discard, nil))

var embedded = migrate.Files{FS: schema.FS, MigrationsDir: schema.MigrationsDir, FunctionsDir: schema.FunctionsDir, ViewsDir: schema.ViewsDir}

func up(t *testing.T, dsn string, files migrate.Files) {
	t.Helper()
	if err := migrate.Up(context.Background(), dsn, files, io.Discard, discard); err != nil {
		t.Fatalf("migrate: %v", err)
	}
}

func conn(t *testing.T, dsn string) *pgx.Conn {
	t.Helper()
	c, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	return c
}

// viewState is what tells a re-created view from an untouched one.
type viewState struct {
	OID     uint32
	SHA256  string
	Applied string
}

func stateOf(t *testing.T, c *pgx.Conn, name string) viewState {
	t.Helper()
	var s viewState
	err := c.QueryRow(context.Background(), `
		SELECT to_regclass($1)::oid, v.sha256, v.applied_at::text
		FROM meta.applied_sql v WHERE v.name = $1`, name).Scan(&s.OID, &s.SHA256, &s.Applied)
	if err != nil {
		t.Fatalf("state of %s: %v", name, err)
	}
	return s
}

func TestUpCreatesEverythingOnce(t *testing.T) {
	t.Parallel()
	dsn := pgtest.EmptyDSN(t)
	up(t, dsn, embedded)
	c := conn(t, dsn)

	var schemas, versions int
	if err := c.QueryRow(context.Background(), `SELECT
		(SELECT count(*) FROM pg_namespace WHERE nspname IN ('landing', 'bronze', 'gold', 'meta')),
		(SELECT count(*) FROM schema_migrations)`).Scan(&schemas, &versions); err != nil {
		t.Fatal(err)
	}
	entries, _ := fs.ReadDir(schema.FS, schema.MigrationsDir)
	if schemas != 4 || versions != len(entries) {
		t.Errorf("schemas = %d, applied migrations = %d; want 4 and %d", schemas, versions, len(entries))
	}
	views, err := migrate.ReadFiles(schema.FS, schema.ViewsDir, migrate.KindView)
	if err != nil {
		t.Fatal(err)
	}
	before := map[string]viewState{}
	for _, v := range views {
		s := stateOf(t, c, v.Name)
		if s.SHA256 != v.SHA256 || s.OID == 0 {
			t.Errorf("%s: recorded %+v, want sha256 %s", v.Name, s, v.SHA256)
		}
		before[v.Name] = s
	}

	up(t, dsn, embedded)
	for name, s := range before {
		if got := stateOf(t, c, name); got != s {
			t.Errorf("%s was re-applied although unchanged: %+v -> %+v", name, s, got)
		}
	}
}

func TestChangedViewIsReappliedUnchangedIsNot(t *testing.T) {
	t.Parallel()
	dsn := pgtest.EmptyDSN(t)
	files := func(answer string) migrate.Files {
		m := fstest.MapFS{}
		for _, dir := range []string{schema.MigrationsDir, schema.FunctionsDir} {
			fs.WalkDir(schema.FS, dir, func(p string, d fs.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					b, _ := fs.ReadFile(schema.FS, p)
					m[p] = &fstest.MapFile{Data: b}
				}
				return err
			})
		}
		m["views/gold.a_fixed.sql"] = &fstest.MapFile{Data: []byte("CREATE MATERIALIZED VIEW gold.a_fixed AS SELECT 1 AS one;")}
		m["views/gold.b_answer.sql"] = &fstest.MapFile{Data: []byte("CREATE VIEW gold.b_answer AS SELECT " + answer + " AS answer;")}
		m["views/gold.c_depends.sql"] = &fstest.MapFile{Data: []byte("CREATE VIEW gold.c_depends AS SELECT answer + 1 AS next FROM gold.b_answer;")}
		return migrate.Files{FS: m, MigrationsDir: "migrations", FunctionsDir: "functions", ViewsDir: "views"}
	}
	up(t, dsn, files("41"))
	c := conn(t, dsn)
	fixed, answer, depends := stateOf(t, c, "gold.a_fixed"), stateOf(t, c, "gold.b_answer"), stateOf(t, c, "gold.c_depends")

	up(t, dsn, files("42"))
	if got := stateOf(t, c, "gold.a_fixed"); got != fixed {
		t.Errorf("unchanged gold.a_fixed was re-applied: %+v -> %+v", fixed, got)
	}
	if got := stateOf(t, c, "gold.b_answer"); got.OID == answer.OID || got.SHA256 == answer.SHA256 {
		t.Errorf("changed gold.b_answer was not re-applied: %+v -> %+v", answer, got)
	}
	// Dropping b_answer cascaded to c_depends, which must be back.
	if got := stateOf(t, c, "gold.c_depends"); got.OID == depends.OID {
		t.Errorf("gold.c_depends was not re-created after its dependency changed")
	}
	var next int
	if err := c.QueryRow(context.Background(), "SELECT next FROM gold.c_depends").Scan(&next); err != nil || next != 43 {
		t.Errorf("gold.c_depends = %d, %v; want 43", next, err)
	}
}

func TestViewRefusesToDropATable(t *testing.T) {
	t.Parallel()
	dsn := pgtest.DSN(t)
	files := migrate.Files{FS: fstest.MapFS{
		"migrations/1_x.sql":      {Data: []byte("-- migrate:up\nCREATE TABLE gold.precious (x int);\n-- migrate:down\n")},
		"functions/none.sql":      {Data: []byte("SELECT 1;")},
		"views/gold.precious.sql": {Data: []byte("CREATE VIEW gold.precious AS SELECT 1;")},
	}, MigrationsDir: "migrations", FunctionsDir: "functions", ViewsDir: "views"}
	err := migrate.Up(context.Background(), dsn, files, io.Discard, discard)
	if err == nil || !strings.Contains(err.Error(), "gold.precious exists and is not a view") {
		t.Fatalf("err = %v, want a refusal naming gold.precious", err)
	}
}

// TestConcurrentUpsBothSucceed: without the advisory lock, the second
// migrate fails on the half-applied first one.
func TestConcurrentUpsBothSucceed(t *testing.T) {
	t.Parallel()
	dsn := pgtest.EmptyDSN(t)
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = migrate.Up(context.Background(), dsn, embedded, io.Discard, discard)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("migrate %d: %v", i, err)
		}
	}
}

func TestUpBadDSN(t *testing.T) {
	t.Parallel()
	pw := rand.Text() // made here: no password is written in the repository
	err := migrate.Up(context.Background(), "postgres://loader:"+pw+"@127.0.0.1:1/nowhere?connect_timeout=2", embedded, io.Discard, discard)
	if err == nil || !strings.Contains(err.Error(), "connect to postgres://loader@127.0.0.1:1/nowhere") {
		t.Fatalf("err = %v, want it to name the server", err)
	}
	if strings.Contains(err.Error(), pw) {
		t.Errorf("error shows the password: %v", err)
	}
}

// TestEveryDownMigrationRuns: with the gold views loader migrate created,
// dbmate rolls back every migration, one at a time, to an empty database,
// and up then builds everything again.
func TestEveryDownMigrationRuns(t *testing.T) {
	t.Parallel()
	dsn := pgtest.EmptyDSN(t)
	up(t, dsn, embedded)
	c := conn(t, dsn)
	count := func(sql string) int {
		t.Helper()
		var n int
		if err := c.QueryRow(context.Background(), sql).Scan(&n); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		return n
	}
	if n := count("SELECT count(*) FROM pg_matviews WHERE schemaname = 'gold'"); n < 2 {
		t.Fatalf("gold views before the rollback: %d", n)
	}
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	m := dbmate.New(u)
	m.FS, m.MigrationsDir, m.AutoDumpSchema, m.Log = schema.FS, []string{schema.MigrationsDir}, false, io.Discard
	for count("SELECT count(*) FROM schema_migrations") > 0 {
		if err := m.Rollback(); err != nil {
			t.Fatalf("dbmate rollback with %d migrations applied: %v", count("SELECT count(*) FROM schema_migrations"), err)
		}
	}
	if n := count("SELECT count(*) FROM pg_namespace WHERE nspname IN ('landing', 'bronze', 'gold', 'meta')"); n != 0 {
		t.Errorf("%d of the schemas left after rolling everything back", n)
	}
	up(t, dsn, embedded)
	if n := count("SELECT count(*) FROM pg_matviews WHERE schemaname = 'gold'"); n < 2 {
		t.Errorf("gold views after migrating up again: %d", n)
	}
}
