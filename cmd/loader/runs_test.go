package main

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	iofs "io/fs"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	schema "github.com/spacex-elt/loader/db"
	"github.com/spacex-elt/loader/internal/migrate"
	"github.com/spacex-elt/loader/internal/pgtest"
	"github.com/spacex-elt/loader/internal/resources"
	"github.com/spacex-elt/loader/internal/termtext"
)

// snapshotCopy copies the bundled snapshot into a temporary directory and
// replaces from by to in the file rel (a path under it), once.
func snapshotCopy(t *testing.T, rel, from, to string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(snapshot)); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, rel)
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), from) {
		t.Fatalf("%s lacks %q", rel, from)
	}
	if err := os.WriteFile(file, []byte(strings.Replace(string(b), from, to, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// runJSON is a run as loader runs --output json prints it, every field.
type runJSON struct {
	RunID           int64      `json:"run_id"`
	Status          string     `json:"status"`
	Source          string     `json:"source"`
	StartedAt       time.Time  `json:"started_at"`
	FinishedAt      *time.Time `json:"finished_at"`
	DurationSeconds *float64   `json:"duration_seconds"`
	RowsChanged     int64      `json:"rows_changed"`
	Error           *string    `json:"error"`
	ViewsRefreshed  []string   `json:"views_refreshed"`
	Resources       []struct {
		Resource    string `json:"resource"`
		Absent      bool   `json:"absent"`
		LandedRunID *int64 `json:"landed_run_id"`
		NotModified bool   `json:"not_modified"`
		Fetched     int64  `json:"fetched"`
		Skipped     *bool  `json:"skipped"`
		BadValues   *int64 `json:"bad_values"`
		Inserted    *int64 `json:"inserted"`
		Updated     *int64 `json:"updated"`
		Unchanged   *int64 `json:"unchanged"`
		Deleted     *int64 `json:"deleted"`
		Revived     *int64 `json:"revived"`
	} `json:"resources"`
}

// decodeStrict decodes JSON into v, failing on any field v lacks.
func decodeStrict(t *testing.T, out string, v any) {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("decode %T: %v\n%s", v, err, out)
	}
}

// liveRows counts the rows of every resource's bronze table.
func liveRows(t *testing.T, pool *pgxpool.Pool) int64 {
	t.Helper()
	var total int64
	for _, r := range resources.All {
		var n int64
		if err := pool.QueryRow(context.Background(), "SELECT count(*) FROM "+r.Table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		total += n
	}
	return total
}

// TestRunsAfterSyncs: a sync, a failed sync, a sync with one change and a
// no-op sync, as loader runs lists them.
func TestRunsAfterSyncs(t *testing.T) {
	t.Parallel()
	dsn := pgtest.DSN(t)
	pool := pgtest.Pool(t, dsn)

	code, out, errOut := loader(t, nil, "runs", "--database-url", dsn)
	if code != 0 || out != "no runs recorded\n" {
		t.Errorf("runs before any: exit %d, %q %q", code, out, errOut)
	}
	if code, out, _ := loader(t, nil, "runs", "--database-url", dsn, "--output", "json"); code != 0 || out != "[]\n" {
		t.Errorf("runs --output json before any: exit %d, %q; want []", code, out)
	}

	broken := snapshotCopy(t, "v5/launches.json", `"name": "CRS-1"`, `"name": "CRS-1", "oops": }`)
	renamed := snapshotCopy(t, "v4/rockets.json", `"name": "Falcon 1"`, `"name": "Falcon One"`)
	sync := func(want int, dir string) {
		t.Helper()
		if code, out, errOut := loader(t, nil, "sync", "--source", dir, "--database-url", dsn); code != want {
			t.Fatalf("sync %s: exit %d, want %d\n%s%s", dir, code, want, out, errOut)
		}
	}
	sync(0, snapshot)
	inserted := liveRows(t, pool)
	sync(1, broken)
	sync(0, renamed)
	sync(0, renamed)

	// What the ledger holds, read directly.
	type dbRun struct {
		status, source string
		started        time.Time
		finished       time.Time
		err            *string
	}
	want := map[int64]dbRun{}
	rows, err := pool.Query(context.Background(), "SELECT run_id, status, source, started_at, finished_at, error FROM meta.runs")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		var r dbRun
		if err := rows.Scan(&id, &r.status, &r.source, &r.started, &r.finished, &r.err); err != nil {
			t.Fatal(err)
		}
		want[id] = r
	}
	if rows.Err() != nil || len(want) != 4 || want[2].err == nil {
		t.Fatalf("meta.runs: %v %+v", rows.Err(), want)
	}
	if !strings.Contains(*want[2].err, "launches") {
		t.Fatalf("run 2's error does not name launches: %q", *want[2].err)
	}

	code, out, errOut = loader(t, nil, "runs", "--database-url", dsn)
	if code != 0 {
		t.Fatalf("runs: exit %d\n%s", code, errOut)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 5 || strings.Join(strings.Fields(lines[0]), " ") != "run status source started duration rows changed error" {
		t.Fatalf("runs report:\n%s", out)
	}
	wantStatus := map[int64]string{4: "succeeded", 3: "succeeded", 2: "failed", 1: "succeeded"}
	wantRows := map[int64]int64{4: 0, 3: 1, 2: 0, 1: inserted}
	wantSource := map[int64]string{4: "dir:" + renamed, 3: "dir:" + renamed, 2: "dir:" + broken, 1: "dir:" + snapshot}
	for i, line := range lines[1:] {
		if line != strings.TrimRight(line, " ") {
			t.Errorf("runs line %q has trailing blanks", line)
		}
		id := int64(4 - i)
		r := want[id]
		took := r.finished.Sub(r.started).Round(time.Millisecond).String()
		w := fmt.Sprintf("%d %s %s %s %s %d", id, wantStatus[id], wantSource[id], r.started.UTC().Format(time.RFC3339), took, wantRows[id])
		if id == 2 {
			w += " " + strings.Join(strings.Fields(termtext.FirstLine(*r.err, termtext.ErrorWidth)), " ")
		}
		if got := strings.Join(strings.Fields(line), " "); got != w {
			t.Errorf("runs line %d:\n got %q\nwant %q", i+1, got, w)
		}
	}
	if id2 := lines[3]; !strings.Contains(id2, "launches") || len([]rune(id2)) > 200 || strings.Contains(id2, "\n") {
		t.Errorf("failed run's line %q: want its error's first line, shortened, naming launches", id2)
	}

	code, out, errOut = loader(t, nil, "runs", "--database-url", dsn, "--output", "json", "--limit", "3")
	if code != 0 {
		t.Fatalf("runs --output json: exit %d\n%s", code, errOut)
	}
	var got []runJSON
	decodeStrict(t, out, &got)
	if len(got) != 3 {
		t.Fatalf("--limit 3: %d runs", len(got))
	}
	// Every field is present, null or not.
	var raw []map[string]any
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"run_id", "status", "source", "started_at", "finished_at", "duration_seconds", "rows_changed", "error", "views_refreshed", "resources"} {
		if _, ok := raw[0][k]; !ok {
			t.Errorf("JSON run lacks %q: %v", k, raw[0])
		}
	}
	views, err := iofs.Glob(schema.FS, schema.ViewsDir+"/gold.*.sql")
	if err != nil {
		t.Fatal(err)
	}
	for i, g := range got {
		id := int64(4 - i)
		r := want[id]
		if g.RunID != id || g.Status != wantStatus[id] || g.Source != wantSource[id] || g.RowsChanged != wantRows[id] ||
			!g.StartedAt.Equal(r.started) || g.StartedAt.Location() != time.UTC || g.FinishedAt == nil || !g.FinishedAt.Equal(r.finished) ||
			g.DurationSeconds == nil || *g.DurationSeconds != r.finished.Sub(r.started).Seconds() {
			t.Errorf("JSON run %d: %+v, want %+v, rows %d", id, g, r, wantRows[id])
		}
		if (g.Error == nil) != (r.err == nil) || g.Error != nil && *g.Error != *r.err {
			t.Errorf("JSON run %d: error %v, want %v", id, g.Error, r.err)
		}
		if id != 2 && len(g.Resources) != len(resources.All) || len(g.Resources) == 0 {
			t.Errorf("JSON run %d: %d resources, want %d", id, len(g.Resources), len(resources.All))
		}
	}
	// Run 4 changed nothing; run 3 updated one rocket and refreshed the
	// views that read rockets; failed run 2 has no counts.
	if len(got[0].ViewsRefreshed) != 0 || got[0].ViewsRefreshed == nil {
		t.Errorf("no-op run's views_refreshed %v, want []", got[0].ViewsRefreshed)
	}
	if n := len(got[1].ViewsRefreshed); n == 0 || n >= len(views) || !slices.Contains(got[1].ViewsRefreshed, "gold.rocket_cost_efficiency") {
		t.Errorf("run 3's views_refreshed %v, want those reading rockets", got[1].ViewsRefreshed)
	}
	for _, rr := range got[1].Resources {
		wantUpdated := int64(0)
		if rr.Resource == "rockets" {
			wantUpdated = 1
		}
		if rr.Absent {
			continue
		}
		if rr.Updated == nil || *rr.Updated != wantUpdated || *rr.Inserted != 0 || *rr.Deleted != 0 {
			t.Errorf("run 3's %s: updated %v inserted %v deleted %v, want %d, 0, 0", rr.Resource, rr.Updated, rr.Inserted, rr.Deleted, wantUpdated)
		}
	}
	for _, rr := range got[2].Resources {
		if rr.Inserted != nil || rr.Updated != nil || rr.Deleted != nil {
			t.Errorf("failed run's %s has counts: %+v", rr.Resource, rr)
		}
	}
}

// TestRunsRunning: a run still running (its row written by hand, as a
// live sync's is) shows as running, with no duration.
func TestRunsRunning(t *testing.T) {
	t.Parallel()
	dsn := pgtest.DSN(t)
	pool := pgtest.Pool(t, dsn)
	const errText = "first line of a long error that goes on and on, well past what a terminal line can hold beside the other columns\nsecond line"
	if _, err := pool.Exec(context.Background(), `INSERT INTO meta.runs (source, status, finished_at, error)
		VALUES ('elsewhere', 'abandoned', clock_timestamp(), $1), ('https://api.example', 'running', NULL, NULL)`, errText); err != nil {
		t.Fatal(err)
	}
	code, out, _ := loader(t, nil, "runs", "--database-url", dsn)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if code != 0 || len(lines) != 3 {
		t.Fatalf("runs: exit %d\n%s", code, out)
	}
	if f := strings.Fields(lines[1]); len(f) != 6 || f[0] != "2" || f[1] != "running" || f[4] != "running" || f[5] != "0" {
		t.Errorf("running run's line %q", lines[1])
	}
	wantErr := "first line of a long error that goes on and on, well past what a termin…"
	if !strings.HasSuffix(lines[2], " "+wantErr) || len([]rune(wantErr)) != termtext.ErrorWidth {
		t.Errorf("abandoned run's line %q, want it to end with %q", lines[2], wantErr)
	}
	code, out, _ = loader(t, nil, "runs", "--database-url", dsn, "--output", "json", "--limit", "1")
	var got []runJSON
	decodeStrict(t, out, &got)
	if code != 0 || len(got) != 1 || got[0].Status != "running" || got[0].FinishedAt != nil || got[0].DurationSeconds != nil ||
		got[0].Error != nil || got[0].RowsChanged != 0 || len(got[0].Resources) != 0 {
		t.Errorf("running run as JSON: exit %d, %+v", code, got)
	}
}

// statusJSON is loader status --output json, every field.
type statusJSON struct {
	Database string `json:"database"`
	UpToDate bool   `json:"up_to_date"`
	Schema   struct {
		Version *string  `json:"version"`
		Applied int      `json:"applied"`
		Pending []string `json:"pending"`
		Unknown []string `json:"unknown"`
	} `json:"schema"`
	Files []struct {
		Name          string     `json:"name"`
		Kind          string     `json:"kind"`
		AppliedSHA256 *string    `json:"applied_sha256"`
		ShippedSHA256 *string    `json:"shipped_sha256"`
		AppliedAt     *time.Time `json:"applied_at"`
		State         string     `json:"state"`
	} `json:"files"`
	LastRun *struct {
		RunID      int64     `json:"run_id"`
		Source     string    `json:"source"`
		StartedAt  time.Time `json:"started_at"`
		FinishedAt time.Time `json:"finished_at"`
		AgeSeconds float64   `json:"age_seconds"`
	} `json:"last_succeeded_run"`
	LastCheck *struct {
		CheckRunID int64          `json:"check_run_id"`
		CheckedAt  time.Time      `json:"checked_at"`
		AgeSeconds float64        `json:"age_seconds"`
		Only       []string       `json:"only"`
		Checks     int            `json:"checks"`
		Counts     map[string]int `json:"counts"`
		Failing    []struct {
			Name       string   `json:"name"`
			Severity   string   `json:"severity"`
			Status     string   `json:"status"`
			Violations int64    `json:"violations"`
			Samples    []string `json:"samples"`
			Error      *string  `json:"error"`
		} `json:"failing"`
	} `json:"last_check"`
	LaterOnly *struct {
		CheckRunID int64          `json:"check_run_id"`
		CheckedAt  time.Time      `json:"checked_at"`
		AgeSeconds float64        `json:"age_seconds"`
		Only       []string       `json:"only"`
		Checks     int            `json:"checks"`
		Counts     map[string]int `json:"counts"`
		Failing    []struct {
			Name       string   `json:"name"`
			Severity   string   `json:"severity"`
			Status     string   `json:"status"`
			Violations int64    `json:"violations"`
			Samples    []string `json:"samples"`
			Error      *string  `json:"error"`
		} `json:"failing"`
	} `json:"later_only_check"`
}

func readStatus(t *testing.T, dsn string) (text string, st statusJSON) {
	t.Helper()
	code, text, errOut := loader(t, nil, "status", "--database-url", dsn)
	if code != 0 {
		t.Fatalf("status: exit %d\n%s%s", code, text, errOut)
	}
	code, out, errOut := loader(t, nil, "status", "--database-url", dsn, "--output", "json")
	if code != 0 {
		t.Fatalf("status --output json: exit %d\n%s", code, errOut)
	}
	decodeStrict(t, out, &st)
	return text, st
}

// shipped lists the embedded migration versions and function and view
// files (name → sha256), independently of the command.
func shipped(t *testing.T) (versions []string, files map[string]string) {
	t.Helper()
	names, err := iofs.Glob(schema.FS, schema.MigrationsDir+"/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		versions = append(versions, strings.SplitN(filepath.Base(n), "_", 2)[0])
	}
	files = map[string]string{}
	for _, k := range []struct{ kind, dir string }{{migrate.KindFunction, schema.FunctionsDir}, {migrate.KindView, schema.ViewsDir}} {
		fs, err := migrate.ReadFiles(schema.FS, k.dir, k.kind)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fs {
			files[k.kind+" "+f.Name] = f.SHA256
		}
	}
	return versions, files
}

func TestStatus(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	pool := pgtest.Pool(t, dsn)
	versions, files := shipped(t)
	newest := slices.Max(versions)

	// Migrated, never synced or checked.
	text, st := readStatus(t, dsn)
	if !st.UpToDate || st.Schema.Version == nil || *st.Schema.Version != newest || st.Schema.Applied != len(versions) ||
		len(st.Schema.Pending) != 0 || len(st.Schema.Unknown) != 0 || st.LastRun != nil || st.LastCheck != nil || st.LaterOnly != nil || len(st.Files) != len(files) {
		t.Errorf("fresh database's status: %+v", st)
	}
	for _, f := range st.Files {
		if f.State != "current" || f.AppliedSHA256 == nil || *f.AppliedSHA256 != files[f.Kind+" "+f.Name] || f.ShippedSHA256 == nil || *f.ShippedSHA256 != *f.AppliedSHA256 || f.AppliedAt == nil {
			t.Errorf("file %+v, want current with sha256 %s", f, files[f.Kind+" "+f.Name])
		}
	}
	for _, w := range []string{
		fmt.Sprintf("schema:      migration %s, %d applied, none pending\n", newest, len(versions)),
		fmt.Sprintf("files:       %d function and view files, all current\n", len(files)),
		"last run:    no sync or replay has succeeded\n",
		"last check:  none recorded (loader check records its results)\n",
	} {
		if !strings.Contains(text, w) {
			t.Errorf("status lacks %q:\n%s", w, text)
		}
	}

	// A sync, a failed one: the last succeeded run is the first.
	if code, out, errOut := loader(t, nil, "sync", "--source", snapshot, "--database-url", dsn); code != 0 {
		t.Fatalf("sync: exit %d\n%s%s", code, out, errOut)
	}
	broken := snapshotCopy(t, "v4/rockets.json", "[", "")
	if code, _, _ := loader(t, nil, "sync", "--source", broken, "--database-url", dsn); code != 1 {
		t.Fatalf("sync of a malformed rockets file: exit %d, want 1", code)
	}
	var finished time.Time
	if err := pool.QueryRow(ctx, "SELECT finished_at FROM meta.runs WHERE run_id = 1 AND status = 'succeeded'").Scan(&finished); err != nil {
		t.Fatal(err)
	}
	text, st = readStatus(t, dsn)
	if r := st.LastRun; r == nil || r.RunID != 1 || r.Source != "dir:"+snapshot || !r.FinishedAt.Equal(finished) || r.AgeSeconds < 0 || r.AgeSeconds > 600 {
		t.Errorf("last succeeded run %+v, want run 1 finished at %s", r, finished)
	}
	if w := fmt.Sprintf("last run:    run 1 succeeded at %s, ", finished.UTC().Format(time.RFC3339)); !strings.Contains(text, w) || !strings.Contains(text, " ago (dir:"+snapshot+")\n") {
		t.Errorf("status lacks %q ... ago (%s):\n%s", w, snapshot, text)
	}

	// Checks, recorded: all, then only runs_fresh, which fails.
	if code, out, errOut := loader(t, nil, "check", "--database-url", dsn); code != 0 || strings.Contains(errOut, "not recorded") {
		t.Fatalf("check: exit %d\n%s%s", code, out, errOut)
	}
	_, st = readStatus(t, dsn)
	names := checkNames(t)
	if c := st.LastCheck; c == nil || c.CheckRunID != 1 || c.Checks != len(names) || c.Only != nil || len(c.Failing) != 0 ||
		!maps.Equal(c.Counts, map[string]int{"pass": len(names) - 12, "warn": 12, "fail": 0, "error": 0}) {
		t.Errorf("last check after a full check: %+v", c)
	}
	if code, _, errOut := loader(t, nil, "check", "--database-url", dsn, "--only", "runs_fresh", "--max-age", "1ms"); code != exitCheckFailed || errOut != "" {
		t.Fatalf("check --only runs_fresh --max-age 1ms: exit %d, %q; want %d", code, errOut, exitCheckFailed)
	}
	// Issue 13 item 18: the --only run used to become the last check,
	// hiding the full one; the full one stays, and the later --only run
	// is shown after it.
	text, st = readStatus(t, dsn)
	if c := st.LastCheck; c == nil || c.CheckRunID != 1 || c.Checks != len(names) || c.Only != nil || len(c.Failing) != 0 {
		t.Errorf("last check after check --only: %+v; want full check run 1 still", c)
	}
	c := st.LaterOnly
	if c == nil || c.CheckRunID != 2 || c.Checks != 1 || !slices.Equal(c.Only, []string{"runs_fresh"}) ||
		!maps.Equal(c.Counts, map[string]int{"pass": 0, "warn": 0, "fail": 1, "error": 0}) || len(c.Failing) != 1 {
		t.Fatalf("last check after --only runs_fresh: %+v", c)
	}
	if f := c.Failing[0]; f.Name != "runs_fresh" || f.Severity != "error" || f.Status != "fail" || f.Violations != 1 || len(f.Samples) != 1 || f.Error != nil {
		t.Errorf("failing check %+v", f)
	}
	var checkedAt time.Time
	if err := pool.QueryRow(ctx, "SELECT checked_at FROM meta.check_runs WHERE check_run_id = 2").Scan(&checkedAt); err != nil {
		t.Fatal(err)
	}
	if !c.CheckedAt.Equal(checkedAt) || c.AgeSeconds < 0 || c.AgeSeconds > 600 {
		t.Errorf("check run 2 at %s, %gs ago; want %s", c.CheckedAt, c.AgeSeconds, checkedAt)
	}
	for _, w := range []string{
		"\nlast check:  check run 1 at ",
		fmt.Sprintf(" checks: %d passed, 12 warned, 0 failed, 0 could not run\nlater:       check run 2 at %s, ", len(names)-12, checkedAt.UTC().Format(time.RFC3339)),
		" (--only runs_fresh): 1 checks: 0 passed, 0 warned, 1 failed, 0 could not run\n",
		"             FAIL runs_fresh 1 " + c.Failing[0].Samples[0] + "\n",
	} {
		if !strings.Contains(text, w) {
			t.Errorf("status lacks %q:\n%s", w, text)
		}
	}

	// Drift: a view applied from other SQL, a function file never applied,
	// a file no longer shipped, a view whose relation is gone.
	const view, dropped = "gold.rocket_cost_efficiency", "gold.crew_flights_by_agency"
	for _, sql := range []string{
		"UPDATE meta.applied_sql SET sha256 = repeat('0', 64) WHERE name = '" + view + "'",
		"DELETE FROM meta.applied_sql WHERE name = 'meta'",
		"INSERT INTO meta.applied_sql (name, kind, sha256) VALUES ('gold.retired', 'view', repeat('a', 64))",
		"DROP MATERIALIZED VIEW " + dropped,
		// The newest migration not applied; one from a newer loader.
		"DELETE FROM schema_migrations WHERE version = '" + newest + "'",
		"INSERT INTO schema_migrations (version) VALUES ('29990101000000')",
	} {
		if _, err := pool.Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	text, st = readStatus(t, dsn)
	wantState := map[string]string{"view " + view: "changed", "function meta": "not applied", "view gold.retired": "not shipped", "view " + dropped: "missing"}
	if st.UpToDate || len(st.Files) != len(files)+1 {
		t.Errorf("status after drift: up_to_date %v, %d files; want false, %d", st.UpToDate, len(st.Files), len(files)+1)
	}
	for _, f := range st.Files {
		key := f.Kind + " " + f.Name
		w, ok := wantState[key]
		if !ok {
			w = "current"
		}
		if f.State != w {
			t.Errorf("%s: state %q, want %q", key, f.State, w)
		}
		switch key {
		case "view " + view:
			if *f.AppliedSHA256 != strings.Repeat("0", 64) || *f.ShippedSHA256 != files[key] {
				t.Errorf("%s: applied %v shipped %v", key, *f.AppliedSHA256, *f.ShippedSHA256)
			}
		case "function meta":
			if f.AppliedSHA256 != nil || f.AppliedAt != nil || *f.ShippedSHA256 != files[key] {
				t.Errorf("%s: %+v", key, f)
			}
		case "view gold.retired":
			if f.ShippedSHA256 != nil || *f.AppliedSHA256 != strings.Repeat("a", 64) {
				t.Errorf("%s: %+v", key, f)
			}
		}
	}
	if s := st.Schema; s.Version == nil || *s.Version != "29990101000000" || s.Applied != len(versions) ||
		!slices.Equal(s.Pending, []string{newest}) || !slices.Equal(s.Unknown, []string{"29990101000000"}) {
		t.Errorf("schema after drift: %+v, want %s pending and 29990101000000 unknown", s, newest)
	}
	for _, w := range []string{
		fmt.Sprintf("schema:      migration 29990101000000, %d applied, 1 pending: %s (run loader migrate)\n", len(versions), newest),
		"             applied but not in this loader (a newer one migrated): 29990101000000\n",
		fmt.Sprintf("files:       4 of %d function and view files differ from this loader's (run loader migrate):\n", len(files)+1),
		"  view      " + view + " ",
		" 000000000000  " + files["view "+view][:12] + " ",
	} {
		if !strings.Contains(text, w) {
			t.Errorf("status lacks %q:\n%s", w, text)
		}
	}
	line := func(name string) string {
		for l := range strings.Lines(text) {
			if f := strings.Fields(l); len(f) > 1 && f[1] == name {
				return strings.Join(f, " ")
			}
		}
		return ""
	}
	if l := line(view); !strings.HasSuffix(l, " changed") {
		t.Errorf("%s's line %q", view, l)
	}
	if l := line("meta"); l != "function meta - "+files["function meta"][:12]+" - not applied" {
		t.Errorf("meta's line %q", l)
	}
	if l := line("gold.retired"); !strings.HasPrefix(l, "view gold.retired aaaaaaaaaaaa - ") || !strings.HasSuffix(l, " not shipped") {
		t.Errorf("gold.retired's line %q", l)
	}
}

// TestStatusUnmigrated: an empty database is reported as such, not as an
// error; a database migrated before check results lacks only those.
func TestStatusUnmigrated(t *testing.T) {
	t.Parallel()
	versions, files := shipped(t)
	text, st := readStatus(t, pgtest.EmptyDSN(t))
	if st.UpToDate || st.Schema.Version != nil || st.Schema.Applied != 0 || len(st.Schema.Pending) != len(versions) || st.LastRun != nil || st.LastCheck != nil || st.LaterOnly != nil {
		t.Errorf("empty database's status: %+v", st)
	}
	for _, f := range st.Files {
		if f.State != "not applied" {
			t.Errorf("%s %s: %s, want not applied", f.Kind, f.Name, f.State)
		}
	}
	if len(st.Files) != len(files) {
		t.Errorf("%d files, want %d", len(st.Files), len(files))
	}
	for _, w := range []string{
		fmt.Sprintf("schema:      not migrated (no schema_migrations table); %d migrations to apply: run loader migrate\n", len(versions)),
		"last check:  none recorded (no meta.check_runs table: run loader migrate)\n",
	} {
		if !strings.Contains(text, w) {
			t.Errorf("status lacks %q:\n%s", w, text)
		}
	}
}

// TestCheckRecordsAsRoles: a spacex_writer login records its check
// results, and reads them back with loader status; a spacex_analyst login,
// which cannot write meta, is told so, and its exit code stays the checks'.
func TestCheckRecordsAsRoles(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn := syncSnapshot(t, snapshot)
	owner := pgtest.Pool(t, dsn)
	login := func(group string) string {
		b := make([]byte, 8)
		rand.Read(b)
		name := fmt.Sprintf("status_%x", b)
		if _, err := owner.Exec(ctx, fmt.Sprintf("CREATE ROLE %s LOGIN PASSWORD '%x' IN ROLE %s",
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
	writer := login("spacex_writer")
	if code, out, errOut := loader(t, nil, "check", "--database-url", writer, "--only", "runs_fresh"); code != 0 || errOut != "" {
		t.Fatalf("check as writer: exit %d\n%s%s", code, out, errOut)
	}
	var recorded []string
	if err := owner.QueryRow(ctx, "SELECT array_agg(r.name || ' ' || r.status) FROM meta.check_runs c JOIN meta.check_results r USING (check_run_id)").Scan(&recorded); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(recorded, []string{"runs_fresh pass"}) {
		t.Errorf("recorded as writer: %v, want runs_fresh pass", recorded)
	}
	code, out, errOut := loader(t, nil, "status", "--database-url", writer)
	if code != 0 || !strings.Contains(out, " (--only runs_fresh): 1 checks: 1 passed, 0 warned, 0 failed, 0 could not run\n") ||
		!strings.Contains(out, "last check:  none of every check recorded (loader check without --only records one)\nlater:       check run 1 at ") ||
		!strings.Contains(out, "last run:    run 1 succeeded at ") {
		t.Errorf("status as writer: exit %d\n%s%s", code, out, errOut)
	}
	if code, out, errOut := loader(t, nil, "runs", "--database-url", writer); code != 0 || !strings.Contains(out, "\n1 ") {
		t.Errorf("runs as writer: exit %d\n%s%s", code, out, errOut)
	}

	analyst := login("spacex_analyst")
	code, _, errOut = loader(t, nil, "check", "--database-url", analyst, "--only", "launches_name_unique")
	if code != 0 || !strings.Contains(errOut, "loader check: the results were checked but not recorded (loader status will not show them): ") ||
		!strings.Contains(errOut, "permission denied for schema meta") {
		t.Errorf("check as analyst: exit %d, stderr %q; want 0 and why nothing was recorded", code, errOut)
	}
	for _, cmd := range []string{"runs", "status"} {
		if code, _, errOut := loader(t, nil, cmd, "--database-url", analyst); code != exitFailed || !strings.Contains(errOut, "loader "+cmd+": ") || !strings.Contains(errOut, "permission denied") {
			t.Errorf("%s as analyst: exit %d, %q; want %d and permission denied", cmd, code, errOut, exitFailed)
		}
	}
}

func TestRunsStatusUsage(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"help", "runs"}, []string{"Usage: loader runs [flags]", "-limit N", "(default 20)", "-output format", "meta.runs", "rows_changed", "Exit codes:"}},
		{[]string{"status", "--help"}, []string{"Usage: loader status [flags]", "-output format", "schema_migrations", "meta.applied_sql", "not shipped", "meta.check_results", "up_to_date", "Exit codes:"}},
		{[]string{"--help"}, []string{"loader runs [flags]", "loader status [flags]"}},
	} {
		code, out, _ := loader(t, nil, tc.args...)
		if code != 0 {
			t.Errorf("%v: exit %d", tc.args, code)
		}
		for _, w := range tc.want {
			if !strings.Contains(out, w) {
				t.Errorf("%v lacks %q:\n%s", tc.args, w, out)
			}
		}
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"runs", "--limit", "0"}, "--limit 0: must be at least 1"},
		{[]string{"runs", "--limit", "x"}, `invalid value "x" for flag -limit`},
		{[]string{"runs", "--output", "xml"}, `--output "xml": want text or json`},
		{[]string{"runs", "extra"}, `unexpected argument "extra"`},
		{[]string{"status", "--output", "yaml"}, `--output "yaml": want text or json`},
		{[]string{"status", "extra"}, `unexpected argument "extra"`},
		{[]string{"status", "--log-level", "loud"}, `--log-level "loud"`},
	} {
		code, _, errOut := loader(t, nil, tc.args...)
		if code != exitUsage || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, %q; want %d and %q", tc.args, code, errOut, exitUsage, tc.want)
		}
	}
	for _, cmd := range []string{"runs", "status"} {
		code, _, errOut := loader(t, nil, cmd, "--database-url", "postgres://loader:"+testPassword+"@127.0.0.1:1/spacex?connect_timeout=2")
		if code != exitFailed || !strings.Contains(errOut, "loader "+cmd+": connect to postgres://loader@127.0.0.1:1/spacex") || strings.Contains(errOut, testPassword) {
			t.Errorf("%s, no server: exit %d, %q; want %d naming the server without the password", cmd, code, errOut, exitFailed)
		}
	}
}
