package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/spacex-elt/loader/internal/fakeapi"
	"github.com/spacex-elt/loader/internal/pgtest"
	"github.com/spacex-elt/loader/internal/summary"
)

// TestSyncReportsRetryWait: issue 13 item 15. Each retry logs its delay,
// and the summary (text and JSON) reports the time spent waiting: rockets
// answers 500 once, with --retry-delay 50ms its one wait is 50–100ms.
func TestSyncReportsRetryWait(t *testing.T) {
	t.Parallel()
	dsn := pgtest.DSN(t)
	api := fakeapi.New(snapshot)
	var fail atomic.Int32
	api.Fault = func(p string, _ int) http.HandlerFunc {
		if p == "/v4/rockets" && fail.Add(-1) >= 0 {
			return fakeapi.Status(http.StatusInternalServerError)
		}
		return nil
	}
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)
	env := map[string]string{"DATABASE_URL": dsn}

	fail.Store(1)
	code, out, errOut := loader(t, env, "sync", "--api-url", srv.URL, "--retry-delay", "50ms", "--output", "json")
	if code != exitOK {
		t.Fatalf("sync: exit %d\n%s%s", code, out, errOut)
	}
	m := regexp.MustCompile(`msg="request failed, retrying" url=\S+/v4/rockets attempt=1 of=6 delay=(\S+) `).FindStringSubmatch(errOut)
	if m == nil {
		t.Fatalf("no retry line with its delay in the log:\n%s", errOut)
	}
	if d, err := time.ParseDuration(m[1]); err != nil || d < 50*time.Millisecond || d >= 100*time.Millisecond {
		t.Errorf("logged delay=%s; want 50ms to 100ms", m[1])
	}
	var s summary.Run
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("summary: %v\n%s", err, out)
	}
	for _, r := range s.Resources {
		want := r.Resource == "rockets"
		if got := r.WaitMS >= 50 && r.WaitMS < 100; want != got || (!want && r.WaitMS != 0) {
			t.Errorf("%s: wait_ms %d, attempts %d; want 50 to 99 for rockets (its one retry), 0 for the others", r.Resource, r.WaitMS, r.Attempts)
		}
	}
	if !strings.Contains(out, `"wait_ms": `) {
		t.Errorf("JSON summary has no wait_ms:\n%s", out)
	}

	// The text summary says it under the table. The snapshot changed
	// nothing, so rockets answers 304 after its retry.
	fail.Store(1)
	code, out, errOut = loader(t, env, "sync", "--api-url", srv.URL, "--retry-delay", "50ms")
	if code != exitOK || !regexp.MustCompile(`(?m)^rockets: 2 attempts, \d+ms spent waiting between them$`).MatchString(out) {
		t.Errorf("text sync: exit %d; want 0 and the line \"rockets: 2 attempts, …ms spent waiting between them\"\n%s%s", code, out, errOut)
	}
}

// TestSyncRetryMaxElapsed: issue 13 item 15, a run with no API spent 465 s
// before failing. --retry-max-elapsed (default 2m, in --help) bounds the
// time spent retrying a request: with --retry-delay 1h and a bound of 1s
// the first 502 fails the run at once, saying why, exit 1.
func TestSyncRetryMaxElapsed(t *testing.T) {
	t.Parallel()
	code, out, _ := loader(t, nil, "help", "sync")
	if code != exitOK || !regexp.MustCompile(`(?s)-retry-max-elapsed duration\n.*\(default 2m0s\)`).MatchString(out) {
		t.Errorf("help sync: exit %d; want --retry-max-elapsed with its default 2m0s:\n%s", code, out)
	}

	dsn := pgtest.DSN(t)
	api := fakeapi.New(snapshot)
	api.Fault = func(string, int) http.HandlerFunc { return fakeapi.Status(http.StatusBadGateway) }
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)
	start := time.Now()
	code, out, errOut := loader(t, map[string]string{"DATABASE_URL": dsn}, "sync", "--api-url", srv.URL,
		"--retry-delay", "1h", "--retry-max-elapsed", "1s")
	if took := time.Since(start); took > 30*time.Second {
		t.Errorf("sync took %s; want it to give up at once", took)
	}
	want := regexp.MustCompile(`(?m)^loader sync: run 1 failed: resource rockets: extract and land: GET \S+: HTTP 502 Bad Gateway ` +
		`\(gave up after 1 attempt\(s\) and 0s of waiting: the next wait, 10m0s, would pass --retry-max-elapsed 1s\)$`)
	if code != exitFailed || !want.MatchString(errOut) {
		t.Errorf("sync: exit %d; want 1 and a message matching %s\n%s%s", code, want, out, errOut)
	}
}
