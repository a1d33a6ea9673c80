package pgtest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// Querier is a pool, connection or transaction.
type Querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// The fingerprints below are computed in SQL, independently of the code
// under test, to tell "untouched" and "exactly this content" apart from
// anything in between.

// relations lists bronze and gold tables and materialized views.
func relations(t testing.TB, q Querier) []string {
	t.Helper()
	rows, err := q.Query(context.Background(), `
		SELECT format('%I.%I', n.nspname, c.relname)
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname IN ('bronze', 'gold') AND c.relkind IN ('r', 'm')
		ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil || len(names) < 8 {
		t.Fatalf("bronze/gold relations %v, %v", names, err)
	}
	return names
}

// hashWith fingerprints every relation with a row expression over the rows
// that match where, and also bridge for the launch bridge tables.
func hashWith(t testing.TB, q Querier, rowExpr, where, bridge string) string {
	t.Helper()
	var b strings.Builder
	for _, name := range relations(t, q) {
		var h string
		cond := "true"
		if strings.HasPrefix(name, "bronze.launch_") {
			cond = bridge
		}
		sql := fmt.Sprintf(`SELECT md5(coalesce(string_agg(r, E'\n' ORDER BY r), ''))
			FROM (SELECT (%s)::text AS r FROM %s x WHERE %s AND %s) s`, rowExpr, name, where, cond)
		if err := q.QueryRow(context.Background(), sql).Scan(&h); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		fmt.Fprintf(&b, "%s=%s\n", name, h)
	}
	return b.String()
}

// FullHash fingerprints every column of every row of every bronze and gold
// relation, bookkeeping included: equal hashes mean untouched.
func FullHash(t testing.TB, q Querier) string {
	t.Helper()
	return hashWith(t, q, "x", "true", "true")
}

// ContentHash fingerprints the data of the live bronze rows and gold,
// without what legitimately differs between two loads of the same data
// (which run wrote a row, when, the hash of the raw bytes it was written
// from, which formatting alone changes, and rows soft-deleted earlier, with
// the bridge rows of such launches).
func ContentHash(t testing.TB, q Querier) string {
	t.Helper()
	return hashWith(t, q, "to_jsonb(x) - 'run_id' - 'updated_at' - 'deleted_at' - 'doc_sha256'",
		"to_jsonb(x) ->> 'deleted_at' IS NULL",
		"EXISTS (SELECT 1 FROM bronze.launches l WHERE l.id = x.launch_id AND l.deleted_at IS NULL)")
}

// Dump renders the full content of every bronze and gold relation as text,
// one line per row, sorted, for characterization fixtures: each row as
// jsonb without updated_at (a clock reading), with deleted_at as whether it
// is set, and doc as the md5 of its text (the document itself is checked
// against the snapshot elsewhere). Timestamps are rendered in UTC.
func Dump(t testing.TB, db interface {
	Begin(context.Context) (pgx.Tx, error)
}) string {
	t.Helper()
	ctx := context.Background()
	q, err := db.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer q.Rollback(ctx)
	if _, err := q.Exec(ctx, "SET LOCAL TimeZone = 'UTC'"); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, name := range relations(t, q) {
		sql := fmt.Sprintf(`SELECT coalesce(string_agg(r, E'\n' ORDER BY r), '')
			FROM (SELECT (to_jsonb(x) - 'updated_at' - 'doc' - 'deleted_at'
			      || CASE WHEN to_jsonb(x) ? 'doc' THEN jsonb_build_object('doc', md5((to_jsonb(x) -> 'doc')::text)) ELSE '{}' END
			      || CASE WHEN to_jsonb(x) ? 'deleted_at' THEN jsonb_build_object('deleted', to_jsonb(x) -> 'deleted_at' <> 'null') ELSE '{}' END
			      )::text AS r FROM %s x) s`, name)
		var rows string
		if err := q.QueryRow(context.Background(), sql).Scan(&rows); err != nil {
			t.Fatalf("dump %s: %v", name, err)
		}
		fmt.Fprintf(&b, "## %s\n%s\n", name, rows)
	}
	return b.String()
}
