package faults_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/spacex-elt/loader/internal/fakeapi"
	"github.com/spacex-elt/loader/internal/pgtest"
)

// Transient API faults are retried and end in a complete, correct sync.
func TestTransientAPIFaults(t *testing.T) {
	t.Parallel()
	launches := snapshotBody(t, "launches", nil)
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	cases := []struct {
		name  string
		fault fakeapi.Fault
		args  []string
		path  string
		calls int
	}{
		{"500 for the first 2 requests",
			fakeapi.On("/v5/launches", fakeapi.Status(500), fakeapi.Status(500)), nil, "/v5/launches", 3},
		{"502 then 503",
			fakeapi.On("/v4/rockets", fakeapi.Status(502), fakeapi.Status(503)), nil, "/v4/rockets", 3},
		// A base delay of an hour: only honouring Retry-After finishes in time.
		{"429 with Retry-After",
			fakeapi.On("/v4/payloads", fakeapi.RetryAfter(429, 1)), []string{"--retry-delay", "1h"}, "/v4/payloads", 2},
		{"connection reset mid-body",
			fakeapi.On("/v5/launches", fakeapi.Reset(launches, len(launches)/2)), nil, "/v5/launches", 2},
		{"stall past --http-timeout",
			fakeapi.On("/v4/launchpads", fakeapi.Stall(release)), []string{"--http-timeout", "500ms"}, "/v4/launchpads", 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, tc.fault)
			e.seedOld()
			code, out := e.sync(tc.args...)
			if code != 0 {
				t.Fatalf("exit %d:\n%s", code, out)
			}
			if got := e.api.Calls(tc.path); got != tc.calls {
				t.Errorf("%s requested %d times, want %d", tc.path, got, tc.calls)
			}
			e.assertComplete()
		})
	}
}

// Permanent API faults fail the run, naming the resource and the reason,
// record it, and leave bronze and gold as they were. What retrying cannot
// mend is requested once; the rest 1 + --retries (2) times.
func TestPermanentAPIFaults(t *testing.T) {
	t.Parallel()
	launches := snapshotBody(t, "launches", nil)
	truncated := launches[:len(launches)-100]
	// The decoder names where the value it could not complete starts: here
	// the last launch, which the cut falls inside. Its offset, computed
	// from the body: the full array ends with that launch and "]".
	lastLaunch := lastDocument(t, "launches")
	truncatedAt := len(launches) - len("]") - len(lastLaunch)
	if len(lastLaunch) <= 100 || !bytes.HasSuffix(launches, append(append([]byte{}, lastLaunch...), ']')) {
		t.Fatalf("the cut of 100 bytes does not fall inside the last launch (%d bytes)", len(lastLaunch))
	}
	// Malformed: the decoder stops at the second object, where a comma
	// belongs.
	malformed := []byte(`[{"id": "a"} {"id": "b"}]`)
	malformedAt := bytes.Index(malformed, []byte(`} {`)) + len(`} `)
	cases := []struct {
		name  string
		fault fakeapi.Fault
		want  []string
		path  string
		calls int
		// A message that must name a byte offset, and the offset.
		offsetRe string
		offset   int
	}{
		{"500 past the retries", fakeapi.Always("/v5/launches", fakeapi.Status(500)),
			[]string{"resource launches", "HTTP 500"}, "/v5/launches", 3, "", 0},
		// A 404 is no fault: the API lacks the resource, which is skipped
		// as absent (pipeline's TestAbsentOverHTTP).
		{"403", fakeapi.Always("/v4/payloads", fakeapi.Status(403)),
			[]string{"resource payloads", "/v4/payloads: HTTP 403"}, "/v4/payloads", 1, "", 0},
		{"401", fakeapi.Always("/v4/rockets", fakeapi.Status(401)),
			[]string{"resource rockets", "HTTP 401"}, "/v4/rockets", 1, "", 0},
		{"truncated JSON", fakeapi.Always("/v5/launches", fakeapi.Body(truncated)),
			[]string{"resource launches", "truncated JSON"}, "/v5/launches", 1,
			`truncated JSON after byte (\d+)`, truncatedAt},
		{"malformed JSON", fakeapi.Always("/v4/payloads", fakeapi.Body(malformed)),
			[]string{"resource payloads", "malformed response"}, "/v4/payloads", 1,
			`malformed response: .* at byte (\d+)`, malformedAt},
		{"wrong top-level shape", fakeapi.Always("/v5/launches", fakeapi.Body([]byte(`{"docs": [], "totalDocs": 0}`))),
			[]string{"resource launches", "expected a JSON array, found an object"}, "/v5/launches", 1, "", 0},
		{"reset on every attempt", fakeapi.Always("/v5/launches", fakeapi.Reset(launches, 1000)),
			[]string{"resource launches", "reading body"}, "/v5/launches", 3, "", 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, tc.fault)
			before := e.seedOld()
			code, out := e.sync()
			e.assertFailedIntact(code, out, before, "failed", tc.want...) // exit 1
			_, msg := e.lastRun()
			if !strings.Contains(msg, tc.want[0]) {
				t.Errorf("ledger error %q does not name %s", msg, tc.want[0])
			}
			if got := e.api.Calls(tc.path); got != tc.calls {
				t.Errorf("%s requested %d times, want %d", tc.path, got, tc.calls)
			}
			if tc.offsetRe == "" {
				return
			}
			re := regexp.MustCompile(tc.offsetRe)
			for where, text := range map[string]string{"output": out, "ledger error": msg} {
				m := re.FindStringSubmatch(text)
				if m == nil {
					t.Errorf("%s does not match %q:\n%s", where, tc.offsetRe, text)
				} else if m[1] != strconv.Itoa(tc.offset) {
					t.Errorf("%s names byte %s, want %d:\n%s", where, m[1], tc.offset, text)
				}
			}
		})
	}
}

