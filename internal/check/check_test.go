package check_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	schema "github.com/spacex-elt/loader/db"
	"github.com/spacex-elt/loader/internal/check"
	"github.com/spacex-elt/loader/internal/extract"
	"github.com/spacex-elt/loader/internal/pgtest"
	"github.com/spacex-elt/loader/internal/pipeline"
	"github.com/spacex-elt/loader/internal/resources"
)

const snapshot = "../../testdata/spacex-api"

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// embedded returns the checks of db/checks.
func embedded(t *testing.T) []check.Check {
	t.Helper()
	dir, err := fs.Sub(schema.FS, schema.ChecksDir)
	if err != nil {
		t.Fatal(err)
	}
	checks, err := check.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return checks
}

// setup returns a pool on a fresh migrated database.
func setup(t *testing.T) *pgxpool.Pool {
	t.Helper()
	return pgtest.Pool(t, pgtest.DSN(t))
}

// load syncs the snapshot directory dir into pool, soft-deleting whatever
// it lacks, and loading it however many of its documents lack an id.
func load(t *testing.T, pool *pgxpool.Pool, dir string) {
	t.Helper()
	contracts, err := fs.Sub(schema.FS, schema.ContractsDir)
	if err != nil {
		t.Fatal(err)
	}
	s := &pipeline.Syncer{
		Pool: pool, Source: extract.Dir(dir), Resources: resources.All, Contracts: contracts,
		Options: pipeline.Options{MaxDeleteFraction: 1, ForceDeletes: true, MaxRejectFraction: 1, KeepRuns: 10},
		Logger:  slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	if _, err := s.Sync(context.Background()); err != nil {
		t.Fatalf("sync %s: %v", dir, err)
	}
}

// runAll runs checks and returns their results by name.
func runAll(t *testing.T, pool *pgxpool.Pool, checks []check.Check, opts check.Options) map[string]check.Result {
	t.Helper()
	results, err := check.Run(context.Background(), pool, checks, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != len(checks) {
		t.Fatalf("%d results for %d checks", len(results), len(checks))
	}
	byName := map[string]check.Result{}
	for _, r := range results {
		byName[r.Name] = r
	}
	return byName
}

func only(t *testing.T, names ...string) []check.Check {
	t.Helper()
	checks, err := check.Select(embedded(t), names)
	if err != nil {
		t.Fatal(err)
	}
	return checks
}

var defaults = check.Options{MaxAge: 36 * time.Hour}

// doc is a JSON document of the snapshot, numbers kept exact.
type doc = map[string]any

func readDocs(t *testing.T, dir, file string) []doc {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, file))
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var docs []doc
	if err := dec.Decode(&docs); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return docs
}

// edit changes the documents of one file of the snapshot (v4/cores.json,
// v5/launches.json, ...); a file the snapshot lacks starts empty.
type edit struct {
	file string
	fn   func(t *testing.T, docs []doc) []doc
	// by and value, when set, name the one document fn changes or adds:
	// its field by is value.
	by, value string
}

// edited copies the snapshot into a temporary directory and applies edit
// to the documents of file.
func edited(t *testing.T, file string, fn func(t *testing.T, docs []doc) []doc) string {
	t.Helper()
	return planted(t, edit{file: file, fn: fn})
}

// planted copies the snapshot into a temporary directory and applies the
// edits, in order.
func planted(t *testing.T, edits ...edit) string {
	t.Helper()
	dir := t.TempDir()
	for _, sub := range []string{"v4", "v5"} {
		files, err := filepath.Glob(filepath.Join(snapshot, sub, "*.json"))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, sub, filepath.Base(f)), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, e := range edits {
		var docs []doc
		if _, err := os.Stat(filepath.Join(dir, e.file)); err == nil {
			docs = readDocs(t, dir, e.file)
		}
		b, err := json.Marshal(e.fn(t, docs))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, e.file), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// find returns the document whose field equals value.
func find(t *testing.T, docs []doc, field, value string) doc {
	t.Helper()
	for _, d := range docs {
		if d[field] == value {
			return d
		}
	}
	t.Fatalf("no document with %s %q", field, value)
	return nil
}

func TestParse(t *testing.T) {
	t.Parallel()
	good := "-- severity: warn\n-- description: First line\n--   and its continuation.\nSELECT 1 AS key\n"
	c, err := check.Parse("a_check", good)
	if err != nil {
		t.Fatal(err)
	}
	want := check.Check{Name: "a_check", Severity: check.Warn, Description: "First line and its continuation.", SQL: "SELECT 1 AS key"}
	if c != want {
		t.Errorf("Parse = %+v, want %+v", c, want)
	}
	// A comment after the header belongs to the SQL.
	c, err = check.Parse("b", "-- description: d\n-- severity: error\n\n-- Why: because.\nSELECT 2 AS key")
	if err != nil || c.Severity != check.Error || c.SQL != "-- Why: because.\nSELECT 2 AS key" {
		t.Errorf("Parse = %+v, %v", c, err)
	}

	bad := []struct{ name, src, want string }{
		{"x", "-- description: d\nSELECT 1 AS key", `severity ""`},
		{"x", "-- severity: fatal\n-- description: d\nSELECT 1 AS key", `severity "fatal"`},
		{"x", "-- severity: warn\nSELECT 1 AS key", "no description"},
		{"x", "-- severity: warn\n-- description: d\n-- severty: error\nSELECT 1 AS key", `unknown header key "severty"`},
		{"x", "-- severity: warn\n-- description: d\n\n", "no SQL"},
		{"Bad-Name", "-- severity: warn\n-- description: d\nSELECT 1 AS key", `name "Bad-Name"`},
	}
	for _, tc := range bad {
		if _, err := check.Parse(tc.name, tc.src); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Parse(%q) = %v, want an error with %q", tc.src, err, tc.want)
		}
	}
}

