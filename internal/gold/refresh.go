package gold

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/spacex-elt/loader/internal/db/dbsqlc"
)

// q runs the generated queries; each call takes its connection.
var q = dbsqlc.New()

// Column is a column of a bronze table that a promotion changed. An empty
// Name stands for every column of Table (a resource retyped: the migration
// that changed its typing may have rewritten the rows before any promotion
// could compare them).
type Column struct {
	Table, Name string
}

// String is the column as the logs name it: "bronze.launches.success", or
// "bronze.launches.*" for every column.
func (c Column) String() string {
	if c.Name == "" {
		return c.Table + ".*"
	}
	return c.Table + "." + c.Name
}

// Refreshed is a gold view a refresh refreshed, and why: the changed
// columns it reads ("bronze.launches.success", "bronze.launches.*" for a
// retyped table) and the refreshed views it reads ("gold.crew_flights").
type Refreshed struct {
	View    string
	Because []string
}

// Refresh refreshes, inside the caller's transaction, the gold materialized
// views that read any of the changed columns, directly or through other
// views, and returns them in the order refreshed. What a view reads is
// PostgreSQL's record of its query (pg_depend), so a column no view reads
// refreshes nothing. A view that has rows is refreshed CONCURRENTLY, so
// readers keep seeing its previous contents until commit; an empty one
// (the first load) is refreshed plainly, as there is nothing for readers
// to keep. The SQL is db/functions/refresh.sql, called by queries/gold.sql.
func Refresh(ctx context.Context, tx pgx.Tx, changed []Column) ([]Refreshed, error) {
	if len(changed) == 0 {
		return nil, nil
	}
	tables := make([]string, len(changed))
	columns := make([]string, len(changed))
	for i, c := range changed {
		tables[i], columns[i] = c.Table, c.Name
		if c.Name == "" {
			columns[i] = "*"
		}
	}
	rows, err := q.GoldViewsToRefresh(ctx, tx, dbsqlc.GoldViewsToRefreshParams{Tables: tables, Columns: columns})
	if err != nil {
		return nil, fmt.Errorf("find the gold views to refresh: %w", err)
	}
	views := make([]Refreshed, len(rows))
	for i, r := range rows {
		if err := q.GoldRefreshView(ctx, tx, r.View); err != nil {
			return nil, fmt.Errorf("refresh %s: %w", r.View, err)
		}
		views[i] = Refreshed{View: r.View, Because: r.Because}
	}
	return views, nil
}
