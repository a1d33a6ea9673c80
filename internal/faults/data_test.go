package faults_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spacex-elt/loader/internal/fakeapi"
	"github.com/spacex-elt/loader/internal/pgtest"
)

// badValue is a value of the wrong type planted in a document, and where
// its issue must be recorded.
type badValue struct {
	table, id, field string
	column           string // bronze column that must be NULL
	value            any
}

// TestAdversarialDocuments: every row loads, and every bad value is set to
// NULL and recorded with its field, reason and raw value.
func TestAdversarialDocuments(t *testing.T) {
	t.Parallel()
	var bad []badValue
	plant := func(table string, doc map[string]any, field, column string, value any) {
		doc[field] = value
		bad = append(bad, badValue{table, doc["id"].(string), field, column, value})
	}
	var nulID, dupID, unknownID, coreFlipID, surrogateID, strayID, decimalID, fairingsID, coreShapeID, zonelessID string
	var decimalFlight string
	payloads := snapshotBody(t, "payloads", func(d []map[string]any) []map[string]any {
		d[0]["name"] = "bad\x00name" // encodes as \u0000
		nulID = d[0]["id"].(string)
		plant("payloads", d[1], "mass_kg", "mass_kg", "heavy")
		plant("payloads", d[2], "reused", "reused", "yes")
		plant("payloads", d[3], "epoch", "epoch", "not a time")
		plant("payloads", d[4], "customers", "customers", map[string]any{"a": json.Number("1")})
		plant("payloads", d[5], "norad_ids", "norad_ids", []any{"x"})
		d[6]["unknown_field"] = map[string]any{"nested": true}
		unknownID = d[6]["id"].(string)
		dup := map[string]any{}
		for k, v := range d[7] {
			dup[k] = v
		}
		dup["name"] = "the last copy"
		dupID = dup["id"].(string)
		d[8]["name"] = "LONE_SURROGATE"
		d[9]["name"] = "STRAY_BYTE"
		surrogateID, strayID = d[8]["id"].(string), d[9]["id"].(string)
		return append(d, dup)
	})
	// Bytes json.Marshal cannot produce: a lone surrogate escape and a byte
	// that is not UTF-8.
	payloads = bytes.Replace(payloads, []byte(`"LONE_SURROGATE"`), []byte(`"ab\ud800cd"`), 1)
	payloads = bytes.Replace(payloads, []byte(`"STRAY_BYTE"`), []byte("\"a\xffb\""), 1)
	v5, err := readDocs(filepath.Join(snapshot, "v5", "launches.json"))
	if err != nil {
		t.Fatal(err)
	}
	v5Crew := map[string][]any{}
	var crewRoles int
	for _, l := range v5 {
		if c := l["crew"].([]any); len(c) > 0 {
			v5Crew[l["id"].(string)] = c
			crewRoles += len(c)
		}
	}
	launches := snapshotBody(t, "launches", func(d []map[string]any) []map[string]any {
		plant("launches", d[10], "date_utc", "date_utc", "next tuesday")
		plant("launches", d[11], "flight_number", "flight_number", json.Number("12.5"))
		plant("launches", d[12], "success", "success", "true")
		plant("launches", d[13], "name", "name", map[string]any{"en": "x"})
		plant("launches", d[14], "static_fire_date_unix", "static_fire_date_unix", []any{})
		core := d[15]["cores"].([]any)[0].(map[string]any)
		core["flight"] = "two"
		coreFlipID = d[15]["id"].(string)
		// Not bad at all: an integer written as a decimal.
		decimalFlight = d[16]["flight_number"].(json.Number).String()
		d[16]["flight_number"] = json.Number(decimalFlight + ".0")
		decimalID = d[16]["id"].(string)
		// A parent of the wrong shape, and a core that is not an object.
		d[17]["fairings"] = "yes"
		fairingsID = d[17]["id"].(string)
		d[18]["cores"] = []any{"abc"}
		coreShapeID = d[18]["id"].(string)
		// A timestamp without a zone: UTC, whatever the session says.
		d[19]["date_utc"] = "2010-06-04T18:45:00"
		zonelessID = d[19]["id"].(string)
		// A numeric id is still an id.
		numeric := map[string]any{}
		for k, v := range d[20] {
			numeric[k] = v
		}
		numeric["id"] = json.Number("12345")
		numeric["name"] = "numeric id"
		for _, l := range d {
			if c, ok := v5Crew[l["id"].(string)]; ok {
				l["crew"] = c // v5 objects {crew, role} where v4 has ids
			}
		}
		return append(d, numeric)
	})
	e := newEnv(t,
		fakeapi.Always("/v4/payloads", fakeapi.Body(payloads)),
		fakeapi.Always("/v5/launches", fakeapi.Body(launches)))
	// PGTZ must not matter: zone-less timestamps are read as UTC.
	code, out := e.loader("sync", "--api-url", e.url, "--retries", "0")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, out)
	}
	p := start(t, e.dsn+"&timezone=America%2FNew_York", "sync", "--api-url", e.url, "--retries", "0")
	if code := p.wait(t, time.Minute); code != 0 {
		t.Fatalf("sync with another TimeZone: exit %d\n%s", code, p.out.String())
	}

	// Every row is present.
	if n := e.int("SELECT count(*) FROM bronze.payloads"); n != 225 {
		t.Errorf("payloads = %d, want 225", n)
	}
	if n := e.int("SELECT count(*) FROM bronze.launches"); n != 206 {
		t.Errorf("launches = %d, want 205 and the one with a numeric id", n)
	}
	if n := e.int("SELECT count(*) FROM bronze.launches WHERE id = '12345' AND name = 'numeric id'"); n != 1 {
		t.Error("the launch with a numeric id is missing")
	}
	// Every bad value is NULL in its column and recorded in issues.
	for _, b := range bad {
		raw, _ := json.Marshal(b.value)
		want := fmt.Sprintf(`[{"field": %q, "value": %s}]`, b.field, raw)
		q := fmt.Sprintf(`SELECT count(*) FROM bronze.%s WHERE id = $1 AND %s IS NULL
			AND issues @> $2::jsonb AND jsonb_array_length(issues) = 1`, b.table, b.column)
		if n := e.int(q, b.id, want); n != 1 {
			got := e.query(fmt.Sprintf("SELECT coalesce(issues::text, 'NULL') FROM bronze.%s WHERE id = $1", b.table), b.id)[0]
			t.Errorf("%s %s: %s not NULL with issue %s; issues = %v", b.table, b.id, b.column, want, got)
		}
	}
	if got := e.query(`SELECT issues->0->>'reason' FROM bronze.payloads WHERE id = $1`, bad[0].id)[0]; got != "expected number, got string" {
		t.Errorf("reason = %v", got)
	}
	if n := e.int(`SELECT count(*) FROM bronze.launch_cores WHERE launch_id = $1 AND core_index = 0
		AND flight IS NULL AND issues @> '[{"field": "flight", "value": "two"}]'`, coreFlipID); n != 1 {
		t.Error("the core's flight flip is not recorded on its launch_cores row")
	}
	// What jsonb rejects was replaced, and counted.
	for id, want := range map[string]string{nulID: "bad\ufffdname", surrogateID: "ab\ufffdcd", strayID: "a\ufffdb"} {
		if got := e.query("SELECT name FROM bronze.payloads WHERE id = $1", id)[0]; got != want {
			t.Errorf("sanitized name of %s = %q, want %q", id, got, want)
		}
	}
	// 17.0 is the integer 17, with no issue.
	if got := e.query("SELECT flight_number::text, issues IS NULL FROM bronze.launches WHERE id = $1", decimalID); fmt.Sprint(got) != fmt.Sprintf("[%s true]", decimalFlight) {
		t.Errorf("flight_number written as %s.0 loaded as %v", decimalFlight, got)
	}
	// A parent that is not an object is recorded once, its columns NULL.
	if n := e.int(`SELECT count(*) FROM bronze.launches WHERE id = $1 AND fairings_reused IS NULL
		AND fairings_recovered IS NULL AND issues = '[{"field": "fairings", "value": "yes", "reason": "expected object, got string"}]'`, fairingsID); n != 1 {
		t.Errorf("fairings of the wrong shape not recorded: %v", e.query("SELECT issues::text FROM bronze.launches WHERE id = $1", fairingsID))
	}
	if n := e.int(`SELECT count(*) FROM bronze.launch_cores WHERE launch_id = $1 AND core_id IS NULL
		AND issues @> '[{"field": "$", "value": "abc"}]'`, coreShapeID); n != 1 {
		t.Error("a core that is not an object is not recorded")
	}
	if got := e.query("SELECT to_char(date_utc AT TIME ZONE 'UTC', 'HH24:MI') FROM bronze.launches WHERE id = $1", zonelessID)[0]; got != "18:45" {
		t.Errorf("zone-less 18:45 stored as %v UTC", got)
	}
	// Unknown fields stay in the stored document.
	if got := e.query(`SELECT doc->'unknown_field'->>'nested' FROM bronze.payloads WHERE id = $1`, unknownID)[0]; got != "true" {
		t.Errorf("unknown field = %v, want kept in doc", got)
	}
	// The last duplicate won.
	if got := e.query("SELECT name FROM bronze.payloads WHERE id = $1", dupID)[0]; got != "the last copy" {
		t.Errorf("duplicate id %s = %v, want the last copy", dupID, got)
	}
	// v5 crew objects become links with their roles.
	if crewRoles == 0 {
		t.Fatal("the v5 snapshot has no crew: the crew check below could not fail")
	}
	if n := e.int("SELECT count(*) FROM bronze.launch_crew WHERE role IS NOT NULL"); n != int64(crewRoles) {
		t.Errorf("crew links with roles = %d, want %d", n, crewRoles)
	}
	// The ledger counts every change per resource.
	row := e.query(`SELECT sanitized, duplicates, bad_values FROM meta.run_resources
		WHERE resource = 'payloads' ORDER BY run_id DESC LIMIT 1`)
	if fmt.Sprint(row) != "[3 1 5]" {
		t.Errorf("payloads ledger sanitized/duplicates/bad_values = %v, want [3 1 5]", row)
	}
	// A launch's bad_values counts the launch once if it or any of its cores
	// holds a bad value: the 5 launch fields planted, the core's flight
	// flip, fairings of the wrong shape and a core that is not an object
	// make 8 distinct launches.
	badLaunches := map[string]bool{coreFlipID: true, fairingsID: true, coreShapeID: true}
	for _, b := range bad {
		if b.table == "launches" {
			badLaunches[b.id] = true
		}
	}
	if len(badLaunches) != 8 {
		t.Errorf("planted bad values in %d distinct launches, want 8: update the comment above", len(badLaunches))
	}
	if n := e.int(`SELECT bad_values FROM meta.run_resources WHERE resource = 'launches' ORDER BY run_id DESC LIMIT 1`); n != int64(len(badLaunches)) {
		t.Errorf("launches ledger bad_values = %d, want %d: one per launch with a bad value in itself or its cores", n, len(badLaunches))
	}
	for _, w := range []string{"5 rows with values of the wrong type", "1 repeated ids", "3 documents with \\u0000, lone surrogates"} {
		if !strings.Contains(out, w) {
			t.Errorf("summary lacks %q:\n%s", w, out)
		}
	}
	// The full content is pinned (see TestCharacterizeSnapshot).
	pgtest.Golden(t, "../../testdata/characterization/adversarial.txt", pgtest.Dump(t, e.pool))
	// The second run, in another TimeZone, changed nothing.
	if n := e.int("SELECT sum(inserted + updated)::bigint FROM meta.run_resources WHERE run_id = 2"); n != 0 {
		t.Errorf("second sync of the same adversarial data rewrote %d rows", n)
	}
}

