package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/avast/retry-go/v4"
	"github.com/jackc/pgx/v5"
	"golang.org/x/sync/errgroup"

	"github.com/spacex-elt/loader/internal/db/dbsqlc"
	"github.com/spacex-elt/loader/internal/drift"
	"github.com/spacex-elt/loader/internal/landing"
	"github.com/spacex-elt/loader/internal/ledger"
)

// A run is one sync or replay. It owns what its steps share: its id and
// logger, the schema version it promotes under, its promotion transaction,
// and the group of its goroutines, which the first error stops. The steps
// hand each other values, and do builds the Result from them.
type run struct {
	*Syncer
	id       int64
	contract Contract
	log      *slog.Logger
	// schema is meta.transform_version(): the migrations and functions
	// that decide what bronze holds for a document.
	schema string
	tx     pgx.Tx
	work   *errgroup.Group
	// found carries the drift checks' findings: each promoted resource
	// starts one check, which sends once, so a buffer of one per resource
	// never blocks.
	found chan found
	// landed is closed when the landing has ended. The drift checks wait
	// for it: a check reads every document a first extract holds, and,
	// run beside the landing and the promotion, it took the CPU the
	// promotion waits on (two cores at 1,000 times the snapshot); after the
	// landing it has one to itself.
	landed chan struct{}
}

// fill finds a run's extract of every resource, in the registry's order,
// landing what it must and recording it in the ledger, and hands each on
// as soon as it has it: a sync lands (land.go), a replay reuses an earlier
// run's landing (replay.go).
type fill func(ctx context.Context, r *run, hand func(handoff) error) error

// handoff is what fill hands the promotion of one resource: its extract,
// how the source answered, and what bronze holds of it now (the ledger
// state fill read, so that the promotion need not read it again).
type handoff struct {
	extract          ledger.Extract
	status, attempts int
	// waited is the time the source spent waiting between attempts.
	waited, landing time.Duration
	// current is the resource's state in the last succeeded run; known is
	// false when no run has succeeded with it.
	current ledger.State
	known   bool
}

// found is the drift of the i-th resource.
type found struct {
	i       int
	changes []drift.Change
}

// do runs a sync or replay under the run lock, with the ledger kept: it
// opens the run, runs it, and then prunes landing if it succeeded, or
// records its failure. A failed run prunes nothing: the extracts it
// would drop may be what the next replay needs. The run is recorded with
// its contract mode, ContractWarn when contract is empty.
func (s *Syncer) do(ctx context.Context, source string, contract Contract, fill fill) (Result, error) {
	if contract == "" {
		contract = ContractWarn
	}
	lock, err := ledger.TakeRunLock(ctx, s.Pool, s.Options.LockTimeout)
	if err != nil {
		return Result{}, err
	}
	// Released after a failure is recorded: until then the lock is held, so
	// no other run can take the run for a dead one and mark it abandoned.
	defer lock.Release()

	abandoned, err := q.RunAbandonStale(ctx, s.Pool)
	if err != nil {
		return Result{}, fmt.Errorf("mark abandoned runs: %w", err)
	}
	for _, id := range abandoned {
		s.Logger.WarnContext(ctx, "earlier run marked abandoned: its process died mid-run", "abandoned_run_id", id)
	}
	id, err := q.RunCreate(ctx, s.Pool, dbsqlc.RunCreateParams{Source: source, Contract: string(contract), Pid: lock.PID})
	if err != nil {
		return Result{Abandoned: abandoned, Contract: contract}, fmt.Errorf("open run in ledger: %w", err)
	}
	r := &run{Syncer: s, id: id, contract: contract, log: s.Logger.With("run_id", id)}
	r.log.InfoContext(ctx, "run started", "source", source, "contract", contract)

	promoted, views, err := r.run(ctx, lock, fill)
	pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	res := Result{RunID: id, Contract: contract, Abandoned: abandoned, Resources: promoted, ViewsRefreshed: views}
	if err == nil {
		r.log.InfoContext(ctx, "run succeeded", "views_refreshed", views)
		return res, nil
	}
	// The promotion did not commit: nothing it counted was written.
	for i := range res.Resources {
		res.Resources[i].Counts = ledger.Counts{}
		res.Resources[i].PromotionDuration = 0
	}
	return res, r.fail(ctx, pctx, err)
}

