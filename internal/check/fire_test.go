package check_test

import (
	"context"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/spacex-elt/loader/internal/check"
)

// ghost is an id no record of the snapshot has.
const ghost = "000000000000000000000000"

// firing is a violation of one check, planted in the API's JSON before a
// sync, and the keys the check must then report besides the snapshot's.
type firing struct {
	check string
	edits []edit
	// over loads the snapshot first, then the planted copy: what the copy
	// lacks is soft-deleted, and a second run is recorded.
	over bool
	// sql plants what no JSON can make, for the checks that guard the
	// loader itself (a bridge that does not match its document, a stale
	// ledger); run as the owner after the load.
	sql string
	// keys are the keys the plant adds to the check, exactly.
	keys []string
	// also names the checks the plant changes besides, as it must (a
	// launch naming a launchpad that does not exist also disagrees with
	// that launchpad's list). Every other check reports what it reports
	// on the snapshot, key for key.
	also []string
	// targets drop records the plant points at (drop edits). A second
	// twin syncs the plant again without them: they are soft-deleted
	// under it, and only live records count, so the check then reports
	// what the same soft-deletion reports on the snapshot, and orphans.
	targets []edit
	orphans []string
	// mask hides what changes from one run of the check to the next (an
	// age) in the keys it reports, as "…".
	mask *regexp.Regexp
}

// set sets field of the document of file whose by is value.
func set(file, by, value, field string, v any) edit {
	return edit{file: file, by: by, value: value, fn: func(t *testing.T, docs []doc) []doc {
		find(t, docs, by, value)[field] = v
		return docs
	}}
}

// push appends v to the array field of the document of file whose by is
// value.
func push(file, by, value, field string, v any) edit {
	return edit{file: file, by: by, value: value, fn: func(t *testing.T, docs []doc) []doc {
		d := find(t, docs, by, value)
		d[field] = append(d[field].([]any), v)
		return docs
	}}
}

// with edits the document of file whose by is value.
func with(file, by, value string, fn func(d doc)) edit {
	return edit{file: file, by: by, value: value, fn: func(t *testing.T, docs []doc) []doc {
		fn(find(t, docs, by, value))
		return docs
	}}
}

// clone is a copy of the document of file whose by is value, with the id
// id, changed by fn, appended to the file.
func clone(file, by, value, id string, fn func(d doc)) edit {
	return edit{file: file, by: "id", value: id, fn: func(t *testing.T, docs []doc) []doc {
		d := maps.Clone(find(t, docs, by, value))
		d["id"] = id
		fn(d)
		return append(docs, d)
	}}
}

// drop removes the document of file whose by is value, if it is there.
func drop(file, by, value string) edit {
	return edit{file: file, by: by, value: value, fn: func(_ *testing.T, docs []doc) []doc {
		return append([]doc{}, slices.DeleteFunc(docs, func(d doc) bool { return d[by] == value })...)
	}}
}

// field is the field of the snapshot's document of file whose by is value.
func field(t *testing.T, file, by, value, name string) any {
	t.Helper()
	return find(t, readDocs(t, snapshot, file), by, value)[name]
}