// A sync of an unchanged snapshot lands nothing: every run reads the
// documents the first run landed, so landing holds one copy, and any kept
// run can still be replayed.
func TestLandingKeepsOneCopy(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for i := 0; i < 5; i++ {
		e.mustLoad("sync", "--source", snapshot)
	}
	if n, want := e.int("SELECT count(*) FROM landing.documents"), e.int("SELECT sum(fetched)::bigint FROM meta.run_resources WHERE run_id = 1"); n != want || want < 600 {
		t.Errorf("landing holds %d documents after 5 syncs of the same snapshot, want one copy (%d)", n, want)
	}
	if n := e.int("SELECT count(*) FROM meta.run_resources WHERE run_id > 1 AND NOT absent AND (landed_run_id <> 1 OR NOT not_modified)"); n != 0 {
		t.Errorf("%d later resources did not reuse run 1's landing", n)
	}
	e.mustLoad("replay", "5")
	e.assertComplete()
}

// Landing keeps the extracts of the last --keep-runs runs over many syncs
// whose extracts change every time, and drops the rest, with the documents
// only they named.
func TestLandingStaysBounded(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const keep = 10
	compact := compactSnapshot(t) // every file's bytes differ from the snapshot's
	for i := 1; i <= 30; i++ {
		src := snapshot
		if i%2 == 0 {
			src = compact
		}
		e.mustLoad("sync", "--source", src, "--keep-runs", fmt.Sprint(keep))
		runs := e.int("SELECT count(DISTINCT run_id) FROM landing.documents")
		docs := e.int("SELECT count(*) FROM landing.documents")
		landed := e.int(`SELECT sum(fetched)::bigint FROM meta.run_resources
			WHERE landed_run_id = run_id AND run_id > $1`, int64(i-keep))
		if want := int64(min(i, keep)); runs != want || docs != landed {
			t.Fatalf("after sync %d: landing holds %d runs, %d documents; want %d runs, %d documents", i, runs, docs, want, landed)
		}
		// Each document once, and none that no kept extract names.
		stored := e.int("SELECT count(*) FROM landing.contents")
		named := e.int("SELECT count(DISTINCT sha256) FROM landing.documents")
		if stored != named {
			t.Fatalf("after sync %d: landing.contents holds %d documents, kept extracts name %d", i, stored, named)
		}
	}
}

