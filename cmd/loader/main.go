// Command loader loads the SpaceX API into PostgreSQL: raw JSON into landing,
// typed tables into bronze, metrics into gold. See `loader help`.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/spacex-elt/loader/internal/cliflag"
	"github.com/spacex-elt/loader/internal/db"
	"github.com/spacex-elt/loader/internal/pipeline"
	"github.com/spacex-elt/loader/internal/status"
	"github.com/spacex-elt/loader/internal/termtext"
)

// Exit codes, part of the command's interface.
const (
	exitOK          = 0
	exitFailed      = 1
	exitUsage       = 2
	exitLocked      = 3
	exitCheckFailed = 4
	exitCancelled   = 130
)

// exitCodes describes every exit code, in the order help lists them.
var exitCodes = cliflag.ExitCodes{
	{Code: exitOK, Text: "success"},
	{Code: exitFailed, Text: `the command failed (connection, migration, extract, load, drift with
--contract=fail, a shrink past --max-delete-fraction); the message names
what failed, and a failed run is recorded in meta.runs`},
	{Code: exitUsage, Text: "bad usage: unknown command or flag, invalid flag value"},
	{Code: exitLocked, Text: "another sync or replay holds the run lock (after --lock-timeout)"},
	{Code: exitCheckFailed, Text: `loader check, or sync/replay --check: a check of severity error found
violations (the run itself succeeded)`},
	{Code: exitCancelled, Text: `interrupted by SIGINT or SIGTERM: what it was writing was rolled back
(a sync or replay is recorded as cancelled)`},
}

// A command is one of loader's commands, as the Go tool's base.Command is
// one of go's: dispatch, `loader help CMD` and the main usage all come from
// the table of them, so that a command's name is written once.
type command struct {
	name string
	// usage follows "loader NAME" in its usage line; the main usage lists
	// it without "[flags]" when it says more.
	usage string
	// nargs is how many arguments it takes besides its flags.
	nargs int
	// short is its line in the main usage (wrapped to fit); long, its
	// help after the usage line.
	short, long string
	// noDatabase: it takes no --database-url; anySchema: it reads a
	// database however far it is migrated (status), where others refuse.
	noDatabase, anySchema bool
	// exits are the exit codes it may return besides exitOK, exitFailed
	// and exitUsage, which every command may; its help lists only those.
	exits []int
	// output is the help of its --output flag; "" when it has none.
	output string
	// flags registers the command's own flags and returns the function
	// that runs it once they are parsed.
	flags func(f *flags) func(ctx context.Context, in *invocation) error
}

// commands is every command, in the order the main usage lists them.
var commands = []*command{cmdMigrate, cmdSync, cmdReplay, cmdCheck, cmdSnapshot, cmdRuns, cmdStatus, cmdReport, cmdVersion}

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
		fmt.Fprint(stderr, mainUsage())
		return exitUsage
	}
	switch name, rest := args[0], args[1:]; {
	case lookup(strings.TrimLeft(name, "-")) == cmdVersion: // loader --version
		return cmdVersion.run(ctx, rest, stdout, stderr, getenv)
	case lookup(name) != nil:
		return lookup(name).run(ctx, rest, stdout, stderr, getenv)
	case (name == "help" || isHelp(name)) && len(rest) == 0:
		fmt.Fprint(stdout, mainUsage())
		return exitOK
	case (name == "help" || isHelp(name)) && len(rest) == 1 && lookup(rest[0]) != nil:
		return lookup(rest[0]).run(ctx, []string{"--help"}, stdout, stderr, getenv)
	case name == "help" || isHelp(name):
		fmt.Fprintf(stderr, "loader help: unknown command %q\n\n%s", strings.Join(rest, " "), mainUsage())
		return exitUsage
	default:
		fmt.Fprintf(stderr, "loader: unknown command %q\n\n%s", name, mainUsage())
		return exitUsage
	}
}

// lookup returns the command called name, or nil.
func lookup(name string) *command {
	if i := slices.IndexFunc(commands, func(c *command) bool { return c.name == name }); i >= 0 {
		return commands[i]
	}
	return nil
}

