package fakeapi_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/spacex-elt/loader/internal/fakeapi"
)

const snapshot = "../../testdata/spacex-api"

// post sends body to path and returns the status and the decoded answer.
func post(t *testing.T, api *fakeapi.API, path, body string) (int, map[string]json.RawMessage, http.Header) {
	t.Helper()
	rec := httptest.NewRecorder()
	api.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, path, strings.NewReader(body)))
	var env map[string]json.RawMessage
	if rec.Code == http.StatusOK {
		if err := json.Unmarshal(rec.Body.Bytes(), &env); err != nil {
			t.Fatalf("%s %s: %v in %q", path, body, err, rec.Body)
		}
	}
	return rec.Code, env, rec.Header()
}

// fileDocs is a snapshot file's documents, byte for byte.
func fileDocs(t *testing.T, name string) []json.RawMessage {
	t.Helper()
	b, err := os.ReadFile(snapshot + "/" + name)
	if err != nil {
		t.Fatal(err)
	}
	var docs []json.RawMessage
	if err := json.Unmarshal(b, &docs); err != nil {
		t.Fatal(err)
	}
	return docs
}

func sameDocs(a, b []json.RawMessage) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !bytes.Equal(a[i], b[i]) {
			return false
		}
	}
	return true
}

// TestQueryEnvelope checks the paging metadata against what
// mongoose-paginate-v2 1.7 computes, for the 4 rockets.
func TestQueryEnvelope(t *testing.T) {
	t.Parallel()
	rockets := fileDocs(t, "v4/rockets.json")
	cases := []struct {
		name, body string
		docs       []json.RawMessage
		meta       string
	}{
		{"first page", `{"query":{},"options":{"page":1,"limit":3}}`, rockets[:3],
			`{"totalDocs":4,"limit":3,"totalPages":2,"page":1,"pagingCounter":1,"hasPrevPage":false,"hasNextPage":true,"prevPage":null,"nextPage":2}`},
		{"last page", `{"query":{},"options":{"page":2,"limit":3}}`, rockets[3:],
			`{"totalDocs":4,"limit":3,"totalPages":2,"page":2,"pagingCounter":4,"hasPrevPage":true,"hasNextPage":false,"prevPage":1,"nextPage":null}`},
		{"past the end", `{"query":{},"options":{"page":5,"limit":3}}`, nil,
			`{"totalDocs":4,"limit":3,"totalPages":2,"page":5,"pagingCounter":13,"hasPrevPage":true,"hasNextPage":false,"prevPage":4,"nextPage":null}`},
		{"defaults: offset 0, limit 10", `{}`, rockets,
			`{"totalDocs":4,"offset":0,"limit":10,"totalPages":1,"page":1,"pagingCounter":1,"hasPrevPage":false,"hasNextPage":false,"prevPage":null,"nextPage":null}`},
		{"offset", `{"options":{"offset":2,"limit":1}}`, rockets[2:3],
			`{"totalDocs":4,"offset":2,"limit":1,"totalPages":4,"page":3,"pagingCounter":3,"hasPrevPage":true,"hasNextPage":true,"prevPage":2,"nextPage":4}`},
		{"limit 0: metadata only", `{"options":{"page":2,"limit":0}}`, nil,
			`{"totalDocs":4,"limit":0,"totalPages":1,"page":1,"pagingCounter":1,"hasPrevPage":false,"hasNextPage":false,"prevPage":null,"nextPage":null}`},
		{"pagination false", `{"options":{"pagination":false,"page":2,"limit":1}}`, rockets,
			`{"totalDocs":4,"limit":4,"totalPages":1,"page":1,"pagingCounter":1,"hasPrevPage":false,"hasNextPage":false,"prevPage":null,"nextPage":null}`},
	}
	api := fakeapi.New(snapshot)
	for _, tc := range cases {
		code, env, hdr := post(t, api, "/v4/rockets/query", tc.body)
		if code != http.StatusOK {
			t.Errorf("%s: HTTP %d", tc.name, code)
			continue
		}
		var docs []json.RawMessage
		if err := json.Unmarshal(env["docs"], &docs); err != nil {
			t.Fatal(err)
		}
		// Byte for byte as the file holds them.
		if !sameDocs(docs, tc.docs) {
			t.Errorf("%s: %d docs, want %d, as in the file", tc.name, len(docs), len(tc.docs))
		}
		delete(env, "docs")
		var want map[string]json.RawMessage
		if err := json.Unmarshal([]byte(tc.meta), &want); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(env, want) {
			got, _ := json.Marshal(env)
			t.Errorf("%s: metadata\n%s\nwant\n%s", tc.name, got, tc.meta)
		}
		if hdr.Get("ETag") == "" {
			t.Errorf("%s: no ETag", tc.name)
		}
	}
	if got := api.Calls("/v4/rockets/query"); got != len(cases) {
		t.Errorf("Calls(/v4/rockets/query) = %d, want %d", got, len(cases))
	}
	if got := api.Statuses("/v4/rockets/query"); got[http.StatusOK] != len(cases) {
		t.Errorf("Statuses(/v4/rockets/query) = %v, want %d 200s", got, len(cases))
	}
	if got := api.Calls("/v4/rockets"); got != 0 {
		t.Errorf("Calls(/v4/rockets) = %d, want 0: a POST is counted under /query", got)
	}
}