// firings plants a violation of every check in db/checks.
func firings(t *testing.T) []firing {
	const (
		launches   = "v5/launches.json"
		capsules   = "v4/capsules.json"
		cores      = "v4/cores.json"
		crew       = "v4/crew.json"
		dragons    = "v4/dragons.json"
		landpads   = "v4/landpads.json"
		launchpads = "v4/launchpads.json"
		payloads   = "v4/payloads.json"
		rockets    = "v4/rockets.json"
		ships      = "v4/ships.json"
	)
	crs1 := field(t, launches, "name", "CRS-1", "id").(string)
	falcon1 := field(t, rockets, "name", "Falcon 1", "id").(string)
	crs1Core := field(t, launches, "name", "CRS-1", "cores").([]any)[0].(doc)
	crs1Payload := field(t, launches, "name", "CRS-1", "payloads").([]any)[0].(string)
	demo2Crew := field(t, launches, "name", "CCtCap Demo Mission 2", "crew").([]any)[0].(doc)
	count := func(file, by, value, name string) int { return len(field(t, file, by, value, name).([]any)) }
	// swap replaces the first launch a record of file lists with CRS-1,
	// which does not list it: an _agree check then finds that launch's link
	// on the launch's side only, and CRS-1's on the record's side only, so
	// each half of it must match the launch, not the record alone. It
	// returns the edit and the name of the launch replaced.
	swap := func(file, by, value string) (edit, string) {
		first := field(t, file, by, value, "launches").([]any)[0].(string)
		return with(file, by, value, func(d doc) { d["launches"].([]any)[0] = crs1 }),
			field(t, launches, "id", first, "name").(string)
	}
	capsuleSwap, capsuleWas := swap(capsules, "serial", "C101")
	coreSwap, coreWas := swap(cores, "serial", "B1003")
	crewSwap, crewWas := swap(crew, "name", "Robert Behnken")
	landpadSwap, landpadWas := swap(landpads, "name", "LZ-1")
	padSwap, padWas := swap(launchpads, "name", "Kwajalein Atoll")
	shipSwap, shipWas := swap(ships, "name", "American Champion")
	fairingShips := len(field(t, launches, "name", "KoreaSat 5A", "fairings").(doc)["ships"].([]any))
	id := func(file, by, value string) string { return field(t, file, by, value, "id").(string) }
	// unlist removes the launch named launch from the launches of the
	// record of file whose by is value. The launch lists that record, and
	// another record lists the launch too: an _agree check must see that
	// the other record's list is not this one's.
	unlist := func(file, by, value, launch string) edit {
		return with(file, by, value, func(d doc) {
			d["launches"] = slices.DeleteFunc(slices.Clone(d["launches"].([]any)), func(l any) bool { return l == id(launches, "name", launch) })
		})
	}
	// gone drops the launches named.
	gone := func(names ...string) []edit {
		var drops []edit
		for _, n := range names {
			drops = append(drops, drop(launches, "name", n))
		}
		return drops
	}
	falconHeavy := id(rockets, "name", "Falcon Heavy")
	goMsTree := id(ships, "name", "GO Ms Tree")
	crs2Payload := field(t, launches, "name", "CRS-2", "payloads").([]any)[0].(string)
	// PRESat (Trailblazer's second payload) deleted from bronze by hand:
	// the bridges declare no foreign key, so the rows of its customers and
	// nationalities stay, orphaned. Its manufacturers and norad_ids are
	// empty: no rows, nothing to report.
	presat := id(payloads, "name", "PRESat")
	presatOrphans := []string{"payloads.customers " + presat, "payloads.nationalities " + presat}
	// stale makes the only run a succeeded one of long ago.
	const stale = `UPDATE meta.runs SET started_at = started_at - interval '40 days', finished_at = finished_at - interval '40 days'`
	return []firing{
		{check: "bridges_match_documents",
			// A soft-deleted launch's bridge is not held to its document.
			sql: `UPDATE bronze.launches SET doc = jsonb_set(doc, '{payloads}', doc -> 'payloads' || '["` + ghost + `"]') WHERE id = '` + crs1 + `' OR deleted_at IS NOT NULL;
				DELETE FROM bronze.payloads WHERE id = '` + presat + `'`,
			keys: append([]string{"launches.payloads " + crs1}, presatOrphans...),
			// Trailblazer lists PRESat, which is gone.
			also:    []string{"launch_payloads_payload_exists"},
			targets: gone("FalconSat"), orphans: append([]string{"launches.payloads " + crs1}, presatOrphans...)},
		{check: "bronze_bad_values", edits: []edit{set(payloads, "name", "FalconSAT-2", "mass_kg", "heavy"),
			with(launches, "name", "CRS-1", func(d doc) { d["cores"].([]any)[0].(doc)["flight"] = "first" })},
			keys: []string{"payloads " + id(payloads, "name", "FalconSAT-2") + ": mass_kg", "launches.cores " + crs1 + "[0]: flight"}},
		{check: "capsule_launches_agree", edits: []edit{capsuleSwap, push(launches, "name", "CRS-2", "capsules", id(capsules, "serial", "C101"))},
			keys:    []string{capsuleWas + " → C101", "C101 → CRS-1", "CRS-2 → C101"},
			targets: gone(capsuleWas, "CRS-1", "CRS-2")},
		{check: "capsule_launches_launch_exists", edits: []edit{push(capsules, "serial", "C101", "launches", ghost), push(capsules, "serial", "C101", "launches", nil)},
			keys: []string{fmt.Sprintf("C101 launches[%d] → %s", count(capsules, "serial", "C101", "launches"), ghost)}},
		{check: "capsules_dragon_exists", edits: []edit{set(capsules, "serial", "C101", "dragon", ghost),
			set(capsules, "serial", "C102", "dragon", id(dragons, "name", "Dragon 1"))},
			keys:    []string{"C101 → " + ghost},
			targets: []edit{drop(dragons, "name", "Dragon 1")},
			orphans: []string{"C101 → " + ghost, "C102 → " + id(dragons, "name", "Dragon 1")}},
		{check: "capsules_required", edits: []edit{set(capsules, "serial", "C101", "type", nil)},
			keys: []string{"C101: type"}},
		{check: "capsules_serial_unique", edits: []edit{set(capsules, "serial", "C102", "serial", "C101"),
			// Two without a serial share none.
			set(capsules, "serial", "C103", "serial", nil), set(capsules, "serial", "C104", "serial", nil)},
			keys: []string{"C101"},
			// Each lacks a field it must have.
			also: []string{"capsules_required"}},
		{check: "capsules_status_accepted", edits: []edit{set(capsules, "serial", "C101", "status", "melted")},
			keys: []string{"C101: melted"}},
		{check: "capsules_type_accepted", edits: []edit{set(capsules, "serial", "C101", "type", "Dragon 3")},
			keys: []string{"C101: Dragon 3"}},
		{check: "core_launches_agree", edits: []edit{coreSwap, unlist(cores, "serial", "B1025", "Falcon Heavy Test Flight")},
			keys:    []string{coreWas + " → B1003", "B1003 → CRS-1", "Falcon Heavy Test Flight → B1025"},
			targets: gone(coreWas, "CRS-1", "Falcon Heavy Test Flight")},
		{check: "core_launches_launch_exists", edits: []edit{push(cores, "serial", "B1003", "launches", ghost), push(cores, "serial", "B1003", "launches", nil)},
			keys: []string{fmt.Sprintf("B1003 launches[%d] → %s", count(cores, "serial", "B1003", "launches"), ghost)}},
		{check: "cores_required", edits: []edit{set(cores, "serial", "B1003", "status", nil)},
			keys: []string{"B1003: status"}},
		{check: "cores_serial_unique", edits: []edit{set(cores, "serial", "B1051", "serial", "B1049"),
			set(cores, "serial", "B1003", "serial", nil), set(cores, "serial", "B1004", "serial", nil)},
			keys: []string{"B1049"},
			// Each lacks a field it must have.
			also: []string{"cores_required"}},
		{check: "cores_status_accepted", edits: []edit{set(cores, "serial", "B1003", "status", "gone")},
			keys: []string{"B1003: gone"}},
		{check: "crew_launches_agree", edits: []edit{crewSwap, push(crew, "name", "Robert Behnken", "launches", id(launches, "name", "Crew-1"))},
			keys:    []string{crewWas + " → Robert Behnken", "Robert Behnken → CRS-1", "Robert Behnken → Crew-1"},
			targets: gone(crewWas, "CRS-1", "Crew-1")},
		{check: "crew_launches_launch_exists", edits: []edit{push(crew, "name", "Robert Behnken", "launches", ghost), push(crew, "name", "Robert Behnken", "launches", nil)},
			keys: []string{fmt.Sprintf("Robert Behnken launches[%d] → %s", count(crew, "name", "Robert Behnken", "launches"), ghost)}},
		{check: "crew_required", edits: []edit{set(crew, "name", "Robert Behnken", "status", nil)},
			keys: []string{"Robert Behnken: status"}},
		{check: "crew_status_accepted", edits: []edit{set(crew, "name", "Robert Behnken", "status", "asleep")},
			keys: []string{"Robert Behnken: asleep"}},
		{check: "dragons_name_unique", edits: []edit{clone(dragons, "name", "Dragon 1", "5e9d058759b1ff74a7ad5f90", func(doc) {}),
			clone(dragons, "name", "Dragon 1", "5e9d058759b1ff74a7ad5f91", func(d doc) { d["name"] = nil }),
			clone(dragons, "name", "Dragon 1", "5e9d058759b1ff74a7ad5f92", func(d doc) { d["name"] = nil })},
			keys: []string{"Dragon 1"},
			// Each lacks a field it must have.
			also: []string{"dragons_required"}},
		{check: "dragons_required", edits: []edit{set(dragons, "name", "Dragon 1", "crew_capacity", nil)},
			keys: []string{"Dragon 1: crew_capacity"}},
		{check: "extracts_keyed", over: true, edits: []edit{set(rockets, "name", "Falcon 1", "id", nil)},
			// Newer than the last extract: a failed run's, and a succeeded
			// run's that lacked the resource.
			sql: `INSERT INTO meta.runs (run_id, status, source, finished_at, error) OVERRIDING SYSTEM VALUE VALUES (3, 'failed', 'planted', now(), 'planted'), (4, 'succeeded', 'planted', now(), NULL);
				INSERT INTO meta.run_resources (run_id, resource, landed_run_id, extract_sha256, fetched, rejected) VALUES (3, 'rockets', 3, '\x00', 4, 2);
				INSERT INTO meta.run_resources (run_id, resource, fetched, absent) VALUES (4, 'rockets', 0, true)`,
			keys: []string{"rockets: 1 of 4 documents in run 2"}},
		{check: "landpad_launches_agree", edits: []edit{landpadSwap, unlist(landpads, "name", "LZ-2", "Falcon Heavy Test Flight")},
			keys:    []string{landpadWas + " → LZ-1", "LZ-1 → CRS-1", "Falcon Heavy Test Flight → LZ-2"},
			targets: gone(landpadWas, "CRS-1", "Falcon Heavy Test Flight")},
		{check: "landpad_launches_launch_exists", edits: []edit{push(landpads, "name", "LZ-1", "launches", ghost), push(landpads, "name", "LZ-1", "launches", nil)},
			keys: []string{fmt.Sprintf("LZ-1 launches[%d] → %s", count(landpads, "name", "LZ-1", "launches"), ghost)}},
		{check: "landpads_required", edits: []edit{set(landpads, "name", "LZ-1", "status", nil)},
			keys: []string{"LZ-1: status"}},
		{check: "landpads_status_accepted", edits: []edit{set(landpads, "name", "LZ-1", "status", "flooded")},
			keys: []string{"LZ-1: flooded"}},
		{check: "landpads_type_accepted", edits: []edit{set(landpads, "name", "LZ-1", "type", "Barge")},
			keys: []string{"LZ-1: Barge"}},
		{check: "launch_capsules_capsule_exists", edits: []edit{push(launches, "name", "CRS-1", "capsules", ghost), push(launches, "name", "CRS-1", "capsules", nil)},
			keys: []string{fmt.Sprintf("CRS-1 capsules[%d] → %s", count(launches, "name", "CRS-1", "capsules"), ghost)}},
		{check: "launch_cores_core_exists", edits: []edit{push(launches, "name", "CRS-1", "cores",
			doc{"core": ghost, "flight": 1, "gridfins": false, "legs": false, "reused": false, "landing_attempt": false})},
			keys: []string{"CRS-1 cores[1] → " + ghost}},
		{check: "launch_cores_core_unique", edits: []edit{push(launches, "name", "CRS-1", "cores", crs1Core)},
			keys:    []string{"CRS-1 → " + field(t, cores, "id", crs1Core["core"].(string), "serial").(string)},
			targets: []edit{drop(cores, "id", crs1Core["core"].(string))},
			orphans: []string{"CRS-1 → " + crs1Core["core"].(string)}},
		{check: "launch_cores_landing_type_accepted", edits: []edit{with(launches, "name", "CRS-1", func(d doc) {
			d["cores"].([]any)[0].(doc)["landing_type"] = "Parachute"
		})},
			keys: []string{"CRS-1 cores[0]: Parachute"}},
		{check: "launch_cores_landpad_exists", edits: []edit{with(launches, "name", "CRS-1", func(d doc) {
			d["cores"].([]any)[0].(doc)["landpad"] = ghost
		})},
			keys: []string{"CRS-1 cores[0] → " + ghost}},
		{check: "launch_crew_crew_exists", edits: []edit{push(launches, "name", "CRS-1", "crew", doc{"crew": ghost, "role": "Pilot"}),
			push(launches, "name", "CRS-1", "crew", doc{"crew": nil, "role": "Pilot"})},
			keys: []string{"CRS-1 crew[0] → " + ghost}},
		{check: "launch_crew_crew_unique", edits: []edit{push(launches, "name", "CCtCap Demo Mission 2", "crew", demo2Crew),
			push(launches, "name", "CCtCap Demo Mission 2", "crew", doc{"crew": nil, "role": "Pilot"}),
			push(launches, "name", "CCtCap Demo Mission 2", "crew", doc{"crew": nil, "role": "Pilot"})},
			keys:    []string{"CCtCap Demo Mission 2 → Robert Behnken"},
			targets: []edit{drop(crew, "name", "Robert Behnken")},
			orphans: []string{"CCtCap Demo Mission 2 → " + demo2Crew["crew"].(string)}},
		{check: "launch_fairing_ships_ship_exists", edits: []edit{with(launches, "name", "KoreaSat 5A", func(d doc) {
			f := d["fairings"].(doc)
			f["ships"] = append(f["ships"].([]any), ghost, nil)
		})},
			keys:    []string{fmt.Sprintf("KoreaSat 5A fairings.ships[%d] → %s", fairingShips, ghost)},
			targets: []edit{drop(ships, "id", goMsTree)},
			orphans: []string{fmt.Sprintf("KoreaSat 5A fairings.ships[%d] → %s", fairingShips, ghost)}},
		{check: "launch_payloads_agree", edits: []edit{set(payloads, "name", "FalconSAT-2", "launch", nil),
			set(payloads, "id", crs2Payload, "launch", crs1)},
			keys: []string{"FalconSat → FalconSAT-2 (no launch)", "CRS-2 → " + field(t, payloads, "id", crs2Payload, "name").(string) + " (CRS-1)"},
			// CRS-1 does not list it.
			also:    []string{"payloads_launch_agrees"},
			targets: gone("FalconSat", "CRS-1"),
			orphans: []string{"CRS-2 → " + field(t, payloads, "id", crs2Payload, "name").(string) + " (" + crs1 + ")"}},
		{check: "launch_payloads_payload_exists", edits: []edit{push(launches, "name", "CRS-1", "payloads", ghost), push(launches, "name", "CRS-1", "payloads", nil)},
			keys: []string{fmt.Sprintf("CRS-1 payloads[%d] → %s", count(launches, "name", "CRS-1", "payloads"), ghost)}},
		{check: "launch_payloads_payload_unique", edits: []edit{push(launches, "name", "CRS-1", "payloads", crs1Payload),
			push(launches, "name", "CRS-1", "payloads", nil), push(launches, "name", "CRS-1", "payloads", nil)},
			keys:    []string{field(t, payloads, "id", crs1Payload, "name").(string)},
			targets: []edit{drop(payloads, "id", crs1Payload)},
			orphans: []string{crs1Payload}},
		{check: "launch_ships_ship_exists", edits: []edit{push(launches, "name", "CRS-1", "ships", ghost), push(launches, "name", "CRS-1", "ships", nil)},
			keys: []string{fmt.Sprintf("CRS-1 ships[%d] → %s", count(launches, "name", "CRS-1", "ships"), ghost)}},
		{check: "launches_date_local_agrees", edits: []edit{set(launches, "name", "CRS-2", "date_local", "2000-01-01T00:00:00+00:00")},
			keys: []string{"CRS-2"}},
		{check: "launches_date_precision_accepted", edits: []edit{set(launches, "name", "CRS-1", "date_precision", "fortnight")},
			keys: []string{"CRS-1: fortnight"}},
		{check: "launches_date_unix_agrees", edits: []edit{set(launches, "name", "CRS-1", "date_unix", 1349656600)},
			keys: []string{"CRS-1"}},
		{check: "launches_flight_number_unique", edits: []edit{set(launches, "name", "CRS-1", "flight_number", 10),
			set(launches, "name", "CRS-5", "flight_number", nil), set(launches, "name", "CRS-6", "flight_number", nil)},
			keys: []string{"10"},
			// Each lacks a field it must have.
			also: []string{"launches_required"}},
		{check: "launches_launchpad_exists", edits: []edit{set(launches, "name", "CRS-1", "launchpad", ghost),
			set(launches, "name", "CRS-3", "launchpad", nil)},
			keys: []string{"CRS-1 → " + ghost},
			// CCSFS SLC 40 still lists CRS-1.
			also: []string{"launchpad_launches_agree"}},
		{check: "launches_name_unique", edits: []edit{set(launches, "name", "CRS-2", "name", "CRS-1"),
			set(launches, "name", "CRS-5", "name", nil), set(launches, "name", "CRS-6", "name", nil)},
			keys: []string{"CRS-1"},
			// Each lacks a field it must have.
			also: []string{"launches_required"}},
		{check: "launches_required", edits: []edit{set(launches, "name", "CRS-1", "upcoming", nil)},
			keys: []string{"CRS-1: upcoming"}},
		{check: "launches_rocket_exists", edits: []edit{set(launches, "name", "CRS-1", "rocket", ghost),
			set(launches, "name", "CRS-3", "rocket", nil)},
			keys:    []string{"CRS-1 → " + ghost},
			targets: []edit{drop(rockets, "name", "Falcon 1")},
			orphans: []string{"CRS-1 → " + ghost}},
		{check: "launches_static_fire_before_launch", edits: []edit{
			set(launches, "name", "CRS-1", "static_fire_date_utc", "2012-10-09T00:00:00.000Z"),
			set(launches, "name", "CRS-1", "static_fire_date_unix", 1349740800),
			// An upcoming launch's date is an estimate: not held to it.
			set(launches, "name", "USSF-44", "static_fire_date_utc", "2030-01-01T00:00:00.000Z"),
			set(launches, "name", "USSF-44", "static_fire_date_unix", 1893456000)},
			keys: []string{"CRS-1"}},
		{check: "launches_static_fire_date_unix_agrees", edits: []edit{set(launches, "name", "CRS-1", "static_fire_date_unix", 1348876801)},
			keys: []string{"CRS-1"}},
		{check: "launchpad_launches_agree", edits: []edit{padSwap, push(launchpads, "name", "VAFB SLC 3W", "launches", id(launches, "name", padWas))},
			keys:    []string{padWas + " → Kwajalein Atoll", "Kwajalein Atoll → CRS-1", "VAFB SLC 3W → " + padWas},
			targets: gone(padWas, "CRS-1")},
		{check: "launchpad_launches_launch_exists", edits: []edit{push(launchpads, "name", "VAFB SLC 3W", "launches", ghost), push(launchpads, "name", "VAFB SLC 3W", "launches", nil)},
			keys: []string{fmt.Sprintf("VAFB SLC 3W launches[%d] → %s", count(launchpads, "name", "VAFB SLC 3W", "launches"), ghost)}},
		{check: "launchpad_rockets_agree", edits: []edit{set(launches, "name", "CRS-1", "rocket", falcon1),
			set(launches, "name", "FalconSat", "rocket", falconHeavy)},
			keys: []string{"CRS-1 → CCSFS SLC 40: Falcon 1", "FalconSat → Kwajalein Atoll: Falcon Heavy"},
			// CRS-1's launchpad, and FalconSat's rocket.
			targets: []edit{drop(launchpads, "name", "CCSFS SLC 40"), drop(rockets, "name", "Falcon Heavy")}},
		{check: "launchpad_rockets_rocket_exists", edits: []edit{push(launchpads, "name", "VAFB SLC 3W", "rockets", ghost), push(launchpads, "name", "VAFB SLC 3W", "rockets", nil)},
			keys:    []string{fmt.Sprintf("VAFB SLC 3W rockets[%d] → %s", count(launchpads, "name", "VAFB SLC 3W", "rockets"), ghost)},
			targets: []edit{drop(rockets, "name", "Falcon 1")},
			orphans: []string{fmt.Sprintf("VAFB SLC 3W rockets[%d] → %s", count(launchpads, "name", "VAFB SLC 3W", "rockets"), ghost)}},
		{check: "launchpads_required", edits: []edit{set(launchpads, "name", "VAFB SLC 3W", "status", nil)},
			keys: []string{"VAFB SLC 3W: status"}},
		{check: "launchpads_status_accepted", edits: []edit{set(launchpads, "name", "VAFB SLC 3W", "status", "sunk")},
			keys: []string{"VAFB SLC 3W: sunk"}},
		{check: "payloads_dragon_capsule_exists", edits: []edit{with(payloads, "name", "FalconSAT-2", func(d doc) {
			d["dragon"].(doc)["capsule"] = ghost
		})},
			keys: []string{"FalconSAT-2 → " + ghost}},
		{check: "payloads_launch_agrees", edits: []edit{set(payloads, "name", "FalconSAT-2", "launch", crs1)},
			keys: []string{"FalconSAT-2 → CRS-1"},
			// FalconSat lists it, and it names another launch.
			also:    []string{"launch_payloads_agree"},
			targets: gone("CRS-1")},
		{check: "payloads_launch_exists", edits: []edit{set(payloads, "name", "FalconSAT-2", "launch", ghost)},
			keys: []string{"FalconSAT-2 → " + ghost},
			also: []string{"launch_payloads_agree"}},
		{check: "payloads_listed", edits: []edit{clone(payloads, "name", "FalconSAT-2", "5eb0e4b5b6c3bb0006eeb1ff", func(d doc) {
			d["name"], d["launch"] = "Orphan", nil
		})},
			keys: []string{"Orphan"}},
		{check: "payloads_name_unique", edits: []edit{set(payloads, "id", crs1Payload, "name", "FalconSAT-2"),
			set(payloads, "id", crs2Payload, "name", nil), set(payloads, "name", "Trailblazer", "name", nil)},
			keys: []string{"FalconSAT-2"}},
		{check: "resources_live", over: true, edits: []edit{{file: "v4/history.json", fn: func(*testing.T, []doc) []doc { return []doc{} }}},
			keys: []string{fmt.Sprintf("history: no live rows, %d soft-deleted", len(readDocs(t, snapshot, "v4/history.json")))}},
		{check: "runs_fresh", sql: `UPDATE meta.runs SET status = 'failed', error = 'planted'`,
			keys: []string{"no run ever succeeded"}},
		{check: "runs_fresh", sql: stale, keys: []string{"run 1 finished … ago"}, mask: regexp.MustCompile(`\d+ days( [\d:]+)?`)},
		{check: "ship_launches_agree", edits: []edit{shipSwap, unlist(ships, "name", "A Shortfall of Gravitas", "Crew-3")},
			keys:    []string{shipWas + " → American Champion", "American Champion → CRS-1", "Crew-3 → A Shortfall of Gravitas"},
			targets: gone(shipWas, "CRS-1", "Crew-3")},
		{check: "ship_launches_launch_exists", edits: []edit{push(ships, "name", "American Champion", "launches", ghost), push(ships, "name", "American Champion", "launches", nil)},
			keys: []string{fmt.Sprintf("American Champion launches[%d] → %s", count(ships, "name", "American Champion", "launches"), ghost)}},
		{check: "ships_name_unique", edits: []edit{set(ships, "name", "American Islander", "name", "American Champion"),
			set(ships, "name", "GO Ms Tree", "name", nil), set(ships, "name", "GO Quest", "name", nil)},
			keys: []string{"American Champion"},
			// Each lacks a field it must have.
			also: []string{"ships_required"}},
		{check: "ships_required", edits: []edit{set(ships, "name", "American Champion", "active", nil)},
			keys: []string{"American Champion: active"}},
		{check: "starlink_launch_exists", edits: []edit{{file: "v4/starlink.json", by: "id", value: "5eed770f096e59000698560d", fn: func(_ *testing.T, docs []doc) []doc {
			return append(docs, doc{"id": "5eed770f096e59000698560d", "version": "v1.0", "launch": ghost},
				doc{"id": "5eed770f096e59000698560e", "version": "v1.0", "launch": crs1},
				doc{"id": "5eed770f096e59000698560f", "version": "v1.0", "launch": nil})
		}}},
			keys:    []string{"5eed770f096e59000698560d → " + ghost},
			targets: gone("CRS-1"),
			orphans: []string{"5eed770f096e59000698560d → " + ghost, "5eed770f096e59000698560e → " + crs1}},
	}
}