// lastDocument is the last document of a snapshot resource as snapshotBody
// encodes it.
func lastDocument(t *testing.T, resource string) []byte {
	t.Helper()
	var last []byte
	snapshotBody(t, resource, func(d []map[string]any) []map[string]any {
		b, err := json.Marshal(d[len(d)-1])
		if err != nil {
			t.Fatal(err)
		}
		last = b
		return d
	})
	return last
}

// An empty or sharply shrunk extract is suspect: past --max-delete-fraction
// it fails the run; when forced, or within the limit, missing records are
// soft-deleted, and revived when they come back.
func TestShrunkExtract(t *testing.T) {
	t.Parallel()
	empty := fakeapi.Always("/v5/launches", fakeapi.Body([]byte(`[]`)))

	t.Run("empty array fails", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, empty)
		before := e.seedOld()
		code, out := e.sync()
		e.assertFailedIntact(code, out, before, "failed",
			"resource launches", "lacks 204 of 204 live rows of bronze.launches", "--force-deletes")
	})

	t.Run("forced, then revived", func(t *testing.T) {
		t.Parallel()
		var shrink atomic.Bool
		e := newEnv(t, func(p string, _ int) http.HandlerFunc {
			if shrink.Load() && p == "/v5/launches" {
				return fakeapi.Body([]byte(`[]`))
			}
			return nil
		})
		e.mustLoad("sync", "--source", snapshot)
		shrink.Store(true)
		code, out := e.sync("--force-deletes")
		if code != 0 {
			t.Fatalf("forced sync: exit %d\n%s", code, out)
		}
		if n := e.int("SELECT count(*) FROM bronze.launches WHERE deleted_at IS NOT NULL"); n != 205 {
			t.Errorf("soft-deleted launches = %d, want 205", n)
		}
		if n := e.int("SELECT count(*) FROM bronze.launches"); n != 205 {
			t.Errorf("launch rows = %d, want all 205 kept", n)
		}
		if n := e.int("SELECT sum(launches_flown) FROM gold.rocket_cost_efficiency"); n != 0 {
			t.Errorf("gold still counts %d flown launches of soft-deleted rows", n)
		}
		if n := e.int("SELECT deleted FROM meta.run_resources WHERE resource = 'launches' ORDER BY run_id DESC LIMIT 1"); n != 205 {
			t.Errorf("ledger deleted = %d, want 205", n)
		}
		shrink.Store(false)
		code, out = e.sync()
		if code != 0 {
			t.Fatalf("sync after: exit %d\n%s", code, out)
		}
		if n := e.int("SELECT revived FROM meta.run_resources WHERE resource = 'launches' ORDER BY run_id DESC LIMIT 1"); n != 205 {
			t.Errorf("ledger revived = %d, want 205", n)
		}
		e.assertComplete()
	})

	t.Run("small shrink soft-deletes within the limit", func(t *testing.T) {
		t.Parallel()
		var drop atomic.Bool
		fewer := snapshotBody(t, "launches", func(d []map[string]any) []map[string]any { return d[5:] })
		e := newEnv(t, func(p string, _ int) http.HandlerFunc {
			if drop.Load() && p == "/v5/launches" {
				return fakeapi.Body(fewer)
			}
			return nil
		})
		e.mustLoad("sync", "--source", snapshot)
		drop.Store(true)
		if code, out := e.sync(); code != 0 {
			t.Fatalf("exit %d\n%s", code, out)
		}
		if n := e.int("SELECT count(*) FROM bronze.launches WHERE deleted_at IS NOT NULL"); n != 5 {
			t.Errorf("soft-deleted = %d, want 5", n)
		}
		drop.Store(false)
		if code, out := e.sync(); code != 0 {
			t.Fatalf("exit %d\n%s", code, out)
		}
		e.assertComplete()
	})
}

// Duplicate ids within one response: the last occurrence wins, every time,
// and the duplication is recorded.
func TestDuplicateIDs(t *testing.T) {
	t.Parallel()
	body := snapshotBody(t, "launches", func(d []map[string]any) []map[string]any {
		for i := 0; i < 3; i++ {
			dup := map[string]any{}
			for k, v := range d[i] {
				dup[k] = v
			}
			dup["name"] = "second copy"
			d = append(d, dup)
		}
		return d
	})
	e := newEnv(t, fakeapi.Always("/v5/launches", fakeapi.Body(body)))
	for i := 0; i < 2; i++ {
		if code, out := e.sync(); code != 0 {
			t.Fatalf("exit %d\n%s", code, out)
		}
	}
	if n := e.int("SELECT count(*) FROM bronze.launches"); n != 205 {
		t.Errorf("launches = %d, want 205", n)
	}
	if n := e.int("SELECT count(*) FROM bronze.launches WHERE name = 'second copy'"); n != 3 {
		t.Errorf("launches from the last copy = %d, want 3", n)
	}
	if n := e.int("SELECT duplicates FROM meta.run_resources WHERE resource = 'launches' ORDER BY run_id DESC LIMIT 1"); n != 3 {
		t.Errorf("ledger duplicates = %d, want 3", n)
	}
	if n := e.int("SELECT updated FROM meta.run_resources WHERE resource = 'launches' ORDER BY run_id DESC LIMIT 1"); n != 0 {
		t.Errorf("second sync updated %d launches: the winner is not deterministic", n)
	}
	// Exactly what the same extract without the earlier copies loads.
	deduped := snapshotBody(t, "launches", func(d []map[string]any) []map[string]any {
		for i := 0; i < 3; i++ {
			d[i]["name"] = "second copy"
		}
		return d
	})
	ref := newEnv(t, fakeapi.Always("/v5/launches", fakeapi.Body(deduped)))
	if code, out := ref.sync(); code != 0 {
		t.Fatalf("reference sync: exit %d\n%s", code, out)
	}
	if got, want := pgtest.ContentHash(t, e.pool), pgtest.ContentHash(t, ref.pool); got != want {
		t.Errorf("content differs from a load of the deduplicated extract:\n%s\n%s", got, want)
	}
}

