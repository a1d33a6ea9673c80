package check

import (
	"fmt"
	"io"
	"strings"

	"github.com/spacex-elt/loader/internal/termtext"
)

// WriteText writes results as loader check prints them, for people: one
// line per check (its status, name, violations and samples, or why it could
// not run), then their Tally.
func WriteText(w io.Writer, results []Result) {
	tw := termtext.NewTable(w) // a passed check's empty samples leave no padding
	for _, r := range results {
		status := r.Status()
		label := status
		if status != "pass" {
			label = strings.ToUpper(status)
		}
		detail := SampleText(r.Samples)
		if more := r.Violations - int64(len(r.Samples)); more > 0 {
			detail += fmt.Sprintf(" (+%d more)", more)
		}
		if r.Err != nil {
			detail = termtext.Escape(r.Err.Error())
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\n", label, termtext.Escape(r.Name), r.Violations, detail)
	}
	tw.Flush()
	fmt.Fprintln(w, Tally(results))
}

// SampleText is a check's samples as a text report shows them: escaped
// (they are keys of rows, from the API), separated by " | ".
func SampleText(samples []string) string {
	escaped := make([]string, len(samples))
	for i, s := range samples {
		escaped[i] = termtext.Escape(s)
	}
	return strings.Join(escaped, " | ")
}

// Tally counts results by status in words.
func Tally(results []Result) string {
	counts := Counts(results)
	return fmt.Sprintf("%d checks: %d passed, %d warned, %d failed, %d could not run",
		len(results), counts["pass"], counts["warn"], counts["fail"], counts["error"])
}