func TestLoad(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{
		"b.sql":     {Data: []byte("-- severity: warn\n-- description: d\nSELECT 1 AS key")},
		"a.sql":     {Data: []byte("-- severity: error\n-- description: d\nSELECT 1 AS key")},
		"notes.txt": {Data: []byte("not a check")},
	}
	checks, err := check.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if len(checks) != 2 || checks[0].Name != "a" || checks[1].Name != "b" {
		t.Errorf("Load = %+v, want a and b in order", checks)
	}
	fsys["c.sql"] = &fstest.MapFile{Data: []byte("SELECT 1 AS key")}
	if _, err := check.Load(fsys); err == nil || !strings.Contains(err.Error(), "check c.sql") {
		t.Errorf("Load with a headerless file = %v, want an error naming c.sql", err)
	}
	if _, err := check.Load(fstest.MapFS{}); err == nil {
		t.Error("Load of an empty directory succeeded")
	}
	if _, err := check.Select(checks, []string{"a", "nope"}); err == nil || !strings.Contains(err.Error(), `"nope"`) {
		t.Errorf("Select of an unknown name = %v", err)
	}
	if sel, err := check.Select(checks, []string{"b"}); err != nil || len(sel) != 1 || sel[0].Name != "b" {
		t.Errorf("Select(b) = %+v, %v", sel, err)
	}
}

// TestRegistryChecksListNoTable: the two checks that go over every
// resource and bridge read them from the registry (the setting
// check.ResourcesSetting); none is listed in them by hand, so that a
// resource added to the registry needs no edit to a check.
// TestChecksCoverTheRegistry proves that they read every one.
func TestRegistryChecksListNoTable(t *testing.T) {
	t.Parallel()
	byName := map[string]check.Check{}
	for _, c := range embedded(t) {
		byName[c.Name] = c
	}
	for _, name := range []string{"bronze_bad_values", "bridges_match_documents", "resources_live"} {
		sql := byName[name].SQL
		if sql == "" {
			t.Fatalf("%s is missing", name)
		}
		if !strings.Contains(sql, check.ResourcesSetting) {
			t.Errorf("%s does not read the registry (%s)", name, check.ResourcesSetting)
		}
		for _, r := range resources.All {
			tables := []string{r.Table}
			for _, b := range r.Bridges {
				tables = append(tables, b.Table)
			}
			for _, tbl := range tables {
				if regexp.MustCompile(`\b` + regexp.QuoteMeta(tbl) + `\b`).MatchString(sql) {
					t.Errorf("%s names %s by hand", name, tbl)
				}
			}
		}
	}
}

