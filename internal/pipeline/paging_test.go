package pipeline_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/spacex-elt/loader/internal/extract"
	"github.com/spacex-elt/loader/internal/fakeapi"
	"github.com/spacex-elt/loader/internal/pgtest"
	"github.com/spacex-elt/loader/internal/resources"
)

// pagedSource reads the API at url page by page, size documents a page.
func pagedSource(url string, size int) *extract.HTTP {
	src := httpSource(url)
	src.PageSize = size
	return src
}

// assertBronzeHolds checks that every bronze table of a resource the
// snapshot has holds its documents, and every bridge table the elements of
// their arrays: a load that typed nothing would hash equal to another.
func assertBronzeHolds(t *testing.T, pool *pgxpool.Pool, what string) {
	t.Helper()
	for _, r := range resources.All {
		docs := rawDocs(t, snapshot, r.Name)
		if got := queryInt(t, pool, "SELECT count(*) FROM "+r.Table+" WHERE deleted_at IS NULL"); got != int64(len(docs)) {
			t.Errorf("%s: %s has %d rows, want the snapshot's %d", what, r.Table, got, len(docs))
		}
		for _, b := range r.Bridges {
			elements := 0
			for _, d := range docs {
				elements += arrayLen(d, b.Array)
			}
			got := queryInt(t, pool, "SELECT count(*) FROM "+b.Table)
			if (got > 0) != (elements > 0) {
				t.Errorf("%s: %s has %d rows, for %d elements of %s.%s in the snapshot", what, b.Table, got, elements, r.Name, b.Array)
			}
		}
	}
}

// TestPagedSyncMatchesSnapshot: the snapshot read from its directory, over
// HTTP with one GET per resource, and over HTTP page by page, loads the
// same bronze and gold.
func TestPagedSyncMatchesSnapshot(t *testing.T) {
	t.Parallel()
	api := fakeapi.New(snapshot)
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)

	poolDir, _ := setup(t)
	poolGet, _ := setup(t)
	poolPaged, _ := setup(t)
	mustSync(t, poolDir, extract.Dir(snapshot))
	mustSync(t, poolGet, httpSource(srv.URL))
	res := mustSync(t, poolPaged, pagedSource(srv.URL, 50))

	want := pgtest.ContentHash(t, poolDir)
	for name, pool := range map[string]*pgxpool.Pool{"one GET each": poolGet, "paged": poolPaged} {
		if got := pgtest.ContentHash(t, pool); got != want {
			t.Errorf("%s: content differs from a load of the directory:\n%s\nwant\n%s", name, got, want)
		}
		assertBronzeHolds(t, pool, name)
	}
	assertBronzeHolds(t, poolDir, "directory")

	// The paged sync read lists through /query, objects with a GET, and
	// counted the same documents.
	for _, r := range res.Resources {
		var reg resources.Resource
		for _, x := range resources.All {
			if x.Name == r.Resource {
				reg = x
			}
		}
		if r.Documents != int64(len(rawDocs(t, snapshot, r.Resource))) {
			t.Errorf("paged %s fetched %d, want %d", r.Resource, r.Documents, len(rawDocs(t, snapshot, r.Resource)))
		}
		posts, gets := api.Calls(reg.Path+"/query"), api.Calls(reg.Path)
		switch {
		case reg.Object && (posts != 0 || gets != 2):
			t.Errorf("%s: %d POSTs and %d GETs, want 0 and 2 (one per HTTP sync)", reg.Path, posts, gets)
		case !reg.Object && gets != 1:
			t.Errorf("%s: %d GETs, want 1, from the unpaged sync only", reg.Path, gets)
		}
	}
	if got := api.Calls("/v4/payloads/query"); got != 5 {
		t.Errorf("/v4/payloads/query: %d pages, want 5 (225 documents, 50 a page)", got)
	}
	if got := api.Calls("/v5/launches/query"); got != 5 {
		t.Errorf("/v5/launches/query: %d pages, want 5 (205 documents, 50 a page)", got)
	}
}

