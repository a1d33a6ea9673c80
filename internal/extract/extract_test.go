package extract_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/spacex-elt/loader/internal/extract"
	"github.com/spacex-elt/loader/internal/fakeapi"
)

const snapshot = "../../testdata/spacex-api"

// collect reads every document of a stream.
func collect(docs *extract.Documents) ([]string, error) {
	var out []string
	for docs.Next() {
		out = append(out, string(docs.Raw()))
	}
	return out, docs.Err()
}

func TestDocuments(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		in      string
		want    []string
		wantErr string
	}{
		{"array", `[{"id":"a"}, {"id": "b", "n": [1, 2.5]}]`, []string{`{"id":"a"}`, `{"id": "b", "n": [1, 2.5]}`}, ""},
		{"empty array", ` [ ] `, nil, ""},
		{"object", `{"docs": []}`, nil, "expected a JSON array, found an object"},
		{"null", `null`, nil, "expected a JSON array, found null"},
		{"truncated", `[{"id":"a"}, {"id":`, []string{`{"id":"a"}`}, "truncated JSON"},
		{"missing comma", `[{"id":"a"} {"id":"b"}]`, []string{`{"id":"a"}`}, "at byte 12"},
		{"trailing data", `[{"id":"a"}] [`, []string{`{"id":"a"}`}, "data after the end of the array"},
		{"empty body", ``, nil, "malformed response: the response is empty, with no JSON value"},
		{"white space only", " \n\t", nil, "the response is empty"},
		{"byte-order mark", "\ufeff[{\"id\":\"a\"}]", []string{`{"id":"a"}`}, ""},
		{"byte-order mark, then bad JSON", "\ufeff[{\"id\":\"a\"} {}]", []string{`{"id":"a"}`}, "at byte 15"},
		{"byte-order mark only", "\ufeff", nil, "the response is empty"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := collect(extract.NewDocuments(strings.NewReader(tc.in)))
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("documents = %q, want %q", got, tc.want)
			}
			if tc.wantErr == "" {
				if err != nil {
					t.Errorf("err = %v, want nil", err)
				}
				return
			}
			if !errors.Is(err, extract.ErrMalformed) || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("err = %v, want ErrMalformed containing %q", err, tc.wantErr)
			}
		})
	}
}

func newHTTP(url string, retries uint) *extract.HTTP {
	return &extract.HTTP{
		BaseURL: url, Client: &http.Client{Timeout: 5 * time.Second},
		Retries: retries, RetryDelay: time.Millisecond,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
}

func serve(t *testing.T, api *fakeapi.API) string {
	t.Helper()
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)
	return srv.URL
}

func streamCount(src extract.Source, path string) (int, error) {
	var n int
	_, err := src.Stream(context.Background(), extract.Request{Path: path}, func(d *extract.Documents) error {
		docs, err := collect(d)
		n = len(docs)
		return err
	})
	return n, err
}

// TestHTTPStreams proves the consumer sees the first document while the
// server has not yet sent the rest: a client that buffered the whole body
// would wait forever here.
func TestHTTPStreams(t *testing.T) {
	t.Parallel()
	firstSeen := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`[{"id":"first"},`))
		w.(http.Flusher).Flush()
		select {
		case <-firstSeen:
		case <-time.After(3 * time.Second):
			return // cut the body short: the test fails below
		}
		w.Write([]byte(`{"id":"second"}]`))
	}))
	t.Cleanup(srv.Close)

	var got []string
	_, err := newHTTP(srv.URL, 0).Stream(context.Background(), extract.Request{Path: "/v4/things"}, func(d *extract.Documents) error {
		for d.Next() {
			got = append(got, string(d.Raw()))
			if len(got) == 1 {
				close(firstSeen)
			}
		}
		return d.Err()
	})
	if err != nil || strings.Join(got, "|") != `{"id":"first"}|{"id":"second"}` {
		t.Fatalf("got %q, %v", got, err)
	}
}

