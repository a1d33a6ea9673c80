package check_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/spacex-elt/loader/internal/check"
)

// TestRecordAndLatest: results go into meta.check_runs and
// meta.check_results as Record was given them, and Latest reads back the
// newest run of every check and the newest --only run after it.
func TestRecordAndLatest(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := setup(t)

	if every, rec, err := check.Latest(ctx, pool); every != nil || rec != nil || err != nil {
		t.Fatalf("Latest before any: %+v, %+v, %v; want none", every, rec, err)
	}
	results := []check.Result{
		{Name: "b_pass", Severity: check.Error, Samples: []string{}},
		{Name: "a_warn", Severity: check.Warn, Violations: 7, Samples: []string{"k1", "k2 → x"}},
		{Name: "c_fail", Severity: check.Error, Violations: 1, Samples: []string{"only"}},
		{Name: "d_error", Severity: check.Warn, Samples: []string{}, Err: errors.New("check d_error (d_error.sql): relation \"x\" does not exist")},
	}
	first, err := check.Record(ctx, pool, results[:1], check.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	second, err := check.Record(ctx, pool, results, check.Options{MaxAge: 36 * time.Hour}, []string{"b_pass", "a_warn", "c_fail", "d_error"})
	if err != nil {
		t.Fatal(err)
	}
	if second != first+1 {
		t.Errorf("check run ids %d, %d; want consecutive", first, second)
	}

	var maxAges []string
	if err := pool.QueryRow(ctx, "SELECT array_agg(max_age::text ORDER BY check_run_id) FROM meta.check_runs").Scan(&maxAges); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(maxAges, []string{"00:00:00", "36:00:00"}) {
		t.Errorf("max_age %v, want 0 and 36h", maxAges)
	}
	var statuses []string
	if err := pool.QueryRow(ctx, "SELECT array_agg(name || ' ' || status || ' ' || coalesce(error, '-') ORDER BY name) FROM meta.check_results WHERE check_run_id = $1", second).Scan(&statuses); err != nil {
		t.Fatal(err)
	}
	want := []string{"a_warn warn -", "b_pass pass -", "c_fail fail -", `d_error error check d_error (d_error.sql): relation "x" does not exist`}
	if !slices.Equal(statuses, want) {
		t.Errorf("recorded %q, want %q", statuses, want)
	}

	every, rec, err := check.Latest(ctx, pool)
	if err != nil || rec == nil {
		t.Fatalf("Latest: %+v, %v", rec, err)
	}
	// Issue 13 item 18: a later --only run does not hide the full one.
	if every == nil || every.CheckRunID != first || every.Only != nil || len(every.Results) != 1 || every.Results[0].Name != "b_pass" {
		t.Errorf("Latest, every check: %+v; want check run %d, of b_pass, without --only", every, first)
	}
	if rec.CheckRunID != second || !slices.Equal(rec.Only, []string{"b_pass", "a_warn", "c_fail", "d_error"}) || rec.Age < 0 || rec.Age > time.Minute || rec.CheckedAt.IsZero() {
		t.Errorf("Latest: %+v", rec)
	}
	byName := slices.Clone(results)
	slices.SortFunc(byName, func(a, b check.Result) int {
		if a.Name < b.Name {
			return -1
		}
		return 1
	})
	if len(rec.Results) != len(byName) {
		t.Fatalf("Latest: %d results, want %d", len(rec.Results), len(byName))
	}
	for i, got := range rec.Results {
		w := byName[i]
		if got.Name != w.Name || got.Severity != w.Severity || got.Violations != w.Violations || !slices.Equal(got.Samples, w.Samples) ||
			got.Samples == nil || got.Status() != w.Status() || (got.Err == nil) != (w.Err == nil) || got.Err != nil && got.Err.Error() != w.Err.Error() {
			t.Errorf("result %d: %+v, want %+v", i, got, w)
		}
	}
}

// TestLatestKeepsFullRunBeforeOnly: issue 13 item 18. Of full run 1,
// --only run 2, full run 3 and --only runs 4 and 5, Latest gives 3 and 5;
// after a full run 6, it gives 6 and no --only run.
func TestLatestKeepsFullRunBeforeOnly(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := setup(t)
	res := []check.Result{{Name: "a", Severity: check.Error, Samples: []string{}}}
	var ids []int64
	for _, only := range [][]string{nil, {"a"}, nil, {"a"}, {"a"}} {
		id, err := check.Record(ctx, pool, res, check.Options{}, only)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	every, only, err := check.Latest(ctx, pool)
	if err != nil || every == nil || only == nil || every.CheckRunID != ids[2] || only.CheckRunID != ids[4] || !slices.Equal(only.Only, []string{"a"}) {
		t.Fatalf("Latest: %+v, %+v, %v; want runs %d and %d", every, only, err, ids[2], ids[4])
	}
	if _, err := check.Record(ctx, pool, res, check.Options{}, nil); err != nil {
		t.Fatal(err)
	}
	if every, only, err = check.Latest(ctx, pool); err != nil || every == nil || every.CheckRunID != ids[4]+1 || only != nil {
		t.Errorf("Latest after a full run: %+v, %+v, %v; want run %d and no later --only run", every, only, err, ids[4]+1)
	}
}
