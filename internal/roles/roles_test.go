package roles_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/amacneil/dbmate/v2/pkg/dbmate"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	schema "github.com/spacex-elt/loader/db"
	"github.com/spacex-elt/loader/internal/extract"
	"github.com/spacex-elt/loader/internal/migrate"
	"github.com/spacex-elt/loader/internal/pgtest"
	"github.com/spacex-elt/loader/internal/pipeline"
	"github.com/spacex-elt/loader/internal/resources"
)

const snapshot = "../../testdata/spacex-api"

const (
	writerRole  = "spacex_writer"
	analystRole = "spacex_analyst"
	goldView    = "gold.rocket_cost_efficiency"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// env is a fresh migrated database, with pools connected as the migration
// owner and as a login in each role.
type env struct {
	dsn                     string // the migration owner's
	owner, writer, analyst  *pgxpool.Pool
	writerName, analystName string
}

func setup(t *testing.T) env {
	t.Helper()
	dsn := pgtest.DSN(t)
	e := env{dsn: dsn, owner: connect(t, dsn)}
	var writerDSN, analystDSN string
	e.writerName, writerDSN = login(t, e.owner, dsn, "w", writerRole)
	e.analystName, analystDSN = login(t, e.owner, dsn, "a", analystRole)
	e.writer, e.analyst = connect(t, writerDSN), connect(t, analystDSN)
	return e
}

// connect opens a pool as the loader does (db.ParseConfig, whose
// AfterConnect sets default_toast_compression: a login in a role must be
// allowed that too).
func connect(t *testing.T, dsn string) *pgxpool.Pool {
	t.Helper()
	return pgtest.Pool(t, dsn)
}

// login creates a LOGIN role that is a member of group, as a deployer
// would (CREATE ROLE ... IN ROLE is GRANT group TO it), and returns its name
// and a DSN that connects as it. Role names are cluster-wide and tests run
// in parallel, so the name is random; so is the password (the test cluster
// trusts local logins, a container's does not).
func login(t *testing.T, owner *pgxpool.Pool, dsn, prefix, group string) (name, loginDSN string) {
	t.Helper()
	name = prefix + "_" + randomHex(t, 6)
	password := randomHex(t, 16)
	mustExec(t, owner, fmt.Sprintf("CREATE ROLE %s LOGIN PASSWORD '%s' IN ROLE %s", ident(name), password, ident(group)))
	t.Cleanup(func() {
		if _, err := owner.Exec(context.Background(), "DROP ROLE "+ident(name)); err != nil {
			t.Errorf("drop role %s: %v", name, err)
		}
	})
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.UserPassword(name, password)
	return name, u.String()
}

func randomHex(t *testing.T, n int) string {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

func ident(name string) string { return pgx.Identifier{name}.Sanitize() }

func mustExec(t *testing.T, q *pgxpool.Pool, sql string, args ...any) {
	t.Helper()
	if _, err := q.Exec(context.Background(), sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func scan[T any](t *testing.T, q *pgxpool.Pool, sql string, args ...any) T {
	t.Helper()
	var v T
	if err := q.QueryRow(context.Background(), sql, args...).Scan(&v); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return v
}

// refused runs sql on q and wants it refused with SQLSTATE code and a
// message containing msg. msg is a part that PostgreSQL 15 to 18 all
// write (a refused REFRESH, for one, says "must be owner of materialized
// view V" before 17 and "permission denied for materialized view V" from
// 17: pass "materialized view V").
func refused(t *testing.T, q *pgxpool.Pool, code, msg, sql string, args ...any) {
	t.Helper()
	_, err := q.Exec(context.Background(), sql, args...)
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != code || !strings.Contains(pgErr.Message, msg) {
		t.Errorf("%s: err = %v; want SQLSTATE %s, %q", sql, err, code, msg)
	}
}

const (
	denied     = "42501" // insufficient_privilege
	invalidArg = "22023" // invalid_parameter_value
)

// hasMaintain tells whether the server has PostgreSQL 17's MAINTAIN
// privilege, with which the writer refreshes gold (db/functions/refresh.sql).
func hasMaintain(t *testing.T, q *pgxpool.Pool) bool {
	t.Helper()
	return scan[int](t, q, "SELECT current_setting('server_version_num')::int") >= 170000
}

func migrateUp(t *testing.T, dsn string) {
	t.Helper()
	err := migrate.Up(context.Background(), dsn, migrate.Files{
		FS: schema.FS, MigrationsDir: schema.MigrationsDir, FunctionsDir: schema.FunctionsDir, ViewsDir: schema.ViewsDir,
	}, io.Discard, quiet)
	if err != nil {
		t.Fatalf("loader migrate: %v", err)
	}
}

// syncer is a Syncer with the loader's defaults but keepRuns.
func syncer(t *testing.T, pool *pgxpool.Pool, src extract.Source, keepRuns int) *pipeline.Syncer {
	t.Helper()
	contracts, err := fs.Sub(schema.FS, schema.ContractsDir)
	if err != nil {
		t.Fatal(err)
	}
	return &pipeline.Syncer{
		Pool: pool, Source: src, Resources: resources.All, Contracts: contracts,
		Options: pipeline.Options{MaxDeleteFraction: 0.1, KeepRuns: keepRuns},
		Logger:  quiet,
	}
}

// rocketNames is what gold says the rockets are called.
func rocketNames(t *testing.T, q *pgxpool.Pool) []string {
	t.Helper()
	rows, err := q.Query(context.Background(), "SELECT rocket_name FROM gold.rocket_cost_efficiency ORDER BY 1")
	if err != nil {
		t.Fatal(err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return names
}

// The writer runs every kind of sync: a first load, a no-op, a change that
// refreshes gold, a replay, and a prune of landing. With TEMP
// revoked from PUBLIC, as some DBAs do, it still stages its promotion in
// temporary tables, by the grant loader migrate gives it.
func TestWriterRunsEveryKindOfSync(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := context.Background()
	dbName := scan[string](t, e.owner, "SELECT current_database()")
	mustExec(t, e.owner, "REVOKE TEMPORARY ON DATABASE "+ident(dbName)+" FROM PUBLIC")
	migrateUp(t, e.dsn)
	if scan[bool](t, e.owner, "SELECT has_database_privilege($1, current_database(), 'TEMPORARY')", e.analystName) {
		t.Fatal("TEMPORARY is still granted to PUBLIC: the test proves nothing about the writer's own grant")
	}

	first, err := syncer(t, e.writer, extract.Dir(snapshot), 10).Sync(ctx)
	if err != nil {
		t.Fatalf("first sync as the writer: %v", err)
	}
	// Every gold view, each through meta.refresh_view.
	views := scan[[]string](t, e.owner, `SELECT array_agg(a.name ORDER BY a.name) FROM meta.applied_sql a
		JOIN pg_class c ON c.oid = to_regclass(a.name) WHERE a.kind = 'view' AND c.relkind = 'm'`)
	if !slices.Contains(views, goldView) || !slices.Equal(first.ViewsRefreshed, views) {
		t.Errorf("first sync refreshed %v, want every gold view: %v", first.ViewsRefreshed, views)
	}
	if n := scan[int64](t, e.owner, "SELECT count(*) FROM bronze.launches"); n != 205 {
		t.Errorf("bronze.launches has %d rows after the first sync, want 205", n)
	}
	want := rocketNames(t, e.owner)
	if !slices.Contains(want, "Falcon 9") {
		t.Fatalf("gold after the first sync: %v, want Falcon 9 among them", want)
	}

	noop, err := syncer(t, e.writer, extract.Dir(snapshot), 10).Sync(ctx)
	if err != nil {
		t.Fatalf("no-op sync as the writer: %v", err)
	}
	for _, r := range noop.Resources {
		if r.Changed() {
			t.Errorf("no-op sync changed %s: %+v", r.Resource, r.Counts)
		}
	}
	if len(noop.ViewsRefreshed) != 0 {
		t.Errorf("no-op sync refreshed %v", noop.ViewsRefreshed)
	}

	// A renamed rocket: gold is refreshed, through meta.refresh_view.
	rockets, err := os.ReadFile(filepath.Join(snapshot, "v4", "rockets.json"))
	if err != nil {
		t.Fatal(err)
	}
	renamed := strings.Replace(string(rockets), `"name": "Falcon 9"`, `"name": "Falcon 9 Renamed"`, 1)
	if renamed == string(rockets) {
		t.Fatal("rockets.json: the rename did not apply")
	}
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(snapshot)); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "v4", "rockets.json"), []byte(renamed), 0o644); err != nil {
		t.Fatal(err)
	}
	changed, err := syncer(t, e.writer, extract.Dir(dir), 10).Sync(ctx)
	if err != nil {
		t.Fatalf("sync of a change as the writer: %v", err)
	}
	if !slices.Contains(changed.ViewsRefreshed, goldView) {
		t.Errorf("sync of a change refreshed %v, want %s among them", changed.ViewsRefreshed, goldView)
	}
	if got := rocketNames(t, e.analyst); !slices.Contains(got, "Falcon 9 Renamed") {
		t.Errorf("gold after the change: %v, want Falcon 9 Renamed", got)
	}

	replay, err := syncer(t, e.writer, nil, 10).Replay(ctx, first.RunID)
	if err != nil {
		t.Fatalf("replay of run %d as the writer: %v", first.RunID, err)
	}
	if !slices.Contains(replay.ViewsRefreshed, goldView) {
		t.Errorf("replay refreshed %v, want %s among them", replay.ViewsRefreshed, goldView)
	}
	if got := rocketNames(t, e.analyst); !slices.Equal(got, want) {
		t.Errorf("gold after replaying run %d: %v, want %v", first.RunID, got, want)
	}

	// The change's extract of rockets is read by no run but the change
	// itself: a sync keeping one run drops it, and the renamed rocket only
	// it named, as the writer.
	hasRun := "SELECT landing.has_extract($1, 'rockets')"
	if !scan[bool](t, e.writer, hasRun, changed.RunID) {
		t.Fatalf("run %d's extract of rockets is gone before the prune", changed.RunID)
	}
	renamedDoc := "SELECT count(*) FROM landing.contents WHERE doc ->> 'name' = 'Falcon 9 Renamed'"
	if n := scan[int64](t, e.writer, renamedDoc); n != 1 {
		t.Fatalf("landing holds the renamed rocket %d times before the prune, want 1", n)
	}
	pruning, err := syncer(t, e.writer, extract.Dir(snapshot), 1).Sync(ctx)
	if err != nil {
		t.Fatalf("sync keeping 1 run as the writer: %v", err)
	}
	if scan[bool](t, e.writer, hasRun, changed.RunID) {
		t.Errorf("run %d's extract of rockets was not pruned by run %d (--keep-runs 1)", changed.RunID, pruning.RunID)
	}
	if n := scan[int64](t, e.writer, renamedDoc); n != 0 {
		t.Errorf("landing holds the renamed rocket %d times after the prune, want 0", n)
	}
	if !scan[bool](t, e.writer, hasRun, first.RunID) {
		t.Errorf("run %d's extract of rockets was pruned, but run %d reads it", first.RunID, pruning.RunID)
	}
	statuses := scan[[]string](t, e.owner, "SELECT array_agg(status ORDER BY run_id) FROM meta.runs")
	if !slices.Equal(statuses, []string{"succeeded", "succeeded", "succeeded", "succeeded", "succeeded"}) {
		t.Errorf("meta.runs statuses %v, want 5 succeeded", statuses)
	}

	// The writer reads landing's documents through the view too.
	if n := scan[int64](t, e.writer, "SELECT count(*) FROM landing.documents WHERE run_id = $1", first.RunID); n == 0 {
		t.Errorf("the writer reads no documents of run %d from landing.documents", first.RunID)
	}

	// After all that, the writer still owns nothing.
	owned := scan[[]string](t, e.owner, `
		SELECT coalesce(array_agg(what), '{}') FROM (
			SELECT 'relation ' || oid::regclass::text AS what FROM pg_class WHERE relowner = ANY ($1::regrole[])
			UNION ALL SELECT 'function ' || oid::regprocedure::text FROM pg_proc WHERE proowner = ANY ($1::regrole[])
			UNION ALL SELECT 'schema ' || nspname::text FROM pg_namespace WHERE nspowner = ANY ($1::regrole[])
			UNION ALL SELECT 'type ' || oid::regtype::text FROM pg_type WHERE typowner = ANY ($1::regrole[])
		) o`, []string{e.writerName, writerRole})
	if len(owned) != 0 {
		t.Errorf("the writer owns %v", owned)
	}
}

// The writer cannot change the schema, refresh a gold view loader migrate
// did not apply, or make the function refresh anything else.
func TestWriterHasNoDDL(t *testing.T) {
	t.Parallel()
	e := setup(t)
	// A materialized view loader migrate did not apply; loader migrate
	// grants what it grants on what exists, and still nothing on it.
	mustExec(t, e.owner, "CREATE MATERIALIZED VIEW gold.rogue AS SELECT 1 AS one")
	migrateUp(t, e.dsn)

	cases := []struct {
		sql, code, msg string
	}{
		{"CREATE TABLE landing.x (i int)", denied, "permission denied for schema landing"},
		{"CREATE TABLE bronze.x (i int)", denied, "permission denied for schema bronze"},
		{"CREATE TABLE gold.x (i int)", denied, "permission denied for schema gold"},
		{"CREATE TABLE meta.x (i int)", denied, "permission denied for schema meta"},
		{"CREATE TABLE public.x (i int)", denied, "permission denied for schema public"},
		{"CREATE VIEW gold.x AS SELECT 1", denied, "permission denied for schema gold"},
		{"CREATE FUNCTION bronze.x() RETURNS int LANGUAGE sql RETURN 1", denied, "permission denied for schema bronze"},
		{"CREATE SCHEMA x", denied, "permission denied for database"},
		{"DROP TABLE bronze.rockets", denied, "must be owner of table rockets"},
		{"ALTER TABLE bronze.rockets ADD COLUMN x int", denied, "must be owner of table rockets"},
		{"CREATE INDEX ON bronze.rockets (name)", denied, "must be owner of table rockets"},
		{"TRUNCATE bronze.rockets", denied, "permission denied for table rockets"},
		{"TRUNCATE meta.runs", denied, "permission denied for table runs"},
		{"DROP TABLE landing.contents", denied, "must be owner of table contents"},
		{"DROP VIEW landing.documents", denied, "must be owner of view documents"},
		{"TRUNCATE landing.contents", denied, "permission denied for table contents"},
		{"TRUNCATE landing.manifests", denied, "permission denied for table manifests"},
		{"INSERT INTO landing.documents (run_id, resource, ordinal, extracted_at, sha256, doc) VALUES (1, 'x', 0, now(), sha256(''), '{}')", "55000", "cannot insert into view"},
		{"REFRESH MATERIALIZED VIEW gold.rogue", denied, "materialized view rogue"},
		{"DROP MATERIALIZED VIEW gold.rocket_cost_efficiency", denied, "must be owner of materialized view rocket_cost_efficiency"},
		{"ALTER MATERIALIZED VIEW gold.rocket_cost_efficiency RENAME TO x", denied, "must be owner of materialized view rocket_cost_efficiency"},
		{"ALTER FUNCTION landing.prune(integer) SECURITY DEFINER", denied, "must be owner of function landing.prune"},
		{"CREATE OR REPLACE FUNCTION meta.refresh_view(p_name text) RETURNS void LANGUAGE sql AS ''", denied, "permission denied for schema meta"},
		{"SELECT meta.apply_grants()", denied, "permission denied for function apply_grants"},
		{"INSERT INTO meta.applied_sql (name, kind, sha256) VALUES ('gold.rogue', 'view', 'x')", denied, "permission denied for table applied_sql"},
		{"UPDATE meta.applied_sql SET sha256 = 'x'", denied, "permission denied for table applied_sql"},
		{"SET ROLE " + scan[string](t, e.owner, "SELECT quote_ident(current_user)"), denied, "permission denied to set role"},
		// The refresh function refreshes applied gold views only, and takes
		// the name as data.
		{"SELECT meta.refresh_view('bronze.rockets')", invalidArg, "is not a materialized view applied by loader migrate"},
		{"SELECT meta.refresh_view('meta.runs')", invalidArg, "is not a materialized view applied by loader migrate"},
		{"SELECT meta.refresh_view('gold.rogue')", invalidArg, "is not a materialized view applied by loader migrate"},
		{"SELECT meta.refresh_view('gold.no_such_view')", invalidArg, "is not a materialized view applied by loader migrate"},
		{"SELECT meta.refresh_view('gold.rocket_cost_efficiency; DROP TABLE bronze.rockets')", invalidArg, "is not a materialized view applied by loader migrate"},
		{"SELECT meta.refresh_view(NULL)", invalidArg, "NULL is not a materialized view"},
		// A prune keeps at least one run.
		{"SELECT landing.prune(0)", invalidArg, "keep at least 1 run"},
		{"SELECT landing.prune(NULL)", invalidArg, "keep at least 1 run"},
	}
	// A gold view loader migrate applied: before PostgreSQL 17 only its
	// owner refreshes it, the writer through meta.refresh_view; from 17
	// the writer holds MAINTAIN on it (TestWriterRefreshesGold).
	for _, sql := range []string{
		"REFRESH MATERIALIZED VIEW gold.rocket_cost_efficiency",
		"REFRESH MATERIALIZED VIEW CONCURRENTLY gold.rocket_cost_efficiency",
	} {
		if hasMaintain(t, e.owner) {
			mustExec(t, e.writer, sql)
		} else {
			cases = append(cases, struct{ sql, code, msg string }{sql, denied, "materialized view rocket_cost_efficiency"})
		}
	}
	for _, c := range cases {
		refused(t, e.writer, c.code, c.msg, c.sql)
	}
	if scan[*string](t, e.owner, "SELECT to_regclass('bronze.rockets')::text") == nil {
		t.Error("bronze.rockets is gone")
	}

	// What it may do instead.
	mustExec(t, e.writer, "SELECT meta.refresh_view($1)", goldView)
	// (Dropped at once: a temporary table outlives the pool's close a
	// little, and would keep the login from being dropped.)
	mustExec(t, e.writer, "CREATE TEMP TABLE scratch (i int) ON COMMIT DROP")
	// Its sessions compress what they write with lz4 where the server was
	// built with it (db.ParseConfig's AfterConnect, which ran on this
	// pool's connections), and may set the compression themselves: pglz
	// is in every build.
	toast := func(conn *pgxpool.Conn) string {
		var v string
		if err := conn.QueryRow(context.Background(), "SHOW default_toast_compression").Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	conn, err := e.writer.Acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	want := "pglz"
	if scan[bool](t, e.owner, "SELECT 'lz4' = ANY (enumvals) FROM pg_settings WHERE name = 'default_toast_compression'") {
		want = "lz4"
	}
	if got := toast(conn); got != want {
		t.Errorf("default_toast_compression = %s for the writer's session, want %s", got, want)
	}
	// It plans each statement afresh and without JIT (db.ParseConfig's
	// sessionSettings), unless its connection string says otherwise.
	setting := func(q interface {
		QueryRow(context.Context, string, ...any) pgx.Row
	}, name string) string {
		var v string
		if err := q.QueryRow(context.Background(), "SELECT current_setting($1)", name).Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	for name, want := range map[string]string{"plan_cache_mode": "force_custom_plan", "jit": "off"} {
		if got := setting(conn, name); got != want {
			t.Errorf("%s = %s for the writer's session, want %s", name, got, want)
		}
	}
	if got := setting(connect(t, e.dsn+"&jit=on"), "jit"); got != "on" {
		t.Errorf("jit = %s for a session whose connection string sets jit=on", got)
	}
	if _, err := conn.Exec(context.Background(), "SET default_toast_compression = pglz"); err != nil {
		t.Errorf("the writer may not set default_toast_compression: %v", err)
	} else if got := toast(conn); got != "pglz" {
		t.Errorf("default_toast_compression = %s after SET ... = pglz, want pglz", got)
	}
	runID := scan[int64](t, e.writer, "INSERT INTO meta.runs (source) VALUES ('test') RETURNING run_id")
	mustExec(t, e.writer, "INSERT INTO landing.contents (sha256, doc) VALUES (sha256(''), '{}')")
	mustExec(t, e.writer, "INSERT INTO landing.manifests (run_id, resource, extracted_at, sha256s) VALUES ($1, 'x', now(), ARRAY[sha256('')])", runID)
	mustExec(t, e.writer, "UPDATE meta.runs SET status = 'failed', finished_at = now(), error = 'test' WHERE run_id = $1", runID)
}

// Every SECURITY DEFINER function of ours pins its search_path and is
// executable by the writer alone; so is meta.refresh_view, a definer only
// before PostgreSQL 17 (TestWriterRefreshesGold).
func TestDefinerFunctionsAreLockedDown(t *testing.T) {
	t.Parallel()
	e := setup(t)
	type fn struct {
		Name                    string
		Config                  []string
		Public, Writer, Analyst bool
	}
	rows, err := e.owner.Query(context.Background(), `
		SELECT p.oid::regprocedure::text, coalesce(p.proconfig, '{}'),
		       has_function_privilege('public', p.oid, 'EXECUTE'),
		       has_function_privilege($1, p.oid, 'EXECUTE'),
		       has_function_privilege($2, p.oid, 'EXECUTE')
		FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
		WHERE n.nspname IN ('landing', 'bronze', 'gold', 'meta', 'public')
		  AND (p.prosecdef OR p.oid = 'meta.refresh_view(text)'::regprocedure)
		ORDER BY 1`, e.writerName, e.analystName)
	if err != nil {
		t.Fatal(err)
	}
	got, err := pgx.CollectRows(rows, pgx.RowToStructByPos[fn])
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range got {
		names = append(names, f.Name)
		if !slices.Equal(f.Config, []string{"search_path=pg_catalog, pg_temp"}) {
			t.Errorf("%s runs with %v, want search_path=pg_catalog, pg_temp only", f.Name, f.Config)
		}
		if f.Public || !f.Writer || f.Analyst {
			t.Errorf("%s: EXECUTE for PUBLIC %v, writer %v, analyst %v; want the writer only", f.Name, f.Public, f.Writer, f.Analyst)
		}
	}
	want := []string{"meta.refresh_view(text)"}
	if !slices.Equal(names, want) {
		t.Errorf("SECURITY DEFINER functions and meta.refresh_view: %v, want %v", names, want)
	}
	// They belong to the migration owner, who owns the objects they change.
	for _, f := range want {
		owner := scan[string](t, e.owner, "SELECT pg_get_userbyid(proowner) FROM pg_proc WHERE oid = $1::regprocedure", f)
		if owner != scan[string](t, e.owner, "SELECT current_user") {
			t.Errorf("%s belongs to %s, not the migration owner", f, owner)
		}
	}
}

// The writer refreshes gold through meta.refresh_view on every version,
// with the rights the server allows. Before PostgreSQL 17 the function is
// SECURITY DEFINER: REFRESH needs ownership, so it runs as the views'
// owner. From 17 it is SECURITY INVOKER and the writer holds MAINTAIN on
// exactly the gold views loader migrate applied: revoked on one view, the
// writer's refresh of it is refused, which it would not be if the function
// still ran as the owner; loader migrate grants it back.
func TestWriterRefreshesGold(t *testing.T) {
	t.Parallel()
	e := setup(t)
	mustExec(t, e.owner, "CREATE MATERIALIZED VIEW gold.rogue AS SELECT 1 AS one")
	migrateUp(t, e.dsn)
	definer := scan[bool](t, e.owner, "SELECT prosecdef FROM pg_proc WHERE oid = 'meta.refresh_view(text)'::regprocedure")
	mustExec(t, e.writer, "SELECT meta.refresh_view($1)", goldView)

	if !hasMaintain(t, e.owner) {
		if !definer {
			t.Error("meta.refresh_view is SECURITY INVOKER before PostgreSQL 17, where the writer cannot refresh a view it does not own")
		}
		refused(t, e.writer, denied, "materialized view rocket_cost_efficiency", "REFRESH MATERIALIZED VIEW "+goldView)
		return
	}
	if definer {
		t.Error("meta.refresh_view is SECURITY DEFINER on PostgreSQL 17 or later, where the writer's MAINTAIN privilege suffices")
	}
	maintained := func() []string {
		return scan[[]string](t, e.owner, `SELECT coalesce(array_agg(c.oid::regclass::text ORDER BY c.oid::regclass::text), '{}') FROM pg_class c
			WHERE c.relnamespace = 'gold'::regnamespace AND c.relkind = 'm' AND has_table_privilege($1, c.oid, 'MAINTAIN')`, writerRole)
	}
	applied := scan[[]string](t, e.owner, `SELECT array_agg(a.name ORDER BY a.name) FROM meta.applied_sql a
		JOIN pg_class c ON c.oid = to_regclass(a.name) WHERE a.kind = 'view' AND c.relkind = 'm'`)
	if got := maintained(); !slices.Equal(got, applied) || !slices.Contains(got, goldView) {
		t.Errorf("%s has MAINTAIN on %v, want the gold views loader migrate applied: %v", writerRole, got, applied)
	}
	if scan[bool](t, e.owner, "SELECT has_table_privilege($1, $2, 'MAINTAIN')", e.analystName, goldView) {
		t.Errorf("the analyst has MAINTAIN on %s", goldView)
	}

	mustExec(t, e.owner, "REVOKE MAINTAIN ON "+goldView+" FROM "+writerRole)
	refused(t, e.writer, denied, "materialized view rocket_cost_efficiency", "SELECT meta.refresh_view($1)", goldView)
	migrateUp(t, e.dsn)
	mustExec(t, e.writer, "SELECT meta.refresh_view($1)", goldView)
	if got := maintained(); !slices.Equal(got, applied) {
		t.Errorf("after loader migrate, %s has MAINTAIN on %v, want %v", writerRole, got, applied)
	}
}

// relations lists the tables and views of a schema.
func relations(t *testing.T, q *pgxpool.Pool, schema string) []string {
	t.Helper()
	rows, err := q.Query(context.Background(), `
		SELECT c.oid::regclass::text FROM pg_class c
		WHERE c.relnamespace = $1::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm')
		ORDER BY 1`, schema)
	if err != nil {
		t.Fatal(err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return names
}

// The analyst reads every bronze table and gold view, and nothing else.
func TestAnalystReadsBronzeAndGoldOnly(t *testing.T) {
	t.Parallel()
	e := setup(t)
	bronze, gold := relations(t, e.owner, "bronze"), relations(t, e.owner, "gold")
	if !slices.Contains(bronze, "bronze.launch_crew") || !slices.Contains(gold, goldView) || len(bronze) < 30 {
		t.Fatalf("bronze %v, gold %v: the schema is not what this test expects", bronze, gold)
	}
	for _, rel := range append(bronze, gold...) {
		scan[int64](t, e.analyst, "SELECT count(*) FROM "+rel)
		if scan[string](t, e.owner, "SELECT relkind::text FROM pg_class WHERE oid = $1::regclass", rel) == "v" {
			// A plain view (gold.freshness) that cannot be written
			// refuses INSERT as such (55000) before privileges are
			// checked: assert the privileges themselves.
			if scan[bool](t, e.owner, "SELECT has_table_privilege($1, $2, 'INSERT, UPDATE, DELETE, TRUNCATE')", e.analystName, rel) {
				t.Errorf("the analyst may write %s", rel)
			}
			continue
		}
		refused(t, e.analyst, denied, "permission denied for", "INSERT INTO "+rel+" DEFAULT VALUES")
		refused(t, e.analyst, denied, "permission denied for", "DELETE FROM "+rel)
	}
	for _, rel := range bronze {
		refused(t, e.analyst, denied, "permission denied for table", "UPDATE "+rel+" SET run_id = run_id")
	}
	for _, c := range []struct{ sql, msg string }{
		{"SELECT count(*) FROM landing.documents", "permission denied for schema landing"},
		{"SELECT count(*) FROM meta.runs", "permission denied for schema meta"},
		{"SELECT count(*) FROM meta.run_resources", "permission denied for schema meta"},
		{"SELECT count(*) FROM meta.applied_sql", "permission denied for schema meta"},
		{"SELECT landing.prune(10)", "permission denied for schema landing"},
		{"SELECT meta.refresh_view('gold.rocket_cost_efficiency')", "permission denied for schema meta"},
		{"REFRESH MATERIALIZED VIEW CONCURRENTLY gold.rocket_cost_efficiency", "materialized view rocket_cost_efficiency"},
		{"REFRESH MATERIALIZED VIEW gold.rocket_cost_efficiency", "materialized view rocket_cost_efficiency"},
		{"CREATE TABLE bronze.x (i int)", "permission denied for schema bronze"},
		{"CREATE TABLE gold.x (i int)", "permission denied for schema gold"},
		{"CREATE TABLE public.x (i int)", "permission denied for schema public"},
		{"SET ROLE spacex_writer", "permission denied to set role"},
	} {
		refused(t, e.analyst, denied, c.msg, c.sql)
	}
	// Denied by the functions' own grants too, not only by the schema.
	for _, f := range []string{"landing.has_extract(bigint,text)", "landing.prune(integer)", "meta.refresh_view(text)"} {
		if scan[bool](t, e.owner, "SELECT has_function_privilege($1, $2, 'EXECUTE')", e.analystName, f) {
			t.Errorf("the analyst may execute %s", f)
		}
	}
	for _, s := range []string{"landing", "meta"} {
		if scan[bool](t, e.owner, "SELECT has_schema_privilege($1, $2, 'USAGE')", e.analystName, s) {
			t.Errorf("the analyst has USAGE on schema %s", s)
		}
	}
}

// Grants survive loader migrate re-creating a view, come back when lost,
// and cover what the migration owner creates later.
func TestGrantsSurviveLoaderMigrate(t *testing.T) {
	t.Parallel()
	e := setup(t)
	oid := func() uint32 { return scan[uint32](t, e.owner, "SELECT $1::regclass::oid", goldView) }
	before := oid()
	mustExec(t, e.owner, "UPDATE meta.applied_sql SET sha256 = 'stale' WHERE name = $1", goldView)
	migrateUp(t, e.dsn)
	if oid() == before {
		t.Fatalf("loader migrate did not re-create %s", goldView)
	}
	scan[int64](t, e.analyst, "SELECT count(*) FROM "+goldView)
	scan[int64](t, e.writer, "SELECT count(*) FROM "+goldView)
	mustExec(t, e.writer, "SELECT meta.refresh_view($1)", goldView)

	// Grants lost (revoked by hand, or a view made by another path) come
	// back with the next loader migrate, although no file changed.
	mustExec(t, e.owner, "REVOKE ALL ON "+goldView+" FROM spacex_writer, spacex_analyst")
	mustExec(t, e.owner, "REVOKE ALL ON bronze.rockets FROM spacex_writer, spacex_analyst")
	refused(t, e.analyst, denied, "permission denied for materialized view", "SELECT count(*) FROM "+goldView)
	refused(t, e.writer, denied, "permission denied for table rockets", "SELECT count(*) FROM bronze.rockets")
	migrateUp(t, e.dsn)
	scan[int64](t, e.analyst, "SELECT count(*) FROM "+goldView)
	scan[int64](t, e.analyst, "SELECT count(*) FROM bronze.rockets")
	mustExec(t, e.writer, "DELETE FROM bronze.rockets WHERE false")

	// What the migration owner creates from now on (a new migration's
	// table, a view) has its grants at once, by default privileges.
	mustExec(t, e.owner, "CREATE TABLE bronze.later (id text PRIMARY KEY, n integer GENERATED ALWAYS AS IDENTITY)")
	mustExec(t, e.owner, "CREATE TABLE landing.later (id text)")
	mustExec(t, e.owner, "CREATE MATERIALIZED VIEW gold.later AS SELECT 1 AS one")
	mustExec(t, e.writer, "INSERT INTO bronze.later (id) VALUES ('a')")
	mustExec(t, e.writer, "INSERT INTO landing.later (id) VALUES ('a')")
	if n := scan[int64](t, e.analyst, "SELECT count(*) FROM bronze.later"); n != 1 {
		t.Errorf("the analyst sees %d rows of bronze.later, want 1", n)
	}
	scan[int64](t, e.analyst, "SELECT count(*) FROM gold.later")
	scan[int64](t, e.writer, "SELECT count(*) FROM gold.later")
	refused(t, e.analyst, denied, "permission denied for table later", "INSERT INTO bronze.later (id) VALUES ('b')")
	refused(t, e.analyst, denied, "permission denied for schema landing", "SELECT count(*) FROM landing.later")
	refused(t, e.writer, denied, "permission denied for materialized view later", "DELETE FROM gold.later")
}

// The roles migration applies to a database of a cluster that already
// has the roles, leaves them alone, and its down migration revokes what
// it granted but leaves the roles, which other databases may use.
func TestRolesMigrationOnASecondDatabase(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	first := connect(t, pgtest.DSN(t)) // its template's migration made the roles
	roleOIDs := func(q *pgxpool.Pool) []uint32 {
		return scan[[]uint32](t, q, "SELECT array_agg(oid ORDER BY rolname) FROM pg_roles WHERE rolname IN ('spacex_writer', 'spacex_analyst')")
	}
	roles := roleOIDs(first)
	if len(roles) != 2 {
		t.Fatalf("roles %v after the first database's migration, want 2", roles)
	}

	dsn := pgtest.EmptyDSN(t)
	migrateUp(t, dsn)
	second := connect(t, dsn)
	if got := roleOIDs(second); !slices.Equal(got, roles) {
		t.Errorf("role oids %v after the second database's migration, want the same %v", got, roles)
	}
	granted := func() []bool {
		return scan[[]bool](t, second, `SELECT ARRAY[
			has_schema_privilege('spacex_writer', 'landing', 'USAGE'),
			has_table_privilege('spacex_writer', 'bronze.launches', 'INSERT'),
			has_table_privilege('spacex_analyst', 'gold.rocket_cost_efficiency', 'SELECT'),
			EXISTS (SELECT FROM pg_default_acl d, aclexplode(d.defaclacl) a
			        WHERE a.grantee IN ('spacex_writer'::regrole, 'spacex_analyst'::regrole))]`)
	}
	if got := granted(); !slices.Equal(got, []bool{true, true, true, true}) {
		t.Errorf("privileges in the second database: %v, want all granted", got)
	}

	// Roll back to before the roles migration (and whatever came after it).
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	m := dbmate.New(u)
	m.FS, m.MigrationsDir, m.AutoDumpSchema, m.Log = schema.FS, []string{schema.MigrationsDir}, false, io.Discard
	for scan[string](t, second, "SELECT max(version) FROM schema_migrations") >= "20261128220000" {
		if err := m.Rollback(); err != nil {
			t.Fatalf("dbmate rollback: %v", err)
		}
	}
	if got := granted(); !slices.Equal(got, []bool{false, false, false, false}) {
		t.Errorf("privileges after the roles migration's down: %v, want none", got)
	}
	if got := roleOIDs(second); !slices.Equal(got, roles) {
		t.Errorf("role oids %v after the down migration, want them kept: %v", got, roles)
	}
	if _, err := second.Exec(ctx, "SELECT meta.apply_grants()"); err == nil {
		t.Error("meta.apply_grants survived the down migration")
	}
	migrateUp(t, dsn)
	if got := granted(); !slices.Equal(got, []bool{true, true, true, true}) {
		t.Errorf("privileges after migrating up again: %v, want all granted", got)
	}
}
