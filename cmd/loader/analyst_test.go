package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/spacex-elt/loader/internal/pgtest"
)

// roleLogin creates a login in group on the database of dsn, dropped at
// cleanup, and returns its URL.
func roleLogin(t *testing.T, owner *pgxpool.Pool, dsn, group string) string {
	t.Helper()
	name, password := "login_"+strings.ToLower(rand.Text()[:12]), rand.Text()
	if _, err := owner.Exec(context.Background(), fmt.Sprintf("CREATE ROLE %s LOGIN PASSWORD '%s' IN ROLE %s",
		pgx.Identifier{name}.Sanitize(), password, pgx.Identifier{group}.Sanitize())); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := owner.Exec(context.Background(), "DROP ROLE "+pgx.Identifier{name}.Sanitize()); err != nil {
			t.Errorf("drop role %s: %v", name, err)
		}
	})
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.UserPassword(name, password)
	return u.String()
}

// TestAnalystReportAndRuns (issue 13, item 12): the README offers
// spacex_analyst for dashboards. A login with only that role writes loader
// report, which shows the last sync, read from gold.freshness (the analyst
// cannot read meta); loader runs, which reads meta, says which roles it
// takes instead of only "permission denied for schema meta".
func TestAnalystReportAndRuns(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn := syncSnapshot(t, snapshot)
	owner := pgtest.Pool(t, dsn) // closed after the login's cleanup, which uses it
	analyst := roleLogin(t, owner, dsn, "spacex_analyst")
	var finished time.Time
	if err := owner.QueryRow(ctx, "SELECT finished_at FROM meta.runs WHERE run_id = 1 AND status = 'succeeded'").Scan(&finished); err != nil {
		t.Fatal(err)
	}

	path := filepath.Join(t.TempDir(), "report.html")
	code, out, errOut := loader(t, nil, "report", "--out", path, "--database-url", analyst)
	want := fmt.Sprintf("report: wrote %s (data of run 1, synced %s)\n", path, finished.UTC().Format("2006-01-02 15:04:05 UTC"))
	if code != exitOK || out != want || errOut != "" {
		t.Fatalf("report as analyst: exit %d\nstdout: %q\nstderr: %q\nwant 0 and %q", code, out, errOut, want)
	}
	page, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if at := fmt.Sprintf(`<time datetime="%s">`, finished.UTC().Format(time.RFC3339)); !strings.Contains(string(page), at) || !strings.Contains(string(page), "(run 1, ") {
		t.Errorf("the analyst's report lacks the last sync %s of run 1", at)
	}

	code, out, errOut = loader(t, nil, "runs", "--database-url", analyst)
	if code != exitFailed || out != "" || strings.Count(errOut, "\n") != 1 ||
		!strings.HasPrefix(errOut, "loader runs: list runs: permission denied for schema meta: ") ||
		!strings.Contains(errOut, "spacex_writer") || !strings.Contains(errOut, "migration owner") {
		t.Errorf("runs as analyst: exit %d\nstdout: %q\nstderr: %q\nwant 1 and one line naming spacex_writer and the migration owner", code, out, errOut)
	}
}

// TestGoldFreshness: gold.freshness, as an analyst reads it, is the newest
// succeeded run, one row per resource with its counts (docs/gold.md), and
// empty before any run succeeded.
func TestGoldFreshness(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	owner := pgtest.Pool(t, dsn)
	analyst := pgtest.Pool(t, roleLogin(t, owner, dsn, "spacex_analyst"))
	var n int
	if err := analyst.QueryRow(ctx, "SELECT count(*) FROM gold.freshness").Scan(&n); err != nil || n != 0 {
		t.Fatalf("before any run: %d rows, %v; want 0", n, err)
	}
	if code, _, errOut := loader(t, nil, "sync", "--source", snapshot, "--database-url", dsn); code != 0 {
		t.Fatalf("sync: exit %d: %s", code, errOut)
	}
	// A failed run after it is not the freshest data.
	if code, _, _ := loader(t, nil, "sync", "--source", t.TempDir(), "--database-url", dsn); code != exitFailed {
		t.Fatalf("sync of an empty directory: exit %d, want %d", code, exitFailed)
	}
	type row struct {
		RunID             int64
		Resource          string
		Absent            bool
		Fetched           int64
		Inserted, Deleted *int64
	}
	rows, err := analyst.Query(ctx, "SELECT run_id, resource, absent, fetched, inserted, deleted FROM gold.freshness ORDER BY resource")
	if err != nil {
		t.Fatal(err)
	}
	got, err := pgx.CollectRows(rows, pgx.RowToStructByPos[row])
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]row{}
	for _, r := range got {
		byName[r.Resource] = r
		if r.RunID != 1 {
			t.Errorf("%s: run %d, want 1 (the newest succeeded)", r.Resource, r.RunID)
		}
	}
	if len(got) != 14 || byName["rockets"].Fetched != 4 || byName["rockets"].Inserted == nil || *byName["rockets"].Inserted != 4 ||
		byName["launches"].Fetched != 205 || !byName["starlink"].Absent {
		t.Errorf("gold.freshness as analyst: %+v", got)
	}
}
