// Package history reads what the warehouse has done and what it runs:
// the runs in the ledger (loader runs), and the schema, function and view
// files, and the last run (loader status). It only reads, and converts the
// generated query types to its own at its boundary.
package history

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/spacex-elt/loader/internal/db/dbsqlc"
)

// q runs the generated queries; each call takes its connection.
var q = dbsqlc.New()

// Run is one sync or replay in meta.runs.
type Run struct {
	RunID  int64
	Status string
	Source string
	// StartedAt is when it began; FinishedAt is nil while it is running.
	StartedAt  time.Time
	FinishedAt *time.Time
	// Error is "" when the run recorded none.
	Error          string
	ViewsRefreshed []string
	// RowsChanged is the bronze rows it inserted, updated (revived
	// included) or soft-deleted, over its resources: 0 when its promotion
	// did not commit.
	RowsChanged int64
	// Resources are by name.
	Resources []Resource
}

// Resource is a resource of a run in meta.run_resources. The counts of the
// promotion are nil when it did not commit.
type Resource struct {
	Resource    string
	Absent      bool
	LandedRunID *int64
	NotModified bool
	Fetched     int64
	Skipped     *bool
	BadValues   *int64
	Inserted    *int64
	Updated     *int64
	Unchanged   *int64
	Deleted     *int64
	Revived     *int64
}

// Runs returns the newest limit runs, newest first, with their resources.
func Runs(ctx context.Context, db dbsqlc.DBTX, limit int) ([]Run, error) {
	if limit < 1 {
		return nil, fmt.Errorf("limit %d: must be at least 1", limit)
	}
	rows, err := q.RunList(ctx, db, int32(min(limit, 1<<31-1)))
	if err != nil {
		return nil, fmt.Errorf("list runs: %w", err)
	}
	runs := make([]Run, len(rows))
	ids := make([]int64, len(rows))
	at := make(map[int64]int, len(rows))
	for i, r := range rows {
		runs[i] = Run{
			RunID: r.RunID, Status: r.Status, Source: r.Source, StartedAt: r.StartedAt, FinishedAt: r.FinishedAt,
			ViewsRefreshed: r.ViewsRefreshed, RowsChanged: r.RowsChanged, Resources: []Resource{},
		}
		if r.Error != nil {
			runs[i].Error = *r.Error
		}
		if runs[i].ViewsRefreshed == nil {
			runs[i].ViewsRefreshed = []string{}
		}
		ids[i], at[r.RunID] = r.RunID, i
	}
	res, err := q.RunResources(ctx, db, ids)
	if err != nil {
		return nil, fmt.Errorf("list the runs' resources: %w", err)
	}
	for _, r := range res {
		i := at[r.RunID]
		runs[i].Resources = append(runs[i].Resources, Resource{
			Resource: r.Resource, Absent: r.Absent, LandedRunID: r.LandedRunID, NotModified: r.NotModified,
			Fetched: r.Fetched, Skipped: r.Skipped, BadValues: r.BadValues, Inserted: r.Inserted, Updated: r.Updated,
			Unchanged: r.Unchanged, Deleted: r.Deleted, Revived: r.Revived,
		})
	}
	return runs, nil
}

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

// Succeeded is the newest succeeded run: what bronze holds.
type Succeeded struct {
	RunID      int64
	Source     string
	StartedAt  time.Time
	FinishedAt time.Time
	// Age is how long ago it finished, by the database server's clock.
	Age time.Duration
}

// LastSucceeded returns the newest succeeded sync or replay, or ok false
// when none succeeded.
func LastSucceeded(ctx context.Context, db dbsqlc.DBTX) (s Succeeded, ok bool, err error) {
	r, err := q.RunLastSucceeded(ctx, db)
	if errors.Is(err, pgx.ErrNoRows) {
		return Succeeded{}, false, nil
	}
	if err != nil {
		return Succeeded{}, false, fmt.Errorf("read the last succeeded run: %w", err)
	}
	return Succeeded{
		RunID: r.RunID, Source: r.Source, StartedAt: r.StartedAt, FinishedAt: r.FinishedAt,
		Age: time.Duration(r.AgeSeconds * float64(time.Second)),
	}, true, nil
}
