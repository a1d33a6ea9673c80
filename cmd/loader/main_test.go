package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	schema "github.com/spacex-elt/loader/db"
	"github.com/spacex-elt/loader/internal/fakeapi"
	"github.com/spacex-elt/loader/internal/pgtest"
	"github.com/spacex-elt/loader/internal/resources"
)

const snapshot = "../../testdata/spacex-api"

// testPassword is the password of the made-up connection strings the tests
// check the output for; made at run time, so that no password is written
// in the repository.
var testPassword = "pw-" + rand.Text()

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// loader runs the command in-process with only env as its environment.
func loader(t *testing.T, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, &out, &errOut, func(k string) string { return env[k] })
	return code, out.String(), errOut.String()
}

func TestHelp(t *testing.T) {
	t.Parallel()
	cases := []struct {
		args []string
		want []string
	}{
		{[]string{"--help"}, []string{"loader migrate", "loader sync", "Exit codes:"}},
		{[]string{"help", "sync"}, []string{"-source DIR", "-api-url URL", "-retries", "-retry-delay", "-http-timeout", "-database-url DSN", "DATABASE_URL", "PGHOST", "Exit codes:"}},
		{[]string{"sync", "--help"}, append([]string{"-source DIR", "meta.runs", "If-None-Match", "ETag"}, resources.Names()...)},
		{[]string{"migrate", "-h"}, []string{"-database-url DSN", "schema_migrations", "only its owner can take", "Exit codes:"}},
		{[]string{"help", "replay"}, []string{"loader replay [flags] RUN_ID", "-keep-runs", "-force-deletes", "130"}},
	}
	env := map[string]string{"DATABASE_URL": "postgres://loader:" + testPassword + "@db.internal/spacex"}
	for _, tc := range cases {
		code, out, errOut := loader(t, env, tc.args...)
		if strings.Contains(out+errOut, testPassword) {
			t.Errorf("%v: help shows the password from DATABASE_URL", tc.args)
		}
		if code != 0 {
			t.Errorf("%v: exit %d, want 0 (stderr %q)", tc.args, code, errOut)
		}
		for _, w := range tc.want {
			if !strings.Contains(out, w) {
				t.Errorf("%v: help lacks %q:\n%s", tc.args, w, out)
			}
		}
	}
}

// TestHelpFitsIn80Columns: no line of the main help or of any command's
// --help is wider than 80 columns, a tab taking it to the next multiple of 8
// (flag.PrintDefaults' usage lines ran past it).
func TestHelpFitsIn80Columns(t *testing.T) {
	t.Parallel()
	helps := [][]string{{"help"}, {"--version", "--help"}}
	for _, c := range commands {
		helps = append(helps, []string{c.name, "--help"})
	}
	for _, args := range helps {
		code, out, errOut := loader(t, nil, args...)
		if code != 0 || out == "" {
			t.Fatalf("%v: exit %d, stdout %q, stderr %q", args, code, out, errOut)
		}
		for line := range strings.SplitSeq(out, "\n") {
			cols := 0
			for _, r := range line {
				if cols++; r == '\t' {
					cols = (cols + 7) / 8 * 8
				}
			}
			if cols > 80 {
				t.Errorf("%v: a line of %d columns: %q", args, cols, line)
			}
		}
	}
}

// TestHelpListsItsExitCodes: a command's --help lists the exit codes it can
// return and no other; the main help lists them all.
func TestHelpListsItsExitCodes(t *testing.T) {
	t.Parallel()
	want := map[string][]string{
		"":         {"0", "1", "2", "3", "4", "130"},
		"migrate":  {"0", "1", "2", "130"},
		"sync":     {"0", "1", "2", "3", "4", "130"},
		"replay":   {"0", "1", "2", "3", "4", "130"},
		"check":    {"0", "1", "2", "4", "130"},
		"snapshot": {"0", "1", "2", "130"},
		"runs":     {"0", "1", "2", "130"},
		"status":   {"0", "1", "2", "130"},
		"report":   {"0", "1", "2", "130"},
		"version":  {"0", "1", "2"},
	}
	if len(want) != len(commands)+1 {
		t.Fatalf("want lists %d commands, the table has %d", len(want)-1, len(commands))
	}
	for name, codes := range want {
		_, out, _ := loader(t, nil, "help", name)
		if name == "" {
			_, out, _ = loader(t, nil, "help")
		}
		_, list, ok := strings.Cut(out, "\nExit codes:\n")
		if !ok {
			t.Errorf("%q: no Exit codes section:\n%s", name, out)
			continue
		}
		var got []string
		for line := range strings.SplitSeq(list, "\n") {
			if f := strings.Fields(line); len(f) > 0 && line[2] != ' ' {
				got = append(got, f[0])
			}
		}
		if !slices.Equal(got, codes) {
			t.Errorf("loader %s --help lists exit codes %v, want %v:\n%s", name, got, codes, list)
		}
	}
	// Interrupted, a command exits with a code its help lists: 130, for a
	// writer (migrate) as for a reader (runs); version, which lists no 130
	// (its database part is optional), 0.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for name, code := range map[string]int{"migrate": exitCancelled, "runs": exitCancelled, "version": exitOK} {
		if got := run(ctx, []string{name, "--database-url", "postgres://loader@127.0.0.1:1/spacex"}, io.Discard, io.Discard, func(string) string { return "" }); got != code {
			t.Errorf("loader %s, interrupted: exit %d, want %d", name, got, code)
		}
	}
}

