package mutate_test

import (
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/spacex-elt/loader/internal/mutate"
)

// TestMutants: each predicate of a WHERE, a FILTER (WHERE …) and a join's
// ON is found once, whatever else the text holds, and each is removed and
// negated in place, the rest of the text untouched.
func TestMutants(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, sql string
		want      []string // the predicates, in order
	}{
		{"where and join", `SELECT a FROM t JOIN u ON u.id = t.id AND u.x IS NULL WHERE t.deleted_at IS NULL AND t.n > 1 ORDER BY a`,
			[]string{"u.id = t.id", "u.x IS NULL", "t.deleted_at IS NULL", "t.n > 1"}},
		{"left join then where", "SELECT 1 FROM t\nLEFT JOIN u ON u.id = t.u_id\nWHERE u.id IS NULL",
			[]string{"u.id = t.u_id", "u.id IS NULL"}},
		{"filter", `SELECT count(*) FILTER (WHERE success AND NOT upcoming AND CASE WHEN a THEN b ELSE c END) FROM l GROUP BY y`,
			[]string{"success", "NOT upcoming", "CASE WHEN a THEN b ELSE c END"}},
		{"between", `SELECT 1 FROM t WHERE n BETWEEN 1 AND 5 AND m IS NOT DISTINCT FROM 2`, []string{"n BETWEEN 1 AND 5", "m IS NOT DISTINCT FROM 2"}},
		{"subquery", `SELECT 1 FROM t WHERE NOT EXISTS (SELECT FROM u WHERE u.t = t.id AND u.ok) AND t.live`,
			[]string{"NOT EXISTS (SELECT FROM u WHERE u.t = t.id AND u.ok)", "u.t = t.id", "u.ok", "t.live"}},
		{"or", `SELECT 1 FROM r WHERE r.id IS NULL OR r.at < now()`,
			[]string{"r.id IS NULL OR r.at < now()", "r.id IS NULL", "r.at < now()"}},
		{"not a clause", "SELECT DISTINCT ON (a) a, 'WHERE x AND y' AS \"where\" -- WHERE z\nFROM t /* WHERE w */ ORDER BY a",
			nil},
		{"on conflict and grants", `INSERT INTO t SELECT * FROM s WHERE s.ok ON CONFLICT (id) DO UPDATE SET x = 1 WHERE t.x <> 1; GRANT SELECT ON t TO r`,
			[]string{"s.ok", "t.x <> 1"}},
		{"function body", "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 FROM t WHERE t.a = $1$$;",
			[]string{"t.a = $1"}},
		{"union", `SELECT 1 FROM a WHERE a.x UNION ALL SELECT 2 FROM b WHERE b.y`, []string{"a.x", "b.y"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ms := mutate.Mutants(tc.sql)
			var got []string
			for i, m := range ms {
				if i%2 == 0 {
					got = append(got, m.Predicate)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("predicates %q, want %q", got, tc.want)
			}
			for _, m := range ms {
				if m.SQL == tc.sql {
					t.Errorf("%s leaves the text as it was", m)
				}
			}
		})
	}
	sql := "SELECT 1\nFROM t\nWHERE a = 1 AND b"
	want := []mutate.Mutant{
		{Line: 3, Op: mutate.Remove, Predicate: "a = 1", SQL: "SELECT 1\nFROM t\nWHERE true AND b"},
		{Line: 3, Op: mutate.Negate, Predicate: "a = 1", SQL: "SELECT 1\nFROM t\nWHERE NOT (a = 1) AND b"},
		{Line: 3, Op: mutate.Remove, Predicate: "b", SQL: "SELECT 1\nFROM t\nWHERE a = 1 AND true"},
		{Line: 3, Op: mutate.Negate, Predicate: "b", SQL: "SELECT 1\nFROM t\nWHERE a = 1 AND NOT (b)"},
	}
	if got := mutate.Mutants(sql); !slices.Equal(got, want) {
		t.Errorf("Mutants(%q) =\n%q\nwant\n%q", sql, got, want)
	}
	or := mutate.Mutants("SELECT 1 FROM t WHERE a OR b")
	if len(or) != 6 || or[2].SQL != "SELECT 1 FROM t WHERE false OR b" {
		t.Errorf("a disjunct is removed by false: %q", or)
	}
}

// TestEquivalents reads the table rows of the doc and nothing else.
func TestEquivalents(t *testing.T) {
	t.Parallel()
	doc := "# Testing\n\n| File | Op | Predicate | Why |\n|---|---|---|---|\n" +
		"| `db/views/gold.x.sql` | `negate` | `l.n >= 0` | n is never negative: a count |\n" +
		"| not a row |\n| `db/x.sql` | two | cells |\n"
	got := mutate.Equivalents(doc)
	want := map[mutate.Key]string{{File: "db/views/gold.x.sql", Op: mutate.Negate, Predicate: "l.n >= 0"}: "n is never negative: a count"}
	if !maps.Equal(got, want) {
		t.Errorf("Equivalents = %q, want %q", got, want)
	}
}

// TestReport: results are sorted by file and line; a survivor is printed
// as SURVIVED unless listed, a listed one as equivalent with its reason,
// and a listed mutant that was killed is returned to be taken off the list.
func TestReport(t *testing.T) {
	t.Parallel()
	m := func(line int, op mutate.Op, pred string) mutate.Mutant {
		return mutate.Mutant{Line: line, Op: op, Predicate: pred}
	}
	results := []mutate.Result{
		{File: "db/views/b.sql", Mutant: m(3, mutate.Remove, "x"), Verdict: mutate.Survived},
		{File: "db/views/a.sql", Mutant: m(9, mutate.Negate, "y"), Verdict: mutate.Survived},
		{File: "db/views/a.sql", Mutant: m(2, mutate.Remove, "y"), Verdict: mutate.Survived},
		{File: "db/views/a.sql", Mutant: m(4, mutate.Remove, "z"), Verdict: mutate.Killed, Where: "snapshot"},
		{File: "db/views/a.sql", Mutant: m(5, mutate.Negate, "z"), Verdict: mutate.Invalid},
		{File: "db/views/b.sql", Mutant: m(6, mutate.Negate, "x"), Verdict: mutate.TimedOut},
	}
	equivalent := map[mutate.Key]string{
		{File: "db/views/a.sql", Op: mutate.Negate, Predicate: "y"}: "y is never NULL",
		{File: "db/views/a.sql", Op: mutate.Remove, Predicate: "z"}: "wrongly listed",
	}
	var out strings.Builder
	got := mutate.Report(&out, results, equivalent)
	want := mutate.Totals{Mutants: 6, Killed: 1, Invalid: 1, TimedOut: 1, Equivalent: 1, Survived: 2, Mislisted: []mutate.Result{results[3]}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Report = %+v, want %+v", got, want)
	}
	wantOut := "SURVIVED db/views/a.sql line 2: remove y\n" +
		"equivalent db/views/a.sql line 9: negate y: y is never NULL\n" +
		"SURVIVED db/views/b.sql line 3: remove x\n"
	if out.String() != wantOut {
		t.Errorf("Report wrote\n%s\nwant\n%s", out.String(), wantOut)
	}
	if s := got.String(); s != "6 mutants: 1 killed, 1 invalid SQL, 1 timed out, 1 equivalent (docs/testing.md), 2 survived" {
		t.Errorf("Totals.String() = %q", s)
	}
}
