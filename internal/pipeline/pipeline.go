// Package pipeline runs a sync: extract each resource, land what changed
// with COPY, check it against its contract, then promote the run into
// bronze and refresh gold in one transaction, keeping the run ledger. A
// replay is the same promotion from a run already landed. The steps live
// in their own packages (extract, landing, drift, promote, ledger); this
// one puts them in order.
package pipeline

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"strings"
	"time"

	"github.com/avast/retry-go/v4"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/sync/errgroup"

	"github.com/spacex-elt/loader/internal/db/dbsqlc"
	"github.com/spacex-elt/loader/internal/drift"
	"github.com/spacex-elt/loader/internal/extract"
	"github.com/spacex-elt/loader/internal/gold"
	"github.com/spacex-elt/loader/internal/landing"
	"github.com/spacex-elt/loader/internal/ledger"
	"github.com/spacex-elt/loader/internal/promote"
	"github.com/spacex-elt/loader/internal/resources"
)

// q runs the generated queries; each call takes its connection.
var q = dbsqlc.New()

// Errors callers branch on.
var (
	// ErrLocked: another sync or replay holds the run lock.
	ErrLocked = ledger.ErrLocked
	// ErrShrink: an extract would soft-delete more of a table than
	// Options.Promotion.MaxDeleteFraction allows.
	ErrShrink = promote.ErrShrink
	// ErrDrift: the landed documents differ from their contract and
	// Options.FailOnDrift is set.
	ErrDrift = errors.New("schema drift from the contract")
	// ErrNotReplayable: the run asked to replay has no complete landing.
	ErrNotReplayable = errors.New("run cannot be replayed")
)

// Options tune a Syncer.
type Options struct {
	// LockTimeout is how long to wait for another run to finish; zero fails
	// at once with ErrLocked.
	LockTimeout time.Duration
	// Promotion guards bronze against an extract that shrank.
	Promotion promote.Options
	// FailOnDrift fails the run when landed documents drift from their
	// contract; otherwise drift is recorded and logged.
	FailOnDrift bool
	// KeepRuns is how many runs' landing partitions are kept (at least 1),
	// besides those a kept run still reads.
	KeepRuns int
}

// ResourceResult is what a run did with one resource.
type ResourceResult struct {
	Resource string
	ledger.Extract
	// HTTPStatus is the status of the source's answer (200, 304 when not
	// modified, 404 for an absent resource), and Attempts the requests it
	// took; both 0 when the source is not HTTP, or for a replay.
	HTTPStatus, Attempts int
	ledger.Counts
	Drift []drift.Change
	// LandingDuration is how long extracting and landing took;
	// PromotionDuration how long the promotion took (zero when skipped, or
	// when the run did not commit).
	LandingDuration, PromotionDuration time.Duration
}

// extracted is a resource's extract as a run's fill hands it on.
type extracted struct {
	ledger.Extract
	status, attempts int
	landing          time.Duration
}

// Result is the outcome of a run.
type Result struct {
	RunID     int64
	Abandoned []int64 // earlier runs found dead and marked abandoned
	Resources []ResourceResult
	// ViewsRefreshed are the gold views the run refreshed: those reading a
	// table it changed.
	ViewsRefreshed []string
}

// Progress hears what a run is doing, for a live display. Its methods are
// called from the run's goroutines, one resource at a time for each kind
// of call.
type Progress interface {
	// Landing reports the documents and bytes of a resource landed so far
	// (again from zero when an attempt is retried).
	Landing(resource string, documents, bytes int64)
	// Promoting reports that a resource's promotion into bronze began.
	Promoting(resource string)
	// Done reports that a resource is promoted, skipped or absent.
	Done(resource string)
}

// progressEvery is how many documents pass between Landing reports.
const progressEvery = 500

// counted reports a stream's documents to Progress as they pass.
type counted struct {
	landing.Documents
	resource        string
	progress        Progress
	documents, size int64
}

func (c *counted) Next() bool {
	if !c.Documents.Next() {
		c.progress.Landing(c.resource, c.documents, c.size)
		return false
	}
	c.documents++
	c.size += int64(len(c.Raw()))
	if c.documents%progressEvery == 0 {
		c.progress.Landing(c.resource, c.documents, c.size)
	}
	return true
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
	return s.do(ctx, s.Source.String(), s.land)
}