// Documents without a usable id in one response: they are counted as
// rejected and not promoted, the others load, and since the extract can no
// longer be shown complete, nothing of that resource is soft-deleted, not
// even the records really missing from it.
func TestDocumentsWithoutUsableID(t *testing.T) {
	t.Parallel()
	var lostID []string // ids of the documents that lost them
	var dropped []string
	var renamedID, longID string
	body := snapshotBody(t, "payloads", func(d []map[string]any) []map[string]any {
		unusable := []any{
			nil,                         // id missing (deleted below)
			nil,                         // id null
			"",                          // empty
			map[string]any{"$oid": "x"}, // an object
			true,                        // a boolean
			strings.Repeat("a", 257),    // over 256 bytes
			strings.Repeat("é", 129),    // 258 bytes in 129 characters
		}
		for i, id := range unusable {
			lostID = append(lostID, d[i]["id"].(string))
			if i == 0 {
				delete(d[i], "id")
			} else {
				d[i]["id"] = id
			}
		}
		for _, doc := range d[10:13] {
			dropped = append(dropped, doc["id"].(string))
		}
		d = append(d[:10], d[13:]...)
		// The other documents still load: one changed, and one new under
		// an id of exactly 256 bytes, which is usable.
		d[20]["name"] = "renamed beside the rejects"
		renamedID = d[20]["id"].(string)
		long := map[string]any{}
		for k, v := range d[21] {
			long[k] = v
		}
		longID = strings.Repeat("é", 128)
		long["id"] = longID
		return append(d, long)
	})
	// Seeded with the full snapshot, encoded as the later bodies are, so
	// that the documents left alone arrive byte for byte as before.
	full := snapshotBody(t, "payloads", nil)
	var serve atomic.Pointer[[]byte]
	serve.Store(&full)
	e := newEnv(t, func(p string, _ int) http.HandlerFunc {
		if p == "/v4/payloads" {
			return fakeapi.Body(*serve.Load())
		}
		return nil
	})
	if code, out := e.sync(); code != 0 {
		t.Fatalf("seed: exit %d\n%s", code, out)
	}
	total := e.int("SELECT count(*) FROM bronze.payloads")
	serve.Store(&body)
	if code, out := e.sync(); code != 0 {
		t.Fatalf("exit %d\n%s", code, out)
	}
	if status, msg := e.lastRun(); status != "succeeded" {
		t.Errorf("ledger: last run %s (%s), want succeeded", status, msg)
	}
	row := e.query(`SELECT rejected, inserted, updated, deleted FROM meta.run_resources
		WHERE resource = 'payloads' ORDER BY run_id DESC LIMIT 1`)
	if want := fmt.Sprint([]any{int64(len(lostID)), int64(1), int64(1), int64(0)}); fmt.Sprint(row) != want {
		t.Errorf("payloads ledger rejected/inserted/updated/deleted = %v, want %s", row, want)
	}
	if n := e.int("SELECT count(*) FROM bronze.payloads WHERE deleted_at IS NOT NULL"); n != 0 {
		t.Errorf("%d payloads soft-deleted, want none: the extract had documents without an id", n)
	}
	if n := e.int("SELECT count(*) FROM bronze.payloads WHERE id = ANY($1) AND deleted_at IS NULL", append(lostID, dropped...)); n != int64(len(lostID)+len(dropped)) {
		t.Errorf("%d of the %d payloads absent from the extract are live, want all", n, len(lostID)+len(dropped))
	}
	if n := e.int("SELECT count(*) FROM bronze.payloads"); n != total+1 {
		t.Errorf("payload rows = %d, want %d and the one with a 256-byte id", n, total+1)
	}
	if n := e.int("SELECT count(*) FROM bronze.payloads WHERE id = $1 AND name = 'renamed beside the rejects'", renamedID); n != 1 {
		t.Error("the change to another payload was not loaded")
	}
	if n := e.int("SELECT count(*) FROM bronze.payloads WHERE id = $1", longID); n != 1 {
		t.Error("the payload with an id of 256 bytes was not loaded")
	}
	if n := e.int(`SELECT count(*) FROM bronze.payloads WHERE id = '' OR octet_length(id) > 256`); n != 0 {
		t.Errorf("%d payloads promoted with an unusable id", n)
	}

	// The same extract without the rejected documents is complete, and then
	// what it lacks is soft-deleted: the check above could fail.
	complete := snapshotBody(t, "payloads", func(d []map[string]any) []map[string]any {
		keep := d[:0]
		for _, doc := range d {
			if !slices.Contains(lostID, doc["id"].(string)) && !slices.Contains(dropped, doc["id"].(string)) {
				keep = append(keep, doc)
			}
		}
		return keep
	})
	serve.Store(&complete)
	if code, out := e.sync(); code != 0 {
		t.Fatalf("sync without the rejected documents: exit %d\n%s", code, out)
	}
	// The 256-byte id, absent from this extract, goes too.
	if n := e.int("SELECT deleted FROM meta.run_resources WHERE resource = 'payloads' ORDER BY run_id DESC LIMIT 1"); n != int64(len(lostID)+len(dropped)+1) {
		t.Errorf("without rejected documents: ledger deleted = %d, want %d", n, len(lostID)+len(dropped)+1)
	}
}