// gone removes the documents f's edits change or add, each once: a
// second sync without them soft-deletes the records that hold the planted
// violations. None when f plants in SQL, or over a first load.
func (f firing) gone() []edit {
	if f.over || f.sql != "" {
		return nil
	}
	var drops []edit
	seen := map[string]bool{}
	for _, e := range f.edits {
		if k := e.file + " " + e.by + " " + e.value; e.by != "" && !seen[k] {
			seen[k] = true
			drops = append(drops, drop(e.file, e.by, e.value))
		}
	}
	return drops
}

// soft is a new database that holds f planted, then synced again without
// the records that hold it (f.gone): they are soft-deleted.
func (f firing) soft(t *testing.T) *pgxpool.Pool {
	t.Helper()
	pool := setup(t)
	load(t, pool, planted(t, f.edits...))
	load(t, pool, planted(t, f.gone()...))
	return pool
}

// orphaned is a new database that holds f planted, then synced again
// with f planted and without its targets: they are soft-deleted under the
// plant. f.sql is planted last.
func (f firing) orphaned(t *testing.T) *pgxpool.Pool {
	t.Helper()
	pool := setup(t)
	load(t, pool, planted(t, f.edits...))
	load(t, pool, planted(t, append(slices.Clone(f.edits), f.targets...)...))
	f.plant(t, pool)
	return pool
}

