package faults_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/spacex-elt/loader/internal/extract"
	"github.com/spacex-elt/loader/internal/fakeapi"
	"github.com/spacex-elt/loader/internal/pgtest"
	"github.com/spacex-elt/loader/internal/resources"
)

const snapshot = "../../testdata/spacex-api"

// loaderBin is the loader built once for the package: faults such as
// SIGKILL need a real process.
var loaderBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "faults")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	loaderBin = filepath.Join(dir, "loader")
	build := exec.Command("go", "build", "-o", loaderBin, "github.com/spacex-elt/loader/cmd/loader")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build loader: %v\n%s", err, out)
		os.Exit(1)
	}
	code := pgtest.Main(m)
	os.RemoveAll(dir)
	if oldDir != "" {
		os.RemoveAll(oldDir)
	}
	os.Exit(code)
}

// env is one test's world: a fresh migrated database, an observer pool on
// it, and a fake API serving the real snapshot with the test's faults.
type env struct {
	t    *testing.T
	dsn  string
	pool *pgxpool.Pool
	api  *fakeapi.API
	url  string
}

// sourcesOnce opens the loader's sources once during the tests: go test
// caches a result by the files the test opened, and the loader binary built
// in TestMain is not among them, so without this an edit to it would not
// rerun the suite.
var sourcesOnce sync.Once

func newEnv(t *testing.T, faults ...fakeapi.Fault) *env {
	t.Helper()
	return newEnvOn(t, pgtest.DSN(t), faults...)
}

// newEnvOn is newEnv on the database at dsn (pgtest.RestartableDSN's, for
// a test that restarts the server).
func newEnvOn(t *testing.T, dsn string, faults ...fakeapi.Fault) *env {
	t.Helper()
	sourcesOnce.Do(func() {
		_ = filepath.WalkDir("../..", func(path string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && (strings.HasSuffix(path, ".go") || strings.HasSuffix(path, ".sql") || strings.HasSuffix(path, ".json")) {
				if f, err := os.Open(path); err == nil {
					f.Close()
				}
			}
			return nil
		})
	})
	pool, err := pgxpool.New(context.Background(), dsn+"&application_name=observer")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	api := fakeapi.New(snapshot, faults...)
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)
	return &env{t: t, dsn: dsn, pool: pool, api: api, url: srv.URL}
}

// proc is a running loader.
type proc struct {
	cmd  *exec.Cmd
	out  bytes.Buffer
	done chan struct{}
	code int
}

// start runs the loader against the env's database.
func (e *env) start(args ...string) *proc {
	e.t.Helper()
	return start(e.t, e.dsn, args...)
}

// start runs the loader with DATABASE_URL set to dsn.
func start(t *testing.T, dsn string, args ...string) *proc {
	t.Helper()
	p := &proc{done: make(chan struct{})}
	p.cmd = exec.Command(loaderBin, args...)
	p.cmd.Env = append(os.Environ(), "DATABASE_URL="+dsn, "LOADER_LOG_FORMAT=text")
	p.cmd.Stdout = &p.out
	p.cmd.Stderr = &p.out
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		_ = p.cmd.Wait()
		p.code = p.cmd.ProcessState.ExitCode()
		if ws, ok := p.cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			p.code = -int(ws.Signal())
		}
		close(p.done)
	}()
	t.Cleanup(func() { _ = p.cmd.Process.Kill(); <-p.done })
	return p
}

// wait returns the exit code, failing the test if the process runs longer
// than within.
func (p *proc) wait(t *testing.T, within time.Duration) int {
	t.Helper()
	select {
	case <-p.done:
		return p.code
	case <-time.After(within):
		t.Fatalf("loader still running after %s:\n%s", within, p.out.String())
		return 0
	}
}

// loader runs the loader to the end and returns its exit code and output.
func (e *env) loader(args ...string) (int, string) {
	e.t.Helper()
	p := e.start(args...)
	code := p.wait(e.t, 2*time.Minute)
	return code, p.out.String()
}

