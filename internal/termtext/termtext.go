// Package termtext lays out the loader's text reports for a terminal:
// tables whose lines end without padding, and recorded errors cut to their
// first line.
package termtext

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"unicode/utf8"
)

// ErrorWidth is how many characters of a recorded error (a run's, a
// check's) a text report shows: its first line, cut to fit a wide terminal
// beside the other columns.
const ErrorWidth = 72

// FirstLine returns the first line of s, cut to at most width characters
// with an ellipsis when it is longer (or has more lines).
func FirstLine(s string, width int) string {
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

// Table aligns tab-separated cells in columns two spaces apart, as
// tabwriter does, but a row whose last cells are empty (a run without an
// error, a check without samples) ends without their padding.
type Table struct {
	*tabwriter.Writer
	buf bytes.Buffer
	out io.Writer
}

// NewTable is a Table writing to out once flushed.
func NewTable(out io.Writer) *Table {
	t := &Table{out: out}
	t.Writer = tabwriter.NewWriter(&t.buf, 0, 0, 2, ' ', 0)
	return t
}

// Flush writes the rows so far.
func (t *Table) Flush() error {
	if err := t.Writer.Flush(); err != nil {
		return err
	}
	for line := range strings.Lines(t.buf.String()) {
		if _, err := fmt.Fprintln(t.out, strings.TrimRight(line, " \n")); err != nil {
			return err
		}
	}
	t.buf.Reset()
	return nil
}
