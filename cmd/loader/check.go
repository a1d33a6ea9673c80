package main

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/spacex-elt/loader/internal/check"
	"github.com/spacex-elt/loader/internal/cliflag"
	"github.com/spacex-elt/loader/internal/notify"
	"github.com/spacex-elt/loader/internal/termtext"
)

// defaultMaxAge is how old the last succeeded run may be before runs_fresh
// fails: a day and a half, so that an hourly or daily schedule that missed
// a run or two is still fine, and one that stopped is caught the next day.
const defaultMaxAge = 36 * time.Hour

var cmdCheck = &command{
	name: "check", usage: "[flags]", exits: []int{exitCheckFailed, exitCancelled}, short: "run the data tests in db/checks against bronze", output: "report `format` on stdout: text or json",
	long: `Runs the data tests in db/checks (embedded in the binary) against the
database. Each check is a SELECT returning the rows that violate it; only
live rows (deleted_at IS NULL) count. All run in one read-only REPEATABLE
READ transaction, so they see one snapshot even while a sync commits. They
test:
  - unique keys: launch, payload, ship and dragon names, core and capsule
    serials (error); flight_number, and a payload listed by two launches or
    a core or crew member listed twice by one (warn)
  - the fields the API's model requires are not NULL (error)
  - the API's enums: launch date_precision, statuses, capsule type (error);
    the values the data has for landing_type and landpad type (warn)
  - every reference resolves to a live record, reverse lists included (warn)
  - forward and reverse link lists agree: launches and payloads, cores,
    capsules, crew, ships, landpads, launchpads (warn)
  - date_unix, static_fire_date_unix and date_local agree with the UTC dates
    (warn); values of the wrong type set to NULL (warn)
  - bridge tables hold exactly their live parents' array elements (error)
  - runs_fresh: some run succeeded, and the newest finished within
    --max-age (error)
docs/checks.md describes each check and its count on the bundled snapshot.

The text report has one line per check: its status (pass; WARN, a warn
check found rows; FAIL, an error check found rows; ERROR, the check's SQL
failed), its name, the number of violating rows and the first 5 of their
keys; then a summary line. --output json prints a JSON array of
{name, severity, status, description, violations, samples, error}.

Then the results are recorded in meta.check_runs and meta.check_results,
in one short write transaction of its own; loader status shows the last
recorded. If that write fails (a read-only standby, a login without INSERT
on meta, a database not migrated to this loader), stderr says so and the
exit code is still the checks'.

The exit code is 0 when no error check found anything (warns do not
count), 4 when one did, and 1 when a check could not run (an ERROR line,
which takes precedence) or the database could not be reached.
`,
	flags: func(f *flags) func(context.Context, *invocation) error {
		maxAge := defaultMaxAge
		f.Var(cliflag.Duration{P: &maxAge}, "max-age", "how long ago the last succeeded run (sync or replay) may have finished before runs_fresh fails (a `duration`: 36h, 2d, 1d12h); 0 means no limit, but some run must have succeeded")
		var notifyURL string
		f.Secret(&notifyURL, "notify-url", envNotifyURL, "", "post a short JSON message (Slack's incoming webhook format) to `URL` when a check of severity error fails; a failed post is logged and changes nothing")
		var only []string
		f.Var(cliflag.List{P: &only}, "only", "run only these checks: comma-separated `names` (file names in db/checks without .sql)")
		return func(ctx context.Context, in *invocation) error {
			if err := checkURL("notify-url / "+envNotifyURL, notifyURL); err != nil {
				return err
			}
			checks, err := check.Embedded()
			if err != nil {
				return err
			}
			if checks, err = check.Select(checks, only); err != nil {
				return usageError{fmt.Errorf("--only: %w", err)}
			}
			pool, _, err := in.open(ctx)
			if err != nil {
				return err
			}
			defer pool.Close()
			results, err := runChecks(ctx, in, pool, checks, maxAge, only)
			if err != nil {
				return err
			}
			if in.json {
				err = encodeJSON(in.stdout, check.JSON(results))
			} else {
				check.WriteText(in.stdout, results)
			}
			if err != nil {
				return err
			}
			return exit(checksOutcome(ctx, in, notifyURL, 0, results))
		}
	},
}

// runChecks runs the checks and records their results for loader status,
// in a write of its own after the read-only checks. Not recording does not
// change what the data is: it is reported, and the results stand.
func runChecks(ctx context.Context, in *invocation, pool *pgxpool.Pool, checks []check.Check, maxAge time.Duration, only []string) ([]check.Result, error) {
	start := time.Now()
	results, err := check.Run(ctx, pool, checks, check.Options{MaxAge: maxAge})
	if err != nil {
		return nil, err
	}
	in.logger.DebugContext(ctx, "checks run", "checks", len(results), "elapsed", time.Since(start).Round(time.Millisecond))
	if id, err := check.Record(ctx, pool, results, check.Options{MaxAge: maxAge}, only); err != nil {
		fmt.Fprintf(in.stderr, "loader %s: the results were checked but not recorded (loader status will not show them): %s\n", in.name, termtext.Escape(err.Error()))
	} else {
		in.logger.DebugContext(ctx, "check results recorded", "check_run_id", id)
	}
	return results, nil
}

// checksOutcome is the exit code results call for: exitFailed when a
// check could not run (each said on stderr), exitCheckFailed when a check
// of severity error found rows, exitOK otherwise. Failed checks of
// severity error are notified to url, if any (runID 0: loader check).
func checksOutcome(ctx context.Context, in *invocation, url string, runID int64, results []check.Result) int {
	code := exitOK
	for _, r := range results {
		switch r.Status() {
		case "error":
			fmt.Fprintf(in.stderr, "loader %s: %s\n", in.name, termtext.Escape(r.Err.Error()))
			code = exitFailed
		case "fail":
			if code == exitOK {
				code = exitCheckFailed
			}
		}
	}
	if code == exitCheckFailed && url != "" {
		notify.Send(ctx, in.logger, url, notify.ChecksFailed(in.name, runID, results))
	}
	return code
}