// Replay promotes the documents an earlier run extracted into bronze and
// gold again, as a new run, without calling the API.
func (s *Syncer) Replay(ctx context.Context, fromRunID int64) (Result, error) {
	return s.do(ctx, fmt.Sprintf("replay of run %d", fromRunID), func(ctx context.Context, runID int64, landed func(extracted) error) error {
		return s.reuse(ctx, fromRunID, runID, landed)
	})
}

// fill finds a run's extract of every resource, in the registry's order,
// landing what it must and recording it in the ledger, and hands each to
// landed as soon as it has it.
type fill func(ctx context.Context, runID int64, landed func(extracted) error) error

// do runs fill and the promotion under the run lock, with the ledger kept.
func (s *Syncer) do(ctx context.Context, source string, fill fill) (res Result, err error) {
	lockConn, unlock, err := ledger.Lock(ctx, s.Pool, s.Options.LockTimeout)
	if err != nil {
		return res, err
	}
	defer unlock()

	if res.Abandoned, err = q.RunAbandonStale(ctx, s.Pool); err != nil {
		return res, fmt.Errorf("mark abandoned runs: %w", err)
	}
	for _, id := range res.Abandoned {
		s.Logger.WarnContext(ctx, "earlier run marked abandoned: its process died mid-run", "abandoned_run_id", id)
	}
	if res.RunID, err = q.RunCreate(ctx, s.Pool, source); err != nil {
		return res, fmt.Errorf("open run in ledger: %w", err)
	}
	log := s.Logger.With("run_id", res.RunID)
	log.InfoContext(ctx, "run started", "source", source)

	err = s.run(ctx, log, lockConn, &res, fill)
	// Landing keeps what kept runs read; the rest goes, whatever the outcome.
	pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	defer func() {
		if dropped, perr := landing.Prune(pctx, s.Pool, s.Options.KeepRuns); perr != nil {
			log.WarnContext(ctx, "prune landing", "err", perr)
		} else if len(dropped) > 0 {
			log.DebugContext(ctx, "landing pruned", "runs", dropped)
		}
	}()
	if err == nil {
		log.InfoContext(ctx, "run succeeded", "views_refreshed", res.ViewsRefreshed)
		return res, nil
	}

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
	// The run's own context may be what failed; the ledger must still hear.
	// A few tries over about 8 s: after a server restart the pool's first
	// connections are dead, each failed try discards one, and a loaded
	// server takes seconds to accept connections again.
	ferr := retry.Do(func() error {
		return ledger.Finish(pctx, s.Pool, res.RunID, status, err)
	}, retry.Context(pctx), retry.Attempts(6), retry.Delay(250*time.Millisecond), retry.MaxDelay(4*time.Second), retry.LastErrorOnly(true),
		retry.RetryIf(func(err error) bool { return !errors.Is(err, ledger.ErrNotRunning) }))
	if ferr != nil {
		err = errors.Join(err, fmt.Errorf("record the failure in meta.runs: %w", ferr))
	}
	return res, fmt.Errorf("run %d %s: %w", res.RunID, status, err)
}

