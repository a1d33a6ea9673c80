// Package summary tells what syncs and replays did, as text for people or
// JSON for scripts (--output json): the summary of a finished run (loader
// sync and replay), as the metrics package tells it to Prometheus, and the
// newest runs in the ledger (loader runs). It writes nothing to the
// database.
package summary

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spacex-elt/loader/internal/check"
	"github.com/spacex-elt/loader/internal/drift"
	"github.com/spacex-elt/loader/internal/ledger"
	"github.com/spacex-elt/loader/internal/pipeline"
	"github.com/spacex-elt/loader/internal/termtext"
)

// Run is the machine-readable summary of a sync or replay
// (--output json), printed whether the run succeeded or not.
type Run struct {
	RunID  int64         `json:"run_id"`
	Status ledger.Status `json:"status"`
	Error  string        `json:"error,omitempty"`
	// Contract is the contract mode the run ran under: warn or fail (empty
	// when no run was opened).
	Contract       pipeline.Contract `json:"contract"`
	DurationMS     int64             `json:"duration_ms"`
	Abandoned      []int64           `json:"abandoned_runs"`
	Resources      []Resource        `json:"resources"`
	ViewsRefreshed []string          `json:"views_refreshed"`
	// Checks are the data tests' results, with --check.
	Checks []check.JSONResult `json:"checks,omitempty"`
}

// Resource is a resource of Run.
type Resource struct {
	Resource string `json:"resource"`
	// Extract is landed, not_modified, absent or reused (a replay).
	Extract string `json:"extract"`
	// HTTPStatus and Attempts are 0 when the source is not HTTP.
	HTTPStatus int `json:"http_status"`
	Attempts   int `json:"attempts"`
	Retries    int `json:"retries"`
	// WaitMS is the time spent waiting between attempts (--retry-delay,
	// Retry-After), part of LandingMS.
	WaitMS      int64 `json:"wait_ms"`
	LandedRunID int64 `json:"landed_run_id"`
	Fetched     int64 `json:"fetched"`
	Skipped     bool  `json:"skipped"`
	Inserted    int64 `json:"inserted"`
	Updated     int64 `json:"updated"`
	Unchanged   int64 `json:"unchanged"`
	Deleted     int64 `json:"deleted"`
	Revived     int64 `json:"revived"`
	Duplicates  int64 `json:"duplicates"`
	Rejected    int64 `json:"rejected"`
	BadValues   int64 `json:"bad_values"`
	Sanitized   int64 `json:"sanitized"`
	// Oversized lists the documents over --max-document-bytes, as
	// meta.run_resources.oversized does; [] when none.
	Oversized   []ledger.Oversized `json:"oversized"`
	Drift       []drift.Change     `json:"drift"`
	LandingMS   int64              `json:"landing_ms"`
	PromotionMS int64              `json:"promotion_ms"`
}

// JSON is the summary of a run: res as far as the run got, status and, for
// a run that did not succeed, its error; checked are its checks (--check).
func JSON(res pipeline.Result, status ledger.Status, runErr error, elapsed time.Duration, checked []check.Result) Run {
	out := Run{
		RunID: res.RunID, Status: status, Contract: res.Contract, DurationMS: elapsed.Milliseconds(),
		Abandoned: res.Abandoned, Resources: []Resource{}, ViewsRefreshed: res.ViewsRefreshed,
		Checks: check.JSON(checked),
	}
	if runErr != nil {
		out.Error = runErr.Error()
	}
	if out.Abandoned == nil {
		out.Abandoned = []int64{}
	}
	if out.ViewsRefreshed == nil {
		out.ViewsRefreshed = []string{}
	}
	for _, r := range res.Resources {
		s := Resource{
			Resource: r.Resource, Extract: extractKind(res.RunID, r), HTTPStatus: r.HTTPStatus, Attempts: r.Attempts,
			Retries: max(0, r.Attempts-1), WaitMS: r.RetryWait.Milliseconds(), LandedRunID: r.LandedRunID, Fetched: r.Documents, Skipped: r.Skipped,
			Inserted: r.Inserted, Updated: r.Updated, Unchanged: r.Unchanged, Deleted: r.Deleted, Revived: r.Revived,
			Duplicates: r.Duplicates, Rejected: r.Rejected, BadValues: r.BadValues, Sanitized: r.Sanitized,
			Drift: r.Drift, LandingMS: r.LandingDuration.Milliseconds(), PromotionMS: r.PromotionDuration.Milliseconds(),
		}
		if s.Drift == nil {
			s.Drift = []drift.Change{}
		}
		if s.Oversized = r.Oversized; s.Oversized == nil {
			s.Oversized = []ledger.Oversized{}
		}
		out.Resources = append(out.Resources, s)
	}
	return out
}

// extractKind says where a resource's documents came from in a run.
func extractKind(runID int64, r pipeline.ResourceResult) string {
	switch {
	case r.Absent:
		return "absent"
	case r.NotModified:
		return "not_modified"
	case r.LandedRunID != runID:
		return "reused"
	}
	return "landed"
}

// WriteText writes the summary of a run that succeeded, for people: a
// table of its resources, then a line per resource that needs one (bad
// values, repeated ids, drift, ...) and the gold views refreshed. The first
// line says the contract mode the run ran under: a replay's may be its
// run's rather than the flag's default.
func WriteText(w io.Writer, res pipeline.Result, elapsed time.Duration) {
	fmt.Fprintf(w, "run %d succeeded in %s under --contract %s\n", res.RunID, elapsed.Round(time.Millisecond), res.Contract)
	views := "none"
	if len(res.ViewsRefreshed) > 0 {
		views = termtext.Escape(strings.Join(res.ViewsRefreshed, ", "))
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
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%d\t%d\t\n", termtext.Escape(r.Resource), how, r.Documents, r.Inserted, r.Updated, r.Unchanged, r.Deleted, r.Revived)
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
		if len(r.Oversized) > 0 {
			notes = append(notes, oversizedNote(r.Oversized))
		}
		note(r.Rejected, "documents without a usable id (missing, null, empty or not a string or number), left in landing; nothing soft-deleted")
		if r.Attempts > 1 {
			notes = append(notes, fmt.Sprintf("%d attempts, %s spent waiting between them", r.Attempts, r.RetryWait.Round(time.Millisecond)))
		}
		if len(r.Drift) > 0 {
			notes = append(notes, "drift from the contract: "+drift.Describe(r.Drift))
		}
		if len(notes) > 0 {
			fmt.Fprintf(w, "%s: %s\n", termtext.Escape(r.Resource), termtext.Escape(strings.Join(notes, "; ")))
		}
	}
}

// oversizedNote says which documents were over --max-document-bytes, the
// first few by ordinal and size; meta.run_resources.oversized has them all.
func oversizedNote(o []ledger.Oversized) string {
	const shown = 5
	var each []string
	for _, d := range o[:min(len(o), shown)] {
		each = append(each, fmt.Sprintf("ordinal %d (%d bytes)", d.Ordinal, d.Bytes))
	}
	if len(o) > shown {
		each = append(each, fmt.Sprintf("%d more in meta.run_resources.oversized", len(o)-shown))
	}
	return fmt.Sprintf("%d documents over --max-document-bytes, rejected: %s", len(o), strings.Join(each, ", "))
}
