package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	iofs "io/fs"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	schema "github.com/spacex-elt/loader/db"
	"github.com/spacex-elt/loader/internal/check"
	"github.com/spacex-elt/loader/internal/cliflag"
	"github.com/spacex-elt/loader/internal/db"
	"github.com/spacex-elt/loader/internal/extract"
	"github.com/spacex-elt/loader/internal/httpurl"
	"github.com/spacex-elt/loader/internal/ledger"
	"github.com/spacex-elt/loader/internal/metrics"
	"github.com/spacex-elt/loader/internal/notify"
	"github.com/spacex-elt/loader/internal/pipeline"
	"github.com/spacex-elt/loader/internal/progress"
	"github.com/spacex-elt/loader/internal/resources"
	"github.com/spacex-elt/loader/internal/status"
	"github.com/spacex-elt/loader/internal/summary"
	"github.com/spacex-elt/loader/internal/termtext"
)

const runHelp = `
Every run locks a row only the loader's roles may, so one sync or replay runs;
a run left 'running' by a process that died is marked abandoned by the next.
Values of the wrong type become NULL and are listed in the row's issues
column; \u0000, lone surrogate escapes and bytes that are not UTF-8 become
U+FFFD; timestamps without a zone are read as UTC; when an extract repeats an
id, its last occurrence wins. Records missing from a complete extract are
soft-deleted (deleted_at) and revived when they return. A document whose
content is unchanged is not typed or written again, and a resource whose
whole extract is what bronze already holds is skipped; gold views are refreshed
only when a table they read changed. Every run is recorded in meta.runs,
meta.run_resources and meta.run_drift, and the summary printed at the end
gives per resource what was fetched and what happened to bronze (a revived
row is counted in updated too).
`

const runOutput = "summary `format` on stdout: text (a table) or json (one object: run id, status, error, per-resource counts, HTTP status, attempts, retry wait (wait_ms) and durations, views refreshed, and with --check the checks' results; printed for a failed run too)"

var cmdSync = &command{
	name: "sync", usage: "[flags]", short: "extract, land, promote to bronze, refresh gold", output: runOutput,
	exits: []int{exitLocked, exitCheckFailed, exitCancelled},
	long: `Extracts every resource of the API (or of a snapshot directory with
--source):
` + termtext.Wrap(strings.Join(resources.Names(), ", "), 74, "  ") + `
Each request is conditional: a resource whose ETag (sent as If-None-Match
over HTTP) or file hash (--source) is that of the last succeeded run is not
downloaded or landed again (with --page-size, lists are read page by page
from /query, which is never conditional). A changed one lands as a
manifest of its documents' hashes, with one COPY of those landing does not
hold yet. The documents are checked against
db/contracts; then, in one transaction, the bronze tables are brought in
line and the gold views that read what changed are refreshed. A failure
anywhere leaves bronze and gold as they were. A resource the directory
lacks, or the API answers 404 for, is recorded absent and skipped; bronze
keeps what it holds of it. Over HTTP, a 404 for a resource an earlier run
loaded fails the run instead. The database must be migrated first.
` + runHelp,
	flags: func(f *flags) func(context.Context, *invocation) error {
		rf := registerRun(f)
		source := f.String("source", "", "read the snapshot `DIR` (files DIR/v4/<resource>.json, DIR/v5/launches.json) instead of the API; when DIR has a manifest.json (loader snapshot writes one), a file that does not match it fails its resource")
		acceptChanged := f.Bool("accept-changed", false, "with --source, load files that differ from DIR/manifest.json (edited on purpose)")
		hf := registerHTTP(f)
		return func(ctx context.Context, in *invocation) error {
			set := map[string]bool{}
			f.Visit(func(f *flag.Flag) { set[f.Name] = true })
			for _, name := range []string{"api-url", "page-size"} {
				if set["source"] && set[name] {
					return usageError{fmt.Errorf("--source and --%s exclude each other", name)}
				}
			}
			if err := hf.check(); err != nil {
				return err
			}
			cfg, err := rf.setup(in)
			if err != nil && !errors.Is(err, db.ErrNoDatabase) { // execute reports that one
				return err
			}
			var src extract.Source = hf.source(in)
			if *source != "" {
				if st, err := os.Stat(*source); err != nil || !st.IsDir() {
					return usageError{fmt.Errorf("--source %s: not a directory", *source)}
				}
				if src = extract.Dir(*source); *acceptChanged {
					src = extract.Dir(*source).AcceptChanged()
				}
			}
			return execute(ctx, in, cfg, rf, src, func(s *pipeline.Syncer) (pipeline.Result, error) {
				return s.Sync(ctx)
			})
		}
	},
}