// loader replay RUN_ID reproduces that run's bronze state exactly.
func TestReplay(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.seedOld() // run 1
	old := pgtest.ContentHash(t, e.pool)
	e.mustLoad("sync", "--source", snapshot) // run 2
	if pgtest.ContentHash(t, e.pool) == old {
		t.Fatal("runs 1 and 2 loaded the same content")
	}

	out := e.mustLoad("replay", "1") // run 3
	if got := pgtest.ContentHash(t, e.pool); got != old {
		t.Errorf("replay of run 1 does not reproduce its bronze state\n%s", out)
	}
	if src := e.query("SELECT source FROM meta.runs WHERE run_id = 3")[0]; src != "replay of run 1" {
		t.Errorf("ledger source = %v", src)
	}
	e.mustLoad("replay", "2")
	e.assertComplete()

	// A failed run, or one pruned from landing, cannot be replayed.
	failing := newEnv(t, fakeapi.Always("/v5/launches", fakeapi.Status(400)))
	failing.mustLoad("sync", "--source", snapshot)
	if code, _ := failing.sync(); code != 1 {
		t.Fatalf("failing sync: exit %d", code)
	}
	if code, out := failing.loader("replay", "2"); code != 1 || !strings.Contains(out, "run 2 did not land resource launches") {
		t.Errorf("replay of a failed run: exit %d\n%s", code, out)
	}
	// Run 3 lands every resource anew (each file's bytes differ), so with
	// --keep-runs 1 nothing reads runs 1 and 2 any more.
	failing.mustLoad("sync", "--source", compactSnapshot(t), "--keep-runs", "1")
	if code, out := failing.loader("replay", "1"); code != 1 || !strings.Contains(out, "no longer in landing") {
		t.Errorf("replay of a pruned run: exit %d\n%s", code, out)
	}
}

