// Command loader loads the SpaceX API into PostgreSQL: raw JSON into landing,
// typed tables into bronze, metrics into gold. See `loader help`.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	iofs "io/fs"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	schema "github.com/spacex-elt/loader/db"
	"github.com/spacex-elt/loader/internal/check"
	"github.com/spacex-elt/loader/internal/db"
	"github.com/spacex-elt/loader/internal/drift"
	"github.com/spacex-elt/loader/internal/extract"
	"github.com/spacex-elt/loader/internal/migrate"
	"github.com/spacex-elt/loader/internal/pipeline"
	"github.com/spacex-elt/loader/internal/promote"
	"github.com/spacex-elt/loader/internal/resources"
)

// Exit codes, part of the command's interface.
const (
	exitOK        = 0
	exitFailed    = 1
	exitUsage     = 2
	exitLocked    = 3
	exitCancelled = 130
)

const (
	defaultAPI   = "https://api.spacexdata.com"
	envLogFmt    = "LOADER_LOG_FORMAT"
	envLogLevel  = "LOADER_LOG_LEVEL"
	envAPIURL    = "SPACEX_API_URL"
	envNotifyURL = "LOADER_NOTIFY_URL"
)

const exitCodesHelp = `Exit codes:
  0    success
  1    the command failed (connection, migration, extract, load, drift with
       --contract=fail, a shrink past --max-delete-fraction); the message names
       what failed, and a failed run is recorded in meta.runs
  2    bad usage: unknown command or flag, invalid flag value
  3    another sync or replay holds the run lock (after --lock-timeout)
  4    loader check, or sync/replay --check: a check of severity error found
       violations (the run itself succeeded)
  130  interrupted by SIGINT or SIGTERM: the run was rolled back and recorded
       as cancelled
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		// The first signal cancels the run, which then rolls back and
		// records itself; a second one kills the process as usual.
		<-ctx.Done()
		stop()
	}()
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

// run is the whole program, parameterised for tests.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, mainUsage)
		return exitUsage
	}
	switch cmd, rest := args[0], args[1:]; cmd {
	case "migrate":
		return runMigrate(ctx, rest, stdout, stderr, getenv)
	case "sync":
		return runSync(ctx, rest, stdout, stderr, getenv)
	case "replay":
		return runReplay(ctx, rest, stdout, stderr, getenv)
	case "check":
		return runCheck(ctx, rest, stdout, stderr, getenv)
	case "snapshot":
		return runSnapshot(ctx, rest, stdout, stderr, getenv)
	case "runs":
		return runRuns(ctx, rest, stdout, stderr, getenv)
	case "status":
		return runStatus(ctx, rest, stdout, stderr, getenv)
	case "report":
		return runReport(ctx, rest, stdout, stderr, getenv)
	case "help", "-h", "-help", "--help":
		if len(rest) == 1 && slices.Contains([]string{"migrate", "sync", "replay", "check", "snapshot", "runs", "status", "report"}, rest[0]) {
			return run(ctx, []string{rest[0], "--help"}, stdout, stderr, getenv)
		}
		fmt.Fprint(stdout, mainUsage)
		return exitOK
	default:
		fmt.Fprintf(stderr, "loader: unknown command %q\n\n%s", cmd, mainUsage)
		return exitUsage
	}
}

const mainUsage = `loader loads the SpaceX API into PostgreSQL.

Usage:
  loader migrate [flags]   apply the database migrations, then the gold views
  loader sync [flags]      extract, land, promote to bronze, refresh gold
  loader replay RUN_ID     promote a run's landed documents again, without the API
  loader check [flags]     run the data tests in db/checks against bronze
  loader snapshot DIR      record the API into a directory that sync --source reads
  loader runs [flags]      list the newest runs from the ledger, newest first
  loader status [flags]    the schema, function and view files against this
                           binary, the last succeeded run and check results
  loader report --out PATH write an HTML page of the gold views' charts and
                           figures
  loader help [command]    show help

Run 'loader COMMAND --help' for a command's flags.