func TestHTTPRetries500ThenSucceeds(t *testing.T) {
	t.Parallel()
	api := fakeapi.New(snapshot)
	api.Fault = func(_ string, n int) http.HandlerFunc {
		if n <= 2 {
			return func(w http.ResponseWriter, _ *http.Request) { http.Error(w, "oops", http.StatusInternalServerError) }
		}
		return nil
	}
	var n int
	fetched, err := newHTTP(serve(t, api), 2).Stream(context.Background(), extract.Request{Path: "/v4/rockets"}, func(d *extract.Documents) error {
		n = 0
		for d.Next() {
			n++
		}
		return d.Err()
	})
	if err != nil || n != 4 {
		t.Fatalf("got %d rockets, %v; want 4", n, err)
	}
	if got := api.Calls("/v4/rockets"); got != 3 || fetched.Attempts != 3 || fetched.Status != http.StatusOK {
		t.Errorf("requests = %d, fetched %+v; want 3 attempts ending in 200", got, fetched)
	}
}

func TestHTTPGivesUpAfterRetries(t *testing.T) {
	t.Parallel()
	api := fakeapi.New(snapshot)
	api.Fault = func(string, int) http.HandlerFunc {
		return func(w http.ResponseWriter, _ *http.Request) { http.Error(w, "down", http.StatusBadGateway) }
	}
	url := serve(t, api)
	_, err := streamCount(newHTTP(url, 3), "/v4/rockets")
	var se *extract.StatusError
	if !errors.As(err, &se) || se.StatusCode != http.StatusBadGateway || !strings.Contains(err.Error(), url+"/v4/rockets") {
		t.Fatalf("err = %v, want a 502 StatusError naming the URL", err)
	}
	if got := api.Calls("/v4/rockets"); got != 4 {
		t.Errorf("requests = %d, want 4 (1 + 3 retries)", got)
	}
}

// TestHTTPHonoursRetryAfter sets a base delay far beyond the test's time
// limit: only Retry-After can make the retry come in time.
func TestHTTPHonoursRetryAfter(t *testing.T) {
	t.Parallel()
	for _, status := range []int{http.StatusTooManyRequests, http.StatusServiceUnavailable} {
		api := fakeapi.New(snapshot)
		api.Fault = func(_ string, n int) http.HandlerFunc {
			if n == 1 {
				return func(w http.ResponseWriter, _ *http.Request) {
					w.Header().Set("Retry-After", "1")
					w.WriteHeader(status)
				}
			}
			return nil
		}
		src := newHTTP(serve(t, api), 1)
		src.RetryDelay = time.Hour
		start := time.Now()
		n, err := streamCount(src, "/v4/launchpads")
		elapsed := time.Since(start)
		if err != nil || n != 6 {
			t.Fatalf("HTTP %d: got %d launchpads, %v", status, n, err)
		}
		if elapsed < time.Second || elapsed > 30*time.Second {
			t.Errorf("HTTP %d: retried after %s, want about Retry-After's 1s", status, elapsed)
		}
	}
}

func TestHTTPDoesNotRetry4xx(t *testing.T) {
	t.Parallel()
	for _, status := range []int{http.StatusNotFound, http.StatusUnauthorized, http.StatusBadRequest} {
		api := fakeapi.New(snapshot)
		api.Fault = func(string, int) http.HandlerFunc {
			return func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(status) }
		}
		url := serve(t, api)
		_, err := streamCount(newHTTP(url, 5), "/v4/payloads")
		want := "GET " + url + "/v4/payloads: HTTP " + http.StatusText(status)
		var se *extract.StatusError
		if !errors.As(err, &se) || se.StatusCode != status {
			t.Errorf("HTTP %d: err = %v, want StatusError", status, err)
		} else if !strings.Contains(err.Error(), url+"/v4/payloads") || !strings.Contains(err.Error(), http.StatusText(status)) {
			t.Errorf("HTTP %d: err = %q, want it to read like %q", status, err, want)
		}
		if got := api.Calls("/v4/payloads"); got != 1 {
			t.Errorf("HTTP %d: requests = %d, want 1", status, got)
		}
	}
}

