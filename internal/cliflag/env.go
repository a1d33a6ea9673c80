package cliflag

import (
	"cmp"
	"flag"
	"log/slog"

	"github.com/spacex-elt/loader/internal/httpurl"
)

// Set is a command's flag set whose flags may take their default from an
// environment variable, read at registration; a flag's help names its
// variable.
type Set struct {
	*flag.FlagSet
	// Getenv reads the environment (os.Getenv, or a test's map).
	Getenv func(string) string
}

// Env registers a string flag whose default is variable's value, or def
// when it is empty.
func (f *Set) Env(p *string, name, variable, def, usage string) {
	f.StringVar(p, name, cmp.Or(f.Getenv(variable), def), usage+" (env "+variable+")")
}

// Secret is Env for a variable that may hold a secret (a password, a
// webhook's path): --help shows def, never the variable's value. An empty
// value given to the flag means unset, as an unset variable does.
func (f *Set) Secret(p *string, name, variable, def, usage string) {
	shown := variable
	if def != "" {
		shown += ", default " + def
	}
	v := OrDefault{P: p, Default: cmp.Or(f.Getenv(variable), def)}
	*p = v.Default
	f.Var(v, name, usage+" (env "+shown+")")
}

// Effective is every flag's effective value, as slog attributes in name
// order, for the configuration logged at debug level; skip names flags
// the caller logs its own way. A Secret flag, a URL whose credentials or
// path may be the secret, shows only its scheme and host, or "" when unset.
func Effective(fs *flag.FlagSet, skip ...string) []any {
	var attrs []any
	fs.VisitAll(func(fl *flag.Flag) {
		for _, s := range skip {
			if fl.Name == s {
				return
			}
		}
		v := fl.Value.String()
		if secret, ok := fl.Value.(OrDefault); ok {
			if v = *secret.P; v != "" {
				v = httpurl.Host(v)
			}
		}
		attrs = append(attrs, slog.String(fl.Name, v))
	})
	return attrs
}
