// Package resources is the registry of the API resources the loader syncs.
// An entry drives everything done with its resource:
//   - extraction: the route a sync and loader snapshot read (Path,
//     Alternates, Object);
//   - landing and the ledger, which key its documents by Name, and the
//     drift check against its contract, db/contracts/<Name>.json;
//   - promotion into Table and each of Bridges, the same SQL for every
//     resource (db/functions/bronze.sql), then the refresh of the gold
//     views that read those tables;
//   - the data checks that go over every table, bronze_bad_values and
//     bridges_match_documents (db/checks), which loader check gives the
//     registry (internal/check) instead of a list of tables.
//
// Adding a resource is an entry here, its tables in a migration (its bronze
// table, and one per bridge, keyed by the parent's id and the element's
// position) and its contract: no new code path, and no edit to a check. A
// bridge is declared once: its Bridge here and its table.
package resources

// Resource is one API resource.
type Resource struct {
	// Name keys the resource's documents in landing and the ledger; its
	// drift contract is db/contracts/<Name>.json.
	Name string
	// Path is the API route that lists the resource; a snapshot directory
	// holds it as <Path>.json.
	Path string
	// Alternates are routes a snapshot directory may hold the resource
	// under instead of Path, in order of preference.
	Alternates []string
	// Object: the route returns the resource's only document as one
	// object, not a list, and has no paged /query.
	Object bool
	// Table is the bronze table the resource promotes into.
	Table string
	// Bridges are the tables that hold the elements of the documents'
	// arrays, one row per element.
	Bridges []Bridge
}

// Bridge is a bronze table with one row per element of an array in the
// parent's documents, keyed by the parent's id and the element's position.
type Bridge struct {
	// Table is the bridge table; its primary key is (parent's id,
	// element's position), whatever the two columns are called.
	Table string
	// Array is the array's path in the parent's document, dotted.
	Array string
}

// All is every resource a sync loads, in the order it lands and promotes
// them.
var All = []Resource{
	{Name: "rockets", Path: "/v4/rockets", Table: "bronze.rockets", Bridges: []Bridge{
		{Table: "bronze.rocket_payload_weights", Array: "payload_weights"},
	}},
	{Name: "dragons", Path: "/v4/dragons", Table: "bronze.dragons", Bridges: []Bridge{
		{Table: "bronze.dragon_thrusters", Array: "thrusters"},
	}},
	{Name: "capsules", Path: "/v4/capsules", Table: "bronze.capsules", Bridges: []Bridge{
		{Table: "bronze.capsule_launches", Array: "launches"},
	}},
	{Name: "cores", Path: "/v4/cores", Table: "bronze.cores", Bridges: []Bridge{
		{Table: "bronze.core_launches", Array: "launches"},
	}},
	{Name: "crew", Path: "/v4/crew", Table: "bronze.crew", Bridges: []Bridge{
		{Table: "bronze.crew_launches", Array: "launches"},
	}},
	{Name: "ships", Path: "/v4/ships", Table: "bronze.ships", Bridges: []Bridge{
		{Table: "bronze.ship_launches", Array: "launches"},
	}},
	{Name: "landpads", Path: "/v4/landpads", Table: "bronze.landpads", Bridges: []Bridge{
		{Table: "bronze.landpad_launches", Array: "launches"},
	}},
	{Name: "launchpads", Path: "/v4/launchpads", Table: "bronze.launchpads", Bridges: []Bridge{
		{Table: "bronze.launchpad_rockets", Array: "rockets"},
		{Table: "bronze.launchpad_launches", Array: "launches"},
	}},
	{Name: "payloads", Path: "/v4/payloads", Table: "bronze.payloads", Bridges: []Bridge{
		{Table: "bronze.payload_customers", Array: "customers"},
		{Table: "bronze.payload_nationalities", Array: "nationalities"},
		{Table: "bronze.payload_manufacturers", Array: "manufacturers"},
		{Table: "bronze.payload_norad_ids", Array: "norad_ids"},
	}},
	// v5 gives each crew member's role; a snapshot may hold only the v4
	// shape (crew ids), which loads the same with no role.
	{Name: "launches", Path: "/v5/launches", Alternates: []string{"/v4/launches"}, Table: "bronze.launches", Bridges: []Bridge{
		{Table: "bronze.launch_payloads", Array: "payloads"},
		{Table: "bronze.launch_cores", Array: "cores"},
		{Table: "bronze.launch_crew", Array: "crew"},
		{Table: "bronze.launch_ships", Array: "ships"},
		{Table: "bronze.launch_capsules", Array: "capsules"},
		{Table: "bronze.launch_failures", Array: "failures"},
		{Table: "bronze.launch_fairing_ships", Array: "fairings.ships"},
	}},
	{Name: "starlink", Path: "/v4/starlink", Table: "bronze.starlink"},
	{Name: "history", Path: "/v4/history", Table: "bronze.history"},
	{Name: "company", Path: "/v4/company", Object: true, Table: "bronze.company"},
	{Name: "roadster", Path: "/v4/roadster", Object: true, Table: "bronze.roadster"},
}

// Tables lists the tables a promotion of r writes: its own, then its
// bridges'.
func (r Resource) Tables() []string {
	tables := []string{r.Table}
	for _, b := range r.Bridges {
		tables = append(tables, b.Table)
	}
	return tables
}

// Names lists the names of All, in order.
func Names() []string {
	names := make([]string, len(All))
	for i, r := range All {
		names[i] = r.Name
	}
	return names
}
