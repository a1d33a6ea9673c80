// Package gold refreshes the gold materialized views after a promotion,
// and holds their tests. The views themselves are SQL (db/views/gold.*.sql)
// and are described for analysts in docs/gold.md; the tests load the
// bundled snapshot and recompute every figure of every view in Go, straight
// from the snapshot's JSON files and by the definitions in docs/gold.md,
// not by the SQL's rules. TestViewsAtTheirEdges does the same on the edges
// the snapshot lacks (soft deletes, NULLs, ids repeated in one launch);
// docs/testing.md says which predicate each edge proves.
package gold
