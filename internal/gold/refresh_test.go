package gold_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
)

// docReads is what each view reads, as docs/gold.md's **Reads:** line
// of its section says: view → table or view → its columns.
func docReads(t *testing.T) map[string]map[string][]string {
	t.Helper()
	bullet := regexp.MustCompile("(?s)\n- \\*\\*Reads:\\*\\* (.*?)\\.\n")
	input := regexp.MustCompile("`(\\w+\\.\\w+)` \\(([^)]*)\\)")
	column := regexp.MustCompile("`(\\w+)`")
	reads := map[string]map[string][]string{}
	for view, text := range docSections(t) {
		m := bullet.FindStringSubmatch(text)
		if m == nil {
			t.Errorf("docs/gold.md: the section of %s has no **Reads:** line", view)
			continue
		}
		reads[view] = map[string][]string{}
		for _, in := range input.FindAllStringSubmatch(strings.Join(strings.Fields(m[1]), " "), -1) {
			for _, c := range column.FindAllStringSubmatch(in[2], -1) {
				reads[view][in[1]] = append(reads[view][in[1]], c[1])
			}
		}
		if len(reads[view]) == 0 {
			t.Errorf("docs/gold.md: %s reads nothing, by its **Reads:** line %q", view, m[1])
		}
	}
	return reads
}

// stale is what a sync that changed the given columns ("bronze.launches.success",
// or "bronze.launches.*" for all of a table's) must refresh, by docs/gold.md:
// the views whose Reads name one of them, and the views that read those,
// sorted by name (the order they are refreshed in).
func stale(t *testing.T, changed ...string) []string {
	t.Helper()
	reads := docReads(t)
	out := map[string]bool{}
	for view, inputs := range reads {
		for table, cols := range inputs {
			for _, c := range changed {
				i := strings.LastIndex(c, ".")
				if tbl, col := c[:i], c[i+1:]; table == tbl && (col == "*" || slices.Contains(cols, col)) {
					out[view] = true
				}
			}
		}
	}
	for grew := true; grew; {
		grew = false
		for view, inputs := range reads {
			for input := range inputs {
				if out[input] && !out[view] {
					out[view], grew = true, true
				}
			}
		}
	}
	return slices.Sorted(maps.Keys(out))
}

// ledgerViews is meta.runs.views_refreshed of the newest run.
func ledgerViews(t *testing.T, pool *pgxpool.Pool) []string {
	t.Helper()
	var views []string
	if err := pool.QueryRow(context.Background(),
		`SELECT coalesce(views_refreshed, '{}') FROM meta.runs ORDER BY run_id DESC LIMIT 1`).Scan(&views); err != nil {
		t.Fatal(err)
	}
	return views
}

// agreesWithFullRefresh checks that every gold view holds what a full,
// plain refresh of every view (in a transaction rolled back) gives: no
// view a sync left alone is stale.
func agreesWithFullRefresh(t *testing.T, pool *pgxpool.Pool) {
	t.Helper()
	ctx := context.Background()
	tx, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback(ctx) }()
	contents := func() map[string]string {
		out := map[string]string{}
		for _, view := range viewFiles(t) {
			var sum string
			// Rows as text, sorted: the same rows give the same hash
			// whatever order a refresh stored them in.
			if err := tx.QueryRow(ctx, fmt.Sprintf(
				`SELECT coalesce(md5(string_agg(v::text, E'\n' ORDER BY v::text)), '') FROM %s v`, view)).Scan(&sum); err != nil {
				t.Fatalf("%s: %v", view, err)
			}
			out[view] = sum
		}
		return out
	}
	before := contents()
	for _, view := range viewFiles(t) {
		if _, err := tx.Exec(ctx, "REFRESH MATERIALIZED VIEW "+view); err != nil {
			t.Fatalf("refresh %s: %v", view, err)
		}
	}
	after := contents()
	for _, view := range viewFiles(t) {
		if before[view] != after[view] {
			t.Errorf("%s is stale: a full refresh changes it", view)
		}
	}
}