var cmdReplay = &command{
	name: "replay", usage: "[flags] RUN_ID", nargs: 1, short: "promote a run's landed documents again, without the API", output: runOutput,
	exits: []int{exitLocked, exitCheckFailed, exitCancelled},
	long: `Promotes the documents that run RUN_ID landed into bronze and gold again,
as a new run, without calling the API: bronze ends up as that run left it
(records it lacked are soft-deleted, subject to --max-delete-fraction).
The run must be complete and still in landing (see --keep-runs).
` + runHelp,
	flags: func(f *flags) func(context.Context, *invocation) error {
		rf := registerRun(f)
		return func(ctx context.Context, in *invocation) error {
			fromRunID, err := strconv.ParseInt(f.Arg(0), 10, 64)
			if err != nil || fromRunID < 1 {
				return usageError{fmt.Errorf("RUN_ID %q: want a run id from meta.runs", f.Arg(0))}
			}
			cfg, err := rf.setup(in)
			if err != nil && !errors.Is(err, db.ErrNoDatabase) { // execute reports that one
				return err
			}
			return execute(ctx, in, cfg, rf, nil, func(s *pipeline.Syncer) (pipeline.Result, error) {
				return s.Replay(ctx, fromRunID)
			})
		}
	},
}

// runFlags are the flags of the commands that promote a run.
type runFlags struct {
	opts      pipeline.Options
	contract  string
	metrics   metrics.Targets
	notifyURL string
	check     bool
	// progress, set on a terminal, shows the run live.
	progress *progress.Bar
}

func registerRun(f *flags) *runFlags {
	r := &runFlags{}
	f.Secret(&r.notifyURL, "notify-url", envNotifyURL, "", "post a short JSON message (Slack's incoming webhook format: text, plus run_id, status and error) to `URL` when the run fails, or with --check when a check of severity error fails; a failed post is logged and changes nothing")
	f.Var(cliflag.Duration{P: &r.opts.LockTimeout}, "lock-timeout", "how long to wait for another sync or replay to finish (a `duration`: 30s, 5m, 1h); 0 exits at once with code 3")
	f.Float64Var(&r.opts.MaxDeleteFraction, "max-delete-fraction", 0.1, "largest `fraction` of a bronze table's live rows one run may soft-delete because the extract lacks them; more fails the run")
	f.Float64Var(&r.opts.MaxRejectFraction, "max-reject-fraction", 0.1, "largest `fraction` of a resource's documents that may lack a usable id (left in landing, unloaded); more fails the run")
	f.Var(cliflag.AllOrNames{All: &r.opts.ForceDeletes, Names: &r.opts.ForceDeletesOf, Valid: resources.Names()}, "force-deletes", "soft-delete however many records the extract lacks (when the source really dropped them): bare, of every resource; or of the `resources` named (--force-deletes rockets,ships)")
	f.Int64Var(&r.opts.MaxDocumentBytes, "max-document-bytes", 16<<20, "largest document, in `bytes`, landed as it is; a larger one is rejected like one without an id (see --max-reject-fraction), its ordinal and size kept in landing, and never held in memory whole")
	f.IntVar(&r.opts.AllowDeletes, "allow-deletes", 1, "soft-deletes of at most `N` records of a table pass whatever --max-delete-fraction says (one rocket of four is 25%)")
	f.StringVar(&r.contract, "contract", "", "what schema drift from db/contracts does: warn (record and log) or fail (record and fail the run); unset, warn for a sync, and for a replay the mode its run was recorded with")
	f.BoolVar(&r.check, "check", false, "after a run that succeeded, run loader check's data tests (db/checks) and report them with the summary; a failed check of severity error exits 4 (and is notified with --notify-url)")
	f.StringVar(&r.metrics.File, "metrics-file", "", "write the run's Prometheus metrics to `PATH` (a *.prom file for node_exporter's textfile collector), atomically, whatever the outcome")
	f.StringVar(&r.metrics.Pushgateway, "pushgateway", "", "push the run's Prometheus metrics to the Pushgateway at `URL` (job spacex_loader), whatever the outcome")
	f.IntVar(&r.opts.KeepRuns, "keep-runs", 10, "how many runs' landing extracts to keep, besides those a kept run still reads; older ones are dropped by each run that succeeds")
	return r
}

