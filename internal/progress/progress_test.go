package progress

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"
)

// TestProgressDisplay drives the display with its writer pointed at a
// buffer, as the loader does on a terminal: each step of a resource shows,
// log lines print through it, and it clears when finished.
func TestProgressDisplay(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	p := New(&buf, 2)
	p.Landing("launches", 500, 1_250_000)
	p.Landing("launches", 205_000, 645_192_000)
	p.Promoting("launches")
	fmt.Fprintln(p, "level=INFO msg=\"resource landed\" resource=launches")
	p.Done("launches")
	p.Done("payloads")
	p.Finish()
	out := buf.String()
	for _, want := range []string{
		"launches   landed 500 documents, 1.2 MB",
		"launches   landed 205000 documents, 645.2 MB",
		"launches   promoting to bronze",
		"level=INFO msg=\"resource landed\" resource=launches\n",
		"launches   done",
		"(1/2)",
		"payloads   done",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("display lacks %q:\n%q", want, out)
		}
	}
}

func TestProgressOnlyOnATerminalWithTextLogs(t *testing.T) {
	t.Parallel()
	if Wanted(&bytes.Buffer{}, "text") {
		t.Error("progress on a buffer")
	}
	f, err := os.CreateTemp(t.TempDir(), "stderr")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if Wanted(f, "text") || Wanted(f, "json") {
		t.Error("progress on a file that is not a terminal")
	}
}
