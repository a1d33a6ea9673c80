package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	iofs "io/fs"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/jackc/pgx/v5"

	schema "github.com/spacex-elt/loader/db"
	"github.com/spacex-elt/loader/internal/check"
	"github.com/spacex-elt/loader/internal/db"
	"github.com/spacex-elt/loader/internal/history"
	"github.com/spacex-elt/loader/internal/migrate"
)

func runStatus(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	fs := flag.NewFlagSet("status", flag.ContinueOnError)
	var c common
	c.register(fs, getenv)
	output := fs.String("output", "text", "report `format` on stdout: text or json")
	fs.Usage = usage(fs, `Usage: loader status [flags]

Reports the state of the database against this binary, reading only, in
one read-only transaction:
  - schema: the newest dbmate migration applied (schema_migrations), the
    embedded migrations not applied yet (loader migrate applies them), and
    any applied that this binary does not ship (a newer loader migrated);
  - files: each function (db/functions) and gold view (db/views) file, with
    the sha256 it was applied with (meta.applied_sql) and the one embedded
    in this binary, and its state: current; changed (the embedded file
    differs from the one applied); not applied; missing (a view whose
    relation is gone); not shipped (applied, but no longer in this binary).
    loader migrate makes all but "not shipped" current;
  - the last succeeded sync or replay: its run id, when it finished and how
    long ago (by the database server's clock);
  - the last check results loader check recorded (meta.check_runs,
    meta.check_results): when, the count of checks per status, and the
    checks that failed or could not run.
A database not migrated, or migrated by an older loader, lacks some of the
tables; what they would hold is reported as absent (not migrated, not
applied, none recorded), not as an error.

--output json prints one object: {database, up_to_date, schema: {version,
applied, pending, unknown}, files: [{name, kind, applied_sha256,
shipped_sha256, applied_at, state}], last_succeeded_run: {run_id, source,
started_at, finished_at, age_seconds} or null, last_check: {check_run_id,
checked_at, age_seconds, only, checks, counts: {pass, warn, fail, error},
failing: [{name, severity, status, violations, samples, error}]} or null}.
up_to_date is true when no migration is pending and every file is current.

The exit code is 0 when the status was read (whatever it says), 1 when the
database could not be read.
`)
	if code, done := parse(fs, args, 0, stdout, stderr); done {
		return code
	}
	if *output != "text" && *output != "json" {
		return fail(stderr, "status", usageError{fmt.Errorf("--output %q: want text or json", *output)})
	}
	shippedMigrations, shippedFiles, err := embedded()
	if err != nil {
		return fail(stderr, "status", err)
	}
	cfg, _, errOut, err := c.setup(stderr)
	if err != nil {
		return fail(stderr, "status", err)
	}
	pool, err := db.Open(ctx, cfg)
	if err != nil {
		return fail(errOut, "status", err)
	}
	defer pool.Close()

	st := status{Database: db.Describe(cfg.ConnConfig.Config)}
	err = pgx.BeginTxFunc(ctx, pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		return st.read(ctx, tx, shippedMigrations, shippedFiles)
	})
	if err != nil {
		return fail(errOut, "status", err)
	}
	if *output == "json" {
		err = encodeJSON(stdout, st.json())
	} else {
		st.print(stdout)
	}
	if err != nil {
		return fail(errOut, "status", err)
	}
	return exitOK
}

// embedded lists the migration versions and the function and view files
// this binary ships.
func embedded() (versions []string, files []history.Shipped, err error) {
	names, err := iofs.Glob(schema.FS, schema.MigrationsDir+"/*.sql")
	if err != nil {
		return nil, nil, err
	}
	for _, n := range names {
		// dbmate's version is the file name's leading digits.
		base := strings.TrimPrefix(n, schema.MigrationsDir+"/")
		v, _, _ := strings.Cut(base, "_")
		versions = append(versions, v)
	}
	for _, k := range []struct{ kind, dir string }{{migrate.KindFunction, schema.FunctionsDir}, {migrate.KindView, schema.ViewsDir}} {
		fs, err := migrate.ReadFiles(schema.FS, k.dir, k.kind)
		if err != nil {
			return nil, nil, err
		}
		for _, f := range fs {
			files = append(files, history.Shipped{Name: f.Name, Kind: k.kind, SHA256: f.SHA256})
		}
	}
	return versions, files, nil
}

// status is what loader status reports.
type status struct {
	Database string
	// Migrated: schema_migrations exists.
	Migrated bool
	Schema   history.Schema
	Files    []history.File
	// LastRun is nil when no run succeeded; LastCheck when no check run
	// was recorded.
	LastRun   *history.Succeeded
	LastCheck *check.Recorded
	// NoCheckTable: meta.check_runs does not exist (a schema older than
	// this loader's).
	NoCheckTable bool
}

