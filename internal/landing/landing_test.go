package landing_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/spacex-elt/loader/internal/db/dbsqlc"
	"github.com/spacex-elt/loader/internal/extract"
	"github.com/spacex-elt/loader/internal/landing"
	"github.com/spacex-elt/loader/internal/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

func setup(t *testing.T) (*pgxpool.Pool, int64) {
	t.Helper()
	c := pgtest.Pool(t, pgtest.DSN(t))
	return c, newRun(t, c)
}

// newRun opens a run in the ledger and returns its id.
func newRun(t *testing.T, c *pgxpool.Pool) int64 {
	t.Helper()
	var runID int64
	if err := c.QueryRow(context.Background(), "INSERT INTO meta.runs (source) VALUES ('test') RETURNING run_id").Scan(&runID); err != nil {
		t.Fatal(err)
	}
	return runID
}

// count runs a count query.
func count(t *testing.T, c *pgxpool.Pool, sql string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := c.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
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
	if n := count(t, c, "SELECT count(*) FROM landing.contents"); n != 0 {
		t.Errorf("stored %d documents of a broken stream, want 0", n)
	}
	if n := count(t, c, "SELECT count(*) FROM landing.manifests"); n != 0 {
		t.Errorf("%d manifests of a broken stream, want 0", n)
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

// docs is a JSON array of the given documents, as a stream.
func docs(d ...string) landing.Documents {
	return extract.NewDocuments(strings.NewReader("[" + strings.Join(d, ",") + "]"))
}

// TestCopyStoresEachContentOnce: a document is stored in full only when
// landing does not hold its bytes yet, whichever run, resource or earlier
// position in the same extract brought them; every document is still named
// in its run's manifest, at its ordinal.
func TestCopyStoresEachContentOnce(t *testing.T) {
	t.Parallel()
	c, run1 := setup(t)
	ctx := context.Background()
	a, b, a2 := `{"id":"a","v":1}`, `{"id":"b"}`, `{"id":"a","v":2}`
	nul := `{"id":"n","s":"x\u0000"}`
	type want struct{ documents, stored, sanitized int64 }
	steps := []struct {
		resource string
		in       []string
		want     want
	}{
		// a repeated in one extract: stored once, named twice.
		{"things", []string{a, b, a, nul, nul}, want{5, 3, 2}},
		// The same bytes under another resource: nothing new.
		{"others", []string{b, nul}, want{2, 0, 1}},
		// a changed, then changed back to what was stored before.
		{"things", []string{a2, b}, want{2, 1, 0}},
		{"things", []string{a, b}, want{2, 0, 0}},
	}
	runs := []int64{run1}
	for i, st := range steps {
		if i > 0 {
			runs = append(runs, newRun(t, c))
		}
		got, err := landing.Copy(ctx, c, runs[i], st.resource, time.Now(), docs(st.in...))
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if g := (want{got.Documents, got.Stored, got.Sanitized}); g != st.want {
			t.Errorf("step %d: Copy = %+v, want %+v", i, g, st.want)
		}
		var wantBytes int64
		switch i {
		case 0:
			wantBytes = int64(len(a) + len(b) + len(nul))
		case 2:
			wantBytes = int64(len(a2))
		}
		if got.StoredBytes != wantBytes {
			t.Errorf("step %d: StoredBytes = %d, want %d", i, got.StoredBytes, wantBytes)
		}
		// The run's documents, as landing.documents shows them, are the
		// extract in order.
		rows, _ := c.Query(ctx, `SELECT ordinal, resource, sha256 FROM landing.documents WHERE run_id = $1 ORDER BY ordinal`, runs[i])
		type row struct {
			Ordinal  int32
			Resource string
			SHA256   []byte
		}
		landed, err := pgx.CollectRows(rows, pgx.RowToStructByPos[row])
		if err != nil || len(landed) != len(st.in) {
			t.Fatalf("step %d: landing.documents has %d rows (%v), want %d", i, len(landed), err, len(st.in))
		}
		for j, r := range landed {
			sum := sha256.Sum256([]byte(st.in[j]))
			if r.Ordinal != int32(j) || r.Resource != st.resource || !bytes.Equal(r.SHA256, sum[:]) {
				t.Errorf("step %d: row %d = %+v, want ordinal %d, %s, %x", i, j, r, j, st.resource, sum)
			}
		}
	}
	if n := count(t, c, "SELECT count(*) FROM landing.contents"); n != 4 {
		t.Errorf("landing.contents holds %d documents, want 4 (a, b, nul, a changed)", n)
	}
	if n := count(t, c, "SELECT count(*) FROM landing.manifests"); n != 4 {
		t.Errorf("landing.manifests holds %d extracts, want 4", n)
	}
}

// TestCopyDuplicatesAcrossBatches: documents are looked up in landing a
// batch at a time, before COPY sends them; one repeated after its first
// batch was sent (not yet committed, so not found) is sent once still.
func TestCopyDuplicatesAcrossBatches(t *testing.T) {
	t.Parallel()
	c, runID := setup(t)
	var in []string
	for i := range 2500 {
		in = append(in, fmt.Sprintf(`{"id":"%d"}`, i%1200))
	}
	got, err := landing.Copy(context.Background(), c, runID, "things", time.Now(), docs(in...))
	if err != nil || got.Documents != 2500 || got.Stored != 1200 {
		t.Fatalf("Copy = %+v, %v; want 2500 documents, 1200 stored", got, err)
	}
	// The manifest goes in blocks of 2048 hashes: ordinals run on across them.
	rows, _ := c.Query(context.Background(), "SELECT ordinal FROM landing.documents WHERE run_id = $1 AND id = '7' ORDER BY ordinal", runID)
	if ords, err := pgx.CollectRows(rows, pgx.RowTo[int32]); err != nil || !slices.Equal(ords, []int32{7, 1207, 2407}) {
		t.Errorf("document 7 at ordinals %v (%v), want 7, 1207, 2407", ords, err)
	}
}

// asking counts the documents landing is asked about (LandingContentsKnown).
type asking struct {
	landing.DB
	asked int
}

func (a *asking) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	if strings.Contains(sql, "FROM landing.contents c WHERE c.sha256 = ANY") {
		a.asked += len(args[0].([][]byte))
	}
	return a.DB.Query(ctx, sql, args...)
}

// TestCopyAsksOnlyWhatTheNewestManifestLacks: the documents of the
// resource's newest manifest are in landing for certain, so an extract
// with one document changed asks landing about that one alone, and still
// counts the documents of the manifest that had something replaced.
func TestCopyAsksOnlyWhatTheNewestManifestLacks(t *testing.T) {
	t.Parallel()
	c, run1 := setup(t)
	ctx := context.Background()
	var in []string
	for i := range 600 {
		in = append(in, fmt.Sprintf(`{"id":"%d"}`, i))
	}
	in[5] = `{"id":"5","s":"x\u0000"}`
	db := &asking{DB: c}
	if got, err := landing.Copy(ctx, db, run1, "things", time.Now(), docs(in...)); err != nil || got.Stored != 600 || got.Sanitized != 1 || db.asked != 600 {
		t.Fatalf("first Copy = %+v, %v, asked about %d documents; want 600 stored, 1 sanitized, 600 asked", got, err, db.asked)
	}
	in[300] = `{"id":"300","v":2}`
	// The same documents under another resource have no manifest of it.
	for _, tc := range []struct {
		resource string
		asked    int
	}{{"things", 1}, {"others", 600}} {
		db = &asking{DB: c}
		got, err := landing.Copy(ctx, db, newRun(t, c), tc.resource, time.Now(), docs(in...))
		if err != nil || got.Documents != 600 || got.Sanitized != 1 || db.asked != tc.asked {
			t.Errorf("%s: Copy = %+v, %v, asked about %d documents; want 600 documents, 1 sanitized, %d asked",
				tc.resource, got, err, db.asked, tc.asked)
		}
	}
	if n := count(t, c, "SELECT count(*) FROM landing.contents"); n != 601 {
		t.Errorf("landing.contents holds %d documents, want 601", n)
	}
}

// TestCopyEmptyExtract: an extract of no documents is a manifest of none,
// so that a run that landed it can be told from one that did not.
func TestCopyEmptyExtract(t *testing.T) {
	t.Parallel()
	c, runID := setup(t)
	got, err := landing.Copy(context.Background(), c, runID, "things", time.Now(), docs())
	if err != nil || got.Documents != 0 {
		t.Fatalf("Copy = %+v, %v", got, err)
	}
	if n := count(t, c, "SELECT count(*) FROM landing.manifests WHERE run_id = $1 AND resource = 'things' AND sha256s = '{}'", runID); n != 1 {
		t.Errorf("%d empty manifests, want 1", n)
	}
}

// TestPrune: pruning drops the manifests of the runs no kept run reads,
// and of the documents they named those no kept manifest names; a document
// a kept run reads stays, whichever run stored it. While another run is
// running, nothing is dropped.
func TestPrune(t *testing.T) {
	t.Parallel()
	c := pgtest.Pool(t, pgtest.DSN(t))
	ctx := context.Background()
	a, b, cc, d, e := `{"id":"a"}`, `{"id":"b"}`, `{"id":"c"}`, `{"id":"d"}`, `{"id":"e"}`
	// run 3 reads run 2's extract (not modified); run 4 lands two.
	land := []struct {
		run      int64
		resource string
		in       []string
	}{{1, "things", []string{a, b}}, {2, "things", []string{a, cc}}, {4, "things", []string{a, d}}, {4, "others", []string{e}}}
	read := map[[2]any]int64{{int64(1), "things"}: 1, {int64(2), "things"}: 2, {int64(3), "things"}: 2, {int64(4), "things"}: 4, {int64(4), "others"}: 4}
	for range 4 {
		newRun(t, c)
	}
	for _, l := range land {
		if _, err := landing.Copy(ctx, c, l.run, l.resource, time.Now(), docs(l.in...)); err != nil {
			t.Fatal(err)
		}
	}
	for k, landed := range read {
		if _, err := c.Exec(ctx, `INSERT INTO meta.run_resources (run_id, resource, landed_run_id, extract_sha256, fetched)
			VALUES ($1, $2, $3, '\x00', 0)`, k[0], k[1], landed); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.Exec(ctx, "UPDATE meta.runs SET status = 'succeeded', finished_at = now()"); err != nil {
		t.Fatal(err)
	}
	stored := func() []string {
		t.Helper()
		rows, _ := c.Query(ctx, "SELECT id FROM landing.contents ORDER BY id")
		ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		return ids
	}
	prune := func(keep int, want []int64, wantStored ...string) {
		t.Helper()
		dropped, err := landing.Prune(ctx, c, keep)
		if err != nil || !slices.Equal(dropped, want) {
			t.Fatalf("Prune(%d) = %v, %v; want %v", keep, dropped, err, want)
		}
		if got := stored(); !slices.Equal(got, wantStored) {
			t.Errorf("after Prune(%d), landing.contents holds %v, want %v", keep, got, wantStored)
		}
	}
	// Runs 3 and 4 read runs 2 and 4: run 1's manifest goes, and b, which
	// only it named, with it; a, which run 1 stored, stays for runs 2 and 4.
	prune(2, []int64{1}, "a", "c", "d", "e")
	prune(2, nil, "a", "c", "d", "e")
	// A running run stops the prune: it may be about to name c.
	running := newRun(t, c)
	prune(1, nil, "a", "c", "d", "e")
	if n := count(t, c, "SELECT count(*) FROM landing.manifests WHERE run_id = 2"); n != 1 {
		t.Errorf("run 2's manifest dropped while run %d was running", running)
	}
	if _, err := c.Exec(ctx, "UPDATE meta.runs SET status = 'failed', error = 'x', finished_at = now() WHERE run_id = $1", running); err != nil {
		t.Fatal(err)
	}
	// Now the newest runs are the failed one (which read nothing) and run
	// 4, the newest succeeded: run 2's manifest goes, and c.
	prune(1, []int64{2}, "a", "d", "e")
}

// TestSanitizedLookUpWithoutStatistics: the look-up of a manifest's
// sanitized documents, when landing holds none, reads nothing but the
// partial index of them, even before landing.contents has statistics (the
// state a first sync leaves it in until autovacuum comes by): it does not
// scan landing.contents, whatever it holds.
func TestSanitizedLookUpWithoutStatistics(t *testing.T) {
	t.Parallel()
	c, runID := setup(t)
	ctx := context.Background()
	if _, err := c.Exec(ctx, `ALTER TABLE landing.contents SET (autovacuum_enabled = off)`); err != nil {
		t.Fatal(err)
	}
	in := make([]string, 20000)
	for i := range in {
		in[i] = fmt.Sprintf(`{"id":"%d"}`, i)
	}
	if _, err := landing.Copy(ctx, c, runID, "things", time.Now(), docs(in...)); err != nil {
		t.Fatal(err)
	}
	if n := count(t, c, `SELECT count(*) FROM pg_stats WHERE schemaname = 'landing' AND tablename = 'contents'`); n != 0 {
		t.Fatalf("landing.contents has statistics on %d columns; the test needs it without", n)
	}
	tx, err := c.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	got, err := dbsqlc.New().LandingManifestSanitized(ctx, tx, dbsqlc.LandingManifestSanitizedParams{RunID: runID, Resource: "things"})
	if err != nil || len(got) != 0 {
		t.Fatalf("LandingManifestSanitized = %x, %v; want none", got, err)
	}
	var scans int64
	if err := tx.QueryRow(ctx, `SELECT seq_scan FROM pg_stat_xact_user_tables WHERE relid = 'landing.contents'::regclass`).Scan(&scans); err != nil {
		t.Fatal(err)
	}
	if scans != 0 {
		t.Errorf("the look-up scanned landing.contents %d times, want 0", scans)
	}
}