// sync runs `loader sync` against the fake API with fast retries.
func (e *env) sync(extra ...string) (int, string) {
	e.t.Helper()
	args := append([]string{"sync", "--api-url", e.url, "--retries", "2", "--retry-delay", "5ms", "--http-timeout", "10s"}, extra...)
	return e.loader(args...)
}

// mustLoad runs a sync that must succeed.
func (e *env) mustLoad(args ...string) string {
	e.t.Helper()
	code, out := e.loader(args...)
	if code != 0 {
		e.t.Fatalf("loader %v: exit %d\n%s", args, code, out)
	}
	return out
}

// seedOld loads the "old" snapshot, the state a fault must not disturb,
// and returns its fingerprint.
func (e *env) seedOld() string {
	e.t.Helper()
	e.mustLoad("sync", "--source", oldSnapshot(e.t))
	if pgtest.ContentHash(e.t, e.pool) == newContent(e.t) {
		e.t.Fatal("the old snapshot loads the same content as the new one: the outcome checks could not tell them apart")
	}
	return pgtest.FullHash(e.t, e.pool)
}

// query runs a one-row query.
func (e *env) query(sql string, args ...any) []any {
	e.t.Helper()
	rows, err := e.pool.Query(context.Background(), sql, args...)
	if err != nil {
		e.t.Fatalf("%s: %v", sql, err)
	}
	row, err := pgx.CollectExactlyOneRow(rows, func(r pgx.CollectableRow) ([]any, error) { return r.Values() })
	if err != nil {
		e.t.Fatalf("%s: %v", sql, err)
	}
	return row
}

func (e *env) int(sql string, args ...any) int64 {
	e.t.Helper()
	switch v := e.query(sql, args...)[0].(type) {
	case int64:
		return v
	case int32:
		return int64(v)
	default:
		e.t.Fatalf("%s: %T is not an integer", sql, v)
		return 0
	}
}

// lastRun returns the status and error of the newest run.
func (e *env) lastRun() (status, msg string) {
	e.t.Helper()
	row := e.query("SELECT status, coalesce(error, '') FROM meta.runs ORDER BY run_id DESC LIMIT 1")
	return row[0].(string), row[1].(string)
}

// assertFailedIntact checks the "previous data intact, clear error,
// recorded" outcome, and the exit code that goes with the ledger status:
// 130 for a run cancelled by SIGTERM or SIGINT, 1 for a failed one.
func (e *env) assertFailedIntact(code int, out, before string, wantStatus string, wantInError ...string) {
	e.t.Helper()
	wantCode := 1
	if wantStatus == "cancelled" {
		wantCode = 130
	}
	if code != wantCode {
		e.t.Errorf("exit %d, want %d (run %s):\n%s", code, wantCode, wantStatus, out)
	}
	for _, w := range wantInError {
		if !strings.Contains(out, w) {
			e.t.Errorf("output does not say %q:\n%s", w, out)
		}
	}
	status, msg := e.lastRun()
	if status != wantStatus {
		e.t.Errorf("ledger: last run %s (%s), want %s", status, msg, wantStatus)
	}
	if after := pgtest.FullHash(e.t, e.pool); after != before {
		e.t.Errorf("bronze/gold changed by the failed run")
	}
}

// assertComplete checks the "complete correct data" outcome: the live
// bronze rows and gold equal a fresh load of the real snapshot.
func (e *env) assertComplete() {
	e.t.Helper()
	if got, want := pgtest.ContentHash(e.t, e.pool), newContent(e.t); got != want {
		e.t.Errorf("bronze/gold content differs from a clean load of the snapshot:\ngot\n%s\nwant\n%s", got, want)
	}
	if status, msg := e.lastRun(); status != "succeeded" {
		e.t.Errorf("ledger: last run %s (%s), want succeeded", status, msg)
	}
}

var (
	newOnce   sync.Once
	newHash   string
	oldOnce   sync.Once
	oldDir    string
	oldDirErr error
)

// newContent is contentHash of a clean load of the real snapshot.
func newContent(t *testing.T) string {
	t.Helper()
	newOnce.Do(func() {
		e := newEnv(t)
		e.mustLoad("sync", "--source", snapshot)
		newHash = pgtest.ContentHash(t, e.pool)
	})
	if newHash == "" {
		t.Fatal("no reference load")
	}
	return newHash
}

