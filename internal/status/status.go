// Package status compares a database with the binary (loader status): the
// dbmate migrations, and the function and view files, applied against those
// the binary ships; beside them the last succeeded run and the last
// recorded check results. It only reads, and converts the generated query
// types to its own at its boundary.
package status

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/spacex-elt/loader/internal/db/dbsqlc"
)

// q runs the generated queries; each call takes its connection.
var q = dbsqlc.New()

// Tables says which of the tables status reads exist: a database that is
// not migrated, or migrated by an older loader, lacks some.
type Tables struct {
	SchemaMigrations, AppliedSQL, Runs, CheckRuns bool
}

// Present returns which tables exist.
func Present(ctx context.Context, db dbsqlc.DBTX) (Tables, error) {
	r, err := q.SchemaTablesPresent(ctx, db)
	if err != nil {
		return Tables{}, fmt.Errorf("look up the ledger's tables: %w", err)
	}
	return Tables{SchemaMigrations: r.HasSchemaMigrations, AppliedSQL: r.HasAppliedSql, Runs: r.HasRuns, CheckRuns: r.HasCheckRuns}, nil
}

// migrationVersions reads dbmate's own table, which no migration creates,
// so sqlc (whose schema is db/migrations) cannot see it: a fixed query.
const migrationVersions = "SELECT version::text FROM public.schema_migrations ORDER BY version"

// Migrations returns the versions of the dbmate migrations applied, oldest
// first.
func Migrations(ctx context.Context, db dbsqlc.DBTX) ([]string, error) {
	rows, err := db.Query(ctx, migrationVersions)
	if err != nil {
		return nil, fmt.Errorf("read schema_migrations: %w", err)
	}
	versions, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("read schema_migrations: %w", err)
	}
	return versions, nil
}

// Applied is a function or view file recorded in meta.applied_sql.
type Applied struct {
	Name, Kind, SHA256 string
	AppliedAt          time.Time
	// Present: the view's relation exists (always true for a function
	// file).
	Present bool
}

// AppliedFiles returns the function and view files applied, by kind and
// name.
func AppliedFiles(ctx context.Context, db dbsqlc.DBTX) ([]Applied, error) {
	rows, err := q.AppliedSQLList(ctx, db)
	if err != nil {
		return nil, fmt.Errorf("read meta.applied_sql: %w", err)
	}
	out := make([]Applied, len(rows))
	for i, r := range rows {
		out[i] = Applied{Name: r.Name, Kind: r.Kind, SHA256: r.Sha256, AppliedAt: r.AppliedAt, Present: r.Present}
	}
	return out, nil
}