func TestUsageErrorsExit2(t *testing.T) {
	t.Parallel()
	cases := []struct {
		args []string
		want string
	}{
		{nil, "Usage:"},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"sync", "--no-such-flag"}, "flag provided but not defined: -no-such-flag"},
		{[]string{"sync", "--source", "x", "--api-url", "http://127.0.0.1:1"}, "--source and --api-url exclude each other"},
		{[]string{"sync", "--source", "/does/not/exist"}, "--source /does/not/exist: not a directory"},
		{[]string{"sync", "--log-format", "xml"}, `--log-format "xml"`},
		{[]string{"migrate", "extra"}, `unexpected argument "extra"`},
		{[]string{"replay"}, "want 1 argument(s), got 0"},
		{[]string{"replay", "abc"}, `RUN_ID "abc"`},
		{[]string{"sync", "--contract", "maybe"}, `--contract "maybe"`},
		{[]string{"sync", "--max-delete-fraction", "1.5"}, "--max-delete-fraction 1.5"},
		{[]string{"sync", "--keep-runs", "0"}, "--keep-runs 0"},
		{[]string{"sync", "--retry-delay", "0s"}, "--retry-delay 0s"},
		{[]string{"sync", "--api-url", "api.spacexdata.com"}, "want an http:// or https:// URL"},
	}
	for _, tc := range cases {
		code, _, errOut := loader(t, nil, tc.args...)
		if code != 2 || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, code, errOut, tc.want)
		}
	}
}

func TestBadDSNIsClearAndHidesPassword(t *testing.T) {
	t.Parallel()
	dsn := "postgres://loader:" + testPassword + "@127.0.0.1:1/spacex?connect_timeout=2"
	for _, cmd := range []string{"migrate", "sync"} {
		code, out, errOut := loader(t, map[string]string{"DATABASE_URL": dsn}, cmd, "--source", snapshot)
		if cmd == "migrate" {
			code, out, errOut = loader(t, map[string]string{"DATABASE_URL": dsn}, cmd)
		}
		if code != 1 {
			t.Errorf("%s: exit %d, want 1", cmd, code)
		}
		if !strings.Contains(errOut, "loader "+cmd+": connect to postgres://loader@127.0.0.1:1/spacex") {
			t.Errorf("%s: stderr %q does not name the server", cmd, errOut)
		}
		if strings.Contains(out+errOut, testPassword) {
			t.Errorf("%s: output shows the password:\n%s\n%s", cmd, out, errOut)
		}
	}
	code, _, errOut := loader(t, map[string]string{"DATABASE_URL": "postgres://loader:" + testPassword + "@127.0.0.1:notaport/x"}, "migrate")
	if code != 2 || !strings.Contains(errOut, "DATABASE_URL") || strings.Contains(errOut, testPassword) {
		t.Errorf("unparseable DSN: exit %d, stderr %q; want 2, naming DATABASE_URL, no password", code, errOut)
	}
}