// plant runs f.sql, if any, as the owner.
func (f firing) plant(t *testing.T, pool *pgxpool.Pool) {
	t.Helper()
	if f.sql == "" {
		return
	}
	if _, err := pool.Exec(context.Background(), f.sql); err != nil {
		t.Fatalf("plant: %v", err)
	}
}

// database is a new database holding the snapshot with f planted.
func (f firing) database(t *testing.T) *pgxpool.Pool {
	t.Helper()
	pool := setup(t)
	if f.over {
		load(t, pool, snapshot)
	}
	if f.edits != nil || !f.over {
		load(t, pool, planted(t, f.edits...))
	}
	f.plant(t, pool)
	return pool
}

// references are the keys of the snapshot with some records
// soft-deleted, by the documents removed: several cases remove the same
// ones (CRS-1, C101, ...), and each set is synced once.
type references struct {
	mu   sync.Mutex
	sets map[string]*reference
}

type reference struct {
	once sync.Once
	keys map[string][]string
}

// keys returns the keys of the snapshot synced, then synced again
// without the documents drops remove.
func (r *references) keys(t *testing.T, drops []edit) map[string][]string {
	t.Helper()
	var name []string
	for _, e := range drops {
		name = append(name, e.file+" "+e.by+" "+e.value)
	}
	slices.Sort(name)
	r.mu.Lock()
	if r.sets == nil {
		r.sets = map[string]*reference{}
	}
	ref, ok := r.sets[strings.Join(name, "\n")]
	if !ok {
		ref = &reference{}
		r.sets[strings.Join(name, "\n")] = ref
	}
	r.mu.Unlock()
	ref.once.Do(func() {
		pool := setup(t)
		load(t, pool, snapshot)
		load(t, pool, planted(t, drops...))
		ref.keys = allKeys(t, pool)
	})
	if ref.keys == nil {
		t.Fatal("the reference this case shares could not be built: see the case that built it")
	}
	return ref.keys
}

