// Package resources is the registry of the API resources the loader syncs.
// Adding a resource is an entry here plus its bronze table (a migration)
// and its contract (db/contracts/<name>.json); promotion is the same SQL
// for every resource.
package resources

// Resource is one API resource.
type Resource struct {
	// Name keys the resource's documents in landing and the ledger; its
	// drift contract is db/contracts/<Name>.json.
	Name string
	// Path is the API route that lists the resource; a snapshot directory
	// holds it as <Path>.json.
	Path string
	// Table is the bronze table the resource promotes into.
	Table string
	// Bridges are the tables that hold the elements of the documents'
	// arrays, one row per element.
	Bridges []Bridge
}

// Bridge is a bronze table with one row per element of an array in the
// parent's documents, keyed by the parent's id and the element's position.
type Bridge struct {
	Table string
	// Array is the array's path in the parent's document, dotted.
	Array string
}

// All is every resource a sync loads, in the order it lands and promotes
// them.
var All = []Resource{
	{Name: "rockets", Path: "/v4/rockets", Table: "bronze.rockets"},
	{Name: "launchpads", Path: "/v4/launchpads", Table: "bronze.launchpads"},
	{Name: "payloads", Path: "/v4/payloads", Table: "bronze.payloads"},
	{Name: "launches", Path: "/v4/launches", Table: "bronze.launches", Bridges: []Bridge{
		{Table: "bronze.launch_payloads", Array: "payloads"},
		{Table: "bronze.launch_cores", Array: "cores"},
		{Table: "bronze.launch_crew", Array: "crew"},
	}},
}

// Names lists the names of All, in order.
func Names() []string {
	names := make([]string, len(All))
	for i, r := range All {
		names[i] = r.Name
	}
	return names
}
