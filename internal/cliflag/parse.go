// Package cliflag holds what the loader's command line needs beyond the
// standard flag package: flags after positional arguments, durations in
// days that are never negative, lists that are never empty, and flags that
// mean all when bare and some when given names.
package cliflag

import (
	"flag"
	"fmt"
	"strings"
)

// Parse parses args into fs as fs.Parse does, except that flags may come
// after positional arguments too (`loader replay 1 --output json`): the
// flag package stops at the first argument that is not a flag. "--" still
// ends the flags, and a lone "-" is an argument. fs.Args() is then the
// positional arguments, in their order. A bare AllOrNames flag takes the
// argument after it when that is a list of its names
// (`--force-deletes rockets,ships`).
//
// A Duration flag given a negative value is refused. Like the flag
// package, Parse says why on fs.Output(), as "loader NAME: --flag VALUE:
// must not be negative", and returns the error.
func Parse(fs *flag.FlagSet, args []string) error {
	if err := reorder(fs, args); err != nil {
		return err
	}
	var err error
	fs.Visit(func(f *flag.Flag) {
		if d, ok := f.Value.(Duration); ok && *d.P < 0 && err == nil {
			err = fmt.Errorf("--%s %s: must not be negative", f.Name, *d.P)
			fmt.Fprintf(fs.Output(), "loader %s: %v\n", fs.Name(), err)
		}
	})
	return err
}

// reorder parses args into fs, moving the flags ahead of the positional
// arguments.
func reorder(fs *flag.FlagSet, args []string) error {
	var flags, positional []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			positional = append(positional, args[i+1:]...)
			break
		}
		if len(a) < 2 || a[0] != '-' {
			positional = append(positional, a)
			continue
		}
		flags = append(flags, a)
		// A flag that takes a value and is not given one with "=" takes
		// the next argument, whatever it looks like, as fs.Parse would.
		name := strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-")
		f := fs.Lookup(name)
		if f != nil && !isBool(f) {
			if i+1 == len(args) {
				return fs.Parse(flags) // "flag needs an argument"
			}
			i++
			flags = append(flags, args[i])
		}
		// An AllOrNames flag given bare takes the next argument only when
		// that is a list of its names.
		if v, ok := flagValue(f).(AllOrNames); ok && i+1 < len(args) && v.takes(args[i+1]) {
			i++
			flags[len(flags)-1] = a + "=" + args[i]
		}
	}
	return fs.Parse(append(append(flags, "--"), positional...))
}

// isBool says whether f is a flag that takes no value, as the flag
// package tells.
func isBool(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// flagValue is f's Value, or nil when there is no flag.
func flagValue(f *flag.Flag) flag.Value {
	if f == nil {
		return nil
	}
	return f.Value
}
