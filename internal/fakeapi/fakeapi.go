// Package fakeapi serves a snapshot directory at the API's own paths, for
// tests: GET /v4/launches answers with DIR/v4/launches.json. As the real API
// does, every answer from the snapshot carries a strong ETag (the quoted hex
// sha1 of the body), and a GET whose If-None-Match names it gets 304 Not
// Modified with an empty body. Each request can be scripted to fail the ways
// a real API and network fail: error statuses, Retry-After, a connection
// reset mid-body, a stall, a body that pauses half-way until the test says go
// on, or any body at all (truncated, malformed, of the wrong shape, empty,
// with duplicate ids). Scripted answers carry no ETag.
//
// POST <path>/query answers with a page of the snapshot's documents, in
// file order, in the envelope of the API's mongoose-paginate-v2 (docs,
// totalDocs, limit, totalPages, page, pagingCounter, hasPrevPage,
// hasNextPage, prevPage, nextPage, and offset when asked by offset). It
// takes the empty query only, and the options page, offset, limit and
// pagination; anything else is a 400, not silently ignored. Each document
// is sent byte for byte as the file holds it. As on the real API, a /query
// answer has an ETag but never a 304. A path without a file is a 404, on
// GET and /query alike.
//
// The API counts requests per path (Calls) and answers per path and status
// (Statuses), a /query POST under its own path ("/v4/rockets/query"), so a
// test can assert, say, that a repeated sync got only 304s.
package fakeapi

import (
	"bufio"
	"bytes"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Fault decides the answer to the n-th request (from 1) for a path. It
// returns nil to let the snapshot answer.
type Fault func(path string, n int) http.HandlerFunc

// API is an http.Handler over a snapshot directory.
type API struct {
	Dir   string
	Fault Fault
	// TotalDocs, when set, makes /query lie: it gives the totalDocs to
	// report for the resource at path (such as "/v4/rockets"), whose file
	// holds n documents. The paging fields follow the reported count, as
	// mongoose-paginate-v2's follow its count query; the documents served
	// are the file's.
	TotalDocs func(path string, n int) int

	mu       sync.Mutex
	calls    map[string]int
	statuses map[string]map[int]int
}

// New returns an API serving dir, with faults applied in order (the first
// that answers a request wins).
func New(dir string, faults ...Fault) *API {
	a := &API{Dir: dir}
	if len(faults) > 0 {
		a.Fault = func(p string, n int) http.HandlerFunc {
			for _, f := range faults {
				if h := f(p, n); h != nil {
					return h
				}
			}
			return nil
		}
	}
	return a
}

// Calls returns how many requests a path has received.
func (a *API) Calls(p string) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.calls[p]
}

// Statuses returns how many answers a path has received, by HTTP status,
// counted once each answer is complete. An answer whose handler wrote
// nothing counts as 200 (net/http sends that), or as 0 when the client had
// gone away first (a stall it gave up on). The map is a copy.
func (a *API) Statuses(p string) map[int]int {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := make(map[int]int, len(a.statuses[p]))
	for code, n := range a.statuses[p] {
		out[code] = n
	}
	return out
}

// ETag returns the strong entity tag the API sends with body: the quoted
// hex sha1 of its bytes.
func ETag(body []byte) string {
	sum := sha1.Sum(body)
	return `"` + hex.EncodeToString(sum[:]) + `"`
}

// Snapshot returns the snapshot's body for an API path.
func (a *API) Snapshot(p string) ([]byte, error) {
	return os.ReadFile(filepath.Join(a.Dir, filepath.FromSlash(p)+".json"))
}

func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := path.Clean(r.URL.Path)
	a.mu.Lock()
	if a.calls == nil {
		a.calls = map[string]int{}
	}
	a.calls[p]++
	n := a.calls[p]
	a.mu.Unlock()

	rec := &recorder{ResponseWriter: w}
	defer func() {
		code := rec.code
		if code == 0 && r.Context().Err() == nil {
			code = http.StatusOK
		}
		a.mu.Lock()
		defer a.mu.Unlock()
		if a.statuses == nil {
			a.statuses = map[string]map[int]int{}
		}
		if a.statuses[p] == nil {
			a.statuses[p] = map[int]int{}
		}
		a.statuses[p][code]++
	}()
	a.serve(rec, r, p, n)
}

