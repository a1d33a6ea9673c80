package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/spacex-elt/loader/internal/check"
	"github.com/spacex-elt/loader/internal/db"
	"github.com/spacex-elt/loader/internal/status"
)

var cmdStatus = &command{
	name: "status", usage: "[flags]", short: "the schema, function and view files against this\nbinary, the last succeeded run and check results",
	output: "report `format` on stdout: text or json",
	long: `Reports the state of the database against this binary, reading only, in
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
`,
	flags: func(*flags) func(context.Context, *invocation) error {
		return func(ctx context.Context, in *invocation) error {
			bin, err := status.ShippedBy(embedded)
			if err != nil {
				return err
			}
			var st status.Report
			cfg, err := in.read(ctx, func(tx pgx.Tx) (err error) {
				st, err = status.Read(ctx, tx, bin)
				return err
			})
			if err != nil {
				return err
			}
			st.Database = db.Describe(cfg.ConnConfig.Config)
			if in.json {
				return encodeJSON(in.stdout, st.JSON())
			}
			printStatus(in.stdout, st)
			return nil
		}
	},
}

// age rounds how long ago something happened for people to read.
func age(d time.Duration) string {
	return max(d, 0).Round(time.Second).String() + " ago"
}

func printStatus(w io.Writer, st status.Report) {
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
		if f.State != status.StateCurrent {
			drifted++
			if f.State != status.StateNotShipped {
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
		counts := check.Counts(c.Results)
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
