package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	neturl "net/url"
	"strings"
	"time"

	"github.com/spacex-elt/loader/internal/check"
	"github.com/spacex-elt/loader/internal/drift"
	"github.com/spacex-elt/loader/internal/metrics"
	"github.com/spacex-elt/loader/internal/notify"
	"github.com/spacex-elt/loader/internal/pipeline"
)

// runSummary is the machine-readable summary of a sync or replay
// (--output json), printed whether the run succeeded or not.
type runSummary struct {
	RunID          int64             `json:"run_id"`
	Status         string            `json:"status"`
	Error          string            `json:"error,omitempty"`
	DurationMS     int64             `json:"duration_ms"`
	Abandoned      []int64           `json:"abandoned_runs"`
	Resources      []resourceSummary `json:"resources"`
	ViewsRefreshed []string          `json:"views_refreshed"`
	// Checks are the data tests' results, with --check.
	Checks []jsonResult `json:"checks,omitempty"`
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
func writeSummaryJSON(w io.Writer, res pipeline.Result, status string, runErr error, elapsed time.Duration, checked []check.Result) error {
	out := runSummary{
		RunID: res.RunID, Status: status, DurationMS: elapsed.Milliseconds(),
		Abandoned: res.Abandoned, Resources: []resourceSummary{}, ViewsRefreshed: res.ViewsRefreshed,
		Checks: jsonResults(checked),
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
			Resource: r.Resource, Extract: extractKind(res.RunID, r), HTTPStatus: r.HTTPStatus, Attempts: r.Attempts,
			Retries: max(0, r.Attempts-1), LandedRunID: r.LandedRunID, Fetched: r.Documents, Skipped: r.Skipped,
			Inserted: r.Inserted, Updated: r.Updated, Unchanged: r.Unchanged, Deleted: r.Deleted, Revived: r.Revived,
			Duplicates: r.Duplicates, Rejected: r.Rejected, BadValues: r.BadValues, Sanitized: r.Sanitized,
			Drift: r.Drift, LandingMS: r.LandingDuration.Milliseconds(), PromotionMS: r.PromotionDuration.Milliseconds(),
		}
		if s.Drift == nil {
			s.Drift = []drift.Change{}
		}
		out.Resources = append(out.Resources, s)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
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

// emitMetrics writes and pushes the run's Prometheus metrics as the flags
// ask. A failure is logged: it never changes the run's outcome.
func emitMetrics(ctx context.Context, logger *slog.Logger, rf runFlags, cmd string, res pipeline.Result, status string, started time.Time) {
	if rf.metricsFile == "" && rf.pushgateway == "" {
		return
	}
	run := metrics.Run{Result: res, Status: status, Started: started, Finished: time.Now()}
	if status == "succeeded" {
		run.LastSuccess = run.Finished
	} else if rf.metricsFile != "" {
		// A failed run keeps the last success the file reported.
		last, err := metrics.LastSuccess(rf.metricsFile)
		if err != nil {
			logger.WarnContext(ctx, "read the last success from the metrics file", "path", rf.metricsFile, "err", err)
		}
		run.LastSuccess = last
	}
	reg := metrics.Registry(run)
	if rf.metricsFile != "" {
		if err := metrics.WriteFile(rf.metricsFile, reg); err != nil {
			logger.ErrorContext(ctx, "write the metrics file", "path", rf.metricsFile, "err", err)
		}
	}
	if rf.pushgateway != "" {
		if err := metrics.Push(rf.pushgateway, &http.Client{Timeout: 30 * time.Second}, reg, cmd); err != nil {
			logger.ErrorContext(ctx, "push metrics", "pushgateway", redactedHost(rf.pushgateway), "err", withoutURL(err, rf.pushgateway))
		}
	}
}

// notifyFailure posts a failed run to the notification URL. A failure to
// post is logged (without the URL's path, which is the webhook's secret)
// and changes nothing.
func notifyFailure(ctx context.Context, logger *slog.Logger, url, password, cmd string, runID int64, runErr error) {
	msg := runErr.Error()
	if len(password) >= 4 {
		msg = strings.ReplaceAll(msg, password, "xxxxx")
	}
	first, _, _ := strings.Cut(msg, "\n")
	m := notify.Message{
		Text:    fmt.Sprintf("spacex-loader: %s run %d failed: %s", cmd, runID, first),
		Command: cmd, RunID: runID, Status: "failed", Error: msg,
	}
	post(ctx, logger, url, m)
}

// redactedHost is a URL's scheme and host, for logs.
func redactedHost(raw string) string {
	u, err := neturl.Parse(raw)
	if err != nil {
		return "(unparseable URL)"
	}
	return u.Scheme + "://" + u.Host
}

// notifyChecks posts the checks of severity error that failed. A failure
// to post is logged and changes nothing.
func notifyChecks(ctx context.Context, logger *slog.Logger, url, cmd string, runID int64, results []check.Result) {
	var failed []string
	for _, r := range results {
		if r.Status() == "fail" {
			failed = append(failed, fmt.Sprintf("%s (%d)", r.Name, r.Violations))
		}
	}
	m := notify.Message{
		Text:    fmt.Sprintf("spacex-loader: %d data check(s) of severity error failed: %s", len(failed), strings.Join(failed, ", ")),
		Command: cmd, RunID: runID, Status: "checks failed", Checks: failed,
	}
	post(ctx, logger, url, m)
}

// post sends a notification; a failure is logged without the URL's path
// (a webhook's secret).
func post(ctx context.Context, logger *slog.Logger, url string, m notify.Message) {
	if err := notify.Post(context.WithoutCancel(ctx), &http.Client{}, url, m); err != nil {
		logger.ErrorContext(ctx, "notification not delivered", "to", redactedHost(url), "err", withoutURL(err, url))
	}
}

// withoutURL is err's text without url, which may hold credentials or a
// webhook's secret path: a *url.Error's own cause, or the text with the
// URL cut down to its host.
func withoutURL(err error, url string) string {
	if uerr := (*neturl.Error)(nil); errors.As(err, &uerr) {
		return uerr.Err.Error()
	}
	return strings.ReplaceAll(err.Error(), url, redactedHost(url))
}
