package metrics_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/spacex-elt/loader/internal/httpurl"
	"github.com/spacex-elt/loader/internal/ledger"
	"github.com/spacex-elt/loader/internal/metrics"
	"github.com/spacex-elt/loader/internal/pipeline"
)

var (
	started  = time.Date(2026, 11, 28, 6, 0, 0, 0, time.UTC)
	finished = started.Add(90 * time.Second)
)

func run(status ledger.Status) metrics.Run {
	res := pipeline.Result{RunID: 7, ViewsRefreshed: []string{"gold.a", "gold.b"}, Resources: []pipeline.ResourceResult{
		{Resource: "rockets", Extract: ledger.Extract{Documents: 4}, HTTPStatus: 200, Attempts: 3, LandingDuration: 2 * time.Second,
			Counts: ledger.Counts{Inserted: 3, Updated: 1}, PromotionDuration: 500 * time.Millisecond},
		{Resource: "launches", Extract: ledger.Extract{Documents: 205, NotModified: true}, HTTPStatus: 304, Attempts: 1,
			Counts: ledger.Counts{Skipped: true, Unchanged: 205}},
	}}
	r := metrics.Run{Result: res, Status: status, Started: started, Finished: finished}
	if status == ledger.StatusSucceeded {
		r.LastSuccess = finished
	}
	return r
}

// value finds the one sample of family name whose labels include want.
func value(t *testing.T, families map[string]*dto.MetricFamily, name string, want map[string]string) float64 {
	t.Helper()
	mf, ok := families[name]
	if !ok {
		t.Fatalf("no metric %s", name)
	}
	var found []float64
	for _, m := range mf.GetMetric() {
		labels := map[string]string{}
		for _, l := range m.GetLabel() {
			labels[l.GetName()] = l.GetValue()
		}
		match := true
		for k, v := range want {
			match = match && labels[k] == v
		}
		if match {
			found = append(found, m.GetGauge().GetValue())
		}
	}
	if len(found) != 1 {
		t.Fatalf("%s%v: %d samples, want 1", name, want, len(found))
	}
	return found[0]
}

func parse(t *testing.T, r io.Reader) map[string]*dto.MetricFamily {
	t.Helper()
	p := expfmt.NewTextParser(model.LegacyValidation)
	families, err := p.TextToMetricFamilies(r)
	if err != nil {
		t.Fatal(err)
	}
	return families
}

// TestTextfile: the file parses with the Prometheus parser and says what
// the run did; a failed run written after it keeps the last success.
func TestTextfile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "spacex_loader.prom")
	if err := metrics.WriteFile(path, metrics.Registry(run(ledger.StatusSucceeded))); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	fams := parse(t, f)
	f.Close()
	checks := []struct {
		name   string
		labels map[string]string
		want   float64
	}{
		{"spacex_loader_last_run_duration_seconds", nil, 90},
		{"spacex_loader_last_run_id", nil, 7},
		{"spacex_loader_last_run_status", map[string]string{"status": "succeeded"}, 1},
		{"spacex_loader_last_run_status", map[string]string{"status": "failed"}, 0},
		{"spacex_loader_last_success_timestamp_seconds", nil, float64(finished.Unix())},
		{"spacex_loader_rows", map[string]string{"resource": "rockets", "action": "inserted"}, 3},
		{"spacex_loader_rows", map[string]string{"resource": "rockets", "action": "updated"}, 1},
		{"spacex_loader_rows", map[string]string{"resource": "launches", "action": "unchanged"}, 205},
		{"spacex_loader_http_requests", map[string]string{"resource": "rockets", "status": "200"}, 1},
		{"spacex_loader_http_requests", map[string]string{"resource": "launches", "status": "304"}, 1},
		{"spacex_loader_http_retries", map[string]string{"resource": "rockets"}, 2},
		{"spacex_loader_resource_seconds", map[string]string{"resource": "rockets", "step": "landing"}, 2},
		{"spacex_loader_views_refreshed", nil, 2},
	}
	for _, c := range checks {
		if got := value(t, fams, c.name, c.labels); got != c.want {
			t.Errorf("%s%v = %v, want %v", c.name, c.labels, got, c.want)
		}
	}

	last, err := metrics.LastSuccess(path)
	if err != nil || !last.Equal(finished) {
		t.Fatalf("last success read back = %v, %v; want %v", last, err, finished)
	}
	failed := run(ledger.StatusFailed)
	failed.LastSuccess = last
	if err := metrics.WriteFile(path, metrics.Registry(failed)); err != nil {
		t.Fatal(err)
	}
	f, _ = os.Open(path)
	fams = parse(t, f)
	f.Close()
	if got := value(t, fams, "spacex_loader_last_run_status", map[string]string{"status": "failed"}); got != 1 {
		t.Errorf("failed run: status failed = %v", got)
	}
	if got := value(t, fams, "spacex_loader_last_success_timestamp_seconds", nil); got != float64(finished.Unix()) {
		t.Errorf("failed run: last success = %v, want the earlier %v", got, finished.Unix())
	}
	if err := metrics.WriteFile(filepath.Join(t.TempDir(), "metrics.txt"), metrics.Registry(failed)); err == nil {
		t.Error("a file node_exporter would not read (not *.prom) was accepted")
	}
}

// TestPush: what arrives at a Pushgateway (an httptest server here) is the
// job's group, parsed with the library's decoder.
func TestPush(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var method, path string
	var fams []*dto.MetricFamily
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		method, path = r.Method, r.URL.Path
		dec := expfmt.NewDecoder(r.Body, expfmt.ResponseFormat(r.Header))
		for {
			mf := &dto.MetricFamily{}
			if err := dec.Decode(mf); err != nil {
				if err != io.EOF {
					t.Errorf("decode: %v", err)
				}
				break
			}
			fams = append(fams, mf)
		}
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(srv.Close)
	if err := httpurl.Check(srv.URL); err != nil {
		t.Fatal(err)
	}
	if err := metrics.Push(srv.URL, srv.Client(), metrics.Registry(run(ledger.StatusFailed)), "sync"); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	byName := map[string]*dto.MetricFamily{}
	for _, mf := range fams {
		byName[mf.GetName()] = mf
	}
	if method != http.MethodPost || path != "/metrics/job/"+metrics.Job+"/command/sync" {
		t.Errorf("pushed with %s %s, want POST (add, keeping earlier series) /metrics/job/%s/command/sync", method, path, metrics.Job)
	}
	if got := value(t, byName, "spacex_loader_last_run_status", map[string]string{"status": "failed"}); got != 1 {
		t.Errorf("pushed status failed = %v, want 1", got)
	}
	if _, ok := byName["spacex_loader_last_success_timestamp_seconds"]; ok {
		t.Error("a failed run pushed a last success: it would overwrite the gateway's")
	}
	if got := value(t, byName, "spacex_loader_rows", map[string]string{"resource": "rockets", "action": "inserted"}); got != 3 {
		t.Errorf("pushed rockets inserted = %v, want 3", got)
	}
}