// TestDSNWithSpaceOrBarePasswordHidesIt (issue 13, item 4): a key=value
// password with a space in it, quoted or not, and a bare password pasted as
// the whole DSN, show in no part of the output.
func TestDSNWithSpaceOrBarePasswordHidesIt(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, dsn string
		code      int
		want      string
	}{
		// Unquoted, pgx cannot parse it; it masked only the first word.
		{"unquoted space", "host=127.0.0.1 port=1 user=loader password=Sup3r " + testPassword, 2,
			"loader migrate: --database-url / DATABASE_URL: invalid database connection string: "},
		{"quoted space", "host=127.0.0.1 port=1 user=loader password='Sup3r " + testPassword + "' connect_timeout=2", 1,
			"loader migrate: connect to postgres://loader@127.0.0.1:1/"},
		{"bare password", testPassword, 2,
			"loader migrate: --database-url / DATABASE_URL: invalid database connection string: "},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, out, errOut := loader(t, map[string]string{"DATABASE_URL": tc.dsn}, "migrate")
			if code != tc.code || !strings.Contains(errOut, tc.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errOut, tc.code, tc.want)
			}
			if strings.Contains(out+errOut, testPassword) {
				t.Errorf("output shows the password:\n%s%s", out, errOut)
			}
		})
	}
}

// TestMigrateAndSyncOverHTTP runs the commands end to end against a local
// server with the snapshot at the API's paths, with a password-protected
// role, at debug level, and checks that the password shows nowhere.
func TestMigrateAndSyncOverHTTP(t *testing.T) {
	t.Parallel()
	dsn := pgtest.EmptyDSN(t)
	u, _ := url.Parse(dsn)
	password, ok := u.User.Password()
	if !ok || len(password) < 4 {
		t.Fatalf("test role has no usable password in %s", dsn)
	}
	env := map[string]string{"DATABASE_URL": dsn, "LOADER_LOG_LEVEL": "debug"}

	api := fakeapi.New(snapshot)
	var failLaunches atomic.Bool
	api.Fault = func(p string, _ int) http.HandlerFunc {
		if failLaunches.Load() && p == "/v5/launches" {
			return func(w http.ResponseWriter, _ *http.Request) { http.Error(w, "boom", http.StatusInternalServerError) }
		}
		return nil
	}
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)

	var all strings.Builder
	step := func(wantCode int, args ...string) string {
		t.Helper()
		code, out, errOut := loader(t, env, args...)
		all.WriteString(out + errOut)
		if code != wantCode {
			t.Fatalf("%v: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", args, code, wantCode, out, errOut)
		}
		return out + errOut
	}
	step(0, "migrate")
	step(0, "migrate") // a rerun is a no-op
	out := step(0, "sync", "--api-url", srv.URL, "--retries", "0")
	// The first sync changes every table, so it refreshes every gold view.
	views, err := fs.Glob(schema.FS, schema.ViewsDir+"/gold.*.sql")
	if err != nil || len(views) == 0 {
		t.Fatalf("view files %v: %v", views, err)
	}
	for i, f := range views {
		views[i] = strings.TrimSuffix(strings.TrimPrefix(f, schema.ViewsDir+"/"), ".sql")
	}
	for _, line := range []string{
		"rockets   landed        4         4        0          0        0        0",
		"launches   landed      205       205        0          0        0        0",
		"gold views refreshed: " + strings.Join(views, ", ") + "\n",
	} {
		if !strings.Contains(out, line) {
			t.Errorf("summary lacks %q:\n%s", line, out)
		}
	}
	// The API answers 304 to the second sync's conditional requests.
	out = step(0, "sync", "--api-url", srv.URL, "--retries", "0", "--log-format", "json")
	for _, line := range []string{
		"payloads  not modified      225         0        0        225        0        0",
		"gold views refreshed: none",
		`"msg":"run succeeded"`,
	} {
		if !strings.Contains(out, line) {
			t.Errorf("second sync summary or JSON log lacks %q:\n%s", line, out)
		}
	}
	for _, r := range resources.All {
		got := api.Statuses(r.Path)
		if _, err := api.Snapshot(r.Path); err != nil {
			// Not in the snapshot (starlink): a 404 each time, absent.
			if got[http.StatusNotFound] != 2 || len(got) != 1 {
				t.Errorf("%s answered %v, want two 404s", r.Path, got)
			}
			continue
		}
		if got[http.StatusOK] != 1 || got[http.StatusNotModified] != 1 {
			t.Errorf("%s answered %v, want one 200 and one 304", r.Path, got)
		}
	}

	failLaunches.Store(true)
	out = step(1, "sync", "--api-url", srv.URL, "--retries", "1", "--retry-delay", "1ms")
	if !strings.Contains(out, "resource launches") || !strings.Contains(out, "HTTP 500") {
		t.Errorf("failed sync does not name the resource and status:\n%s", out)
	}
	if strings.Contains(all.String(), password) {
		t.Errorf("the database password appears in the output:\n%s", all.String())
	}
}