// TestPagedSyncTotalDocsLie: an API whose /query pages do not add up to
// their totalDocs fails the run, naming the resource, and leaves bronze and
// gold as they were, although the API also serves changed data that the
// run would otherwise have written.
func TestPagedSyncTotalDocsLie(t *testing.T) {
	t.Parallel()
	pool, _ := setup(t)
	mustSync(t, pool, extract.Dir(snapshot))
	before, beforeFull := pgtest.ContentHash(t, pool), pgtest.FullHash(t, pool)

	// Changed data: a rocket renamed, which gold shows too.
	rockets, err := os.ReadFile(filepath.Join(snapshot, "v4", "rockets.json"))
	if err != nil {
		t.Fatal(err)
	}
	renamed := bytes.Replace(rockets, []byte(`"name": "Falcon 1"`), []byte(`"name": "Falcon One"`), 1)
	if bytes.Equal(renamed, rockets) {
		t.Fatal("the rockets file has no Falcon 1 to rename")
	}
	changed := copySnapshot(t, map[string][]byte{"rockets.json": renamed})

	lying := fakeapi.New(changed)
	lying.TotalDocs = func(p string, n int) int {
		if p == "/v4/payloads" {
			return n + 1
		}
		return n
	}
	srv := httptest.NewServer(lying)
	t.Cleanup(srv.Close)
	_, err = syncFrom(t, pool, pagedSource(srv.URL, 50))
	if err == nil {
		t.Fatal("a sync whose payloads pages do not add up to totalDocs succeeded")
	}
	for _, w := range []string{"resource payloads", srv.URL + "/v4/payloads/query", "225 documents", "totalDocs is 226"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("err = %q, want it to name %q", err, w)
		}
	}
	if got := pgtest.ContentHash(t, pool); got != before {
		t.Errorf("bronze and gold changed after the failed run:\n%s\nwant\n%s", got, before)
	}
	if got := pgtest.FullHash(t, pool); got != beforeFull {
		t.Error("a bronze or gold row was rewritten by the failed run")
	}
	var status string
	var runID int64
	if err := pool.QueryRow(t.Context(), "SELECT run_id, status FROM meta.runs ORDER BY run_id DESC LIMIT 1").Scan(&runID, &status); err != nil {
		t.Fatal(err)
	}
	if status != "failed" {
		t.Errorf("the run is %s, want failed", status)
	}
	if got := queryInt(t, pool, "SELECT count(*) FROM landing.documents WHERE run_id = $1 AND resource = 'payloads'", runID); got != 0 {
		t.Errorf("the failed run landed %d payloads, want none (one COPY, aborted)", got)
	}
	if got := lying.Calls("/v4/payloads/query"); got != 5 {
		t.Errorf("/v4/payloads/query asked %d times, want 5: every page once, no retry", got)
	}

	// The control: the same changed data, honestly paged, does change the
	// content.
	honest := httptest.NewServer(fakeapi.New(changed))
	t.Cleanup(honest.Close)
	mustSync(t, pool, pagedSource(honest.URL, 50))
	if pgtest.ContentHash(t, pool) == before {
		t.Error("the renamed rocket did not change the content hash: the check above proves nothing")
	}
}

// TestAbsentOverHTTP: a resource the API answers 404 (the snapshot has no
// starlink) is recorded absent and skipped, on GET and /query alike.
func TestAbsentOverHTTP(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(fakeapi.New(snapshot))
	t.Cleanup(srv.Close)
	for _, size := range []int{0, 50} {
		pool, _ := setup(t)
		res := mustSync(t, pool, pagedSource(srv.URL, size))
		for _, r := range res.Resources {
			if want := r.Resource == "starlink"; r.Absent != want {
				t.Errorf("page size %d: %s absent = %t, want %t", size, r.Resource, r.Absent, want)
			}
		}
	}
	// A 404 for a resource the API served before fails the run: its
	// bronze would otherwise go stale without a word.
	pool, _ := setup(t)
	mustSync(t, pool, pagedSource(srv.URL, 0))
	before := pgtest.ContentHash(t, pool)
	gone := httptest.NewServer(fakeapi.New(snapshot, fakeapi.Always("/v4/payloads", fakeapi.Status(http.StatusNotFound))))
	t.Cleanup(gone.Close)
	if _, err := syncFrom(t, pool, pagedSource(gone.URL, 0)); err == nil ||
		!strings.Contains(err.Error(), "resource payloads") || !strings.Contains(err.Error(), "not skipped as absent") {
		t.Errorf("err = %v, want a failure naming payloads, which an earlier run loaded", err)
	}
	if got := pgtest.ContentHash(t, pool); got != before {
		t.Error("the failed run changed bronze")
	}
	// An API with none of them is the wrong URL, not an empty API.
	empty := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(empty.Close)
	pool, _ = setup(t)
	if _, err := syncFrom(t, pool, pagedSource(empty.URL, 50)); err == nil || !strings.Contains(err.Error(), "none of the resources") {
		t.Errorf("err = %v, want a failure: the source has none of the resources", err)
	}
}
