package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/spacex-elt/loader/internal/fakeapi"
	"github.com/spacex-elt/loader/internal/pgtest"
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

	sync := func(wantCode int) runSummary {
		t.Helper()
		code, out, errOut := loader(t, map[string]string{"DATABASE_URL": dsn}, "sync", "--api-url", srv.URL,
			"--retry-delay", "1ms", "--output", "json")
		if code != wantCode {
			t.Fatalf("sync: exit %d, want %d\n%s%s", code, wantCode, out, errOut)
		}
		var s runSummary
		dec := json.NewDecoder(strings.NewReader(out))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&s); err != nil || dec.More() {
			t.Fatalf("stdout is not one summary object (%v):\n%s", err, out)
		}
		return s
	}
	byName := func(s runSummary) map[string]resourceSummary {
		m := map[string]resourceSummary{}
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
	if failed.RunID != 3 || failed.Status != "failed" || !strings.Contains(failed.Error, "resource launches") || !strings.Contains(failed.Error, "HTTP 400") {
		t.Errorf("failed sync: run %d %s %q; want run 3 failed naming launches and the 400", failed.RunID, failed.Status, failed.Error)
	}
}