// allKeys runs every check and returns each one's keys, every row's, in
// byte order: the checks as they are, wrapped to return all their keys in
// one.
func allKeys(t *testing.T, pool *pgxpool.Pool) map[string][]string {
	t.Helper()
	var wrapped []check.Check
	for _, c := range embedded(t) {
		wrapped = append(wrapped, everyKey(c))
	}
	keys := map[string][]string{}
	for name, r := range runAll(t, pool, wrapped, defaults) {
		if keys[name], r.Err = splitKeys(r); r.Err != nil {
			t.Fatalf("%s: %v", name, r.Err)
		}
	}
	return keys
}

// everyKey is c returning all its keys in one, in byte order.
func everyKey(c check.Check) check.Check {
	c.SQL = `SELECT coalesce(string_agg(coalesce(key::text, 'NULL'), E'\n' ORDER BY key::text COLLATE "C"), '') AS key FROM (` +
		c.SQL + "\n) AS q"
	return c
}

// splitKeys returns the keys of a result of an everyKey check.
func splitKeys(r check.Result) ([]string, error) {
	if r.Err != nil || r.Samples[0] == "" {
		return []string{}, r.Err
	}
	return strings.Split(r.Samples[0], "\n"), nil
}

// added returns the keys of after not in before, and those of before not
// in after, counting repeats.
func added(before, after []string) (plus, minus []string) {
	left := map[string]int{}
	for _, k := range before {
		left[k]++
	}
	for _, k := range after {
		if left[k] > 0 {
			left[k]--
		} else {
			plus = append(plus, k)
		}
	}
	for _, k := range before {
		if left[k] > 0 {
			left[k]--
			minus = append(minus, k)
		}
	}
	return plus, minus
}

