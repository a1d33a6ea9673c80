package main

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/spacex-elt/loader/internal/pgtest"
)

// TestVersion: issue 13 item 17, --version did not exist. loader
// --version and loader version print the version, the commit and the
// newest migration embedded; with a database that answers, the newest
// migration applied and meta.transform_version(); without one, what the
// binary knows and that the database part is unavailable, exit 0.
func TestVersion(t *testing.T) {
	t.Parallel()
	versions, _ := shipped(t)
	newest := versions[len(versions)-1]
	binary := regexp.MustCompile(`^loader \S+\ncommit:     \S+.*\nmigrations: ` + newest + ` \(the newest this binary embeds\)\n`)

	for _, args := range [][]string{{"--version"}, {"version"}, {"-version"}} {
		code, out, errOut := loader(t, nil, args...)
		if want := "database:   unavailable (no database given: "; code != exitOK || errOut != "" || !binary.MatchString(out) || !strings.Contains(out, want) || strings.Count(out, "\n") != 4 {
			t.Errorf("%v without a database: exit %d, stderr %q; want 0, nothing on stderr, and 4 lines ending %q…:\n%s", args, code, errOut, want, out)
		}
	}
	env := map[string]string{"DATABASE_URL": "postgres://loader:" + testPassword + "@127.0.0.1:1/spacex?connect_timeout=5"}
	code, out, errOut := loader(t, env, "--version")
	if code != exitOK || !binary.MatchString(out) || !strings.Contains(out, "database:   unavailable (connect to ") || strings.Contains(out+errOut, testPassword) {
		t.Errorf("--version with a database that does not answer: exit %d; want 0, the binary's part, unavailable, no password:\n%s%s", code, out, errOut)
	}

	dsn := pgtest.DSN(t)
	var transform string
	if err := pgtest.Pool(t, dsn).QueryRow(context.Background(), "SELECT meta.transform_version()").Scan(&transform); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = loader(t, map[string]string{"DATABASE_URL": dsn}, "--version")
	if want := "database:   migration " + newest + " applied, transform version " + transform + "\n"; code != exitOK || !binary.MatchString(out) || !strings.HasSuffix(out, want) {
		t.Errorf("--version with a migrated database: exit %d; want 0 and the line %q:\n%s%s", code, want, out, errOut)
	}

	if code, out, _ := loader(t, nil, "help"); code != exitOK || !strings.Contains(out, "  loader version ") {
		t.Errorf("help: exit %d; want version listed:\n%s", code, out)
	}
	if code, _, errOut := loader(t, nil, "--version", "--log-level", "x"); code != exitUsage || !strings.Contains(errOut, `--log-level "x"`) {
		t.Errorf("--version --log-level x: exit %d, %q; want 2", code, errOut)
	}
}
