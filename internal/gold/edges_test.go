package gold_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
)

// edge is one case the snapshot lacks but docs/gold.md defines, planted in
// a copy of the snapshot.
type edge struct {
	name string
	// edit changes a fresh copy of the snapshot in dir.
	edit func(t *testing.T, dir string)
	// reaches names the views whose rows, by the definitions, differ from
	// the snapshot's: an edge that reaches no view it claims tests nothing
	// there.
	reaches []string
	// deleted is how many records of each resource the sync soft-deletes.
	deleted map[string]int64
	// planted, when set, checks that bronze holds what the edit planted,
	// for an edge that by definition changes no view.
	planted func(t *testing.T, pool *pgxpool.Pool)
}

// every view of db/views; checked against the files by the test.
var every = []string{
	"gold.core_flights", "gold.core_reuse", "gold.crew_flights", "gold.crew_flights_by_agency",
	"gold.fairing_recovery_by_year", "gold.landings_by_type", "gold.landpad_utilisation",
	"gold.launch_stats_by_year_rocket", "gold.launchpad_utilisation", "gold.payload_flights",
	"gold.payload_mass_by_customer", "gold.payload_mass_by_orbit", "gold.rocket_cost_efficiency",
	"gold.static_fire_lead_time",
}

// edges: each soft delete the loader makes, each nullable field a gold rule
// reads set to null, and each id a launch may repeat. The launches chosen
// reach as many views as one record can: Demo-2 and Crew-3 have crew, a
// core landing on a pad, a payload of known mass, a static fire and a
// successful outcome.
var edges = []edge{
	{
		name:    "a launch soft-deleted",
		edit:    dropDoc("v5/launches.json", "name", "CCtCap Demo Mission 2"),
		reaches: every,
		deleted: map[string]int64{"launches": 1},
	},
	{
		name: "a payload soft-deleted",
		edit: dropDoc("v4/payloads.json", "name", "Tesla Roadster"),
		reaches: []string{"gold.payload_flights", "gold.payload_mass_by_customer", "gold.payload_mass_by_orbit",
			"gold.rocket_cost_efficiency"},
		deleted: map[string]int64{"payloads": 1},
	},
	{
		name:    "a core soft-deleted",
		edit:    dropDoc("v4/cores.json", "serial", "B1051"),
		reaches: []string{"gold.core_flights", "gold.core_reuse"},
		deleted: map[string]int64{"cores": 1},
	},
	{
		name:    "a crew member soft-deleted",
		edit:    dropDoc("v4/crew.json", "name", "Kayla Barron"),
		reaches: []string{"gold.crew_flights", "gold.crew_flights_by_agency"},
		deleted: map[string]int64{"crew": 1},
	},
	{
		name:    "a rocket soft-deleted",
		edit:    dropDoc("v4/rockets.json", "name", "Falcon 1"),
		reaches: []string{"gold.launch_stats_by_year_rocket", "gold.rocket_cost_efficiency"},
		deleted: map[string]int64{"rockets": 1},
	},
	{
		name:    "a launch pad soft-deleted",
		edit:    dropDoc("v4/launchpads.json", "name", "VAFB SLC 4E"),
		reaches: []string{"gold.launchpad_utilisation"},
		deleted: map[string]int64{"launchpads": 1},
	},
	{
		name:    "a landing pad soft-deleted",
		edit:    dropDoc("v4/landpads.json", "name", "LZ-1"),
		reaches: []string{"gold.landpad_utilisation"},
		deleted: map[string]int64{"landpads": 1},
	},
	{
		name:    "upcoming unknown",
		edit:    setLaunch("Crew-3", func(l map[string]any) { l["upcoming"] = nil }),
		reaches: every,
	},
	{
		// FalconSat is the only launch of 2006 and of its (edited) pad: a
		// launch neither flown nor upcoming makes no group and no broken
		// reference of its own.
		name: "upcoming unknown on the only launch of its year, rocket and pad",
		edit: setLaunch("FalconSat", func(l map[string]any) {
			l["upcoming"] = nil
			l["launchpad"] = "test-launchpad-missing"
		}),
		reaches: []string{"gold.core_flights", "gold.core_reuse", "gold.fairing_recovery_by_year",
			"gold.launch_stats_by_year_rocket", "gold.launchpad_utilisation", "gold.payload_flights",
			"gold.payload_mass_by_customer", "gold.payload_mass_by_orbit", "gold.rocket_cost_efficiency",
			"gold.static_fire_lead_time"},
	},
	{
		name: "success unknown",
		edit: setLaunch("RatSat", func(l map[string]any) { l["success"] = nil }),
		reaches: []string{"gold.core_flights", "gold.launch_stats_by_year_rocket", "gold.launchpad_utilisation",
			"gold.payload_flights", "gold.payload_mass_by_customer", "gold.payload_mass_by_orbit",
			"gold.rocket_cost_efficiency"},
	},
	{
		// Merah Putih is B1046's second flight of four, both neighbours
		// known to the hour, and has a static fire.
		name:    "date_precision unknown",
		edit:    setLaunch("Merah Putih", func(l map[string]any) { l["date_precision"] = nil }),
		reaches: []string{"gold.core_flights", "gold.static_fire_lead_time"},
	},
	{
		// The snapshot's unknown landing outcomes are all ASDS: here an RTLS
		// landing at LZ-1 (CRS-20) and an ocean one (CRS-3).
		name: "landing_success unknown",
		edit: func(t *testing.T, dir string) {
			for _, name := range []string{"CRS-20", "CRS-3"} {
				setLaunch(name, func(l map[string]any) { firstCore(l)["landing_success"] = nil })(t, dir)
			}
		},
		reaches: []string{"gold.core_flights", "gold.core_reuse", "gold.landings_by_type",
			"gold.landpad_utilisation"},
	},
	{
		// Starlink-12 reused its fairing, tried to recover it and did.
		name:    "fairings unknown",
		edit:    setLaunch("Starlink-12 (v1.0)", func(l map[string]any) { l["fairings"] = nil }),
		reaches: []string{"gold.fairing_recovery_by_year"},
	},
	{
		// DSCOVR is the only payload to ES-L1.
		name: "a payload's mass unknown",
		edit: func(t *testing.T, dir string) {
			editDocs(t, dir, "v4/payloads.json", func(docs []map[string]any) {
				docNamed(t, docs, "name", "DSCOVR")["mass_kg"] = nil
			})
		},
		reaches: []string{"gold.payload_flights", "gold.payload_mass_by_customer", "gold.payload_mass_by_orbit",
			"gold.rocket_cost_efficiency"},
	},
	{
		// USSF-44 flew but stayed upcoming in the API. Were an outcome
		// recorded for it (and a failure for Galaxy 33 & 34), they would
		// still be placeholders, counted in no outcome: no view changes.
		name: "an upcoming launch with an outcome",
		edit: func(t *testing.T, dir string) {
			setLaunch("USSF-44", func(l map[string]any) { l["success"] = true })(t, dir)
			setLaunch("Galaxy 33 (15R) & 34 (12R)", func(l map[string]any) { l["success"] = false })(t, dir)
		},
		planted: func(t *testing.T, pool *pgxpool.Pool) {
			var n int64
			err := pool.QueryRow(context.Background(),
				"SELECT count(*) FROM bronze.launches WHERE upcoming AND success IS NOT NULL").Scan(&n)
			if err != nil {
				t.Fatal(err)
			}
			if n != 2 {
				t.Errorf("%d upcoming launches with an outcome in bronze, want 2", n)
			}
		},
	},
	{
		// STLS, Starship's pad, has no launch: one upcoming launch there
		// gives it launches_upcoming 1 and still no first or last launch.
		name: "an upcoming launch at a pad no flown launch used",
		edit: func(t *testing.T, dir string) {
			var pads []map[string]any
			readJSON(t, filepath.Join(dir, "v4/launchpads.json"), &pads)
			stls := docNamed(t, pads, "name", "STLS")["id"]
			setLaunch("Starlink 4-36 (v1.5)", func(l map[string]any) { l["launchpad"] = stls })(t, dir)
		},
		reaches: []string{"gold.launchpad_utilisation"},
	},
	{
		// A flown launch naming no rocket: a group of unknown rocket in
		// the yearly stats, but no rocket row (it names no id).
		name: "a launch without a rocket",
		edit: setLaunch("Starlink-15 (v1.0)", func(l map[string]any) { l["rocket"] = nil }),
		reaches: []string{"gold.launch_stats_by_year_rocket", "gold.rocket_cost_efficiency",
			"gold.static_fire_lead_time"},
	},
	{
		// A flown launch with no launch pad: counted at no pad (the launch
		// side names none), and no row of unknown pad.
		name:    "a launch without a launch pad",
		edit:    setLaunch("Jason 3", func(l map[string]any) { l["launchpad"] = nil }),
		reaches: []string{"gold.launchpad_utilisation"},
	},
	{
		// A flown launch's booster unknown: no flight of any core, and no
		// row of unknown core; its landing attempt still counts.
		name:    "a flown launch's core unknown",
		edit:    setLaunch("Iridium NEXT Mission 1", func(l map[string]any) { firstCore(l)["core"] = nil }),
		reaches: []string{"gold.core_flights", "gold.core_reuse"},
	},
	{
		// Successful landings of each type whose landing_attempt is
		// unknown: no attempt, so no landing either, whatever the type.
		name: "landing_attempt unknown",
		edit: func(t *testing.T, dir string) {
			for _, name := range []string{"CRS-20", "SES-10", "CRS-3"} { // RTLS, ASDS, Ocean
				setLaunch(name, func(l map[string]any) { firstCore(l)["landing_attempt"] = nil })(t, dir)
			}
		},
		reaches: []string{"gold.core_flights", "gold.core_reuse", "gold.landings_by_type",
			"gold.landpad_utilisation"},
	},
	{
		// Starlink-12's fairing, reused, tried for and recovered, with its
		// reuse and attempt unknown: not a recovery (no known attempt), yet
		// the launch has fairing data.
		name: "a fairing recovered without a known attempt",
		edit: setLaunch("Starlink-12 (v1.0)", func(l map[string]any) {
			f := l["fairings"].(map[string]any)
			f["reused"], f["recovery_attempt"], f["recovered"] = nil, nil, true
		}),
		reaches: []string{"gold.fairing_recovery_by_year"},
	},
	{
		// Ax-1's commander replaced by an element naming no one: he has no
		// flight, and no row of unknown crew appears.
		name:    "a crew element naming no one",
		edit:    setLaunch("Ax-1", func(l map[string]any) { l["crew"].([]any)[0].(map[string]any)["crew"] = nil }),
		reaches: []string{"gold.crew_flights", "gold.crew_flights_by_agency"},
	},
	{
		// Inspiration4's commander without a role: still a flight, no role.
		name:    "a crew member without a role",
		edit:    setLaunch("Inspiration4", func(l map[string]any) { l["crew"].([]any)[0].(map[string]any)["role"] = nil }),
		reaches: []string{"gold.crew_flights"},
	},
	{
		// Counted once for the launch, by definition: no view changes.
		name: "a payload listed twice by one launch",
		edit: setLaunch("CRS-20", func(l map[string]any) {
			l["payloads"] = append(l["payloads"].([]any), l["payloads"].([]any)[0])
		}),
		planted: func(t *testing.T, pool *pgxpool.Pool) {
			bridgeRows(t, pool, "bronze.launch_payloads", "payload_id", "CRS-20", 2)
		},
	},
	{
		// Raja Chari listed again as Pilot: one flight, two roles.
		name: "a crew member listed twice by one launch",
		edit: setLaunch("Crew-3", func(l map[string]any) {
			first := l["crew"].([]any)[0].(map[string]any)
			l["crew"] = append(l["crew"].([]any), map[string]any{"crew": first["crew"], "role": "Pilot"})
		}),
		reaches: []string{"gold.crew_flights"},
		planted: func(t *testing.T, pool *pgxpool.Pool) {
			bridgeRows(t, pool, "bronze.launch_crew", "crew_id", "Crew-3", 2)
		},
	},
	{
		// The Falcon Heavy test flight's third element (B1023, RTLS at
		// LZ-1) names its first core (B1033, ASDS, lost): one flight of
		// B1033 with the first element's landing, none of B1023, and still
		// three landing attempts.
		name: "a core named twice by one launch",
		edit: setLaunch("Falcon Heavy Test Flight", func(l map[string]any) {
			cores := l["cores"].([]any)
			cores[2].(map[string]any)["core"] = cores[0].(map[string]any)["core"]
		}),
		reaches: []string{"gold.core_flights", "gold.core_reuse"},
		planted: func(t *testing.T, pool *pgxpool.Pool) {
			bridgeRows(t, pool, "bronze.launch_cores", "core_id", "Falcon Heavy Test Flight", 2)
		},
	},
}