// TestRefreshReadsChangedColumns syncs the snapshot, changes it once, and
// syncs again: the second sync must refresh exactly the views that read a
// column the change wrote (their **Reads:** lines in docs/gold.md), and the
// views that read those, name them in the ledger, and leave every view as
// a full refresh would. Each case is a database of its own.
func TestRefreshReadsChangedColumns(t *testing.T) {
	t.Parallel()
	// launch returns the launch of docs named name.
	launch := func(t *testing.T, docs []map[string]any, name string) map[string]any {
		t.Helper()
		for _, l := range docs {
			if l["name"] == name {
				return l
			}
		}
		t.Fatalf("no launch %q in the snapshot", name)
		return nil
	}
	cases := []struct {
		name string
		// edits change the copied snapshot, one sync after each.
		edits []func(t *testing.T, dir string)
		// changed are the columns the last edit changes, as
		// "schema.table.column" ("schema.table.*": all of them).
		changed []string
		// some says the expected set is a strict, non-empty subset of the
		// views, so that the case tells column from table.
		some bool
	}{
		{
			// details is read by no view.
			name: "a launch's details edited",
			edits: []func(t *testing.T, dir string){func(t *testing.T, dir string) {
				editDocs(t, dir, "v5/launches.json", func(docs []map[string]any) {
					launch(t, docs, "CRS-20")["details"] = "Edited details"
				})
			}},
		},
		{
			name: "a launch's success edited",
			edits: []func(t *testing.T, dir string){func(t *testing.T, dir string) {
				editDocs(t, dir, "v5/launches.json", func(docs []map[string]any) {
					l := launch(t, docs, "CRS-20")
					if l["success"] != true {
						t.Fatalf("CRS-20's success is %v, want true", l["success"])
					}
					l["success"] = false
				})
			}},
			changed: []string{"bronze.launches.success"},
			some:    true,
		},
		{
			// A core's landing type is a bridge column (bronze.launch_cores);
			// the launch's own typed columns stay as they were.
			name: "a launch's core landing type edited",
			edits: []func(t *testing.T, dir string){func(t *testing.T, dir string) {
				editDocs(t, dir, "v5/launches.json", func(docs []map[string]any) {
					core := launch(t, docs, "CRS-20")["cores"].([]any)[0].(map[string]any)
					if core["landing_type"] != "RTLS" {
						t.Fatalf("CRS-20's core landed %v, want RTLS", core["landing_type"])
					}
					core["landing_type"] = "ASDS"
				})
			}},
			changed: []string{"bronze.launch_cores.landing_type"},
			some:    true,
		},
		{
			// The crew member's bridge row is deleted: all its columns.
			name: "a launch's last crew member removed",
			edits: []func(t *testing.T, dir string){func(t *testing.T, dir string) {
				editDocs(t, dir, "v5/launches.json", func(docs []map[string]any) {
					l := launch(t, docs, "Crew-1")
					crew := l["crew"].([]any)
					l["crew"] = crew[:len(crew)-1]
				})
			}},
			changed: []string{"bronze.launch_crew.*"},
			some:    true,
		},
		{
			name: "a launch soft-deleted",
			edits: []func(t *testing.T, dir string){func(t *testing.T, dir string) {
				replaceDocs(t, dir, "v5/launches.json", func(docs []map[string]any) []map[string]any {
					return slices.DeleteFunc(docs, func(l map[string]any) bool { return l["name"] == "CRS-20" })
				})
			}},
			changed: []string{"bronze.launches.deleted_at"},
		},
		{
			name: "a soft-deleted launch back",
			edits: []func(t *testing.T, dir string){
				func(t *testing.T, dir string) {
					replaceDocs(t, dir, "v5/launches.json", func(docs []map[string]any) []map[string]any {
						return slices.DeleteFunc(docs, func(l map[string]any) bool { return l["name"] == "CRS-20" })
					})
				},
				func(t *testing.T, dir string) {
					replaceDocs(t, dir, "v5/launches.json", func(docs []map[string]any) []map[string]any {
						var all []map[string]any
						readJSON(t, snapshot+"/v5/launches.json", &all)
						return append(docs, launch(t, all, "CRS-20"))
					})
				},
			},
			changed: []string{"bronze.launches.deleted_at"},
		},
		{
			// A new launch with cores, payloads and crew: every column of
			// launches and of those bridges.
			name: "a launch inserted",
			edits: []func(t *testing.T, dir string){func(t *testing.T, dir string) {
				replaceDocs(t, dir, "v5/launches.json", func(docs []map[string]any) []map[string]any {
					l := maps.Clone(launch(t, docs, "Crew-1"))
					l["id"], l["name"] = "test-launch-inserted", "Test launch inserted"
					return append(docs, l)
				})
			}},
			changed: []string{"bronze.launches.*", "bronze.launch_cores.*", "bronze.launch_payloads.*", "bronze.launch_crew.*"},
		},
	}
	all := viewFiles(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			pool := setup(t)
			sync(t, pool, snapshot)
			dir := copySnapshot(t)
			var got []string
			for _, edit := range c.edits {
				edit(t, dir)
				got = sync(t, pool, dir).ViewsRefreshed
			}
			want := stale(t, c.changed...)
			t.Logf("refreshed %v", got)
			if c.some && (len(want) == 0 || len(want) == len(all)) {
				t.Fatalf("docs/gold.md: %v are read by %v, want some views but not all", c.changed, want)
			}
			if !slices.Equal(got, want) {
				t.Errorf("sync refreshed %v, want %v (the views reading %v, and theirs)", got, want, c.changed)
			}
			if ledger := ledgerViews(t, pool); !slices.Equal(ledger, got) {
				t.Errorf("meta.runs.views_refreshed is %v, the run refreshed %v", ledger, got)
			}
			agreesWithFullRefresh(t, pool)
		})
	}
}