// landingRuns lists the runs whose extracts (manifests) landing holds.
func (e *env) landingRuns() []string {
	e.t.Helper()
	return strings.Fields(e.query(`SELECT coalesce(string_agg(DISTINCT run_id::text, ' ' ORDER BY run_id::text), '')
		FROM landing.manifests`)[0].(string))
}

// loader replay of a run the ledger lacks is a mistaken argument: exit 2,
// "no run 999", no ledger row, and landing, bronze and gold untouched.
func TestReplayUnknownRun(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	before := e.seedOld() // run 1
	parts := e.landingRuns()
	code, out := e.loader("replay", "--keep-runs", "1", "999")
	if code != 2 || !strings.Contains(out, "loader replay: no run 999\n") {
		t.Errorf("replay 999: exit %d, want 2 and %q:\n%s", code, "no run 999", out)
	}
	if n := e.int("SELECT count(*) FROM meta.runs"); n != 1 {
		t.Errorf("meta.runs holds %d runs after replay 999, want 1: the seed alone", n)
	}
	if n := e.int("SELECT count(*) FROM meta.run_resources WHERE run_id <> 1"); n != 0 {
		t.Errorf("meta.run_resources holds %d rows of other runs than the seed, want none", n)
	}
	if got := e.landingRuns(); !slices.Equal(got, parts) {
		t.Errorf("landing holds the extracts of runs %q after replay 999, want %q as before", got, parts)
	}
	if after := pgtest.FullHash(t, e.pool); after != before {
		t.Error("bronze/gold changed by replay 999")
	}
}