// TestViewsAtTheirEdges syncs the snapshot, then each edge in turn, each
// planted in a fresh copy of the snapshot: the sync that plants one edge
// takes the previous one away (a record soft-deleted by one step is revived
// by the next). After each sync every view is compared with its definition
// computed in Go from the edited JSON, as in TestViewsMatchTheSnapshot.
func TestViewsAtTheirEdges(t *testing.T) {
	t.Parallel()
	if !slices.Equal(every, viewFiles(t)) {
		t.Fatalf("every lists %v, want the views of db/views %v", every, viewFiles(t))
	}
	pool := setup(t)
	sync(t, pool, snapshot)
	base := readSnapshot(t, snapshot)
	for _, e := range edges {
		t.Run(e.name, func(t *testing.T) {
			dir := copySnapshot(t)
			e.edit(t, dir)
			res := sync(t, pool, dir)
			for _, r := range res.Resources {
				if r.Deleted != e.deleted[r.Resource] {
					t.Errorf("the sync soft-deleted %d %s, want %d", r.Deleted, r.Resource, e.deleted[r.Resource])
				}
			}
			s := readSnapshot(t, dir)
			var reached []string
			for _, name := range every {
				if !sameRows(expected[name](t, base), expected[name](t, s)) {
					reached = append(reached, name)
				}
			}
			if !slices.Equal(reached, e.reaches) {
				t.Errorf("by definition the edge changes %v, want %v", reached, e.reaches)
			}
			if len(e.reaches) == 0 && e.planted == nil {
				t.Fatal("an edge that changes no view must say how bronze shows it (planted)")
			}
			if e.planted != nil {
				e.planted(t, pool)
			}
			compareAll(t, pool, dir)
		})
	}
}

