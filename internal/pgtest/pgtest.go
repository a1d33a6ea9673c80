// Package pgtest gives tests a real, isolated PostgreSQL database.
//
// The server is found once per test binary, in this order:
//  1. TEST_DATABASE_URL;
//  2. a postgres:16 container through dockertest, when a Docker engine answers;
//  3. a throwaway cluster from the system's initdb and pg_ctl
//     (/usr/lib/postgresql/*/bin or PATH), run as the postgres user when the
//     tests run as root;
//  4. none: tests fail when CI is set (any value but empty, "false" or "0")
//     and are skipped otherwise.
//
// Each test then gets its own database, cloned from a template that already
// holds the migrations and views (pgtestdb), so tests can run in parallel.
package pgtest

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx", for pgtestdb
	"github.com/peterldowns/pgtestdb"

	schema "github.com/spacex-elt/loader/db"
	"github.com/spacex-elt/loader/internal/db"
	"github.com/spacex-elt/loader/internal/migrate"
)

// server is what one test binary found, with the means to stop it.
type server struct {
	conf    pgtestdb.Config
	stop    func()
	restart func() error // nil when the server is not ours to restart
}

var (
	once    sync.Once
	found   *server
	findErr error
)

// Main runs the tests of a package and then stops any server it started.
// Call it from TestMain: os.Exit(pgtest.Main(m)).
func Main(m *testing.M) int {
	code := m.Run()
	if found != nil && found.stop != nil {
		found.stop()
	}
	return code
}

func connConfig(t testing.TB) pgtestdb.Config {
	t.Helper()
	once.Do(func() { found, findErr = find() })
	if findErr != nil {
		if inCI() {
			t.Fatalf("no PostgreSQL for tests (CI is set, so this fails rather than skips): %v", findErr)
		}
		t.Skipf("no PostgreSQL for tests: %v", findErr)
	}
	conf := found.conf
	conf.TestRole = &owner
	return conf
}

// owner owns the test databases and runs their migrations, as a
// deployment's migration owner does: no superuser, but CREATEROLE, which
// the roles migration needs to create the group roles spacex_writer and
// spacex_analyst (and tests, to create logins in them).
var owner = pgtestdb.Role{
	Username:     "spacex_test_owner",
	Password:     pgtestdb.DefaultRolePassword,
	Capabilities: "NOSUPERUSER NOCREATEDB CREATEROLE",
}

// DSN returns the URL of a fresh database with every migration and view
// applied, dropped again when the test passes.
func DSN(t testing.TB) string {
	t.Helper()
	return pgtestdb.Custom(t, connConfig(t), migrator{}).URL()
}

// EmptyDSN returns the URL of a fresh database with nothing applied.
func EmptyDSN(t testing.TB) string {
	t.Helper()
	return pgtestdb.Custom(t, connConfig(t), pgtestdb.NoopMigrator{}).URL()
}

// Restart stops the server with clients connected (fast shutdown, as an
// operator's restart does) and starts it again on the same address: a
// throwaway cluster with pg_ctl, a postgres:16 container through Docker.
// With TEST_DATABASE_URL's server the test is skipped, in CI too.
func Restart(t testing.TB) {
	t.Helper()
	connConfig(t)
	if found.restart == nil {
		// A server given by TEST_DATABASE_URL is not ours to restart: the
		// test cannot run there, which is no failure of the loader.
		t.Skip("cannot restart the PostgreSQL of TEST_DATABASE_URL: only a cluster or container the tests started")
	}
	if err := found.restart(); err != nil {
		t.Fatalf("restart PostgreSQL: %v", err)
	}
}

// inCI reports whether the tests run in CI, where a missing PostgreSQL
// must fail them rather than skip them.
func inCI() bool { return ciSet(os.Getenv("CI")) }

// ciSet tells whether a value of CI means "set": any non-empty value other
// than "false" or "0" (in any case, surrounding spaces ignored). CI systems
// set CI=true, CI=1 or CI=yes; "false" and "0" are how one turns it off.
func ciSet(v string) bool {
	v = strings.TrimSpace(v)
	return v != "" && v != "0" && !strings.EqualFold(v, "false")
}

// migrator applies the embedded schema with the loader's own migrate step,
// so the template is exactly what `loader migrate` produces.
type migrator struct{}

// Hash names the template after the SQL it was built from: a changed
// migration or view gets a new template.
func (migrator) Hash() (string, error) {
	h := sha256.New()
	err := fs.WalkDir(schema.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(schema.FS, path)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", path, len(b))
		h.Write(b)
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))[:16], err
}

func (migrator) Migrate(ctx context.Context, _ *sql.DB, conf pgtestdb.Config) error {
	return migrate.Up(ctx, conf.URL(), migrate.Files{
		FS: schema.FS, MigrationsDir: schema.MigrationsDir, FunctionsDir: schema.FunctionsDir, ViewsDir: schema.ViewsDir,
	}, io.Discard, slog.New(slog.NewTextHandler(io.Discard, nil)))
}

// Pool opens a pool on dsn the way the loader does (db.ParseConfig, so
// with the loader's session settings), closed when the test ends.
func Pool(t testing.TB, dsn string) *pgxpool.Pool {
	t.Helper()
	cfg, err := db.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	pool, err := db.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return pool
}
