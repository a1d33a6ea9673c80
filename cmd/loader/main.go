// Command loader loads the SpaceX API into PostgreSQL: raw JSON into landing,
// typed tables into bronze, metrics into gold. See `loader help`.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	schema "github.com/spacex-elt/loader/db"
	"github.com/spacex-elt/loader/internal/db"
	"github.com/spacex-elt/loader/internal/extract"
	"github.com/spacex-elt/loader/internal/migrate"
	"github.com/spacex-elt/loader/internal/pipeline"
)

// Exit codes, part of the command's interface.
const (
	exitOK     = 0
	exitFailed = 1
	exitUsage  = 2
)

const (
	defaultAPI  = "https://api.spacexdata.com"
	envLogFmt   = "LOADER_LOG_FORMAT"
	envLogLevel = "LOADER_LOG_LEVEL"
	envAPIURL   = "SPACEX_API_URL"
)

const exitCodesHelp = `Exit codes:
  0  success
  1  the command failed (connection, migration, extract, load); the message names what failed
  2  bad usage: unknown command or flag, invalid flag value
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
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
	case "help", "-h", "-help", "--help":
		if len(rest) == 1 && (rest[0] == "migrate" || rest[0] == "sync") {
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
schema_migrations, the same table the dbmate CLI uses), then creates every
gold view whose file in db/views changed since it was last applied. Views
whose SQL is unchanged are left alone. An advisory lock makes concurrent
migrates wait for each other.
`)
	if code, done := parse(fs, args, stdout, stderr); done {
		return code
	}
	cfg, logger, errOut, err := c.setup(stderr)
	if err != nil {
		return fail(stderr, "migrate", err)
	}
	start := time.Now()
	err = migrate.Up(ctx, cfg.ConnString(), migrate.Files{
		FS: schema.FS, MigrationsDir: schema.MigrationsDir, ViewsDir: schema.ViewsDir,
	}, scrub(stdout, cfg.ConnConfig.Password), logger)
	if err != nil {
		return fail(errOut, "migrate", err)
	}
	fmt.Fprintf(stdout, "migrate: %s is up to date (%s)\n", db.Describe(cfg.ConnConfig.Config), time.Since(start).Round(time.Millisecond))
	return exitOK
}

func runSync(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	fs := flag.NewFlagSet("sync", flag.ContinueOnError)
	var c common
	c.register(fs, getenv)
	source := fs.String("source", "", "read the snapshot `DIR` (files DIR/v4/<resource>.json) instead of the API")
	apiURL := fs.String("api-url", envOr(getenv, envAPIURL, defaultAPI), "API base `URL` (env "+envAPIURL+")")
	retries := fs.Uint("retries", 5, "retries per request after the first attempt, on network errors, 408, 429 and 5xx")
	retryDelay := fs.Duration("retry-delay", 15*time.Second, "base delay between retries, doubled each retry, plus up to as much random jitter; Retry-After on 429/503 takes precedence")
	httpTimeout := fs.Duration("http-timeout", time.Minute, "timeout of one HTTP request, body included")
	fs.Usage = usage(fs, `Usage: loader sync [flags]

Extracts rockets, launchpads, payloads and launches from the API (or from a
snapshot directory with --source), lands every document in landing.documents
with COPY, then in one transaction upserts them into the bronze tables and
refreshes the gold views. A failure anywhere leaves bronze and gold as they
were. Every run is recorded in meta.runs and meta.run_resources; the summary
printed at the end gives per resource the documents fetched and the bronze
rows inserted, updated and unchanged. The database must be migrated first.
`)
	if code, done := parse(fs, args, stdout, stderr); done {
		return code
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if set["source"] && set["api-url"] {
		return fail(stderr, "sync", usageError{errors.New("--source and --api-url exclude each other")})
	}
	if *httpTimeout <= 0 {
		return fail(stderr, "sync", usageError{fmt.Errorf("--http-timeout %s: must be positive", *httpTimeout)})
	}
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
		src = &extract.HTTP{
			BaseURL:    *apiURL,
			Client:     &http.Client{Timeout: *httpTimeout},
			Retries:    *retries,
			RetryDelay: *retryDelay,
			Logger:     logger,
		}
	}

	pool, err := db.Open(ctx, cfg)
	if err != nil {
		return fail(errOut, "sync", err)
	}
	defer pool.Close()

	start := time.Now()
	s := &pipeline.Syncer{Pool: pool, Source: src, Resources: pipeline.Resources, Logger: logger}
	res, err := s.Sync(ctx)
	if err != nil {
		return fail(errOut, "sync", err)
	}
	printSummary(stdout, res, src, time.Since(start))
	return exitOK
}

func printSummary(w io.Writer, res pipeline.Result, src extract.Source, elapsed time.Duration) {
	fmt.Fprintf(w, "run %d succeeded in %s from %s\n", res.RunID, elapsed.Round(time.Millisecond), src)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "resource\tfetched\tinserted\tupdated\tunchanged\t")
	for _, r := range res.Resources {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t\n", r.Resource, r.Fetched, r.Inserted, r.Updated, r.Unchanged)
	}
	tw.Flush()
}

// usageError marks errors that exit with exitUsage.
type usageError struct{ error }

func (e usageError) Unwrap() error { return e.error }

func fail(w io.Writer, cmd string, err error) int {
	fmt.Fprintf(w, "loader %s: %v\n", cmd, err)
	if errors.As(err, new(usageError)) {
		return exitUsage
	}
	return exitFailed
}

// parse parses flags; done reports that the command should exit with code
// (after --help, or on a bad flag, which flag has already reported).
func parse(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) (code int, done bool) {
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
	case fs.NArg() > 0:
		fmt.Fprintf(stderr, "loader %s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
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