func (st *status) read(ctx context.Context, tx pgx.Tx, shippedMigrations []string, shippedFiles []history.Shipped) error {
	tables, err := history.Present(ctx, tx)
	if err != nil {
		return err
	}
	var applied []string
	if st.Migrated = tables.SchemaMigrations; st.Migrated {
		if applied, err = history.Migrations(ctx, tx); err != nil {
			return err
		}
	}
	st.Schema = history.CompareMigrations(shippedMigrations, applied)
	var files []history.Applied
	if tables.AppliedSQL {
		if files, err = history.AppliedFiles(ctx, tx); err != nil {
			return err
		}
	}
	st.Files = history.CompareFiles(shippedFiles, files)
	if tables.Runs {
		last, ok, err := history.LastSucceeded(ctx, tx)
		if err != nil {
			return err
		}
		if ok {
			st.LastRun = &last
		}
	}
	st.NoCheckTable = !tables.CheckRuns
	if tables.CheckRuns {
		last, ok, err := check.Latest(ctx, tx)
		if err != nil {
			return err
		}
		if ok {
			st.LastCheck = &last
		}
	}
	return nil
}

// upToDate: no migration pending, every file current.
func (st *status) upToDate() bool {
	for _, f := range st.Files {
		if f.State != history.StateCurrent {
			return false
		}
	}
	return st.Migrated && len(st.Schema.Pending) == 0
}

// age rounds how long ago something happened for people to read.
func age(d time.Duration) string {
	return max(d, 0).Round(time.Second).String() + " ago"
}

