// Package schema embeds what defines the warehouse: the dbmate migrations,
// the function files, the gold view files and the contracts that drift is measured against, so
// the loader binary needs no source tree.
package schema

import "embed"

// FS holds migrations/*.sql (dbmate format), functions/*.sql, views/*.sql,
// the drift contracts, contracts/<resource>.json, and the data tests of
// loader check, checks/*.sql.
//
//go:embed migrations/*.sql functions/*.sql views/*.sql contracts/*.json checks/*.sql
var FS embed.FS

// Directories inside FS.
const (
	MigrationsDir = "migrations"
	FunctionsDir  = "functions"
	ViewsDir      = "views"
	ContractsDir  = "contracts"
	ChecksDir     = "checks"
)
