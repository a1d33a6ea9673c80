// Package pipeline runs a sync: extract each resource, land it with COPY,
// check it against its contract, then promote the run into bronze and
// refresh gold in one transaction, and keep the run ledger. A replay is the
// same promotion from a run already landed.
package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"strings"
	"time"

	"github.com/avast/retry-go/v4"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
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

// Errors callers branch on.
var (
	// ErrLocked: another sync or replay holds the run lock.
	ErrLocked = errors.New("another sync or replay is running")
	// ErrShrink: an extract would soft-delete more of a table than
	// Options.MaxDeleteFraction allows.
	ErrShrink = errors.New("extract shrank more than the allowed delete fraction")
	// ErrDrift: the landed documents differ from their contract and
	// Options.FailOnDrift is set.
	ErrDrift = errors.New("schema drift from the contract")
	// ErrNotReplayable: the run asked to replay has no complete landing.
	ErrNotReplayable = errors.New("run cannot be replayed")
)

// runLockKey is the advisory lock one sync or replay holds at a time
// ("spacex-s" in ASCII).
const runLockKey int64 = 0x7370616365782d73

// Options tune a Syncer.
type Options struct {
	// LockTimeout is how long to wait for another run to finish; zero fails
	// at once with ErrLocked.
	LockTimeout time.Duration
	// MaxDeleteFraction is the largest share of a table's live rows one run
	// may soft-delete; more fails the run with ErrShrink unless ForceDeletes.
	MaxDeleteFraction float64
	ForceDeletes      bool
	// FailOnDrift fails the run when landed documents drift from their
	// contract; otherwise drift is recorded and logged.
	FailOnDrift bool
	// KeepRuns is how many runs' documents landing keeps (at least 1).
	KeepRuns int
}

// Counts is what a run did with one resource.
type Counts struct {
	// Fetched is the number of documents landed; Sanitized those of them
	// that had \u0000 replaced.
	Fetched, Sanitized int64
	// Duplicates repeated an id in the same extract; Rejected had no usable
	// id (and stop soft deletes for the resource that run);
	// BadValues are rows with values of the wrong type, set to NULL.
	Duplicates, Rejected, BadValues int64
	// Inserted, Updated and Unchanged split the distinct ids among new
	// bronze rows, rewritten rows and rows left as they were. Deleted rows
	// were soft-deleted; Revived ones (counted in Updated) came back.
	Inserted, Updated, Unchanged, Deleted, Revived int64
}

// ResourceResult pairs a resource with its counts and drift.
type ResourceResult struct {
	Resource string
	Counts
	Drift []db.DriftRecordRow
}

// Result is the outcome of a run.
type Result struct {
	RunID     int64
	Abandoned []int64 // earlier runs found dead and marked abandoned
	Resources []ResourceResult
}

// Syncer runs syncs of Resources from Source into the database behind Pool.
type Syncer struct {
	Pool      *pgxpool.Pool
	Source    extract.Source
	Resources []Resource
	// Contracts holds <resource>.json, the JSON types allowed per key.
	Contracts fs.FS
	Options   Options
	Logger    *slog.Logger
}

// Sync runs one sync and records it in the ledger. Landing commits per
// resource; bronze and gold change only if every resource landed and the
// whole promotion commits, so a failed sync leaves them exactly as they were.
// The returned error names the run and the resource at fault.
func (s *Syncer) Sync(ctx context.Context) (Result, error) {
	return s.do(ctx, s.Source.String(), func(ctx context.Context, runID int64) (map[string]landing.Landed, error) {
		return s.land(ctx, runID)
	})
}

// Replay promotes the documents an earlier run landed into bronze and gold
// again, as a new run, without calling the API.
func (s *Syncer) Replay(ctx context.Context, fromRunID int64) (Result, error) {
	return s.do(ctx, fmt.Sprintf("replay of run %d", fromRunID), func(ctx context.Context, runID int64) (map[string]landing.Landed, error) {
		return s.copyLanded(ctx, fromRunID, runID)
	})
}

