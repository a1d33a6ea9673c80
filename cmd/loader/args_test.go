package main

import (
	"encoding/json"
	"errors"
	"io/fs"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spacex-elt/loader/internal/fakeapi"
	"github.com/spacex-elt/loader/internal/pgtest"
)

// TestFlagsAfterArguments: flags may come before or after a command's
// positional arguments, and "--" still ends the flags (issue 13 item 16).
func TestFlagsAfterArguments(t *testing.T) {
	t.Parallel()
	unreachable := map[string]string{"DATABASE_URL": "postgres://loader@127.0.0.1:1/spacex?connect_timeout=2"}

	t.Run("replay RUN_ID --output json", func(t *testing.T) {
		t.Parallel()
		// The database cannot be reached, and the failed run's summary is
		// still printed: as JSON, since --output json was read.
		code, out, errOut := loader(t, unreachable, "replay", "1", "--output", "json")
		var summary struct{ Status string }
		if code != 1 || json.Unmarshal([]byte(out), &summary) != nil || summary.Status != "failed" {
			t.Errorf("exit %d, stdout %q, stderr %q; want 1 and a JSON summary of status failed", code, out, errOut)
		}
	})
	t.Run("snapshot DIR --api-url URL", func(t *testing.T) {
		t.Parallel()
		// An API that serves nothing: the snapshot reaches it (and fails
		// saying so), so --api-url after DIR was read.
		srv := httptest.NewServer(fakeapi.New(t.TempDir()))
		t.Cleanup(srv.Close)
		dir := filepath.Join(t.TempDir(), "out")
		code, _, errOut := loader(t, nil, "snapshot", dir, "--api-url", srv.URL, "--retries", "0")
		if code != 1 || !strings.Contains(errOut, "404 for every resource") {
			t.Errorf("exit %d, stderr %q; want 1 and a message that every resource was a 404", code, errOut)
		}
	})
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"replay", "1", "--output", "xml"}, `--output "xml": want text or json`},
		{[]string{"replay", "1", "--keep-runs=0"}, "--keep-runs 0"},
		{[]string{"snapshot", "d", "--page-size", "-1"}, "--page-size -1"},
		{[]string{"snapshot", "d", "--force", "--api-url", "ftp://x"}, "want an http:// or https:// URL"},
		{[]string{"replay", "1", "--no-such-flag"}, "flag provided but not defined: -no-such-flag"},
		// After "--", a flag is an argument.
		{[]string{"replay", "--", "1", "--output", "json"}, "want 1 argument(s), got 3"},
		{[]string{"migrate", "--", "--help"}, `unexpected argument "--help"`},
	} {
		code, _, errOut := loader(t, unreachable, tc.args...)
		if code != 2 || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, code, errOut, tc.want)
		}
	}
	// --help after the argument is help, on stdout.
	if code, out, _ := loader(t, nil, "replay", "1", "--help"); code != 0 || !strings.Contains(out, "loader replay [flags] RUN_ID") {
		t.Errorf("replay 1 --help: exit %d, stdout %q; want 0 and the usage", code, out)
	}
}

