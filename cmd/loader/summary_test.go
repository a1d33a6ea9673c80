package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/spacex-elt/loader/internal/fakeapi"
	"github.com/spacex-elt/loader/internal/pgtest"
	"github.com/spacex-elt/loader/internal/summary"
)

// TestSyncOutputJSON: --output json prints one summary object, parsed
// here, for a first sync over HTTP (200s, a retried request, an absent
// resource), a repeat (304s), and a failed run.
func TestSyncOutputJSON(t *testing.T) {
	t.Parallel()
	dsn := pgtest.DSN(t)
	api := fakeapi.New(snapshot)
	var fail500, fail400 atomic.Bool
	fail500.Store(true)
	api.Fault = func(p string, _ int) http.HandlerFunc {
		switch {
		case p == "/v4/rockets" && fail500.CompareAndSwap(true, false):
			return fakeapi.Status(http.StatusInternalServerError)
		case p == "/v5/launches" && fail400.Load():
			return fakeapi.Status(http.StatusBadRequest)
		}
		return nil
	}
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)

	sync := func(wantCode int) summary.Run {
		t.Helper()
		code, out, errOut := loader(t, map[string]string{"DATABASE_URL": dsn}, "sync", "--api-url", srv.URL,
			"--retry-delay", "1ms", "--output", "json")
		if code != wantCode {
			t.Fatalf("sync: exit %d, want %d\n%s%s", code, wantCode, out, errOut)
		}
		var s summary.Run
		dec := json.NewDecoder(strings.NewReader(out))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&s); err != nil || dec.More() {
			t.Fatalf("stdout is not one summary object (%v):\n%s", err, out)
		}
		return s
	}
	byName := func(s summary.Run) map[string]summary.Resource {
		m := map[string]summary.Resource{}
		for _, r := range s.Resources {
			m[r.Resource] = r
		}
		return m
	}

	first := sync(0)
	rs := byName(first)
	if first.RunID != 1 || first.Status != "succeeded" || first.Error != "" || len(first.Resources) != 14 || len(first.ViewsRefreshed) != 14 {
		t.Errorf("first sync: run %d %s %q, %d resources, %d views; want run 1 succeeded, 14 and 14",
			first.RunID, first.Status, first.Error, len(first.Resources), len(first.ViewsRefreshed))
	}
	if r := rs["rockets"]; r.Extract != "landed" || r.HTTPStatus != 200 || r.Attempts != 2 || r.Retries != 1 || r.Inserted != 4 || r.Fetched != 4 {
		t.Errorf("rockets = %+v; want landed, 200 after 2 attempts (1 retry), 4 inserted", r)
	}
	if r := rs["starlink"]; r.Extract != "absent" || r.HTTPStatus != 404 || !r.Skipped {
		t.Errorf("starlink = %+v; want absent, 404, skipped", r)
	}
	if r := rs["launches"]; r.Inserted != 205 || r.LandingMS+r.PromotionMS == 0 {
		t.Errorf("launches = %+v; want 205 inserted, and the time it took", r)
	}

	second := sync(0)
	for _, r := range second.Resources {
		if r.Resource == "starlink" {
			continue
		}
		if r.Extract != "not_modified" || r.HTTPStatus != 304 || r.Attempts != 1 || !r.Skipped || r.Inserted+r.Updated+r.Deleted != 0 || r.LandedRunID != 1 {
			t.Errorf("repeat, %s = %+v; want not_modified by a 304 at the first attempt, skipped, reading run 1's landing", r.Resource, r)
		}
	}
	if second.RunID != 2 || len(second.ViewsRefreshed) != 0 {
		t.Errorf("repeat: run %d, views %v; want run 2, none refreshed", second.RunID, second.ViewsRefreshed)
	}

	fail400.Store(true)
	failed := sync(1)
	for _, r := range failed.Resources {
		if r.Inserted+r.Updated+r.Unchanged+r.Deleted+r.Revived != 0 {
			t.Errorf("failed run, %s = %+v; want no rows counted: its promotion did not commit", r.Resource, r)
		}
	}
	if failed.RunID != 3 || failed.Status != "failed" || !strings.Contains(failed.Error, "resource launches") || !strings.Contains(failed.Error, "HTTP 400") {
		t.Errorf("failed sync: run %d %s %q; want run 3 failed naming launches and the 400", failed.RunID, failed.Status, failed.Error)
	}
}