// do runs fill (which lands the run's documents) and the promotion under
// the run lock, with the ledger kept.
func (s *Syncer) do(ctx context.Context, source string, fill func(context.Context, int64) (map[string]landing.Landed, error)) (res Result, err error) {
	lockConn, unlock, err := s.lock(ctx)
	if err != nil {
		return res, err
	}
	defer unlock()

	q := db.New(s.Pool)
	if res.Abandoned, err = q.RunAbandonStale(ctx); err != nil {
		return res, fmt.Errorf("mark abandoned runs: %w", err)
	}
	for _, id := range res.Abandoned {
		s.Logger.WarnContext(ctx, "earlier run marked abandoned: its process died mid-run", "abandoned_run_id", id)
	}
	if res.RunID, err = q.RunCreate(ctx, source); err != nil {
		return res, fmt.Errorf("open run in ledger: %w", err)
	}
	log := s.Logger.With("run_id", res.RunID)
	log.InfoContext(ctx, "run started", "source", source)

	res.Resources, err = s.run(ctx, log, lockConn, res.RunID, fill)
	if err == nil {
		log.InfoContext(ctx, "run succeeded")
		return res, nil
	}

	status := StatusFailed
	if ctx.Err() != nil {
		// Interrupted: say by what (a signal, say), and keep
		// context.Canceled in the chain for callers that branch on it.
		status = StatusCancelled
		if cause := context.Cause(ctx); !strings.Contains(err.Error(), cause.Error()) {
			err = fmt.Errorf("%w: %v", err, cause)
		}
		if !errors.Is(err, context.Canceled) {
			err = fmt.Errorf("%w (%w)", err, context.Canceled)
		}
	}
	// The run's own context may be what failed; the ledger must still hear.
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	// A few tries: after a server restart the pool's first connections are
	// dead, and each failed try discards one.
	ferr := retry.Do(func() error {
		return finish(fctx, q, res.RunID, status, err)
	}, retry.Context(fctx), retry.Attempts(4), retry.Delay(250*time.Millisecond), retry.LastErrorOnly(true),
		retry.RetryIf(func(err error) bool { return !errors.Is(err, errNotRunning) }))
	if ferr != nil {
		err = errors.Join(err, fmt.Errorf("record the failure in meta.runs: %w", ferr))
	} else if _, perr := q.LandingPrune(fctx, s.keepRuns()); perr != nil {
		log.WarnContext(ctx, "prune landing", "err", perr)
	}
	return res, fmt.Errorf("run %d %s: %w", res.RunID, status, err)
}

// errNotRunning: the run's ledger row is no longer 'running', because
// another run found this one's lock gone and marked it abandoned.
var errNotRunning = errors.New("the run is no longer marked running in meta.runs (another run marked it abandoned)")

// finish records a run's outcome; cause is nil on success.
func finish(ctx context.Context, q *db.Queries, runID int64, status string, cause error) error {
	msg := pgtype.Text{}
	if cause != nil {
		msg = pgtype.Text{String: cause.Error(), Valid: true}
	}
	n, err := q.RunFinish(ctx, db.RunFinishParams{RunID: runID, Status: status, Error: msg})
	if err == nil && n != 1 {
		return errNotRunning
	}
	return err
}

