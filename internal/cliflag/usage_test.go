package cliflag

import (
	"bytes"
	"flag"
	"strings"
	"testing"
	"time"
)

// TestPrintDefaultsWraps: each flag's usage is wrapped at 80 columns (the
// tab counting 8), and what flag.PrintDefaults prints of a flag whose
// usage fits is printed the same.
func TestPrintDefaultsWraps(t *testing.T) {
	newSet := func() *flag.FlagSet {
		fs := flag.NewFlagSet("x", flag.ContinueOnError)
		fs.String("api-url", "https://api.example", "API base `URL`")
		fs.Int("limit", 20, "show the newest `N` runs")
		fs.Bool("force", false, "record anyway")
		fs.String("empty", "", "no default shown")
		d := 15 * time.Second
		fs.Var(Duration{P: &d}, "retry-delay", "base `duration` of the delay")
		fs.Var(List{P: new([]string)}, "only", "run only these checks: comma-separated `names`")
		return fs
	}
	var want, got bytes.Buffer
	std := newSet()
	std.SetOutput(&want)
	std.PrintDefaults()
	PrintDefaults(&got, newSet())
	if got.String() != want.String() {
		t.Errorf("short usages differ from flag.PrintDefaults:\ngot:\n%s\nwant:\n%s", &got, &want)
	}

	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	long := strings.Repeat("word ", 40) + "a `PATH`\nsecond paragraph"
	fs.String("metrics-file", "/var/lib/x.prom", long)
	got.Reset()
	PrintDefaults(&got, fs)
	lines := strings.Split(strings.TrimSuffix(got.String(), "\n"), "\n")
	if lines[0] != "  -metrics-file PATH" {
		t.Errorf("first line %q, want %q", lines[0], "  -metrics-file PATH")
	}
	for _, l := range lines[1:] {
		if !strings.HasPrefix(l, "    \t") {
			t.Errorf("line %q lacks the usage indent", l)
		}
		if cols := 8 + len(strings.TrimPrefix(l, "    \t")); cols > 80 {
			t.Errorf("line %q is %d columns", l, cols)
		}
	}
	if n := len(lines); n < 4 || lines[n-1] != "    \tsecond paragraph (default \"/var/lib/x.prom\")" {
		t.Errorf("want the words wrapped, the paragraph kept and the default last:\n%s", &got)
	}
}
