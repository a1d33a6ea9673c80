package main

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/spacex-elt/loader/internal/ledger"
	"github.com/spacex-elt/loader/internal/summary"
)

var cmdRuns = &command{
	name: "runs", usage: "[flags]", exits: []int{exitCancelled}, short: "list the newest runs from the ledger, newest first", output: "report `format` on stdout: text or json",
	long: `Lists the newest syncs and replays recorded in the run ledger (meta.runs,
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
`,
	flags: func(f *flags) func(context.Context, *invocation) error {
		limit := f.Int("limit", 20, "show the newest `N` runs")
		return func(ctx context.Context, in *invocation) error {
			if *limit < 1 {
				return usageError{fmt.Errorf("--limit %d: must be at least 1", *limit)}
			}
			var runs []ledger.Run
			_, err := in.read(ctx, func(tx pgx.Tx) (err error) {
				runs, err = ledger.Runs(ctx, tx, *limit)
				return err
			})
			if err != nil {
				return err
			}
			if in.json {
				return encodeJSON(in.stdout, summary.ListJSON(runs))
			}
			summary.ListText(in.stdout, runs)
			return nil
		}
	},
}
