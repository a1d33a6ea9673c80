package extract_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spacex-elt/loader/internal/extract"
	"github.com/spacex-elt/loader/internal/fakeapi"
)

var recordReqs = []extract.Request{
	{Path: "/v4/rockets"},
	{Path: "/v5/launches", Alternates: []string{"/v4/launches"}},
	{Path: "/v4/starlink"}, // not in the snapshot: a 404
	{Path: "/v4/company", Object: true},
}

// files lists every file under dir, relative and slash-separated.
func files(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func readManifest(t *testing.T, dir string) extract.Manifest {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m extract.Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestRecordGet: each file is the GET's body byte for byte, and the
// manifest describes it.
func TestRecordGet(t *testing.T) {
	t.Parallel()
	api := fakeapi.New(snapshot)
	url := serve(t, api)
	dir := filepath.Join(t.TempDir(), "new", "snap")
	before := time.Now().UTC().Truncate(time.Second)
	got, err := extract.Record(context.Background(), newHTTP(url, 0), dir, false, recordReqs...)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"manifest.json", "v4/company.json", "v4/rockets.json", "v5/launches.json"}; !reflect.DeepEqual(files(t, dir), want) {
		t.Errorf("files %v, want %v", files(t, dir), want)
	}
	m := readManifest(t, dir)
	if !reflect.DeepEqual(&m, got) {
		t.Errorf("manifest.json %+v, Record returned %+v", m, got)
	}
	at, err := time.Parse(time.RFC3339, m.RecordedAt)
	if err != nil || at.Before(before) || at.After(time.Now()) || !strings.HasSuffix(m.RecordedAt, "Z") {
		t.Errorf("recorded_at %q, want UTC RFC 3339 of now (%v)", m.RecordedAt, err)
	}
	if m.Source != url || m.PageSize != 0 || !reflect.DeepEqual(m.Absent, []string{"/v4/starlink"}) {
		t.Errorf("source %q, page size %d, absent %v; want %q, 0, [/v4/starlink]", m.Source, m.PageSize, m.Absent, url)
	}
	wantDocs := map[string]int{"v4/rockets.json": 4, "v5/launches.json": 205, "v4/company.json": 1}
	for _, f := range m.Files {
		b, err := os.ReadFile(filepath.Join(dir, f.Path))
		if err != nil {
			t.Fatal(err)
		}
		orig, err := os.ReadFile(filepath.Join(snapshot, f.Path))
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(b)
		route := "/" + strings.TrimSuffix(f.Path, ".json")
		if !bytes.Equal(b, orig) || f.SHA256 != hex.EncodeToString(sum[:]) || f.Bytes != int64(len(b)) ||
			f.Documents != wantDocs[f.Path] || f.ETag != fakeapi.ETag(orig) || f.Request != "GET "+route {
			t.Errorf("%s: %d bytes equal to the snapshot's: %t; manifest %+v; want sha256 %x, %d documents, ETag %s",
				f.Path, len(b), bytes.Equal(b, orig), f, sum, wantDocs[f.Path], fakeapi.ETag(orig))
		}
		if st, _ := os.Stat(filepath.Join(dir, f.Path)); st.Mode().Perm() != 0o644 {
			t.Errorf("%s: mode %v, want 0644", f.Path, st.Mode().Perm())
		}
	}
	if len(m.Files) != 3 {
		t.Errorf("%d files in the manifest, want 3", len(m.Files))
	}
}

// TestRecordPaged: the docs of every page, each byte for byte, as one
// array.
func TestRecordPaged(t *testing.T) {
	t.Parallel()
	api := fakeapi.New(snapshot)
	src := newHTTP(serve(t, api), 0)
	src.PageSize = 50
	dir := t.TempDir()
	m, err := extract.Record(context.Background(), src, dir, false, recordReqs...)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range m.Files {
		b, _ := os.ReadFile(filepath.Join(dir, f.Path))
		orig, _ := os.ReadFile(filepath.Join(snapshot, f.Path))
		if f.Path == "v4/company.json" {
			if !bytes.Equal(b, orig) || f.Request != "GET /v4/company" || f.ETag == "" {
				t.Errorf("company: %+v; want the GET's body and ETag", f)
			}
			continue
		}
		var got, want []json.RawMessage
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatalf("%s: %v", f.Path, err)
		}
		_ = json.Unmarshal(orig, &want)
		// Pages come sorted by _id.
		slices.SortStableFunc(want, func(a, b json.RawMessage) int {
			var x, y struct{ ID string }
			_, _ = json.Unmarshal(a, &x), json.Unmarshal(b, &y)
			return strings.Compare(x.ID, y.ID)
		})
		if !reflect.DeepEqual(got, want) || f.Documents != len(want) || f.ETag != "" || f.Request != "POST /"+strings.TrimSuffix(f.Path, ".json")+"/query" {
			t.Errorf("%s: %d documents (%d in the snapshot, equal: %t); manifest %+v", f.Path, len(got), len(want), reflect.DeepEqual(got, want), f)
		}
	}
	if api.Calls("/v5/launches/query") != 5 || api.Calls("/v5/launches") != 0 {
		t.Errorf("launches: %d POSTs, %d GETs; want 5 and 0", api.Calls("/v5/launches/query"), api.Calls("/v5/launches"))
	}
}

