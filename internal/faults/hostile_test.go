package faults_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spacex-elt/loader/internal/fakeapi"
)

// hostile is text an attacker controls, tagged with where it was planted:
// it clears the screen, turns the text red, forges a line of its own, then
// returns the carriage, rings the bell and deletes.
func hostile(tag string) string {
	return "\x1b[2J\x1b[31mFAKE " + tag + "\x1b[0m\nforged line\r\a\x7f"
}

// escaped is hostile(tag) as text output must show it: each control
// character written as Go writes it in a quoted string (docs in
// internal/termtext), the rest as it is. Written out here, not computed by
// the code under test.
func escaped(tag string) string {
	return `\x1b[2J\x1b[31mFAKE ` + tag + `\x1b[0m\nforged line\r\a\x7f`
}

// controlBytes lists the bytes of out below 0x20 other than newline and
// tab, and 0x7f, with a little context.
func controlBytes(out string) []string {
	var found []string
	for i := 0; i < len(out); i++ {
		if b := out[i]; (b < 0x20 && b != '\n' && b != '\t') || b == 0x7f {
			found = append(found, fmt.Sprintf("byte %d (%#02x) in %q", i, b, out[max(0, i-30):min(len(out), i+30)]))
		}
	}
	return found
}

// TestHostileTextIsEscaped plants escape codes and newlines in launch names
// (twice, so that the uniqueness check reports them), a rocket reference, a
// payload's orbit and customer, a new key, the snapshot directory's name
// (so the run's source and a run's error hold them), two migration
// versions (one sorting last, which loader version shows as the newest
// applied) and a function file's name in the database; then it runs every
// verb in text mode, and fails if the command table lists one it did not
// run. No control character but newline and tab reaches stdout or stderr,
// and each planted string appears escaped where the verb shows it, so that
// the test cannot pass by dropping the data.
func TestHostileTextIsEscaped(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	dir := filepath.Join(t.TempDir(), hostile("dir"))
	if err := os.CopyFS(dir, os.DirFS(snapshot)); err != nil {
		t.Fatal(err)
	}
	err := editJSON(dir, "launches", func(docs []map[string]any) []map[string]any {
		docs[0]["name"], docs[1]["name"] = hostile("name"), hostile("name")
		docs[2]["rocket"] = hostile("rocket")
		return docs
	}, "payloads", func(docs []map[string]any) []map[string]any {
		docs[0]["orbit"] = hostile("orbit")
		docs[0]["customers"] = []any{hostile("customer")}
		return docs
	}, "rockets", func(docs []map[string]any) []map[string]any {
		docs[0][hostile("key")] = "new"
		return docs
	})
	if err != nil {
		t.Fatal(err)
	}
	// A directory whose launches file ends early: the run fails, and its
	// error names the file, the planted directory name in it.
	broken := filepath.Join(t.TempDir(), hostile("broken"))
	if err := os.CopyFS(broken, os.DirFS(dir)); err != nil {
		t.Fatal(err)
	}
	launches := snapshotFile(broken, "launches")
	b, err := os.ReadFile(launches)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(launches, b[:len(b)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	api := httptest.NewServer(fakeapi.New(dir))
	t.Cleanup(api.Close)

	ran := map[string]bool{}
	verb := func(wantCode int, args []string, want ...string) {
		t.Helper()
		ran[strings.TrimLeft(args[0], "-")] = true
		code, out := e.loader(args...)
		if code != wantCode {
			t.Errorf("loader %s: exit %d, want %d:\n%s", args[0], code, wantCode, out)
		}
		if found := controlBytes(out); len(found) > 0 {
			t.Errorf("loader %s printed %d control characters:\n%s", args[0], len(found), strings.Join(found, "\n"))
		}
		for _, w := range want {
			if !strings.Contains(out, w) {
				t.Errorf("loader %s does not show %q:\n%s", args[0], w, out)
			}
		}
	}
	// The summary notes the new key, the checks show the repeated name and
	// the rocket reference, and the log's "run started" names the source:
	// log/slog's TextHandler quotes it, which this proves.
	verb(4, []string{"sync", "--source", dir, "--check"},
		escaped("key"), escaped("dir"), escaped("name"), escaped("rocket"))
	verb(0, []string{"replay", "1"}, escaped("key"))
	verb(4, []string{"check"}, escaped("name"), escaped("rocket"))
	// The error names the file, on one line.
	verb(1, []string{"sync", "--source", broken}, escaped("broken")+"/v5/launches.json: malformed")
	verb(0, []string{"sync", "--source", dir}, escaped("dir"))
	verb(0, []string{"runs"}, escaped("dir"), escaped("broken"))
	verb(0, []string{"report", "--out", filepath.Join(t.TempDir(), "report.html")})
	verb(0, []string{"migrate"})
	verb(0, []string{"snapshot", "--api-url", api.URL, filepath.Join(t.TempDir(), "snap")})

	// Text in the database that no sync wrote: a migration a newer loader
	// applied, and a function file this one does not ship.
	ctx := context.Background()
	if _, err := e.pool.Exec(ctx, "INSERT INTO public.schema_migrations (version) VALUES ($1)", hostile("version")); err != nil {
		t.Fatal(err)
	}
	if _, err := e.pool.Exec(ctx, "INSERT INTO meta.applied_sql (name, kind, sha256) VALUES ($1, 'function', 'abc')", hostile("file")); err != nil {
		t.Fatal(err)
	}
	verb(0, []string{"status"}, escaped("dir"), escaped("name"), escaped("version"), escaped("file"))
	// loader version prints the newest migration applied. The version
	// planted above sorts first (ESC is below the digits), so a second one,
	// from a loader far in the future, sorts last and is the one shown.
	if _, err := e.pool.Exec(ctx, "INSERT INTO public.schema_migrations (version) VALUES ($1)", "99991231235959"+hostile("newest")); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"version"}, {"--version"}} {
		verb(0, args, "database:   migration 99991231235959"+escaped("newest")+" applied, transform version ")
	}

	// Every verb the binary lists (its command table, by way of the main
	// usage) ran above: a verb added later must be added here.
	_, usage := e.loader("help")
	var listed []string
	for _, line := range strings.Split(usage, "\n") {
		if name, ok := strings.CutPrefix(line, "  loader "); ok && !strings.HasPrefix(name, "help ") {
			listed = append(listed, strings.Fields(name)[0])
		}
	}
	if len(listed) == 0 {
		t.Fatalf("no command found in loader help:\n%s", usage)
	}
	for _, name := range listed {
		if !ran[name] {
			t.Errorf("loader %s is in the command table but this test does not run it", name)
		}
	}
}
