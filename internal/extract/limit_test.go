package extract_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/spacex-elt/loader/internal/extract"
)

// streamCapped reads /v4/rockets of src with a document limit of max
// bytes, and returns its documents.
func streamCapped(t *testing.T, src extract.Source, object bool, max int64) ([]string, error) {
	t.Helper()
	var docs []string
	_, err := src.Stream(context.Background(), extract.Request{Path: "/v4/rockets", Object: object, MaxDocumentBytes: max},
		func(d *extract.Documents) error {
			var err error
			docs, err = collect(d)
			return err
		})
	return docs, err
}

// TestDocumentSizeLimit (issue 13, item 10): a document of more than the
// limit is handed on as a JSON string saying its size, from a file and
// from an HTTP body alike; the others pass byte for byte, whatever their
// kind; a document of exactly the limit passes; malformed JSON is still
// refused as such.
func TestDocumentSizeLimit(t *testing.T) {
	t.Parallel()
	big := `{"id":"b","s":"` + strings.Repeat("x", 40) + `"}` // 57 bytes
	for _, tc := range []struct {
		name   string
		in     string
		object bool
		max    int64
		want   []string
		err    string
	}{
		{"one too big", `[{"id":"a"}, ` + big + `, {"id":"c"}]`, false, 56,
			[]string{`{"id":"a"}`, `"oversized document: 57 bytes, more than the limit of 56"`, `{"id":"c"}`}, ""},
		{"exactly the limit", `[` + big + `]`, false, 57, []string{big}, ""},
		{"scalars and nesting", `[1, "a\"]}", [[{"x":"}"}]], true, -2.5e3 ,null]`, false, 9,
			[]string{`1`, `"a\"]}"`, `"oversized document: 13 bytes, more than the limit of 9"`, `true`, `-2.5e3`, `null`}, ""},
		{"a long string", `["` + strings.Repeat("y", 100) + `"]`, false, 10,
			[]string{`"oversized document: 102 bytes, more than the limit of 10"`}, ""},
		{"an object", big, true, 56, []string{`"oversized document: 57 bytes, more than the limit of 56"`}, ""},
		{"an object within", big, true, 57, []string{big}, ""},
		{"truncated", `[{"id":"a"}, ` + big[:30], false, 10, []string{`{"id":"a"}`}, "truncated JSON"},
		{"not an array", `{"id":"a"}`, false, 5, nil, "expected a JSON array, found an object"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			if err := os.MkdirAll(filepath.Join(dir, "v4"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "v4", "rockets.json"), []byte(tc.in), 0o644); err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, tc.in) }))
			t.Cleanup(srv.Close)
			for _, src := range []extract.Source{extract.Dir(dir), newHTTP(srv.URL, 0)} {
				docs, err := streamCapped(t, src, tc.object, tc.max)
				if tc.err == "" && err != nil || tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) {
					t.Errorf("%s: err %v, want %q", src, err, tc.err)
				}
				if !slices.Equal(docs, tc.want) {
					t.Errorf("%s: documents\n%q\nwant\n%q", src, docs, tc.want)
				}
			}
		})
	}
}

// endless is a reader of a JSON array holding one document with a string
// of n bytes, made as it is read.
type endless struct {
	head, tail string
	n          int64
	pos        int64
}

func (e *endless) Read(p []byte) (int, error) {
	total := int64(len(e.head)) + e.n + int64(len(e.tail))
	if e.pos >= total {
		return 0, io.EOF
	}
	i := 0
	for ; i < len(p) && e.pos < total; i, e.pos = i+1, e.pos+1 {
		switch {
		case e.pos < int64(len(e.head)):
			p[i] = e.head[e.pos]
		case e.pos < int64(len(e.head))+e.n:
			p[i] = 'x'
		default:
			p[i] = e.tail[e.pos-int64(len(e.head))-e.n]
		}
	}
	return i, nil
}

// TestDocumentSizeLimitBoundsMemory: a 64 MiB document under a 1 MiB
// limit is counted, not held: the stream allocates a few MiB in all, not
// the 64 MiB (and more, as the decoder's buffer doubles) that reading it
// whole takes.
func TestDocumentSizeLimitBoundsMemory(t *testing.T) {
	const size, limit = 64 << 20, 1 << 20
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		io.Copy(w, &endless{head: `[{"id":"a"},{"id":"b","s":"`, n: size, tail: `"},{"id":"c"}]`})
	}))
	t.Cleanup(srv.Close)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	docs, err := streamCapped(t, newHTTP(srv.URL, 0), false, limit)
	runtime.ReadMemStats(&after)
	if err != nil || len(docs) != 3 || docs[1] != `"oversized document: 67108881 bytes, more than the limit of 1048576"` {
		t.Fatalf("documents %.80q, err %v", docs, err)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 8<<20 {
		t.Errorf("allocated %d bytes reading a %d-byte document under a %d-byte limit", alloc, size, limit)
	}
}