func (a *API) serve(w http.ResponseWriter, r *http.Request, p string, n int) {
	resource, query := strings.CutSuffix(p, "/query")
	if query && r.Method != http.MethodPost || !query && r.Method != http.MethodGet {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if a.Fault != nil {
		if h := a.Fault(p, n); h != nil {
			h(w, r)
			return
		}
	}
	if query {
		a.serveQuery(w, r, resource)
		return
	}
	b, err := a.Snapshot(p)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	etag := ETag(b)
	w.Header().Set("ETag", etag)
	if matches(r.Header.Get("If-None-Match"), etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	Body(b)(w, r)
}

// serveQuery answers POST <resource>/query with a page of the snapshot.
func (a *API) serveQuery(w http.ResponseWriter, r *http.Request, resource string) {
	b, err := a.Snapshot(resource)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	var req struct {
		Query   map[string]json.RawMessage `json:"query"`
		Options map[string]json.RawMessage `json:"options"`
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil && err != io.EOF {
		http.Error(w, "fakeapi: body: "+err.Error(), http.StatusBadRequest)
		return
	}
	if len(req.Query) > 0 {
		http.Error(w, "fakeapi: only the empty query is supported", http.StatusBadRequest)
		return
	}
	opts, err := parseOptions(req.Options)
	if err != nil {
		http.Error(w, "fakeapi: options: "+err.Error(), http.StatusBadRequest)
		return
	}
	var body []byte
	if trimmed := bytes.TrimSpace(b); len(trimmed) > 0 && trimmed[0] == '{' {
		// The roadster's /query is not paginated: it answers its object.
		body = b
	} else {
		var docs []json.RawMessage
		if err := json.Unmarshal(b, &docs); err != nil {
			http.Error(w, "fakeapi: "+resource+": "+err.Error(), http.StatusInternalServerError)
			return
		}
		if opts.sortByID {
			if err := sortByID(docs); err != nil {
				http.Error(w, "fakeapi: "+resource+": "+err.Error(), http.StatusInternalServerError)
				return
			}
		}
		total := len(docs)
		if a.TotalDocs != nil {
			total = a.TotalDocs(resource, len(docs))
		}
		body = envelope(docs, total, opts)
	}
	w.Header().Set("ETag", ETag(body))
	Body(body)(w, r)
}

// queryOptions are the paginate options fakeapi understands.
type queryOptions struct {
	page, limit, offset int
	byOffset            bool
	pagination          bool
	sortByID            bool // sort {"_id": 1}
}

// sortByID orders documents by id, as MongoDB orders ObjectIds by _id (the
// API's ids are their lower-case hex).
func sortByID(docs []json.RawMessage) error {
	ids := make(map[string]string, len(docs)) // raw document -> id
	for _, doc := range docs {
		var d struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(doc, &d); err != nil {
			return err
		}
		ids[string(doc)] = d.ID
	}
	sort.SliceStable(docs, func(i, j int) bool { return ids[string(docs[i])] < ids[string(docs[j])] })
	return nil
}

func parseOptions(raw map[string]json.RawMessage) (queryOptions, error) {
	o := queryOptions{page: 1, limit: 10, pagination: true}
	_, hasPage := raw["page"]
	_, o.byOffset = raw["offset"]
	if !hasPage && !o.byOffset {
		o.byOffset = true // mongoose-paginate-v2 reports offset 0 then
	}
	for k, v := range raw {
		var err error
		switch k {
		case "page":
			err = json.Unmarshal(v, &o.page)
		case "limit":
			err = json.Unmarshal(v, &o.limit)
		case "offset":
			err = json.Unmarshal(v, &o.offset)
		case "pagination":
			err = json.Unmarshal(v, &o.pagination)
		case "sort":
			var by map[string]json.RawMessage
			if err = json.Unmarshal(v, &by); err == nil {
				if len(by) != 1 || string(by["_id"]) != "1" {
					err = fmt.Errorf("only {\"_id\": 1} is supported by fakeapi, not %s", v)
				}
				o.sortByID = true
			}
		default:
			err = fmt.Errorf("%s is not supported by fakeapi", k)
		}
		if err != nil {
			return o, fmt.Errorf("%s: %w", k, err)
		}
	}
	if !o.pagination {
		o.limit = 10 // the default; unused for slicing
	} else if o.limit < 0 {
		o.limit = 0
	}
	if o.page < 1 {
		o.page = 1
	}
	return o, nil
}

// envelope renders one page as mongoose-paginate-v2 (1.7) does, in its key
// order, with total as the count it reports.
func envelope(docs []json.RawMessage, total int, o queryOptions) []byte {
	limit, page, skip := o.limit, o.page, (o.page-1)*o.limit
	if !o.pagination {
		page = 1
	}
	if o.byOffset {
		skip = o.offset
		if limit > 0 {
			page = (o.offset + limit) / limit // ceil((offset+1)/limit)
		}
	}
	var served []json.RawMessage
	switch {
	case !o.pagination:
		served = docs
	case limit > 0:
		served = docs[min(max(skip, 0), len(docs)):min(max(skip+limit, 0), len(docs))]
	}
	// prev and next are 0 for null.
	metaLimit, totalPages, counter := total, 1, (page-1)*limit+1
	var hasPrev, hasNext bool
	var prev, next int
	if o.pagination && limit > 0 {
		metaLimit, totalPages = limit, max(1, (total+limit-1)/limit)
		if page > 1 {
			hasPrev, prev = true, page-1
		} else if o.byOffset && o.offset != 0 {
			hasPrev, prev = true, 1
		}
		if page < totalPages {
			hasNext, next = true, page+1
		}
	} else if o.pagination { // limit 0: no documents, metadata only
		metaLimit, page, counter = 0, 1, 1
	}
	var b bytes.Buffer
	b.WriteString(`{"docs":[`)
	for i, d := range served {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(d)
	}
	fmt.Fprintf(&b, `],"totalDocs":%d`, total)
	if o.byOffset {
		fmt.Fprintf(&b, `,"offset":%d`, o.offset)
	}
	fmt.Fprintf(&b, `,"limit":%d,"totalPages":%d,"page":%d,"pagingCounter":%d,"hasPrevPage":%t,"hasNextPage":%t,"prevPage":%s,"nextPage":%s}`,
		metaLimit, totalPages, page, counter, hasPrev, hasNext, pageNumber(prev), pageNumber(next))
	return b.Bytes()
}

// pageNumber renders a page number, or 0 as null.
func pageNumber(n int) string {
	if n == 0 {
		return "null"
	}
	return strconv.Itoa(n)
}

// matches reports whether an If-None-Match header names etag. As RFC 9110
// says for If-None-Match, the comparison is weak: W/"x" matches "x". "*"
// matches any current representation.
func matches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == etag {
			return true
		}
	}
	return false
}

// recorder notes the status a handler answers with. It keeps the Flusher
// and Hijacker the scripted faults need.
type recorder struct {
	http.ResponseWriter
	code int
}

func (r *recorder) WriteHeader(code int) {
	if r.code == 0 {
		r.code = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.code == 0 {
		r.code = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

func (r *recorder) Flush() {
	if r.code == 0 {
		r.code = http.StatusOK
	}
	r.ResponseWriter.(http.Flusher).Flush()
}

func (r *recorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return r.ResponseWriter.(http.Hijacker).Hijack()
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// On answers the first len(steps) requests for path with steps, in order;
// a nil step, and every later request, gets the snapshot.
func On(p string, steps ...http.HandlerFunc) Fault {
	return func(got string, n int) http.HandlerFunc {
		if got != p || n > len(steps) {
			return nil
		}
		return steps[n-1]
	}
}

// Always answers every request for path with h.
func Always(p string, h http.HandlerFunc) Fault {
	return func(got string, _ int) http.HandlerFunc {
		if got != p {
			return nil
		}
		return h
	}
}

// Status answers with an HTTP error status.
func Status(code int) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, http.StatusText(code), code)
	}
}

// RetryAfter answers with status code (429 or 503) and a Retry-After of
// seconds.
func RetryAfter(code, seconds int) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", strconv.Itoa(seconds))
		http.Error(w, http.StatusText(code), code)
	}
}

// Body answers 200 with body as JSON.
func Body(body []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		_, _ = w.Write(body)
	}
}

// Reset announces body in full, sends its first n bytes, then drops the
// connection: the client sees a reset mid-body.
func Reset(body []byte, n int) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		_, _ = w.Write(body[:n])
		w.(http.Flusher).Flush()
		if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
			conn.Close()
		}
	}
}

// Stall answers nothing until release is closed or the client gives up.
func Stall(release <-chan struct{}) http.HandlerFunc {
	return func(_ http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}
}

// Pause sends the first n bytes of body, closes reached, and sends the rest
// once resume is closed (or drops the connection if the client goes away).
// The client is then mid-body, for as long as the test needs.
func Pause(body []byte, n int, reached chan<- struct{}, resume <-chan struct{}) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		_, _ = w.Write(body[:n])
		w.(http.Flusher).Flush()
		close(reached)
		select {
		case <-resume:
			_, _ = w.Write(body[n:])
		case <-r.Context().Done():
		}
	}
}