` + exitCodesHelp

// common holds the flags every command takes.
type common struct {
	databaseURL string
	logFormat   string
	logLevel    string
	getenv      func(string) string
}

func (c *common) register(fs *flag.FlagSet, getenv func(string) string) {
	c.getenv = getenv
	// No default shown from DATABASE_URL: --help must not print a password.
	fs.StringVar(&c.databaseURL, "database-url", "",
		"PostgreSQL connection string, URL or key=value `DSN` (env DATABASE_URL); settings it leaves out come from PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE, PGSSLMODE")
	fs.StringVar(&c.logFormat, "log-format", envOr(getenv, envLogFmt, "text"),
		"log `format` on stderr: text or json (env "+envLogFmt+")")
	fs.StringVar(&c.logLevel, "log-level", envOr(getenv, envLogLevel, "info"),
		"log `level`: debug, info, warn or error (env "+envLogLevel+")")
}

// setup validates the common flags and returns the pool configuration and
// a logger whose output never shows the database password.
func (c *common) setup(stderr io.Writer) (*pgxpool.Config, *slog.Logger, io.Writer, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.logLevel)); err != nil {
		return nil, nil, nil, usageError{fmt.Errorf("--log-level %q: want debug, info, warn or error", c.logLevel)}
	}
	if c.databaseURL == "" {
		c.databaseURL = c.getenv("DATABASE_URL")
	}
	cfg, err := db.ParseConfig(c.databaseURL)
	if err != nil {
		return nil, nil, nil, usageError{fmt.Errorf("--database-url / DATABASE_URL: %w", err)}
	}
	out := scrub(stderr, cfg.ConnConfig.Password)
	opts := &slog.HandlerOptions{Level: level}
	var h slog.Handler
	switch c.logFormat {
	case "text":
		h = slog.NewTextHandler(out, opts)
	case "json":
		h = slog.NewJSONHandler(out, opts)
	default:
		return nil, nil, nil, usageError{fmt.Errorf("--log-format %q: want text or json", c.logFormat)}
	}
	logger := slog.New(h)
	logger.Debug("configuration", "database", db.Describe(cfg.ConnConfig.Config), "log_format", c.logFormat, "log_level", level.String())
	return cfg, logger, out, nil
}

func runMigrate(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	var c common
	c.register(fs, getenv)
	fs.Usage = usage(fs, `Usage: loader migrate [flags]

