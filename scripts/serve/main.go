// Command serve answers at the API's paths from a snapshot directory, as
// the tests' fake API does (internal/fakeapi), with ETags and 304 Not
// Modified for a matching If-None-Match. scripts/bench uses it to time
// syncs over HTTP:
//
//	go run ./scripts/serve -dir testdata/spacex-api -addr 127.0.0.1:8080
//
// It prints "listening on http://ADDR" once it accepts connections (with
// -addr 127.0.0.1:0 the port is chosen for it), then one line per answer,
// "METHOD PATH STATUS", on stderr.
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"

	"github.com/spacex-elt/loader/internal/fakeapi"
)

func main() {
	dir := flag.String("dir", "testdata/spacex-api", "snapshot directory (serves DIR/v4/<resource>.json at /v4/<resource>)")
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on")
	flag.Parse()
	if flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	log.SetFlags(0)
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	api := fakeapi.New(*dir)
	fmt.Fprintf(os.Stderr, "listening on http://%s\n", ln.Addr())
	log.Fatal(http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &status{ResponseWriter: w, code: http.StatusOK}
		api.ServeHTTP(rec, r)
		fmt.Fprintf(os.Stderr, "%s %s %d\n", r.Method, r.URL.Path, rec.code)
	})))
}

// status notes the status of an answer.
type status struct {
	http.ResponseWriter
	code    int
	written bool
}

func (s *status) WriteHeader(code int) {
	if !s.written {
		s.code, s.written = code, true
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *status) Write(b []byte) (int, error) {
	s.written = true
	return s.ResponseWriter.Write(b)
}
