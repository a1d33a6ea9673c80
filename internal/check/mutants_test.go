//go:build mutate

package check_test

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/sync/errgroup"

	"github.com/spacex-elt/loader/internal/check"
	"github.com/spacex-elt/loader/internal/mutate"
)

// scenario is a database the tests run the checks in, and the keys each
// check has there.
type scenario struct {
	check string // the check planted in it; "" for the snapshot
	pool  *pgxpool.Pool
	keys  map[string][]string
}

// TestMutants (scripts/mutate; issue 14, item 3) mutates every predicate
// of every check in db/checks, one at a time, and runs the mutant where the
// tests run the check: the snapshot (TestSnapshot) and each planted case
// of TestEveryCheckFires, each in a database synced once. A mutant is
// killed when its keys differ from the check's in one of them, which is
// what those tests pin (the snapshot's counts and samples, and each case's
// keys; and the same with the planted records soft-deleted); an error
// kills it too, and so does a statement that runs past
// 5 seconds (counted apart: a test of it would time out). A survivor not
// listed as equivalent in docs/testing.md fails the test.
func TestMutants(t *testing.T) {
	start := time.Now()
	doc, err := os.ReadFile("../../docs/testing.md")
	if err != nil {
		t.Fatal(err)
	}
	equivalent := mutate.Equivalents(string(doc))
	var scenarios []scenario
	// add keeps a scenario's keys, and a pool on it that holds no idle
	// connection for long: there are over a hundred of them.
	add := func(name string, pool *pgxpool.Pool) {
		s := scenario{check: name, keys: allKeys(t, pool)}
		cfg := pool.Config().Copy()
		pool.Close()
		cfg.ConnConfig.RuntimeParams["statement_timeout"] = "5s"
		cfg.MaxConns, cfg.MinConns = 2, 0
		cfg.MaxConnIdleTime, cfg.HealthCheckPeriod = 100*time.Millisecond, 200*time.Millisecond
		if s.pool, err = pgxpool.NewWithConfig(context.Background(), cfg); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(s.pool.Close)
		scenarios = append(scenarios, s)
	}
	add("", firing{}.database(t))
	for _, f := range firings(t) {
		add(f.check, f.database(t))
		if f.gone() != nil {
			add(f.check, f.soft(t))
		}
		if f.targets != nil {
			add(f.check, f.orphaned(t))
		}
	}
	setup := time.Since(start)

	var (
		mu      sync.Mutex
		results []mutate.Result
	)
	g := new(errgroup.Group)
	g.SetLimit(4)
	for _, c := range embedded(t) {
		// Its own planted case first, where a mutant most likely differs.
		order := slices.Clone(scenarios)
		slices.SortStableFunc(order, func(a, b scenario) int {
			return map[bool]int{true: 0, false: 1}[a.check == c.Name] - map[bool]int{true: 0, false: 1}[b.check == c.Name]
		})
		file := "db/checks/" + c.Name + ".sql"
		src, err := os.ReadFile("../../" + file)
		if err != nil {
			t.Fatal(err)
		}
		header := strings.Count(string(src[:strings.Index(string(src), c.SQL)]), "\n")
		for _, m := range mutate.Mutants(c.SQL) {
			m.Line += header
			g.Go(func() error {
				mc := c
				mc.SQL = m.SQL
				r := mutate.Result{File: file, Mutant: m, Verdict: mutate.Survived}
				for _, s := range order {
					res, err := check.Run(context.Background(), s.pool, []check.Check{everyKey(mc)}, defaults)
					if err != nil {
						return err
					}
					keys, err := splitKeys(res[0])
					var pgErr *pgconn.PgError
					switch {
					case errors.As(err, &pgErr) && pgErr.Code == "57014": // query_canceled
						r.Verdict = mutate.TimedOut
					case err != nil:
						r.Verdict = mutate.Invalid
					case !slices.Equal(keys, s.keys[c.Name]):
						r.Verdict = mutate.Killed
					default:
						continue
					}
					r.Where = cmp.Or(s.check, "the snapshot")
					break
				}
				mu.Lock()
				results = append(results, r)
				mu.Unlock()
				return nil
			})
		}
	}
	if err := g.Wait(); err != nil {
		t.Fatal(err)
	}
	totals := mutate.Report(os.Stdout, results, equivalent)
	fmt.Printf("db/checks: %s; %d databases set up in %s, all in %s\n",
		totals, len(scenarios), setup.Round(time.Second), time.Since(start).Round(time.Second))
	for _, p := range totals.Problems("db/checks", "plant a case that tells them apart") {
		t.Error(p)
	}
}
