package gold

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/spacex-elt/loader/internal/db/dbsqlc"
)

// q runs the generated queries; each call takes its connection.
var q = dbsqlc.New()

// Refresh refreshes, inside the caller's transaction, the gold materialized
// views that read any of the changed tables, directly or through other
// views, and returns their names in the order refreshed. A view that has
// rows is refreshed CONCURRENTLY, so readers keep seeing its previous
// contents until commit; an empty one (the first load) is refreshed
// plainly, as there is nothing for readers to keep. The SQL is
// db/functions/refresh.sql, called by queries/gold.sql.
func Refresh(ctx context.Context, tx pgx.Tx, changed []string) ([]string, error) {
	if len(changed) == 0 {
		return nil, nil
	}
	names, err := q.GoldViewsToRefresh(ctx, tx, changed)
	if err != nil {
		return nil, fmt.Errorf("find the gold views to refresh: %w", err)
	}
	for _, name := range names {
		if err := q.GoldRefreshView(ctx, tx, name); err != nil {
			return nil, fmt.Errorf("refresh %s: %w", name, err)
		}
	}
	return names, nil
}