func mainUsage() string {
	var b strings.Builder
	b.WriteString("loader loads the SpaceX API into PostgreSQL.\n\nUsage:\n")
	line := func(usage, short string) {
		fmt.Fprintf(&b, "  %-24s %s\n", "loader "+usage, strings.ReplaceAll(termtext.Wrap(short, 80-27, ""), "\n", "\n"+strings.Repeat(" ", 27)))
	}
	for _, c := range commands {
		usage := c.name + " " + c.usage
		if shorter := strings.TrimSpace(strings.Replace(usage, " [flags]", "", 1)); shorter != c.name {
			usage = shorter
		}
		line(usage, c.short)
	}
	line("help [command]", "show help")
	return b.String() + "\nRun 'loader COMMAND --help' for a command's flags.\n\n" + exitCodes.Help(nil)
}

// codes are the exit codes c may return.
func (c *command) codes() []int { return append([]int{exitOK, exitFailed, exitUsage}, c.exits...) }

// run parses the command's flags from args and runs it. A failure is
// reported on stderr, redacted, with its exit code.
func (c *command) run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	f := &flags{FlagSet: fs, Getenv: getenv}
	in := &invocation{name: c.name, noDatabase: c.noDatabase, anySchema: c.anySchema, stdout: stdout, stderr: stderr, fs: fs}
	f.Env(&in.logFormat, "log-format", envLogFmt, "text", "log `format` on stderr: text or json")
	f.Env(&in.logLevel, "log-level", envLogLevel, "info", "log `level`: debug (which also logs the effective configuration, redacted), info, warn or error")
	if !c.noDatabase {
		f.Secret(&in.databaseURL, "database-url", envDatabaseURL, "",
			"PostgreSQL connection string, URL or key=value `DSN`; settings it leaves out come from PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE, PGSSLMODE")
	}
	var output string
	if c.output != "" {
		fs.StringVar(&output, "output", "text", c.output)
	}
	runCmd := c.flags(f)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "Usage: loader ", c.name, " ", c.usage, "\n\n", c.long, "\nFlags:\n")
		cliflag.PrintDefaults(fs.Output(), fs)
		fmt.Fprint(fs.Output(), "\n", exitCodes.Help(c.codes()))
	}
	fs.SetOutput(stderr)
	if i := slices.IndexFunc(args, isHelp); i >= 0 && !slices.Contains(args[:i], "--") {
		fs.SetOutput(stdout) // asked-for help is output, not an error
	}
	err := cliflag.Parse(fs, args) // flags before or after the arguments
	switch {
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	case err != nil:
		return exitUsage // flag has said why
	case c.nargs == 0 && fs.NArg() > 0:
		err = usageError{fmt.Errorf("unexpected argument %q", fs.Arg(0))}
	case fs.NArg() != c.nargs:
		err = usageError{fmt.Errorf("want %d argument(s), got %d", c.nargs, fs.NArg())}
	case c.output != "":
		in.json, err = isJSON("output", output)
	}
	if err == nil {
		err = runCmd(ctx, in)
	}
	if code := exit(0); errors.As(err, &code) {
		return int(code)
	}
	if err != nil {
		if code := fail(in.stderr, c.name, err); slices.Contains(c.codes(), code) {
			return code
		}
		return exitFailed // not one c's help lists: an interrupted read, say
	}
	return exitOK
}

// flags registers a command's flags, with environment defaults.
type flags = cliflag.Set

// Environment variables of flags.
const (
	envDatabaseURL = "DATABASE_URL"
	envLogFmt      = "LOADER_LOG_FORMAT"
	envLogLevel    = "LOADER_LOG_LEVEL"
	envAPIURL      = "SPACEX_API_URL"
	envNotifyURL   = "LOADER_NOTIFY_URL"
)

