package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	iofs "io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	schema "github.com/spacex-elt/loader/db"
	"github.com/spacex-elt/loader/internal/check"
	"github.com/spacex-elt/loader/internal/pgtest"
)

// checkNames lists the embedded checks, independently of the command.
func checkNames(t *testing.T) []string {
	t.Helper()
	dir, err := iofs.Sub(schema.FS, schema.ChecksDir)
	if err != nil {
		t.Fatal(err)
	}
	checks, err := check.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	names := make([]string, len(checks))
	for i, c := range checks {
		names[i] = c.Name
	}
	return names
}

// reportLines maps each check's name to its report line, words separated
// by single spaces, and returns the summary line.
func reportLines(t *testing.T, out string) (map[string]string, string) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	byName := map[string]string{}
	for _, l := range lines[:len(lines)-1] {
		f := strings.Fields(l)
		if len(f) < 3 || l != strings.TrimRight(l, " ") {
			t.Fatalf("report line %q: want status, name, count and samples, no trailing blanks", l)
		}
		byName[f[1]] = strings.Join(f, " ")
	}
	return byName, lines[len(lines)-1]
}

// syncSnapshot loads dir into a fresh database and returns its URL.
func syncSnapshot(t *testing.T, dir string) string {
	t.Helper()
	dsn := pgtest.DSN(t)
	if code, _, errOut := loader(t, nil, "sync", "--source", dir, "--database-url", dsn); code != 0 {
		t.Fatalf("sync: exit %d: %s", code, errOut)
	}
	return dsn
}

func TestCheckSnapshot(t *testing.T) {
	t.Parallel()
	dsn := syncSnapshot(t, snapshot)
	names := checkNames(t)

	code, out, errOut := loader(t, nil, "check", "--database-url", dsn)
	if code != 0 {
		t.Fatalf("check: exit %d, want 0 (only warns fail on the snapshot)\n%s%s", code, out, errOut)
	}
	lines, summary := reportLines(t, out)
	if len(lines) != len(names) {
		t.Errorf("report has %d check lines, want one per check (%d):\n%s", len(lines), len(names), out)
	}
	// The checks the snapshot fails, all warns (internal/check's tests
	// derive each count from the raw JSON).
	warned := map[string]string{
		"core_launches_agree":                   "3 USSF-44 → B1064 | USSF-44 → B1065 | USSF-44 → B1066",
		"launches_flight_number_unique":         "2 188 | 198",
		"payloads_listed":                       "5 IM-1 Nova-C | Janus | O3b mPower 3.4 | Psyche | Starlink 2-2 (v1.5)",
		"payloads_launch_exists":                "4 IM-1 Nova-C → 61eef7489eb1064137a1bd6f | Janus → 628025222c0aa958437dcf76 | Psyche → 628025222c0aa958437dcf76 | Starlink 2-2 (v1.5) → 6161c7d26db1a92bfba85346",
		"launch_payloads_agree":                 "4 NROL-87 → NROL-87 (Transporter-3) | O3b mPower 3.4 → O3b mPower 1,2 (O3b mPower 1,2) | Starlink 4-36 (v1.5) → Starlink 4-36 (v1.5) (Starlink 4-27 (v1.5)) | TTL-1 → TTL-1 (Starlink 4-27 (v1.5))",
		"payloads_launch_agrees":                "3 O3b mPower 3.4 → O3b mPower 3.4 | Starlink 4-36 (v1.5) → Starlink 4-27 (v1.5) | TTL-1 → Starlink 4-27 (v1.5)",
		"launch_payloads_payload_unique":        "2 NROL-87 | O3b mPower 1,2",
		"launches_date_unix_agrees":             "2 COTS 2 | SSO-A",
		"launches_static_fire_date_unix_agrees": "1 Starlink-6",
		"launches_static_fire_before_launch":    "2 OG-2 Mission 1 | SES-9",
		"launches_date_local_agrees":            "7 ABS-3A / Eutelsat 115W B | CRS-1 | Iridium NEXT Mission 5 | Iridium NEXT Mission 6 | OG-2 Mission 2 (+2 more)",
		"launchpad_launches_agree":              "21 CRS-26 → KSC LC 39A | Crew-5 → KSC LC 39A | Eutelsat 10B → CCSFS SLC 40 | Galaxy 31 (23R) & 32 (17R) → CCSFS SLC 40 | Galaxy 33 (15R) & 34 (12R) → CCSFS SLC 40 (+16 more)",
	}
	for _, n := range names {
		want := "pass " + n + " 0"
		if w, ok := warned[n]; ok {
			want = "WARN " + n + " " + w
		}
		if lines[n] != want {
			t.Errorf("report line:\n got %q\nwant %q", lines[n], want)
		}
	}
	if want := fmt.Sprintf("%d checks: %d passed, %d warned, 0 failed, 0 could not run", len(names), len(names)-len(warned), len(warned)); summary != want {
		t.Errorf("summary %q, want %q", summary, want)
	}

	code, out, errOut = loader(t, nil, "check", "--database-url", dsn, "--output", "json")
	if code != 0 {
		t.Fatalf("check --output json: exit %d\n%s", code, errOut)
	}
	var fields []map[string]any
	if err := json.Unmarshal([]byte(out), &fields); err != nil {
		t.Fatalf("--output json is not JSON: %v\n%s", err, out)
	}
	if len(fields) != len(names) {
		t.Fatalf("%d JSON results, want %d", len(fields), len(names))
	}
	for i, f := range fields {
		for _, k := range []string{"name", "severity", "status", "description", "violations", "samples"} {
			if _, ok := f[k]; !ok {
				t.Errorf("JSON result %d lacks %q: %v", i, k, f)
			}
		}
		// Issue 13 item 18: "error" is always there, null for a check
		// that ran (it used to be left out).
		if v, ok := f["error"]; !ok || v != nil {
			t.Errorf("JSON result %d: want \"error\": null, got %v", i, f)
		}
	}
	var results []struct {
		Name, Severity, Status, Description string
		Violations                          int64
		Samples                             []string
	}
	if err := json.Unmarshal([]byte(out), &results); err != nil {
		t.Fatal(err)
	}
	for i, r := range results {
		switch {
		case r.Name != names[i]:
			t.Errorf("JSON result %d is %s, want %s", i, r.Name, names[i])
		case r.Samples == nil || r.Description == "" || r.Severity != "warn" && r.Severity != "error":
			t.Errorf("JSON result %+v: want samples (an array), a description and a severity", r)
		case warned[r.Name] != "" && (r.Status != "warn" || !strings.HasPrefix(warned[r.Name], fmt.Sprintf("%d %s", r.Violations, strings.Join(r.Samples, " | ")))):
			t.Errorf("JSON result %+v disagrees with the text report's %q", r, warned[r.Name])
		case warned[r.Name] == "" && (r.Status != "pass" || r.Violations != 0 || len(r.Samples) != 0):
			t.Errorf("JSON result %+v, want a pass", r)
		}
	}
}

