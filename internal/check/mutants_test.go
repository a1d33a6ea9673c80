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

	type result struct {
		key      mutate.Key
		mutant   mutate.Mutant
		verdict  string
		scenario string
	}
	var (
		mu      sync.Mutex
		results []result
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
				r := result{key: mutate.Key{File: file, Op: m.Op, Predicate: m.Predicate}, mutant: m, verdict: "survived"}
				for _, s := range order {
					res, err := check.Run(context.Background(), s.pool, []check.Check{everyKey(mc)}, defaults)
					if err != nil {
						return err
					}
					keys, err := splitKeys(res[0])
					var pgErr *pgconn.PgError
					switch {
					case errors.As(err, &pgErr) && pgErr.Code == "57014": // query_canceled
						r.verdict = "timeout"
					case err != nil:
						r.verdict = "invalid"
					case !slices.Equal(keys, s.keys[c.Name]):
						r.verdict = "killed"
					default:
						continue
					}
					r.scenario = s.check
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
	slices.SortFunc(results, func(a, b result) int {
		return cmp.Or(strings.Compare(a.key.File, b.key.File), a.mutant.Line-b.mutant.Line)
	})
	count := map[string]int{}
	var survivors int
	for _, r := range results {
		why, listed := equivalent[r.key]
		switch {
		case r.verdict == "survived" && listed:
			count["equivalent"]++
			fmt.Printf("equivalent %s %s: %s\n", r.key.File, r.mutant, why)
		case r.verdict == "survived":
			survivors++
			fmt.Printf("SURVIVED %s %s\n", r.key.File, r.mutant)
		default:
			count[r.verdict]++
			if listed {
				t.Errorf("%s %s is listed as equivalent in docs/testing.md, but was %s: take it off the list", r.key.File, r.mutant, r.verdict)
			}
		}
	}
	fmt.Printf("db/checks: %d mutants: %d killed, %d invalid SQL, %d timed out, %d equivalent (docs/testing.md), %d survived; %d databases set up in %s, all in %s\n",
		len(results), count["killed"], count["invalid"], count["timeout"], count["equivalent"], survivors,
		len(scenarios), setup.Round(time.Second), time.Since(start).Round(time.Second))
	if survivors > 0 {
		t.Errorf("%d mutants of db/checks survived: plant a case that tells them apart, or list them in docs/testing.md with why they are equivalent", survivors)
	}
}
