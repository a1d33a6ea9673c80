package pipeline_test

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/amacneil/dbmate/v2/pkg/dbmate"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	schema "github.com/spacex-elt/loader/db"
	"github.com/spacex-elt/loader/internal/extract"
	"github.com/spacex-elt/loader/internal/landing"
	"github.com/spacex-elt/loader/internal/migrate"
	"github.com/spacex-elt/loader/internal/pgtest"
	"github.com/spacex-elt/loader/internal/resources"
)

// byContent is the migration that replaced landing's partitions per run
// with documents stored once by content and a manifest per extract.
const byContent = "20261208100000_landing_by_content.sql"

// TestReplayOfRunsLandedBeforeContents: runs landed in the old layout (a
// partition per run, every document of every changed extract in full),
// then the migration to landing by content; a replay of each gives bronze
// the content a sync of the same snapshot gives, hash for hash.
func TestReplayOfRunsLandedBeforeContents(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	changed := changedSnapshot(t)

	// What the runs loaded: the same snapshots synced today.
	ref, _ := setup(t)
	mustSync(t, ref, extract.Dir(snapshot))
	want1 := pgtest.ContentHash(t, ref)
	mustSync(t, ref, extract.Dir(changed))
	want2 := pgtest.ContentHash(t, ref)
	if want1 == want2 {
		t.Fatal("the changed snapshot loads the same content")
	}

	// A database the loader of before landed two runs into: run 2
	// landed launches anew and read run 1's landing of every other
	// resource (not modified).
	dsn := pgtest.EmptyDSN(t)
	migrateBefore(t, dsn)
	pool := connect(t, dsn)
	landOld(t, pool, 1, snapshot, nil)
	landOld(t, pool, 2, changed, func(resource string) bool { return resource != "launches" })
	if n := queryInt(t, pool, "SELECT count(*) FROM landing.documents_r2"); n != queryInt(t, pool,
		"SELECT fetched FROM meta.run_resources WHERE run_id = 2 AND resource = 'launches'") {
		t.Fatalf("run 2's partition holds %d documents, want its launches only", n)
	}

	// What landing shows of each document, as the table had it and as the
	// view has it after the migration: the same, ordinals included.
	lineage := `SELECT md5(string_agg(format('%s %s %s %s %s %s %s', run_id, resource, ordinal, extracted_at, sha256, sanitized, doc),
		E'\n' ORDER BY run_id, resource, ordinal)) FROM landing.documents`
	var before, after string
	if err := pool.QueryRow(ctx, lineage).Scan(&before); err != nil {
		t.Fatal(err)
	}
	if err := migrate.Up(ctx, dsn, migrate.Files{
		FS: schema.FS, MigrationsDir: schema.MigrationsDir, FunctionsDir: schema.FunctionsDir, ViewsDir: schema.ViewsDir,
	}, io.Discard, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
		t.Fatalf("migrate the old layout: %v", err)
	}
	if err := pool.QueryRow(ctx, lineage).Scan(&after); err != nil || after != before {
		t.Errorf("landing.documents after the migration differs from the partitions before (%v)", err)
	}
	if n := queryInt(t, pool, "SELECT count(*) FROM pg_class WHERE relname LIKE 'documents_r%'"); n != 0 {
		t.Errorf("%d partitions left after the migration", n)
	}
	// Each distinct document once: run 2's unchanged launches are run 1's.
	distinct := queryInt(t, pool, "SELECT count(DISTINCT sha256) FROM landing.documents")
	if n := queryInt(t, pool, "SELECT count(*) FROM landing.contents"); n != distinct || n >= queryInt(t, pool, "SELECT count(*) FROM landing.documents") {
		t.Errorf("landing.contents holds %d documents, want the %d distinct ones of the two runs", n, distinct)
	}

	for _, step := range []struct {
		run  int64
		want string
	}{{2, want2}, {1, want1}, {2, want2}} {
		if _, err := syncer(t, pool, nil).Replay(ctx, step.run); err != nil {
			t.Fatalf("replay of run %d: %v", step.run, err)
		}
		if got := pgtest.ContentHash(t, pool); got != step.want {
			t.Errorf("replay of run %d landed before the migration: bronze content differs from its sync's\n%s\nwant\n%s", step.run, got, step.want)
		}
	}
}

