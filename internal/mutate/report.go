package mutate

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Verdict is what the tests made of a mutant.
type Verdict string

const (
	// Survived: every test passed on it.
	Survived Verdict = "survived"
	// Killed: a test saw a different result.
	Killed Verdict = "killed"
	// Invalid: its SQL failed, so any test of it fails.
	Invalid Verdict = "invalid"
	// TimedOut: a statement ran past the runner's limit (a test of it would
	// time out).
	TimedOut Verdict = "timeout"
)

// Result is one mutant of a file and its verdict.
type Result struct {
	File    string // as db/views/x.sql
	Mutant  Mutant
	Verdict Verdict
	// Where names what killed it (a scenario); "" for a survivor.
	Where string
}

// Key names the result's mutant as docs/testing.md lists it.
func (r Result) Key() Key { return Key{File: r.File, Op: r.Mutant.Op, Predicate: r.Mutant.Predicate} }

// Totals counts the results of a run by verdict; a survivor listed as
// equivalent counts as Equivalent, not Survived.
type Totals struct {
	Mutants, Killed, Invalid, TimedOut, Equivalent, Survived int
	// Mislisted are the mutants listed as equivalent that did not survive:
	// they are to be taken off the list.
	Mislisted []Result
}

func (t Totals) String() string {
	return fmt.Sprintf("%d mutants: %d killed, %d invalid SQL, %d timed out, %d equivalent (docs/testing.md), %d survived",
		t.Mutants, t.Killed, t.Invalid, t.TimedOut, t.Equivalent, t.Survived)
}

// Report sorts a copy of results by file and line, writes a line to w for each
// survivor ("SURVIVED file line …", which scripts/mutate shows) and each
// listed equivalent (with why it is), and counts them all.
func Report(w io.Writer, results []Result, equivalent map[Key]string) Totals {
	results = slices.Clone(results)
	slices.SortStableFunc(results, func(a, b Result) int {
		return cmp.Or(strings.Compare(a.File, b.File), a.Mutant.Line-b.Mutant.Line)
	})
	t := Totals{Mutants: len(results)}
	for _, r := range results {
		why, listed := equivalent[r.Key()]
		switch {
		case r.Verdict == Survived && listed:
			t.Equivalent++
			fmt.Fprintf(w, "equivalent %s %s: %s\n", r.File, r.Mutant, why)
		case r.Verdict == Survived:
			t.Survived++
			fmt.Fprintf(w, "SURVIVED %s %s\n", r.File, r.Mutant)
		default:
			switch r.Verdict {
			case Killed:
				t.Killed++
			case Invalid:
				t.Invalid++
			case TimedOut:
				t.TimedOut++
			}
			if listed {
				t.Mislisted = append(t.Mislisted, r)
			}
		}
	}
	return t
}

// Problems are what a run with these totals fails on: each mutant listed as
// equivalent that did not survive, and the survivors of what (as
// "db/checks") not listed, with fix, what to do about them.
func (t Totals) Problems(what, fix string) []string {
	var out []string
	for _, r := range t.Mislisted {
		out = append(out, fmt.Sprintf("%s %s is listed as equivalent in docs/testing.md, but was %s (%s): take it off the list",
			r.File, r.Mutant, r.Verdict, r.Where))
	}
	if t.Survived > 0 {
		out = append(out, fmt.Sprintf("%d mutants of %s survived: %s, or list them in docs/testing.md with why they are equivalent",
			t.Survived, what, fix))
	}
	return out
}