Applies the embedded dbmate migrations (db/migrations, recorded in
schema_migrations, the same table the dbmate CLI uses), then every function
file in db/functions and every gold view file in db/views that changed since
it was last applied (recorded in meta.applied_sql). Files whose SQL is
unchanged are left alone. An advisory lock makes concurrent migrates wait
for each other.
`)
	if code, done := parse(fs, args, 0, stdout, stderr); done {
		return code
	}
	cfg, logger, errOut, err := c.setup(stderr)
	if err != nil {
		return fail(stderr, "migrate", err)
	}
	start := time.Now()
	err = migrate.Up(ctx, cfg.ConnString(), migrate.Files{
		FS: schema.FS, MigrationsDir: schema.MigrationsDir, FunctionsDir: schema.FunctionsDir, ViewsDir: schema.ViewsDir,
	}, scrub(stdout, cfg.ConnConfig.Password), logger)
	if err != nil {
		return fail(errOut, "migrate", err)
	}
	fmt.Fprintf(stdout, "migrate: %s is up to date (%s)\n", db.Describe(cfg.ConnConfig.Config), time.Since(start).Round(time.Millisecond))
	return exitOK
}

// runFlags are the flags of the commands that promote a run.
type runFlags struct {
	lockTimeout       time.Duration
	maxDeleteFraction float64
	forceDeletes      bool
	contract          string
	keepRuns          int
	output            string
	metricsFile       string
	pushgateway       string
	notifyURL         string
	check             bool
	// progress, set on a terminal, shows the run live.
	progress *progress
}

func (r *runFlags) register(fs *flag.FlagSet, getenv func(string) string) {
	// No default shown from LOADER_NOTIFY_URL: a webhook URL is a secret.
	fs.StringVar(&r.notifyURL, "notify-url", "", "post a short JSON message (Slack's incoming webhook format: text, plus run_id, status and error) to `URL` when the run fails, or with --check when a check of severity error fails; a failed post is logged and changes nothing (env "+envNotifyURL+")")
	if r.notifyURL == "" {
		r.notifyURL = getenv(envNotifyURL)
	}
	fs.DurationVar(&r.lockTimeout, "lock-timeout", 0, "how long to wait for another sync or replay to finish; 0 exits at once with code 3")
	fs.Float64Var(&r.maxDeleteFraction, "max-delete-fraction", 0.1, "largest `fraction` of a bronze table's live rows one run may soft-delete because the extract lacks them; more fails the run")
	fs.BoolVar(&r.forceDeletes, "force-deletes", false, "soft-delete however many records the extract lacks (when the source really dropped them)")
	fs.StringVar(&r.contract, "contract", "warn", "what schema drift from db/contracts does: warn (record and log) or fail (record and fail the run)")
	fs.BoolVar(&r.check, "check", false, "after a run that succeeded, run loader check's data tests (db/checks) and report them with the summary; a failed check of severity error exits 4 (and is notified with --notify-url)")
	fs.StringVar(&r.output, "output", "text", "summary `format` on stdout: text (a table) or json (one object: run id, status, error, per-resource counts, HTTP status, attempts and durations, views refreshed, and with --check the checks' results; printed for a failed run too)")
	fs.StringVar(&r.metricsFile, "metrics-file", "", "write the run's Prometheus metrics to `PATH` (a *.prom file for node_exporter's textfile collector), atomically, whatever the outcome")
	fs.StringVar(&r.pushgateway, "pushgateway", "", "push the run's Prometheus metrics to the Pushgateway at `URL` (job spacex_loader), whatever the outcome")
	fs.IntVar(&r.keepRuns, "keep-runs", 10, "how many runs' landing partitions to keep, besides those a kept run still reads; older ones are dropped by each run")
}

// showProgress starts the live display when stderr is a terminal and logs
// are text, and returns the writer the logs then go through.
func (r *runFlags) showProgress(stderr io.Writer, logFormat string) io.Writer {
	if !wantProgress(stderr, logFormat) {
		return stderr
	}
	r.progress = newProgress(stderr, len(resources.All))
	return r.progress
}

func (r *runFlags) options() (pipeline.Options, error) {
	if r.notifyURL != "" {
		if err := extract.CheckBaseURL(r.notifyURL); err != nil {
			return pipeline.Options{}, usageError{fmt.Errorf("--notify-url / %s: %w", envNotifyURL, err)}
		}
	}
	if r.pushgateway != "" {
		if err := extract.CheckBaseURL(r.pushgateway); err != nil {
			return pipeline.Options{}, usageError{fmt.Errorf("--pushgateway: %w", err)}
		}
	}
	if r.output != "text" && r.output != "json" {
		return pipeline.Options{}, usageError{fmt.Errorf("--output %q: want text or json", r.output)}
	}
	if r.contract != "warn" && r.contract != "fail" {
		return pipeline.Options{}, usageError{fmt.Errorf("--contract %q: want warn or fail", r.contract)}
	}
	if r.maxDeleteFraction < 0 || r.maxDeleteFraction > 1 {
		return pipeline.Options{}, usageError{fmt.Errorf("--max-delete-fraction %g: want 0 to 1", r.maxDeleteFraction)}
	}
	if r.keepRuns < 1 {
		return pipeline.Options{}, usageError{fmt.Errorf("--keep-runs %d: must be at least 1", r.keepRuns)}
	}
	return pipeline.Options{
		LockTimeout: r.lockTimeout,
		Promotion:   promote.Options{MaxDeleteFraction: r.maxDeleteFraction, ForceDeletes: r.forceDeletes},
		FailOnDrift: r.contract == "fail",
		KeepRuns:    r.keepRuns,
	}, nil
}

const runHelp = `
Every run takes an advisory lock, so only one sync or replay runs at a time;
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
gives per resource what was fetched and what happened to bronze.
`

func runSync(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	fs := flag.NewFlagSet("sync", flag.ContinueOnError)
	var c common
	c.register(fs, getenv)
	var rf runFlags
	rf.register(fs, getenv)
	source := fs.String("source", "", "read the snapshot `DIR` (files DIR/v4/<resource>.json, DIR/v5/launches.json) instead of the API")
	var hf httpFlags
	hf.register(fs)
	fs.Usage = usage(fs, `Usage: loader sync [flags]