// run lands and promotes: each resource is promoted, in one transaction
// within the run lock's (a savepoint, committed with it), as soon as fill
// has it, so that a resource is promoted while the next one is still
// landing, and its drift is checked meanwhile. The transaction commits only when every resource landed and
// promoted, and, under ContractFail, none drifted. It returns what it did
// with each resource it got to, and the gold views refreshed.
func (r *run) run(ctx context.Context, lock *ledger.Lock, fill fill) (promoted []ResourceResult, views []string, err error) {
	if r.schema, err = q.BronzeTransformVersion(ctx, r.Pool); err != nil {
		return nil, nil, fmt.Errorf("read the transform version (has `loader migrate` applied db/functions?): %w", err)
	}
	if r.tx, err = lock.Tx.Begin(ctx); err != nil {
		return nil, nil, fmt.Errorf("begin promotion (in the run lock's transaction): %w", err)
	}
	defer r.tx.Rollback(context.WithoutCancel(ctx))

	// The first error stops the others: a landing that fails cancels the
	// promotion, and the other way round.
	work, wctx := errgroup.WithContext(ctx)
	r.work, r.found, r.landed = work, make(chan found, len(r.Resources)), make(chan struct{})
	extracts := make(chan handoff, len(r.Resources))
	work.Go(func() error {
		defer close(r.landed)
		err := fill(wctx, r, func(h handoff) error {
			select {
			case extracts <- h:
				return nil
			case <-wctx.Done():
				return context.Cause(wctx)
			}
		})
		if err == nil {
			// Closed only when complete: a failed landing stops the
			// promotion through wctx, whose cause is its error, so the
			// promotion cannot report an error of its own first.
			close(extracts)
		}
		return err
	})
	work.Go(func() (err error) {
		promoted, views, err = r.promote(wctx, extracts)
		return err
	})
	if err := work.Wait(); err != nil {
		return promoted, views, err
	}
	close(r.found)
	for f := range r.found {
		promoted[f.i].Drift = f.changes
	}
	var failures []string
	for _, p := range promoted {
		if len(p.Drift) > 0 {
			failures = append(failures, fmt.Sprintf("resource %s: %s", p.Resource, drift.Describe(p.Drift)))
		}
	}
	if r.contract == ContractFail && len(failures) > 0 {
		return promoted, views, fmt.Errorf("%w: %s", ErrDrift, strings.Join(failures, "; "))
	}
	// Once COMMIT is sent, its outcome is the run's: a signal arriving now
	// must not turn a committed run into one reported as rolled back.
	if err := r.tx.Commit(context.WithoutCancel(ctx)); err != nil {
		return promoted, views, fmt.Errorf("commit promotion: %w", err)
	}
	// Landing keeps what kept runs read; the rest goes, under the lock,
	// between runs, and only if the run commits.
	r.prune(ctx, lock.Tx)
	if err := lock.Commit(ctx); err != nil {
		return promoted, views, fmt.Errorf("commit promotion: %w", err)
	}
	return promoted, views, nil
}

// prune drops the landing manifests no kept run reads, and the documents
// no manifest left names, in a savepoint of
// the run lock's transaction. A failure is only logged, and undoes only the
// prune: the next run prunes again.
func (r *run) prune(ctx context.Context, lockTx pgx.Tx) {
	// The run is done: a signal now must not stop the prune half way.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	var dropped []int64
	err := pgx.BeginFunc(ctx, lockTx, func(tx pgx.Tx) (err error) {
		dropped, err = landing.Prune(ctx, tx, r.Options.KeepRuns)
		return err
	})
	if err != nil {
		r.log.WarnContext(ctx, "prune landing", "err", err)
	} else if len(dropped) > 0 {
		r.log.DebugContext(ctx, "landing pruned", "runs", dropped)
	}
}

// fail records in the ledger that the run failed, or was cancelled when
// ctx was, and returns err naming the run and that status. The ledger is
// written with fctx: the run's own context may be what failed.
func (r *run) fail(ctx, fctx context.Context, err error) error {
	status := ledger.StatusFailed
	if ctx.Err() != nil {
		// Interrupted: say by what (a signal, say), and keep
		// context.Canceled in the chain for callers that branch on it.
		status = ledger.StatusCancelled
		if cause := context.Cause(ctx); !strings.Contains(err.Error(), cause.Error()) {
			err = fmt.Errorf("%w: %v", err, cause)
		}
		if !errors.Is(err, context.Canceled) {
			err = fmt.Errorf("%w (%w)", err, context.Canceled)
		}
	}
	// A few tries over about 8 s: after a server restart the pool's first
	// connections are dead, each failed try discards one, and a loaded
	// server takes seconds to accept connections again.
	ferr := retry.Do(func() error {
		return ledger.Finish(fctx, r.Pool, r.id, status, err)
	}, retry.Context(fctx), retry.Attempts(6), retry.Delay(250*time.Millisecond), retry.MaxDelay(4*time.Second), retry.LastErrorOnly(true),
		retry.RetryIf(func(err error) bool { return !errors.Is(err, ledger.ErrNotRunning) }))
	if ferr != nil {
		err = errors.Join(err, fmt.Errorf("record the failure in meta.runs: %w", ferr))
	}
	return fmt.Errorf("run %d %s: %w", r.id, status, err)
}
