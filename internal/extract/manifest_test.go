package extract_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spacex-elt/loader/internal/extract"
	"github.com/spacex-elt/loader/internal/fakeapi"
)

// TestDirChecksManifest (issue 13, item 9): a directory recorded by
// Record reads back as it is; a file edited since fails with ErrChanged
// naming it, unless read through AcceptChanged; so do a file the manifest
// does not list and one it lists that is gone. A directory without a
// manifest is read as it is.
func TestDirChecksManifest(t *testing.T) {
	t.Parallel()
	url := serve(t, fakeapi.New(snapshot))
	record := func(t *testing.T) string {
		t.Helper()
		dir := filepath.Join(t.TempDir(), "snap")
		if _, err := extract.Record(context.Background(), newHTTP(url, 0), dir, false, recordReqs...); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	rockets := func(dir string) string { return filepath.Join(dir, "v4", "rockets.json") }
	for _, tc := range []struct {
		name   string
		change func(t *testing.T, dir string)
		want   string // in the error; "" for none
		docs   int    // rockets read through AcceptChanged
	}{
		{"as recorded", func(*testing.T, string) {}, "", 4},
		{"edited", func(t *testing.T, dir string) {
			b, err := os.ReadFile(rockets(dir))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(rockets(dir), []byte(strings.Replace(string(b), "Falcon 9", "Falcon 9 (edited)", 1)), 0o644); err != nil {
				t.Fatal(err)
			}
		}, "v4/rockets.json: does not match manifest.json: its sha256 is ", 4},
		{"not listed", func(t *testing.T, dir string) {
			if err := os.WriteFile(filepath.Join(dir, "manifest.json"), []byte(`{"files": []}`), 0o644); err != nil {
				t.Fatal(err)
			}
		}, "v4/rockets.json: does not match manifest.json: the manifest does not list it; --accept-changed loads it as it is", 4},
		{"listed but missing", func(t *testing.T, dir string) {
			if err := os.Remove(rockets(dir)); err != nil {
				t.Fatal(err)
			}
		}, "v4/rockets.json: listed in manifest.json, but missing", -1},
		{"no manifest", func(t *testing.T, dir string) {
			if err := os.Remove(filepath.Join(dir, "manifest.json")); err != nil {
				t.Fatal(err)
			}
		}, "", 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := record(t)
			tc.change(t, dir)
			n, err := streamCount(extract.Dir(dir), "/v4/rockets")
			switch {
			case tc.want == "" && (err != nil || n != 4):
				t.Errorf("%d rockets, err %v; want 4 and none", n, err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want) || n != 0):
				t.Errorf("%d rockets, err %v; want 0 and an error saying %q", n, err, tc.want)
			case tc.name == "edited" && !errors.Is(err, extract.ErrChanged):
				t.Errorf("err %v is not ErrChanged", err)
			}
			n, err = streamCount(extract.Dir(dir).AcceptChanged(), "/v4/rockets")
			if tc.docs < 0 {
				if !errors.Is(err, extract.ErrAbsent) {
					t.Errorf("AcceptChanged: err %v, want ErrAbsent", err)
				}
			} else if err != nil || n != tc.docs {
				t.Errorf("AcceptChanged: %d rockets, err %v; want %d", n, err, tc.docs)
			}
		})
	}
}