Extracts every resource of the API (or of a snapshot directory with
--source):
`+wrap(strings.Join(resources.Names(), ", "), 74, "  ")+`
Each request is conditional: a resource whose ETag (sent as If-None-Match
over HTTP) or file hash (--source) is that of the last succeeded run is not
downloaded or landed again (with --page-size, lists are read page by page
from /query, which is never conditional). A changed one lands in
landing.documents with one COPY. The documents are checked against
db/contracts; then, in one transaction, the bronze tables are brought in
line and the gold views that read what changed are refreshed. A failure
anywhere leaves bronze and gold as they were. A resource the directory
lacks, or the API answers 404 for, is recorded absent and skipped; bronze
keeps what it holds of it. Over HTTP, a 404 for a resource an earlier run
loaded fails the run instead. The database must be migrated first.
`+runHelp)
	if code, done := parse(fs, args, 0, stdout, stderr); done {
		return code
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	for _, name := range []string{"api-url", "page-size"} {
		if set["source"] && set[name] {
			return fail(stderr, "sync", usageError{fmt.Errorf("--source and --%s exclude each other", name)})
		}
	}
	if err := hf.check(getenv); err != nil {
		return fail(stderr, "sync", err)
	}
	opts, err := rf.options()
	if err != nil {
		return fail(stderr, "sync", err)
	}
	stderr = rf.showProgress(stderr, c.logFormat)
	cfg, logger, errOut, err := c.setup(stderr)
	if err != nil {
		return fail(stderr, "sync", err)
	}

	var src extract.Source
	if *source != "" {
		if st, err := os.Stat(*source); err != nil || !st.IsDir() {
			return fail(errOut, "sync", usageError{fmt.Errorf("--source %s: not a directory", *source)})
		}
		src = extract.Dir(*source)
	} else {
		src = hf.source(logger)
	}
	return execute(ctx, "sync", cfg, logger, stdout, errOut, rf, opts, src, func(s *pipeline.Syncer) (pipeline.Result, error) {
		return s.Sync(ctx)
	})
}

// httpFlags are the flags of the commands that read the API over HTTP.
type httpFlags struct {
	apiURL      string
	retries     uint
	retryDelay  time.Duration
	httpTimeout time.Duration
	pageSize    int
}

func (h *httpFlags) register(fs *flag.FlagSet) {
	// No default shown from SPACEX_API_URL: --help must not print credentials.
	fs.StringVar(&h.apiURL, "api-url", "", "API base `URL` (env "+envAPIURL+", default "+defaultAPI+")")
	fs.UintVar(&h.retries, "retries", 5, "retries per request after the first attempt, on network errors, 408, 429 and 5xx")
	fs.DurationVar(&h.retryDelay, "retry-delay", 15*time.Second, "base delay between retries, doubled each retry, plus up to as much random jitter; Retry-After on 429/503 takes precedence")
	fs.DurationVar(&h.httpTimeout, "http-timeout", time.Minute, "timeout of one HTTP request, body included")
	fs.IntVar(&h.pageSize, "page-size", 0, "read each list through its paged POST <route>/query, `N` documents a request, instead of one GET; "+
		"company and roadster always use a GET. If a resource's pages do not add up to their totalDocs, the command fails and "+
		"nothing of that resource is landed or written. /query answers carry no ETag, so nothing is skipped as unchanged. 0: one GET per resource")
}

// check validates the flags and sets the API URL from the environment.
func (h *httpFlags) check(getenv func(string) string) error {
	if h.httpTimeout <= 0 || h.retryDelay <= 0 {
		return usageError{fmt.Errorf("--http-timeout %s, --retry-delay %s: both must be positive", h.httpTimeout, h.retryDelay)}
	}
	if h.pageSize < 0 {
		return usageError{fmt.Errorf("--page-size %d: want 0 (one GET) or more", h.pageSize)}
	}
	if h.apiURL == "" {
		h.apiURL = envOr(getenv, envAPIURL, defaultAPI)
	}
	if err := extract.CheckBaseURL(h.apiURL); err != nil {
		return usageError{fmt.Errorf("--api-url / %s: %w", envAPIURL, err)}
	}
	return nil
}

func (h *httpFlags) source(logger *slog.Logger) *extract.HTTP {
	return &extract.HTTP{
		BaseURL:    h.apiURL,
		Client:     &http.Client{Timeout: h.httpTimeout},
		Retries:    h.retries,
		RetryDelay: h.retryDelay,
		PageSize:   h.pageSize,
		Logger:     logger,
	}
}

func runReplay(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	fs := flag.NewFlagSet("replay", flag.ContinueOnError)
	var c common
	c.register(fs, getenv)
	var rf runFlags
	rf.register(fs, getenv)
	fs.Usage = usage(fs, `Usage: loader replay [flags] RUN_ID

