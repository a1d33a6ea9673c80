// Package schema embeds the SQL that defines the warehouse: the dbmate
// migrations and the gold view files, so the loader binary can apply them
// without the source tree.
package schema

import "embed"

// FS holds migrations/*.sql (dbmate format) and views/*.sql.
//
//go:embed migrations/*.sql views/*.sql
var FS embed.FS

// Directories inside FS.
const (
	MigrationsDir = "migrations"
	ViewsDir      = "views"
)