// TestCheckErrorSeverityExits4: a check of severity error that finds rows
// fails the command with exit code 4; warns alone do not.
func TestCheckErrorSeverityExits4(t *testing.T) {
	t.Parallel()
	// CRS-1 with a date_precision the API's enum lacks.
	dir := t.TempDir()
	for _, sub := range []string{"v4", "v5"} {
		if err := os.CopyFS(filepath.Join(dir, sub), os.DirFS(filepath.Join(snapshot, sub))); err != nil {
			t.Fatal(err)
		}
	}
	file := filepath.Join(dir, "v5", "launches.json")
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	const from, to = `"date_precision": "hour",`, `"date_precision": "fortnight",`
	crs1 := bytes.Index(b, []byte(`"name": "CRS-1"`))
	at := bytes.Index(b[crs1:], []byte(from))
	if crs1 < 0 || at < 0 {
		t.Fatal("CRS-1's date_precision not found in the snapshot")
	}
	b = append(b[:crs1+at:crs1+at], append([]byte(to), b[crs1+at+len(from):]...)...)
	if err := os.WriteFile(file, b, 0o644); err != nil {
		t.Fatal(err)
	}
	dsn := syncSnapshot(t, dir)

	code, out, errOut := loader(t, nil, "check", "--database-url", dsn)
	if code != exitCheckFailed {
		t.Fatalf("check: exit %d, want %d\n%s%s", code, exitCheckFailed, out, errOut)
	}
	lines, summary := reportLines(t, out)
	if want := "FAIL launches_date_precision_accepted 1 CRS-1: fortnight"; lines["launches_date_precision_accepted"] != want {
		t.Errorf("report line %q, want %q", lines["launches_date_precision_accepted"], want)
	}
	if !strings.Contains(summary, " 1 failed, 0 could not run") {
		t.Errorf("summary %q, want 1 failed", summary)
	}

	code, out, _ = loader(t, nil, "check", "--database-url", dsn, "--only", "launches_date_precision_accepted", "--output", "json")
	var results []struct {
		Name, Status string
		Violations   int64
	}
	if err := json.Unmarshal([]byte(out), &results); err != nil || code != exitCheckFailed ||
		len(results) != 1 || results[0].Status != "fail" || results[0].Violations != 1 {
		t.Errorf("--only ... --output json: exit %d, %+v (%v)", code, results, err)
	}
	// Warns alone pass.
	if code, out, _ := loader(t, nil, "check", "--database-url", dsn, "--only", "core_launches_agree,payloads_listed"); code != 0 {
		t.Errorf("only warns: exit %d, want 0\n%s", code, out)
	}
}