// run promotes each resource, in one transaction on the run lock's
// session, as soon as fill has it, so that a resource is promoted while the
// next one is still landing, and checks drift meanwhile. The transaction
// commits only when every resource landed and promoted, and, with
// FailOnDrift, none drifted.
func (s *Syncer) run(ctx context.Context, log *slog.Logger, lockConn *pgxpool.Conn, res *Result, fill fill) error {
	version, err := q.BronzeTransformVersion(ctx, s.Pool)
	if err != nil {
		return fmt.Errorf("read the transform version (has `loader migrate` applied db/functions?): %w", err)
	}
	// The run's landing partition exists before the promotion reads
	// landing: creating it later would wait for the promotion's own locks.
	// (One that ends up empty is dropped with the next prune.)
	if err := q.LandingOpenRun(ctx, s.Pool, res.RunID); err != nil {
		return fmt.Errorf("open the run's landing partition: %w", err)
	}
	tx, err := lockConn.Begin(ctx)
	if err != nil {
		return fmt.Errorf("begin promotion (on the run lock's session): %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))

	// The first error stops the others: a landing that fails cancels the
	// promotion, and the other way round.
	work, wctx := errgroup.WithContext(ctx)
	extracts := make(chan extracted, len(s.Resources))
	work.Go(func() error {
		defer close(extracts)
		return fill(wctx, res.RunID, func(e extracted) error {
			select {
			case extracts <- e:
				return nil
			case <-wctx.Done():
				return context.Cause(wctx)
			}
		})
	})
	plan := make([]step, len(s.Resources))
	work.Go(func() error { return s.promoteAll(wctx, log, tx, res, version, extracts, plan, work) })
	if err := work.Wait(); err != nil {
		return err
	}
	var failures []string
	for i, p := range plan {
		res.Resources[i].Drift = p.drift
		if len(p.drift) > 0 {
			failures = append(failures, fmt.Sprintf("resource %s: %s", p.r.Name, drift.Describe(p.drift)))
		}
	}
	if s.Options.FailOnDrift && len(failures) > 0 {
		return fmt.Errorf("%w: %s", ErrDrift, strings.Join(failures, "; "))
	}
	// Once COMMIT is sent, its outcome is the run's: a signal arriving now
	// must not turn a committed run into one reported as rolled back.
	if err := tx.Commit(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("commit promotion: %w", err)
	}
	return nil
}

// step is the promotion planned for one resource.
type step struct {
	r         resources.Resource
	extract   ledger.Extract
	contract  []byte
	transform ledger.Transform
	// current is what bronze holds now; skip when it is this very extract
	// under this transform.
	current ledger.State
	known   bool
	skip    bool
	drift   []drift.Change
}

// plan decides whether a resource's promotion can be skipped: when its
// documents and contract are what the last succeeded run promoted, under
// the same transform version.
func (s *Syncer) plan(ctx context.Context, r resources.Resource, e ledger.Extract, version string) (step, error) {
	contract, err := fs.ReadFile(s.Contracts, r.Name+".json")
	if err != nil {
		return step{}, fmt.Errorf("read contract: %w", err)
	}
	sum := sha256.Sum256(contract)
	p := step{r: r, extract: e, contract: contract, transform: ledger.Transform{Schema: version, Contract: hex.EncodeToString(sum[:4])}}
	p.current, p.known, err = ledger.Current(ctx, s.Pool, r.Name)
	if err != nil {
		return step{}, fmt.Errorf("read the last succeeded run: %w", err)
	}
	p.skip = p.known && bytes.Equal(p.current.SHA256, e.SHA256) && p.current.Transform == p.transform
	return p, nil
}

// checkDrift records a resource's drift: found again in its documents, or,
// for a skipped promotion, copied from the run that found it.
func (s *Syncer) checkDrift(ctx context.Context, log *slog.Logger, runID int64, p *step) (err error) {
	if p.skip {
		p.drift, err = drift.Copy(ctx, s.Pool, runID, p.current.RunID, p.r.Name)
	} else {
		p.drift, err = drift.Check(ctx, s.Pool, runID, p.extract.LandedRunID, p.r.Name, p.contract)
	}
	if err != nil {
		return fmt.Errorf("resource %s: drift check: %w", p.r.Name, err)
	}
	for _, d := range p.drift {
		log.WarnContext(ctx, "schema drift", "resource", p.r.Name, "key", d.Key, "change", d.Kind,
			"expected", d.Expected, "observed", d.Observed, "documents", d.Documents)
	}
	return nil
}

// promoteAll is the promotion transaction, short of its commit: every
// resource into bronze as its extract arrives (its drift checked alongside,
// in checks), the refresh of the gold views that read what changed, and
// the run's success.
func (s *Syncer) promoteAll(ctx context.Context, log *slog.Logger, tx pgx.Tx, res *Result, version string,
	extracts <-chan extracted, plan []step, checks *errgroup.Group) error {
	if err := q.RunPromotionSettings(ctx, tx); err != nil {
		return err
	}
	var changed []string
	for i, r := range s.Resources {
		e, ok := <-extracts
		if !ok {
			// The landing stopped short: its error is the run's.
			if err := context.Cause(ctx); err != nil {
				return err
			}
			return fmt.Errorf("resource %s: no extract", r.Name)
		}
		if e.Absent {
			// Nothing to promote, and nothing of bronze to delete.
			plan[i] = step{r: r, extract: e.Extract}
			if err := ledger.Promoted(ctx, tx, res.RunID, r.Name, ledger.Transform{}, ledger.Counts{Skipped: true}); err != nil {
				return fmt.Errorf("resource %s: record counts: %w", r.Name, err)
			}
			res.Resources = append(res.Resources, ResourceResult{Resource: r.Name, Extract: e.Extract, HTTPStatus: e.status, Attempts: e.attempts, LandingDuration: e.landing, Counts: ledger.Counts{Skipped: true}})
			s.done(r.Name)
			continue
		}
		p, err := s.plan(ctx, r, e.Extract, version)
		if err != nil {
			return fmt.Errorf("resource %s: %w", r.Name, err)
		}
		plan[i] = p
		checks.Go(func() error { return s.checkDrift(ctx, log, res.RunID, &plan[i]) })
		c := ledger.Counts{Skipped: true}
		var took time.Duration
		if p.skip {
			c.Duplicates, c.Rejected, c.BadValues = p.current.Duplicates, p.current.Rejected, p.current.BadValues
			c.Unchanged = p.extract.Documents - c.Duplicates - c.Rejected
		} else {
			if s.Progress != nil {
				s.Progress.Promoting(r.Name)
			}
			start := time.Now()
			// A new contract alone changes no typed value: only a new
			// schema or function version retypes what bronze holds.
			retype := p.known && p.current.Transform.Schema != version
			if c, err = promote.Resource(ctx, tx, log, r, res.RunID, p.extract.LandedRunID, retype, s.Options.Promotion); err != nil {
				return fmt.Errorf("resource %s: promote to bronze: %w", r.Name, err)
			}
			took = time.Since(start)
			log.DebugContext(ctx, "resource promoted", "resource", r.Name, "retype", retype, "elapsed", took)
		}
		if err := ledger.Promoted(ctx, tx, res.RunID, r.Name, p.transform, c); err != nil {
			return fmt.Errorf("resource %s: record counts: %w", r.Name, err)
		}
		if c.Changed() {
			changed = append(changed, promote.Tables(r)...)
		}
		res.Resources = append(res.Resources, ResourceResult{Resource: r.Name, Extract: p.extract, HTTPStatus: e.status, Attempts: e.attempts, LandingDuration: e.landing, Counts: c, PromotionDuration: took})
		s.done(r.Name)
	}
	views, err := gold.Refresh(ctx, tx, changed)
	if err != nil {
		return err
	}
	res.ViewsRefreshed = views
	if err := q.RunViewsRefreshed(ctx, tx, dbsqlc.RunViewsRefreshedParams{RunID: res.RunID, Views: views}); err != nil {
		return fmt.Errorf("record the views refreshed: %w", err)
	}
	if err := ledger.Finish(ctx, tx, res.RunID, ledger.StatusSucceeded, nil); err != nil {
		return fmt.Errorf("record success: %w", err)
	}
	return nil
}

func (s *Syncer) done(resource string) {
	if s.Progress != nil {
		s.Progress.Done(resource)
	}
}

// land extracts every resource: one that the source says is unchanged
// since the last succeeded run reuses that run's landing; any other lands
// with one COPY into this run's partition.
func (s *Syncer) land(ctx context.Context, runID int64, landed func(extracted) error) error {
	absent := 0
	for _, r := range s.Resources {
		start := time.Now()
		cur, known, err := ledger.Current(ctx, s.Pool, r.Name)
		if err != nil {
			return fmt.Errorf("resource %s: read the last succeeded run: %w", r.Name, err)
		}
		etag := ""
		if known && cur.ETag != "" {
			// A 304 is only of use while that run's documents are in landing.
			if kept, err := q.LandingHasRun(ctx, s.Pool, cur.LandedRunID); err != nil {
				return fmt.Errorf("resource %s: %w", r.Name, err)
			} else if kept {
				etag = cur.ETag
			}
		}
		var l landing.Copied
		req := extract.Request{Path: r.Path, Alternates: r.Alternates, Object: r.Object, ETag: etag}
		got, err := s.Source.Stream(ctx, req, func(docs *extract.Documents) error {
			var src landing.Documents = docs
			if s.Progress != nil {
				src = &counted{Documents: docs, resource: r.Name, progress: s.Progress}
			}
			var err error
			l, err = landing.Copy(ctx, s.Pool, runID, r.Name, time.Now(), src)
			return err
		})
		isAbsent := errors.Is(err, extract.ErrAbsent)
		var status *extract.StatusError
		answered := errors.As(err, &status)
		if isAbsent && known && answered {
			// Loaded before: a 404 now is a broken route or proxy more
			// likely than a resource withdrawn, and skipping it would leave
			// its bronze silently stale.
			return fmt.Errorf("resource %s: extract: %w; run %d loaded it, so it is not skipped as absent",
				r.Name, err, cur.RunID)
		}
		if err != nil && !isAbsent {
			return fmt.Errorf("resource %s: extract and land: %w", r.Name, err)
		}
		e := ledger.Extract{LandedRunID: runID, ETag: got.ETag, SHA256: l.SHA256, Documents: l.Documents, Sanitized: l.Sanitized}
		switch {
		case isAbsent:
			absent++
			if absent == len(s.Resources) {
				return fmt.Errorf("%s has none of the resources (%w): is it the right source?", s.Source, err)
			}
			s.Logger.InfoContext(ctx, "resource absent from the source, skipped; bronze keeps what it holds",
				"run_id", runID, "resource", r.Name, "detail", err)
			e = ledger.Extract{Absent: true}
		case got.NotModified:
			e = cur.Extract
			e.NotModified = true
		}
		if err := ledger.Extracted(ctx, s.Pool, runID, r.Name, e); err != nil {
			return fmt.Errorf("resource %s: record the extract: %w", r.Name, err)
		}
		took := time.Since(start)
		if !e.Absent {
			s.Logger.InfoContext(ctx, "resource landed", "run_id", runID, "resource", r.Name, "not_modified", e.NotModified,
				"documents", e.Documents, "sanitized", e.Sanitized, "elapsed", took)
		}
		x := extracted{Extract: e, status: got.Status, attempts: got.Attempts, landing: took}
		if answered {
			x.status = status.StatusCode // the 404 of an absent resource
		}
		if err := landed(x); err != nil {
			return err
		}
	}
	return nil
}

// reuse makes a run read the extracts of a complete earlier run, still in
// landing, for a replay.
func (s *Syncer) reuse(ctx context.Context, fromRunID, runID int64, landed func(extracted) error) error {
	states, err := ledger.Resources(ctx, s.Pool, fromRunID)
	if err != nil {
		return fmt.Errorf("read run %d: %w", fromRunID, err)
	}
	// Check every resource before handing any on.
	for _, r := range s.Resources {
		st, ok := states[r.Name]
		if !ok {
			return fmt.Errorf("%w: run %d did not land resource %s", ErrNotReplayable, fromRunID, r.Name)
		}
		if st.Absent {
			continue
		}
		if kept, err := q.LandingHasRun(ctx, s.Pool, st.LandedRunID); err != nil {
			return err
		} else if !kept {
			return fmt.Errorf("%w: run %d's documents of %s are no longer in landing (it keeps the last %d runs)",
				ErrNotReplayable, fromRunID, r.Name, max(1, s.Options.KeepRuns))
		}
	}
	for _, r := range s.Resources {
		e := states[r.Name].Extract
		e.NotModified = false
		if err := ledger.Extracted(ctx, s.Pool, runID, r.Name, e); err != nil {
			return fmt.Errorf("resource %s: record the extract: %w", r.Name, err)
		}
		if err := landed(extracted{Extract: e}); err != nil {
			return err
		}
	}
	return nil
}
