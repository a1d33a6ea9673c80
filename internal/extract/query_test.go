package extract_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/spacex-elt/loader/internal/extract"
	"github.com/spacex-elt/loader/internal/fakeapi"
)

// sent is one request a server received.
type sent struct {
	method, path, contentType string
	body                      map[string]any
}

// recording serves h and keeps every request's method, path and JSON body.
func recording(t *testing.T, h http.Handler) (url string, got func() []sent) {
	t.Helper()
	var mu sync.Mutex
	var reqs []sent
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		s := sent{method: r.Method, path: r.URL.Path, contentType: r.Header.Get("Content-Type")}
		if len(b) > 0 {
			if err := json.Unmarshal(b, &s.body); err != nil {
				t.Errorf("request body %q: %v", b, err)
			}
		}
		mu.Lock()
		reqs = append(reqs, s)
		mu.Unlock()
		r.Body = io.NopCloser(strings.NewReader(string(b)))
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL, func() []sent {
		mu.Lock()
		defer mu.Unlock()
		return append([]sent(nil), reqs...)
	}
}

// pageBody is the body a page request must carry.
func pageBody(page, limit int) map[string]any {
	return map[string]any{"query": map[string]any{}, "options": map[string]any{
		"sort": map[string]any{"_id": float64(1)}, "page": float64(page), "limit": float64(limit)}}
}

// byID returns documents sorted by their id, the order of pages sorted by
// _id.
func byID(t *testing.T, docs []string) []string {
	t.Helper()
	id := func(doc string) string {
		var d struct{ ID string }
		if err := json.Unmarshal([]byte(doc), &d); err != nil {
			t.Fatal(err)
		}
		return d.ID
	}
	out := slices.Clone(docs)
	slices.SortStableFunc(out, func(a, b string) int { return strings.Compare(id(a), id(b)) })
	return out
}

func paged(url string, size int, retries uint) *extract.HTTP {
	h := newHTTP(url, retries)
	h.PageSize = size
	return h
}

// stream reads a resource to the end; attempts holds what each call of
// consume saw.
func stream(src extract.Source, req extract.Request) (docs []string, attempts int, fetched extract.Answer, err error) {
	fetched, err = src.Stream(context.Background(), req, func(d *extract.Documents) error {
		attempts++
		var e error
		docs, e = collect(d)
		return e
	})
	return docs, attempts, fetched, err
}

// TestPagingReadsEveryPage: the documents of every page, in order, are
// those of one GET, and each page was asked for with page p and the limit.
func TestPagingReadsEveryPage(t *testing.T) {
	t.Parallel()
	all, _, _, err := stream(newHTTP(serve(t, fakeapi.New(snapshot)), 0), extract.Request{Path: "/v4/payloads"})
	if err != nil || len(all) != 225 {
		t.Fatalf("GET: %d payloads, %v", len(all), err)
	}
	want := byID(t, all)
	for _, tc := range []struct {
		limit, pages int
	}{{50, 5}, {45, 5}, {225, 1}, {1000, 1}, {224, 2}} {
		t.Run(fmt.Sprint(tc.limit), func(t *testing.T) {
			t.Parallel()
			url, requests := recording(t, fakeapi.New(snapshot))
			got, attempts, fetched, err := stream(paged(url, tc.limit, 0), extract.Request{Path: "/v4/payloads", ETag: `"anything"`})
			if err != nil {
				t.Fatal(err)
			}
			if attempts != 1 || !reflect.DeepEqual(got, want) {
				t.Errorf("%d attempts, %d documents; want 1 attempt and the GET's 225 sorted by id", attempts, len(got))
			}
			if fetched != (extract.Answer{Status: http.StatusOK, Attempts: 1}) {
				t.Errorf("fetched = %+v, want no ETag and not NotModified", fetched)
			}
			reqs := requests()
			if len(reqs) != tc.pages {
				t.Fatalf("%d requests, want %d", len(reqs), tc.pages)
			}
			for i, r := range reqs {
				if r.method != http.MethodPost || r.path != "/v4/payloads/query" || r.contentType != "application/json" ||
					!reflect.DeepEqual(r.body, pageBody(i+1, tc.limit)) {
					t.Errorf("request %d = %+v, want POST /v4/payloads/query with %v", i+1, r, pageBody(i+1, tc.limit))
				}
			}
		})
	}
}