// lock takes the run lock on a connection held until unlock. The promotion
// runs on that same connection: if its session is lost (a server restart,
// a terminated backend), the lock is gone and so is the promotion, so a run
// can never commit without holding the lock.
func (s *Syncer) lock(ctx context.Context) (conn *pgxpool.Conn, unlock func(), err error) {
	conn, err = s.Pool.Acquire(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("take the run lock: %w", err)
	}
	q := db.New(conn)
	locked := false
	if s.Options.LockTimeout <= 0 {
		locked, err = q.RunLockTry(ctx, runLockKey)
	} else {
		err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			qtx := q.WithTx(tx)
			ms := fmt.Sprintf("%dms", max(1, s.Options.LockTimeout.Milliseconds()))
			if err := qtx.RunLockTimeout(ctx, ms); err != nil {
				return err
			}
			return qtx.RunLockWait(ctx, runLockKey)
		})
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Code == "55P03" { // lock_not_available
			err = nil
		} else {
			locked = err == nil
		}
	}
	if err != nil {
		conn.Release()
		return nil, nil, fmt.Errorf("take the run lock: %w", err)
	}
	if !locked {
		defer conn.Release()
		holder := "another run"
		if r, err := q.RunRunning(ctx); err == nil {
			holder = fmt.Sprintf("run %d (%s, started %s)", r.RunID, r.Source, r.StartedAt.Time.Format(time.RFC3339))
		}
		if s.Options.LockTimeout > 0 {
			return nil, nil, fmt.Errorf("%w: %s still holds the lock after %s", ErrLocked, holder, s.Options.LockTimeout)
		}
		return nil, nil, fmt.Errorf("%w: %s holds the lock", ErrLocked, holder)
	}
	return conn, func() {
		uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if err := q.RunUnlock(uctx, runLockKey); err != nil {
			// Closing the session releases the lock for certain.
			conn.Conn().Close(uctx)
		}
		conn.Release()
	}, nil
}

func (s *Syncer) keepRuns() int32 { return int32(max(1, s.Options.KeepRuns)) }