// TestChecksCoverTheRegistry plants, in every table of the registry, what
// bronze_bad_values and bridges_match_documents exist to find, and wants
// each reported with the key docs/checks.md gives: a record with an issue;
// for each bridge, an element with an issue and then an element unlike
// its parent's document. Then it soft-deletes the record, and wants
// nothing reported (only live rows count); then it deletes a bridge's
// parent, and wants its row reported as an orphan. A registry entry that
// the checks ignore fails here.
func TestChecksCoverTheRegistry(t *testing.T) {
	t.Parallel()
	pool := setup(t) // migrated, empty: only the planted rows
	ctx := context.Background()
	checks := only(t, "bronze_bad_values", "bridges_match_documents")
	expect := func(t *testing.T, when string, bad, bridges []string) {
		t.Helper()
		got := runAll(t, pool, checks, defaults)
		for name, want := range map[string][]string{"bronze_bad_values": bad, "bridges_match_documents": bridges} {
			if want == nil {
				want = []string{}
			}
			if r := got[name]; r.Err != nil || r.Violations != int64(len(want)) || !slices.Equal(r.Samples, want) {
				t.Errorf("%s: %s = %d %q (%v), want %q", when, name, r.Violations, r.Samples, r.Err, want)
			}
		}
	}
	exec := func(t *testing.T, sql string, args ...any) {
		t.Helper()
		if tag, err := pool.Exec(ctx, sql, args...); err != nil || tag.RowsAffected() != 1 {
			t.Fatalf("%s: %v, %d rows", sql, err, tag.RowsAffected())
		}
	}
	ident := func(table string) string { return pgx.Identifier(strings.Split(table, ".")).Sanitize() }
	const id, issues = "planted", `[{"field": "planted", "reason": "a test", "value": 1}]`
	// insert adds the live record id to table, removed when t ends.
	insert := func(t *testing.T, table string, doc any) {
		t.Helper()
		exec(t, "INSERT INTO "+ident(table)+" (id, doc, doc_sha256, run_id) VALUES ($1, $2, '', 0)", id, doc)
		t.Cleanup(func() {
			if _, err := pool.Exec(ctx, "DELETE FROM "+ident(table)+" WHERE id = $1", id); err != nil {
				t.Error(err)
			}
		})
	}

	for _, r := range resources.All {
		parent := ident(r.Table)
		t.Run(r.Name, func(t *testing.T) {
			insert(t, r.Table, doc{})
			expect(t, "a record without issues", nil, nil)
			exec(t, "UPDATE "+parent+" SET issues = $2 WHERE id = $1", id, issues)
			expect(t, "a record with an issue", []string{r.Name + " " + id + ": planted"}, nil)
			exec(t, "UPDATE "+parent+" SET deleted_at = now() WHERE id = $1", id)
			expect(t, "the record soft-deleted", nil, nil)
		})
		for _, b := range r.Bridges {
			t.Run(r.Name+"."+b.Array, func(t *testing.T) {
				// The parent's document holds ["x"] at the array's dotted path.
				var d any = []any{"x"}
				path := strings.Split(b.Array, ".")
				for i := len(path) - 1; i >= 0; i-- {
					d = doc{path[i]: d}
				}
				insert(t, r.Table, d)
				expect(t, "a parent whose bridge lacks its element", nil, []string{r.Name + "." + b.Array + " " + id})
				// A bridge's primary key is (parent id, position), as the
				// migrations declare it.
				var key []string
				if err := pool.QueryRow(ctx, `SELECT array_agg(k.column_name::text ORDER BY k.ordinal_position)
					FROM information_schema.table_constraints c
					JOIN information_schema.key_column_usage k USING (constraint_schema, constraint_name)
					WHERE c.constraint_type = 'PRIMARY KEY' AND c.table_schema || '.' || c.table_name = $1`, b.Table).Scan(&key); err != nil || len(key) != 2 {
					t.Fatalf("%s: primary key %q (%v), want (parent id, position)", b.Table, key, err)
				}
				bridge, parentID, pos := ident(b.Table), pgx.Identifier{key[0]}.Sanitize(), pgx.Identifier{key[1]}.Sanitize()
				exec(t, "INSERT INTO "+bridge+" ("+parentID+", "+pos+", elem, run_id) VALUES ($1, 0, '\"x\"', 0)", id)
				t.Cleanup(func() {
					if _, err := pool.Exec(ctx, "DELETE FROM "+bridge+" WHERE "+parentID+" = $1", id); err != nil {
						t.Error(err)
					}
				})
				expect(t, "a bridge that matches its parent", nil, nil)
				exec(t, "UPDATE "+bridge+" SET issues = $2 WHERE "+parentID+" = $1 AND "+pos+" = 0", id, issues)
				bad := []string{r.Name + "." + b.Array + " " + id + "[0]: planted"}
				expect(t, "an element with an issue", bad, nil)
				exec(t, "UPDATE "+bridge+" SET elem = '\"y\"' WHERE "+parentID+" = $1 AND "+pos+" = 0", id)
				expect(t, "an element unlike the document's", bad, []string{r.Name + "." + b.Array + " " + id})
				exec(t, "UPDATE "+parent+" SET deleted_at = now() WHERE id = $1", id)
				expect(t, "its parent soft-deleted", nil, nil)
				// No foreign key takes the row with its parent.
				exec(t, "DELETE FROM "+parent+" WHERE id = $1", id)
				expect(t, "its parent deleted", nil, []string{r.Name + "." + b.Array + " " + id})
			})
		}
	}
}

// raw is the snapshot's data as the API sent it, for counts derived here
// independently of the checks' SQL.
type raw struct {
	launches, payloads, cores, launchpads []doc
}

func readRaw(t *testing.T) raw {
	return raw{
		launches:   readDocs(t, snapshot, "v5/launches.json"),
		payloads:   readDocs(t, snapshot, "v4/payloads.json"),
		cores:      readDocs(t, snapshot, "v4/cores.json"),
		launchpads: readDocs(t, snapshot, "v4/launchpads.json"),
	}
}

func ids(docs []doc) map[string]doc {
	m := map[string]doc{}
	for _, d := range docs {
		m[d["id"].(string)] = d
	}
	return m
}

