package pgtest

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite characterization fixtures (testdata/characterization) with what the code produces now")

// Golden compares got with the fixture at path. A fixture changes only
// with -update, and never under CI, where fixtures are compared; -update
// logs what it changed, for the review before the commit. A difference
// fails the test with a diff of the lines.
func Golden(t testing.TB, path, got string) {
	t.Helper()
	if *update {
		if inCI() {
			t.Fatalf("-update under CI: %s is compared in CI, never rewritten; run -update without CI and review the diff", path)
		}
		old, err := os.ReadFile(path)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		if string(old) == got {
			return
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("rewrote %s; review the change before you commit it (- before, + now):\n%s", path, lineDiff(string(old), got))
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read fixture (write it with -update): %v", err)
	}
	if got == string(want) {
		return
	}
	t.Errorf("%s differs from what the code produces now (- fixture, + now); if the change is intended, rewrite it with -update and review the diff:\n%s",
		path, lineDiff(string(want), got))
}

// Limits of a diff: the lines it prints, and the size of the comparison
// table (lines that differ in the fixture times those in the result) it
// builds to find the fewest changes; past that it shows the region that
// differs, replaced whole.
const (
	diffMaxLines = 200
	diffMaxCells = 16 << 20
	diffContext  = 2
)

// lineDiff describes how b differs from a, line by line, as unified diff
// hunks (without file headers): "-" a line only a has, "+" one only b has,
// " " context; each hunk starts with @@ -line,count +line,count @@.
func lineDiff(a, b string) string {
	x, y := strings.Split(a, "\n"), strings.Split(b, "\n")
	// The common head and tail, then the fewest changes in between.
	pre := 0
	for pre < len(x) && pre < len(y) && x[pre] == y[pre] {
		pre++
	}
	suf := 0
	for suf < len(x)-pre && suf < len(y)-pre && x[len(x)-1-suf] == y[len(y)-1-suf] {
		suf++
	}
	ops := make([]diffOp, 0, len(x)+len(y))
	for i := 0; i < pre; i++ {
		ops = append(ops, diffOp{' ', i, i})
	}
	ops = append(ops, middle(x[pre:len(x)-suf], y[pre:len(y)-suf], pre)...)
	for k := suf; k > 0; k-- {
		ops = append(ops, diffOp{' ', len(x) - k, len(y) - k})
	}
	return hunks(ops, x, y)
}

// diffOp is one line of the edit script: kind ' ' (in both, at a[i] and
// b[j]), '-' (a[i] only) or '+' (b[j] only).
type diffOp struct {
	kind byte
	i, j int
}

// middle is the edit script of x into y, which start at line off of both
// texts: a longest common subsequence of lines, or, when the table would
// be too big, all of x removed and all of y added.
func middle(x, y []string, off int) []diffOp {
	n, m := len(x), len(y)
	var ops []diffOp
	if n*m > diffMaxCells {
		for i := range x {
			ops = append(ops, diffOp{'-', off + i, off})
		}
		for j := range y {
			ops = append(ops, diffOp{'+', off + n, off + j})
		}
		return ops
	}
	// lcs[i*(m+1)+j] is the length of a longest common subsequence of
	// x[i:] and y[j:].
	lcs := make([]int32, (n+1)*(m+1))
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			switch {
			case x[i] == y[j]:
				lcs[i*(m+1)+j] = lcs[(i+1)*(m+1)+j+1] + 1
			case lcs[(i+1)*(m+1)+j] >= lcs[i*(m+1)+j+1]:
				lcs[i*(m+1)+j] = lcs[(i+1)*(m+1)+j]
			default:
				lcs[i*(m+1)+j] = lcs[i*(m+1)+j+1]
			}
		}
	}
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && x[i] == y[j]:
			ops = append(ops, diffOp{' ', off + i, off + j})
			i++
			j++
		case j == m || i < n && lcs[(i+1)*(m+1)+j] >= lcs[i*(m+1)+j+1]:
			ops = append(ops, diffOp{'-', off + i, off + j})
			i++
		default:
			ops = append(ops, diffOp{'+', off + i, off + j})
			j++
		}
	}
	return ops
}

// hunks prints the changes of ops with diffContext lines around each,
// at most diffMaxLines lines in all.
func hunks(ops []diffOp, x, y []string) string {
	var b strings.Builder
	lines := 0
	for k := 0; k < len(ops); {
		if ops[k].kind == ' ' {
			k++
			continue
		}
		// A hunk: from diffContext lines before this change to
		// diffContext lines after the last change that is at most
		// 2*diffContext unchanged lines from the next.
		start := max(0, k-diffContext)
		end := k
		for end < len(ops) {
			if ops[end].kind != ' ' {
				end++
				continue
			}
			run := end
			for run < len(ops) && ops[run].kind == ' ' {
				run++
			}
			if run == len(ops) || run-end > 2*diffContext {
				end = min(end+diffContext, len(ops))
				break
			}
			end = run
		}
		var del, add int
		for _, o := range ops[start:end] {
			if o.kind != '+' {
				del++
			}
			if o.kind != '-' {
				add++
			}
		}
		fmt.Fprintf(&b, "@@ -%d,%d +%d,%d @@\n", ops[start].i+1, del, ops[start].j+1, add)
		for _, o := range ops[start:end] {
			if lines == diffMaxLines {
				fmt.Fprintf(&b, "... (the diff stops at %d lines)\n", diffMaxLines)
				return b.String()
			}
			line := x[min(o.i, len(x)-1)]
			if o.kind == '+' {
				line = y[o.j]
			}
			fmt.Fprintf(&b, "%c%.400s\n", o.kind, line)
			lines++
		}
		k = end
	}
	return b.String()
}
