package pgtest

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestLineDiff(t *testing.T) {
	t.Parallel()
	lines := func(from, to int) []string {
		var l []string
		for i := from; i <= to; i++ {
			l = append(l, fmt.Sprint("line ", i))
		}
		return l
	}
	text := func(parts ...[]string) string {
		var all []string
		for _, p := range parts {
			all = append(all, p...)
		}
		return strings.Join(all, "\n")
	}
	for _, c := range []struct {
		name, a, b, want string
	}{
		{"one line changed", text(lines(1, 10)), text(lines(1, 4), []string{"new 5"}, lines(6, 10)),
			"@@ -3,5 +3,5 @@\n line 3\n line 4\n-line 5\n+new 5\n line 6\n line 7\n"},
		{"a line added at the end", text(lines(1, 5)), text(lines(1, 6)),
			"@@ -4,2 +4,3 @@\n line 4\n line 5\n+line 6\n"},
		{"a line removed at the start", text(lines(1, 5)), text(lines(2, 5)),
			"@@ -1,3 +1,2 @@\n-line 1\n line 2\n line 3\n"},
		{"two changes far apart, two hunks", text(lines(1, 20)), text([]string{"new 1"}, lines(2, 19), []string{"new 20"}),
			"@@ -1,3 +1,3 @@\n-line 1\n+new 1\n line 2\n line 3\n@@ -18,3 +18,3 @@\n line 18\n line 19\n-line 20\n+new 20\n"},
		{"two changes close by, one hunk", text(lines(1, 10)), text(lines(1, 2), []string{"new 3"}, lines(4, 6), []string{"new 7"}, lines(8, 10)),
			"@@ -1,9 +1,9 @@\n line 1\n line 2\n-line 3\n+new 3\n line 4\n line 5\n line 6\n-line 7\n+new 7\n line 8\n line 9\n"},
		{"a row moved", text(lines(1, 6)), text(lines(1, 2), lines(4, 5), []string{"line 3"}, lines(6, 6)),
			"@@ -1,6 +1,6 @@\n line 1\n line 2\n-line 3\n line 4\n line 5\n+line 3\n line 6\n"},
		{"equal", text(lines(1, 3)), text(lines(1, 3)), ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := lineDiff(c.a, c.b); got != c.want {
				t.Errorf("lineDiff:\n%s\nwant:\n%s", got, c.want)
			}
		})
	}

	// Too different to compare line by line: the region is replaced whole,
	// and the output stops at diffMaxLines.
	a, b := text(lines(1, 5000)), strings.ReplaceAll(text(lines(1, 5000)), "line", "row")
	got := lineDiff(a, b)
	if !strings.HasPrefix(got, "@@ -1,5000 +1,5000 @@\n-line 1\n-line 2\n") || strings.Count(got, "\n") != diffMaxLines+2 ||
		!strings.HasSuffix(got, "... (the diff stops at 200 lines)\n") {
		t.Errorf("a diff of 5000 lines all changed: %d lines, %.80q ... %q", strings.Count(got, "\n"), got, got[max(0, len(got)-80):])
	}
}

// recorder is a testing.TB that records what Golden reports; Fatalf ends
// the goroutine, as testing's does.
type recorder struct {
	testing.TB
	errors, logs, skips []string
	fatal               bool
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}
func (r *recorder) Logf(format string, args ...any) {
	r.logs = append(r.logs, fmt.Sprintf(format, args...))
}
func (r *recorder) Fatalf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
	r.fatal = true
	runtime.Goexit()
}
func (r *recorder) Fatal(args ...any) { r.Fatalf("%s", fmt.Sprint(args...)) }
func (r *recorder) Skipf(format string, args ...any) {
	r.skips = append(r.skips, fmt.Sprintf(format, args...))
	runtime.Goexit()
}

// run runs f on r in a goroutine of its own, which Fatalf and Skipf end.
func (r *recorder) run(f func(testing.TB)) *recorder {
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(r)
	}()
	<-done
	return r
}

// golden runs Golden on a recorder, with -update as given and CI set or
// not.
func golden(t *testing.T, path, got string, withUpdate, ci bool) *recorder {
	t.Helper()
	r := &recorder{TB: t}
	t.Setenv("CI", map[bool]string{true: "true", false: ""}[ci])
	saved := *update
	*update = withUpdate
	defer func() { *update = saved }()
	return r.run(func(t testing.TB) { Golden(t, path, got) })
}

// A fixture changes only with -update, never under CI; a difference is
// shown as a diff, and -update logs the diff it wrote.
func TestGolden(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fixture.txt")
	const fixture = "a\nb\nc\n"
	if err := os.WriteFile(path, []byte(fixture), 0o644); err != nil {
		t.Fatal(err)
	}
	read := func() string {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	const diff = "@@ -1,4 +1,4 @@\n a\n-b\n+B\n c\n \n"

	if r := golden(t, path, fixture, false, true); len(r.errors) != 0 {
		t.Errorf("equal: %v", r.errors)
	}
	r := golden(t, path, "a\nB\nc\n", false, true)
	if len(r.errors) != 1 || !strings.HasSuffix(r.errors[0], ":\n"+diff) || r.fatal {
		t.Errorf("different: errors %q (fatal %v), want one ending in the diff\n%s", r.errors, r.fatal, diff)
	}
	if read() != fixture {
		t.Error("a comparison changed the fixture")
	}
	r = golden(t, path, "a\nB\nc\n", true, true)
	if len(r.errors) != 1 || !r.fatal || !strings.Contains(r.errors[0], "-update under CI") || read() != fixture {
		t.Errorf("-update under CI: errors %q (fatal %v), fixture %q; want it refused and the fixture kept", r.errors, r.fatal, read())
	}
	r = golden(t, path, "a\nB\nc\n", true, false)
	if len(r.errors) != 0 || len(r.logs) != 1 || !strings.HasSuffix(r.logs[0], ":\n"+diff) || read() != "a\nB\nc\n" {
		t.Errorf("-update: errors %q, logs %q, fixture %q; want it rewritten and the diff logged", r.errors, r.logs, read())
	}
}