// TestBadArgumentsAreRefused: an unknown help topic, a negative duration,
// a duration in days, an empty or unknown --only are answered with exit 2
// and a message naming the flag and what it takes (issue 13 item 17).
func TestBadArgumentsAreRefused(t *testing.T) {
	t.Parallel()
	unreachable := map[string]string{"DATABASE_URL": "postgres://loader@127.0.0.1:1/spacex?connect_timeout=2"}
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"help", "bogus"}, []string{`unknown command "bogus"`}},
		{[]string{"help", "sync", "bogus"}, []string{`unknown command "sync bogus"`}},
		{[]string{"--help", "bogus"}, []string{`unknown command "bogus"`}},
		{[]string{"sync", "--lock-timeout", "-5s"}, []string{"-lock-timeout", "must not be negative"}},
		{[]string{"replay", "1", "--lock-timeout=-1m"}, []string{"-lock-timeout", "must not be negative"}},
		{[]string{"sync", "--http-timeout", "-1s"}, []string{"-http-timeout", "must not be negative"}},
		{[]string{"snapshot", "d", "--retry-delay", "-1s"}, []string{"-retry-delay", "must not be negative"}},
		{[]string{"check", "--max-age", "-1h"}, []string{"-max-age", "must not be negative"}},
		{[]string{"check", "--max-age", "-1d"}, []string{"-max-age", "must not be negative"}},
		{[]string{"check", "--max-age", "1w"}, []string{"-max-age", "90s, 15m, 36h or 2d", "units: ms, s, m, h, d"}},
		{[]string{"check", "--only", ""}, []string{"-only", "want one or more comma-separated names"}},
		{[]string{"check", "--only", " , "}, []string{"-only", "want one or more comma-separated names"}},
		{[]string{"check", "--only", "nope"}, []string{`no check named "nope"; the checks are `, "runs_fresh", "launches_name_unique", "bridges_match_documents"}},
	} {
		code, _, errOut := loader(t, unreachable, tc.args...)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2 (stderr %q)", tc.args, code, errOut)
		}
		for _, w := range tc.want {
			if !strings.Contains(errOut, w) {
				t.Errorf("%v: stderr %q lacks %q", tc.args, errOut, w)
			}
		}
	}
	// Days are a unit: --max-age 1d is read, and the command goes on to
	// the database (which cannot be reached here: exit 1, not 2).
	for _, age := range []string{"1d", "2d", "1d12h"} {
		if code, _, errOut := loader(t, unreachable, "check", "--max-age", age); code != 1 || !strings.Contains(errOut, "connect to") {
			t.Errorf("check --max-age %s: exit %d, stderr %q; want 1 from connecting", age, code, errOut)
		}
	}
}

// TestReportOutDirAndStdout: --out naming a directory is bad usage, said
// before the database is read, and --out - writes the page to stdout, not
// to a file named "-" (issue 13 item 19).
func TestReportOutDirAndStdout(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	code, out, errOut := loader(t, nil, "report", "--out", dir, "--database-url", "postgres://loader@127.0.0.1:1/spacex?connect_timeout=2")
	if want := "loader report: --out " + dir + ": is a directory: name a file, such as " + filepath.Join(dir, "report.html") + "\n"; code != 2 || errOut != want {
		t.Errorf("--out DIR: exit %d, stderr %q; want 2 and %q", code, errOut, want)
	}
	if left, _ := os.ReadDir(dir); len(left) > 0 || out != "" {
		t.Errorf("--out DIR: wrote %v into it, stdout %q", left, out)
	}

	code, out, errOut = loader(t, nil, "report", "--out", "-", "--database-url", pgtest.DSN(t))
	if code != 0 || !strings.HasPrefix(out, "<!DOCTYPE html>") || !strings.HasSuffix(out, "</html>\n") || errOut != "" {
		t.Errorf("--out -: exit %d, stderr %q, stdout starts %.40q; want 0 and the page alone on stdout", code, errOut, out)
	}
	if _, err := os.Stat("-"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("--out - wrote a file named -: %v", err)
		os.Remove("-")
	}
}

// TestSourceFileMessages: sync --source names a bad file as a file, says
// an empty one is empty, and reads a file that starts with a UTF-8
// byte-order mark (issue 13 item 19).
func TestSourceFileMessages(t *testing.T) {
	t.Parallel()
	rockets, err := os.ReadFile(filepath.Join(snapshot, "v4", "rockets.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		body []byte
		code int
		want string // on stderr
	}{
		{"empty", nil, 1, filepath.Join("v4", "rockets.json") + ": malformed file: the file is empty, with no JSON value"},
		{"truncated", rockets[:len(rockets)-10], 1, filepath.Join("v4", "rockets.json") + ": malformed file: truncated JSON after byte"},
		{"byte-order mark", append([]byte("\xef\xbb\xbf"), rockets...), 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			if err := os.MkdirAll(filepath.Join(dir, "v4"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "v4", "rockets.json"), tc.body, 0o644); err != nil {
				t.Fatal(err)
			}
			code, out, errOut := loader(t, nil, "sync", "--source", dir, "--database-url", pgtest.DSN(t))
			if code != tc.code || !strings.Contains(errOut, tc.want) || strings.Contains(errOut, "response") {
				t.Errorf("exit %d, stderr %q; want %d and %q, and no \"response\"", code, errOut, tc.code, tc.want)
			}
			if tc.code == 0 && !hasRow(out, "rockets", "landed", "4", "4") {
				t.Errorf("the rockets were not loaded:\n%s", out)
			}
		})
	}
}
