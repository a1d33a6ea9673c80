package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/spacex-elt/loader/internal/db"
	"github.com/spacex-elt/loader/internal/history"
)

// errorWidth is how many characters of a run's error the text report
// shows: its first line, cut to fit a wide terminal beside the other
// columns.
const errorWidth = 72

func runRuns(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	fs := flag.NewFlagSet("runs", flag.ContinueOnError)
	var c common
	c.register(fs, getenv)
	limit := fs.Int("limit", 20, "show the newest `N` runs")
	output := fs.String("output", "text", "report `format` on stdout: text or json")
	fs.Usage = usage(fs, `Usage: loader runs [flags]

Lists the newest syncs and replays recorded in the run ledger (meta.runs,
meta.run_resources), newest first. It only reads, in one read-only
transaction.

The text report has one line per run: its id; its status (running,
succeeded, failed, cancelled or abandoned); its source (the API's URL,
dir:PATH for a snapshot directory, or "replay of run N"); when it started
(UTC, RFC 3339); how long it took ("running" while it runs); the bronze
rows it changed (inserted, updated and soft-deleted, over its resources:
0 for a run that did not succeed, whose promotion was rolled back); and the
first line of its error, shortened.

--output json prints a JSON array, newest first, of {run_id, status,
source, started_at, finished_at, duration_seconds, rows_changed, error,
views_refreshed, resources}; finished_at and duration_seconds are null
while the run runs, error is null when it has none, and resources lists per
resource {resource, absent, landed_run_id, not_modified, fetched, skipped,
bad_values, inserted, updated, unchanged, deleted, revived}, the counts
null when the run's promotion did not commit.

The exit code is 0 when the runs were listed (whatever their status), 1
when the database could not be read.
`)
	if code, done := parse(fs, args, 0, stdout, stderr); done {
		return code
	}
	if *limit < 1 {
		return fail(stderr, "runs", usageError{fmt.Errorf("--limit %d: must be at least 1", *limit)})
	}
	if *output != "text" && *output != "json" {
		return fail(stderr, "runs", usageError{fmt.Errorf("--output %q: want text or json", *output)})
	}
	cfg, _, errOut, err := c.setup(stderr)
	if err != nil {
		return fail(stderr, "runs", err)
	}
	pool, err := db.Open(ctx, cfg)
	if err != nil {
		return fail(errOut, "runs", err)
	}
	defer pool.Close()

	var runs []history.Run
	err = pgx.BeginTxFunc(ctx, pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		runs, err = history.Runs(ctx, tx, *limit)
		return err
	})
	if err != nil {
		return fail(errOut, "runs", err)
	}
	if *output == "json" {
		err = printRunsJSON(stdout, runs)
	} else {
		printRuns(stdout, runs)
	}
	if err != nil {
		return fail(errOut, "runs", err)
	}
	return exitOK
}

func printRuns(w io.Writer, runs []history.Run) {
	if len(runs) == 0 {
		fmt.Fprintln(w, "no runs recorded")
		return
	}
	var buf bytes.Buffer
	tw := tabwriter.NewWriter(&buf, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "run\tstatus\tsource\tstarted\tduration\trows changed\terror")
	for _, r := range runs {
		took := "running"
		if r.FinishedAt != nil {
			took = r.FinishedAt.Sub(r.StartedAt).Round(time.Millisecond).String()
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d\t%s\n", r.RunID, r.Status, r.Source,
			r.StartedAt.UTC().Format(time.RFC3339), took, r.RowsChanged, firstLine(r.Error, errorWidth))
	}
	tw.Flush()
	for line := range strings.Lines(buf.String()) {
		fmt.Fprintln(w, strings.TrimRight(line, " \n")) // a run without an error leaves padding
	}
}

// firstLine returns the first line of s, cut to at most width characters
// with an ellipsis when it is longer (or has more lines).
func firstLine(s string, width int) string {
	line, rest, _ := strings.Cut(s, "\n")
	line = strings.TrimSpace(line)
	cut := strings.TrimSpace(rest) != ""
	if utf8.RuneCountInString(line) > width {
		line, cut = string([]rune(line)[:width-1]), true
	}
	if cut {
		return strings.TrimRight(line, " ") + "…"
	}
	return line
}

// jsonRun is a run as --output json prints it.
type jsonRun struct {
	RunID           int64          `json:"run_id"`
	Status          string         `json:"status"`
	Source          string         `json:"source"`
	StartedAt       time.Time      `json:"started_at"`
	FinishedAt      *time.Time     `json:"finished_at"`
	DurationSeconds *float64       `json:"duration_seconds"`
	RowsChanged     int64          `json:"rows_changed"`
	Error           *string        `json:"error"`
	ViewsRefreshed  []string       `json:"views_refreshed"`
	Resources       []jsonResource `json:"resources"`
}

type jsonResource struct {
	Resource    string `json:"resource"`
	Absent      bool   `json:"absent"`
	LandedRunID *int64 `json:"landed_run_id"`
	NotModified bool   `json:"not_modified"`
	Fetched     int64  `json:"fetched"`
	Skipped     *bool  `json:"skipped"`
	BadValues   *int64 `json:"bad_values"`
	Inserted    *int64 `json:"inserted"`
	Updated     *int64 `json:"updated"`
	Unchanged   *int64 `json:"unchanged"`
	Deleted     *int64 `json:"deleted"`
	Revived     *int64 `json:"revived"`
}

func printRunsJSON(w io.Writer, runs []history.Run) error {
	out := make([]jsonRun, len(runs))
	for i, r := range runs {
		j := jsonRun{
			RunID: r.RunID, Status: r.Status, Source: r.Source, StartedAt: r.StartedAt.UTC(),
			RowsChanged: r.RowsChanged, ViewsRefreshed: r.ViewsRefreshed, Resources: make([]jsonResource, len(r.Resources)),
		}
		if r.FinishedAt != nil {
			f := r.FinishedAt.UTC()
			d := f.Sub(r.StartedAt).Seconds()
			j.FinishedAt, j.DurationSeconds = &f, &d
		}
		if r.Error != "" {
			j.Error = &r.Error
		}
		for k, rr := range r.Resources {
			j.Resources[k] = jsonResource(rr)
		}
		out[i] = j
	}
	return encodeJSON(w, out)
}

func encodeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
