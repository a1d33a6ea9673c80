package cliflag

import (
	"flag"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"

	"github.com/spacex-elt/loader/internal/termtext"
)

// Width is the widest line PrintDefaults writes, in terminal columns.
const Width = 80

// usageIndent is flag.PrintDefaults' indent of a usage line: four spaces
// and a tab, which ends at column 8 with 4- and 8-space tab stops alike.
const (
	usageIndent = "    \t"
	indentWidth = 8
)

// PrintDefaults writes fs's flags to w as flag.PrintDefaults does (the
// "  -name type" line, then the usage indented by four spaces and a tab,
// ending in the "(default …)" the flag package adds), but with the usage
// wrapped so that no line is wider than Width columns, the tab counting as
// the 8 columns it takes. A newline in a usage starts a new line, as it
// does for flag.
func PrintDefaults(w io.Writer, fs *flag.FlagSet) {
	fs.VisitAll(func(fl *flag.Flag) {
		var b strings.Builder
		fmt.Fprintf(&b, "  -%s", fl.Name)
		name, usage := flag.UnquoteUsage(fl)
		if name != "" {
			b.WriteString(" " + name)
		}
		if isZero(fl) {
			// no default shown, as flag does for the zero value
		} else if reflect.TypeOf(fl.Value).String() == "*flag.stringValue" {
			usage += fmt.Sprintf(" (default %q)", fl.DefValue)
		} else {
			usage += fmt.Sprintf(" (default %v)", fl.DefValue)
		}
		for para := range strings.SplitSeq(usage, "\n") {
			b.WriteString("\n" + usageIndent + strings.ReplaceAll(termtext.Wrap(para, Width-indentWidth, ""), "\n", "\n"+usageIndent))
		}
		fmt.Fprintln(w, b.String())
	})
}

// isZero says whether fl's default is its type's zero value, which
// flag.PrintDefaults leaves unsaid; a Value whose zero value cannot say
// what it is has its default shown.
func isZero(fl *flag.Flag) (zero bool) {
	typ := reflect.TypeOf(fl.Value)
	var z reflect.Value
	if typ.Kind() == reflect.Pointer {
		z = reflect.New(typ.Elem())
	} else {
		z = reflect.Zero(typ)
	}
	defer func() {
		if recover() != nil {
			zero = false
		}
	}()
	return fl.DefValue == z.Interface().(flag.Value).String()
}

// An ExitCode is one of a command's exit codes and what it means.
type ExitCode struct {
	Code int
	// Text may span lines; Help indents those after the first.
	Text string
}

// ExitCodes are a program's exit codes, in the order its help lists them.
type ExitCodes []ExitCode

// Help lists the exit codes among codes (nil: all) as help does: the code,
// then its text indented past it.
func (e ExitCodes) Help(codes []int) string {
	var b strings.Builder
	b.WriteString("Exit codes:\n")
	for _, c := range e {
		if codes == nil || slices.Contains(codes, c.Code) {
			fmt.Fprintf(&b, "  %-4d %s\n", c.Code, strings.ReplaceAll(c.Text, "\n", "\n"+strings.Repeat(" ", 7)))
		}
	}
	return b.String()
}
