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
	diffs, err := diffView(context.Background(), q, name, want)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range diffs {
		t.Error(d)
	}
	if len(diffs) == 0 {
		t.Logf("%s: %d rows match", name, len(want.rows))
	}
}

// diffView lists how the gold view name differs from want, one line per
// missing, unexpected or repeated row and per differing value; none when
// they hold the same rows.
func diffView(ctx context.Context, q querier, name string, want table) ([]string, error) {
	if len(want.rows) == 0 {
		return nil, fmt.Errorf("%s: the Go computation gave no rows; the comparison would prove nothing", name)
	}
	wantByKey := map[string]row{}
	for _, r := range want.rows {
		k := keyOf(r, want.key)
		if _, dup := wantByKey[k]; dup {
			return nil, fmt.Errorf("%s: the Go computation repeats key %s", name, k)
		}
		wantByKey[k] = r
	}
	got, err := readView(ctx, q, name)
	if err != nil {
		return nil, err
	}
	var diffs []string
	gotByKey := map[string]row{}
	for _, r := range got {
		k := keyOf(r, want.key)
		if _, dup := gotByKey[k]; dup {
			diffs = append(diffs, fmt.Sprintf("%s: key %s appears twice", name, k))
		}
		gotByKey[k] = r
	}
	for _, k := range sortedKeys(wantByKey) {
		if _, ok := gotByKey[k]; !ok {
			diffs = append(diffs, fmt.Sprintf("%s: row %s missing", name, k))
		}
	}
	for _, k := range sortedKeys(gotByKey) {
		w, ok := wantByKey[k]
		if !ok {
			diffs = append(diffs, fmt.Sprintf("%s: unexpected row %s: %s", name, k, show(gotByKey[k])))
			continue
		}
		g := gotByKey[k]
		for _, col := range sortedKeys(g) {
			if _, ok := w[col]; !ok {
				diffs = append(diffs, fmt.Sprintf("%s: column %s is not computed by the test", name, col))
			}
		}
		for _, col := range sortedKeys(w) {
			gv, ok := g[col]
			if !ok {
				diffs = append(diffs, fmt.Sprintf("%s: the view has no column %s", name, col))
				continue
			}
			if wv := w[col]; !equal(gv, wv) {
				diffs = append(diffs, fmt.Sprintf("%s %s: %s = %s, want %s", name, k, col, format(gv), format(wv)))
			}
		}
	}
	return diffs, nil
}

// querier is a pool, connection or transaction.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// readView reads every row of a gold view with its values normalised to
// the types of row.
func readView(ctx context.Context, q querier, name string) ([]row, error) {
	ident := pgx.Identifier(strings.SplitN(name, ".", 2)).Sanitize()
	rows, err := q.Query(ctx, "SELECT * FROM "+ident)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	defer rows.Close()
	var out []row
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
		r := row{}
		for i, fd := range rows.FieldDescriptions() {
			if r[fd.Name], err = normalise(vals[i]); err != nil {
				return nil, fmt.Errorf("read %s.%s: %w", name, fd.Name, err)
			}
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	return out, nil
}

func normalise(v any) (any, error) {
	switch v := v.(type) {
	case nil, string, bool, int64:
		return v, nil
	case int16:
		return int64(v), nil
	case int32:
		return int64(v), nil
	case time.Time:
		return v.UTC(), nil
	case pgtype.Numeric:
		if !v.Valid {
			return nil, nil
		}
		if v.NaN || v.InfinityModifier != pgtype.Finite {
			return nil, fmt.Errorf("numeric %+v is not a finite number", v)
		}
		r := new(big.Rat).SetInt(v.Int)
		scale := new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(abs(v.Exp))), nil))
		if v.Exp >= 0 {
			return r.Mul(r, scale), nil
		}
		return r.Quo(r, scale), nil
	case []any:
		s := make([]string, len(v))
		for i, e := range v {
			str, ok := e.(string)
			if !ok {
				return nil, fmt.Errorf("array element %v (%T) is not text", e, e)
			}
			s[i] = str
		}
		return s, nil
	default:
		return nil, fmt.Errorf("no normalisation for %v (%T)", v, v)
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