// TestPagingLaunchesRoute: the /query route is the resource's own path
// plus /query, /v5 included.
func TestPagingLaunchesRoute(t *testing.T) {
	t.Parallel()
	api := fakeapi.New(snapshot)
	docs, _, _, err := stream(paged(serve(t, api), 100, 0), extract.Request{Path: "/v5/launches", Alternates: []string{"/v4/launches"}})
	if err != nil || len(docs) != 205 {
		t.Fatalf("%d launches, %v; want 205", len(docs), err)
	}
	if got := api.Calls("/v5/launches/query"); got != 3 {
		t.Errorf("/v5/launches/query got %d requests, want 3", got)
	}
}

func TestPagingEmptyResource(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "v4"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "v4", "things.json"), []byte("[]"), 0o644); err != nil {
		t.Fatal(err)
	}
	api := fakeapi.New(dir)
	docs, attempts, _, err := stream(paged(serve(t, api), 10, 0), extract.Request{Path: "/v4/things"})
	if err != nil || len(docs) != 0 || attempts != 1 {
		t.Fatalf("%d documents in %d attempts, %v; want none in 1", len(docs), attempts, err)
	}
	if got := api.Calls("/v4/things/query"); got != 1 {
		t.Errorf("%d requests, want 1", got)
	}
}

// TestPagingTotalDocsMismatch: pages that do not add up to totalDocs, either
// way, fail the stream with an error naming the route, the count and
// totalDocs, and are not asked for again.
func TestPagingTotalDocsMismatch(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		lie   func(n int) int
		calls int
		want  string
	}{
		// The paging follows the count: 5 at 2 a page is 3 pages, the
		// last one empty.
		{"more than streamed", func(n int) int { return n + 1 }, 3, "4 documents in 3 page(s), but totalDocs is 5"},
		{"fewer than streamed", func(n int) int { return n - 1 }, 2, "4 documents in 2 page(s), but totalDocs is 3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			api := fakeapi.New(snapshot)
			api.TotalDocs = func(p string, n int) int {
				if p != "/v4/rockets" {
					t.Errorf("TotalDocs asked for %s", p)
				}
				return tc.lie(n)
			}
			url := serve(t, api)
			var streamErr error
			_, err := paged(url, 2, 3).Stream(context.Background(), extract.Request{Path: "/v4/rockets"}, func(d *extract.Documents) error {
				_, streamErr = collect(d)
				return streamErr
			})
			if !errors.Is(err, extract.ErrPaging) || err != streamErr {
				t.Fatalf("err = %v (stream's %v), want the stream's ErrPaging", err, streamErr)
			}
			for _, w := range []string{url + "/v4/rockets/query", tc.want} {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("err = %q, want it to contain %q", err, w)
				}
			}
			if got := api.Calls("/v4/rockets/query"); got != tc.calls {
				t.Errorf("%d requests, want %d (no retry)", got, tc.calls)
			}
		})
	}
}

// envelopeFault answers every /query page with env(page asked for).
func envelopeFault(p string, env func(page int) string) fakeapi.Fault {
	return fakeapi.Always(p, func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Options struct{ Page int } `json:"options"`
		}
		_ = json.NewDecoder(r.Body).Decode(&body)
		fakeapi.Body([]byte(env(body.Options.Page)))(w, r)
	})
}

