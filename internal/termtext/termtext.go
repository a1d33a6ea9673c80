// Package termtext lays out the loader's text reports for a terminal:
// tables whose lines end without padding, recorded errors cut to their
// first line, and text from the API or the database with its control
// characters escaped.
package termtext

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode"
	"unicode/utf8"
)

// Escape returns s with every character that could steer a terminal or
// forge a line written as Go writes it in a quoted string: ESC as \x1b,
// newline as \n, tab as \t, carriage return as \r, DEL as \x7f, a C1
// control as \u009b, a byte that is not UTF-8 as \xff. The characters
// escaped are the control characters (C0, DEL and C1), the bidirectional
// formatting characters (which reorder what follows them on the screen)
// and the line and paragraph separators. All other text, non-ASCII letters
// and symbols included ("é", "→"), is returned as it is, and so are
// backslashes: the escaping keeps the terminal safe and the line honest,
// and is not meant to be reversed (--output json is the exact form).
//
// Every string from the API or the database that a text report, a summary
// or an error message prints goes through Escape (or FirstLine, which
// calls it). Text logs need not: log/slog's TextHandler quotes a value
// holding such characters, strconv.Quote-style.
func Escape(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r == utf8.RuneError || escaped(r) }) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1: // a byte that is not UTF-8
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case escaped(r):
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// escaped says whether Escape writes r escaped.
func escaped(r rune) bool {
	switch {
	case unicode.IsControl(r), r == '\u2028', r == '\u2029':
		return true
	case r == '\u061c', r == '\u200e', r == '\u200f':
		return true // bidi marks
	}
	return '\u202a' <= r && r <= '\u202e' || '\u2066' <= r && r <= '\u2069' // bidi embeddings, overrides and isolates
}

// ErrorWidth is how many characters of a recorded error (a run's, a
// check's) a text report shows: its first line, cut to fit a wide terminal
// beside the other columns.
const ErrorWidth = 72

// FirstLine returns the first line of s, escaped, cut to at most width
// characters with an ellipsis when it is longer (or has more lines).
func FirstLine(s string, width int) string {
	line, rest, _ := strings.Cut(s, "\n")
	line = Escape(strings.TrimSpace(line))
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

// Wrap breaks text at spaces into lines of at most width bytes, each
// prefixed by indent.
func Wrap(text string, width int, indent string) string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(text) {
		if line != "" && len(indent)+len(line)+1+len(w) > width {
			lines = append(lines, indent+line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	return strings.Join(append(lines, indent+line), "\n")
}
