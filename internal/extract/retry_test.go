package extract_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/spacex-elt/loader/internal/extract"
	"github.com/spacex-elt/loader/internal/fakeapi"
)

// TestHTTPRetryLogsDelayAndReportsWait: issue 13 item 15 wants each retry
// to log its delay, and the time spent waiting reported. Two 500s then a
// 200, with a 20ms base: the waits are 20–40ms and 40–60ms.
func TestHTTPRetryLogsDelayAndReportsWait(t *testing.T) {
	t.Parallel()
	api := fakeapi.New(snapshot)
	api.Fault = func(_ string, n int) http.HandlerFunc {
		if n <= 2 {
			return func(w http.ResponseWriter, _ *http.Request) { http.Error(w, "oops", http.StatusInternalServerError) }
		}
		return nil
	}
	var logs bytes.Buffer
	src := newHTTP(serve(t, api), 5)
	src.RetryDelay = 20 * time.Millisecond
	src.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	got, err := src.Stream(context.Background(), extract.Request{Path: "/v4/rockets"}, func(d *extract.Documents) error {
		_, err := collect(d)
		return err
	})
	if err != nil || got.Attempts != 3 {
		t.Fatalf("answer %+v, %v; want 3 attempts", got, err)
	}
	lines := regexp.MustCompile(`msg="request failed, retrying" .*attempt=(\d) of=6 delay=(\S+) `).FindAllStringSubmatch(logs.String(), -1)
	if len(lines) != 2 {
		t.Fatalf("want 2 retry lines, each with its delay; logs:\n%s", logs.String())
	}
	var sum time.Duration
	for i, m := range lines {
		d, err := time.ParseDuration(m[2])
		lo := src.RetryDelay << i
		// The log rounds to the millisecond: a jitter just under
		// RetryDelay shows as all of it.
		if err != nil || m[1] != string(rune('1'+i)) || d < lo || d > lo+src.RetryDelay {
			t.Errorf("retry line %d: attempt=%s delay=%s; want attempt=%d and a delay in [%s, %s]", i, m[1], m[2], i+1, lo, lo+src.RetryDelay)
		}
		sum += d
	}
	if got.Waited < 60*time.Millisecond || got.Waited > sum+time.Millisecond {
		t.Errorf("Waited = %s; want the logged delays' sum, %s", got.Waited, sum)
	}
}

// TestHTTPRetryMaxElapsed: --retry-max-elapsed bounds the time spent
// retrying a request (issue 13 item 15: 465 s with no network). With a
// base delay of an hour and a bound of 1s, the first failure is final,
// at once, and the error says why it stopped.
func TestHTTPRetryMaxElapsed(t *testing.T) {
	t.Parallel()
	api := fakeapi.New(snapshot)
	api.Fault = func(string, int) http.HandlerFunc {
		return func(w http.ResponseWriter, _ *http.Request) { http.Error(w, "down", http.StatusBadGateway) }
	}
	src := newHTTP(serve(t, api), 5)
	src.RetryDelay, src.MaxElapsed = time.Hour, time.Second
	start := time.Now()
	_, err := streamCount(src, "/v4/rockets")
	if took := time.Since(start); took > 10*time.Second {
		t.Fatalf("gave up after %s; want at once", took)
	}
	var se *extract.StatusError
	if !errors.As(err, &se) || se.StatusCode != http.StatusBadGateway {
		t.Fatalf("err = %v; want the 502 StatusError", err)
	}
	if want := "gave up after 1 attempt(s) and 0s of waiting: the next wait, "; !strings.Contains(err.Error(), want) ||
		!strings.Contains(err.Error(), "would pass --retry-max-elapsed 1s") {
		t.Errorf("err = %v; want it to say %q … would pass --retry-max-elapsed 1s", err, want)
	}
	if got := api.Calls("/v4/rockets"); got != 1 {
		t.Errorf("requests = %d, want 1", got)
	}

	// Within the bound, retries go on as --retries allows, and the error
	// after the last says how many attempts and how long they waited.
	src = newHTTP(serve(t, api), 2)
	src.MaxElapsed = time.Minute
	_, err = streamCount(src, "/v4/rockets")
	if !errors.As(err, &se) || !strings.Contains(err.Error(), "(gave up after 3 attempts and ") {
		t.Errorf("err = %v; want the 502, and gave up after 3 attempts", err)
	}
}