// oldSnapshot is the real snapshot as it might have looked earlier: a
// launchpad described otherwise, a rocket renamed and repriced, a payload
// heavier, the last launch not yet listed, an extra payload link and an
// extra core on two launches, and a landing not yet confirmed. Loading the real snapshot after it exercises
// inserts, updates and bridge clean-up.
func oldSnapshot(t *testing.T) string {
	t.Helper()
	oldOnce.Do(func() {
		oldDir, oldDirErr = os.MkdirTemp("", "old-snapshot")
		if oldDirErr != nil {
			return
		}
		oldDirErr = writeOldSnapshot(oldDir)
	})
	if oldDirErr != nil {
		t.Fatal(oldDirErr)
	}
	return oldDir
}

// compactSnapshot is a copy of the snapshot with every file's JSON
// compacted: the same content in other bytes, so every resource lands anew.
func compactSnapshot(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	err := filepath.WalkDir(snapshot, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(path) != ".json" {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		var out bytes.Buffer
		if err := json.Compact(&out, b); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		rel, _ := filepath.Rel(snapshot, path)
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(rel)), 0o755); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, rel), out.Bytes(), 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func writeOldSnapshot(dir string) error {
	if err := os.CopyFS(dir, os.DirFS(snapshot)); err != nil {
		return err
	}
	return editJSON(dir, "launchpads", func(docs []map[string]any) []map[string]any {
		docs[0]["details"] = "an older description"
		return docs
	}, "rockets", func(docs []map[string]any) []map[string]any {
		for _, r := range docs {
			if r["name"] == "Falcon 9" {
				r["name"], r["cost_per_launch"] = "Falcon 9 (old)", json.Number("62000000")
			}
		}
		return docs
	}, "payloads", func(docs []map[string]any) []map[string]any {
		for _, p := range docs {
			if p["mass_kg"] != nil {
				p["mass_kg"] = json.Number("123456")
				break
			}
		}
		return docs
	}, "launches", func(docs []map[string]any) []map[string]any {
		docs = docs[:len(docs)-1]
		docs[2]["payloads"] = append(docs[2]["payloads"].([]any), "000000000000000000000000")
		cores := docs[54]["cores"].([]any)
		docs[54]["cores"] = append(cores, cores[0])
		core := docs[100]["cores"].([]any)[0].(map[string]any)
		core["landing_success"] = nil
		return docs
	})
}

// snapshotFile is the file of dir a sync reads for a resource.
func snapshotFile(dir, resource string) string {
	for _, r := range resources.All {
		if r.Name == resource {
			name, err := extract.Dir(dir).File(extract.Request{Path: r.Path, Alternates: r.Alternates})
			if err != nil {
				panic(err)
			}
			return name
		}
	}
	panic("snapshotFile: no resource " + resource + " in the registry")
}

// editJSON rewrites the <resource>.json files of dir: pairs of a resource
// name and an edit.
func editJSON(dir string, edits ...any) error {
	for i := 0; i < len(edits); i += 2 {
		name := edits[i].(string)
		edit := edits[i+1].(func([]map[string]any) []map[string]any)
		b, err := readDocs(snapshotFile(dir, name))
		if err != nil {
			return err
		}
		out, err := json.MarshalIndent(edit(b), "", "  ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(snapshotFile(dir, name), out, 0o644); err != nil {
			return err
		}
	}
	return nil
}

func readDocs(path string) ([]map[string]any, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	dec := json.NewDecoder(f)
	dec.UseNumber()
	var docs []map[string]any
	return docs, dec.Decode(&docs)
}

// snapshotBody returns the real snapshot's body for an API path, edited.
func snapshotBody(t *testing.T, resource string, edit func([]map[string]any) []map[string]any) []byte {
	t.Helper()
	docs, err := readDocs(snapshotFile(snapshot, resource))
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		docs = edit(docs)
	}
	b, err := json.Marshal(docs)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