// setup validates the flags, starts the live display when stderr is a
// terminal and logs are text, and sets the invocation up.
func (r *runFlags) setup(in *invocation) (*pgxpool.Config, error) {
	if err := checkURL("notify-url / "+envNotifyURL, r.notifyURL); err != nil {
		return nil, err
	}
	if err := checkURL("pushgateway", r.metrics.Pushgateway); err != nil {
		return nil, err
	}
	if r.opts.Contract = pipeline.Contract(r.contract); r.contract != "" && r.contract != "warn" && r.contract != "fail" {
		return nil, usageError{fmt.Errorf("--contract %q: want warn or fail", r.contract)}
	}
	if err := r.opts.Check(); err != nil {
		return nil, usageError{err}
	}
	if progress.Wanted(in.stderr, in.logFormat) {
		r.progress = progress.New(in.stderr, len(resources.All))
		in.stderr = r.progress
	}
	return in.setup()
}

// checkURL checks the URL of the flag --name, if one was given.
func checkURL(name, url string) error {
	if url == "" {
		return nil
	}
	if err := httpurl.Check(url); err != nil {
		return usageError{fmt.Errorf("--%s: %w", name, err)}
	}
	return nil
}

// httpFlags are the flags of the commands that read the API over HTTP.
type httpFlags struct {
	apiURL                      string
	retries                     uint
	retryDelay, retryMaxElapsed time.Duration
	httpTimeout                 time.Duration
	pageSize                    int
}

func registerHTTP(f *flags) *httpFlags {
	h := &httpFlags{}
	f.Secret(&h.apiURL, "api-url", envAPIURL, "https://api.spacexdata.com", "API base `URL`")
	f.UintVar(&h.retries, "retries", 5, "retries per request after the first attempt, on network errors, 408, 429 and 5xx")
	h.retryDelay = 15 * time.Second
	f.Var(cliflag.Duration{P: &h.retryDelay}, "retry-delay", "base `duration` of the delay between retries, doubled each retry, plus up to as much random jitter; Retry-After on 429/503 takes precedence")
	h.retryMaxElapsed = 2 * time.Minute
	f.Var(cliflag.Duration{P: &h.retryMaxElapsed}, "retry-max-elapsed", "longest `duration` from a request's first attempt to its last: a retry whose delay would end later is not made and the request fails; 0: only --retries bounds it")
	h.httpTimeout = time.Minute
	f.Var(cliflag.Duration{P: &h.httpTimeout}, "http-timeout", "how long one HTTP request may take, body included (a `duration`)")
	f.IntVar(&h.pageSize, "page-size", 0, "read each list through its paged POST <route>/query, `N` documents a request, instead of one GET; "+
		"company and roadster always use a GET. If a resource's pages do not add up to their totalDocs, the command fails and "+
		"nothing of that resource is landed or written. /query answers carry no ETag, so nothing is skipped as unchanged. 0: one GET per resource")
	return h
}