// TestPagingBadEnvelopes: answers a paging client must not trust.
func TestPagingBadEnvelopes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		env   func(page int) string
		kind  error
		want  string
		calls int
	}{
		{"hasNextPage never ends", func(p int) string {
			return fmt.Sprintf(`{"docs":[],"totalDocs":0,"limit":2,"page":%d,"hasNextPage":true}`, p)
		}, extract.ErrPaging, "page 2: inconsistent /query paging: hasNextPage is still true", 2},
		// 3 at 2 a page take 2 pages: a third is allowed, not a fourth.
		{"hasNextPage never ends, with documents", func(p int) string {
			return fmt.Sprintf(`{"docs":[{"id":"%d"}],"totalDocs":3,"limit":2,"page":%d,"hasNextPage":true}`, p, p)
		}, extract.ErrPaging, "page 3: inconsistent /query paging: hasNextPage is still true", 3},
		{"page ignored", func(int) string {
			return `{"docs":[{"id":"a"},{"id":"b"}],"totalDocs":4,"limit":2,"page":1,"hasNextPage":true}`
		}, extract.ErrPaging, "asked for page 2, got page 1", 2},
		{"totalDocs changes", func(p int) string {
			return fmt.Sprintf(`{"docs":[{"id":"%d"}],"totalDocs":%d,"limit":1,"page":%d,"hasNextPage":true}`, p, 2+p, p)
		}, extract.ErrPaging, "totalDocs went from 3 on page 1 to 4", 2},
		{"an array", func(int) string { return `[{"id":"a"}]` }, extract.ErrMalformed, "expected a /query envelope (a JSON object), found ", 1},
		{"no totalDocs", func(int) string { return `{"docs":[{"id":"a"}],"hasNextPage":false}` }, extract.ErrMalformed, "the envelope has no totalDocs", 1},
		{"no docs", func(int) string { return `{"totalDocs":0,"hasNextPage":false}` }, extract.ErrMalformed, "the envelope has no docs", 1},
		{"docs not an array", func(int) string { return `{"docs":{},"totalDocs":0,"hasNextPage":false}` }, extract.ErrMalformed, "docs is an object, not an array", 1},
		{"totalDocs a string", func(int) string { return `{"docs":[],"totalDocs":"0","hasNextPage":false}` }, extract.ErrMalformed, "totalDocs is a JSON string, not an integer", 1},
		{"hasNextPage a number", func(int) string { return `{"docs":[],"totalDocs":0,"hasNextPage":0}` }, extract.ErrMalformed, "hasNextPage is a JSON number, not a boolean", 1},
		{"truncated", func(int) string { return `{"docs":[{"id":"a"},` }, extract.ErrMalformed, "truncated JSON", 1},
		{"trailing data", func(int) string { return `{"docs":[],"totalDocs":0,"hasNextPage":false} {}` }, extract.ErrMalformed, "data after the end of the envelope", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			api := fakeapi.New(snapshot, envelopeFault("/v4/rockets/query", tc.env))
			_, _, _, err := stream(paged(serve(t, api), 2, 3), extract.Request{Path: "/v4/rockets"})
			if !errors.Is(err, tc.kind) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "/v4/rockets/query") {
				t.Errorf("err = %v, want %v naming /v4/rockets/query and containing %q", err, tc.kind, tc.want)
			}
			if got := api.Calls("/v4/rockets/query"); got != tc.calls {
				t.Errorf("%d requests, want %d", got, tc.calls)
			}
		})
	}
}

// TestPagingObjectUsesGet: company and roadster have no paged route.
func TestPagingObjectUsesGet(t *testing.T) {
	t.Parallel()
	api := fakeapi.New(snapshot)
	docs, _, fetched, err := stream(paged(serve(t, api), 2, 0), extract.Request{Path: "/v4/company", Object: true})
	if err != nil || len(docs) != 1 || !strings.Contains(docs[0], `"founder"`) {
		t.Fatalf("documents %q, %v; want the company object", docs, err)
	}
	if fetched.ETag == "" {
		t.Error("a GET's ETag was not passed on")
	}
	if get, post := api.Calls("/v4/company"), api.Calls("/v4/company/query"); get != 1 || post != 0 {
		t.Errorf("GET %d, POST /query %d; want 1 and 0", get, post)
	}
}

