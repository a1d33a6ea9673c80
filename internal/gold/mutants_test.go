//go:build mutate

package gold_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"slices"
	"strings"
	gosync "sync" // this package's sync runs the loader
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/sync/errgroup"

	schema "github.com/spacex-elt/loader/db"
	"github.com/spacex-elt/loader/internal/mutate"
)

// scenario is a database one of the gold tests builds, synced once, and
// what every view should hold there, computed in Go from docs/gold.md.
type scenario struct {
	name string
	pool *pgxpool.Pool
	want map[string]table
}

// TestMutants (scripts/mutate; issue 14, item 3) mutates every predicate
// of every view in db/views, one at a time, and runs the mutant where the
// gold tests compare the view: the snapshot, each step of
// TestViewsMatchTheSnapshot and each edge of TestViewsAtTheirEdges, each in
// a database synced once. In a transaction rolled back after, the view is
// dropped and created from the mutant, its dependants re-created from
// their files (as loader migrate does), and the rows of all of them
// compared with the expected tables. A mutant is killed at the first
// scenario where a row differs; an error kills it too (counted as invalid,
// or killed when it is a unique index refusing repeated keys), and so does
// a statement that runs past 5 seconds (counted as timed out). A survivor
// not listed as equivalent in docs/testing.md fails the test.
func TestMutants(t *testing.T) {
	start := time.Now()
	doc, err := os.ReadFile("../../docs/testing.md")
	if err != nil {
		t.Fatal(err)
	}
	equivalent := mutate.Equivalents(string(doc))
	scenarios := mutantScenarios(t)
	setup := time.Since(start)

	files := map[string]string{} // view name → its file's SQL
	for _, name := range every {
		b, err := schema.FS.ReadFile(path.Join(schema.ViewsDir, name+".sql"))
		if err != nil {
			t.Fatal(err)
		}
		files[name] = string(b)
	}
	dependants := viewDependants(t, scenarios[0].pool)

	// try runs one version of a view's SQL in every scenario, the ones
	// where the view or a dependant differs from the snapshot first, and
	// says where it was told apart.
	order := map[string][]scenario{}
	for _, name := range every {
		order[name] = scenarioOrder(scenarios, append([]string{name}, dependants[name]...))
	}
	try := func(ctx context.Context, name, sql string) (mutate.Verdict, string) {
		for _, s := range order[name] {
			diffs, err := runVersion(ctx, s, name, sql, dependants[name], files)
			var pgErr *pgconn.PgError
			switch {
			case errors.As(err, &pgErr) && pgErr.Code == "57014": // query_canceled
				return mutate.TimedOut, s.name
			case errors.As(err, &pgErr) && pgErr.Code == "23505": // unique_violation: rows repeat a key
				return mutate.Killed, s.name
			case err != nil:
				return mutate.Invalid, s.name + ": " + err.Error()
			case len(diffs) > 0:
				return mutate.Killed, s.name + ": " + diffs[0]
			}
		}
		return mutate.Survived, ""
	}

	// The views as written must match everywhere, or the runner proves
	// nothing.
	for _, name := range every {
		if v, where := try(context.Background(), name, files[name]); v != mutate.Survived {
			t.Fatalf("%s as written is %s in %s", name, v, where)
		}
	}

	// Mutants of views that depend on each other take the same locks: each
	// group runs its mutants one at a time, groups run side by side.
	var (
		mu      gosync.Mutex
		results []mutate.Result
	)
	g := new(errgroup.Group)
	g.SetLimit(4)
	for _, group := range viewGroups(every, dependants) {
		g.Go(func() error {
			for _, name := range group {
				file := path.Join("db", schema.ViewsDir, name+".sql")
				for _, m := range mutate.Mutants(files[name]) {
					v, where := try(context.Background(), name, m.SQL)
					mu.Lock()
					results = append(results, mutate.Result{File: file, Mutant: m, Verdict: v, Where: where})
					mu.Unlock()
				}
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		t.Fatal(err)
	}
	totals := mutate.Report(os.Stdout, results, equivalent)
	fmt.Printf("db/views: %s; %d databases set up in %s, all in %s\n",
		totals, len(scenarios), setup.Round(time.Second), time.Since(start).Round(time.Second))
	for _, p := range totals.Problems("db/views", "add an edge that tells them apart (docs/gold.md first)") {
		t.Error(p)
	}
}

// mutantScenarios builds, and syncs, a database for each state the gold
// tests compare the views in: the snapshot, each cumulative step of
// TestViewsMatchTheSnapshot (synced after the snapshot, as there), and
// each edge of TestViewsAtTheirEdges (likewise).
func mutantScenarios(t *testing.T) []scenario {
	t.Helper()
	var out []scenario
	add := func(name, dir string) {
		pool := setup(t)
		sync(t, pool, snapshot)
		if dir != snapshot {
			sync(t, pool, dir)
		}
		s := readSnapshot(t, dir)
		want := map[string]table{}
		for _, view := range every {
			want[view] = expected[view](t, s)
		}
		out = append(out, scenario{name: name, pool: limited(t, pool), want: want})
	}
	add("snapshot", snapshot)
	dir := copySnapshot(t)
	for _, step := range snapshotSteps {
		step.edit(t, dir)
		frozen := t.TempDir()
		if err := os.CopyFS(frozen, os.DirFS(dir)); err != nil {
			t.Fatal(err)
		}
		add("snapshot step "+step.name, frozen)
	}
	for _, e := range edges {
		dir := copySnapshot(t)
		e.edit(t, dir)
		add("edge "+e.name, dir)
	}
	return out
}

// limited reopens pool with a statement timeout of 5 seconds and no idle
// connection kept for long: there are over twenty of them.
func limited(t *testing.T, pool *pgxpool.Pool) *pgxpool.Pool {
	t.Helper()
	cfg := pool.Config().Copy()
	pool.Close()
	cfg.ConnConfig.RuntimeParams["statement_timeout"] = "5s"
	cfg.MaxConns, cfg.MinConns = 2, 0
	cfg.MaxConnIdleTime, cfg.HealthCheckPeriod = 100*time.Millisecond, 200*time.Millisecond
	p, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	return p
}

// viewDependants maps each view to the views that read it, directly or
// through another view, in the order loader migrate creates them: what
// dropping it CASCADE takes away. They come from the same function that
// picks the views a sync refreshes.
func viewDependants(t *testing.T, pool *pgxpool.Pool) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, name := range every {
		rows, err := pool.Query(context.Background(), "SELECT view FROM meta.views_to_refresh(ARRAY[$1::regclass], ARRAY['*'])", name)
		if err != nil {
			t.Fatal(err)
		}
		names, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatalf("the views reading %s: %v", name, err)
		}
		out[name] = names
	}
	return out
}

// viewGroups partitions views into the groups that dependants links: a
// view with the views reading it, and with what those read.
func viewGroups(views []string, dependants map[string][]string) [][]string {
	parent := map[string]string{}
	var root func(v string) string
	root = func(v string) string {
		if p, ok := parent[v]; ok && p != v {
			return root(p)
		}
		return v
	}
	for _, v := range views {
		for _, d := range dependants[v] {
			parent[root(d)] = root(v)
		}
	}
	index := map[string]int{}
	var groups [][]string
	for _, v := range views {
		i, ok := index[root(v)]
		if !ok {
			i = len(groups)
			index[root(v)] = i
			groups = append(groups, nil)
		}
		groups[i] = append(groups[i], v)
	}
	return groups
}

// scenarioOrder puts the snapshot first, then the scenarios where one of
// views should hold other rows than in the snapshot (where a mutant most
// likely shows), then the rest.
func scenarioOrder(scenarios []scenario, views []string) []scenario {
	rank := func(s scenario) int {
		if s.name == scenarios[0].name {
			return 0
		}
		for _, v := range views {
			if !sameRows(s.want[v], scenarios[0].want[v]) {
				return 1
			}
		}
		return 2
	}
	out := slices.Clone(scenarios)
	slices.SortStableFunc(out, func(a, b scenario) int { return rank(a) - rank(b) })
	return out
}

// runVersion creates the view name from sql in s's database, in a
// transaction it rolls back, with its dependants re-created from their
// files, and lists how the rows of all of them differ from s's expected
// tables.
func runVersion(ctx context.Context, s scenario, name, sql string, dependants []string, files map[string]string) ([]string, error) {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback(ctx) // nothing is kept
	ident := pgx.Identifier(strings.SplitN(name, ".", 2)).Sanitize()
	if _, err := tx.Exec(ctx, "DROP MATERIALIZED VIEW "+ident+" CASCADE"); err != nil {
		return nil, err
	}
	// No arguments: the simple protocol runs the file's statements as one
	// batch, as loader migrate does.
	if _, err := tx.Exec(ctx, sql, pgx.QueryExecModeSimpleProtocol); err != nil {
		return nil, err
	}
	for _, d := range dependants {
		if _, err := tx.Exec(ctx, files[d], pgx.QueryExecModeSimpleProtocol); err != nil {
			return nil, fmt.Errorf("re-create %s: %w", d, err)
		}
	}
	for _, v := range append([]string{name}, dependants...) {
		diffs, err := diffView(ctx, tx, v, s.want[v])
		var pgErr *pgconn.PgError
		if err != nil && !errors.As(err, &pgErr) {
			// Rows the test cannot read (a NULL role in roles): compareView
			// fails on them too.
			diffs, err = []string{err.Error()}, nil
		}
		if err != nil || len(diffs) > 0 {
			return diffs, err
		}
	}
	return nil, nil
}
