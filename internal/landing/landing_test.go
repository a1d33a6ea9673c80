package landing_test

import (
	"bytes"
	"context"
	"crypto/sha256"
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
	if _, err := c.Exec(ctx, "SELECT landing.open_run($1)", runID); err != nil {
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
	if err != nil || n.Documents != 2 || n.Sanitized != 0 {
		t.Fatalf("Copy = %+v, %v; want 2 documents", n, err)
	}
	// The extract's fingerprint is the hash of its documents' hashes, in order.
	a, b := sha256.Sum256([]byte(`{"id":"a","n":1.50}`)), sha256.Sum256([]byte(`{"id":"b","s":"Δ \"q\""}`))
	if want := sha256.Sum256(append(a[:], b[:]...)); !bytes.Equal(n.SHA256, want[:]) {
		t.Errorf("extract sha256 = %x, want %x", n.SHA256, want)
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

func TestSanitize(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in, want string
		n        int
	}{
		{`{"a":"x"}`, `{"a":"x"}`, 0},
		{`{"a":"x\u0000y"}`, `{"a":"x\ufffdy"}`, 1},
		{`{"a\u0000":"\u0000\u0000"}`, `{"a\ufffd":"\ufffd\ufffd"}`, 3},
		{`{"a":"\\u0000"}`, `{"a":"\\u0000"}`, 0},   // an escaped backslash, then text
		{`{"a":"\\\u0000"}`, `{"a":"\\\ufffd"}`, 1}, // an escaped backslash, then NUL
		{`{"a":"\"\u0000"}`, `{"a":"\"\ufffd"}`, 1},
		{`{"a":"\u00e9\uD83D\uDE80"}`, `{"a":"\u00e9\uD83D\uDE80"}`, 0}, // é and a valid pair
		{`{"a":"ab\ud800cd"}`, `{"a":"ab\ufffdcd"}`, 1},                 // lone high surrogate
		{`{"a":"\udc00"}`, `{"a":"\ufffd"}`, 1},                         // lone low surrogate
		{`{"a":"\ud800\u0041"}`, `{"a":"\ufffd\u0041"}`, 1},             // high, then not a low one
		{"{\"a\":\"a\xffb\"}", "{\"a\":\"a\uFFFDb\"}", 1},               // a byte that is not UTF-8
		{`{"a":"Δ"}`, `{"a":"Δ"}`, 0},
	}
	for _, tc := range cases {
		got, n := landing.Sanitize([]byte(tc.in))
		if string(got) != tc.want || n != tc.n {
			t.Errorf("Sanitize(%q) = %q, %d; want %q, %d", tc.in, got, n, tc.want, tc.n)
		}
	}
}

// TestCopySanitizes: PostgreSQL rejects \u0000 (and lone surrogates and
// bytes that are not UTF-8) in jsonb; the document lands with U+FFFD instead, its hash is still of the bytes received, and the
// change is counted.
func TestCopySanitizes(t *testing.T) {
	t.Parallel()
	c, runID := setup(t)
	ctx := context.Background()
	in := `[{"id":"a","name":"bad\u0000name"}, {"id":"b"}, {"id":"c","d":"ab\ud800cd"}, ` + "{\"id\":\"d\",\"e\":\"x\xffy\"}]"
	got, err := landing.Copy(ctx, c, runID, "things", time.Now(), extract.NewDocuments(strings.NewReader(in)))
	if err != nil || got.Documents != 4 || got.Sanitized != 3 {
		t.Fatalf("Copy = %+v, %v; want 4 documents, 3 sanitized", got, err)
	}
	var d, e string
	if err := c.QueryRow(ctx, `SELECT max(doc->>'d'), max(doc->>'e') FROM landing.documents WHERE run_id = $1`, runID).Scan(&d, &e); err != nil {
		t.Fatal(err)
	}
	if d != "ab\ufffdcd" || e != "x\ufffdy" {
		t.Errorf("landed %q and %q, want U+FFFD for the lone surrogate and the stray byte", d, e)
	}
	var name string
	var sanitized int
	var sum []byte
	if err := c.QueryRow(ctx, `SELECT doc->>'name', sanitized, sha256 FROM landing.documents
		WHERE run_id = $1 AND ordinal = 0`, runID).Scan(&name, &sanitized, &sum); err != nil {
		t.Fatal(err)
	}
	want := sha256.Sum256([]byte(`{"id":"a","name":"bad\u0000name"}`))
	if name != "bad\ufffdname" || sanitized != 1 || string(sum) != string(want[:]) {
		t.Errorf("landed name %q sanitized %d sha256 %x; want U+FFFD, 1, %x", name, sanitized, sum, want)
	}
}
