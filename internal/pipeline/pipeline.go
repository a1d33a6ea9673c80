// Package pipeline runs a sync: extract each resource, land what changed
// with COPY, check it against its contract, then promote the run into
// bronze and refresh gold in one transaction, keeping the run ledger. A
// replay is the same promotion from a run already landed. The steps live
// in their own packages (extract, landing, drift, gold, ledger) and in SQL;
// this one puts them in order:
//
//   - run.go: a run's life, from the run lock to its outcome in the ledger;
//   - land.go: which resources land, and which reuse an earlier landing;
//   - promote.go: the promotion of each resource into bronze (the calls
//     of db/functions/bronze.sql, and the shrink guard), and its drift check;
//   - replay.go: a replay's extracts, taken from an earlier run.
package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/spacex-elt/loader/internal/db/dbsqlc"
	"github.com/spacex-elt/loader/internal/drift"
	"github.com/spacex-elt/loader/internal/extract"
	"github.com/spacex-elt/loader/internal/ledger"
	"github.com/spacex-elt/loader/internal/resources"
)

// q runs the generated queries; each call takes its connection.
var q = dbsqlc.New()

// Errors callers branch on.
var (
	// ErrLocked: another session holds the run lock, a sync or replay's or
	// (a writer's or the owner's) another; the error names which.
	ErrLocked = ledger.ErrLocked
	// ErrShrink: an extract would soft-delete more of a table than
	// Options.MaxDeleteFraction allows.
	ErrShrink = errors.New("extract shrank more than the allowed delete fraction")
	// ErrRejected: more of an extract's documents have no usable id than
	// Options.MaxRejectFraction allows.
	ErrRejected = errors.New("too many documents without a usable id")
	// ErrDrift: the landed documents differ from their contract and the
	// run's contract mode is ContractFail.
	ErrDrift = errors.New("schema drift from the contract")
	// ErrNoRun: the run asked to replay is not in the ledger; the replay
	// opened no run of its own.
	ErrNoRun = ledger.ErrNoRun
	// ErrNotReplayable: the run asked to replay has no complete landing.
	ErrNotReplayable = errors.New("run cannot be replayed")
)

// Status is the outcome of a Sync or Replay that returned err, as the
// summary and the metrics report it: locked when no run was opened for
// the lock, cancelled when interrupted, failed for any other error.
func Status(err error) ledger.Status {
	switch {
	case err == nil:
		return ledger.StatusSucceeded
	case errors.Is(err, ErrLocked):
		return ledger.StatusLocked
	case errors.Is(err, context.Canceled):
		return ledger.StatusCancelled
	}
	return ledger.StatusFailed
}

// Options tune a Syncer.
type Options struct {
	// LockTimeout is how long to wait for another run to finish; zero fails
	// at once with ErrLocked.
	LockTimeout time.Duration
	// MaxDeleteFraction is the largest share of a table's live rows one run
	// may soft-delete; more fails with ErrShrink unless ForceDeletes, or
	// the resource is in ForceDeletesOf, or it is at most AllowDeletes rows.
	MaxDeleteFraction float64
	// ForceDeletes lifts the guard for every resource; ForceDeletesOf for
	// the resources it names.
	ForceDeletes   bool
	ForceDeletesOf []string
	// AllowDeletes is how many rows of a table a run may always
	// soft-delete, whatever their share: one rocket of four is 25%, and a
	// guard that trips on it gets forced for every resource.
	AllowDeletes int
	// MaxRejectFraction is the largest share of a resource's extracted
	// documents that may lack a usable id (ledger.Counts.Rejected); more
	// fails the run with ErrRejected: an extract that is mostly garbage
	// must not pass as a run that succeeded.
	MaxRejectFraction float64
	// MaxDocumentBytes is the largest document landed as it is; a larger
	// one lands as a JSON string saying its size, which the promotion
	// rejects like a document without an id (MaxRejectFraction applies),
	// and is never held in memory whole.
	MaxDocumentBytes int64
	// Contract is what drift of the landed documents from their contract
	// does. Empty: ContractWarn for a sync, and for a replay the mode its
	// run was recorded with (ContractWarn when it has none).
	Contract Contract
	// KeepRuns is how many runs' landing extracts are kept (at least 1),
	// besides those a kept run still reads.
	KeepRuns int
}

