package gold_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	schema "github.com/spacex-elt/loader/db"
	"github.com/spacex-elt/loader/internal/extract"
	"github.com/spacex-elt/loader/internal/pgtest"
	"github.com/spacex-elt/loader/internal/pipeline"
	"github.com/spacex-elt/loader/internal/resources"
)

const (
	snapshot = "../../testdata/spacex-api"
	docsFile = "../../docs/gold.md"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// setup returns a pool on a fresh database with every migration, function
// and view applied.
func setup(t *testing.T) *pgxpool.Pool {
	t.Helper()
	return pgtest.Pool(t, pgtest.DSN(t))
}

// sync runs `loader sync --source dir` with the loader's defaults (a run
// may soft-delete a tenth of a table's rows, and one row whatever its
// share).
func sync(t *testing.T, pool *pgxpool.Pool, dir string) pipeline.Result {
	t.Helper()
	return syncLogged(t, pool, dir, io.Discard)
}

// syncLogged is sync with its log, JSON at debug level, written to w.
func syncLogged(t *testing.T, pool *pgxpool.Pool, dir string, w io.Writer) pipeline.Result {
	t.Helper()
	contracts, err := fs.Sub(schema.FS, schema.ContractsDir)
	if err != nil {
		t.Fatal(err)
	}
	s := &pipeline.Syncer{
		Pool: pool, Source: extract.Dir(dir), Resources: resources.All, Contracts: contracts,
		Options: pipeline.Options{MaxDeleteFraction: 0.1, AllowDeletes: 1, KeepRuns: 10},
		Logger:  slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	res, err := s.Sync(context.Background())
	if err != nil {
		t.Fatalf("sync %s: %v", dir, err)
	}
	return res
}

// viewFiles names the views db/views defines (gold.x for gold.x.sql), sorted.
func viewFiles(t *testing.T) []string {
	t.Helper()
	entries, err := fs.ReadDir(schema.FS, schema.ViewsDir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if name, ok := strings.CutSuffix(e.Name(), ".sql"); ok {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

// compareAll compares every gold view with the figures computed in Go from
// the snapshot in dir. Every view file must have a computation.
func compareAll(t *testing.T, pool *pgxpool.Pool, dir string) {
	t.Helper()
	s := readSnapshot(t, dir)
	for _, name := range viewFiles(t) {
		t.Run(name, func(t *testing.T) {
			want, ok := expected[name]
			if !ok {
				t.Fatalf("%s has no Go computation in expected: add one", name)
			}
			compareView(t, pool, name, want(t, s))
		})
	}
}

// TestViewsMatchTheSnapshot syncs the bundled snapshot and compares every
// row and column of every gold view with the same figures computed in Go
// from the JSON files; then checks that syncs refresh exactly the views
// reading what they changed, and that the refreshed views match the edited
// data. The edits are cumulative.
func TestViewsMatchTheSnapshot(t *testing.T) {
	t.Parallel()
	pool := setup(t)
	all := viewFiles(t)

	res := sync(t, pool, snapshot)
	if !slices.Equal(res.ViewsRefreshed, all) {
		t.Errorf("first sync refreshed %v, want every view %v", res.ViewsRefreshed, all)
	}
	t.Run("snapshot", func(t *testing.T) { compareAll(t, pool, snapshot) })

	if res := sync(t, pool, snapshot); len(res.ViewsRefreshed) != 0 {
		t.Errorf("a second sync of the same snapshot refreshed %v, want none", res.ViewsRefreshed)
	}

	dir := copySnapshot(t)
	for _, step := range snapshotSteps {
		step.edit(t, dir)
		res := sync(t, pool, dir)
		if !slices.Equal(res.ViewsRefreshed, step.fresh) {
			t.Errorf("%s: sync refreshed %v, want %v", step.name, res.ViewsRefreshed, step.fresh)
		}
		t.Run(step.name, func(t *testing.T) { compareAll(t, pool, dir) })
	}
}

// snapshotStep is one cumulative edit of TestViewsMatchTheSnapshot.
type snapshotStep struct {
	name  string
	edit  func(t *testing.T, dir string)
	fresh []string // the views reading a table the edit changes
}

// snapshotSteps are TestViewsMatchTheSnapshot's edits, each applied on top
// of the ones before.
var snapshotSteps = []snapshotStep{
	{
		name: "crew agency changed",
		edit: func(t *testing.T, dir string) {
			editDocs(t, dir, "v4/crew.json", func(docs []map[string]any) {
				docs[0]["agency"] = "Edited Agency"
				docs[1]["agency"] = nil
			})
		},
		fresh: []string{"gold.crew_flights", "gold.crew_flights_by_agency"},
	},
	{
		name: "payload mass and orbit changed",
		edit: func(t *testing.T, dir string) {
			editDocs(t, dir, "v4/payloads.json", func(docs []map[string]any) {
				for _, p := range docs[:3] {
					p["mass_kg"] = json.Number("1234.5")
					p["orbit"] = "Edited Orbit"
				}
			})
		},
		fresh: []string{"gold.payload_flights", "gold.payload_mass_by_customer", "gold.payload_mass_by_orbit", "gold.rocket_cost_efficiency"},
	},
	{
		name: "landpad counters changed",
		edit: func(t *testing.T, dir string) {
			editDocs(t, dir, "v4/landpads.json", func(docs []map[string]any) {
				docs[0]["landing_attempts"] = json.Number("99")
			})
		},
		fresh: []string{"gold.landpad_utilisation"},
	},
	{
		name: "launches failed, landed on land, moved to the 28th",
		edit: func(t *testing.T, dir string) {
			editDocs(t, dir, "v5/launches.json", func(docs []map[string]any) {
				edited := 0
				for _, l := range docs {
					cores, _ := l["cores"].([]any)
					if l["upcoming"] != false || l["success"] != true || l["static_fire_date_utc"] == nil ||
						len(cores) != 1 || cores[0].(map[string]any)["landing_type"] != "ASDS" {
						continue
					}
					c := cores[0].(map[string]any)
					l["success"] = false
					c["landing_success"] = false
					c["landing_type"] = "RTLS"
					l["date_utc"] = l["date_utc"].(string)[:8] + "28T23:59:00.000Z"
					if edited++; edited == 3 {
						break
					}
				}
			})
		},
		fresh: every, // every view reads launches, directly or through another view
	},
	{
		// What the snapshot lacks but the views define: broken references
		// from the launch side, a launch without a date, a core twice on
		// one launch, an astronaut with two flights, a landing attempt on
		// an upcoming launch, a pad without an attempt, a customer twice.
		name: "edge cases the snapshot lacks",
		edit: func(t *testing.T, dir string) {
			var payloadID string
			editDocs(t, dir, "v5/launches.json", func(docs []map[string]any) {
				byName := map[string]map[string]any{}
				for _, l := range docs {
					byName[l["name"].(string)] = l
				}
				launch := func(name string) map[string]any {
					l := byName[name]
					if l == nil {
						t.Fatalf("no launch %q in the snapshot", name)
					}
					return l
				}
				firstCore := func(l map[string]any) map[string]any {
					return l["cores"].([]any)[0].(map[string]any)
				}
				crew1 := launch("Crew-1")["crew"].([]any)[0].(map[string]any)
				crew2 := launch("Crew-2")
				crew2["crew"] = append(crew2["crew"].([]any),
					map[string]any{"crew": crew1["crew"], "role": "Pilot"},
					map[string]any{"crew": "test-crew-missing", "role": "Commander"})
				fh := launch("Falcon Heavy Test Flight")["cores"].([]any)
				fh[1].(map[string]any)["core"] = fh[0].(map[string]any)["core"]
				launch("Starlink-1")["date_utc"] = nil
				broken := launch("Starlink-2")
				firstCore(broken)["core"] = "test-core-missing"
				broken["launchpad"] = "test-launchpad-missing"
				broken["rocket"] = "test-rocket-missing"
				broken["payloads"] = append(broken["payloads"].([]any), "test-payload-missing")
				firstCore(launch("Starlink-3"))["landpad"] = "test-landpad-missing"
				firstCore(launch("FalconSat"))["landpad"] = firstCore(launch("Starlink-3"))["landpad"]
				upcoming := firstCore(launch("USSF-44"))
				upcoming["landing_attempt"], upcoming["landing_type"], upcoming["landing_success"] = true, "ASDS", true
				payloadID = crew2["payloads"].([]any)[0].(string)
			})
			editDocs(t, dir, "v4/payloads.json", func(docs []map[string]any) {
				for _, p := range docs {
					if p["id"] == payloadID {
						p["customers"] = append(p["customers"].([]any), p["customers"].([]any)[0], "Test Customer")
					}
				}
			})
		},
		fresh: every,
	},
}

// copySnapshot copies the bundled snapshot into a directory the test may
// edit.
func copySnapshot(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(snapshot)); err != nil {
		t.Fatal(err)
	}
	return dir
}

// editDocs rewrites one file of the snapshot in dir, numbers kept exact.
func editDocs(t *testing.T, dir, file string, edit func([]map[string]any)) {
	t.Helper()
	replaceDocs(t, dir, file, func(docs []map[string]any) []map[string]any {
		edit(docs)
		return docs
	})
}

// replaceDocs rewrites one file of the snapshot in dir with the documents
// edit returns, numbers kept exact; an edit that changes nothing fails.
func replaceDocs(t *testing.T, dir, file string, edit func([]map[string]any) []map[string]any) {
	t.Helper()
	path := filepath.Join(dir, file)
	var docs []map[string]any
	readJSON(t, path, &docs)
	before, err := json.Marshal(docs)
	if err != nil {
		t.Fatal(err)
	}
	after, err := json.Marshal(edit(docs))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(before, after) {
		t.Fatalf("%s: the edit changed nothing", file)
	}
	if err := os.WriteFile(path, after, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestViewsDescribed: every gold view carries a comment on itself and on
// each column, has a unique index that REFRESH CONCURRENTLY can use, is
// defined by a file in db/views, and has a section in docs/gold.md.
func TestViewsDescribed(t *testing.T) {
	t.Parallel()
	pool := setup(t)
	files := viewFiles(t)

	rows, err := pool.Query(context.Background(), `
		SELECT format('%I.%I', n.nspname, c.relname),
		       coalesce(obj_description(c.oid, 'pg_class'), ''),
		       EXISTS (SELECT 1 FROM pg_index i
		               WHERE i.indrelid = c.oid AND i.indisunique AND i.indisvalid
		                 AND i.indpred IS NULL AND i.indexprs IS NULL)
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = 'gold' AND c.relkind = 'm'
		ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	type view struct {
		Name, Comment string
		Unique        bool
	}
	views, err := pgx.CollectRows(rows, pgx.RowToStructByPos[view])
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, v := range views {
		names = append(names, v.Name)
		if strings.TrimSpace(v.Comment) == "" {
			t.Errorf("%s has no COMMENT ON MATERIALIZED VIEW", v.Name)
		}
		if !v.Unique {
			t.Errorf("%s has no unique index on plain columns: REFRESH CONCURRENTLY would fail", v.Name)
		}
	}
	if !slices.Equal(names, files) {
		t.Errorf("gold materialized views %v, want those of db/views %v", names, files)
	}

	rows, err = pool.Query(context.Background(), `
		SELECT format('%I.%I', n.nspname, c.relname), a.attname,
		       coalesce(col_description(c.oid, a.attnum), '')
		FROM pg_class c
		JOIN pg_namespace n ON n.oid = c.relnamespace
		JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
		WHERE n.nspname = 'gold' AND c.relkind = 'm'
		ORDER BY 1, a.attnum`)
	if err != nil {
		t.Fatal(err)
	}
	type column struct{ View, Name, Comment string }
	columns, err := pgx.CollectRows(rows, pgx.RowToStructByPos[column])
	if err != nil {
		t.Fatal(err)
	}
	if len(columns) < 2*len(views) {
		t.Fatalf("%d columns in %d views: the catalog query is wrong", len(columns), len(views))
	}
	for _, c := range columns {
		if strings.TrimSpace(c.Comment) == "" {
			t.Errorf("%s.%s has no COMMENT ON COLUMN", c.View, c.Name)
		}
	}

	sections := docSections(t)
	var documented []string
	for name, text := range sections {
		documented = append(documented, name)
		for _, want := range []string{"Grain", "```sql", "FROM " + name} {
			if !strings.Contains(text, want) {
				t.Errorf("docs/gold.md, section %s: lacks %q (each section gives the grain and an example query)", name, want)
			}
		}
	}
	slices.Sort(documented)
	if !slices.Equal(documented, files) {
		t.Errorf("docs/gold.md has sections for %v, want one per view of db/views %v", documented, files)
	}
}

// docSections splits docs/gold.md into its view sections: a level-2
// heading naming a view (## `gold.x`) and the text up to the next level-2
// heading.
func docSections(t *testing.T) map[string]string {
	t.Helper()
	f, err := os.Open(docsFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sections := map[string]string{}
	var current string
	var text strings.Builder
	flush := func() {
		if current != "" {
			sections[current] = text.String()
		}
		text.Reset()
	}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if heading, ok := strings.CutPrefix(line, "## "); ok {
			flush()
			current = ""
			if name := strings.Trim(strings.TrimSpace(heading), "`"); strings.HasPrefix(name, "gold.") {
				if _, dup := sections[name]; dup {
					t.Errorf("docs/gold.md: two sections for %s", name)
				}
				current = name
			}
			continue
		}
		text.WriteString(line + "\n")
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	flush()
	return sections
}