// TestDocumentSizeLimitRecordsOversized (issue 13, item 10): the documents
// replaced are listed with their ordinal, counted from 0 over all
// documents of the array whatever their kind, and their size in bytes.
func TestDocumentSizeLimitRecordsOversized(t *testing.T) {
	t.Parallel()
	big := `{"id":"b","s":"` + strings.Repeat("x", 40) + `"}` // 57 bytes
	for _, tc := range []struct {
		name   string
		in     string
		object bool
		want   []extract.Oversized
	}{
		{"none", `[{"id":"a"}, 1, "b"]`, false, nil},
		{"two", `[{"id":"a"}, ` + big + `, 7, "` + strings.Repeat("y", 60) + `", ` + big + `]`, false,
			[]extract.Oversized{{Ordinal: 1, Bytes: 57}, {Ordinal: 3, Bytes: 62}, {Ordinal: 4, Bytes: 57}}},
		{"an object", big, true, []extract.Oversized{{Ordinal: 0, Bytes: 57}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, tc.in) }))
			t.Cleanup(srv.Close)
			var got []extract.Oversized
			_, err := newHTTP(srv.URL, 0).Stream(context.Background(), extract.Request{Path: "/v4/rockets", Object: tc.object, MaxDocumentBytes: 56},
				func(d *extract.Documents) error {
					_, err := collect(d)
					got = d.Oversized()
					return err
				})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("oversized %v, want %v", got, tc.want)
			}
		})
	}
}

// pages serves /query requests: the body of page p is bodies[p-1].
func pages(t *testing.T, bodies ...func(w io.Writer)) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct{ Options struct{ Page int } }
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Options.Page < 1 || req.Options.Page > len(bodies) {
			http.Error(w, "no such page", http.StatusBadRequest)
			return
		}
		bodies[req.Options.Page-1](w)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func text(s string) func(io.Writer) { return func(w io.Writer) { io.WriteString(w, s) } }

// TestPagedDocumentSizeLimit (issue 13, item 10): documents read from
// /query pages are capped as a GET's are: one over the limit is handed on
// as its stand-in and listed with its ordinal over all pages; the
// envelope's other keys, a string "docs" among its values, and its order
// change nothing; a value of the envelope over the limit is not kept
// whole either, and one the reader needs fails the page.
func TestPagedDocumentSizeLimit(t *testing.T) {
	t.Parallel()
	big := `{"id":"b","s":"` + strings.Repeat("x", 40) + `"}` // 57 bytes
	pad := `"` + strings.Repeat("p", 100) + `"`
	for _, tc := range []struct {
		name  string
		pages []string
		want  []string
		over  []extract.Oversized
		err   string
	}{
		{"across pages", []string{
			`{"docs":[{"id":"a"},` + big + `],"totalDocs":4,"hasNextPage":true,"page":1}`,
			`{"page":2,"note":"docs","extra":[1,"x"],"totalDocs":4,"pad":[` + pad + `],"hasNextPage":false,"docs":[` + big + `, 7]}`,
		}, []string{`{"id":"a"}`, `"oversized document: 57 bytes, more than the limit of 56"`,
			`"oversized document: 57 bytes, more than the limit of 56"`, `7`},
			[]extract.Oversized{{Ordinal: 1, Bytes: 57}, {Ordinal: 2, Bytes: 57}}, ""},
		{"within the limit", []string{`{"totalDocs":1,"docs":[{"id":"a","k":[1,{"docs":[2]}]}],"hasNextPage":false}`},
			[]string{`{"id":"a","k":[1,{"docs":[2]}]}`}, nil, ""},
		{"totalDocs too long", []string{`{"docs":[],"totalDocs":` + strings.Repeat("1", 60) + `,"hasNextPage":false}`},
			nil, nil, "totalDocs is a JSON string, not an integer"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var bodies []func(io.Writer)
			for _, p := range tc.pages {
				bodies = append(bodies, text(p))
			}
			var docs []string
			var over []extract.Oversized
			_, err := paged(pages(t, bodies...), 2, 0).Stream(context.Background(),
				extract.Request{Path: "/v4/rockets", MaxDocumentBytes: 56}, func(d *extract.Documents) error {
					var err error
					docs, err = collect(d)
					over = d.Oversized()
					return err
				})
			if tc.err == "" && err != nil || tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) {
				t.Errorf("err %v, want %q", err, tc.err)
			}
			if !slices.Equal(docs, tc.want) || !slices.Equal(over, tc.over) {
				t.Errorf("documents\n%q\nwant\n%q\noversized %v, want %v", docs, tc.want, over, tc.over)
			}
		})
	}
}

// TestPagedDocumentSizeLimitBoundsMemory: a 64 MiB document on a /query
// page under a 1 MiB limit is counted, not held.
func TestPagedDocumentSizeLimitBoundsMemory(t *testing.T) {
	const size, limit = 64 << 20, 1 << 20
	url := pages(t, func(w io.Writer) {
		io.Copy(w, &endless{head: `{"totalDocs":3,"docs":[{"id":"a"},{"id":"b","s":"`, n: size, tail: `"},{"id":"c"}],"hasNextPage":false}`})
	})
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var docs []string
	_, err := paged(url, 3, 0).Stream(context.Background(), extract.Request{Path: "/v4/rockets", MaxDocumentBytes: limit},
		func(d *extract.Documents) error {
			var err error
			docs, err = collect(d)
			return err
		})
	runtime.ReadMemStats(&after)
	if err != nil || len(docs) != 3 || docs[1] != `"oversized document: 67108881 bytes, more than the limit of 1048576"` {
		t.Fatalf("documents %.80q, err %v", docs, err)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 8<<20 {
		t.Errorf("allocated %d bytes reading a %d-byte document under a %d-byte limit", alloc, size, limit)
	}
}