// TestRecordFailureLeavesNothing: a resource that fails after others were
// read leaves no file, and no directory Record made.
func TestRecordFailureLeavesNothing(t *testing.T) {
	t.Parallel()
	api := fakeapi.New(snapshot, fakeapi.Always("/v4/company", fakeapi.Status(http.StatusBadRequest)))
	url := serve(t, api)
	parent := t.TempDir()
	for _, dir := range []string{filepath.Join(parent, "fresh"), parent} {
		_, err := extract.Record(context.Background(), newHTTP(url, 0), dir, false, recordReqs...)
		var se *extract.StatusError
		if !errors.As(err, &se) || se.StatusCode != http.StatusBadRequest || !strings.Contains(err.Error(), "/v4/company") {
			t.Errorf("%s: err = %v, want the 400 of /v4/company", dir, err)
		}
		if got := files(t, parent); len(got) != 0 {
			t.Errorf("%s: left %v", dir, got)
		}
	}
	if _, err := os.Stat(filepath.Join(parent, "fresh")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the directory Record created is still there (%v)", err)
	}
}

func TestRecordRefusesNonEmptyDir(t *testing.T) {
	t.Parallel()
	url := serve(t, fakeapi.New(snapshot))
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := extract.Record(context.Background(), newHTTP(url, 0), dir, false, recordReqs...)
	if !errors.Is(err, extract.ErrNotEmpty) || !strings.Contains(err.Error(), dir) {
		t.Fatalf("err = %v, want ErrNotEmpty naming %s", err, dir)
	}
	if got := files(t, dir); !reflect.DeepEqual(got, []string{"notes.txt"}) {
		t.Errorf("files %v, want only notes.txt", got)
	}
}

// TestRecordReplace: with replace, what the recording does not write of
// its resources (an absent one, an alternate route) goes, so the directory
// reads back as the manifest says; other files stay.
func TestRecordReplace(t *testing.T) {
	t.Parallel()
	url := serve(t, fakeapi.New(snapshot))
	dir := t.TempDir()
	for _, name := range []string{"v4/launches.json", "v4/starlink.json", "v4/rockets.json", "notes.txt"} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		_ = os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte("[]"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := extract.Record(context.Background(), newHTTP(url, 0), dir, true, recordReqs...); err != nil {
		t.Fatal(err)
	}
	want := []string{"manifest.json", "notes.txt", "v4/company.json", "v4/rockets.json", "v5/launches.json"}
	if got := files(t, dir); !reflect.DeepEqual(got, want) {
		t.Errorf("files %v, want %v", got, want)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "v4", "rockets.json")); len(b) != 11215 {
		t.Errorf("v4/rockets.json has %d bytes, want the recorded 11215", len(b))
	}
}

func TestRecordAllAbsent(t *testing.T) {
	t.Parallel()
	url := serve(t, fakeapi.New(t.TempDir()))
	dir := filepath.Join(t.TempDir(), "x")
	_, err := extract.Record(context.Background(), newHTTP(url, 0), dir, false, recordReqs...)
	if err == nil || !strings.Contains(err.Error(), "404 for every resource") {
		t.Fatalf("err = %v, want it to say every resource was a 404", err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s was left behind", dir)
	}
}
