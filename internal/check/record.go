package check

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/spacex-elt/loader/internal/db/dbsqlc"
)

// q runs the generated queries; each call takes its connection.
var q = dbsqlc.New()

// StoredResult is a result as meta.check_results stores it, and as loader
// status --output json shows a failing one.
type StoredResult struct {
	Name       string   `json:"name"`
	Severity   string   `json:"severity"`
	Status     string   `json:"status"`
	Violations int64    `json:"violations"`
	Samples    []string `json:"samples"`
	Error      *string  `json:"error"`
}

// Stored returns r as meta.check_results stores it.
func (r Result) Stored() StoredResult {
	s := StoredResult{Name: r.Name, Severity: string(r.Severity), Status: r.Status(), Violations: r.Violations, Samples: r.Samples}
	if s.Samples == nil {
		s.Samples = []string{}
	}
	if r.Err != nil {
		msg := r.Err.Error()
		s.Error = &msg
	}
	return s
}

// Record stores results in meta.check_runs and meta.check_results, in one
// transaction of its own, and returns the check run's id. only is what
// --only selected (nil: every check). Run it after Run, whose transaction
// is read-only: recording is a separate, short write.
func Record(ctx context.Context, db DB, results []Result, opts Options, only []string) (int64, error) {
	rows := make([]StoredResult, len(results))
	for i, r := range results {
		rows[i] = r.Stored()
	}
	doc, err := json.Marshal(rows)
	if err != nil {
		return 0, err
	}
	var id int64
	err = pgx.BeginTxFunc(ctx, db, pgx.TxOptions{}, func(tx pgx.Tx) error {
		run, err := q.CheckRunCreate(ctx, tx, dbsqlc.CheckRunCreateParams{MaxAge: interval(opts.MaxAge), OnlyChecks: only})
		if err != nil {
			return err
		}
		id = run.CheckRunID
		n, err := q.CheckResultsRecord(ctx, tx, dbsqlc.CheckResultsRecordParams{CheckRunID: id, Results: doc})
		if err == nil && n != int64(len(results)) {
			err = fmt.Errorf("recorded %d results of %d", n, len(results))
		}
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("record the results in meta.check_runs: %w", err)
	}
	return id, nil
}

// Recorded is a check run as meta.check_runs and meta.check_results hold it.
type Recorded struct {
	CheckRunID int64
	CheckedAt  time.Time
	// Age is how long ago it was recorded, by the database server's clock.
	Age time.Duration
	// Only lists the checks --only selected; nil when every check ran.
	Only []string
	// Results are by name; Err of a result that could not run carries the
	// recorded message.
	Results []Result
}

// Latest returns the newest recorded check run of every check (every),
// and the newest run of only some checks (--only) recorded after it; each
// is nil when there is none. A run of one check does not stand for a full
// one, so a status reads both.
func Latest(ctx context.Context, db dbsqlc.DBTX) (every, only *Recorded, err error) {
	if every, err = latest(ctx, db, true, 0); err != nil {
		return nil, nil, err
	}
	var after int64
	if every != nil {
		after = every.CheckRunID
	}
	only, err = latest(ctx, db, false, after)
	return every, only, err
}

// latest returns the newest check run after check run after that ran every
// check, or only some; nil when none.
func latest(ctx context.Context, db dbsqlc.DBTX, every bool, after int64) (*Recorded, error) {
	run, err := q.CheckRunLatest(ctx, db, dbsqlc.CheckRunLatestParams{Every: every, After: after})
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the last check run: %w", err)
	}
	rows, err := q.CheckResultsOfRun(ctx, db, run.CheckRunID)
	if err != nil {
		return nil, fmt.Errorf("read check run %d's results: %w", run.CheckRunID, err)
	}
	rec := &Recorded{
		CheckRunID: run.CheckRunID, CheckedAt: run.CheckedAt, Only: run.OnlyChecks,
		Age: time.Duration(run.AgeSeconds * float64(time.Second)), Results: make([]Result, len(rows)),
	}
	for i, r := range rows {
		rec.Results[i] = Result{Name: r.Name, Severity: Severity(r.Severity), Violations: r.Violations, Samples: r.Samples}
		if r.Error != nil {
			rec.Results[i].Err = errors.New(*r.Error)
		}
		if rec.Results[i].Samples == nil {
			rec.Results[i].Samples = []string{}
		}
	}
	return rec, nil
}