// invocation is one run of a command: its common flags and outputs.
type invocation struct {
	name                             string
	databaseURL, logFormat, logLevel string
	noDatabase, anySchema            bool
	// json: --output json.
	json bool
	// stderr is where logs and errors go. Once setup knows the database
	// password, both go through writers that mask it.
	stdout, stderr io.Writer
	logger         *slog.Logger
	fs             *flag.FlagSet // the command's flags, for the debug log
}

// setup builds the logger, the one of every command (text for people,
// JSON for machines), and for a command that takes one the pool
// configuration; from then on stderr masks the database password. When
// nothing names a database it returns db.ErrNoDatabase, with the logger built.
func (in *invocation) setup() (*pgxpool.Config, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(in.logLevel)); err != nil {
		return nil, usageError{fmt.Errorf("--log-level %q: want debug, info, warn or error", in.logLevel)}
	}
	asJSON, err := isJSON("log-format", in.logFormat)
	if err != nil {
		return nil, err
	}
	var cfg *pgxpool.Config
	var noDatabase error
	if !in.noDatabase {
		cfg, err = db.ParseConfig(in.databaseURL)
		switch {
		case errors.Is(err, db.ErrNoDatabase):
			noDatabase = err
		case err != nil:
			return nil, usageError{fmt.Errorf("--database-url / %s: %w", envDatabaseURL, err)}
		default:
			in.stderr = db.MaskWriter(in.stderr, cfg.ConnConfig.Password)
		}
	}
	opts := &slog.HandlerOptions{Level: level}
	in.logger = slog.New(slog.NewTextHandler(in.stderr, opts))
	if asJSON {
		in.logger = slog.New(slog.NewJSONHandler(in.stderr, opts))
	}
	// The effective configuration, once, redacted: the database as
	// connected to (no password), then every flag's value.
	attrs := []any{"log_format", in.logFormat, "log_level", level.String()}
	if cfg != nil {
		attrs = append([]any{"database", db.Describe(cfg.ConnConfig.Config)}, attrs...)
	}
	in.logger.Debug("configuration", append(attrs, cliflag.Effective(in.fs, "database-url", "log-format", "log-level")...)...)
	return cfg, noDatabase
}

// open sets up and connects; the caller closes the pool.
func (in *invocation) open(ctx context.Context) (*pgxpool.Pool, *pgxpool.Config, error) {
	cfg, err := in.setup()
	if err != nil {
		return nil, nil, err
	}
	pool, err := status.Open(ctx, cfg, embedded, in.anySchema)
	return pool, cfg, err
}

// read runs do in one read-only REPEATABLE READ transaction, so that all
// it reads comes from one snapshot.
func (in *invocation) read(ctx context.Context, do func(pgx.Tx) error) (*pgxpool.Config, error) {
	pool, cfg, err := in.open(ctx)
	if err != nil {
		return nil, err
	}
	defer pool.Close()
	return cfg, pgx.BeginTxFunc(ctx, pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, do)
}

// isJSON says whether the flag --name's value asks for JSON: text is for
// people, json for machines, and anything else is bad usage.
func isJSON(name, value string) (bool, error) {
	if value != "text" && value != "json" {
		return false, usageError{fmt.Errorf("--%s %q: want text or json", name, value)}
	}
	return value == "json", nil
}

// encodeJSON writes v as every command's --output json does: indented,
// with <, > and & as they are.
func encodeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// usageError marks errors that exit with exitUsage.
type usageError struct{ error }

func (e usageError) Unwrap() error { return e.error }

// exit ends a command with its code, the command having said why.
type exit int

func (e exit) Error() string { return fmt.Sprintf("exit %d", int(e)) }

func fail(w io.Writer, cmd string, err error) int {
	fmt.Fprintf(w, "loader %s: %s\n", cmd, termtext.Escape(err.Error())) // one line, whatever the error quotes
	switch {
	case errors.As(err, new(usageError)):
		return exitUsage
	case errors.Is(err, pipeline.ErrLocked):
		return exitLocked
	case errors.Is(err, context.Canceled):
		return exitCancelled
	}
	return exitFailed
}

// isHelp says whether arg asks for help.
func isHelp(arg string) bool { return arg == "-h" || arg == "-help" || arg == "--help" }
