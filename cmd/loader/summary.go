package main

import (
	"io"
	"time"

	"github.com/spacex-elt/loader/internal/check"
	"github.com/spacex-elt/loader/internal/drift"
	"github.com/spacex-elt/loader/internal/ledger"
	"github.com/spacex-elt/loader/internal/pipeline"
)

// runSummary is the machine-readable summary of a sync or replay
// (--output json), printed whether the run succeeded or not.
type runSummary struct {
	RunID          int64             `json:"run_id"`
	Status         ledger.Status     `json:"status"`
	Error          string            `json:"error,omitempty"`
	DurationMS     int64             `json:"duration_ms"`
	Abandoned      []int64           `json:"abandoned_runs"`
	Resources      []resourceSummary `json:"resources"`
	ViewsRefreshed []string          `json:"views_refreshed"`
	// Checks are the data tests' results, with --check.
	Checks []check.JSONResult `json:"checks,omitempty"`
}

type resourceSummary struct {
	Resource string `json:"resource"`
	// Extract is landed, not_modified, absent or reused (a replay).
	Extract string `json:"extract"`
	// HTTPStatus and Attempts are 0 when the source is not HTTP.
	HTTPStatus  int            `json:"http_status"`
	Attempts    int            `json:"attempts"`
	Retries     int            `json:"retries"`
	LandedRunID int64          `json:"landed_run_id"`
	Fetched     int64          `json:"fetched"`
	Skipped     bool           `json:"skipped"`
	Inserted    int64          `json:"inserted"`
	Updated     int64          `json:"updated"`
	Unchanged   int64          `json:"unchanged"`
	Deleted     int64          `json:"deleted"`
	Revived     int64          `json:"revived"`
	Duplicates  int64          `json:"duplicates"`
	Rejected    int64          `json:"rejected"`
	BadValues   int64          `json:"bad_values"`
	Sanitized   int64          `json:"sanitized"`
	Drift       []drift.Change `json:"drift"`
	LandingMS   int64          `json:"landing_ms"`
	PromotionMS int64          `json:"promotion_ms"`
}

// writeSummaryJSON writes the summary of a run: res as far as the run got,
// status and, for a run that did not succeed, its error.
func writeSummaryJSON(w io.Writer, res pipeline.Result, status ledger.Status, runErr error, elapsed time.Duration, checked []check.Result) error {
	out := runSummary{
		RunID: res.RunID, Status: status, DurationMS: elapsed.Milliseconds(),
		Abandoned: res.Abandoned, Resources: []resourceSummary{}, ViewsRefreshed: res.ViewsRefreshed,
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
		s := resourceSummary{
			Resource: r.Resource, Extract: extractKind(res.RunID, r), HTTPStatus: r.Status, Attempts: r.Attempts,
			Retries: max(0, r.Attempts-1), LandedRunID: r.LandedRunID, Fetched: r.Fetched, Skipped: r.Skipped,
			Inserted: r.Inserted, Updated: r.Updated, Unchanged: r.Unchanged, Deleted: r.Deleted, Revived: r.Revived,
			Duplicates: r.Duplicates, Rejected: r.Rejected, BadValues: r.BadValues, Sanitized: r.Sanitized,
			Drift: r.Drift, LandingMS: r.Landing.Milliseconds(), PromotionMS: r.Promotion.Milliseconds(),
		}
		if s.Drift == nil {
			s.Drift = []drift.Change{}
		}
		out.Resources = append(out.Resources, s)
	}
	return encodeJSON(w, out)
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