// TestQueryRejects: what fakeapi cannot answer faithfully is an error, not
// an answer that ignores part of the request.
func TestQueryRejects(t *testing.T) {
	t.Parallel()
	api := fakeapi.New(snapshot)
	for _, tc := range []struct {
		method, path, body string
		want               int
	}{
		{http.MethodPost, "/v4/starlink/query", `{}`, http.StatusNotFound},
		{http.MethodPost, "/v4/rockets/query", `{"query":{"active":true}}`, http.StatusBadRequest},
		{http.MethodPost, "/v4/rockets/query", `{"options":{"sort":{"name":"asc"}}}`, http.StatusBadRequest},
		{http.MethodPost, "/v4/rockets/query", `{"options":{"page":"two"}}`, http.StatusBadRequest},
		{http.MethodPost, "/v4/rockets/query", `not json`, http.StatusBadRequest},
		{http.MethodPost, "/v4/rockets", `{}`, http.StatusMethodNotAllowed},
		{http.MethodGet, "/v4/rockets/query", ``, http.StatusMethodNotAllowed},
		{http.MethodGet, "/v4/starlink", ``, http.StatusNotFound},
	} {
		rec := httptest.NewRecorder()
		api.ServeHTTP(rec, httptest.NewRequest(tc.method, tc.path, strings.NewReader(tc.body)))
		if rec.Code != tc.want {
			t.Errorf("%s %s %s: HTTP %d, want %d", tc.method, tc.path, tc.body, rec.Code, tc.want)
		}
	}
}

// TestQueryTotalDocsLie: the reported count, and the paging that follows
// it, are the lie's; the documents are the file's.
func TestQueryTotalDocsLie(t *testing.T) {
	t.Parallel()
	api := fakeapi.New(snapshot)
	api.TotalDocs = func(p string, n int) int {
		if p == "/v4/rockets" {
			return n + 3
		}
		return n
	}
	_, env, _ := post(t, api, "/v4/rockets/query", `{"options":{"page":2,"limit":2}}`)
	var docs []json.RawMessage
	_ = json.Unmarshal(env["docs"], &docs)
	if string(env["totalDocs"]) != "7" || string(env["totalPages"]) != "4" || string(env["hasNextPage"]) != "true" || len(docs) != 2 {
		t.Errorf("envelope totalDocs %s, totalPages %s, hasNextPage %s, %d docs; want 7, 4, true, 2",
			env["totalDocs"], env["totalPages"], env["hasNextPage"], len(docs))
	}
	_, env, _ = post(t, api, "/v4/payloads/query", `{"options":{"page":1,"limit":2}}`)
	if string(env["totalDocs"]) != "225" {
		t.Errorf("payloads totalDocs %s, want the truth, 225", env["totalDocs"])
	}
}