func (st *status) print(w io.Writer) {
	fmt.Fprintf(w, "database:    %s\n", st.Database)
	s := st.Schema
	switch {
	case !st.Migrated:
		fmt.Fprintf(w, "schema:      not migrated (no schema_migrations table); %d migrations to apply: run loader migrate\n", len(s.Pending))
	case len(s.Pending) == 0:
		fmt.Fprintf(w, "schema:      migration %s, %d applied, none pending\n", s.Version, s.Applied)
	default:
		fmt.Fprintf(w, "schema:      migration %s, %d applied, %d pending: %s (run loader migrate)\n", s.Version, s.Applied, len(s.Pending), strings.Join(s.Pending, ", "))
	}
	if len(s.Unknown) > 0 {
		fmt.Fprintf(w, "             applied but not in this loader (a newer one migrated): %s\n", strings.Join(s.Unknown, ", "))
	}

	drifted, fixable := 0, 0
	for _, f := range st.Files {
		if f.State != history.StateCurrent {
			drifted++
			if f.State != history.StateNotShipped {
				fixable++
			}
		}
	}
	switch {
	case drifted == 0:
		fmt.Fprintf(w, "files:       %d function and view files, all current\n", len(st.Files))
	case fixable > 0:
		fmt.Fprintf(w, "files:       %d of %d function and view files differ from this loader's (run loader migrate):\n", drifted, len(st.Files))
	default:
		fmt.Fprintf(w, "files:       %d of %d function and view files differ from this loader's:\n", drifted, len(st.Files))
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  kind\tname\tapplied\tshipped\tapplied at\tstate")
	for _, f := range st.Files {
		at := "-"
		if f.AppliedAt != nil {
			at = f.AppliedAt.UTC().Format(time.RFC3339)
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\n", f.Kind, f.Name, short(f.AppliedSHA256), short(f.ShippedSHA256), at, f.State)
	}
	tw.Flush()

	if r := st.LastRun; r != nil {
		fmt.Fprintf(w, "last run:    run %d succeeded at %s, %s (%s)\n", r.RunID, r.FinishedAt.UTC().Format(time.RFC3339), age(r.Age), r.Source)
	} else {
		fmt.Fprintln(w, "last run:    no sync or replay has succeeded")
	}

	switch c := st.LastCheck; {
	case c != nil:
		counts := checkCounts(c.Results)
		scope := ""
		if c.Only != nil {
			scope = " (--only " + strings.Join(c.Only, ",") + ")"
		}
		fmt.Fprintf(w, "last check:  check run %d at %s, %s%s: %d checks: %d passed, %d warned, %d failed, %d could not run\n",
			c.CheckRunID, c.CheckedAt.UTC().Format(time.RFC3339), age(c.Age), scope,
			len(c.Results), counts["pass"], counts["warn"], counts["fail"], counts["error"])
		for _, r := range c.Results {
			switch r.Status() {
			case "fail":
				fmt.Fprintf(w, "             FAIL %s %d %s\n", r.Name, r.Violations, strings.Join(r.Samples, " | "))
			case "error":
				fmt.Fprintf(w, "             ERROR %s %s\n", r.Name, firstLine(r.Err.Error(), errorWidth))
			}
		}
	case st.NoCheckTable:
		fmt.Fprintln(w, "last check:  none recorded (no meta.check_runs table: run loader migrate)")
	default:
		fmt.Fprintln(w, "last check:  none recorded (loader check records its results)")
	}
}

// short abbreviates a sha256 as git does its hashes; "-" for none.
func short(sha string) string {
	if sha == "" {
		return "-"
	}
	return sha[:min(12, len(sha))]
}

func checkCounts(results []check.Result) map[string]int {
	counts := map[string]int{"pass": 0, "warn": 0, "fail": 0, "error": 0}
	for _, r := range results {
		counts[r.Status()]++
	}
	return counts
}

// jsonStatus is the status as --output json prints it.
type jsonStatus struct {
	Database  string         `json:"database"`
	UpToDate  bool           `json:"up_to_date"`
	Schema    jsonSchema     `json:"schema"`
	Files     []jsonFile     `json:"files"`
	LastRun   *jsonSucceeded `json:"last_succeeded_run"`
	LastCheck *jsonCheckRun  `json:"last_check"`
}

type jsonSchema struct {
	Version *string  `json:"version"`
	Applied int      `json:"applied"`
	Pending []string `json:"pending"`
	Unknown []string `json:"unknown"`
}

type jsonFile struct {
	Name          string     `json:"name"`
	Kind          string     `json:"kind"`
	AppliedSHA256 *string    `json:"applied_sha256"`
	ShippedSHA256 *string    `json:"shipped_sha256"`
	AppliedAt     *time.Time `json:"applied_at"`
	State         string     `json:"state"`
}

type jsonSucceeded struct {
	RunID      int64     `json:"run_id"`
	Source     string    `json:"source"`
	StartedAt  time.Time `json:"started_at"`
	FinishedAt time.Time `json:"finished_at"`
	AgeSeconds float64   `json:"age_seconds"`
}

type jsonCheckRun struct {
	CheckRunID int64          `json:"check_run_id"`
	CheckedAt  time.Time      `json:"checked_at"`
	AgeSeconds float64        `json:"age_seconds"`
	Only       []string       `json:"only"`
	Checks     int            `json:"checks"`
	Counts     map[string]int `json:"counts"`
	Failing    []jsonFailing  `json:"failing"`
}

// jsonFailing is a recorded check that failed or could not run.
type jsonFailing struct {
	Name       string   `json:"name"`
	Severity   string   `json:"severity"`
	Status     string   `json:"status"`
	Violations int64    `json:"violations"`
	Samples    []string `json:"samples"`
	Error      *string  `json:"error"`
}

func (st *status) json() jsonStatus {
	orNil := func(s string) *string {
		if s == "" {
			return nil
		}
		return &s
	}
	out := jsonStatus{
		Database: st.Database, UpToDate: st.upToDate(),
		Schema: jsonSchema{Version: orNil(st.Schema.Version), Applied: st.Schema.Applied, Pending: st.Schema.Pending, Unknown: st.Schema.Unknown},
		Files:  make([]jsonFile, len(st.Files)),
	}
	for i, f := range st.Files {
		out.Files[i] = jsonFile{Name: f.Name, Kind: f.Kind, AppliedSHA256: orNil(f.AppliedSHA256), ShippedSHA256: orNil(f.ShippedSHA256), State: f.State}
		if f.AppliedAt != nil {
			at := f.AppliedAt.UTC()
			out.Files[i].AppliedAt = &at
		}
	}
	if r := st.LastRun; r != nil {
		out.LastRun = &jsonSucceeded{RunID: r.RunID, Source: r.Source, StartedAt: r.StartedAt.UTC(), FinishedAt: r.FinishedAt.UTC(), AgeSeconds: r.Age.Seconds()}
	}
	if c := st.LastCheck; c != nil {
		j := &jsonCheckRun{
			CheckRunID: c.CheckRunID, CheckedAt: c.CheckedAt.UTC(), AgeSeconds: c.Age.Seconds(), Only: c.Only,
			Checks: len(c.Results), Counts: checkCounts(c.Results), Failing: []jsonFailing{},
		}
		for _, r := range c.Results {
			if s := r.Status(); s == "fail" || s == "error" {
				f := jsonFailing{Name: r.Name, Severity: string(r.Severity), Status: s, Violations: r.Violations, Samples: r.Samples}
				if r.Err != nil {
					f.Error = orNil(r.Err.Error())
				}
				j.Failing = append(j.Failing, f)
			}
		}
		out.LastCheck = j
	}
	return out
}