func TestHTTPTimeoutIsRetriedThenReported(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		select { // stall past the client's timeout
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(srv.Close)
	src := newHTTP(srv.URL, 1)
	src.Client.Timeout = 100 * time.Millisecond
	_, err := streamCount(src, "/v4/rockets")
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("err = %v, want a timeout", err)
	}
	if got := calls.Load(); got != 2 {
		t.Errorf("requests = %d, want 2 (1 + 1 retry)", got)
	}
}

// TestHTTPRetriesBodyCutShort: a connection that drops mid-body is a
// network error, retried from the start; the consumer sees a clean stream.
func TestHTTPRetriesBodyCutShort(t *testing.T) {
	t.Parallel()
	api := fakeapi.New(snapshot)
	api.Fault = func(_ string, n int) http.HandlerFunc {
		if n > 1 {
			return nil
		}
		return func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Length", "100000")
			w.Write([]byte(`[{"id":"partial"},`))
			w.(http.Flusher).Flush()
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
		}
	}
	var attempts []int
	_, err := newHTTP(serve(t, api), 2).Stream(context.Background(), extract.Request{Path: "/v4/rockets"}, func(d *extract.Documents) error {
		docs, err := collect(d)
		attempts = append(attempts, len(docs))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(attempts) != 2 || attempts[0] != 1 || attempts[1] != 4 {
		t.Errorf("documents per attempt = %v, want [1 4]", attempts)
	}
}

// TestHTTPMalformedBodyIsNotRetried: a complete response that is not valid
// JSON will not mend on a second request.
func TestHTTPMalformedBodyIsNotRetried(t *testing.T) {
	t.Parallel()
	api := fakeapi.New(snapshot)
	api.Fault = func(string, int) http.HandlerFunc {
		return func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte(`[{"id":"a"},`)) }
	}
	_, err := streamCount(newHTTP(serve(t, api), 3), "/v4/rockets")
	if !errors.Is(err, extract.ErrMalformed) {
		t.Fatalf("err = %v, want ErrMalformed", err)
	}
	if got := api.Calls("/v4/rockets"); got != 1 {
		t.Errorf("requests = %d, want 1", got)
	}
}

func TestDirNamesMissingFile(t *testing.T) {
	t.Parallel()
	_, err := streamCount(extract.Dir(t.TempDir()), "/v4/rockets")
	if err == nil || !strings.Contains(err.Error(), "v4/rockets.json") {
		t.Fatalf("err = %v, want it to name v4/rockets.json", err)
	}
}

// TestInputMessages: a snapshot file is called a file, not a response; an
// empty one says it is empty; a leading UTF-8 byte-order mark is skipped,
// in a file and in an HTTP body, and byte offsets count it (issue 13 item
// 19).
func TestInputMessages(t *testing.T) {
	t.Parallel()
	const bomb = "\xef\xbb\xbf"
	for _, tc := range []struct {
		name, body string
		docs       int
		file, http string // the error each says; "" for none
	}{
		{"empty", "", 0, "rockets.json: malformed file: the file is empty, with no JSON value",
			"malformed response: the response is empty, with no JSON value"},
		{"truncated", `[{"id":"a"},`, 1, "rockets.json: malformed file: truncated JSON after byte 12", "malformed response: truncated JSON after byte 12"},
		{"not an array", `{}`, 0, "rockets.json: malformed file: expected a JSON array, found an object", "malformed response: expected a JSON array"},
		{"byte-order mark", bomb + `[{"id":"a"},{"id":"b"}]`, 2, "", ""},
		{"byte-order mark, bad JSON", bomb + `[{"id":"a"} {}]`, 1,
			"rockets.json: malformed file: expected comma after array element at byte 15",
			"malformed response: expected comma after array element at byte 15"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			if err := os.MkdirAll(filepath.Join(dir, "v4"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "v4", "rockets.json"), []byte(tc.body), 0o644); err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Write([]byte(tc.body))
			}))
			t.Cleanup(srv.Close)
			for _, src := range []struct {
				extract.Source
				want string
			}{{extract.Dir(dir), tc.file}, {newHTTP(srv.URL, 0), tc.http}} {
				n, err := streamCount(src, "/v4/rockets")
				if n != tc.docs {
					t.Errorf("%s: %d documents, want %d", src, n, tc.docs)
				}
				switch {
				case src.want == "" && err != nil:
					t.Errorf("%s: err = %v, want none", src, err)
				case src.want != "" && (!errors.Is(err, extract.ErrMalformed) || !strings.Contains(err.Error(), src.want)):
					t.Errorf("%s: err = %v, want ErrMalformed saying %q", src, err, src.want)
				case src.Source == extract.Dir(dir) && err != nil && strings.Contains(err.Error(), "response"):
					t.Errorf("%s: err = %v calls the file a response", src, err)
				}
			}
		})
	}
}

