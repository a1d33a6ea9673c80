// Package progress shows a sync or replay live on a terminal, as the
// pipeline reports it (pipeline.Progress).
package progress

import (
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// Bar shows a run's resources live on a terminal: documents and
// bytes as each lands, then its promotion. It is also the writer of the
// run's logs, which it prints above the bar.
type Bar struct {
	mu   sync.Mutex
	out  io.Writer
	bar  *progressbar.ProgressBar
	done int
}

// Wanted says whether to show progress: only on a terminal, and not
// with JSON logs (for machines).
func Wanted(stderr io.Writer, logFormat string) bool {
	f, ok := stderr.(*os.File)
	return ok && logFormat == "text" && term.IsTerminal(int(f.Fd()))
}

// New is a Bar on out for a run of that many resources.
func New(out io.Writer, resources int) *Bar {
	return &Bar{out: out, bar: progressbar.NewOptions(resources,
		progressbar.OptionSetWriter(out),
		progressbar.OptionSetDescription("starting"),
		progressbar.OptionShowCount(),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionClearOnFinish(),
	)}
}

// Landing implements pipeline.Progress.
func (p *Bar) Landing(resource string, documents, bytes int64) {
	p.describe(fmt.Sprintf("%-10s landed %d documents, %.1f MB", resource, documents, float64(bytes)/1e6))
}

// Promoting implements pipeline.Progress.
func (p *Bar) Promoting(resource string) {
	p.describe(fmt.Sprintf("%-10s promoting to bronze", resource))
}

// Done implements pipeline.Progress.
func (p *Bar) Done(resource string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done++
	p.bar.Describe(fmt.Sprintf("%-10s done", resource))
	_ = p.bar.Set(p.done)
}

func (p *Bar) describe(s string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.bar.Describe(s)
	_ = p.bar.RenderBlank()
}

// Write prints a log line above the bar.
func (p *Bar) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	_ = p.bar.Clear()
	n, err := p.out.Write(b)
	_ = p.bar.RenderBlank()
	return n, err
}

// Finish clears the bar, before the summary is printed.
func (p *Bar) Finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	_ = p.bar.Finish()
}
