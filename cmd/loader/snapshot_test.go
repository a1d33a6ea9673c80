package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/spacex-elt/loader/internal/extract"
	"github.com/spacex-elt/loader/internal/fakeapi"
	"github.com/spacex-elt/loader/internal/pgtest"
	"github.com/spacex-elt/loader/internal/resources"
)

// syncedHash syncs dir into a fresh database with the command and returns
// the content of bronze and gold.
func syncedHash(t *testing.T, dir string) string {
	t.Helper()
	dsn := pgtest.DSN(t)
	if code, out, errOut := loader(t, map[string]string{"DATABASE_URL": dsn}, "sync", "--source", dir); code != 0 {
		t.Fatalf("sync --source %s: exit %d\n%s%s", dir, code, out, errOut)
	}
	return pgtest.ContentHash(t, pgtest.Pool(t, dsn))
}

// countDocs counts the documents of a snapshot file: an array's elements,
// or 1 for an object.
func countDocs(t *testing.T, b []byte) int {
	t.Helper()
	var docs []json.RawMessage
	if err := json.Unmarshal(b, &docs); err != nil {
		var obj map[string]json.RawMessage
		if json.Unmarshal(b, &obj) != nil {
			t.Fatalf("neither an array nor an object: %v", err)
		}
		return 1
	}
	return len(docs)
}

// hasRow reports whether out has a line whose first fields are fields.
func hasRow(out string, fields ...string) bool {
	for _, line := range strings.Split(out, "\n") {
		if f := strings.Fields(line); len(f) >= len(fields) && slices.Equal(f[:len(fields)], fields) {
			return true
		}
	}
	return false
}

// TestSnapshotRecordsWhatSyncReads records the bundled snapshot served at
// the API's paths, with GETs and page by page, checks every file against
// its manifest entry and the bundled file, and syncs each recording to the
// same bronze and gold as the bundled snapshot.
func TestSnapshotRecordsWhatSyncReads(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(fakeapi.New(snapshot))
	t.Cleanup(srv.Close)
	// The API's URL with credentials, which the manifest must not keep.
	apiURL := strings.Replace(srv.URL, "http://", "http://user:"+testPassword+"@", 1)

	want := syncedHash(t, snapshot)
	for _, pageSize := range []string{"0", "50"} {
		dir := filepath.Join(t.TempDir(), "recorded")
		code, out, errOut := loader(t, nil, "snapshot", "--api-url", apiURL, "--retries", "0", "--page-size", pageSize, dir)
		if code != 0 {
			t.Fatalf("page size %s: exit %d\n%s%s", pageSize, code, out, errOut)
		}
		if strings.Contains(out+errOut, testPassword) {
			t.Errorf("page size %s: output shows the password:\n%s%s", pageSize, out, errOut)
		}
		if !hasRow(out, "v5/launches.json", "205") || !strings.Contains(out, "absent (the API answered 404): /v4/starlink\n") {
			t.Errorf("page size %s: summary lacks launches or starlink:\n%s", pageSize, out)
		}
		raw, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(raw, []byte(testPassword)) {
			t.Errorf("page size %s: manifest.json shows the password", pageSize)
		}
		var m extract.Manifest
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatal(err)
		}
		if m.Source != srv.URL || m.PageSize != map[string]int{"0": 0, "50": 50}[pageSize] ||
			len(m.Absent) != 1 || m.Absent[0] != "/v4/starlink" || len(m.Files) != len(resources.All)-1 {
			t.Errorf("page size %s: manifest source %q, page size %d, absent %v, %d files; want %q, %s, [/v4/starlink], %d",
				pageSize, m.Source, m.PageSize, m.Absent, len(m.Files), srv.URL, pageSize, len(resources.All)-1)
		}
		var served []resources.Resource // all but starlink, in order
		for _, r := range resources.All {
			if r.Name != "starlink" {
				served = append(served, r)
			}
		}
		for i, f := range m.Files {
			r := served[min(i, len(served)-1)]
			if f.Path != strings.TrimPrefix(r.Path, "/")+".json" {
				t.Errorf("file %d is %s, want %s's", i, f.Path, r.Path)
				continue
			}
			b, err := os.ReadFile(filepath.Join(dir, f.Path))
			if err != nil {
				t.Fatal(err)
			}
			orig, err := os.ReadFile(filepath.Join(snapshot, f.Path))
			if err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(b)
			if f.SHA256 != hex.EncodeToString(sum[:]) || f.Bytes != int64(len(b)) || f.Documents != countDocs(t, orig) {
				t.Errorf("page size %s: %s: manifest %+v; want sha256 %x, %d bytes, %d documents", pageSize, f.Path, f, sum, len(b), countDocs(t, orig))
			}
			// A GET is recorded byte for byte, and so is an object.
			if (pageSize == "0" || r.Object) && !bytes.Equal(b, orig) {
				t.Errorf("page size %s: %s differs from the bundled file", pageSize, f.Path)
			}
			if (pageSize == "0" || r.Object) != (f.ETag != "") {
				t.Errorf("page size %s: %s: ETag %q; want one exactly for a GET", pageSize, f.Path, f.ETag)
			}
		}
		if got := syncedHash(t, dir); got != want {
			t.Errorf("page size %s: bronze and gold from the recording differ from the bundled snapshot's:\n%s\nwant\n%s", pageSize, got, want)
		}
	}
}

func TestSnapshotUsage(t *testing.T) {
	t.Parallel()
	full := t.TempDir()
	if err := os.WriteFile(filepath.Join(full, "keep.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"snapshot"}, "want 1 argument(s), got 0"},
		{[]string{"snapshot", "--page-size", "-1", "d"}, "--page-size -1"},
		{[]string{"snapshot", "--api-url", "ftp://x", "d"}, "want an http:// or https:// URL"},
		{[]string{"snapshot", "--log-format", "xml", "d"}, `--log-format "xml"`},
		{[]string{"snapshot", "--api-url", "http://127.0.0.1:1", full}, "use --force"},
		{[]string{"sync", "--source", snapshot, "--page-size", "5"}, "--source and --page-size exclude each other"},
		{[]string{"sync", "--page-size", "-2"}, "--page-size -2"},
	}
	for _, tc := range cases {
		code, _, errOut := loader(t, nil, tc.args...)
		if code != 2 || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, code, errOut, tc.want)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(full, "keep.txt")); string(b) != "mine" {
		t.Errorf("a refused snapshot touched the directory's files")
	}

	code, out, _ := loader(t, nil, "help", "snapshot")
	for _, w := range []string{"loader snapshot [flags] DIR", "-page-size N", "-force", "-api-url URL", "-retries", "manifest.json", "company and roadster always use a GET", "totalDocs"} {
		if code != 0 || !strings.Contains(out, w) {
			t.Errorf("help snapshot: exit %d, lacks %q:\n%s", code, w, out)
		}
	}
}

// TestSnapshotFailsWhereNothingIsServed: a URL that answers 404 for every
// resource is not an API, and nothing is written.
func TestSnapshotFailsWhereNothingIsServed(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(fakeapi.New(t.TempDir()))
	t.Cleanup(srv.Close)
	dir := filepath.Join(t.TempDir(), "out")
	code, _, errOut := loader(t, nil, "snapshot", "--api-url", srv.URL, "--retries", "0", dir)
	if code != 1 || !strings.Contains(errOut, "404 for every resource") {
		t.Errorf("exit %d, stderr %q; want 1 and a message that every resource was a 404", code, errOut)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("%s was created", dir)
	}
}
