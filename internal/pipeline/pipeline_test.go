package pipeline_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"maps"
	"math/big"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	schema "github.com/spacex-elt/loader/db"
	"github.com/spacex-elt/loader/internal/db"
	"github.com/spacex-elt/loader/internal/extract"
	"github.com/spacex-elt/loader/internal/fakeapi"
	"github.com/spacex-elt/loader/internal/ledger"
	"github.com/spacex-elt/loader/internal/pgtest"
	"github.com/spacex-elt/loader/internal/pipeline"
	"github.com/spacex-elt/loader/internal/resources"
)

const snapshot = "../../testdata/spacex-api"

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// setup returns a pool on a fresh migrated database.
func setup(t *testing.T) (*pgxpool.Pool, string) {
	t.Helper()
	dsn := pgtest.DSN(t)
	return connect(t, dsn), dsn
}

func connect(t *testing.T, dsn string) *pgxpool.Pool {
	t.Helper()
	return pgtest.Pool(t, dsn)
}

func syncFrom(t *testing.T, pool *pgxpool.Pool, src extract.Source) (pipeline.Result, error) {
	t.Helper()
	return syncer(t, pool, src).Sync(context.Background())
}

// syncer is a Syncer with the loader's defaults.
func syncer(t testing.TB, pool *pgxpool.Pool, src extract.Source) *pipeline.Syncer {
	t.Helper()
	contracts, err := fs.Sub(schema.FS, schema.ContractsDir)
	if err != nil {
		t.Fatal(err)
	}
	return &pipeline.Syncer{
		Pool: pool, Source: src, Resources: resources.All, Contracts: contracts,
		Options: pipeline.Options{MaxDeleteFraction: 0.1, MaxRejectFraction: 0.1, KeepRuns: 10},
		Logger:  slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
}

func mustSync(t *testing.T, pool *pgxpool.Pool, src extract.Source) pipeline.Result {
	t.Helper()
	res, err := syncFrom(t, pool, src)
	if err != nil {
		t.Fatalf("sync: %v", err)
	}
	return res
}

func httpSource(url string) *extract.HTTP {
	return &extract.HTTP{
		BaseURL: url, Client: &http.Client{Timeout: 10 * time.Second},
		Retries: 2, RetryDelay: time.Millisecond,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
}

// snapshotFile is the file of dir that a sync reads for resource (its
// route's, or the first alternate's dir has; its route's when none).
func snapshotFile(t *testing.T, dir, resource string) (name string, object bool) {
	t.Helper()
	for _, r := range resources.All {
		if r.Name == resource {
			name, err := extract.Dir(dir).File(extract.Request{Path: r.Path, Alternates: r.Alternates})
			if errors.Is(err, extract.ErrAbsent) {
				return filepath.Join(dir, filepath.FromSlash(r.Path)+".json"), r.Object
			}
			if err != nil {
				t.Fatal(err)
			}
			return name, r.Object
		}
	}
	t.Fatalf("no resource %q in the registry", resource)
	return "", false
}

// rawDocs reads the snapshot file of a resource as a list of generic
// documents, numbers kept exact; none when dir lacks the resource.
func rawDocs(t *testing.T, dir, resource string) []map[string]any {
	t.Helper()
	name, object := snapshotFile(t, dir, resource)
	f, err := os.Open(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dec := json.NewDecoder(f)
	dec.UseNumber()
	var docs []map[string]any
	if object {
		var doc map[string]any
		err = dec.Decode(&doc)
		docs = []map[string]any{doc}
	} else {
		err = dec.Decode(&docs)
	}
	if err != nil {
		t.Fatal(err)
	}
	return docs
}

// arrayLen is the length of the array at a dotted path of doc; 0 when
// there is none.
func arrayLen(doc map[string]any, path string) int {
	var v any = doc
	for _, k := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return 0
		}
		v = m[k]
	}
	a, _ := v.([]any)
	return len(a)
}

func queryInt(t *testing.T, pool *pgxpool.Pool, sql string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

func TestSyncSnapshotCounts(t *testing.T) {
	t.Parallel()
	pool, _ := setup(t)
	res := mustSync(t, pool, extract.Dir(snapshot))

	var total int64
	for _, r := range res.Resources {
		want := int64(len(rawDocs(t, snapshot, r.Resource)))
		total += want
		if r.Documents != want || r.Inserted != want || r.Updated != 0 || r.Unchanged != 0 {
			t.Errorf("%s counts = %+v, want fetched = inserted = %d", r.Resource, r.Counts, want)
		}
		if got := queryInt(t, pool, "SELECT count(*) FROM bronze."+r.Resource); got != want {
			t.Errorf("bronze.%s has %d rows, want %d", r.Resource, got, want)
		}
	}
	if len(res.Resources) != len(resources.All) {
		t.Fatalf("resources = %d, want the registry's %d", len(res.Resources), len(resources.All))
	}
	// The snapshot has no starlink: recorded absent, not an error.
	for _, r := range res.Resources {
		if want := len(rawDocs(t, snapshot, r.Resource)) == 0; r.Absent != want || r.Absent && !r.Skipped {
			t.Errorf("%s: absent = %v, skipped = %v; want absent = %v", r.Resource, r.Absent, r.Skipped, want)
		}
	}

	// Every bridge holds exactly the elements of its raw arrays.
	for _, r := range resources.All {
		docs := rawDocs(t, snapshot, r.Name)
		for _, b := range r.Bridges {
			var want int64
			for _, d := range docs {
				want += int64(arrayLen(d, b.Array))
			}
			if got := queryInt(t, pool, "SELECT count(*) FROM "+b.Table); got != want {
				t.Errorf("%s = %d rows, want %d (the elements of %s.%s)", b.Table, got, want, r.Name, b.Array)
			}
			if want == 0 && len(docs) > 0 {
				t.Errorf("%s: the snapshot has no %s.%s elements, so the count proves nothing", b.Table, r.Name, b.Array)
			}
		}
	}
	// v5 launches give every crew member's role.
	if got := queryInt(t, pool, "SELECT count(*) FROM bronze.launch_crew WHERE role IS NOT NULL AND crew_id IS NOT NULL"); got != 30 {
		t.Errorf("launch_crew rows with a role = %d, want 30", got)
	}
	var payloadLinks int64
	for _, l := range rawDocs(t, snapshot, "launches") {
		payloadLinks += int64(arrayLen(l, "payloads"))
	}
	if got := queryInt(t, pool, `
		SELECT count(*) FROM bronze.launches l
		CROSS JOIN LATERAL jsonb_array_elements_text(l.doc->'payloads') AS e(payload_id)
		JOIN bronze.launch_payloads lp ON lp.launch_id = l.id AND lp.payload_id = e.payload_id`); got != payloadLinks {
		t.Errorf("launch_payloads matching the raw arrays = %d, want %d", got, payloadLinks)
	}

	// The ledger has the run, succeeded, with the same counts.
	var status string
	var finished bool
	if err := pool.QueryRow(context.Background(),
		"SELECT status, finished_at IS NOT NULL FROM meta.runs WHERE run_id = $1", res.RunID).Scan(&status, &finished); err != nil {
		t.Fatal(err)
	}
	if status != "succeeded" || !finished {
		t.Errorf("ledger status = %q finished = %v, want succeeded, finished", status, finished)
	}
	if got := queryInt(t, pool, "SELECT sum(inserted) FROM meta.run_resources WHERE run_id = $1", res.RunID); got != total {
		t.Errorf("ledger inserted = %d, want %d", got, total)
	}
}

func TestSyncBronzeTypesAndNulls(t *testing.T) {
	t.Parallel()
	pool, _ := setup(t)
	mustSync(t, pool, extract.Dir(snapshot))
	ctx := context.Background()

	// Column types are the ones the model promises.
	wantTypes := map[string]string{
		"launches.date_utc":            "timestamp with time zone",
		"launches.success":             "boolean",
		"launches.launch_library_id":   "uuid",
		"rockets.first_flight":         "date",
		"rockets.cost_per_launch":      "numeric",
		"payloads.mass_kg":             "numeric",
		"payloads.epoch":               "timestamp with time zone",
		"payloads.norad_ids":           "ARRAY",
		"launch_cores.landing_success": "boolean",
	}
	for col, want := range wantTypes {
		table, column, _ := strings.Cut(col, ".")
		var got string
		if err := pool.QueryRow(ctx, `SELECT data_type FROM information_schema.columns
			WHERE table_schema = 'bronze' AND table_name = $1 AND column_name = $2`, table, column).Scan(&got); err != nil {
			t.Fatalf("%s: %v", col, err)
		}
		if got != want {
			t.Errorf("bronze.%s is %s, want %s", col, got, want)
		}
	}

	// Every typed column is filled from the snapshot somewhere: a column
	// always NULL would mean its generated expression reads a path the
	// documents do not have.
	// Except where the snapshot itself has no value: the resource it lacks,
	// a model field no record has, and fields null in every record.
	rows, err := pool.Query(ctx, `SELECT table_name, column_name FROM information_schema.columns
		WHERE table_schema = 'bronze' AND column_name NOT IN ('issues', 'deleted_at')
		  AND table_name <> 'starlink'
		  AND (table_name, column_name) NOT IN (('capsules', 'dragon_id'),
		      ('ships', 'speed_kn'), ('ships', 'course_deg'), ('ships', 'last_ais_update'))`)
	if err != nil {
		t.Fatal(err)
	}
	cols, err := pgx.CollectRows(rows, pgx.RowToStructByPos[struct{ Table, Column string }])
	if err != nil || len(cols) < 100 {
		t.Fatalf("bronze columns: %d, %v", len(cols), err)
	}
	for _, c := range cols {
		q := fmt.Sprintf("SELECT count(%s) FROM bronze.%s", pgx.Identifier{c.Column}.Sanitize(), pgx.Identifier{c.Table}.Sanitize())
		if n := queryInt(t, pool, q); n == 0 {
			t.Errorf("bronze.%s.%s is NULL in every row", c.Table, c.Column)
		}
	}

	// NULL wherever the API has null, and only there.
	launches := rawDocs(t, snapshot, "launches")
	payloads := rawDocs(t, snapshot, "payloads")
	countNull := func(docs []map[string]any, key string) int64 {
		var n int64
		for _, d := range docs {
			if d[key] == nil {
				n++
			}
		}
		return n
	}
	nullChecks := []struct {
		sql  string
		want int64
	}{
		{"SELECT count(*) FROM bronze.launches WHERE success IS NULL", countNull(launches, "success")},
		{"SELECT count(*) FROM bronze.launches WHERE details IS NULL", countNull(launches, "details")},
		{"SELECT count(*) FROM bronze.launches WHERE window_sec IS NULL", countNull(launches, "window")},
		{"SELECT count(*) FROM bronze.launches WHERE launch_library_id IS NULL", countNull(launches, "launch_library_id")},
		{"SELECT count(*) FROM bronze.launches WHERE static_fire_date_utc IS NULL", countNull(launches, "static_fire_date_utc")},
		{"SELECT count(*) FROM bronze.payloads WHERE mass_kg IS NULL", countNull(payloads, "mass_kg")},
		{"SELECT count(*) FROM bronze.payloads WHERE epoch IS NULL", countNull(payloads, "epoch")},
		{"SELECT count(*) FROM bronze.launches WHERE window_sec = 0", func() (n int64) {
			for _, l := range launches {
				if w, ok := l["window"].(json.Number); ok && w == "0" {
					n++
				}
			}
			return n
		}()},
	}
	for _, c := range nullChecks {
		if got := queryInt(t, pool, c.sql); got != c.want {
			t.Errorf("%s = %d, want %d", c.sql, got, c.want)
		}
	}
	if n := countNull(launches, "success"); n != 19 {
		t.Errorf("snapshot has %d null successes, PROVENANCE.md says 19", n)
	}

	// Exact values of one known launch (flight 151, Starlink 4-11).
	var (
		flight         int
		dateUTC        time.Time
		success        *bool
		rocket         string
		coreFlight     *int
		landingSuccess *bool
		landingType    *string
		fairingsReused *bool
	)
	err = pool.QueryRow(ctx, `
		SELECT l.flight_number, l.date_utc, l.success, l.rocket_id, c.flight, c.landing_success, c.landing_type, l.fairings_reused
		FROM bronze.launches l JOIN bronze.launch_cores c ON c.launch_id = l.id AND c.core_index = 0
		WHERE l.id = '61fc0203e0dc5662b76489a8'`).Scan(&flight, &dateUTC, &success, &rocket, &coreFlight, &landingSuccess, &landingType, &fairingsReused)
	if err != nil {
		t.Fatal(err)
	}
	if flight != 151 || !dateUTC.Equal(time.Date(2022, 2, 25, 17, 12, 0, 0, time.UTC)) ||
		success == nil || !*success || rocket != "5e9d0d95eda69973a809d1ec" ||
		coreFlight == nil || *coreFlight != 4 || landingSuccess == nil || !*landingSuccess ||
		landingType == nil || *landingType != "ASDS" || fairingsReused != nil {
		t.Errorf("launch 61fc0203e0dc5662b76489a8 = %d %s %v %s %v %v %v %v", flight, dateUTC, success, rocket, coreFlight, landingSuccess, landingType, fairingsReused)
	}

	// Mixed int/decimal masses survive exactly.
	var mass string
	if err := pool.QueryRow(ctx, "SELECT mass_lbs::text FROM bronze.payloads WHERE id = '5eb0e4cdb6c3bb0006eeb245'").Scan(&mass); err != nil {
		t.Fatal(err)
	}
	if mass != "4.4" {
		t.Errorf("payload PSat 2 mass_lbs = %s, want 4.4", mass)
	}

	// Upcoming launches keep their null core ids as NULL, not ''.
	if got := queryInt(t, pool, "SELECT count(*) FROM bronze.launch_cores WHERE core_id = ''"); got != 0 {
		t.Errorf("%d launch_cores have core_id ''", got)
	}
	if got := queryInt(t, pool, "SELECT count(*) FROM bronze.launch_cores WHERE core_id IS NULL"); got != 19 {
		t.Errorf("launch_cores with NULL core_id = %d, want 19 (PROVENANCE.md)", got)
	}
}

func TestSyncLandingLineage(t *testing.T) {
	t.Parallel()
	pool, _ := setup(t)
	before := time.Now()
	res := mustSync(t, pool, extract.Dir(snapshot))

	// The position and hash of each landed rocket match the raw file.
	raw, err := os.ReadFile(filepath.Join(snapshot, "v4", "rockets.json"))
	if err != nil {
		t.Fatal(err)
	}
	var elems []json.RawMessage
	if err := json.Unmarshal(raw, &elems); err != nil {
		t.Fatal(err)
	}
	rows, err := pool.Query(context.Background(), `
		SELECT ordinal, sha256, doc->>'id', extracted_at FROM landing.documents
		WHERE run_id = $1 AND resource = 'rockets' ORDER BY ordinal`, res.RunID)
	if err != nil {
		t.Fatal(err)
	}
	type landed struct {
		Ordinal     int32
		SHA256      []byte
		ID          string
		ExtractedAt time.Time
	}
	got, err := pgx.CollectRows(rows, pgx.RowToStructByPos[landed])
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(elems) {
		t.Fatalf("landed %d rockets, want %d", len(got), len(elems))
	}
	for i, l := range got {
		var doc struct{ ID string }
		_ = json.Unmarshal(elems[i], &doc)
		sum := sha256.Sum256(elems[i])
		if l.Ordinal != int32(i) || l.ID != doc.ID || string(l.SHA256) != string(sum[:]) ||
			l.ExtractedAt.Before(before.Add(-time.Second)) || l.ExtractedAt.After(time.Now()) {
			t.Errorf("landed rocket %d = %+v, want ordinal %d id %s sha256 %x", i, l, i, doc.ID, sum)
		}
	}
}

// copySnapshot makes a writable copy of the snapshot with some files
// replaced.
func copySnapshot(t *testing.T, replace map[string][]byte) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(snapshot)); err != nil {
		t.Fatal(err)
	}
	for name, b := range replace {
		file, _ := snapshotFile(t, dir, strings.TrimSuffix(name, ".json"))
		if err := os.WriteFile(file, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestSyncFailureLeavesBronzeAndGoldUntouched(t *testing.T) {
	t.Parallel()
	rockets, err := os.ReadFile(filepath.Join(snapshot, "v4", "rockets.json"))
	if err != nil {
		t.Fatal(err)
	}
	// A rename that would show in bronze and gold if anything leaked.
	renamed := []byte(strings.Replace(string(rockets), `"name": "Falcon 9"`, `"name": "Falcon 9 Renamed"`, 1))
	if string(renamed) == string(rockets) {
		t.Fatal("rockets.json fixture: rename did not apply")
	}
	cases := []struct {
		name     string
		src      func(t *testing.T) extract.Source
		resource string
	}{
		{"3rd resource truncated", func(t *testing.T) extract.Source {
			return extract.Dir(copySnapshot(t, map[string][]byte{"rockets.json": renamed, "payloads.json": []byte(`[{"id": "a"}, {"id": `)}))
		}, "payloads"},
		{"4th resource malformed", func(t *testing.T) extract.Source {
			return extract.Dir(copySnapshot(t, map[string][]byte{"rockets.json": renamed, "launches.json": []byte(`[{"id": "a"} {"id": "b"}]`)}))
		}, "launches"},
		{"4th resource not an array", func(t *testing.T) extract.Source {
			return extract.Dir(copySnapshot(t, map[string][]byte{"rockets.json": renamed, "launches.json": []byte(`{"docs": []}`)}))
		}, "launches"},
		{"4th resource empty: fails inside the promotion transaction", func(t *testing.T) extract.Source {
			return extract.Dir(copySnapshot(t, map[string][]byte{"rockets.json": renamed, "launches.json": []byte(`[]`)}))
		}, "launches"},
		{"3rd resource HTTP 500 past retries", func(t *testing.T) extract.Source {
			api := fakeapi.New(copySnapshot(t, map[string][]byte{"rockets.json": renamed}))
			api.Fault = func(p string, _ int) http.HandlerFunc {
				if p == "/v4/payloads" {
					return func(w http.ResponseWriter, _ *http.Request) { http.Error(w, "boom", http.StatusInternalServerError) }
				}
				return nil
			}
			srv := httptest.NewServer(api)
			t.Cleanup(srv.Close)
			t.Cleanup(func() {
				if got := api.Calls("/v4/payloads"); got != 3 {
					t.Errorf("payloads requested %d times, want 3 (1 + 2 retries)", got)
				}
			})
			return httpSource(srv.URL)
		}, "payloads"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			pool, _ := setup(t)
			mustSync(t, pool, extract.Dir(snapshot))
			before := pgtest.FullHash(t, pool)

			res, err := syncFrom(t, pool, tc.src(t))
			if err == nil {
				t.Fatal("sync succeeded, want failure")
			}
			if !strings.Contains(err.Error(), "resource "+tc.resource) {
				t.Errorf("error %q does not name resource %s", err, tc.resource)
			}
			if after := pgtest.FullHash(t, pool); after != before {
				t.Errorf("bronze/gold changed by a failed sync:\nbefore:\n%s\nafter:\n%s", before, after)
			}
			for _, r := range res.Resources {
				if r.Counts != (ledger.Counts{}) || r.PromotionDuration != 0 {
					t.Errorf("%s: counts %+v, promotion %s; want none: the promotion did not commit", r.Resource, r.Counts, r.PromotionDuration)
				}
			}
			var status, msg string
			if err := pool.QueryRow(context.Background(),
				"SELECT status, error FROM meta.runs WHERE run_id = $1", res.RunID).Scan(&status, &msg); err != nil {
				t.Fatal(err)
			}
			if status != "failed" || !strings.Contains(msg, tc.resource) {
				t.Errorf("ledger: status %q error %q, want failed naming %s", status, msg, tc.resource)
			}
		})
	}
}

func TestSyncOverHTTPMatchesSnapshot(t *testing.T) {
	t.Parallel()
	api := fakeapi.New(snapshot)
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)

	poolHTTP, _ := setup(t)
	poolDir, _ := setup(t)
	mustSync(t, poolHTTP, httpSource(srv.URL))
	mustSync(t, poolDir, extract.Dir(snapshot))
	// The same content: every column of every live row of every bronze
	// table and gold relation (documents, typed columns, issues, bridges),
	// apart from run bookkeeping (run_id, updated_at, deleted_at).
	got, want := pgtest.ContentHash(t, poolHTTP), pgtest.ContentHash(t, poolDir)
	if got != want {
		t.Errorf("content over HTTP differs from a load of the directory:\nover HTTP\n%s\nfrom the directory\n%s", got, want)
	}
	// The comparison can fail: one row's source JSON (and so its typed
	// values) changed in any one bronze table changes that table's
	// fingerprint.
	assertContentHashSeesRowChanges(t, poolHTTP, got)
	for _, r := range resources.All {
		if got := api.Calls(r.Path); got != 1 {
			t.Errorf("%s requested %d times, want 1", r.Path, got)
		}
	}
}

// assertContentHashSeesRowChanges changes, in a transaction rolled back
// afterwards, the source JSON of one row in each bronze table (doc, or elem
// for a bridge), which changes the row's typed columns, and checks that the
// table's line of pgtest.ContentHash changes with it.
func assertContentHashSeesRowChanges(t *testing.T, pool *pgxpool.Pool, hash string) {
	t.Helper()
	ctx := context.Background()
	lines := func(h string) map[string]string {
		m := map[string]string{}
		for _, l := range strings.Split(strings.TrimSpace(h), "\n") {
			name, sum, _ := strings.Cut(l, "=")
			m[name] = sum
		}
		return m
	}
	before := lines(hash)
	rows, err := pool.Query(ctx, `SELECT table_name, column_name FROM information_schema.columns
		WHERE table_schema = 'bronze' AND column_name IN ('doc', 'elem') ORDER BY table_name`)
	if err != nil {
		t.Fatal(err)
	}
	cols, err := pgx.CollectRows(rows, pgx.RowToStructByPos[struct{ Table, Column string }])
	if err != nil || len(cols) < 7 {
		t.Fatalf("bronze source columns %v, %v", cols, err)
	}
	for _, c := range cols {
		func() {
			tx, err := pool.Begin(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer func() { _ = tx.Rollback(ctx) }()
			table, col := pgx.Identifier{"bronze", c.Table}.Sanitize(), pgx.Identifier{c.Column}.Sanitize()
			// Every typed value of the row becomes NULL.
			tag, err := tx.Exec(ctx, fmt.Sprintf(`UPDATE %s SET %s = '"~"' WHERE ctid = (SELECT ctid FROM %s LIMIT 1)`, table, col, table))
			if err != nil {
				t.Fatalf("%s: %v", table, err)
			}
			if tag.RowsAffected() == 0 {
				return // empty: the snapshot has none (starlink)
			}
			if after := lines(pgtest.ContentHash(t, tx)); after["bronze."+c.Table] == before["bronze."+c.Table] {
				t.Errorf("ContentHash does not see a changed row of bronze.%s: the comparison could not fail", c.Table)
			}
		}()
	}
}

// bronzeTupleCounters reads PostgreSQL's own write counters for bronze,
// after waiting for the loader's sessions to exit and flush their
// statistics.
func bronzeTupleCounters(t *testing.T, pool *pgxpool.Pool) map[string][3]int64 {
	t.Helper()
	ctx := context.Background()
	deadline := time.Now().Add(10 * time.Second)
	for queryInt(t, pool, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'spacex-loader'") > 0 {
		if time.Now().After(deadline) {
			t.Fatal("other sessions did not leave")
		}
		time.Sleep(50 * time.Millisecond)
	}
	read := func() map[string][3]int64 {
		if _, err := pool.Exec(ctx, "SELECT pg_stat_clear_snapshot()"); err != nil {
			t.Fatal(err)
		}
		rows, err := pool.Query(ctx, `SELECT relname, n_tup_ins, n_tup_upd, n_tup_del
			FROM pg_stat_user_tables WHERE schemaname = 'bronze'`)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string][3]int64{}
		for rows.Next() {
			var name string
			var c [3]int64
			if err := rows.Scan(&name, &c[0], &c[1], &c[2]); err != nil {
				t.Fatal(err)
			}
			out[name] = c
		}
		return out
	}
	// Exiting backends flush asynchronously; wait for two equal readings.
	prev := read()
	for {
		time.Sleep(300 * time.Millisecond)
		cur := read()
		if equalCounters(prev, cur) {
			return cur
		}
		prev = cur
	}
}

func equalCounters(a, b map[string][3]int64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestSecondSyncWritesNoBronzeRow(t *testing.T) {
	t.Parallel()
	dsn := pgtest.DSN(t)
	observer := connect(t, dsn+"&application_name=observer")

	syncOnce := func() pipeline.Result {
		pool := connect(t, dsn)
		defer pool.Close() // its sessions must exit to flush their statistics
		return mustSync(t, pool, extract.Dir(snapshot))
	}
	syncOnce()
	first := bronzeTupleCounters(t, observer)
	if first["launches"][0] != 205 || first["launch_payloads"][0] != 222 {
		t.Fatalf("after the first sync, counters = %v; want 205 launch and 222 link inserts", first)
	}
	hash := pgtest.FullHash(t, observer)

	res := syncOnce()
	for _, r := range res.Resources {
		if r.Inserted != 0 || r.Updated != 0 || r.Unchanged != r.Documents {
			t.Errorf("second sync %s: %+v, want all unchanged", r.Resource, r.Counts)
		}
	}
	second := bronzeTupleCounters(t, observer)
	if !equalCounters(first, second) {
		t.Errorf("bronze write counters moved on the second sync:\nfirst  %v\nsecond %v", first, second)
	}
	if got := pgtest.FullHash(t, observer); got != hash {
		t.Errorf("tables differ after the second sync:\n%s\n%s", hash, got)
	}
}

// TestChangedExtractWritesOnlyChangedDocuments: when an extract changes,
// the documents whose content did not change are neither typed nor written
// (reformatting alone changes nothing), a changed launch's unchanged bridge
// rows stay as they were, and only the gold views reading a changed table
// are refreshed.
func TestChangedExtractWritesOnlyChangedDocuments(t *testing.T) {
	t.Parallel()
	dsn := pgtest.DSN(t)
	observer := connect(t, dsn+"&application_name=observer")
	syncFrom := func(dir string) pipeline.Result {
		pool := connect(t, dsn)
		defer pool.Close() // its sessions must exit to flush their statistics
		return mustSync(t, pool, extract.Dir(dir))
	}
	syncFrom(snapshot)
	before := bronzeTupleCounters(t, observer)

	// Every launch re-encoded (other bytes, same content), one renamed.
	launches := rawDocs(t, snapshot, "launches")
	launches[7]["name"] = "renamed"
	body, err := json.Marshal(launches)
	if err != nil {
		t.Fatal(err)
	}
	res := syncFrom(copySnapshot(t, map[string][]byte{"launches.json": body}))
	for _, r := range res.Resources {
		want := [3]int64{0, 0, r.Documents}
		if r.Resource == "launches" {
			want = [3]int64{0, 1, r.Documents - 1}
		}
		if got := [3]int64{r.Inserted, r.Updated, r.Unchanged}; got != want || r.Skipped != (r.Resource != "launches") {
			t.Errorf("%s: inserted/updated/unchanged = %v, skipped %v; want %v, skipped %v", r.Resource, got, r.Skipped, want, r.Resource != "launches")
		}
	}
	after := bronzeTupleCounters(t, observer)
	for table, c := range after {
		want := before[table]
		if table == "launches" {
			want[1]++ // one update
		}
		if c != want {
			t.Errorf("bronze.%s write counters %v -> %v, want %v", table, before[table], c, want)
		}
	}
	// A launch's name is read by gold.core_flights and
	// gold.static_fire_lead_time, and gold.core_reuse reads core_flights
	// (their Reads lines in docs/gold.md); internal/gold checks other edits.
	want := []string{"gold.core_flights", "gold.core_reuse", "gold.static_fire_lead_time"}
	if !slices.Equal(res.ViewsRefreshed, want) {
		t.Errorf("views refreshed = %v, want those reading bronze.launches.name: %v", res.ViewsRefreshed, want)
	}
}

// TestShrinkGuardCountsLiveRows: the shrink guard weighs the rows an
// extract lacks against the table's live rows (README, "--max-delete-fraction"):
// a soft-deleted row is not live, and is not missing again; a row the
// extract holds in other bytes, or twice, is not missing; a row it revives
// was not live. Forced, the same extract soft-deletes exactly the rows it
// lacks and revives the one it holds again.
func TestShrinkGuardCountsLiveRows(t *testing.T) {
	t.Parallel()
	pool, _ := setup(t)
	launches := rawDocs(t, snapshot, "launches")
	without := func(docs []map[string]any, drop ...int) []map[string]any {
		var out []map[string]any
		for i, d := range docs {
			if !slices.Contains(drop, i) {
				out = append(out, d)
			}
		}
		return out
	}
	launchesFile := func(docs []map[string]any) extract.Source {
		body, err := json.Marshal(docs)
		if err != nil {
			t.Fatal(err)
		}
		return extract.Dir(copySnapshot(t, map[string][]byte{"launches.json": body}))
	}
	// Unforced, the guard allows 0.5%: fewer than 2 of 203 rows.
	sync := func(src extract.Source, force bool) (pipeline.Result, error) {
		s := syncer(t, pool, src)
		s.Options.ForceDeletes, s.Options.MaxDeleteFraction = force, 0.005
		return s.Sync(context.Background())
	}
	if _, err := sync(extract.Dir(snapshot), false); err != nil {
		t.Fatal(err)
	}
	// Launches 0 and 1 soft-deleted: 203 live rows.
	if _, err := sync(launchesFile(without(launches, 0, 1)), true); err != nil {
		t.Fatal(err)
	}
	// Launch 0 back, 1 still gone, 2 renamed, 3 and 4 gone, 5 twice (the
	// second changed), 6 twice (the same bytes).
	docs := without(launches, 1, 3, 4)
	renamed := maps.Clone(launches[2])
	renamed["name"] = "renamed"
	docs[1] = renamed
	changed := maps.Clone(launches[5])
	changed["details"] = "changed"
	docs = append(docs, launches[6], changed)
	src := launchesFile(docs)
	_, err := sync(src, false)
	if err == nil || !errors.Is(err, pipeline.ErrShrink) || !strings.Contains(err.Error(), "lacks 2 of 203 live rows of bronze.launches") {
		t.Fatalf("sync = %v; want %v for 2 of 203 live rows of bronze.launches", err, pipeline.ErrShrink)
	}
	res, err := sync(src, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res.Resources {
		if r.Resource != "launches" {
			continue
		}
		// Updated: 2 and 5 rewritten, 0 revived.
		want := ledger.Counts{Duplicates: 2, Inserted: 0, Updated: 3, Revived: 1, Deleted: 2, Unchanged: 199, BadValues: r.BadValues}
		if r.Counts != want {
			t.Errorf("launches counts = %+v, want %+v", r.Counts, want)
		}
	}
	for i, want := range []bool{false, true, false, true, true, false, false} {
		id := launches[i]["id"].(string)
		if got := queryInt(t, pool, "SELECT count(*) FROM bronze.launches WHERE id = $1 AND deleted_at IS NOT NULL", id); (got == 1) != want {
			t.Errorf("launch %d (%s) soft-deleted: %v, want %v", i, id, got == 1, want)
		}
	}
}

// TestRewrittenBridgesFollowTheirArrays: a rewritten launch's bridge rows
// are its arrays' elements, one per element at its position (docs/design.md,
// "Bridges"): an element removed from the end goes, one added at the end
// comes, one changed is rewritten, and an array replaced by null leaves no
// rows.
func TestRewrittenBridgesFollowTheirArrays(t *testing.T) {
	t.Parallel()
	pool, _ := setup(t)
	mustSync(t, pool, extract.Dir(snapshot))

	launches := rawDocs(t, snapshot, "launches")
	edited := map[string]bool{}
	edit := func(field string, ok func([]any) bool, change func(d map[string]any, a []any)) {
		t.Helper()
		for _, d := range launches {
			if a, _ := d[field].([]any); !edited[d["id"].(string)] && ok(a) {
				change(d, a)
				edited[d["id"].(string)] = true
				return
			}
		}
		t.Fatalf("no launch to edit in %s", field)
	}
	edit("crew", func(a []any) bool { return len(a) >= 2 }, func(d map[string]any, a []any) { d["crew"] = a[:len(a)-1] })
	edit("payloads", func(a []any) bool { return len(a) >= 1 }, func(d map[string]any, a []any) {
		d["payloads"] = append(a, "000000000000000000000abc")
	})
	edit("cores", func(a []any) bool { return len(a) >= 1 }, func(d map[string]any, a []any) {
		a[0].(map[string]any)["flight"] = 99
	})
	edit("ships", func(a []any) bool { return len(a) >= 1 }, func(d map[string]any, _ []any) { d["ships"] = nil })
	body, err := json.Marshal(launches)
	if err != nil {
		t.Fatal(err)
	}
	res := mustSync(t, pool, extract.Dir(copySnapshot(t, map[string][]byte{"launches.json": body})))
	for _, r := range res.Resources {
		if r.Resource == "launches" && (r.Updated != int64(len(edited)) || r.Inserted != 0) {
			t.Errorf("launches: %+v, want %d updated", r.Counts, len(edited))
		}
	}

	var bridges []resources.Bridge
	for _, r := range resources.All {
		if r.Name == "launches" {
			bridges = r.Bridges
		}
	}
	for _, d := range launches {
		id := d["id"].(string)
		if !edited[id] {
			continue
		}
		for _, b := range bridges {
			var v any = d
			for _, k := range strings.Split(b.Array, ".") {
				m, _ := v.(map[string]any)
				v = m[k]
			}
			want, ok := v.([]any)
			if !ok {
				want = []any{} // not an array: no rows
			}
			w, err := json.Marshal(want)
			if err != nil {
				t.Fatal(err)
			}
			var got string
			if err := pool.QueryRow(context.Background(), `
				SELECT coalesce(jsonb_agg(e.elem ORDER BY e.pos), '[]')::text
				FROM bronze.elements($1::regclass) e WHERE e.parent_id = $2`, b.Table, id).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if !jsonEqual(t, got, string(w)) {
				t.Errorf("%s of %s: %s, want %s", b.Table, id, got, w)
			}
		}
	}
}

// TestNewTransformRetypesEverything: after `loader migrate` applied a new
// version of the function files, an unchanged extract is promoted again and
// every document retyped once (the content comes out the same); the run
// after that skips it again.
func TestNewTransformRetypesEverything(t *testing.T) {
	t.Parallel()
	pool, _ := setup(t)
	mustSync(t, pool, extract.Dir(snapshot))
	content := pgtest.ContentHash(t, pool)
	// What `loader migrate` records when a function file changed.
	if _, err := pool.Exec(context.Background(), "UPDATE meta.applied_sql SET sha256 = 'changed' WHERE name = 'bronze'"); err != nil {
		t.Fatal(err)
	}
	res := mustSync(t, pool, extract.Dir(snapshot))
	for _, r := range res.Resources {
		if r.Absent {
			continue
		}
		if r.Skipped || r.Updated != r.Documents || r.Inserted != 0 || !r.NotModified {
			t.Errorf("%s after a new transform: %+v, want every document of the reused extract rewritten", r.Resource, r.Counts)
		}
	}
	if got := pgtest.ContentHash(t, pool); got != content {
		t.Errorf("retyping changed the content:\n%s\n%s", content, got)
	}
	// Nothing differs, but a migration may have rewritten the rows before
	// this run could compare them: every view is refreshed.
	files, err := fs.Glob(schema.FS, schema.ViewsDir+"/gold.*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("view files %v: %v", files, err)
	}
	for i, f := range files {
		files[i] = strings.TrimSuffix(strings.TrimPrefix(f, schema.ViewsDir+"/"), ".sql")
	}
	if !slices.Equal(res.ViewsRefreshed, files) {
		t.Errorf("views refreshed after a new transform = %v, want every view %v", res.ViewsRefreshed, files)
	}
	// The bridges were retyped too.
	for _, r := range resources.All {
		for _, b := range r.Bridges {
			if n := queryInt(t, pool, "SELECT count(*) FROM "+b.Table+" WHERE run_id <> $1", res.RunID); n != 0 {
				t.Errorf("%s: %d rows not retyped", b.Table, n)
			}
		}
	}
	for _, r := range mustSync(t, pool, extract.Dir(snapshot)).Resources {
		if !r.Skipped || r.Updated != 0 {
			t.Errorf("%s on the next run: %+v, want skipped", r.Resource, r.Counts)
		}
	}
}

// TestNewViewRetypesNothing: the transform version is the migrations' and
// the function files' (db/functions/meta.sql); `loader migrate` applying a
// new version of a view file changes what gold computes, not what bronze
// holds, so an unchanged extract is skipped as before.
func TestNewViewRetypesNothing(t *testing.T) {
	t.Parallel()
	pool, _ := setup(t)
	mustSync(t, pool, extract.Dir(snapshot))
	// What `loader migrate` records when a view file changed.
	tag, err := pool.Exec(context.Background(), "UPDATE meta.applied_sql SET sha256 = 'changed' WHERE kind = 'view'")
	if err != nil || tag.RowsAffected() == 0 {
		t.Fatalf("no view version changed (%v)", err)
	}
	for _, r := range mustSync(t, pool, extract.Dir(snapshot)).Resources {
		if !r.Absent && (!r.Skipped || r.Updated != 0) {
			t.Errorf("%s after a new view: %+v, want skipped", r.Resource, r.Counts)
		}
	}
}

// TestRetypeWhileLanding: unchanged resources retyped from an earlier run's
// landing (the promotion reads landing) while a changed one still lands
// into this run's partition: the run must not wait on itself.
func TestRetypeWhileLanding(t *testing.T) {
	t.Parallel()
	pool, _ := setup(t)
	mustSync(t, pool, extract.Dir(snapshot))
	if _, err := pool.Exec(context.Background(), "UPDATE meta.applied_sql SET sha256 = 'changed' WHERE name = 'bronze'"); err != nil {
		t.Fatal(err)
	}
	launches := rawDocs(t, snapshot, "launches")
	launches[7]["name"] = "renamed"
	body, err := json.Marshal(launches)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res, err := syncer(t, pool, extract.Dir(copySnapshot(t, map[string][]byte{"launches.json": body}))).Sync(ctx)
	if err != nil {
		t.Fatalf("sync: %v", err)
	}
	for _, r := range res.Resources {
		if r.Absent {
			continue
		}
		if r.NotModified != (r.Resource != "launches") || r.Updated != r.Documents {
			t.Errorf("%s: not modified %v, %+v; want every document rewritten, only launches landed", r.Resource, r.NotModified, r.Counts)
		}
	}
	if n := queryInt(t, pool, "SELECT count(*) FROM bronze.launches WHERE name = 'renamed'"); n != 1 {
		t.Errorf("renamed launches = %d, want 1", n)
	}
}

// TestBadValuesCountBridges: a launch counts as having bad values while one
// of its cores has, also when the launch is rewritten and that core is not.
func TestBadValuesCountBridges(t *testing.T) {
	t.Parallel()
	pool, _ := setup(t)
	launches := rawDocs(t, snapshot, "launches")
	launches[200]["cores"].([]any)[0].(map[string]any)["flight"] = "x"
	sync := func() pipeline.Result {
		t.Helper()
		body, err := json.Marshal(launches)
		if err != nil {
			t.Fatal(err)
		}
		return mustSync(t, pool, extract.Dir(copySnapshot(t, map[string][]byte{"launches.json": body})))
	}
	badValues := func(res pipeline.Result) int64 {
		for _, r := range res.Resources {
			if r.Resource == "launches" {
				return r.BadValues
			}
		}
		t.Fatal("no launches in the result")
		return 0
	}
	if n := badValues(sync()); n != 1 {
		t.Errorf("first sync: launches bad_values = %d, want 1", n)
	}
	launches[200]["details"] = "changed, the cores not"
	res := sync()
	if n := badValues(res); n != 1 {
		t.Errorf("after the launch changed: bad_values = %d, want 1", n)
	}
	if n := queryInt(t, pool, "SELECT count(*) FROM bronze.launch_cores WHERE issues IS NOT NULL"); n != 1 {
		t.Errorf("core rows with issues = %d, want 1", n)
	}
}

// TestLongReferenceLoads: a reference far longer than a btree index entry
// allows (and than any id, at most 256 bytes) is a bad value, not a failed
// run: NULL with an issue, the raw value kept in the document, and the gold
// views, whose unique indexes group by references, refresh.
func TestLongReferenceLoads(t *testing.T) {
	t.Parallel()
	pool, _ := setup(t)
	launches := rawDocs(t, snapshot, "launches")
	// Random, so that compression cannot bring it under the limit.
	r := rand.New(rand.NewPCG(1, 2))
	long := make([]byte, 6400)
	for i := range long {
		long[i] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_"[r.IntN(64)]
	}
	launches[0]["rocket"] = string(long)
	launches[0]["cores"].([]any)[0].(map[string]any)["core"] = string(long)
	body, err := json.Marshal(launches)
	if err != nil {
		t.Fatal(err)
	}
	res := mustSync(t, pool, extract.Dir(copySnapshot(t, map[string][]byte{"launches.json": body})))
	if len(res.ViewsRefreshed) == 0 {
		t.Error("no gold view refreshed")
	}
	id := launches[0]["id"]
	if n := queryInt(t, pool, `SELECT count(*) FROM bronze.launches l JOIN bronze.launch_cores c ON c.launch_id = l.id
		WHERE l.id = $1 AND l.rocket_id IS NULL AND c.core_id IS NULL AND length(l.doc ->> 'rocket') = 6400
		  AND l.issues @> '[{"field": "rocket", "reason": "an id must be 1 to 256 bytes"}]'
		  AND c.issues @> '[{"field": "core", "reason": "an id must be 1 to 256 bytes"}]'`, id); n != 1 {
		t.Errorf("launch %v: long rocket and core references as NULL with issues = %d rows, want 1", id, n)
	}
}

// TestNewContractChecksDriftAgain: a changed contract is checked against an
// unchanged extract at the next run, without rewriting anything.
func TestNewContractChecksDriftAgain(t *testing.T) {
	t.Parallel()
	pool, _ := setup(t)
	mustSync(t, pool, extract.Dir(snapshot))
	contracts := fstest.MapFS{}
	for _, r := range resources.All {
		b, err := fs.ReadFile(schema.FS, schema.ContractsDir+"/"+r.Name+".json")
		if err != nil {
			t.Fatal(err)
		}
		contracts[r.Name+".json"] = &fstest.MapFile{Data: b}
	}
	var launches map[string]any
	if err := json.Unmarshal(contracts["launches.json"].Data, &launches); err != nil {
		t.Fatal(err)
	}
	delete(launches, "details")
	b, _ := json.Marshal(launches)
	contracts["launches.json"] = &fstest.MapFile{Data: b}

	s := syncer(t, pool, extract.Dir(snapshot))
	s.Contracts = contracts
	res, err := s.Sync(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res.Resources {
		wantDrift := r.Resource == "launches"
		if (len(r.Drift) > 0) != wantDrift || r.Updated != 0 || r.Inserted != 0 || r.Skipped == wantDrift {
			t.Errorf("%s: drift %v, counts %+v; want drift and a promotion only for launches, no writes", r.Resource, r.Drift, r.Counts)
		}
		if got := fmt.Sprint(r.Drift); wantDrift && !strings.Contains(got, "details new_key") {
			t.Errorf("launches drift = %s, want details as a new key", got)
		}
	}
}

// TestGoldRocketCostEfficiency recomputes every figure from the raw JSON
// with the definitions in the view's comments.
func TestGoldRocketCostEfficiency(t *testing.T) {
	t.Parallel()
	pool, _ := setup(t)
	mustSync(t, pool, extract.Dir(snapshot))

	type want struct {
		name                     string
		flown, succeeded, failed int64
		cost                     *big.Rat
		mass                     *big.Rat
	}
	num := func(v any) *big.Rat {
		n, ok := v.(json.Number)
		if !ok {
			return nil
		}
		r, ok := new(big.Rat).SetString(n.String())
		if !ok {
			t.Fatalf("number %q", n)
		}
		return r
	}
	wants := map[string]*want{}
	for _, r := range rawDocs(t, snapshot, "rockets") {
		wants[r["id"].(string)] = &want{name: r["name"].(string), cost: num(r["cost_per_launch"]), mass: new(big.Rat)}
	}
	payloadMass := map[string]*big.Rat{}
	for _, p := range rawDocs(t, snapshot, "payloads") {
		payloadMass[p["id"].(string)] = num(p["mass_kg"])
	}
	counted := map[[2]string]bool{}
	for _, l := range rawDocs(t, snapshot, "launches") {
		w := wants[l["rocket"].(string)]
		if w == nil || l["upcoming"] != false {
			continue
		}
		w.flown++
		switch l["success"] {
		case true:
			w.succeeded++
			for _, p := range l["payloads"].([]any) {
				key := [2]string{l["rocket"].(string), p.(string)}
				if m := payloadMass[p.(string)]; m != nil && !counted[key] {
					w.mass.Add(w.mass, m)
				}
				counted[key] = true
			}
		case false:
			w.failed++
		}
	}

	rows, err := pool.Query(context.Background(), `
		SELECT rocket_id, rocket_name, launches_flown, launches_succeeded, launches_failed,
		       success_rate::text, cost_per_launch_usd::text, estimated_spend_usd::text,
		       payload_mass_delivered_kg::text, cost_per_kg_usd::text
		FROM gold.rocket_cost_efficiency`)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for rows.Next() {
		n++
		var id, name string
		var flown, succeeded, failed int64
		var rate, cost, spend, mass, perKg *string
		if err := rows.Scan(&id, &name, &flown, &succeeded, &failed, &rate, &cost, &spend, &mass, &perKg); err != nil {
			t.Fatal(err)
		}
		w := wants[id]
		if w == nil {
			t.Errorf("gold has unknown rocket %s", id)
			continue
		}
		if name != w.name || flown != w.flown || succeeded != w.succeeded || failed != w.failed {
			t.Errorf("%s: name/flown/succeeded/failed = %s/%d/%d/%d, want %s/%d/%d/%d",
				id, name, flown, succeeded, failed, w.name, w.flown, w.succeeded, w.failed)
		}
		var wantRate *big.Rat
		if w.succeeded+w.failed > 0 {
			wantRate = big.NewRat(w.succeeded, w.succeeded+w.failed)
		}
		wantSpend := new(big.Rat).Mul(w.cost, big.NewRat(w.flown, 1))
		var wantPerKg *big.Rat
		if w.mass.Sign() != 0 {
			wantPerKg = new(big.Rat).Quo(wantSpend, w.mass)
		}
		checkNumeric(t, id+" success_rate", rate, wantRate)
		checkNumeric(t, id+" cost_per_launch_usd", cost, w.cost)
		checkNumeric(t, id+" estimated_spend_usd", spend, wantSpend)
		checkNumeric(t, id+" payload_mass_delivered_kg", mass, w.mass)
		checkNumeric(t, id+" cost_per_kg_usd", perKg, wantPerKg)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if n != len(wants) || n != 4 {
		t.Errorf("gold has %d rows, want one per rocket (%d)", n, len(wants))
	}
}

// checkNumeric compares a numeric rendered by PostgreSQL with an exact
// rational, allowing only the rounding of a non-terminating division.
func checkNumeric(t *testing.T, what string, got *string, want *big.Rat) {
	t.Helper()
	if got == nil || want == nil {
		if (got == nil) != (want == nil) {
			t.Errorf("%s = %v, want %v", what, deref(got), want)
		}
		return
	}
	g, ok := new(big.Rat).SetString(*got)
	if !ok {
		t.Fatalf("%s = %q, not a number", what, *got)
	}
	diff := new(big.Rat).Sub(g, want)
	diff.Abs(diff)
	tolerance := new(big.Rat).Mul(new(big.Rat).Abs(want), big.NewRat(1, 1_000_000_000_000))
	if diff.Cmp(tolerance) > 0 {
		t.Errorf("%s = %s, want %s", what, *got, want.FloatString(12))
	}
}

func deref(s *string) string {
	if s == nil {
		return "NULL"
	}
	return *s
}

// BenchmarkSync times a whole sync of the snapshot: the first into an empty
// database, then the steady state where nothing changed.
func BenchmarkSync(b *testing.B) {
	for _, steady := range []bool{false, true} {
		name := map[bool]string{false: "empty", true: "unchanged"}[steady]
		b.Run(name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				dsn := pgtest.DSN(b)
				cfg, err := db.ParseConfig(dsn)
				if err != nil {
					b.Fatal(err)
				}
				pool, err := db.Open(context.Background(), cfg)
				if err != nil {
					b.Fatal(err)
				}
				s := syncer(b, pool, extract.Dir(snapshot))
				if steady {
					if _, err := s.Sync(context.Background()); err != nil {
						b.Fatal(err)
					}
				}
				b.StartTimer()
				if _, err := s.Sync(context.Background()); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				pool.Close()
			}
		})
	}
}

// TestCharacterizeSnapshot pins the full content of bronze and gold after a
// sync of the bundled snapshot (testdata/characterization/snapshot.txt). A
// rebuild of the transform must leave it unchanged; an intended change
// rewrites it with -update in a commit of its own that says why.
func TestCharacterizeSnapshot(t *testing.T) {
	t.Parallel()
	pool, _ := setup(t)
	mustSync(t, pool, extract.Dir(snapshot))
	pgtest.Golden(t, "../../testdata/characterization/snapshot.txt", pgtest.Dump(t, pool))
}

// progressLog records what a run tells its Progress.
type progressLog struct {
	mu     sync.Mutex
	landed map[string][2]int64 // last documents, bytes reported
	events []string
}

func (p *progressLog) Landing(resource string, documents, bytes int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.landed[resource] = [2]int64{documents, bytes}
}

func (p *progressLog) Promoting(resource string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.events = append(p.events, "promoting "+resource)
}

func (p *progressLog) Done(resource string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.events = append(p.events, "done "+resource)
}

// TestProgressHearsEveryResource: a Progress hears each landed resource's
// documents and bytes, then its promotion and end, in the registry's order;
// skipped resources only end, even one whose file streamed until its hash
// found it unchanged (launches, padded past 1 MiB with white space).
func TestProgressHearsEveryResource(t *testing.T) {
	t.Parallel()
	pool, _ := setup(t)
	name, _ := snapshotFile(t, snapshot, "launches")
	launches, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	dir := copySnapshot(t, map[string][]byte{"launches.json": append(launches, bytes.Repeat([]byte(" "), 1<<20)...)})
	for pass := range 2 {
		p := &progressLog{landed: map[string][2]int64{}}
		s := syncer(t, pool, extract.Dir(dir))
		s.Progress = p
		res, err := s.Sync(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, r := range res.Resources {
			if !r.Skipped {
				want = append(want, "promoting "+r.Resource)
			}
			want = append(want, "done "+r.Resource)
			landed, reported := p.landed[r.Resource]
			if pass == 1 || r.Absent {
				if reported {
					t.Errorf("pass %d, %s: landing reported %v, but nothing landed", pass, r.Resource, landed)
				}
				continue
			}
			var size int64
			for _, d := range rawDocs(t, snapshot, r.Resource) {
				b, _ := json.Marshal(d)
				size += int64(len(b))
			}
			if landed[0] != r.Documents || landed[1] < size/2 {
				t.Errorf("%s: landing reported %d documents, %d bytes; want %d documents, about %d bytes or more", r.Resource, landed[0], landed[1], r.Documents, size)
			}
		}
		if pass == 1 && len(want) != len(resources.All) {
			t.Errorf("second pass: %v, want every resource skipped", want)
		}
		if !slices.Equal(p.events, want) {
			t.Errorf("pass %d: events %v, want %v", pass, p.events, want)
		}
	}
}

// jsonEqual reports whether two JSON texts hold the same value.
func jsonEqual(t *testing.T, a, b string) bool {
	t.Helper()
	var x, y any
	if err := json.Unmarshal([]byte(a), &x); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(b), &y); err != nil {
		t.Fatal(err)
	}
	return reflect.DeepEqual(x, y)
}