// An extract with no usable document (a launches file of numbers, or of
// one empty object) fails the run, naming the resource, as soon as more
// than --max-reject-fraction (default 10%) of its documents lack an id;
// bronze and gold stay as they were. Raised to 1, the flag lets it through,
// and loader check then reports the resource's rejected documents.
func TestExtractWithoutUsableDocuments(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, body, share string }{
		{"numbers", "[1,2,3]", "3 of 3 documents (100.0%, more than 10.0%)"},
		{"an empty object", "[{}]", "1 of 1 documents (100.0%, more than 10.0%)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			before := e.seedOld()
			dir := t.TempDir()
			if err := os.CopyFS(dir, os.DirFS(snapshot)); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(snapshotFile(dir, "launches"), []byte(tc.body), 0o644); err != nil {
				t.Fatal(err)
			}
			code, out := e.loader("sync", "--source", dir)
			e.assertFailedIntact(code, out, before, "failed",
				"resource launches: too many documents without a usable id: "+tc.share)
			if strings.Contains(out, "succeeded") {
				t.Errorf("output says succeeded:\n%s", out)
			}
			if _, msg := e.lastRun(); !strings.Contains(msg, "resource launches: too many documents without a usable id") {
				t.Errorf("ledger error %q does not name launches and the rejected documents", msg)
			}

			code, out = e.loader("sync", "--source", dir, "--max-reject-fraction", "1")
			if code != 0 {
				t.Fatalf("--max-reject-fraction 1: exit %d\n%s", code, out)
			}
			code, out = e.loader("check", "--only", "extracts_keyed")
			if want := "launches: " + strings.SplitN(tc.share, " (", 2)[0] + " in run 3"; code != 0 || !strings.Contains(out, "WARN") || !strings.Contains(out, want) {
				t.Errorf("loader check --only extracts_keyed: exit %d, want 0 and a WARN saying %q:\n%s", code, want, out)
			}
		})
	}
}

// A replay runs under the contract mode recorded with its run unless
// --contract is given, and its summary says which: a run refused under
// --contract fail is refused again by its replay under no flag, so the
// drifted documents reach bronze only when someone asks with --contract
// warn.
func TestReplayKeepsContract(t *testing.T) {
	t.Parallel()
	drifted := snapshotBody(t, "launches", func(d []map[string]any) []map[string]any {
		d[1]["brand_new"] = true
		return d
	})
	e := newEnv(t, fakeapi.Always("/v5/launches", fakeapi.Body(drifted)))
	before := e.seedOld() // run 1
	contract := func(run int) string {
		t.Helper()
		c, _ := e.query("SELECT contract FROM meta.runs WHERE run_id = $1", run)[0].(string)
		return c
	}

	code, out := e.sync("--contract", "fail") // run 2
	e.assertFailedIntact(code, out, before, "failed", "resource launches", `new key "brand_new"`)

	code, out = e.loader("replay", "--output", "json", "2") // run 3
	e.assertFailedIntact(code, out, before, "failed", "resource launches", `new key "brand_new"`, `"contract": "fail"`)
	if c := contract(3); c != "fail" {
		t.Errorf("replay of run 2 recorded with contract %q, want fail, run 2's", c)
	}

	code, out = e.loader("replay", "--contract", "warn", "2") // run 4
	if code != 0 || !strings.Contains(out, "run 4 succeeded in ") || !strings.Contains(out, " under --contract warn\n") {
		t.Fatalf("replay --contract warn 2: exit %d, want 0 and a summary saying --contract warn\n%s", code, out)
	}
	if c := contract(4); c != "warn" {
		t.Errorf("replay --contract warn recorded with contract %q, want warn", c)
	}
	if n := e.int("SELECT count(*) FROM bronze.launches WHERE doc ? 'brand_new'"); n != 1 {
		t.Errorf("%d launches with the drifted key after replay --contract warn, want 1", n)
	}

	// A run that succeeded under --contract fail replays under fail too.
	if code, out := e.loader("sync", "--source", snapshot, "--contract", "fail"); code != 0 || !strings.Contains(out, "run 5 succeeded in ") || !strings.Contains(out, " under --contract fail\n") { // run 5
		t.Fatalf("sync --contract fail of the snapshot: exit %d\n%s", code, out)
	}
	if code, out := e.loader("replay", "5"); code != 0 || !strings.Contains(out, "run 6 succeeded in ") || !strings.Contains(out, " under --contract fail\n") { // run 6
		t.Errorf("replay 5: exit %d, want 0 and a summary saying --contract fail\n%s", code, out)
	}
	if c := contract(6); c != "fail" {
		t.Errorf("replay of run 5 recorded with contract %q, want fail", c)
	}
	// A sync without the flag runs under warn, and says so.
	if code, out := e.loader("sync", "--source", snapshot); code != 0 || !strings.Contains(out, " under --contract warn\n") { // run 7
		t.Errorf("sync: exit %d, want 0 and a summary saying --contract warn\n%s", code, out)
	}
	if c := contract(7); c != "warn" {
		t.Errorf("sync recorded with contract %q, want warn", c)
	}
}

