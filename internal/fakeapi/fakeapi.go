// Package fakeapi serves a snapshot directory at the API's own paths, for
// tests: GET /v4/launches answers with DIR/v4/launches.json. A test can
// replace the answer to any request.
package fakeapi

import (
	"net/http"
	"os"
	"path"
	"path/filepath"
	"sync"
)

// Fault decides the answer to the n-th request (from 1) for a path. It
// returns nil to let the snapshot answer.
type Fault func(path string, n int) http.HandlerFunc

// API is an http.Handler over a snapshot directory.
type API struct {
	Dir   string
	Fault Fault

	mu    sync.Mutex
	calls map[string]int
}

// New returns an API serving dir.
func New(dir string) *API { return &API{Dir: dir} }

// Calls returns how many requests a path has received.
func (a *API) Calls(p string) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.calls[p]
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

	if r.Method != http.MethodGet {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if a.Fault != nil {
		if h := a.Fault(p, n); h != nil {
			h(w, r)
			return
		}
	}
	b, err := os.ReadFile(filepath.Join(a.Dir, filepath.FromSlash(p)+".json"))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = w.Write(b)
}
