package pipeline

import (
	"context"

	"github.com/spacex-elt/loader/internal/db"
)

// Resource is one API resource the loader syncs. Adding a resource is an
// entry here plus its upsert in queries/.
type Resource struct {
	// Name keys the resource's rows in landing.documents and the ledger; the
	// upsert queries filter landing on it.
	Name string
	// Path is the API route that lists the resource.
	Path string
	// Promote upserts the run's landed documents into bronze.
	Promote func(ctx context.Context, q *db.Queries, runID int64) (Counts, error)
}

// Resources is every resource a sync loads, in the order it lands and
// promotes them.
var Resources = []Resource{
	{
		Name: "rockets",
		Path: "/v4/rockets",
		Promote: func(ctx context.Context, q *db.Queries, runID int64) (Counts, error) {
			r, err := q.RocketUpsertFromLanding(ctx, runID)
			return newCounts(r.Documents, r.Inserted, r.Updated), err
		},
	},
	{
		Name: "launchpads",
		Path: "/v4/launchpads",
		Promote: func(ctx context.Context, q *db.Queries, runID int64) (Counts, error) {
			r, err := q.LaunchpadUpsertFromLanding(ctx, runID)
			return newCounts(r.Documents, r.Inserted, r.Updated), err
		},
	},
	{
		Name: "payloads",
		Path: "/v4/payloads",
		Promote: func(ctx context.Context, q *db.Queries, runID int64) (Counts, error) {
			r, err := q.PayloadUpsertFromLanding(ctx, runID)
			return newCounts(r.Documents, r.Inserted, r.Updated), err
		},
	},
	{
		Name:    "launches",
		Path:    "/v4/launches",
		Promote: promoteLaunches,
	},
}

// promoteLaunches upserts launches and then brings their bridge tables in
// line with each launch's payloads and cores arrays.
func promoteLaunches(ctx context.Context, q *db.Queries, runID int64) (Counts, error) {
	r, err := q.LaunchUpsertFromLanding(ctx, runID)
	if err != nil {
		return Counts{}, err
	}
	steps := []func(context.Context, int64) (int64, error){
		q.LaunchPayloadDeleteStale,
		q.LaunchPayloadInsertFromLanding,
		q.LaunchCoreDeleteStale,
		q.LaunchCoreUpsertFromLanding,
	}
	for _, step := range steps {
		if _, err := step(ctx, runID); err != nil {
			return Counts{}, err
		}
	}
	return newCounts(r.Documents, r.Inserted, r.Updated), nil
}
