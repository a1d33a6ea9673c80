package summary

import (
	"fmt"
	"io"
	"time"

	"github.com/spacex-elt/loader/internal/ledger"
	"github.com/spacex-elt/loader/internal/termtext"
)

// ListText writes runs as loader runs lists them, for people: one line
// per run, its error cut to its first line.
func ListText(w io.Writer, runs []ledger.Run) {
	if len(runs) == 0 {
		fmt.Fprintln(w, "no runs recorded")
		return
	}
	tw := termtext.NewTable(w) // a run without an error leaves no padding
	fmt.Fprintln(tw, "run\tstatus\tsource\tstarted\tduration\trows changed\terror")
	for _, r := range runs {
		took := "running"
		if r.FinishedAt != nil {
			took = r.FinishedAt.Sub(r.StartedAt).Round(time.Millisecond).String()
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d\t%s\n", r.RunID, termtext.Escape(string(r.Status)), termtext.Escape(r.Source),
			r.StartedAt.UTC().Format(time.RFC3339), took, r.RowsChanged, termtext.FirstLine(r.Error, termtext.ErrorWidth))
	}
	tw.Flush()
}

// Listed is a run as loader runs --output json lists it.
type Listed struct {
	RunID           int64                `json:"run_id"`
	Status          ledger.Status        `json:"status"`
	Source          string               `json:"source"`
	StartedAt       time.Time            `json:"started_at"`
	FinishedAt      *time.Time           `json:"finished_at"`
	DurationSeconds *float64             `json:"duration_seconds"`
	RowsChanged     int64                `json:"rows_changed"`
	Error           *string              `json:"error"`
	ViewsRefreshed  []string             `json:"views_refreshed"`
	Resources       []ledger.RunResource `json:"resources"`
}

// ListJSON is runs as loader runs --output json lists them: times in UTC,
// and null for what a run does not have (yet).
func ListJSON(runs []ledger.Run) []Listed {
	out := make([]Listed, len(runs))
	for i, r := range runs {
		j := Listed{
			RunID: r.RunID, Status: r.Status, Source: r.Source, StartedAt: r.StartedAt.UTC(),
			RowsChanged: r.RowsChanged, ViewsRefreshed: r.ViewsRefreshed, Resources: r.Resources,
		}
		if r.FinishedAt != nil {
			f := r.FinishedAt.UTC()
			d := f.Sub(r.StartedAt).Seconds()
			j.FinishedAt, j.DurationSeconds = &f, &d
		}
		if r.Error != "" {
			j.Error = &r.Error
		}
		out[i] = j
	}
	return out
}