// changedSnapshot is the snapshot with one launch's details changed and
// another launch gone; every other launch keeps its bytes.
func changedSnapshot(t *testing.T) string {
	t.Helper()
	file, _ := snapshotFile(t, snapshot, "launches")
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var launches []string
	docs := extract.NewDocuments(f)
	for docs.Next() {
		raw := string(docs.Raw())
		switch len(launches) {
		case 3:
			var doc map[string]any
			dec := json.NewDecoder(strings.NewReader(raw))
			dec.UseNumber()
			if err := dec.Decode(&doc); err != nil {
				t.Fatal(err)
			}
			doc["details"] = "changed for the test"
			b, err := json.Marshal(doc)
			if err != nil {
				t.Fatal(err)
			}
			raw = string(b)
		case 7:
			launches = append(launches, "") // dropped below
			continue
		}
		launches = append(launches, raw)
	}
	if docs.Err() != nil || len(launches) < 8 {
		t.Fatalf("read %d launches: %v", len(launches), docs.Err())
	}
	launches = append(launches[:7], launches[8:]...)
	return copySnapshot(t, map[string][]byte{"launches.json": []byte("[" + strings.Join(launches, ",\n") + "]")})
}

// migrateBefore applies the migrations before byContent, as the loader of
// before did (its function files are not needed to land).
func migrateBefore(t *testing.T, dsn string) {
	t.Helper()
	files := fstest.MapFS{}
	entries, err := fs.ReadDir(schema.FS, schema.MigrationsDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() >= byContent {
			continue
		}
		name := path.Join(schema.MigrationsDir, e.Name())
		b, err := fs.ReadFile(schema.FS, name)
		if err != nil {
			t.Fatal(err)
		}
		files[name] = &fstest.MapFile{Data: b}
	}
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	m := dbmate.New(u)
	m.FS, m.MigrationsDir, m.AutoDumpSchema, m.Log = files, []string{schema.MigrationsDir}, false, io.Discard
	if err := m.Migrate(); err != nil {
		t.Fatalf("migrations before %s: %v", byContent, err)
	}
}