func (s *Syncer) run(ctx context.Context, log *slog.Logger, lockConn *pgxpool.Conn, runID int64, fill func(context.Context, int64) (map[string]landing.Landed, error)) ([]ResourceResult, error) {
	landed, err := fill(ctx, runID)
	if err != nil {
		return nil, err
	}
	drift, err := s.checkDrift(ctx, log, runID)
	if err != nil {
		return nil, err
	}
	tx, err := lockConn.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("begin promotion (on the run lock's session): %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	out, err := s.promoteAll(ctx, log, tx, runID, landed, drift)
	if err != nil {
		return nil, err
	}
	// Once COMMIT is sent, its outcome is the run's: a signal arriving now
	// must not turn a committed run into one reported as rolled back.
	if err := tx.Commit(context.WithoutCancel(ctx)); err != nil {
		return nil, fmt.Errorf("commit promotion: %w", err)
	}
	return out, nil
}

// promoteAll is the promotion transaction: every resource into bronze, the
// gold refresh, landing pruning, and the run's success.
func (s *Syncer) promoteAll(ctx context.Context, log *slog.Logger, tx pgx.Tx, runID int64, landed map[string]landing.Landed, drift map[string][]db.DriftRecordRow) ([]ResourceResult, error) {
	q := db.New(tx)
	if err := q.RunUTC(ctx); err != nil {
		return nil, err
	}
	var out []ResourceResult
	for _, r := range s.Resources {
		c, err := s.promote(ctx, log, q, runID, r)
		if err != nil {
			return nil, fmt.Errorf("resource %s: %w", r.Name, err)
		}
		c.Fetched, c.Sanitized = landed[r.Name].Documents, landed[r.Name].Sanitized
		out = append(out, ResourceResult{Resource: r.Name, Counts: c, Drift: drift[r.Name]})
	}
	if err := refreshViews(ctx, tx, q); err != nil {
		return nil, err
	}
	if _, err := q.LandingPrune(ctx, s.keepRuns()); err != nil {
		return nil, fmt.Errorf("prune landing: %w", err)
	}
	if err := finish(ctx, q, runID, StatusSucceeded, nil); err != nil {
		return nil, fmt.Errorf("record success: %w", err)
	}
	return out, nil
}

// land extracts every resource into landing, one COPY each.
func (s *Syncer) land(ctx context.Context, runID int64) (map[string]landing.Landed, error) {
	q := db.New(s.Pool)
	landed := make(map[string]landing.Landed, len(s.Resources))
	for _, r := range s.Resources {
		start := time.Now()
		var l landing.Landed
		err := s.Source.Stream(ctx, r.Path, func(docs *extract.Documents) error {
			var err error
			l, err = landing.Copy(ctx, s.Pool, runID, r.Name, time.Now(), docs)
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("resource %s: extract and land: %w", r.Name, err)
		}
		if err := q.RunResourceFetched(ctx, db.RunResourceFetchedParams{
			RunID: runID, Resource: r.Name, Fetched: l.Documents, Sanitized: l.Sanitized,
		}); err != nil {
			return nil, fmt.Errorf("resource %s: record fetch count: %w", r.Name, err)
		}
		landed[r.Name] = l
		s.Logger.InfoContext(ctx, "resource landed", "run_id", runID, "resource", r.Name,
			"documents", l.Documents, "sanitized", l.Sanitized, "elapsed", time.Since(start).Round(time.Millisecond))
	}
	return landed, nil
}

// copyLanded lands a copy of a complete earlier run under runID.
func (s *Syncer) copyLanded(ctx context.Context, fromRunID, runID int64) (map[string]landing.Landed, error) {
	q := db.New(s.Pool)
	rows, err := q.RunResourcesLanded(ctx, fromRunID)
	if err != nil {
		return nil, fmt.Errorf("read run %d: %w", fromRunID, err)
	}
	landed := map[string]landing.Landed{}
	var total int64
	for _, r := range rows {
		landed[r.Resource] = landing.Landed{Documents: r.Fetched, Sanitized: r.Sanitized}
		total += r.Fetched
	}
	for _, r := range s.Resources {
		if _, ok := landed[r.Name]; !ok {
			return nil, fmt.Errorf("%w: run %d did not land resource %s", ErrNotReplayable, fromRunID, r.Name)
		}
	}
	if have, err := q.LandingCount(ctx, fromRunID); err != nil {
		return nil, err
	} else if have != total {
		return nil, fmt.Errorf("%w: run %d's documents are no longer in landing (it keeps the last %d runs)", ErrNotReplayable, fromRunID, s.keepRuns())
	}
	return landed, pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		qtx := q.WithTx(tx)
		if _, err := qtx.LandingCopyRun(ctx, db.LandingCopyRunParams{RunID: runID, FromRunID: fromRunID}); err != nil {
			return fmt.Errorf("copy run %d's landing: %w", fromRunID, err)
		}
		for name, l := range landed {
			if err := qtx.RunResourceFetched(ctx, db.RunResourceFetchedParams{
				RunID: runID, Resource: name, Fetched: l.Documents, Sanitized: l.Sanitized,
			}); err != nil {
				return err
			}
		}
		return nil
	})
}

// checkDrift records how each resource's landed documents differ from its
// contract and, with FailOnDrift, fails on any difference.
func (s *Syncer) checkDrift(ctx context.Context, log *slog.Logger, runID int64) (map[string][]db.DriftRecordRow, error) {
	q := db.New(s.Pool)
	out := map[string][]db.DriftRecordRow{}
	var failures []string
	for _, r := range s.Resources {
		contract, err := fs.ReadFile(s.Contracts, r.Name+".json")
		if err != nil {
			return nil, fmt.Errorf("resource %s: read contract: %w", r.Name, err)
		}
		rows, err := q.DriftRecord(ctx, db.DriftRecordParams{RunID: runID, Resource: r.Name, Contract: contract})
		if err != nil {
			return nil, fmt.Errorf("resource %s: drift check: %w", r.Name, err)
		}
		out[r.Name] = rows
		for _, d := range rows {
			log.WarnContext(ctx, "schema drift", "resource", r.Name, "key", d.Key, "change", d.Change,
				"expected", d.Expected.String, "observed", d.Observed.String, "documents", d.Documents)
		}
		if len(rows) > 0 {
			failures = append(failures, fmt.Sprintf("resource %s: %s", r.Name, DescribeDrift(rows)))
		}
	}
	if s.Options.FailOnDrift && len(failures) > 0 {
		return nil, fmt.Errorf("%w: %s", ErrDrift, strings.Join(failures, "; "))
	}
	return out, nil
}