func strs(v any) []string {
	var out []string
	for _, e := range v.([]any) {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func instant(t *testing.T, v any) time.Time {
	t.Helper()
	ts, err := time.Parse(time.RFC3339, v.(string))
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

// documented derives from the raw JSON the count of each inconsistency
// the snapshot is known to have (PROVENANCE.md), keyed by the check that
// reports it.
func documented(t *testing.T, r raw) map[string]int64 {
	launches, payloads, cores := ids(r.launches), ids(r.payloads), ids(r.cores)
	n := map[string]int64{}
	listedBy := map[string]int{}
	for _, l := range r.launches {
		for _, p := range strs(l["payloads"]) {
			listedBy[p]++
			if pl, ok := payloads[p]; ok && pl["launch"] != l["id"] {
				n["launch_payloads_agree"]++
			}
		}
		for _, c := range l["cores"].([]any) {
			id, _ := c.(doc)["core"].(string) // null on upcoming launches
			if core, ok := cores[id]; ok && !slices.Contains(strs(core["launches"]), l["id"].(string)) {
				n["core_launches_agree"]++
			}
		}
		if !slices.Contains(strs(find(t, r.launchpads, "id", l["launchpad"].(string))["launches"]), l["id"].(string)) {
			n["launchpad_launches_agree"]++
		}
		date := instant(t, l["date_utc"])
		if unix, _ := l["date_unix"].(json.Number).Int64(); unix != date.Unix() {
			n["launches_date_unix_agrees"]++
		}
		if !instant(t, l["date_local"]).Equal(date) {
			n["launches_date_local_agrees"]++
		}
		if l["static_fire_date_utc"] != nil {
			fired := instant(t, l["static_fire_date_utc"])
			if l["upcoming"] == false && fired.After(date) {
				n["launches_static_fire_before_launch"]++
			}
			if unix, _ := l["static_fire_date_unix"].(json.Number).Int64(); unix != fired.Unix() {
				n["launches_static_fire_date_unix_agrees"]++
			}
		}
	}
	for _, p := range r.payloads {
		l, ok := launches[p["launch"].(string)]
		switch {
		case !ok:
			n["payloads_launch_exists"]++
		case !slices.Contains(strs(l["payloads"]), p["id"].(string)):
			n["payloads_launch_agrees"]++
		}
		switch listedBy[p["id"].(string)] {
		case 0:
			n["payloads_listed"]++
		case 1:
		default:
			n["launch_payloads_payload_unique"]++
		}
	}
	flights := map[string]int{}
	for _, l := range r.launches {
		flights[l["flight_number"].(json.Number).String()]++
	}
	for _, k := range flights {
		if k > 1 {
			n["launches_flight_number_unique"]++ // one per repeated number
		}
	}
	return n
}

// TestSnapshot runs every check on the bundled snapshot: the documented
// inconsistencies are counted exactly, and everything else passes.
func TestSnapshot(t *testing.T) {
	t.Parallel()
	pool := setup(t)
	load(t, pool, snapshot)
	checks := embedded(t)
	got := runAll(t, pool, checks, defaults)

	want := documented(t, readRaw(t))
	// The numbers PROVENANCE.md states (and a python count of the raw
	// JSON gave), pinned so that a change of the snapshot is noticed.
	pinned := map[string]int64{
		"payloads_launch_exists":                4, // payloads pointing at deleted launches
		"launch_payloads_agree":                 4, // NROL-87, Starlink 4-36, TTL-1, O3b mPower 3.4
		"payloads_listed":                       5,
		"core_launches_agree":                   3, // B1064/B1065/B1066 on USSF-44
		"launches_flight_number_unique":         2, // 188 (x4) and 198 (x2): groups, not launches
		"payloads_launch_agrees":                3,
		"launch_payloads_payload_unique":        2,
		"launchpad_launches_agree":              21,
		"launches_date_unix_agrees":             2,
		"launches_static_fire_date_unix_agrees": 1,
		"launches_static_fire_before_launch":    2, // OG-2 Mission 1, SES-9
		"launches_date_local_agrees":            7,
	}
	for name, n := range pinned {
		if want[name] != n {
			t.Errorf("the raw JSON has %d for %s, not %d", want[name], name, n)
		}
	}
	for _, c := range checks {
		r := got[c.Name]
		if r.Err != nil {
			t.Errorf("%s: %v", c.Name, r.Err)
			continue
		}
		if r.Violations != want[c.Name] {
			t.Errorf("%s: %d violations %q, want %d", c.Name, r.Violations, r.Samples, want[c.Name])
		}
		if _, known := pinned[c.Name]; known && c.Severity != check.Warn {
			t.Errorf("%s is %s: the snapshot is known to fail it, so it must be a warn", c.Name, c.Severity)
		}
		if wantStatus := map[bool]string{true: "warn", false: "pass"}[want[c.Name] > 0]; r.Status() != wantStatus {
			t.Errorf("%s: status %s, want %s", c.Name, r.Status(), wantStatus)
		}
	}

	samples := map[string][]string{
		"core_launches_agree":           {"USSF-44 → B1064", "USSF-44 → B1065", "USSF-44 → B1066"},
		"launches_flight_number_unique": {"188", "198"},
		"payloads_listed":               {"IM-1 Nova-C", "Janus", "O3b mPower 3.4", "Psyche", "Starlink 2-2 (v1.5)"},
		"payloads_launch_exists": {
			"IM-1 Nova-C → 61eef7489eb1064137a1bd6f", "Janus → 628025222c0aa958437dcf76",
			"Psyche → 628025222c0aa958437dcf76", "Starlink 2-2 (v1.5) → 6161c7d26db1a92bfba85346",
		},
		// 21 violations, the first 5 keys in byte order.
		"launchpad_launches_agree": {
			"CRS-26 → KSC LC 39A", "Crew-5 → KSC LC 39A", "Eutelsat 10B → CCSFS SLC 40",
			"Galaxy 31 (23R) & 32 (17R) → CCSFS SLC 40", "Galaxy 33 (15R) & 34 (12R) → CCSFS SLC 40",
		},
	}
	for name, s := range samples {
		if !slices.Equal(got[name].Samples, s) {
			t.Errorf("%s samples = %q, want %q", name, got[name].Samples, s)
		}
	}
}

// TestViolations makes the snapshot break one rule at a time and checks
// that the check for it counts exactly that.
func TestViolations(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		file  string
		edit  func(t *testing.T, docs []doc) []doc
		check string
		want  int64
		first string // the first sample
		// over: the edited snapshot is loaded over the real one, so that
		// what it lacks is soft-deleted.
		over bool
	}{
		{
			name: "unknown date_precision", file: "v5/launches.json", check: "launches_date_precision_accepted", want: 1,
			first: "CRS-1: fortnight",
			edit: func(t *testing.T, docs []doc) []doc {
				find(t, docs, "name", "CRS-1")["date_precision"] = "fortnight"
				return docs
			},
		},
		{
			name: "repeated core serial", file: "v4/cores.json", check: "cores_serial_unique", want: 1, first: "B1049",
			edit: func(t *testing.T, docs []doc) []doc {
				find(t, docs, "serial", "B1051")["serial"] = "B1049"
				return docs
			},
		},
		{
			name: "required field of the wrong type", file: "v5/launches.json", check: "launches_required", want: 1,
			first: "CRS-1: date_utc",
			edit: func(t *testing.T, docs []doc) []doc {
				find(t, docs, "name", "CRS-1")["date_utc"] = "now"
				return docs
			},
		},
		{
			name: "value of the wrong type", file: "v4/payloads.json", check: "bronze_bad_values", want: 1,
			first: "payloads 5eb0e4b5b6c3bb0006eeb1e1: mass_kg",
			edit: func(t *testing.T, docs []doc) []doc {
				find(t, docs, "id", "5eb0e4b5b6c3bb0006eeb1e1")["mass_kg"] = "heavy"
				return docs
			},
		},
		{
			name: "launch naming an unknown rocket", file: "v5/launches.json", check: "launches_rocket_exists", want: 1,
			first: "CRS-1 → 000000000000000000000000",
			edit: func(t *testing.T, docs []doc) []doc {
				find(t, docs, "name", "CRS-1")["rocket"] = "000000000000000000000000"
				return docs
			},
		},
		{
			// A core whose launches omit one of its flights: the reverse
			// direction's three from USSF-44, plus this one.
			name: "core omitting a launch", file: "v4/cores.json", check: "core_launches_agree", want: 4,
			first: "CASSIOPE → B1003",
			edit: func(t *testing.T, docs []doc) []doc {
				core := find(t, docs, "serial", "B1003")
				launches := core["launches"].([]any)
				if len(launches) != 1 {
					t.Fatalf("B1003 flew %d times, want 1", len(launches))
				}
				core["launches"] = []any{}
				return docs
			},
		},
		{
			// A core listing a launch that does not list it.
			name: "core listing a launch", file: "v4/cores.json", check: "core_launches_agree", want: 4,
			first: "B1003 → CRS-2",
			edit: func(t *testing.T, docs []doc) []doc {
				core := find(t, docs, "serial", "B1003")
				core["launches"] = append(core["launches"].([]any), "5eb87ce1ffd86e000604b333")
				return docs
			},
		},
		{
			name: "document without an id", file: "v4/rockets.json", check: "extracts_keyed", want: 1,
			first: "rockets: 1 of 4 documents in run 1",
			edit: func(t *testing.T, docs []doc) []doc {
				find(t, docs, "name", "Falcon 1")["id"] = nil
				return docs
			},
		},
		{
			// Every launch soft-deleted, as a source answering [] under
			// --force-deletes leaves it (issue 13, item 11).
			name: "no live launch", file: "v5/launches.json", check: "resources_live", want: 1, over: true,
			first: "launches: no live rows, 205 soft-deleted",
			edit:  func(t *testing.T, docs []doc) []doc { return docs[:0] },
		},
		{
			// A soft-deleted record no longer counts: USSF-44 gone (its
			// row and bridge rows stay, with deleted_at set), its cores'
			// disagreement goes with it.
			name: "soft-deleted launch", file: "v5/launches.json", check: "core_launches_agree", want: 0, over: true,
			edit: func(t *testing.T, docs []doc) []doc {
				return slices.DeleteFunc(docs, func(d doc) bool { return d["name"] == "USSF-44" })
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			pool := setup(t)
			if tc.over {
				load(t, pool, snapshot)
			}
			load(t, pool, edited(t, tc.file, tc.edit))
			r := runAll(t, pool, only(t, tc.check), defaults)[tc.check]
			if r.Err != nil || r.Violations != tc.want {
				t.Fatalf("%s = %d %q (%v), want %d", tc.check, r.Violations, r.Samples, r.Err, tc.want)
			}
			if tc.want > 0 && r.Samples[0] != tc.first {
				t.Errorf("%s samples = %q, want %q first", tc.check, r.Samples, tc.first)
			}
		})
	}
}

// TestSoftDeletedTarget: a reference to a record the API stopped listing
// (soft-deleted in bronze, its row still there) does not resolve.
func TestSoftDeletedTarget(t *testing.T) {
	t.Parallel()
	const falcon1 = "5e9d0d95eda69955f709d1eb"
	pool := setup(t)
	load(t, pool, snapshot)
	load(t, pool, edited(t, "v4/rockets.json", func(t *testing.T, docs []doc) []doc {
		find(t, docs, "id", falcon1)
		return slices.DeleteFunc(docs, func(d doc) bool { return d["id"] == falcon1 })
	}))
	var flights, pads int64
	for _, l := range readDocs(t, snapshot, "v5/launches.json") {
		if l["rocket"] == falcon1 {
			flights++
		}
	}
	for _, p := range readDocs(t, snapshot, "v4/launchpads.json") {
		if slices.Contains(strs(p["rockets"]), falcon1) {
			pads++
		}
	}
	if flights == 0 || pads == 0 {
		t.Fatalf("Falcon 1 has %d launches and %d pads in the snapshot", flights, pads)
	}
	var deleted bool
	if err := pool.QueryRow(context.Background(), "SELECT deleted_at IS NOT NULL FROM bronze.rockets WHERE id = $1", falcon1).Scan(&deleted); err != nil || !deleted {
		t.Fatalf("Falcon 1 is not soft-deleted (%v)", err)
	}
	got := runAll(t, pool, only(t, "launches_rocket_exists", "launchpad_rockets_rocket_exists"), defaults)
	if r := got["launches_rocket_exists"]; r.Violations != flights {
		t.Errorf("launches_rocket_exists = %d %q, want Falcon 1's %d launches", r.Violations, r.Samples, flights)
	}
	if r := got["launchpad_rockets_rocket_exists"]; r.Violations != pads {
		t.Errorf("launchpad_rockets_rocket_exists = %d %q, want %d", r.Violations, r.Samples, pads)
	}
}

// TestBridgesMatchDocuments breaks a bridge table by hand, as a broken
// promotion would.
func TestBridgesMatchDocuments(t *testing.T) {
	t.Parallel()
	const ussf44 = "6243aec2af52800c6e91925d"
	cases := []struct{ name, sql, first string }{
		{"row missing", `DELETE FROM bronze.launch_cores WHERE launch_id = $1 AND core_index = 2`, "launches.cores " + ussf44},
		{"extra row", `INSERT INTO bronze.launch_cores (launch_id, core_index, elem, run_id) VALUES ($1, 3, '{}', 1)`, "launches.cores " + ussf44},
		{"element changed", `UPDATE bronze.launch_cores SET elem = elem || '{"flight": 99}' WHERE launch_id = $1 AND core_index = 0`, "launches.cores " + ussf44},
		{"element moved", `UPDATE bronze.launch_cores SET core_index = 7 WHERE launch_id = $1 AND core_index = 2`, "launches.cores " + ussf44},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			pool := setup(t)
			load(t, pool, snapshot)
			checks := only(t, "bridges_match_documents")
			if r := runAll(t, pool, checks, defaults)["bridges_match_documents"]; r.Violations != 0 || r.Err != nil {
				t.Fatalf("before the edit: %d %q %v", r.Violations, r.Samples, r.Err)
			}
			if tag, err := pool.Exec(context.Background(), tc.sql, ussf44); err != nil || tag.RowsAffected() != 1 {
				t.Fatalf("%s: %v, %d rows", tc.sql, err, tag.RowsAffected())
			}
			r := runAll(t, pool, checks, defaults)["bridges_match_documents"]
			if r.Violations != 1 || !slices.Equal(r.Samples, []string{tc.first}) || r.Status() != "fail" {
				t.Errorf("bridges_match_documents = %d %q %s, want 1 [%q] fail", r.Violations, r.Samples, r.Status(), tc.first)
			}
		})
	}
}