// TestPGEnvironment configures the database only through the standard PG*
// variables, which both pgx and the dbmate URL built from them must honour.
// Not parallel: it sets process environment.
func TestPGEnvironment(t *testing.T) {
	u, err := url.Parse(pgtest.EmptyDSN(t))
	if err != nil {
		t.Fatal(err)
	}
	password, _ := u.User.Password()
	t.Setenv("PGHOST", u.Hostname())
	t.Setenv("PGPORT", u.Port())
	t.Setenv("PGUSER", u.User.Username())
	t.Setenv("PGPASSWORD", password)
	t.Setenv("PGDATABASE", strings.TrimPrefix(u.Path, "/"))
	t.Setenv("PGSSLMODE", "disable")

	for _, args := range [][]string{{"migrate"}, {"sync", "--source", snapshot}} {
		code, out, errOut := loader(t, nil, args...)
		if code != 0 {
			t.Fatalf("%v: exit %d\n%s%s", args, code, out, errOut)
		}
		if strings.Contains(out+errOut, password) {
			t.Errorf("%v: output shows PGPASSWORD", args)
		}
	}
}

// TestNoDatabaseGiven (issue 13, item 14): with DATABASE_URL unset and no
// PG* variable, every command that needs a database says so, exit 1,
// instead of failing to reach a default socket nobody named. Not parallel:
// it clears process environment, which pgx reads.
func TestNoDatabaseGiven(t *testing.T) {
	for _, v := range []string{"PGHOST", "PGPORT", "PGUSER", "PGPASSWORD", "PGDATABASE", "PGSERVICE"} {
		t.Setenv(v, "")
	}
	for _, args := range [][]string{{"migrate"}, {"sync", "--source", snapshot}, {"status"}, {"runs"}, {"check"}, {"report", "--out", filepath.Join(t.TempDir(), "r.html")}, {"replay", "1"}} {
		code, out, errOut := loader(t, nil, args...)
		want := "loader " + args[0] + ": no database given: neither --database-url / DATABASE_URL nor any PG* variable"
		if code != exitFailed || !strings.Contains(errOut, want) || strings.Contains(errOut, "connect to") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 1 and %q", args, code, out, errOut, want)
		}
	}
	// A sync reports it as the failed run it is: JSON summary and
	// notification, as for a database it cannot reach.
	var posts atomic.Int32
	hook := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { posts.Add(1) }))
	t.Cleanup(hook.Close)
	code, out, errOut := loader(t, nil, "sync", "--source", snapshot, "--output", "json", "--notify-url", hook.URL)
	if code != exitFailed || !strings.Contains(out, `"status": "failed"`) || !strings.Contains(out, "no database given") || posts.Load() != 1 {
		t.Errorf("sync --output json --notify-url: exit %d, %d notification(s), stdout %q, stderr %q; want 1, one, a failed summary naming it",
			code, posts.Load(), out, errOut)
	}
	// One PG* variable is enough to mean the rest are libpq's defaults.
	t.Setenv("PGHOST", "127.0.0.1")
	t.Setenv("PGPORT", "1")
	code, _, errOut = loader(t, nil, "migrate")
	if code != exitFailed || !strings.Contains(errOut, "loader migrate: connect to postgres://") {
		t.Errorf("PGHOST set: exit %d, stderr %q; want 1 and a connection error", code, errOut)
	}
}

