// Package gold refreshes the gold materialized views after a promotion,
// and holds their tests. The views themselves are SQL (db/views/gold.*.sql)
// and are described for analysts in docs/gold.md; the tests load the
// bundled snapshot and recompute every figure of every view in Go, straight
// from the snapshot's JSON files.
package gold