// TestBridgeFaults: a value of the wrong type in one element of a bridge
// (through a sync, as the API would send it) and one bridge row gone (as
// a promotion that skipped it would leave) are reported by
// bronze_bad_values and bridges_match_documents alone, with the keys
// docs/checks.md gives; every other check counts what it counts on the
// snapshot.
func TestBridgeFaults(t *testing.T) {
	t.Parallel()
	pool := setup(t)
	var falcon9 string
	load(t, pool, edited(t, "v4/rockets.json", func(t *testing.T, docs []doc) []doc {
		rocket := find(t, docs, "name", "Falcon 9")
		falcon9 = rocket["id"].(string)
		rocket["payload_weights"].([]any)[1].(doc)["kg"] = "heavy"
		return docs
	}))
	dragon := readDocs(t, snapshot, "v4/dragons.json")[0]["id"].(string)
	if tag, err := pool.Exec(context.Background(), `DELETE FROM bronze.dragon_thrusters WHERE dragon_id = $1 AND thruster_index = 0`, dragon); err != nil || tag.RowsAffected() != 1 {
		t.Fatalf("delete the first thruster of dragon %s: %v, %d rows", dragon, err, tag.RowsAffected())
	}

	faults := map[string][]string{
		"bronze_bad_values":       {"rockets.payload_weights " + falcon9 + "[1]: kg"},
		"bridges_match_documents": {"dragons.thrusters " + dragon},
	}
	want := documented(t, readRaw(t))
	checks := embedded(t)
	got := runAll(t, pool, checks, defaults)
	for _, c := range checks {
		r := got[c.Name]
		if keys, ok := faults[c.Name]; ok {
			if r.Err != nil || r.Violations != int64(len(keys)) || !slices.Equal(r.Samples, keys) {
				t.Errorf("%s = %d %q (%v), want %q", c.Name, r.Violations, r.Samples, r.Err, keys)
			}
		} else if r.Err != nil || r.Violations != want[c.Name] {
			t.Errorf("%s = %d %q (%v), want %d as on the snapshot", c.Name, r.Violations, r.Samples, r.Err, want[c.Name])
		}
	}
}