func TestCheckFreshness(t *testing.T) {
	t.Parallel()
	never := pgtest.DSN(t) // migrated, never synced
	code, out, _ := loader(t, nil, "check", "--database-url", never, "--only", "runs_fresh")
	if want := "FAIL runs_fresh 1 no run ever succeeded"; code != exitCheckFailed || !strings.Contains(strings.Join(strings.Fields(out), " "), want) {
		t.Errorf("never synced: exit %d, %q; want %d and %q", code, out, exitCheckFailed, want)
	}
	code, _, _ = loader(t, nil, "check", "--database-url", never, "--only", "runs_fresh", "--max-age", "0")
	if code != exitCheckFailed {
		t.Errorf("never synced, --max-age 0: exit %d, want %d (a succeeded run is still required)", code, exitCheckFailed)
	}

	dsn := syncSnapshot(t, snapshot)
	for _, tc := range []struct {
		maxAge string
		want   int
	}{{"", 0}, {"0", 0}, {"1h", 0}, {"1ms", exitCheckFailed}} {
		args := []string{"check", "--database-url", dsn, "--only", "runs_fresh"}
		if tc.maxAge != "" {
			args = append(args, "--max-age", tc.maxAge)
		}
		if code, out, errOut := loader(t, nil, args...); code != tc.want {
			t.Errorf("after a sync, --max-age %q: exit %d, want %d\n%s%s", tc.maxAge, code, tc.want, out, errOut)
		}
	}
}

// TestCheckUnmigrated (issue 13, item 13): against a database with no
// tables, no check runs: instead of one ERROR line per check on stdout and
// again on stderr, loader check says once that the database is not
// migrated, and exits 1.
func TestCheckUnmigrated(t *testing.T) {
	t.Parallel()
	code, out, errOut := loader(t, nil, "check", "--database-url", pgtest.EmptyDSN(t))
	want := " is not migrated (no schema_migrations table): run loader migrate\n"
	if code != exitFailed || out != "" || !strings.HasPrefix(errOut, "loader check: database postgres://") ||
		!strings.HasSuffix(errOut, want) || strings.Count(errOut, "\n") != 1 {
		t.Errorf("exit %d\nstdout: %q\nstderr: %q\nwant %d, no report, and one line ending %q", code, out, errOut, exitFailed, want)
	}
}

func TestCheckUsage(t *testing.T) {
	t.Parallel()
	code, out, _ := loader(t, nil, "help", "check")
	if code != 0 {
		t.Errorf("help check: exit %d", code)
	}
	for _, w := range []string{"Usage: loader check [flags]", "-max-age duration", "(default 36h0m0s)", "-output format", "-only names",
		"read-only REPEATABLE", "runs_fresh", "docs/checks.md", "4    loader check, or sync/replay --check: a check of severity error found"} {
		if !strings.Contains(out, w) {
			t.Errorf("help check lacks %q:\n%s", w, out)
		}
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"check", "--output", "xml"}, `--output "xml": want text or json`},
		{[]string{"check", "--max-age", "-1h"}, "--max-age -1h0m0s: must not be negative"},
		{[]string{"check", "--only", "launches_name_unique,nope"}, `--only: no check named "nope"`},
		{[]string{"check", "extra"}, `unexpected argument "extra"`},
	} {
		code, _, errOut := loader(t, nil, tc.args...)
		if code != exitUsage || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, %q; want %d and %q", tc.args, code, errOut, exitUsage, tc.want)
		}
	}
}

// TestCheckAsRoles: a spacex_writer login runs every check; a
// spacex_analyst login reads bronze but not meta, so all but the two that
// read the ledger, runs_fresh and extracts_keyed.
func TestCheckAsRoles(t *testing.T) {
	t.Parallel()
	dsn := syncSnapshot(t, snapshot)
	owner := pgtest.Pool(t, dsn) // closed after the logins' cleanups, which use it
	login := func(group string) string {
		b := make([]byte, 8)
		rand.Read(b)
		name := fmt.Sprintf("check_%x", b)
		if _, err := owner.Exec(context.Background(), fmt.Sprintf("CREATE ROLE %s LOGIN PASSWORD '%x' IN ROLE %s",
			pgx.Identifier{name}.Sanitize(), b, pgx.Identifier{group}.Sanitize())); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			if _, err := owner.Exec(context.Background(), "DROP ROLE "+pgx.Identifier{name}.Sanitize()); err != nil {
				t.Errorf("drop role %s: %v", name, err)
			}
		})
		u, err := url.Parse(dsn)
		if err != nil {
			t.Fatal(err)
		}
		u.User = url.UserPassword(name, fmt.Sprintf("%x", b))
		return u.String()
	}
	names := checkNames(t)

	if code, out, errOut := loader(t, nil, "check", "--database-url", login("spacex_writer")); code != 0 {
		t.Errorf("as spacex_writer: exit %d, want 0\n%s%s", code, out, errOut)
	}
	code, out, _ := loader(t, nil, "check", "--database-url", login("spacex_analyst"))
	lines, summary := reportLines(t, out)
	if code != exitFailed || !strings.Contains(lines["runs_fresh"], "permission denied for schema meta") ||
		!strings.Contains(lines["extracts_keyed"], "permission denied for schema meta") ||
		!strings.HasSuffix(summary, ", 0 failed, 2 could not run") || len(lines) != len(names) {
		t.Errorf("as spacex_analyst: exit %d, runs_fresh %q, extracts_keyed %q, summary %q; want %d, permission denied on meta for those two alone",
			code, lines["runs_fresh"], lines["extracts_keyed"], summary, exitFailed)
	}
}