// TestSyncMetricsFile: --metrics-file after a sync and after a failed
// one, parsed with Prometheus' own text parser.
func TestSyncMetricsFile(t *testing.T) {
	t.Parallel()
	dsn := pgtest.DSN(t)
	path := filepath.Join(t.TempDir(), "spacex_loader.prom")
	read := func() map[string]*dto.MetricFamily {
		t.Helper()
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		p := expfmt.NewTextParser(model.LegacyValidation)
		fams, err := p.TextToMetricFamilies(f)
		if err != nil {
			t.Fatalf("%s does not parse: %v", path, err)
		}
		return fams
	}
	gauge := func(fams map[string]*dto.MetricFamily, name string, labels ...string) float64 {
		t.Helper()
		for _, m := range fams[name].GetMetric() {
			got := map[string]string{}
			for _, l := range m.GetLabel() {
				got[l.GetName()] = l.GetValue()
			}
			match := true
			for i := 0; i < len(labels); i += 2 {
				match = match && got[labels[i]] == labels[i+1]
			}
			if match {
				return m.GetGauge().GetValue()
			}
		}
		t.Fatalf("no %s%v", name, labels)
		return 0
	}

	if code, _, errOut := loader(t, nil, "sync", "--source", snapshot, "--database-url", dsn, "--metrics-file", path); code != 0 {
		t.Fatalf("sync: exit %d\n%s", code, errOut)
	}
	fams := read()
	success := gauge(fams, "spacex_loader_last_success_timestamp_seconds")
	if gauge(fams, "spacex_loader_last_run_status", "status", "succeeded") != 1 ||
		gauge(fams, "spacex_loader_rows", "resource", "launches", "action", "inserted") != 205 ||
		gauge(fams, "spacex_loader_rows", "resource", "payloads", "action", "fetched") != 225 ||
		gauge(fams, "spacex_loader_views_refreshed") != 14 || success < float64(time.Now().Add(-time.Minute).Unix()) {
		t.Errorf("after a sync the file says otherwise:\n%v", fams)
	}

	broken := t.TempDir()
	if err := os.CopyFS(broken, os.DirFS(snapshot)); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(broken, "v5", "launches.json"), []byte(`[{"id": "a"} {"id": "b"}]`), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, _ := loader(t, nil, "sync", "--source", broken, "--database-url", dsn, "--metrics-file", path); code != 1 {
		t.Fatalf("broken sync: exit %d, want 1", code)
	}
	fams = read()
	if gauge(fams, "spacex_loader_last_run_status", "status", "failed") != 1 ||
		gauge(fams, "spacex_loader_last_run_status", "status", "succeeded") != 0 ||
		gauge(fams, "spacex_loader_last_run_id") != 2 ||
		gauge(fams, "spacex_loader_last_success_timestamp_seconds") != success {
		t.Errorf("after a failed sync the file says otherwise (last success must stay %v):\n%v", success, fams)
	}
}

// TestNotifyOnFailure: --notify-url gets one Slack-style message for a
// failed run, none for a succeeded one; a receiver that fails changes no
// exit code, and its URL's secret path is not logged.
func TestNotifyOnFailure(t *testing.T) {
	t.Parallel()
	dsn := pgtest.DSN(t)
	var mu sync.Mutex
	var got []map[string]any
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var m map[string]any
		if err := json.NewDecoder(r.Body).Decode(&m); err != nil || r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("notification body: %v, content type %q", err, r.Header.Get("Content-Type"))
		}
		mu.Lock()
		got = append(got, m)
		mu.Unlock()
	}))
	t.Cleanup(hook.Close)
	broken := t.TempDir()
	if err := os.CopyFS(broken, os.DirFS(snapshot)); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(broken, "v5", "launches.json"), []byte(`[{"id": "a"} {"id": "b"}]`), 0o644); err != nil {
		t.Fatal(err)
	}

	if code, _, errOut := loader(t, map[string]string{"LOADER_NOTIFY_URL": hook.URL + "/services/T0/B0/secret"},
		"sync", "--source", snapshot, "--database-url", dsn); code != 0 {
		t.Fatalf("sync: exit %d\n%s", code, errOut)
	}
	if code, _, _ := loader(t, nil, "sync", "--source", broken, "--database-url", dsn, "--notify-url", hook.URL+"/services/T0/B0/secret"); code != 1 {
		t.Fatalf("broken sync: exit %d, want 1", code)
	}
	mu.Lock()
	if len(got) != 1 {
		t.Fatalf("%d notifications, want 1 (for the failed run only): %v", len(got), got)
	}
	m := got[0]
	mu.Unlock()
	text, _ := m["text"].(string)
	if !strings.Contains(text, "sync run 2 failed") || !strings.Contains(text, "resource launches") ||
		m["run_id"] != float64(2) || m["status"] != "failed" || !strings.Contains(m["error"].(string), "malformed") {
		t.Errorf("notification = %v", m)
	}
	// Issue 13 item 18: the text said "sync run 2 failed: run 2 failed: …".
	if want := "spacex-loader: sync run 2 failed: resource launches: "; !strings.HasPrefix(text, want) {
		t.Errorf("notification text %q; want it to begin %q, saying the run failed once", text, want)
	}

	refusing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusInternalServerError)
	}))
	t.Cleanup(refusing.Close)
	code, _, errOut := loader(t, nil, "sync", "--source", broken, "--database-url", dsn, "--notify-url", refusing.URL+"/services/T0/B0/secret")
	if code != 1 || !strings.Contains(errOut, "notification not delivered") || strings.Contains(errOut, "secret") {
		t.Errorf("with a failing receiver: exit %d (want the run's 1), log:\n%s", code, errOut)
	}
	if code, _, _ := loader(t, nil, "sync", "--source", snapshot, "--database-url", dsn, "--notify-url", "ftp://x"); code != 2 {
		t.Errorf("--notify-url ftp://x: exit %d, want 2", code)
	}
}