// TestRejectedExtract: extracts_keyed reports a resource whose last
// extract, that of the newest succeeded run, had documents without a
// usable id, and forgets it once a later run's extract has none.
func TestRejectedExtract(t *testing.T) {
	t.Parallel()
	pool := setup(t)
	checks := only(t, "extracts_keyed")
	keyed := func() check.Result {
		t.Helper()
		return runAll(t, pool, checks, defaults)["extracts_keyed"]
	}
	load(t, pool, snapshot) // run 1
	if r := keyed(); r.Err != nil || r.Violations != 0 {
		t.Fatalf("after a clean load: extracts_keyed = %d %q (%v), want 0", r.Violations, r.Samples, r.Err)
	}
	load(t, pool, edited(t, "v4/rockets.json", func(t *testing.T, docs []doc) []doc {
		delete(find(t, docs, "id", "5e9d0d95eda69955f709d1eb"), "id")
		return docs
	})) // run 2
	r := keyed()
	if want := []string{"rockets: 1 of 4 documents in run 2"}; r.Err != nil || r.Violations != 1 || !slices.Equal(r.Samples, want) || r.Severity != check.Warn {
		t.Fatalf("after an extract with a rocket without id: extracts_keyed = %d %q %s (%v), want 1 %q warn", r.Violations, r.Samples, r.Severity, r.Err, want)
	}
	// Neither a failed run (run 3) nor a succeeded one the resource was
	// absent from (run 4) is what bronze holds: it still holds run 2's
	// extract, whatever those runs' rows say of rockets (as the check's
	// description defines it).
	for _, stmt := range []string{
		`INSERT INTO meta.runs (source, status, finished_at, error) VALUES ('test', 'failed', now(), 'boom')`,
		`INSERT INTO meta.run_resources (run_id, resource, absent, landed_run_id, extract_sha256, not_modified, fetched, sanitized, rejected)
		 SELECT max(run_id), 'rockets', false, max(run_id), sha256('x'), false, 4, 0, 0 FROM meta.runs`,
		`INSERT INTO meta.runs (source, status, finished_at) VALUES ('test', 'succeeded', now())`,
		`INSERT INTO meta.run_resources (run_id, resource, absent, not_modified, fetched, sanitized, rejected)
		 SELECT max(run_id), 'rockets', true, false, 0, 0, 0 FROM meta.runs`,
	} {
		if _, err := pool.Exec(context.Background(), stmt); err != nil {
			t.Fatal(err)
		}
	}
	if r := keyed(); r.Violations != 1 || !slices.Equal(r.Samples, []string{"rockets: 1 of 4 documents in run 2"}) {
		t.Errorf("after a failed run and one rockets was absent from: extracts_keyed = %d %q, want run 2's", r.Violations, r.Samples)
	}
	load(t, pool, snapshot) // run 5
	if r := keyed(); r.Err != nil || r.Violations != 0 {
		t.Errorf("after a clean load again: extracts_keyed = %d %q (%v), want 0", r.Violations, r.Samples, r.Err)
	}
}