// TestNotFoundIsAbsent: the snapshot has no starlink, so the API answers
// 404, on GET and /query alike: the resource is absent, and consume is
// not called.
func TestNotFoundIsAbsent(t *testing.T) {
	t.Parallel()
	for _, size := range []int{0, 10} {
		api := fakeapi.New(snapshot)
		url := serve(t, api)
		_, attempts, _, err := stream(paged(url, size, 3), extract.Request{Path: "/v4/starlink"})
		var se *extract.StatusError
		if !errors.Is(err, extract.ErrAbsent) || !errors.As(err, &se) || se.StatusCode != http.StatusNotFound {
			t.Fatalf("page size %d: err = %v, want ErrAbsent and a 404 StatusError", size, err)
		}
		route, method := "/v4/starlink", "GET"
		if size > 0 {
			route, method = "/v4/starlink/query", "POST"
		}
		if !strings.Contains(err.Error(), method+" "+url+route) || attempts != 0 {
			t.Errorf("page size %d: err = %q after %d calls of consume; want it to name %s %s, and none", size, err, attempts, method, route)
		}
		if got := api.Calls(route); got != 1 {
			t.Errorf("page size %d: %d requests, want 1 (a 404 is not retried)", size, got)
		}
	}
}

// TestPagingNotFoundPartWay: a 404 after page 1 is a failure, not absence.
func TestPagingNotFoundPartWay(t *testing.T) {
	t.Parallel()
	api := fakeapi.New(snapshot, fakeapi.On("/v4/rockets/query", nil, fakeapi.Status(http.StatusNotFound)))
	_, _, _, err := stream(paged(serve(t, api), 2, 3), extract.Request{Path: "/v4/rockets"})
	var se *extract.StatusError
	if errors.Is(err, extract.ErrAbsent) || !errors.As(err, &se) || se.StatusCode != http.StatusNotFound || se.Page != 2 {
		t.Fatalf("err = %v, want a 404 StatusError of page 2, not ErrAbsent", err)
	}
}

// TestPagingRetriesFromPageOne: a page that fails transiently, by status
// or by a body cut short, makes the stream start again from page 1, and
// consume sees a clean stream.
func TestPagingRetriesFromPageOne(t *testing.T) {
	t.Parallel()
	cut := func(w http.ResponseWriter, r *http.Request) {
		fakeapi.Reset([]byte(`{"docs":[{"id":"partial"},{"id":`), 20)(w, r)
	}
	for _, tc := range []struct {
		name  string
		fault http.HandlerFunc
	}{
		{"503 with Retry-After", fakeapi.RetryAfter(http.StatusServiceUnavailable, 0)},
		{"500", fakeapi.Status(http.StatusInternalServerError)},
		{"body cut short", cut},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// Request 2 is page 2 of the first attempt.
			api := fakeapi.New(snapshot, fakeapi.On("/v4/rockets/query", nil, tc.fault))
			var seen []int
			_, err := paged(serve(t, api), 3, 2).Stream(context.Background(), extract.Request{Path: "/v4/rockets"}, func(d *extract.Documents) error {
				docs, err := collect(d)
				seen = append(seen, len(docs))
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			// 3 from page 1, then the failure; then all 4.
			if !reflect.DeepEqual(seen, []int{3, 4}) {
				t.Errorf("documents per attempt = %v, want [3 4]", seen)
			}
			if got := api.Calls("/v4/rockets/query"); got != 4 {
				t.Errorf("%d requests, want 4 (pages 1, 2, then 1, 2 again)", got)
			}
		})
	}
}

func TestPagingGivesUpAfterRetries(t *testing.T) {
	t.Parallel()
	api := fakeapi.New(snapshot, fakeapi.Always("/v4/rockets/query", fakeapi.Status(http.StatusBadGateway)))
	url := serve(t, api)
	_, attempts, _, err := stream(paged(url, 3, 2), extract.Request{Path: "/v4/rockets"})
	var se *extract.StatusError
	if !errors.As(err, &se) || se.StatusCode != http.StatusBadGateway || !strings.Contains(err.Error(), "POST "+url+"/v4/rockets/query page 1: HTTP 502") {
		t.Fatalf("err = %v, want a 502 naming POST, the URL and page 1", err)
	}
	if got := api.Calls("/v4/rockets/query"); got != 3 || attempts != 0 {
		t.Errorf("%d requests, consume called %d times; want 3 (1 + 2 retries) and 0", got, attempts)
	}
}