func (h *httpFlags) check() error {
	if h.httpTimeout <= 0 || h.retryDelay <= 0 {
		return usageError{fmt.Errorf("--http-timeout %s, --retry-delay %s: both must be positive", h.httpTimeout, h.retryDelay)}
	}
	if h.pageSize < 0 {
		return usageError{fmt.Errorf("--page-size %d: want 0 (one GET) or more", h.pageSize)}
	}
	if err := httpurl.CheckBase(h.apiURL); err != nil {
		return usageError{fmt.Errorf("--api-url / %s: %w", envAPIURL, err)}
	}
	return nil
}

// source is the API as the flags read it; call it after setup.
func (h *httpFlags) source(in *invocation) *extract.HTTP {
	return &extract.HTTP{
		BaseURL:    h.apiURL,
		Client:     &http.Client{Timeout: h.httpTimeout},
		Retries:    h.retries,
		RetryDelay: h.retryDelay,
		PageSize:   h.pageSize,
		MaxElapsed: h.retryMaxElapsed,
		Logger:     in.logger,
	}
}

// execute connects, runs do with a Syncer, and reports: summary, metrics,
// notification and, with --check, the data tests. A nil cfg: no database
// was named (db.ErrNoDatabase).
func execute(ctx context.Context, in *invocation, cfg *pgxpool.Config, rf *runFlags, src extract.Source, do func(*pipeline.Syncer) (pipeline.Result, error)) error {
	start := time.Now()
	var password string
	if cfg != nil {
		password = cfg.ConnConfig.Password
	}
	in.stdout = db.MaskWriter(in.stdout, password) // the JSON summary carries error texts
	// Every outcome from here on is reported (summary, metrics,
	// notification), a database that cannot be reached or was not named
	// included.
	var res pipeline.Result
	var pool *pgxpool.Pool
	err := db.ErrNoDatabase
	if cfg != nil {
		pool, err = status.Open(ctx, cfg, embedded, false)
	}
	if err == nil {
		defer pool.Close()
		var contracts iofs.FS
		if contracts, err = iofs.Sub(schema.FS, schema.ContractsDir); err == nil {
			s := &pipeline.Syncer{
				Pool: pool, Source: src, Resources: resources.All,
				Contracts: contracts, Options: rf.opts, Logger: in.logger,
			}
			if rf.progress != nil {
				s.Progress = rf.progress
			}
			res, err = do(s)
		}
	}
	if rf.progress != nil {
		rf.progress.Finish()
	}
	if errors.Is(err, pipeline.ErrNoRun) {
		return usageError{err} // a mistaken RUN_ID, not a run: nothing to report
	}
	outcome := pipeline.Status(err)
	metrics.Emit(ctx, in.logger, rf.metrics, in.name, metrics.Run{Result: res, Status: outcome, Started: start, Finished: time.Now()})
	if outcome == ledger.StatusFailed && rf.notifyURL != "" {
		notify.Send(ctx, in.logger, rf.notifyURL, notify.Failure(in.name, res.RunID, db.Mask(password).Replace(err.Error())))
	}
	// The data tests, after a run that succeeded.
	var checked []check.Result
	code := exitOK
	if err == nil && rf.check && pool != nil {
		checks, cerr := check.Embedded()
		if cerr == nil {
			checked, cerr = runChecks(ctx, in, pool, checks, defaultMaxAge, nil)
		}
		if cerr != nil {
			err = fmt.Errorf("run %d succeeded, but its checks could not run: %w", res.RunID, cerr)
		} else {
			code = checksOutcome(ctx, in, rf.notifyURL, res.RunID, checked)
		}
	}
	if in.json {
		if jerr := encodeJSON(in.stdout, summary.JSON(res, outcome, err, time.Since(start), checked)); jerr != nil && err == nil {
			err = jerr
		}
	}
	if err != nil {
		return err
	}
	if !in.json {
		summary.WriteText(in.stdout, res, time.Since(start))
		if rf.check {
			check.WriteText(in.stdout, checked)
		}
	}
	return exit(code)
}
