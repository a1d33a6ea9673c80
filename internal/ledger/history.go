package ledger

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/spacex-elt/loader/internal/db/dbsqlc"
)

// Run is one sync or replay in meta.runs, as loader runs lists it.
type Run struct {
	RunID  int64
	Status Status
	Source string
	// StartedAt is when it began; FinishedAt is nil while it is running.
	StartedAt  time.Time
	FinishedAt *time.Time
	// Error is "" when the run recorded none.
	Error string
	// Contract is the contract mode it ran under (warn or fail); "" for
	// a run recorded before meta.runs had the column.
	Contract       string
	ViewsRefreshed []string
	// RowsChanged is the bronze rows it inserted, updated (revived
	// included) or soft-deleted, over its resources: 0 when its promotion
	// did not commit.
	RowsChanged int64
	// Resources are by name.
	Resources []RunResource
}

// RunResource is a resource of a run in meta.run_resources, as loader runs
// --output json prints it. The counts of the promotion are nil when it did
// not commit.
type RunResource struct {
	Resource    string `json:"resource"`
	Absent      bool   `json:"absent"`
	LandedRunID *int64 `json:"landed_run_id"`
	NotModified bool   `json:"not_modified"`
	Fetched     int64  `json:"fetched"`
	Skipped     *bool  `json:"skipped"`
	BadValues   *int64 `json:"bad_values"`
	Inserted    *int64 `json:"inserted"`
	Updated     *int64 `json:"updated"`
	Unchanged   *int64 `json:"unchanged"`
	Deleted     *int64 `json:"deleted"`
	Revived     *int64 `json:"revived"`
}

// ErrNeedsWriter: the login may not read the run ledger. loader runs
// says so, and which roles may, rather than only PostgreSQL's
// "permission denied for schema meta".
var ErrNeedsWriter = errors.New("the run ledger (schema meta) is for logins in spacex_writer and the migration owner; " +
	"a spacex_analyst login sees the last succeeded run in gold.freshness (and loader report)")

// needsWriter maps PostgreSQL's insufficient_privilege to ErrNeedsWriter,
// keeping its message.
func needsWriter(err error) error {
	if pgErr := (*pgconn.PgError)(nil); errors.As(err, &pgErr) && pgErr.Code == "42501" {
		return fmt.Errorf("%s: %w", pgErr.Message, ErrNeedsWriter)
	}
	return err
}

// ErrNoRun: the ledger has no run of the id asked for.
var ErrNoRun = errors.New("no run")

// Get returns the run runID, without its resources; an error wrapping
// ErrNoRun ("no run 999") when the ledger has none.
func Get(ctx context.Context, db dbsqlc.DBTX, runID int64) (Run, error) {
	r, err := q.RunGet(ctx, db, runID)
	if errors.Is(err, pgx.ErrNoRows) {
		return Run{}, fmt.Errorf("%w %d", ErrNoRun, runID)
	}
	if err != nil {
		return Run{}, fmt.Errorf("read run %d: %w", runID, err)
	}
	return Run{
		RunID: r.RunID, Status: Status(r.Status), Source: r.Source, StartedAt: r.StartedAt, FinishedAt: r.FinishedAt,
		Error: deref(r.Error), Contract: deref(r.Contract), ViewsRefreshed: r.ViewsRefreshed,
	}, nil
}

// Runs returns the newest limit runs, newest first, with their resources.
func Runs(ctx context.Context, db dbsqlc.DBTX, limit int) ([]Run, error) {
	if limit < 1 {
		return nil, fmt.Errorf("limit %d: must be at least 1", limit)
	}
	rows, err := q.RunList(ctx, db, int32(min(limit, 1<<31-1)))
	if err != nil {
		return nil, fmt.Errorf("list runs: %w", needsWriter(err))
	}
	runs := make([]Run, len(rows))
	ids := make([]int64, len(rows))
	at := make(map[int64]int, len(rows))
	for i, r := range rows {
		runs[i] = Run{
			RunID: r.RunID, Status: Status(r.Status), Source: r.Source, StartedAt: r.StartedAt, FinishedAt: r.FinishedAt,
			ViewsRefreshed: r.ViewsRefreshed, RowsChanged: r.RowsChanged, Resources: []RunResource{},
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
		runs[i].Resources = append(runs[i].Resources, RunResource{
			Resource: r.Resource, Absent: r.Absent, LandedRunID: r.LandedRunID, NotModified: r.NotModified,
			Fetched: r.Fetched, Skipped: r.Skipped, BadValues: r.BadValues, Inserted: r.Inserted, Updated: r.Updated,
			Unchanged: r.Unchanged, Deleted: r.Deleted, Revived: r.Revived,
		})
	}
	return runs, nil
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

// LastSucceeded returns the newest succeeded sync or replay, or nil when
// none succeeded.
func LastSucceeded(ctx context.Context, db dbsqlc.DBTX) (*Succeeded, error) {
	r, err := q.RunLastSucceeded(ctx, db)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the last succeeded run: %w", err)
	}
	return &Succeeded{
		RunID: r.RunID, Source: r.Source, StartedAt: r.StartedAt, FinishedAt: r.FinishedAt,
		Age: time.Duration(r.AgeSeconds * float64(time.Second)),
	}, nil
}