// DescribeDrift summarises drift rows in one line.
func DescribeDrift(rows []db.DriftRecordRow) string {
	parts := make([]string, len(rows))
	for i, d := range rows {
		switch d.Change {
		case "new_key":
			parts[i] = fmt.Sprintf("new key %q (%s)", d.Key, d.Observed.String)
		case "missing_key":
			parts[i] = fmt.Sprintf("key %q missing from %d documents", d.Key, d.Documents)
		default:
			parts[i] = fmt.Sprintf("key %q is %s in %d documents, contract allows %s", d.Key, d.Observed.String, d.Documents, d.Expected.String)
		}
	}
	return strings.Join(parts, ", ")
}

// promote moves one resource from landing into bronze inside the promotion
// transaction: guard against a suspect shrink, upsert, soft-delete what the
// complete extract lacks, and count.
func (s *Syncer) promote(ctx context.Context, log *slog.Logger, q *db.Queries, runID int64, r Resource) (Counts, error) {
	stats, err := q.LandingStats(ctx, db.LandingStatsParams{RunID: runID, Resource: r.Name})
	if err != nil {
		return Counts{}, fmt.Errorf("count duplicates: %w", err)
	}
	// An extract with documents we cannot key is not verified complete: a
	// record missing from it may be one of them, so nothing is deleted.
	verified := stats.Rejected == 0
	missing, err := q.BronzeMissing(ctx, db.BronzeMissingParams{TableName: r.Table, RunID: runID, Resource: r.Name})
	if err != nil {
		return Counts{}, fmt.Errorf("count missing records: %w", err)
	}
	if !verified && missing.Missing > 0 {
		log.WarnContext(ctx, "documents without a usable id: records missing from this extract are not soft-deleted",
			"resource", r.Name, "rejected", stats.Rejected, "missing", missing.Missing)
	}
	if verified && missing.Missing > 0 && !s.Options.ForceDeletes &&
		float64(missing.Missing) > s.Options.MaxDeleteFraction*float64(missing.Live) {
		return Counts{}, fmt.Errorf("%w: the extract lacks %d of %d live rows of %s (%.1f%%, more than %.1f%%)",
			ErrShrink, missing.Missing, missing.Live, r.Table,
			100*float64(missing.Missing)/float64(missing.Live), 100*s.Options.MaxDeleteFraction)
	}
	up, err := r.Promote(ctx, q, runID)
	if err != nil {
		return Counts{}, fmt.Errorf("promote to bronze: %w", err)
	}
	var deleted int64
	if verified {
		deleted, err = q.BronzeSoftDeleteMissing(ctx, db.BronzeSoftDeleteMissingParams{TableName: r.Table, RunID: runID, Resource: r.Name})
		if err != nil {
			return Counts{}, fmt.Errorf("soft-delete missing records: %w", err)
		}
	}
	c := Counts{
		Duplicates: stats.Duplicates, Rejected: stats.Rejected, BadValues: up.BadValues,
		Inserted: up.Inserted, Updated: up.Updated, Unchanged: up.Documents - up.Inserted - up.Updated,
		Deleted: deleted, Revived: up.Revived,
	}
	if err := q.RunResourcePromoted(ctx, db.RunResourcePromotedParams{
		RunID: runID, Resource: r.Name,
		Duplicates: c.Duplicates, Rejected: c.Rejected, BadValues: c.BadValues,
		Inserted: c.Inserted, Updated: c.Updated, Unchanged: c.Unchanged,
		Deleted: c.Deleted, Revived: c.Revived,
	}); err != nil {
		return Counts{}, fmt.Errorf("record counts: %w", err)
	}
	return c, nil
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