// Check says which option, if any, is out of range, named by the flag of
// cmd/loader that sets it.
func (o Options) Check() error {
	for name, v := range map[string]float64{"delete": o.MaxDeleteFraction, "reject": o.MaxRejectFraction} {
		if v < 0 || v > 1 {
			return fmt.Errorf("--max-%s-fraction %g: want 0 to 1", name, v)
		}
	}
	if o.MaxDocumentBytes < 1 {
		return fmt.Errorf("--max-document-bytes %d: must be at least 1", o.MaxDocumentBytes)
	}
	if o.AllowDeletes < 0 {
		return fmt.Errorf("--allow-deletes %d: want 0 or more", o.AllowDeletes)
	}
	if o.KeepRuns < 1 {
		return fmt.Errorf("--keep-runs %d: must be at least 1", o.KeepRuns)
	}
	return nil
}

// Contract is what drift from a resource's contract does to a run; the
// ledger records it with the run (meta.runs.contract).
type Contract string

// Contract modes.
const (
	ContractWarn Contract = "warn" // drift is recorded and logged
	ContractFail Contract = "fail" // drift is recorded, and fails the run
)

// Result is the outcome of a run.
type Result struct {
	RunID int64
	// Contract is the contract mode the run ran under.
	Contract  Contract
	Abandoned []int64 // earlier runs found dead and marked abandoned
	// Resources are the resources promoted, in the registry's order (of a
	// run that failed, those it got to, with zero counts: nothing it
	// counted was committed).
	Resources []ResourceResult
	// ViewsRefreshed are the gold views the run refreshed: those reading a
	// table it changed.
	ViewsRefreshed []string
}

// ResourceResult is what a run did with one resource.
type ResourceResult struct {
	Resource string
	ledger.Extract
	// HTTPStatus is the status of the source's answer (200, 304 when not
	// modified, 404 for an absent resource), and Attempts the requests it
	// took; both 0 when the source is not HTTP, or for a replay.
	HTTPStatus, Attempts int
	// RetryWait is the time spent waiting between those attempts.
	RetryWait time.Duration
	ledger.Counts
	Drift []drift.Change
	// LandingDuration is how long extracting and landing took;
	// PromotionDuration how long the promotion took (zero when skipped, or
	// when the run did not commit).
	LandingDuration, PromotionDuration time.Duration
}

// Progress hears what a run is doing, for a live display. Its methods are
// called from the run's goroutines, one resource at a time for each kind
// of call.
type Progress interface {
	// Landing reports the documents and bytes of a resource landed so far
	// (again from zero when an attempt is retried). A stream that fails is
	// not reported at its end, but may have been in part before: a file of
	// a MiB and more streams while its hash decides whether it is landed.
	Landing(resource string, documents, bytes int64)
	// Promoting reports that a resource's promotion into bronze began.
	Promoting(resource string)
	// Done reports that a resource is promoted, skipped or absent.
	Done(resource string)
}

// Syncer runs syncs of Resources from Source into the database behind Pool.
type Syncer struct {
	Pool      *pgxpool.Pool
	Source    extract.Source
	Resources []resources.Resource
	// Contracts holds <resource>.json, the JSON types allowed per key.
	Contracts fs.FS
	Options   Options
	Logger    *slog.Logger
	// Progress, when set, hears of each resource's landing and promotion.
	Progress Progress
}

// Sync runs one sync and records it in the ledger. A resource whose
// extract is unchanged since the last succeeded run (HTTP 304, the same
// snapshot file) is neither downloaded nor landed again; one that changed
// lands with one COPY. Bronze and gold change only if every resource
// landed and the whole promotion commits, so a failed sync leaves them
// exactly as they were. The returned error names the run and the resource
// at fault.
func (s *Syncer) Sync(ctx context.Context) (Result, error) {
	return s.do(ctx, s.Source.String(), s.Options.Contract, func(ctx context.Context, r *run, hand func(handoff) error) error {
		return r.land(ctx, hand)
	})
}

// Replay promotes the documents an earlier run extracted into bronze and
// gold again, as a new run, without calling the API, under the contract
// mode that run was recorded with unless Options.Contract says otherwise:
// documents a run was refused for under ContractFail are not promoted by
// its replay under a default. A fromRunID the ledger lacks fails with
// ErrNoRun before anything is recorded or pruned: it is a mistaken
// argument, not a run.
func (s *Syncer) Replay(ctx context.Context, fromRunID int64) (Result, error) {
	from, err := ledger.Get(ctx, s.Pool, fromRunID)
	if err != nil {
		return Result{}, err
	}
	contract := s.Options.Contract
	if contract == "" {
		contract = Contract(from.Contract)
	}
	return s.do(ctx, fmt.Sprintf("replay of run %d", fromRunID), contract, func(ctx context.Context, r *run, hand func(handoff) error) error {
		return r.reuse(ctx, fromRunID, hand)
	})
}