// Drift from the committed contract is recorded every run; with
// --contract=fail it fails the run before bronze is touched.
func TestContractDrift(t *testing.T) {
	t.Parallel()
	drifted := snapshotBody(t, "launches", func(d []map[string]any) []map[string]any {
		d[0]["window"] = "soon"
		d[1]["brand_new"] = true
		delete(d[2], "details")
		return d
	})
	e := newEnv(t, fakeapi.Always("/v5/launches", fakeapi.Body(drifted)))
	before := e.seedOld()

	code, out := e.sync("--contract", "fail")
	e.assertFailedIntact(code, out, before, "failed", "resource launches", `new key "brand_new"`, `key "window" is string`, `key "details" missing from 1 documents`)

	code, out = e.sync()
	if code != 0 || !strings.Contains(out, "drift from the contract") {
		t.Fatalf("--contract=warn: exit %d\n%s", code, out)
	}
	rows := e.int(`SELECT count(*) FROM meta.run_drift WHERE run_id = (SELECT max(run_id) FROM meta.runs)
		AND resource = 'launches' AND (key, change) IN (('brand_new', 'new_key'), ('window', 'type_change'), ('details', 'missing_key'))`)
	if rows != 3 {
		t.Errorf("drift rows recorded = %d, want 3", rows)
	}
	if got := e.query(`SELECT issues::text FROM bronze.launches WHERE window_sec IS NULL AND issues IS NOT NULL`)[0].(string); !strings.Contains(got, `"field": "window"`) {
		t.Errorf("issues = %s, want the window value recorded", got)
	}
}