// dropDoc removes from a snapshot file the one document whose field is
// value: the next sync soft-deletes its record.
func dropDoc(file, field, value string) func(t *testing.T, dir string) {
	return func(t *testing.T, dir string) {
		t.Helper()
		replaceDocs(t, dir, file, func(docs []map[string]any) []map[string]any {
			d := docNamed(t, docs, field, value)
			return slices.DeleteFunc(docs, func(x map[string]any) bool { return x["id"] == d["id"] })
		})
	}
}

// setLaunch edits the launch named name in v5/launches.json.
func setLaunch(name string, edit func(l map[string]any)) func(t *testing.T, dir string) {
	return func(t *testing.T, dir string) {
		t.Helper()
		replaceDocs(t, dir, "v5/launches.json", func(docs []map[string]any) []map[string]any {
			edit(docNamed(t, docs, "name", name))
			return docs
		})
	}
}

// docNamed is the one document of docs whose field is value.
func docNamed(t *testing.T, docs []map[string]any, field, value string) map[string]any {
	t.Helper()
	var found []map[string]any
	for _, d := range docs {
		if d[field] == value {
			found = append(found, d)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d documents with %s %q, want 1", len(found), field, value)
	}
	return found[0]
}

func firstCore(l map[string]any) map[string]any {
	return l["cores"].([]any)[0].(map[string]any)
}

// bridgeRows checks that the launch named launch has want rows in bridge
// with the same value in column: the repeated id the edge planted.
func bridgeRows(t *testing.T, pool *pgxpool.Pool, bridge, column, launch string, want int64) {
	t.Helper()
	var got int64
	err := pool.QueryRow(context.Background(), fmt.Sprintf(`
		SELECT max(n) FROM (
			SELECT count(*) AS n FROM %s b JOIN bronze.launches l ON l.id = b.launch_id
			WHERE l.name = $1 GROUP BY b.%s) c`, bridge, column), launch).Scan(&got)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("%s: %s names one %s %d times, want %d", bridge, launch, column, got, want)
	}
}

// sameRows says whether two computed tables hold the same rows.
func sameRows(a, b table) bool {
	rows := func(x table) []string {
		var out []string
		for _, r := range x.rows {
			out = append(out, show(r))
		}
		slices.Sort(out)
		return out
	}
	return slices.Equal(rows(a), rows(b))
}
