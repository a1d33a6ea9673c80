package status

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spacex-elt/loader/internal/check"
	"github.com/spacex-elt/loader/internal/termtext"
)

// age rounds how long ago something happened for people to read.
func age(d time.Duration) string {
	return max(d, 0).Round(time.Second).String() + " ago"
}

// WriteText writes the report as loader status prints it, for people.
func (r Report) WriteText(w io.Writer) {
	fmt.Fprintf(w, "database:    %s\n", termtext.Escape(r.Database))
	s := r.Schema
	switch {
	case !r.Migrated:
		fmt.Fprintf(w, "schema:      not migrated (no schema_migrations table); %d migrations to apply: run loader migrate\n", len(s.Pending))
	case len(s.Pending) == 0:
		fmt.Fprintf(w, "schema:      migration %s, %d applied, none pending\n", termtext.Escape(s.Version), s.Applied)
	default:
		fmt.Fprintf(w, "schema:      migration %s, %d applied, %d pending: %s (run loader migrate)\n", termtext.Escape(s.Version), s.Applied, len(s.Pending), escapeJoin(s.Pending, ", "))
	}
	if len(s.Unknown) > 0 {
		fmt.Fprintf(w, "             applied but not in this loader (a newer one migrated): %s\n", escapeJoin(s.Unknown, ", "))
	}

	drifted, fixable := 0, 0
	for _, f := range r.Files {
		if f.State != StateCurrent {
			drifted++
			if f.State != StateNotShipped {
				fixable++
			}
		}
	}
	switch {
	case drifted == 0:
		fmt.Fprintf(w, "files:       %d function and view files, all current\n", len(r.Files))
	case fixable > 0:
		fmt.Fprintf(w, "files:       %d of %d function and view files differ from this loader's (run loader migrate):\n", drifted, len(r.Files))
	default:
		fmt.Fprintf(w, "files:       %d of %d function and view files differ from this loader's:\n", drifted, len(r.Files))
	}
	tw := termtext.NewTable(w)
	fmt.Fprintln(tw, "  kind\tname\tapplied\tshipped\tapplied at\tstate")
	for _, f := range r.Files {
		at := "-"
		if f.AppliedAt != nil {
			at = f.AppliedAt.UTC().Format(time.RFC3339)
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\n", termtext.Escape(f.Kind), termtext.Escape(f.Name), short(f.AppliedSHA256), short(f.ShippedSHA256), at, f.State)
	}
	tw.Flush()

	if l := r.LastRun; l != nil {
		fmt.Fprintf(w, "last run:    run %d succeeded at %s, %s (%s)\n", l.RunID, l.FinishedAt.UTC().Format(time.RFC3339), age(l.Age), termtext.Escape(l.Source))
	} else {
		fmt.Fprintln(w, "last run:    no sync or replay has succeeded")
	}

	switch {
	case r.LastCheck != nil:
		writeCheckRun(w, "last check:  ", r.LastCheck)
	case r.NoCheckTable:
		fmt.Fprintln(w, "last check:  none recorded (no meta.check_runs table: run loader migrate)")
	case r.LaterOnly != nil:
		fmt.Fprintln(w, "last check:  none of every check recorded (loader check without --only records one)")
	default:
		fmt.Fprintln(w, "last check:  none recorded (loader check records its results)")
	}
	if r.LaterOnly != nil {
		writeCheckRun(w, "later:       ", r.LaterOnly)
	}
}

// writeCheckRun writes the line of check run c after label, then one line
// per check that failed or could not run.
func writeCheckRun(w io.Writer, label string, c *check.Recorded) {
	scope := ""
	if c.Only != nil {
		scope = " (--only " + escapeJoin(c.Only, ",") + ")"
	}
	fmt.Fprintf(w, "%scheck run %d at %s, %s%s: %s\n",
		label, c.CheckRunID, c.CheckedAt.UTC().Format(time.RFC3339), age(c.Age), scope, check.Tally(c.Results))
	for _, cr := range c.Results {
		switch cr.Status() {
		case "fail":
			fmt.Fprintf(w, "             FAIL %s %d %s\n", termtext.Escape(cr.Name), cr.Violations, check.SampleText(cr.Samples))
		case "error":
			fmt.Fprintf(w, "             ERROR %s %s\n", termtext.Escape(cr.Name), termtext.FirstLine(cr.Err.Error(), termtext.ErrorWidth))
		}
	}
}

// escapeJoin joins names read from the database, escaped.
func escapeJoin(names []string, sep string) string {
	escaped := make([]string, len(names))
	for i, n := range names {
		escaped[i] = termtext.Escape(n)
	}
	return strings.Join(escaped, sep)
}

// short abbreviates a sha256 as git does its hashes; "-" for none.
func short(sha string) string {
	if sha == "" {
		return "-"
	}
	return termtext.Escape(sha[:min(12, len(sha))])
}