Promotes the documents that run RUN_ID landed into bronze and gold again,
as a new run, without calling the API: bronze ends up as that run left it
(records it lacked are soft-deleted, subject to --max-delete-fraction).
The run must be complete and still in landing (see --keep-runs).
`+runHelp)
	if code, done := parse(fs, args, 1, stdout, stderr); done {
		return code
	}
	fromRunID, err := strconv.ParseInt(fs.Arg(0), 10, 64)
	if err != nil || fromRunID < 1 {
		return fail(stderr, "replay", usageError{fmt.Errorf("RUN_ID %q: want a run id from meta.runs", fs.Arg(0))})
	}
	opts, err := rf.options()
	if err != nil {
		return fail(stderr, "replay", err)
	}
	stderr = rf.showProgress(stderr, c.logFormat)
	cfg, logger, errOut, err := c.setup(stderr)
	if err != nil {
		return fail(stderr, "replay", err)
	}
	return execute(ctx, "replay", cfg, logger, stdout, errOut, rf, opts, nil, func(s *pipeline.Syncer) (pipeline.Result, error) {
		return s.Replay(ctx, fromRunID)
	})
}

// execute connects, runs do with a Syncer, and reports.
func execute(ctx context.Context, cmd string, cfg *pgxpool.Config, logger *slog.Logger, stdout, errOut io.Writer,
	rf runFlags, opts pipeline.Options, src extract.Source, do func(*pipeline.Syncer) (pipeline.Result, error)) int {
	stdout = scrub(stdout, cfg.ConnConfig.Password) // the JSON summary carries error texts
	start := time.Now()
	// Every outcome from here on is reported (summary, metrics,
	// notification), a database that cannot be reached included.
	var res pipeline.Result
	pool, err := db.Open(ctx, cfg)
	if err == nil {
		defer pool.Close()
		var contracts iofs.FS
		if contracts, err = iofs.Sub(schema.FS, schema.ContractsDir); err == nil {
			s := &pipeline.Syncer{
				Pool: pool, Source: src, Resources: resources.All,
				Contracts: contracts, Options: opts, Logger: logger,
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
	status := "succeeded"
	switch {
	case errors.Is(err, pipeline.ErrLocked):
		status = "locked" // no run was opened
	case errors.Is(err, context.Canceled):
		status = "cancelled"
	case err != nil:
		status = "failed"
	}
	emitMetrics(ctx, logger, rf, cmd, res, status, start)
	if status == "failed" && rf.notifyURL != "" {
		notifyFailure(ctx, logger, rf.notifyURL, cfg.ConnConfig.Password, cmd, res.RunID, err)
	}
	// The data tests, after a run that succeeded.
	var checked []check.Result
	code := exitOK
	if err == nil && rf.check && pool != nil {
		checks, cerr := loadChecks()
		if cerr == nil {
			checked, cerr = runChecks(ctx, pool, logger, errOut, cmd, checks, defaultMaxAge, nil)
		}
		if cerr != nil {
			err = fmt.Errorf("run %d succeeded, but its checks could not run: %w", res.RunID, cerr)
		} else if code = checksExitCode(errOut, cmd, checked); code == exitCheckFailed && rf.notifyURL != "" {
			notifyChecks(ctx, logger, rf.notifyURL, cmd, res.RunID, checked)
		}
	}
	if rf.output == "json" {
		if jerr := writeSummaryJSON(stdout, res, status, err, time.Since(start), checked); jerr != nil && err == nil {
			err = jerr
		}
	}
	if err != nil {
		return fail(errOut, cmd, err)
	}
	if rf.output == "text" {
		printSummary(stdout, res, time.Since(start))
		if rf.check {
			printReport(stdout, checked)
		}
	}
	return code
}

func printSummary(w io.Writer, res pipeline.Result, elapsed time.Duration) {
	fmt.Fprintf(w, "run %d succeeded in %s\n", res.RunID, elapsed.Round(time.Millisecond))
	views := "none"
	if len(res.ViewsRefreshed) > 0 {
		views = strings.Join(res.ViewsRefreshed, ", ")
	}
	defer fmt.Fprintf(w, "gold views refreshed: %s\n", views)
	for _, id := range res.Abandoned {
		fmt.Fprintf(w, "run %d was found abandoned (its process died) and marked so\n", id)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "resource\textract\tfetched\tinserted\tupdated\tunchanged\tdeleted\trevived\t")
	for _, r := range res.Resources {
		how := extractKind(res.RunID, r)
		switch how {
		case "not_modified":
			how = "not modified"
		case "reused":
			how = fmt.Sprintf("run %d's", r.LandedRunID) // a replay
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%d\t%d\t\n", r.Resource, how, r.Documents, r.Inserted, r.Updated, r.Unchanged, r.Deleted, r.Revived)
	}
	tw.Flush()
	for _, r := range res.Resources {
		var notes []string
		note := func(n int64, what string) {
			if n > 0 {
				notes = append(notes, fmt.Sprintf("%d %s", n, what))
			}
		}
		note(r.BadValues, "rows with values of the wrong type, set to NULL (see the issues column)")
		note(r.Duplicates, "repeated ids, the last occurrence kept")
		note(r.Sanitized, "documents with \\u0000, lone surrogates or bytes that are not UTF-8 replaced by U+FFFD")
		note(r.Rejected, "documents without a usable id (missing, null, empty or not a string or number), left in landing; nothing soft-deleted")
		if len(r.Drift) > 0 {
			notes = append(notes, "drift from the contract: "+drift.Describe(r.Drift))
		}
		if len(notes) > 0 {
			fmt.Fprintf(w, "%s: %s\n", r.Resource, strings.Join(notes, "; "))
		}
	}
}

// usageError marks errors that exit with exitUsage.
type usageError struct{ error }

func (e usageError) Unwrap() error { return e.error }

func fail(w io.Writer, cmd string, err error) int {
	fmt.Fprintf(w, "loader %s: %v\n", cmd, err)
	switch {
	case errors.As(err, new(usageError)):
		return exitUsage
	case errors.Is(err, pipeline.ErrLocked):
		return exitLocked
	case errors.Is(err, context.Canceled):
		return exitCancelled
	case errors.Is(err, pipeline.ErrShrink):
		fmt.Fprintln(w, "loader: if the source really dropped those records, rerun with --force-deletes")
	}
	return exitFailed
}

// parse parses flags; done reports that the command should exit with code
// (after --help, or on a bad flag, which flag has already reported).
// nargs is the number of positional arguments the command takes.
func parse(fs *flag.FlagSet, args []string, nargs int, stdout, stderr io.Writer) (code int, done bool) {
	fs.SetOutput(stderr)
	for _, a := range args {
		if a == "--" {
			break
		}
		if a == "-h" || a == "-help" || a == "--help" {
			fs.SetOutput(stdout) // asked-for help is output, not an error
		}
	}
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return exitOK, true
	case err != nil:
		return exitUsage, true
	case nargs == 0 && fs.NArg() > 0:
		fmt.Fprintf(stderr, "loader %s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		return exitUsage, true
	case fs.NArg() != nargs:
		fmt.Fprintf(stderr, "loader %s: want %d argument(s), got %d\n", fs.Name(), nargs, fs.NArg())
		return exitUsage, true
	}
	return 0, false
}

func usage(fs *flag.FlagSet, text string) func() {
	return func() {
		w := fs.Output()
		fmt.Fprint(w, text, "\nFlags:\n")
		fs.PrintDefaults()
		fmt.Fprint(w, "\n", exitCodesHelp)
	}
}

// wrap breaks text at spaces into lines of at most width bytes, each
// prefixed by indent.
func wrap(text string, width int, indent string) string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(text) {
		if line != "" && len(indent)+len(line)+1+len(w) > width {
			lines = append(lines, indent+line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	return strings.Join(append(lines, indent+line), "\n")
}

func envOr(getenv func(string) string, key, def string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return def
}

// scrub returns w with every occurrence of secret masked. Passwords shorter
// than 4 characters are left alone: masking them would garble every line.
func scrub(w io.Writer, secret string) io.Writer {
	if len(secret) < 4 {
		return w
	}
	return scrubber{w: w, r: strings.NewReplacer(secret, "xxxxx")}
}

type scrubber struct {
	w io.Writer
	r *strings.Replacer
}

func (s scrubber) Write(p []byte) (int, error) {
	if _, err := s.r.WriteString(s.w, string(p)); err != nil {
		return 0, err
	}
	return len(p), nil
}