func TestFreshness(t *testing.T) {
	t.Parallel()
	pool := setup(t)
	ctx := context.Background()
	checks := only(t, "runs_fresh")
	fresh := func(opts check.Options) check.Result {
		t.Helper()
		return runAll(t, pool, checks, opts)["runs_fresh"]
	}
	// expect checks the count, and that the first sample starts with prefix.
	expect := func(when string, r check.Result, want int64, prefix string) {
		t.Helper()
		if r.Err != nil || r.Violations != want || r.Severity != check.Error {
			t.Errorf("%s: runs_fresh = %d %q %s (%v), want %d", when, r.Violations, r.Samples, r.Severity, r.Err, want)
		} else if want > 0 && !strings.HasPrefix(r.Samples[0], prefix) {
			t.Errorf("%s: runs_fresh samples %q, want %q first", when, r.Samples, prefix)
		}
	}

	expect("no run at all", fresh(defaults), 1, "no run ever succeeded")
	if _, err := pool.Exec(ctx, `INSERT INTO meta.runs (source, status, finished_at, error) VALUES ('test', 'failed', now(), 'boom')`); err != nil {
		t.Fatal(err)
	}
	expect("only a failed run", fresh(defaults), 1, "no run ever succeeded")
	expect("only a failed run, no age limit", fresh(check.Options{}), 1, "no run ever succeeded")

	load(t, pool, snapshot)
	expect("right after a sync", fresh(defaults), 0, "")
	// 1ns rounds up to 1µs, not down to "no limit".
	expect("right after a sync, --max-age 1ns", fresh(check.Options{MaxAge: time.Nanosecond}), 1, "run 2 finished 00:00:")

	if _, err := pool.Exec(ctx, `UPDATE meta.runs SET started_at = started_at - interval '2 days', finished_at = finished_at - interval '2 days'`); err != nil {
		t.Fatal(err)
	}
	expect("two days after", fresh(defaults), 1, "run 2 finished 2 days ")
	expect("two days after, --max-age 72h", fresh(check.Options{MaxAge: 72 * time.Hour}), 0, "")
	expect("two days after, no limit", fresh(check.Options{}), 0, "")
}

