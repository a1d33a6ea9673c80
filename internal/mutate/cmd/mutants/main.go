// Command mutants lists the mutants of a SQL file, or writes one of them
// over the file, for scripts/mutate's slow path (db/functions, whose
// mutants need the whole suite of the packages that use them).
//
//	mutants list FILE     one line per mutant: its number, line, op and
//	                      predicate, separated by tabs
//	mutants write FILE N  replaces FILE by its mutant N (from 1)
package main

import (
	"fmt"
	"os"
	"strconv"

	"github.com/spacex-elt/loader/internal/mutate"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "mutants:", err)
		os.Exit(2)
	}
}

func run(args []string) error {
	if len(args) < 2 {
		return fmt.Errorf("usage: mutants list FILE | mutants write FILE N")
	}
	b, err := os.ReadFile(args[1])
	if err != nil {
		return err
	}
	ms := mutate.Mutants(string(b))
	switch {
	case args[0] == "list" && len(args) == 2:
		for i, m := range ms {
			fmt.Printf("%d\t%d\t%s\t%s\n", i+1, m.Line, m.Op, m.Predicate)
		}
		return nil
	case args[0] == "write" && len(args) == 3:
		n, err := strconv.Atoi(args[2])
		if err != nil || n < 1 || n > len(ms) {
			return fmt.Errorf("%s has mutants 1 to %d, not %q", args[1], len(ms), args[2])
		}
		return os.WriteFile(args[1], []byte(ms[n-1].SQL), 0o644)
	}
	return fmt.Errorf("usage: mutants list FILE | mutants write FILE N")
}