// TestHTTPStringRedacts (issue 13, item 3): String, which the ledger stores
// as meta.runs.source and logs show, masks a token in the base URL's user
// info, query or fragment.
func TestHTTPStringRedacts(t *testing.T) {
	t.Parallel()
	h := &extract.HTTP{BaseURL: "http://u:SECRET@api.example/base?tok=SECRET#SECRET"}
	if got, want := h.String(), "http://u:xxxxx@api.example/base?xxxxx#xxxxx"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

// TestDirETag: a file's ETag is its sha256. Given that ETag, Stream
// answers not modified and consume gets no document; given any other, or
// none (the file then streams while it is hashed), consume gets every
// document and no error, and the answer the file's ETag.
func TestDirETag(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "v4"), 0o755); err != nil {
		t.Fatal(err)
	}
	// A small file is hashed before it streams; one of a MB and more
	// streams while it is hashed.
	small := `[{"id":"a"},{"id":"b"},{"id":"c"}]`
	large := "[" + strings.Repeat(`{"id":"a","pad":"`+strings.Repeat("x", 1000)+`"},`, 1100) + `{"id":"b"}]`
	for _, body := range []string{small, large} {
		want := strings.Count(body, `"id"`)
		if err := os.WriteFile(filepath.Join(dir, "v4", "things.json"), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256([]byte(body))
		etag := `"sha256:` + hex.EncodeToString(sum[:]) + `"`
		for _, tc := range []struct {
			etag      string
			unchanged bool
		}{{"", false}, {`"sha256:0"`, false}, {etag, true}} {
			for range 20 { // the hash and the stream race: see either win
				var docs int
				var streamErr error
				got, err := extract.Dir(dir).Stream(context.Background(), extract.Request{Path: "/v4/things", ETag: tc.etag},
					func(d *extract.Documents) error {
						for d.Next() {
							docs++
						}
						streamErr = d.Err()
						return streamErr
					})
				if err != nil || got.ETag != etag || got.NotModified != tc.unchanged {
					t.Fatalf("%d bytes, ETag %q: %+v, %v; want ETag %s, not modified %v, no error", len(body), tc.etag, got, err, etag, tc.unchanged)
				}
				// Unchanged, a small file is not streamed, and a large one's
				// stream never ends as complete.
				if tc.unchanged && (body == small && docs > 0 || streamErr == nil && docs > 0) {
					t.Fatalf("%d bytes, ETag %q (unchanged): consume got %d documents, error %v", len(body), tc.etag, docs, streamErr)
				}
				if !tc.unchanged && (docs != want || streamErr != nil) {
					t.Fatalf("%d bytes, ETag %q: consume got %d documents, error %v; want %d and none", len(body), tc.etag, docs, streamErr, want)
				}
			}
		}
	}
}
