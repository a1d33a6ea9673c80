package gold_test

import (
	"context"
	"fmt"
	"math/big"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

// table is what a gold view should hold: its rows, identified by the
// columns of its grain.
type table struct {
	key  []string
	rows []row
}

// row maps a column name to its value: nil (NULL), int64, string, bool,
// time.Time, []string, *big.Rat (an exact number) or approx.
type row map[string]any

// approx is a quotient PostgreSQL computes with numeric division, which
// rounds it (to at least 16 significant digits): compared to the exact value
// within a relative tolerance of 1e-12.
type approx struct{ r *big.Rat }

// ratio is num/den as an approx, or nil (NULL) when den is 0: a rate or a
// cost per kg over nothing is unknown (docs/gold.md).
func ratio(num, den *big.Rat) any {
	if den.Sign() == 0 {
		return nil
	}
	return approx{new(big.Rat).Quo(num, den)}
}

// countRatio is ratio for counts.
func countRatio(num, den int64) any {
	return ratio(big.NewRat(num, 1), big.NewRat(den, 1))
}

var tolerance = big.NewRat(1, 1_000_000_000_000)

// compareView checks that the gold view name holds exactly the rows of
// want: the same grain keys, the same columns, equal values.
func compareView(t *testing.T, q querier, name string, want table) {
	t.Helper()
	if len(want.rows) == 0 {
		t.Fatalf("%s: the Go computation gave no rows; the comparison would prove nothing", name)
	}
	got := readView(t, q, name)
	wantByKey := map[string]row{}
	for _, r := range want.rows {
		k := keyOf(r, want.key)
		if _, dup := wantByKey[k]; dup {
			t.Fatalf("%s: the Go computation repeats key %s", name, k)
		}
		wantByKey[k] = r
	}
	gotByKey := map[string]row{}
	for _, r := range got {
		k := keyOf(r, want.key)
		if _, dup := gotByKey[k]; dup {
			t.Errorf("%s: key %s appears twice", name, k)
		}
		gotByKey[k] = r
	}
	for _, k := range sortedKeys(wantByKey) {
		if _, ok := gotByKey[k]; !ok {
			t.Errorf("%s: row %s missing", name, k)
		}
	}
	for _, k := range sortedKeys(gotByKey) {
		w, ok := wantByKey[k]
		if !ok {
			t.Errorf("%s: unexpected row %s: %s", name, k, show(gotByKey[k]))
			continue
		}
		g := gotByKey[k]
		for col := range g {
			if _, ok := w[col]; !ok {
				t.Errorf("%s: column %s is not computed by the test", name, col)
			}
		}
		for col, wv := range w {
			gv, ok := g[col]
			if !ok {
				t.Errorf("%s: the view has no column %s", name, col)
				continue
			}
			if !equal(gv, wv) {
				t.Errorf("%s %s: %s = %s, want %s", name, k, col, format(gv), format(wv))
			}
		}
	}
	if !t.Failed() {
		t.Logf("%s: %d rows match", name, len(got))
	}
}

// querier is a pool or connection.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// readView reads every row of a gold view with its values normalised to
// the types of row.
func readView(t *testing.T, q querier, name string) []row {
	t.Helper()
	ident := pgx.Identifier(strings.SplitN(name, ".", 2)).Sanitize()
	rows, err := q.Query(context.Background(), "SELECT * FROM "+ident)
	if err != nil {
		t.Fatalf("read %s: %v", name, err)
	}
	defer rows.Close()
	var out []row
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			t.Fatalf("read %s: %v", name, err)
		}
		r := row{}
		for i, fd := range rows.FieldDescriptions() {
			r[fd.Name] = normalise(t, vals[i])
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("read %s: %v", name, err)
	}
	return out
}

func normalise(t *testing.T, v any) any {
	t.Helper()
	switch v := v.(type) {
	case nil, string, bool, int64:
		return v
	case int16:
		return int64(v)
	case int32:
		return int64(v)
	case time.Time:
		return v.UTC()
	case pgtype.Numeric:
		if !v.Valid {
			return nil
		}
		if v.NaN || v.InfinityModifier != pgtype.Finite {
			t.Fatalf("numeric %+v is not a finite number", v)
		}
		r := new(big.Rat).SetInt(v.Int)
		scale := new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(abs(v.Exp))), nil))
		if v.Exp >= 0 {
			return r.Mul(r, scale)
		}
		return r.Quo(r, scale)
	case []any:
		s := make([]string, len(v))
		for i, e := range v {
			str, ok := e.(string)
			if !ok {
				t.Fatalf("array element %v (%T) is not text", e, e)
			}
			s[i] = str
		}
		return s
	default:
		t.Fatalf("no normalisation for %v (%T)", v, v)
		return nil
	}
}

func abs(i int32) int32 {
	if i < 0 {
		return -i
	}
	return i
}

func equal(got, want any) bool {
	switch w := want.(type) {
	case nil:
		return got == nil
	case approx:
		g, ok := got.(*big.Rat)
		if !ok {
			return false
		}
		diff := new(big.Rat).Sub(g, w.r)
		limit := new(big.Rat).Abs(w.r)
		if limit.Cmp(big.NewRat(1, 1)) < 0 {
			limit.SetInt64(1)
		}
		return diff.Abs(diff).Cmp(limit.Mul(limit, tolerance)) <= 0
	case *big.Rat:
		g, ok := got.(*big.Rat)
		return ok && g.Cmp(w) == 0
	case time.Time:
		g, ok := got.(time.Time)
		return ok && g.Equal(w)
	case []string:
		g, ok := got.([]string)
		return ok && reflect.DeepEqual(g, w)
	default:
		return reflect.TypeOf(got) == reflect.TypeOf(want) && got == want
	}
}

func format(v any) string {
	switch v := v.(type) {
	case nil:
		return "NULL"
	case approx:
		return "≈" + v.r.FloatString(12)
	case *big.Rat:
		if v.IsInt() {
			return v.RatString()
		}
		return v.FloatString(12)
	case time.Time:
		return v.UTC().Format(time.RFC3339)
	case string:
		return fmt.Sprintf("%q", v)
	case int64, bool:
		return fmt.Sprint(v)
	default:
		return fmt.Sprintf("%v (%T)", v, v)
	}
}

func keyOf(r row, cols []string) string {
	parts := make([]string, len(cols))
	for i, c := range cols {
		parts[i] = c + "=" + format(r[c])
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

func show(r row) string {
	cols := make([]string, 0, len(r))
	for c := range r {
		cols = append(cols, c)
	}
	sort.Strings(cols)
	parts := make([]string, len(cols))
	for i, c := range cols {
		parts[i] = c + "=" + format(r[c])
	}
	return strings.Join(parts, " ")
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
