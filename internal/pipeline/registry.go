package pipeline

import (
	"context"

	"github.com/spacex-elt/loader/internal/db"
)

// Resource is one API resource the loader syncs. Adding a resource is an
// entry here plus its bronze table, its upsert in queries/ and its contract
// in db/contracts.
type Resource struct {
	// Name keys the resource's rows in landing.documents and the ledger; the
	// upsert queries filter landing on it. The drift contract is
	// contracts/<Name>.json.
	Name string
	// Path is the API route that lists the resource.
	Path string
	// Table is the bronze table the resource promotes into; records missing
	// from a complete extract are soft-deleted there.
	Table string
	// Promote upserts the run's landed documents into bronze.
	Promote func(ctx context.Context, q *db.Queries, runID int64) (Upserted, error)
}

// Upserted is what a resource's upsert did.
type Upserted struct {
	Documents, BadValues, Inserted, Updated, Revived int64
}

// Resources is every resource a sync loads, in the order it lands and
// promotes them.
var Resources = []Resource{
	{
		Name:  "rockets",
		Path:  "/v4/rockets",
		Table: "bronze.rockets",
		Promote: func(ctx context.Context, q *db.Queries, runID int64) (Upserted, error) {
			r, err := q.RocketUpsertFromLanding(ctx, runID)
			return Upserted(r), err
		},
	},
	{
		Name:  "launchpads",
		Path:  "/v4/launchpads",
		Table: "bronze.launchpads",
		Promote: func(ctx context.Context, q *db.Queries, runID int64) (Upserted, error) {
			r, err := q.LaunchpadUpsertFromLanding(ctx, runID)
			return Upserted(r), err
		},
	},
	{
		Name:  "payloads",
		Path:  "/v4/payloads",
		Table: "bronze.payloads",
		Promote: func(ctx context.Context, q *db.Queries, runID int64) (Upserted, error) {
			r, err := q.PayloadUpsertFromLanding(ctx, runID)
			return Upserted(r), err
		},
	},
	{
		Name:    "launches",
		Path:    "/v4/launches",
		Table:   "bronze.launches",
		Promote: promoteLaunches,
	},
}

// promoteLaunches upserts launches and then brings their bridge tables in
// line with each launch's payloads, crew and cores arrays.
func promoteLaunches(ctx context.Context, q *db.Queries, runID int64) (Upserted, error) {
	r, err := q.LaunchUpsertFromLanding(ctx, runID)
	if err != nil {
		return Upserted{}, err
	}
	steps := []func(context.Context, int64) (int64, error){
		q.LaunchPayloadDeleteStale,
		q.LaunchPayloadInsertFromLanding,
		q.LaunchCrewDeleteStale,
		q.LaunchCrewUpsertFromLanding,
		q.LaunchCoreDeleteStale,
		q.LaunchCoreUpsertFromLanding,
	}
	for _, step := range steps {
		if _, err := step(ctx, runID); err != nil {
			return Upserted{}, err
		}
	}
	return Upserted(r), nil
}