// landOld records a succeeded run that landed dir as the loader did
// before byContent: its partition of landing.documents, one COPY of every
// document of each resource with its ordinal, hash and sanitized count;
// a resource reused (reuse says which) reads run 1's partition instead.
func landOld(t *testing.T, pool *pgxpool.Pool, runID int64, dir string, reuse func(string) bool) {
	t.Helper()
	ctx := context.Background()
	mustExec := func(sql string, args ...any) {
		t.Helper()
		if _, err := pool.Exec(ctx, sql, args...); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	mustExec("INSERT INTO meta.runs (run_id, source, contract, status, finished_at) OVERRIDING SYSTEM VALUE VALUES ($1, $2, 'warn', 'succeeded', now())", runID, dir)
	part := fmt.Sprintf("documents_r%d", runID)
	mustExec(fmt.Sprintf("CREATE TABLE landing.%s (LIKE landing.documents INCLUDING ALL)", part))
	mustExec(fmt.Sprintf("ALTER TABLE landing.documents ATTACH PARTITION landing.%s FOR VALUES IN (%d)", part, runID))
	mustExec("SELECT setval(pg_get_serial_sequence('meta.runs', 'run_id'), $1)", runID)
	at := time.Now()
	for _, res := range resources.All {
		var rows [][]any
		extractSum := sha256.New()
		var sanitized int64
		_, err := extract.Dir(dir).Stream(ctx, extract.Request{Path: res.Path, Alternates: res.Alternates, Object: res.Object},
			func(docs *extract.Documents) error {
				for docs.Next() {
					sum := sha256.Sum256(docs.Raw())
					extractSum.Write(sum[:])
					doc, n := landing.Sanitize(docs.Raw())
					if n > 0 {
						sanitized++
					}
					rows = append(rows, []any{runID, res.Name, int32(len(rows)), at, sum[:], int32(n), doc})
				}
				return docs.Err()
			})
		switch {
		case errors.Is(err, extract.ErrAbsent):
			mustExec("INSERT INTO meta.run_resources (run_id, resource, absent, fetched) VALUES ($1, $2, true, 0)", runID, res.Name)
			continue
		case err != nil:
			t.Fatal(err)
		}
		landed := runID
		if reuse != nil && reuse(res.Name) {
			landed = 1
		} else if _, err := pool.CopyFrom(ctx, pgx.Identifier{"landing", "documents"},
			[]string{"run_id", "resource", "ordinal", "extracted_at", "sha256", "sanitized", "doc"}, pgx.CopyFromRows(rows)); err != nil {
			t.Fatal(err)
		}
		mustExec(`INSERT INTO meta.run_resources (run_id, resource, landed_run_id, not_modified, extract_sha256, fetched, sanitized)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, runID, res.Name, landed, landed != runID, extractSum.Sum(nil), len(rows), sanitized)
	}
}

// TestPromotionRefusesAnIncompleteExtract: a manifest naming a document
// landing.contents lacks fails the promotion, naming the extract; read as
// it is, the record would pass for one the source dropped and be
// soft-deleted. A document whose bytes bronze holds (doc_sha256) is not
// read from landing at all: its record is bronze's as it is, so its
// absence from landing is not looked for, and cannot cost the record.
func TestPromotionRefusesAnIncompleteExtract(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, missing, err string
	}{
		// The first run's launch 3, which the changed snapshot changed.
		{"not in bronze", `c.id = (SELECT id FROM bronze.launches WHERE doc->>'details' = 'changed for the test')
			AND c.sha256 NOT IN (SELECT doc_sha256 FROM bronze.launches)`, "names 205 documents, and landing holds 204"},
		{"in bronze", `c.id = '5eb87cd9ffd86e000604b32a'`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			pool, _ := setup(t)
			first := mustSync(t, pool, extract.Dir(snapshot))
			mustSync(t, pool, extract.Dir(changedSnapshot(t))) // so that the replay promotes launches
			if n := queryInt(t, pool, "WITH d AS (DELETE FROM landing.contents c WHERE "+tc.missing+" RETURNING 1) SELECT count(*) FROM d"); n != 1 {
				t.Fatalf("deleted %d documents from landing, want 1", n)
			}
			_, err := syncer(t, pool, nil).Replay(context.Background(), first.RunID)
			if want := fmt.Sprintf("run %d's extract of launches %s", first.RunID, tc.err); tc.err == "" && err != nil ||
				tc.err != "" && (err == nil || !strings.Contains(err.Error(), want)) {
				t.Fatalf("replay with a launch missing from landing: %v, want %q", err, want)
			}
			// The replay failed, or revived the launch the changed snapshot lacks.
			want := map[bool]int64{true: 1, false: 0}[tc.err != ""]
			if n := queryInt(t, pool, "SELECT count(*) FROM bronze.launches WHERE deleted_at IS NOT NULL"); n != want {
				t.Errorf("%d launches soft-deleted, want %d", n, want)
			}
		})
	}
}

// TestDriftObservesOnlyWhatChanged: what the drift check compares with the
// contract (each top-level key and JSON type, with how many documents have
// it, and how many are objects) is, for a changed extract, what its
// documents show read one by one; but it is derived from the last
// extract's and the documents that differ, not read again: an error
// planted in the last extract's carries over.
func TestDriftObservesOnlyWhatChanged(t *testing.T) {
	t.Parallel()
	pool, _ := setup(t)
	ctx := context.Background()
	first := mustSync(t, pool, extract.Dir(snapshot))
	second := mustSync(t, pool, extract.Dir(changedSnapshot(t)))
	// What the documents show, read one by one (docs/design.md, Runs: drift).
	const read = `SELECT coalesce(string_agg(format('%s %s %s', key, type, documents), ', ' ORDER BY key, type), '') FROM (
		SELECT k.key, jsonb_typeof(k.value) AS type, count(*) AS documents
		FROM landing.documents d CROSS JOIN LATERAL jsonb_each(d.doc) AS k
		WHERE d.run_id = $1 AND d.resource = 'launches' AND jsonb_typeof(d.doc) = 'object' GROUP BY 1, 2
		UNION ALL
		SELECT NULL, NULL, count(*) FROM landing.documents d
		WHERE d.run_id = $1 AND d.resource = 'launches' AND jsonb_typeof(d.doc) = 'object') x`
	const observed = `SELECT coalesce(string_agg(format('%s %s %s', key, type, documents), ', ' ORDER BY key, type), '')
		FROM landing.observed WHERE run_id = $1 AND resource = 'launches'`
	queryText := func(sql string, args ...any) string {
		t.Helper()
		var s string
		if err := pool.QueryRow(ctx, sql, args...).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	for _, run := range []int64{first.RunID, second.RunID} {
		if got, want := queryText(observed, run), queryText(read, run); got != want || got == "" {
			t.Errorf("run %d observed\n%s\nwant\n%s", run, got, want)
		}
	}
	// Planted: the first extract's count of objects off by 1000.
	if _, err := pool.Exec(ctx, `UPDATE landing.observed SET documents = documents + 1000
		WHERE run_id = $1 AND resource = 'launches' AND key IS NULL`, first.RunID); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `DELETE FROM landing.observed WHERE run_id = $1`, second.RunID); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `SELECT landing.observe($1, 'launches')`, second.RunID); err != nil {
		t.Fatal(err)
	}
	if n := queryInt(t, pool, `SELECT documents FROM landing.observed WHERE run_id = $1 AND resource = 'launches' AND key IS NULL`, second.RunID); n != 204+1000 {
		t.Errorf("the changed extract's objects counted as %d, want the planted 1000 more than its 204", n)
	}
}
