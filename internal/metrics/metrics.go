// Package metrics exposes a finished sync or replay as Prometheus metrics,
// the way batch jobs are watched: written to a node_exporter textfile, or
// pushed to a Pushgateway. It reads the run's result and writes nothing to
// the database.
package metrics

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/push"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/spacex-elt/loader/internal/atomicfile"
	"github.com/spacex-elt/loader/internal/httpurl"
	"github.com/spacex-elt/loader/internal/ledger"
	"github.com/spacex-elt/loader/internal/pipeline"
)

// Job is the Pushgateway job the metrics are pushed under.
const Job = "spacex_loader"

// Statuses a run can end in, each a series of spacex_loader_last_run_status.
var Statuses = []ledger.Status{ledger.StatusSucceeded, ledger.StatusFailed, ledger.StatusCancelled, ledger.StatusLocked}

const lastSuccess = "spacex_loader_last_success_timestamp_seconds"

// Run is a finished run, as the metrics describe it.
type Run struct {
	Result   pipeline.Result
	Status   ledger.Status // one of Statuses
	Started  time.Time
	Finished time.Time
	// LastSuccess is when a run last succeeded, if known: Finished when
	// this one did, else what an earlier run reported (zero: unknown, and
	// the series is left out).
	LastSuccess time.Time
}

// Targets are where a run's metrics go; an empty one is left out.
type Targets struct {
	// File is a node_exporter textfile (*.prom), replaced atomically.
	File string
	// Pushgateway is the URL of a Pushgateway.
	Pushgateway string
}

// Emit writes and pushes the metrics of a run of command to t. A run that
// succeeded is the last success; one that did not keeps the last success
// the file reported (a push adds to what the gateway holds, so it keeps
// its own). A failure is logged: it never changes the run's outcome.
func Emit(ctx context.Context, logger *slog.Logger, t Targets, command string, run Run) {
	if t.File == "" && t.Pushgateway == "" {
		return
	}
	if run.Status == ledger.StatusSucceeded {
		run.LastSuccess = run.Finished
	} else if t.File != "" {
		last, err := LastSuccess(t.File)
		if err != nil {
			logger.WarnContext(ctx, "read the last success from the metrics file", "path", t.File, "err", err)
		}
		run.LastSuccess = last
	}
	reg := Registry(run)
	if t.File != "" {
		if err := WriteFile(t.File, reg); err != nil {
			logger.ErrorContext(ctx, "write the metrics file", "path", t.File, "err", err)
		}
	}
	if t.Pushgateway != "" {
		if err := Push(t.Pushgateway, &http.Client{Timeout: 30 * time.Second}, reg, command); err != nil {
			logger.ErrorContext(ctx, "push metrics", "pushgateway", httpurl.Host(t.Pushgateway), "err", httpurl.ErrorWithout(err, t.Pushgateway))
		}
	}
}