// TestEveryCheckFires (issue 14, item 1): every check of db/checks, made
// to fire by a violation planted in the API's JSON (or, for the two that
// guard the loader itself, in what it wrote), reports exactly the planted
// keys besides the snapshot's; every other check reports what it does on
// the snapshot, key for key, unless the plant must change it too (said in
// the case). A check without a case fails the test.
//
// Then only live rows count (docs/checks.md): synced again without the
// records that hold the violation, so that they are soft-deleted, the
// check reports what it reports when the same records are soft-deleted
// from the snapshot unplanted.
func TestEveryCheckFires(t *testing.T) {
	t.Parallel()
	cases := firings(t)
	var names []string
	for _, f := range cases {
		names = append(names, f.check)
	}
	for _, c := range embedded(t) {
		if !slices.Contains(names, c.Name) {
			t.Errorf("check %s has no planted case in firings: add one", c.Name)
		}
	}
	base := setup(t)
	load(t, base, snapshot)
	baseline := allKeys(t, base)
	softened := &references{}
	for _, f := range cases {
		t.Run(f.check, func(t *testing.T) {
			t.Parallel()
			if _, ok := baseline[f.check]; !ok {
				t.Fatalf("no check named %s", f.check)
			}
			if f.gone() != nil {
				t.Run("soft-deleted", func(t *testing.T) {
					t.Parallel()
					want := softened.keys(t, f.gone())[f.check]
					if got := allKeys(t, f.soft(t))[f.check]; !slices.Equal(got, want) {
						plus, minus := added(want, got)
						t.Errorf("%s, its planted records soft-deleted, added %q and lost %q besides what their soft-deletion from the snapshot does", f.check, plus, minus)
					}
				})
			}
			if f.targets != nil {
				t.Run("targets soft-deleted", func(t *testing.T) {
					t.Parallel()
					want := slices.Sorted(slices.Values(append(slices.Clone(softened.keys(t, f.targets)[f.check]), f.orphans...)))
					if got := allKeys(t, f.orphaned(t))[f.check]; !slices.Equal(got, want) {
						plus, minus := added(want, got)
						t.Errorf("%s, what the plant points at soft-deleted, added %q and lost %q besides what that soft-deletion from the snapshot does; want %q added", f.check, plus, minus, f.orphans)
					}
				})
			}
			got := allKeys(t, f.database(t))
			if f.mask != nil {
				for i, k := range got[f.check] {
					got[f.check][i] = f.mask.ReplaceAllString(k, "…")
				}
			}
			plus, minus := added(baseline[f.check], got[f.check])
			want := slices.Sorted(slices.Values(f.keys))
			if !slices.Equal(plus, want) || len(minus) > 0 {
				t.Errorf("%s added %q and lost %q; want %q added, nothing lost", f.check, plus, minus, want)
			}
			for name, keys := range got {
				if name == f.check || slices.Contains(f.also, name) {
					continue
				}
				if !slices.Equal(keys, baseline[name]) {
					plus, minus := added(baseline[name], keys)
					t.Errorf("%s changed too: added %q, lost %q", name, plus, minus)
				}
			}
		})
	}
}