// A snapshot recorded by `loader snapshot` carries a manifest.json of
// checksums: sync --source refuses a file edited since, naming it, and
// leaves bronze and gold as they were; --accept-changed loads it on
// purpose (issue 13, item 9).
func TestSourceChecksManifest(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	dir := filepath.Join(t.TempDir(), "snap")
	e.mustLoad("snapshot", dir, "--api-url", e.url)
	e.mustLoad("sync", "--source", dir)
	before := pgtest.FullHash(t, e.pool)

	rockets := filepath.Join(dir, "v4", "rockets.json")
	b, err := os.ReadFile(rockets)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(rockets, bytes.Replace(b, []byte(`"Falcon 9"`), []byte(`"Falcon 9 (edited)"`), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out := e.loader("sync", "--source", dir)
	e.assertFailedIntact(code, out, before, "failed",
		"resource rockets: extract and land: "+rockets+": does not match manifest.json: its sha256 is ",
		"--accept-changed loads it as it is")

	code, out = e.loader("sync", "--source", dir, "--accept-changed")
	if code != 0 {
		t.Fatalf("--accept-changed: exit %d\n%s", code, out)
	}
	if n := e.int(`SELECT count(*) FROM bronze.rockets WHERE name = 'Falcon 9 (edited)' AND deleted_at IS NULL`); n != 1 {
		t.Errorf("rockets named as edited = %d, want 1", n)
	}
}

// The shrink guard is per resource and lets small shrinks through (issue
// 13, item 11): one rocket of four gone is soft-deleted under the default
// --allow-deletes 1; --force-deletes names the resources it lifts the
// guard for, and another resource's shrink still fails the run; a run that
// soft-deleted every launch passes the guard only when forced, and then
// `loader check` fails its resources_live check.
func TestShrinkGuardPerResource(t *testing.T) {
	t.Parallel()

	t.Run("one rocket of four", func(t *testing.T) {
		t.Parallel()
		var drop atomic.Bool
		fewer := snapshotBody(t, "rockets", func(d []map[string]any) []map[string]any { return d[1:] })
		e := newEnv(t, func(p string, _ int) http.HandlerFunc {
			if drop.Load() && p == "/v4/rockets" {
				return fakeapi.Body(fewer)
			}
			return nil
		})
		e.mustLoad("sync", "--source", snapshot)
		before := pgtest.FullHash(t, e.pool)
		drop.Store(true)
		code, out := e.sync("--allow-deletes", "0")
		e.assertFailedIntact(code, out, before, "failed",
			"resource rockets", "lacks 1 of 4 live rows of bronze.rockets (25.0%, more than 10.0%); if the source really dropped them, --force-deletes rockets accepts it")
		// Once: a second line used to suggest a bare --force-deletes, which
		// would force every resource.
		if n := strings.Count(out, "--force-deletes"); n != 1 {
			t.Errorf("the output names --force-deletes %d times, want once:\n%s", n, out)
		}
		if code, out := e.sync(); code != 0 {
			t.Fatalf("default --allow-deletes 1: exit %d\n%s", code, out)
		}
		if n := e.int("SELECT count(*) FROM bronze.rockets WHERE deleted_at IS NOT NULL"); n != 1 {
			t.Errorf("soft-deleted rockets = %d, want 1", n)
		}
	})

	t.Run("forced by name", func(t *testing.T) {
		t.Parallel()
		var shrink atomic.Bool
		half := snapshotBody(t, "rockets", func(d []map[string]any) []map[string]any { return d[2:] })
		e := newEnv(t, func(p string, _ int) http.HandlerFunc {
			switch {
			case !shrink.Load():
				return nil
			case p == "/v4/rockets":
				return fakeapi.Body(half)
			case p == "/v5/launches":
				return fakeapi.Body([]byte(`[]`))
			}
			return nil
		})
		e.mustLoad("sync", "--source", snapshot)
		before := pgtest.FullHash(t, e.pool)
		shrink.Store(true)
		code, out := e.sync("--force-deletes", "rockets")
		e.assertFailedIntact(code, out, before, "failed",
			"resource launches", "lacks 205 of 205 live rows of bronze.launches (100.0%, more than 10.0%); if the source really dropped them, --force-deletes launches accepts it")
		code, out = e.sync("--force-deletes", "launches")
		e.assertFailedIntact(code, out, before, "failed",
			"resource rockets", "lacks 2 of 4 live rows of bronze.rockets (50.0%, more than 10.0%); if the source really dropped them, --force-deletes rockets accepts it")

		if code, out := e.sync("--force-deletes", "rockets,launches"); code != 0 {
			t.Fatalf("--force-deletes rockets,launches: exit %d\n%s", code, out)
		}
		if n := e.int("SELECT count(*) FROM bronze.rockets WHERE deleted_at IS NOT NULL"); n != 2 {
			t.Errorf("soft-deleted rockets = %d, want 2", n)
		}
		if n := e.int("SELECT count(*) FROM bronze.launches WHERE deleted_at IS NULL"); n != 0 {
			t.Errorf("live launches = %d, want 0", n)
		}
		code, out = e.loader("check")
		if code != 4 || !regexp.MustCompile(`FAIL +resources_live +1 +launches: no live rows, 205 soft-deleted`).MatchString(out) {
			t.Errorf("loader check: exit %d, want 4 and resources_live failing for launches:\n%s", code, out)
		}
	})
}

// A document over --max-document-bytes (default 16 MiB) is rejected like
// one without a usable id: it lands as a JSON string giving its size at
// its ordinal, bronze never holds it, and the run goes on under
// --max-reject-fraction (issue 13, item 10).
func TestOversizedDocument(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	before := e.seedOld()

	padded := t.TempDir()
	if err := os.CopyFS(padded, os.DirFS(snapshot)); err != nil {
		t.Fatal(err)
	}
	if err := editJSON(padded, "rockets", func(d []map[string]any) []map[string]any {
		d[0]["description"], d[1]["description"] = strings.Repeat("x", 30000), strings.Repeat("x", 30000)
		return d
	}); err != nil {
		t.Fatal(err)
	}
	code, out := e.loader("sync", "--source", padded, "--max-document-bytes", "20000")
	e.assertFailedIntact(code, out, before, "failed",
		"resource rockets: too many documents without a usable id: 2 of 4 documents (50.0%, more than 10.0%; 2 of them over --max-document-bytes)")
	rockets := docSizes(t, snapshotFile(padded, "rockets"))
	e.assertOversized("rockets", oversized{0, rockets[0]}, oversized{1, rockets[1]})

	// Read through /query pages, two rockets a page, the same two are
	// refused: each at its position in _id order, the order pages come in,
	// with its size as the page carried it.
	api := httptest.NewServer(fakeapi.New(padded))
	t.Cleanup(api.Close)
	code, out = e.loader("sync", "--api-url", api.URL, "--page-size", "2", "--max-document-bytes", "20000")
	e.assertFailedIntact(code, out, before, "failed",
		"resource rockets: too many documents without a usable id: 2 of 4 documents (50.0%, more than 10.0%; 2 of them over --max-document-bytes)")
	var paged []oversized
	for i, d := range served(t, api.URL, "rockets") {
		if len(d) > 20000 {
			paged = append(paged, oversized{int64(i), int64(len(d))})
		}
	}
	if len(paged) != 2 {
		t.Fatalf("%d rockets over 20000 bytes, want the 2 padded", len(paged))
	}
	e.assertOversized("rockets", paged...)

	huge := t.TempDir()
	if err := os.CopyFS(huge, os.DirFS(snapshot)); err != nil {
		t.Fatal(err)
	}
	if err := editJSON(huge, "launches", func(d []map[string]any) []map[string]any {
		d[3]["details"] = strings.Repeat("y", 17<<20)
		return d
	}); err != nil {
		t.Fatal(err)
	}
	if code, out = e.loader("sync", "--source", huge); code != 0 {
		t.Fatalf("one launch of 17 MiB under the default limit: exit %d\n%s", code, out)
	}
	if n := e.int(`SELECT rejected FROM meta.run_resources WHERE resource = 'launches' ORDER BY run_id DESC LIMIT 1`); n != 1 {
		t.Errorf("rejected launches = %d, want 1", n)
	}
	launches := docSizes(t, snapshotFile(huge, "launches"))
	if launches[3] <= 17<<20 {
		t.Fatalf("planted a launch of %d bytes, want more than %d", launches[3], 17<<20)
	}
	e.assertOversized("launches", oversized{3, launches[3]})
	if want := fmt.Sprintf("launches: 1 documents over --max-document-bytes, rejected: ordinal 3 (%d bytes)", launches[3]); !strings.Contains(out, want) {
		t.Errorf("the summary does not say %q:\n%s", want, out)
	}
	stub := e.query(`SELECT doc #>> '{}' FROM landing.documents
		WHERE run_id = (SELECT max(run_id) FROM meta.runs) AND resource = 'launches' AND ordinal = 3`)[0].(string)
	m := regexp.MustCompile(`^oversized document: (\d+) bytes, more than the limit of 16777216$`).FindStringSubmatch(stub)
	if m == nil {
		t.Fatalf("landing holds %.100q at ordinal 3, want the oversized document's size", stub)
	}
	if n, _ := strconv.ParseInt(m[1], 10, 64); n != launches[3] {
		t.Errorf("oversized document of %d bytes, want the %d planted", n, launches[3])
	}
	if n := e.int(`SELECT max(octet_length(doc::text)) FROM bronze.launches`); n > 1<<20 {
		t.Errorf("bronze holds a launch of %d bytes", n)
	}
}

// oversized is an element of meta.run_resources.oversized.
type oversized struct {
	Ordinal int64 `json:"ordinal"`
	Bytes   int64 `json:"bytes"`
}

// docSizes returns the size in bytes of each document of the JSON array
// in the file at path, as written (white space inside a document counts).
func docSizes(t *testing.T, path string) []int64 {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var docs []json.RawMessage
	if err := json.Unmarshal(b, &docs); err != nil {
		t.Fatal(err)
	}
	sizes := make([]int64, len(docs))
	for i, d := range docs {
		sizes[i] = int64(len(d))
	}
	return sizes
}

// served returns the documents of resource as a /query route of api
// serves them: in _id order, each as its bytes on the page.
func served(t *testing.T, api, resource string) []json.RawMessage {
	t.Helper()
	resp, err := http.Post(api+"/v4/"+resource+"/query", "application/json",
		strings.NewReader(`{"query":{},"options":{"sort":{"_id":1},"page":1,"limit":1000}}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var page struct{ Docs []json.RawMessage }
	if err := json.NewDecoder(resp.Body).Decode(&page); err != nil {
		t.Fatal(err)
	}
	return page.Docs
}

// assertOversized checks meta.run_resources.oversized of the newest run:
// exactly want for resource, NULL for every other resource.
func (e *env) assertOversized(resource string, want ...oversized) {
	e.t.Helper()
	rows, err := e.pool.Query(context.Background(), `SELECT resource, oversized::text FROM meta.run_resources
		WHERE run_id = (SELECT max(run_id) FROM meta.runs) ORDER BY resource`)
	if err != nil {
		e.t.Fatal(err)
	}
	type row struct {
		Resource  string
		Oversized *string
	}
	got, err := pgx.CollectRows(rows, pgx.RowToStructByPos[row])
	if err != nil {
		e.t.Fatal(err)
	}
	found := false
	for _, r := range got {
		if r.Resource != resource {
			if r.Oversized != nil {
				e.t.Errorf("meta.run_resources.oversized of %s = %s, want NULL", r.Resource, *r.Oversized)
			}
			continue
		}
		found = true
		if r.Oversized == nil {
			e.t.Errorf("meta.run_resources.oversized of %s is NULL, want %v", resource, want)
			continue
		}
		var have []oversized
		if err := json.Unmarshal([]byte(*r.Oversized), &have); err != nil || !slices.Equal(have, want) {
			e.t.Errorf("meta.run_resources.oversized of %s = %s (%v), want %v", resource, *r.Oversized, err, want)
		}
	}
	if !found {
		e.t.Errorf("the newest run has no meta.run_resources row for %s", resource)
	}
}

// A scheduled sync against an API that serves garbage for launches fails
// on its very first run, as cron runs it (the API and the receiver by flag,
// the database from DATABASE_URL, no retries): exit 1, the one error line
// on stderr naming the resource, and one notification to --notify-url
// saying the run failed, with its id. Nothing reaches bronze or gold: a
// first run has no earlier load for the shrink guard to protect, so this is
// the rejected-share rule (or the parser) alone.
func TestGarbageAPIFailsFirstRunAndNotifies(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, body, want string }{
		{"numbers", "[1,2,3]", "resource launches: too many documents without a usable id: 3 of 3 documents (100.0%, more than 10.0%)"},
		{"an empty object", "[{}]", "resource launches: too many documents without a usable id: 1 of 1 documents (100.0%, more than 10.0%)"},
		{"not JSON", "<html><body>502 Bad Gateway</body></html>", "/v5/launches: malformed response: invalid character '<' looking for beginning of value at byte 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, fakeapi.Always("/v5/launches", fakeapi.Body([]byte(tc.body))))
			before := pgtest.FullHash(t, e.pool)

			var mu sync.Mutex
			var posts []map[string]any
			receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				var m map[string]any
				if err := json.NewDecoder(r.Body).Decode(&m); err != nil || r.Method != http.MethodPost {
					t.Errorf("notification: %s, body: %v", r.Method, err)
				}
				mu.Lock()
				posts = append(posts, m)
				mu.Unlock()
			}))
			t.Cleanup(receiver.Close)

			cmd := exec.Command(loaderBin, "sync", "--api-url", e.url, "--notify-url", receiver.URL+"/hook", "--retries", "0")
			cmd.Env = append(os.Environ(), "DATABASE_URL="+e.dsn)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			_ = cmd.Run()
			if code := cmd.ProcessState.ExitCode(); code != 1 {
				t.Errorf("first run: exit %d, want 1\nstdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
			}
			for _, want := range []string{"loader sync: run 1 failed: resource launches: ", tc.want} {
				if !strings.Contains(stderr.String(), want) {
					t.Errorf("stderr does not say %q:\n%s", want, stderr.String())
				}
			}
			if strings.Contains(stdout.String()+stderr.String(), "succeeded") {
				t.Errorf("output says succeeded:\n%s\n%s", stdout.String(), stderr.String())
			}

			if n := e.int("SELECT count(*) FROM meta.runs"); n != 1 {
				t.Fatalf("%d runs in the ledger, want the one", n)
			}
			status, msg := e.lastRun()
			runID := e.int("SELECT run_id FROM meta.runs")
			if status != "failed" || !strings.Contains(msg, tc.want) {
				t.Errorf("ledger: run %d %s (%s), want failed saying %q", runID, status, msg, tc.want)
			}
			mu.Lock()
			defer mu.Unlock()
			if len(posts) != 1 {
				t.Fatalf("%d notifications, want 1: %v", len(posts), posts)
			}
			m := posts[0]
			if m["status"] != "failed" || m["run_id"] != float64(runID) || m["command"] != "sync" ||
				!strings.Contains(m["error"].(string), tc.want) || !strings.Contains(m["text"].(string), fmt.Sprintf("sync run %d failed: resource launches", runID)) {
				t.Errorf("notification = %v, want status failed, run_id %d and the error naming launches", m, runID)
			}

			if after := pgtest.FullHash(t, e.pool); after != before {
				t.Errorf("bronze/gold changed by the failed first run")
			}
			for _, table := range []string{"bronze.launches", "bronze.rockets"} {
				if n := e.int("SELECT count(*) FROM " + table); n != 0 {
					t.Errorf("%s holds %d rows after the failed first run, want 0", table, n)
				}
			}
		})
	}
}

// A resource the source lacks is recorded absent in the ledger and
// skipped, and bronze keeps what earlier runs loaded of it: the API has no
// starlink (404), and a snapshot directory without payloads.json follows a
// run that loaded payloads.
func TestAbsentResource(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	if code, out := e.sync(); code != 0 {
		t.Fatalf("sync over HTTP: exit %d\n%s", code, out)
	}
	absent := func(run int) string {
		return e.query(`SELECT coalesce(string_agg(resource, ',' ORDER BY resource), '')
			FROM meta.run_resources WHERE run_id = $1 AND absent`, run)[0].(string)
	}
	if got := absent(1); got != "starlink" {
		t.Errorf("run 1 over HTTP: absent in meta.run_resources = %q, want starlink", got)
	}
	if n := e.int("SELECT count(*) FROM bronze.starlink"); n != 0 {
		t.Errorf("bronze.starlink holds %d rows of a resource the API lacks", n)
	}
	live := e.int("SELECT count(*) FROM bronze.payloads WHERE deleted_at IS NULL AND run_id = 1")
	if live == 0 {
		t.Fatal("run 1 loaded no payloads: the kept load below would prove nothing")
	}

	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(snapshot)); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(snapshotFile(dir, "payloads")); err != nil {
		t.Fatal(err)
	}
	e.mustLoad("sync", "--source", dir)
	if got := absent(2); got != "payloads,starlink" {
		t.Errorf("run 2 without payloads.json: absent in meta.run_resources = %q, want payloads,starlink", got)
	}
	if n := e.int("SELECT count(*) FROM meta.run_resources WHERE run_id = 2 AND resource = 'payloads' AND landed_run_id IS NULL"); n != 1 {
		t.Errorf("run 2's payloads row names a landing (%d rows without one, want 1)", n)
	}
	// Bronze keeps run 1's payloads, live, and gold still counts them.
	if n := e.int("SELECT count(*) FROM bronze.payloads WHERE deleted_at IS NULL AND run_id = 1"); n != live {
		t.Errorf("live payloads of run 1 after the run without them = %d, want %d", n, live)
	}
	if n := e.int("SELECT count(*) FROM bronze.payloads WHERE deleted_at IS NOT NULL"); n != 0 {
		t.Errorf("%d payloads soft-deleted by a run whose source lacked them", n)
	}
	e.assertComplete()
}

// A 404 for a resource an earlier run loaded from the API is no absence:
// the run fails naming it, exit 1, recorded failed, with nothing of it
// recorded as absent, and bronze and gold untouched.
func TestNotFoundAfterLoad(t *testing.T) {
	t.Parallel()
	var gone atomic.Bool
	e := newEnv(t, func(p string, _ int) http.HandlerFunc {
		if gone.Load() && p == "/v4/payloads" {
			return fakeapi.Status(http.StatusNotFound)
		}
		return nil
	})
	if code, out := e.sync(); code != 0 {
		t.Fatalf("sync over HTTP: exit %d\n%s", code, out)
	}
	before := pgtest.FullHash(t, e.pool)
	gone.Store(true)
	code, out := e.sync()
	want := "run 1 loaded it, so it is not skipped as absent"
	e.assertFailedIntact(code, out, before, "failed", // exit 1
		"run 2 failed: resource payloads", "/v4/payloads: HTTP 404", want)
	if _, msg := e.lastRun(); !strings.Contains(msg, "resource payloads") || !strings.Contains(msg, want) {
		t.Errorf("ledger error %q does not name payloads and the run that loaded it", msg)
	}
	if n := e.int("SELECT count(*) FROM meta.run_resources WHERE run_id = 2 AND resource = 'payloads'"); n != 0 {
		t.Errorf("run 2 recorded payloads in meta.run_resources (%d rows), want none: it is not absent", n)
	}
	if n := e.int("SELECT count(*) FROM meta.run_resources WHERE run_id = 2 AND absent"); n != 0 {
		t.Errorf("run 2 recorded %d resources absent before failing, want none", n)
	}
	if got := e.api.Calls("/v4/payloads"); got != 2 {
		t.Errorf("/v4/payloads requested %d times, want 2: once per run, the 404 not retried", got)
	}
	// What run 1 loaded stays, live: the clean load of the snapshot.
	if got, want := pgtest.ContentHash(t, e.pool), newContent(t); got != want {
		t.Errorf("bronze/gold content after the failed run differs from run 1's clean load:\ngot\n%s\nwant\n%s", got, want)
	}
}