// Registry holds the metrics of run.
func Registry(run Run) *prometheus.Registry {
	reg := prometheus.NewRegistry()
	gauge := func(name, help string) prometheus.Gauge {
		g := prometheus.NewGauge(prometheus.GaugeOpts{Name: name, Help: help})
		reg.MustRegister(g)
		return g
	}
	vec := func(name, help string, labels ...string) *prometheus.GaugeVec {
		g := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: name, Help: help}, labels)
		reg.MustRegister(g)
		return g
	}
	gauge("spacex_loader_last_run_duration_seconds", "Wall time of the last run.").Set(run.Finished.Sub(run.Started).Seconds())
	gauge("spacex_loader_last_run_timestamp_seconds", "When the last run finished, in Unix seconds.").Set(float64(run.Finished.UnixNano()) / 1e9)
	gauge("spacex_loader_last_run_id", "The last run's id in meta.runs (0: no run was opened).").Set(float64(run.Result.RunID))
	status := vec("spacex_loader_last_run_status", "1 for the status the last run ended in, 0 for the others.", "status")
	for _, s := range Statuses {
		v := 0.0
		if s == run.Status {
			v = 1
		}
		status.WithLabelValues(string(s)).Set(v)
	}
	if !run.LastSuccess.IsZero() {
		g := prometheus.NewGauge(prometheus.GaugeOpts{Name: lastSuccess, Help: "When a run last succeeded, in Unix seconds."})
		reg.MustRegister(g)
		g.Set(float64(run.LastSuccess.UnixNano()) / 1e9)
	}
	rows := vec("spacex_loader_rows", "Bronze rows per resource and action in the last run (fetched counts documents).", "resource", "action")
	requests := vec("spacex_loader_http_requests", "HTTP answers used per resource in the last run (1), by status: 200, 304, or 404 for an absent resource. Attempts before it are spacex_loader_http_retries.", "resource", "status")
	retries := vec("spacex_loader_http_retries", "Requests per resource in the last run that failed and were made again (attempts after the first).", "resource")
	wait := vec("spacex_loader_http_retry_wait_seconds", "Seconds per resource in the last run spent waiting between HTTP attempts (part of its landing seconds).", "resource")
	seconds := vec("spacex_loader_resource_seconds", "Seconds per resource and step (landing, promotion) in the last run.", "resource", "step")
	for _, r := range run.Result.Resources {
		for action, n := range map[string]int64{
			"fetched": r.Documents, "inserted": r.Inserted, "updated": r.Updated, "unchanged": r.Unchanged,
			"deleted": r.Deleted, "revived": r.Revived, "rejected": r.Rejected, "bad_values": r.BadValues,
		} {
			rows.WithLabelValues(r.Resource, action).Set(float64(n))
		}
		if r.HTTPStatus > 0 {
			requests.WithLabelValues(r.Resource, fmt.Sprint(r.HTTPStatus)).Set(1)
			retries.WithLabelValues(r.Resource).Set(float64(max(0, r.Attempts-1)))
			wait.WithLabelValues(r.Resource).Set(r.RetryWait.Seconds())
		}
		seconds.WithLabelValues(r.Resource, "landing").Set(r.LandingDuration.Seconds())
		seconds.WithLabelValues(r.Resource, "promotion").Set(r.PromotionDuration.Seconds())
	}
	gauge("spacex_loader_views_refreshed", "Gold views the last run refreshed.").Set(float64(len(run.Result.ViewsRefreshed)))
	return reg
}

// LastSuccess reads the last success a textfile written by WriteFile
// reports, or zero when there is none (or no file).
func LastSuccess(path string) (time.Time, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, err
	}
	defer f.Close()
	p := expfmt.NewTextParser(model.LegacyValidation)
	families, err := p.TextToMetricFamilies(f)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s: %w", path, err)
	}
	if mf, ok := families[lastSuccess]; ok && len(mf.GetMetric()) == 1 {
		secs := mf.GetMetric()[0].GetGauge().GetValue()
		return time.Unix(0, int64(secs*1e9)).UTC(), nil
	}
	return time.Time{}, nil
}

// WriteFile writes the metrics in node_exporter's textfile format,
// atomically (a temporary file renamed over path), as
// prometheus.WriteToTextfile does, but with the mode every output file of
// the loader gets (atomicfile): that one makes every file 0644, whatever
// the umask and the mode of the file it replaces.
func WriteFile(path string, reg *prometheus.Registry) error {
	if !strings.HasSuffix(path, ".prom") {
		return fmt.Errorf("metrics file %s: node_exporter's textfile collector reads only *.prom files", path)
	}
	families, err := reg.Gather()
	if err != nil {
		return fmt.Errorf("metrics file %s: %w", path, err)
	}
	return atomicfile.WriteFile(path, func(w io.Writer) error {
		for _, mf := range families {
			if _, err := expfmt.MetricFamilyToText(w, mf); err != nil {
				return err
			}
		}
		return nil
	})
}

// Push sends the metrics to the Pushgateway at url under Job, grouped by
// command (sync and replay do not replace each other's), adding to what the
// group holds (so the last success of an earlier run stays when this run
// failed).
func Push(url string, client *http.Client, reg *prometheus.Registry, command string) error {
	return push.New(url, Job).Grouping("command", command).Client(client).Gatherer(reg).Add()
}