// TestRunIsolation: the checks run read-only in one REPEATABLE READ
// transaction; a check that fails is reported by name and the next ones
// still run.
func TestRunIsolation(t *testing.T) {
	t.Parallel()
	pool := setup(t)
	checks := []check.Check{
		{Name: "isolation", Severity: check.Warn, Description: "d", SQL: `SELECT current_setting('transaction_isolation') || ' ' || current_setting('transaction_read_only') AS key`},
		{Name: "broken", Severity: check.Error, Description: "d", SQL: `SELECT nope AS key FROM bronze.launches`},
		{Name: "writes", Severity: check.Error, Description: "d", SQL: `DELETE FROM meta.runs RETURNING run_id::text AS key`},
		{Name: "no_key", Severity: check.Warn, Description: "d", SQL: `SELECT 'x' AS id`},
		{Name: "two", Severity: check.Warn, Description: "d", SQL: `SELECT 'a' AS key; SELECT 'b' AS key`},
		{Name: "typed_keys", Severity: check.Warn, Description: "d", SQL: `SELECT k AS key FROM (VALUES (10), (9), (NULL), (100), (2), (1), (3)) AS v(k)`},
		{Name: "time_key", Severity: check.Warn, Description: "d", SQL: `SELECT timestamptz '2022-10-05 12:00:00-04' AS key`},
	}
	got := runAll(t, pool, checks, defaults)
	if r := got["isolation"]; r.Err != nil || !slices.Equal(r.Samples, []string{"repeatable read on"}) {
		t.Errorf("isolation = %q %v", r.Samples, r.Err)
	}
	for name, want := range map[string]string{
		"broken": `column "nope" does not exist`,
		"writes": "read-only transaction",
		"no_key": "first column must be named key",
		"two":    "multiple commands",
	} {
		r := got[name]
		if r.Err == nil || !strings.Contains(r.Err.Error(), want) || !strings.Contains(r.Err.Error(), name+".sql") || r.Status() != "error" {
			t.Errorf("%s: err %v (status %s), want one naming %s.sql with %q", name, r.Err, r.Status(), name, want)
		}
	}
	// Keys of any type arrive as PostgreSQL prints them, sorted as text.
	if r := got["typed_keys"]; r.Violations != 7 || !slices.Equal(r.Samples, []string{"1", "10", "100", "2", "3"}) {
		t.Errorf("typed_keys = %d %q", r.Violations, r.Samples)
	}
	if r := got["time_key"]; !slices.Equal(r.Samples, []string{"2022-10-05 16:00:00+00"}) {
		t.Errorf("time_key = %q, want the instant in UTC", r.Samples)
	}
	var runs int64
	if err := pool.QueryRow(context.Background(), "SELECT count(*) FROM meta.runs").Scan(&runs); err != nil || runs != 0 {
		t.Errorf("meta.runs has %d rows after the checks (%v)", runs, err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := check.Run(ctx, pool, checks, defaults); err == nil {
		t.Error("Run with a cancelled context succeeded")
	}
	if _, err := check.Run(context.Background(), pool, checks, check.Options{MaxAge: -time.Second}); err == nil {
		t.Error("Run with a negative max age succeeded")
	}
}
