// Package pgtest gives tests a real, isolated PostgreSQL database.
//
// The server is found once per test binary, in this order:
//  1. TEST_DATABASE_URL;
//  2. a throwaway cluster from the binaries in TEST_PG_BINDIR, when set;
//  3. a container of TEST_PG_IMAGE (default postgres:17) through
//     dockertest, when a Docker engine answers;
//  4. a throwaway cluster from the system's initdb and pg_ctl (the newest
//     /usr/lib/postgresql/*/bin, or PATH);
//  5. none: tests fail when CI is set (any value but empty, "false" or "0")
//     and are skipped otherwise.
//
// A throwaway cluster runs as the postgres user when the tests run as root.
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

	restartOnce sync.Once
	restartable *server // found, or a cluster of our own beside TEST_DATABASE_URL's server
	restartErr  error
)

// Main runs the tests of a package and then stops any server it started.
// Call it from TestMain: os.Exit(pgtest.Main(m)).
func Main(m *testing.M) int {
	code := m.Run()
	if restartable != nil && restartable != found && restartable.stop != nil {
		restartable.stop()
	}
	if found != nil && found.stop != nil {
		found.stop()
	}
	return code
}

func connConfig(t testing.TB) pgtestdb.Config {
	t.Helper()
	once.Do(func() { found, findErr = find() })
	if findErr != nil {
		unavailable(t, "no PostgreSQL for tests", findErr)
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

// RestartableDSN returns, like DSN, the URL of a fresh database with every
// migration and view applied, on the server that Restart restarts: the one
// DSN uses when the tests started it (a throwaway cluster or container),
// else, with TEST_DATABASE_URL, a throwaway cluster of this test binary's
// own from the same PostgreSQL binaries (TEST_PG_BINDIR, or those the
// server runs from when it runs on this machine). TEST_DATABASE_URL's
// server is shared with the suite's other test binaries, running meanwhile:
// restarting it would fail their tests, not prove anything about ours.
// When there is no such server the test fails under CI and is skipped
// otherwise.
func RestartableDSN(t testing.TB) string {
	t.Helper()
	return pgtestdb.Custom(t, restartableConfig(t), migrator{}).URL()
}

// Restart stops the server of RestartableDSN with clients connected (fast
// shutdown, as an operator's restart does) and starts it again on the same
// address: a throwaway cluster with pg_ctl, a container through Docker.
func Restart(t testing.TB) {
	t.Helper()
	restartableConfig(t)
	if err := restartable.restart(); err != nil {
		t.Fatalf("restart PostgreSQL: %v", err)
	}
}

func restartableConfig(t testing.TB) pgtestdb.Config {
	t.Helper()
	connConfig(t)
	restartOnce.Do(func() { restartable, restartErr = findRestartable(found) })
	if restartErr != nil {
		unavailable(t, "no PostgreSQL this test may restart", restartErr)
	}
	conf := restartable.conf
	conf.TestRole = &owner
	if restartable != found {
		// Another name for the same role on our own cluster: pgtestdb
		// creates a role, and remembers a template with its server's
		// address, once per test binary by the role's name.
		conf.TestRole = &restartOwner
	}
	return conf
}

var restartOwner = pgtestdb.Role{
	Username:     "spacex_test_restart_owner",
	Password:     owner.Password,
	Capabilities: owner.Capabilities,
}

// unavailable ends a test that lacks what it needs: it fails under CI,
// where a test that cannot do what it claims must not pass unnoticed, and
// is skipped elsewhere.
func unavailable(t testing.TB, what string, err error) {
	t.Helper()
	if inCI() {
		t.Fatalf("%s (CI is set, so this fails rather than skips): %v", what, err)
	}
	t.Skipf("%s: %v", what, err)
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
