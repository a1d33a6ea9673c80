// Package pipeline runs a sync: extract each resource, land it with COPY,
// then promote the run into bronze and refresh gold in one transaction, and
// keep the run ledger.
package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/spacex-elt/loader/internal/db"
	"github.com/spacex-elt/loader/internal/extract"
	"github.com/spacex-elt/loader/internal/landing"
)

// Run statuses in meta.runs.
const (
	StatusSucceeded = "succeeded"
	StatusFailed    = "failed"
	StatusCancelled = "cancelled"
)

// Counts is what a sync did with one resource.
type Counts struct {
	// Fetched is the number of documents landed.
	Fetched int64
	// Inserted, Updated and Unchanged split the distinct ids among new
	// bronze rows, rewritten rows and rows left as they were.
	Inserted, Updated, Unchanged int64
}

func newCounts(documents, inserted, updated int64) Counts {
	return Counts{Inserted: inserted, Updated: updated, Unchanged: documents - inserted - updated}
}

// ResourceResult pairs a resource with its counts.
type ResourceResult struct {
	Resource string
	Counts
}

// Result is the outcome of a sync.
type Result struct {
	RunID     int64
	Resources []ResourceResult
}

// Syncer runs syncs of Resources from Source into the database behind Pool.
type Syncer struct {
	Pool      *pgxpool.Pool
	Source    extract.Source
	Resources []Resource
	Logger    *slog.Logger
}

// Sync runs one sync and records it in the ledger. Landing commits per
// resource; bronze and gold change only if every resource landed and the
// whole promotion commits, so a failed sync leaves them exactly as they were.
// The returned error names the run and the resource at fault.
func (s *Syncer) Sync(ctx context.Context) (Result, error) {
	q := db.New(s.Pool)
	runID, err := q.RunCreate(ctx, s.Source.String())
	if err != nil {
		return Result{}, fmt.Errorf("open run in ledger: %w", err)
	}
	log := s.Logger.With("run_id", runID)
	log.InfoContext(ctx, "sync started", "source", s.Source.String())

	res := Result{RunID: runID}
	err = s.run(ctx, log, runID, &res)
	if err == nil {
		log.InfoContext(ctx, "sync succeeded")
		return res, nil
	}

	status := StatusFailed
	if errors.Is(err, context.Canceled) {
		status = StatusCancelled
	}
	// The run's own context may be what failed; the ledger must still hear.
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if ferr := q.RunFinish(fctx, db.RunFinishParams{
		RunID:  runID,
		Status: status,
		Error:  pgtype.Text{String: err.Error(), Valid: true},
	}); ferr != nil {
		err = errors.Join(err, fmt.Errorf("record the failure in meta.runs: %w", ferr))
	}
	return res, fmt.Errorf("run %d %s: %w", runID, status, err)
}

func (s *Syncer) run(ctx context.Context, log *slog.Logger, runID int64, res *Result) error {
	q := db.New(s.Pool)
	fetched := make(map[string]int64, len(s.Resources))
	for _, r := range s.Resources {
		start := time.Now()
		var n int64
		err := s.Source.Stream(ctx, r.Path, func(docs *extract.Documents) error {
			var err error
			n, err = landing.Copy(ctx, s.Pool, runID, r.Name, time.Now(), docs)
			return err
		})
		if err != nil {
			return fmt.Errorf("resource %s: extract and land: %w", r.Name, err)
		}
		if err := q.RunResourceFetched(ctx, db.RunResourceFetchedParams{RunID: runID, Resource: r.Name, Fetched: n}); err != nil {
			return fmt.Errorf("resource %s: record fetch count: %w", r.Name, err)
		}
		fetched[r.Name] = n
		log.InfoContext(ctx, "resource landed", "resource", r.Name, "documents", n, "elapsed", time.Since(start).Round(time.Millisecond))
	}

	var promoted []ResourceResult
	err := pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		qtx := q.WithTx(tx)
		for _, r := range s.Resources {
			c, err := r.Promote(ctx, qtx, runID)
			if err != nil {
				return fmt.Errorf("resource %s: promote to bronze: %w", r.Name, err)
			}
			c.Fetched = fetched[r.Name]
			if err := qtx.RunResourcePromoted(ctx, db.RunResourcePromotedParams{
				RunID: runID, Resource: r.Name,
				Inserted: c.Inserted, Updated: c.Updated, Unchanged: c.Unchanged,
			}); err != nil {
				return fmt.Errorf("resource %s: record counts: %w", r.Name, err)
			}
			promoted = append(promoted, ResourceResult{Resource: r.Name, Counts: c})
		}
		if err := refreshViews(ctx, tx, qtx); err != nil {
			return err
		}
		return qtx.RunFinish(ctx, db.RunFinishParams{RunID: runID, Status: StatusSucceeded})
	})
	if err == nil {
		res.Resources = promoted
	}
	return err
}

// refreshViews refreshes every applied materialized view, CONCURRENTLY so
// readers of gold keep seeing the previous contents until commit.
func refreshViews(ctx context.Context, tx pgx.Tx, q *db.Queries) error {
	names, err := q.ViewListMaterialized(ctx)
	if err != nil {
		return fmt.Errorf("list gold views: %w", err)
	}
	for _, name := range names {
		// name comes from meta.views, written only from our view files.
		ident := pgx.Identifier(strings.SplitN(name, ".", 2)).Sanitize()
		if _, err := tx.Exec(ctx, "REFRESH MATERIALIZED VIEW CONCURRENTLY "+ident); err != nil {
			return fmt.Errorf("refresh %s: %w", name, err)
		}
	}
	return nil
}
