package landing_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/spacex-elt/loader/internal/extract"
	"github.com/spacex-elt/loader/internal/landing"
	"github.com/spacex-elt/loader/internal/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

func setup(t *testing.T) (*pgx.Conn, int64) {
	t.Helper()
	ctx := context.Background()
	c, err := pgx.Connect(ctx, pgtest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(ctx) })
	var runID int64
	if err := c.QueryRow(ctx, "INSERT INTO meta.runs (source) VALUES ('test') RETURNING run_id").Scan(&runID); err != nil {
		t.Fatal(err)
	}
	return c, runID
}

func TestCopyLandsDocumentsWithLineage(t *testing.T) {
	t.Parallel()
	c, runID := setup(t)
	ctx := context.Background()
	at := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	in := `[{"id":"a","n":1.50}, {"id":"b","s":"Δ \"q\""}]`
	n, err := landing.Copy(ctx, c, runID, "things", at, extract.NewDocuments(strings.NewReader(in)))
	if err != nil || n != 2 {
		t.Fatalf("Copy = %d, %v; want 2", n, err)
	}
	rows, _ := c.Query(ctx, `SELECT ordinal, resource, extracted_at, encode(sha256, 'hex'), doc->>'id'
		FROM landing.documents WHERE run_id = $1 ORDER BY ordinal`, runID)
	type row struct {
		Ordinal    int32
		Resource   string
		At         time.Time
		SHA256, ID string
	}
	got, err := pgx.CollectRows(rows, pgx.RowToStructByPos[row])
	if err != nil {
		t.Fatal(err)
	}
	// sha256 of the raw bytes as received, not of jsonb's normalised text.
	wantSHA := []string{
		"1c738991e272d9b852229d67cf8f2e92aa3943c749f27974aac2ffaf1b57e05d",
		"f8718711a940caaafef4d3e5bb705e290edf562fc19ef3774c6d2a8772434490",
	}
	if len(got) != 2 {
		t.Fatalf("landed %d rows, want 2", len(got))
	}
	for i, r := range got {
		if r.Ordinal != int32(i) || r.Resource != "things" || !r.At.Equal(at) || r.ID != []string{"a", "b"}[i] {
			t.Errorf("row %d = %+v", i, r)
		}
		if r.SHA256 != wantSHA[i] {
			t.Errorf("row %d sha256 = %s, want %s", i, r.SHA256, wantSHA[i])
		}
	}
}

// TestCopyIsAllOrNothing: a stream that breaks after some documents lands
// none of them.
func TestCopyIsAllOrNothing(t *testing.T) {
	t.Parallel()
	c, runID := setup(t)
	ctx := context.Background()
	_, err := landing.Copy(ctx, c, runID, "things", time.Now(),
		extract.NewDocuments(strings.NewReader(`[{"id":"a"}, {"id":"b"}, {"id":`)))
	if !errors.Is(err, extract.ErrMalformed) {
		t.Fatalf("err = %v, want ErrMalformed", err)
	}
	var n int
	if err := c.QueryRow(ctx, "SELECT count(*) FROM landing.documents WHERE run_id = $1", runID).Scan(&n); err != nil || n != 0 {
		t.Errorf("landed %d documents of a broken stream (%v), want 0", n, err)
	}
}