// TestReadsDocumented: each view's **Reads:** line in docs/gold.md names
// exactly the columns PostgreSQL records the view's query as reading.
func TestReadsDocumented(t *testing.T) {
	t.Parallel()
	pool := setup(t)
	rows, err := pool.Query(context.Background(), `
		SELECT r.ev_class::regclass::text, d.refobjid::regclass::text, coalesce(a.attname::text, '*')
		FROM pg_rewrite r
		JOIN pg_class v ON v.oid = r.ev_class AND v.relkind = 'm'
		JOIN pg_namespace n ON n.oid = v.relnamespace AND n.nspname = 'gold'
		JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid
		     AND d.refclassid = 'pg_class'::regclass AND d.refobjid <> r.ev_class
		LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid AND d.refobjsubid > 0
		ORDER BY 1, 2, 3`)
	if err != nil {
		t.Fatal(err)
	}
	catalog := map[string]map[string][]string{}
	for rows.Next() {
		var view, input, col string
		if err := rows.Scan(&view, &input, &col); err != nil {
			t.Fatal(err)
		}
		if catalog[view] == nil {
			catalog[view] = map[string][]string{}
		}
		catalog[view][input] = append(catalog[view][input], col)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	docs := docReads(t)
	for _, view := range viewFiles(t) {
		for input, cols := range catalog[view] {
			slices.Sort(cols)
			if doc := slices.Sorted(slices.Values(docs[view][input])); !slices.Equal(doc, cols) {
				t.Errorf("docs/gold.md: %s reads %s %v, the catalog says %v", view, input, doc, cols)
			}
		}
		for input := range docs[view] {
			if catalog[view][input] == nil {
				t.Errorf("docs/gold.md: %s reads %s, the catalog says it does not", view, input)
			}
		}
	}
}

// TestPromotionReportsChangedColumns: the promotion reports the columns it
// wrote a different value to (the debug log's "resource promoted" line),
// and the refresh says why it refreshed each view ("view refreshed").
func TestPromotionReportsChangedColumns(t *testing.T) {
	t.Parallel()
	// The columns every rewrite of a launch changes, whatever its edit.
	rewrite := []string{"bronze.launches.doc", "bronze.launches.doc_sha256", "bronze.launches.run_id", "bronze.launches.updated_at"}
	cases := []struct {
		name string
		edit func(docs []map[string]any) []map[string]any
		// changed are the columns of launches and its bridges the
		// promotion must report, as "schema.table.column", or
		// "schema.table.*" for every column the catalog gives the table.
		changed []string
		// because are views that must be refreshed, with why.
		because map[string][]string
	}{
		{
			name: "details edited",
			edit: func(docs []map[string]any) []map[string]any {
				docs[0]["details"] = "Edited details"
				return docs
			},
			changed: append([]string{"bronze.launches.details"}, rewrite...),
		},
		{
			name: "success edited",
			edit: func(docs []map[string]any) []map[string]any {
				for _, l := range docs {
					if l["name"] == "CRS-20" {
						l["success"] = false
					}
				}
				return docs
			},
			changed: append([]string{"bronze.launches.success"}, rewrite...),
			because: map[string][]string{
				"gold.launch_stats_by_year_rocket": {"bronze.launches.success"},
				"gold.core_reuse":                  {"gold.core_flights"},
			},
		},
		{
			// The new launch lists cores, payloads and crew, but no
			// fairing ships or failures: those bridges get no row.
			name: "launch inserted",
			edit: func(docs []map[string]any) []map[string]any {
				for _, l := range docs {
					if l["name"] == "Crew-1" {
						l = maps.Clone(l)
						l["id"], l["name"] = "test-launch-inserted", "Test launch inserted"
						l["ships"], l["capsules"] = []any{}, []any{}
						return append(docs, l)
					}
				}
				return nil
			},
			changed: []string{"bronze.launches.*", "bronze.launch_cores.*", "bronze.launch_payloads.*", "bronze.launch_crew.*"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			pool := setup(t)
			sync(t, pool, snapshot)
			dir := copySnapshot(t)
			replaceDocs(t, dir, "v5/launches.json", c.edit)
			var log bytes.Buffer
			syncLogged(t, pool, dir, &log)

			var got []string
			because := map[string][]string{}
			for line := range strings.Lines(log.String()) {
				var e struct {
					Msg, Resource, View string
					Changed, Because    []string
				}
				if err := json.Unmarshal([]byte(line), &e); err != nil {
					t.Fatalf("log line %q: %v", line, err)
				}
				switch {
				case e.Msg == "resource promoted" && e.Resource == "launches":
					got = e.Changed
				case e.Msg == "view refreshed":
					because[e.View] = e.Because
				}
			}
			var want []string
			for _, col := range c.changed {
				if table, ok := strings.CutSuffix(col, ".*"); ok {
					want = append(want, catalogColumns(t, pool, table)...)
				} else {
					want = append(want, col)
				}
			}
			slices.Sort(want)
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Errorf("the promotion reported %v changed, want %v", got, want)
			}
			for view, why := range c.because {
				if !slices.Equal(because[view], why) {
					t.Errorf("%s refreshed because of %v, want %v", view, because[view], why)
				}
			}
		})
	}
}

