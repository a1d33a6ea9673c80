package main

import (
	"github.com/spacex-elt/loader/internal/pgtest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestNotModifiedIsNotLoggedAsLanded: issue 13 item 18, a resource whose
// extract was unchanged was logged as msg="resource landed". A second sync
// of the same snapshot lands nothing: every resource it has says so.
func TestNotModifiedIsNotLoggedAsLanded(t *testing.T) {
	t.Parallel()
	dsn := syncSnapshot(t, snapshot)
	code, out, errOut := loader(t, nil, "sync", "--source", snapshot, "--database-url", dsn)
	if code != exitOK {
		t.Fatalf("second sync: exit %d\n%s%s", code, out, errOut)
	}
	if strings.Contains(errOut, `msg="resource landed"`) {
		t.Errorf("an unchanged resource is logged as landed:\n%s", errOut)
	}
	re := regexp.MustCompile(`(?m)^time=\S+ level=INFO msg="resource not modified, its earlier landing reused" run_id=2 resource=(\w+) not_modified=true `)
	if got := re.FindAllStringSubmatch(errOut, -1); len(got) != 13 || got[0][1] != "rockets" {
		t.Errorf("%d \"resource not modified\" lines, want 13 (every resource but the absent starlink), from rockets:\n%s", len(got), errOut)
	}
}

// TestReadmeSampleSummary: issue 13 item 18, the README's sample summary
// showed 4 resources, not the 14 a sync reports. It must be what a second
// sync of the bundled snapshot prints, but for the time it took.
func TestReadmeSampleSummary(t *testing.T) {
	t.Parallel()
	dsn := syncSnapshot(t, snapshot)
	code, out, errOut := loader(t, nil, "sync", "--source", snapshot, "--database-url", dsn)
	if code != exitOK {
		t.Fatalf("second sync: exit %d\n%s", code, errOut)
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	sample := regexp.MustCompile("(?s)A sync prints a summary per resource:\n\n```\n(.*?)```\n").FindSubmatch(readme)
	if sample == nil {
		t.Fatal("README has no sample summary after \"A sync prints a summary per resource:\"")
	}
	took := regexp.MustCompile(`^run 2 succeeded in \S+ `)
	if got, want := took.ReplaceAllString(out, "run 2 succeeded in … "), took.ReplaceAllString(string(sample[1]), "run 2 succeeded in … "); got != want {
		t.Errorf("README's sample summary:\n%s\nwhat a second sync of the snapshot prints:\n%s", want, got)
	}
}

// TestRevivedCountedAsUpdatedIsDocumented: issue 13 item 18, revived rows
// are counted as updated too, and nothing said so. --help of sync and
// replay and the README's summary section say it.
func TestRevivedCountedAsUpdatedIsDocumented(t *testing.T) {
	t.Parallel()
	flat := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	for _, cmd := range []string{"sync", "replay"} {
		code, out, _ := loader(t, nil, "help", cmd)
		if want := "what happened to bronze (a revived row is counted in updated too)."; code != exitOK || !strings.Contains(flat(out), want) {
			t.Errorf("help %s: exit %d; want 0 and %q in:\n%s", cmd, code, want, out)
		}
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if want := "so it is counted in `updated` too (`updated` includes `revived`"; !strings.Contains(flat(string(readme)), want) {
		t.Errorf("README does not say %q", want)
	}
}

// TestDebugPrintsEffectiveConfiguration: issue 13 item 18, --log-level
// debug did not print the effective configuration the README promises:
// once, redacted, the database, the log format and level, and the
// command's own flags, a secret URL's path and password left out.
func TestDebugPrintsEffectiveConfiguration(t *testing.T) {
	t.Parallel()
	dsn := pgtest.DSN(t)
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	password, _ := u.User.Password()
	code, out, errOut := loader(t, map[string]string{"DATABASE_URL": dsn}, "sync", "--log-level", "debug", "--source", snapshot,
		"--notify-url", "http://hooks.example/services/T0/B0/secret", "--keep-runs", "3", "--contract", "fail")
	if code != exitOK {
		t.Fatalf("sync: exit %d\n%s%s", code, out, errOut)
	}
	lines := regexp.MustCompile(`(?m)^time=\S+ level=DEBUG msg=configuration (.*)$`).FindAllStringSubmatch(errOut, -1)
	if len(lines) != 1 {
		t.Fatalf("%d configuration lines, want 1:\n%s", len(lines), errOut)
	}
	line := lines[0][1]
	for _, want := range []string{
		"database=postgres://" + u.User.Username() + "@" + u.Host + u.Path + " ", " log_format=text log_level=DEBUG ",
		" api-url=https://api.spacexdata.com ", " check=false ", " contract=fail ", " force-deletes=false ", " http-timeout=1m0s ",
		" keep-runs=3 ", " notify-url=http://hooks.example ", " retries=5 ", " retry-delay=15s ", " retry-max-elapsed=2m0s ",
		" source=" + snapshot,
	} {
		if !strings.Contains(line, want) {
			t.Errorf("configuration lacks %q:\n%s", want, line)
		}
	}
	for _, secret := range []string{password, "secret", "services", "xxxxx"} {
		if strings.Contains(line, secret) {
			t.Errorf("configuration shows %q:\n%s", secret, line)
		}
	}
}