// TestSyncCheck: sync --check runs the data tests after the run and puts
// them in the summary; a check of severity error that fails exits 4 and is
// notified, and so does loader check --notify-url.
func TestSyncCheck(t *testing.T) {
	t.Parallel()
	dsn := pgtest.DSN(t)
	var mu sync.Mutex
	var got []map[string]any
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var m map[string]any
		_ = json.NewDecoder(r.Body).Decode(&m)
		mu.Lock()
		got = append(got, m)
		mu.Unlock()
	}))
	t.Cleanup(hook.Close)
	sync := func(dir string, wantCode int) summary.Run {
		t.Helper()
		code, out, errOut := loader(t, map[string]string{"LOADER_NOTIFY_URL": hook.URL},
			"sync", "--source", dir, "--database-url", dsn, "--check", "--output", "json")
		if code != wantCode {
			t.Fatalf("sync --check: exit %d, want %d\n%s%s", code, wantCode, out, errOut)
		}
		var s summary.Run
		if err := json.Unmarshal([]byte(out), &s); err != nil {
			t.Fatalf("%v:\n%s", err, out)
		}
		return s
	}
	status := func(s summary.Run) map[string]string {
		m := map[string]string{}
		for _, c := range s.Checks {
			m[c.Name] = c.Status
		}
		return m
	}

	first := status(sync(snapshot, 0))
	if len(first) < 60 || first["launches_flight_number_unique"] != "warn" || first["runs_fresh"] != "pass" || first["launches_date_precision_accepted"] == "fail" {
		t.Errorf("checks after the snapshot's sync: %v", first)
	}
	mu.Lock()
	if len(got) != 0 {
		t.Errorf("notified %v after a sync whose error checks pass", got)
	}
	mu.Unlock()

	odd := t.TempDir()
	if err := os.CopyFS(odd, os.DirFS(snapshot)); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(odd, "v5", "launches.json"))
	if err != nil {
		t.Fatal(err)
	}
	b = []byte(strings.Replace(string(b), `"date_precision": "hour"`, `"date_precision": "fortnight"`, 1))
	if err := os.WriteFile(filepath.Join(odd, "v5", "launches.json"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	second := sync(odd, exitCheckFailed)
	var failed []string
	for name, st := range status(second) {
		if st == "fail" {
			failed = append(failed, name)
		}
	}
	if second.Status != "succeeded" || len(failed) != 1 {
		t.Errorf("sync of a fortnight precision: run %s, failed checks %v; want succeeded and one error check failed", second.Status, failed)
	}
	mu.Lock()
	if len(got) != 1 || got[0]["run_id"] != float64(2) || !strings.Contains(got[0]["text"].(string), failed[0]) {
		t.Errorf("notifications %v, want one for run 2 naming %v", got, failed)
	}
	mu.Unlock()

	if code, _, errOut := loader(t, nil, "check", "--database-url", dsn, "--notify-url", hook.URL); code != exitCheckFailed {
		t.Fatalf("loader check: exit %d\n%s", code, errOut)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 2 || got[1]["command"] != "check" || len(got[1]["failed_checks"].([]any)) != 1 {
		t.Errorf("loader check's notification: %v", got)
	}
}

// TestReportsWithoutDatabase: a sync that cannot reach the database still
// prints its JSON summary, writes its metrics and notifies.
func TestReportsWithoutDatabase(t *testing.T) {
	t.Parallel()
	var posts atomic.Int32
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { posts.Add(1) }))
	t.Cleanup(hook.Close)
	prom := filepath.Join(t.TempDir(), "spacex_loader.prom")
	code, out, errOut := loader(t, nil, "sync", "--source", snapshot, "--output", "json", "--metrics-file", prom,
		"--notify-url", hook.URL, "--database-url", "postgres://loader:"+testPassword+"@127.0.0.1:1/spacex?connect_timeout=2")
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s", code, errOut)
	}
	var s summary.Run
	if err := json.Unmarshal([]byte(out), &s); err != nil || s.Status != "failed" || s.RunID != 0 || !strings.Contains(s.Error, "127.0.0.1:1") {
		t.Errorf("summary %+v (%v), want failed with run 0 and the server named:\n%s", s, err, out)
	}
	if strings.Contains(out+errOut, testPassword) {
		t.Error("the password is shown")
	}
	b, err := os.ReadFile(prom)
	if err != nil || !strings.Contains(string(b), `spacex_loader_last_run_status{status="failed"} 1`) {
		t.Errorf("metrics file: %v\n%s", err, b)
	}
	if posts.Load() != 1 {
		t.Errorf("%d notifications, want 1", posts.Load())
	}
}