// catalogColumns lists the columns of table, as "table.column", sorted.
func catalogColumns(t *testing.T, pool *pgxpool.Pool, table string) []string {
	t.Helper()
	var cols []string
	if err := pool.QueryRow(context.Background(), `
		SELECT array_agg($1 || '.' || attname ORDER BY attname)
		FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped`, table).Scan(&cols); err != nil {
		t.Fatal(err)
	}
	return cols
}

// TestWholeRowReadsEveryColumn: a view that reads a row whole (to_jsonb(l),
// l::text, a function of l) reads every column of it, though PostgreSQL
// records only the columns it names (pg_depend keeps no whole-table
// dependency beside column ones): a change to any column must refresh it.
func TestWholeRowReadsEveryColumn(t *testing.T) {
	t.Parallel()
	pool := setup(t)
	for _, q := range []string{
		`CREATE MATERIALIZED VIEW gold.whole_row_json AS SELECT l.id, to_jsonb(l) ->> 'details' AS details FROM bronze.launches l WHERE l.deleted_at IS NULL`,
		`CREATE MATERIALIZED VIEW gold.whole_row_text AS SELECT l.id, md5(l::text) AS h FROM bronze.launches l`,
		`CREATE MATERIALIZED VIEW gold.named_columns AS SELECT l.id, l.success FROM bronze.launches l`,
		`INSERT INTO meta.applied_sql (name, kind, sha256) VALUES ('gold.whole_row_json', 'view', 'test'), ('gold.whole_row_text', 'view', 'test'), ('gold.named_columns', 'view', 'test')`,
	} {
		if _, err := pool.Exec(context.Background(), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	var got []string
	rows, err := pool.Query(context.Background(),
		`SELECT view FROM meta.views_to_refresh(ARRAY['bronze.launches']::regclass[], ARRAY['details'])
		WHERE view IN ('gold.whole_row_json', 'gold.whole_row_text', 'gold.named_columns')`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		got = append(got, v)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	// named_columns reads success, not details: it stays.
	if want := []string{"gold.whole_row_json", "gold.whole_row_text"}; !slices.Equal(got, want) {
		t.Errorf("a change to bronze.launches.details refreshes %q of the test views; want %q", got, want)
	}
}