// TestUnmigratedDatabase (issue 13, item 13): against a database with
// nothing applied, and one an older loader migrated (its newest migration
// missing), every verb that reads the loader's tables says once, on one
// line, that the database is not migrated and to run loader migrate, and
// exits 1: no raw `relation "meta.runs" does not exist`, and no check run
// (loader check printed 63 ERROR lines, twice). loader status still
// reports it without failing.
func TestUnmigratedDatabase(t *testing.T) {
	t.Parallel()
	older := pgtest.DSN(t)
	owner := pgtest.Pool(t, older)
	if _, err := owner.Exec(context.Background(),
		"DELETE FROM schema_migrations WHERE version = (SELECT max(version) FROM schema_migrations)"); err != nil {
		t.Fatal(err)
	}
	// Migrated by the dbmate CLI alone: every migration, but none of the
	// function and view files loader migrate applies.
	noFiles := pgtest.DSN(t)
	if _, err := pgtest.Pool(t, noFiles).Exec(context.Background(), "DELETE FROM meta.applied_sql"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, dsn, want string }{
		{"empty", pgtest.EmptyDSN(t), " is not migrated (no schema_migrations table): run loader migrate\n"},
		{"function and view files not applied", noFiles, " is not migrated by this loader ("},
		{"older", older, " is not migrated to this loader (1 of its migrations not applied: "},
		// The analyst may read schema_migrations: told too.
		{"older, as analyst", roleLogin(t, owner, older, "spacex_analyst"), " is not migrated to this loader (1 of its migrations not applied: "},
	} {
		for _, args := range [][]string{
			{"sync", "--source", snapshot}, {"replay", "1"}, {"check"}, {"runs"},
			{"report", "--out", filepath.Join(t.TempDir(), "r.html")},
		} {
			code, out, errOut := loader(t, map[string]string{"DATABASE_URL": tc.dsn}, args...)
			prefix := "loader " + args[0] + ": database postgres://"
			if code != exitFailed || out != "" || strings.Count(errOut, "\n") != 1 || !strings.HasPrefix(errOut, prefix) ||
				!strings.Contains(errOut, tc.want) || !strings.HasSuffix(errOut, ": run loader migrate\n") {
				t.Errorf("%s database, %v: exit %d\nstdout: %q\nstderr: %q\nwant 1 and one line %q…%q", tc.name, args, code, out, errOut, prefix, tc.want)
			}
		}
		if strings.HasSuffix(tc.name, "analyst") {
			continue // status reads meta, which the analyst may not
		}
		if code, out, errOut := loader(t, map[string]string{"DATABASE_URL": tc.dsn}, "status"); code != exitOK || !strings.Contains(out, "loader migrate") {
			t.Errorf("%s database, status: exit %d\n%s%s", tc.name, code, out, errOut)
		}
	}
}

// TestAPIURLWithQueryOrFragmentRefused (issue 13, item 3): a query or
// fragment in the API's base URL, from the flag or SPACEX_API_URL, is
// refused with exit 2, naming both, without showing what followed ? or #.
func TestAPIURLWithQueryOrFragmentRefused(t *testing.T) {
	t.Parallel()
	secret := "tok-" + rand.Text()
	want := "--api-url / SPACEX_API_URL: want a base URL without a query (?…) or fragment (#…)"
	for _, u := range []string{"http://127.0.0.1:1/base?tok=" + secret, "http://127.0.0.1:1/base#" + secret} {
		for _, args := range [][]string{
			{"sync", "--retries", "0", "--api-url", u},
			{"snapshot", "--retries", "0", "--api-url", u, t.TempDir()},
			{"sync", "--retries", "0"}, // from SPACEX_API_URL
		} {
			env := map[string]string{"DATABASE_URL": "postgres://loader@127.0.0.1:1/spacex", "SPACEX_API_URL": u}
			code, out, errOut := loader(t, env, args...)
			if code != exitUsage || !strings.Contains(errOut, "loader "+args[0]+": "+want) {
				t.Errorf("%v: exit %d, stderr %q; want 2 and %q", args, code, errOut, want)
			}
			if strings.Contains(out+errOut, secret) {
				t.Errorf("%v: output shows the token:\n%s%s", args, out, errOut)
			}
		}
	}
}

// TestEmptyFlagFallsBackToEnvironment: a flag given an empty value, as a
// wrapper script passing "$VAR" may, means unset, so DATABASE_URL still
// names the database.
func TestEmptyFlagFallsBackToEnvironment(t *testing.T) {
	t.Parallel()
	env := map[string]string{"DATABASE_URL": pgtest.EmptyDSN(t)}
	code, out, errOut := loader(t, env, "status", "--database-url", "")
	if code != exitOK || !strings.Contains(out, "schema:      not migrated") {
		t.Fatalf("status --database-url '': exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
	}
}

// TestEncodeJSON pins the bytes every --output json writes: indented by two
// spaces, and API text such as "Galaxy 31 (23R) & 32 (17R)" as it is, not
// as \u0026.
func TestEncodeJSON(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := encodeJSON(&b, map[string]any{"name": "Galaxy 31 (23R) & 32 <b>", "n": []int{1}}); err != nil {
		t.Fatal(err)
	}
	want := "{\n  \"n\": [\n    1\n  ],\n  \"name\": \"Galaxy 31 (23R) & 32 <b>\"\n}\n"
	if b.String() != want {
		t.Errorf("encodeJSON wrote %q, want %q", b.String(), want)
	}
}