// Only a run that succeeded prunes landing: a failed sync or replay drops
// no extract, not even with --keep-runs 1, so a succeeded run's
// documents stay there for inspection and replay.
func TestFailedRunsKeepLanding(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fakeapi.Always("/v5/launches", fakeapi.Status(400)))
	e.mustLoad("sync", "--source", snapshot)           // run 1
	e.mustLoad("sync", "--source", compactSnapshot(t)) // run 2: lands every resource anew
	parts := e.landingRuns()
	if !slices.Equal(parts, []string{"1", "2"}) {
		t.Fatalf("landing holds the extracts of runs %q, want runs 1 and 2's", parts)
	}
	// kept says whether every extract landing held before is still there.
	kept := func(after string) {
		t.Helper()
		got := e.landingRuns()
		for _, p := range parts {
			if !slices.Contains(got, p) {
				t.Errorf("after %s: run %s's extracts dropped from landing (before %q, now %q)", after, p, parts, got)
			}
		}
	}
	if code, out := e.sync("--keep-runs", "1"); code != 1 { // run 3
		t.Fatalf("failing sync: exit %d, want 1\n%s", code, out)
	}
	kept("a failed sync with --keep-runs 1")
	for _, run := range []string{"4", "5"} { // replays of the failed run 3
		if code, out := e.loader("replay", "--keep-runs", "1", "3"); code != 1 || !strings.Contains(out, "run 3 did not land resource launches") {
			t.Fatalf("replay 3 (run %s): exit %d, want 1 naming the resource run 3 did not land\n%s", run, code, out)
		}
		kept("failed replay run " + run + " with --keep-runs 1")
	}
	if n := e.int("SELECT count(*) FROM meta.runs WHERE status = 'failed'"); n != 3 {
		t.Errorf("failed runs = %d, want 3 (the sync and the two replays)", n)
	}
	// Run 1, succeeded, can still be replayed; and this replay, which
	// succeeds, prunes down to what --keep-runs 1 keeps.
	e.mustLoad("replay", "--keep-runs", "1", "1") // run 6
	if got := e.landingRuns(); !slices.Equal(got, []string{"1"}) {
		t.Errorf("after a succeeded replay with --keep-runs 1: landing holds the extracts of runs %q, want only run 1's, which it read", got)
	}
}

// The password from DATABASE_URL never appears in output, logs, errors, the
// ledger or --help, including when the connection fails.
func TestPasswordNeverShown(t *testing.T) {
	t.Parallel()
	e := newEnv(t, fakeapi.On("/v5/launches", fakeapi.Status(400)))
	u, _ := url.Parse(e.dsn)
	password, ok := u.User.Password()
	if !ok || len(password) < 4 {
		t.Fatalf("no password in %s", e.dsn)
	}
	var all strings.Builder
	collect := func(code int, out string) { all.WriteString(out) }
	collect(e.loader("sync", "--help"))
	collect(e.loader("replay", "--help"))
	collect(e.loader("migrate", "--help"))
	collect(e.sync("--log-level", "debug")) // fails: 400
	collect(e.sync("--log-level", "debug", "--log-format", "json"))
	collect(e.loader("migrate", "--log-level", "debug"))

	// The same password against a server that is not there, and as a role
	// the server refuses.
	down := *u
	down.Host = "127.0.0.1:1"
	wrong := *u // the test cluster trusts any password, so: a role that does not exist
	wrong.User = url.UserPassword("nobody", password)
	for _, dsn := range []string{down.String(), wrong.String()} {
		p := start(t, dsn, "sync", "--source", snapshot)
		code, out := p.wait(t, time.Minute), p.out.String()
		if code != 1 || !strings.Contains(out, "connect to postgres://") {
			t.Errorf("bad connection: exit %d, want 1 naming the server:\n%s", code, out)
		}
		all.WriteString(out)
	}
	if strings.Contains(all.String(), password) {
		t.Errorf("the password appears in the output:\n%s", all.String())
	}
	if n := e.int(`SELECT count(*) FROM meta.runs WHERE source LIKE '%' || $1 || '%' OR error LIKE '%' || $1 || '%'`, password); n != 0 {
		t.Errorf("%d ledger rows contain the password", n)
	}
	if n := e.int("SELECT count(*) FROM meta.runs WHERE status = 'failed'"); n != 1 {
		t.Errorf("failed runs = %d, want 1 (the 400)", n)
	}
}
