package extract

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	iofs "io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Answer is how the source answered a Stream, besides the documents: what
// identifies the extract, whether it changed, and the requests it took.
type Answer struct {
	// ETag identifies the extract's content, for the next Stream's etag;
	// empty when the source gives none.
	ETag string
	// NotModified reports that the extract is unchanged since the etag
	// given to Stream: consume was not called and nothing was downloaded.
	NotModified bool
	// Status is the HTTP status of the answer used (200, or 304 when not
	// modified); 0 for a source that is not HTTP.
	Status int
	// Attempts is how many requests it took (retries plus one; a paged
	// read counts its attempts at the whole stream); 0 when not HTTP.
	Attempts int
	// Waited is the time spent waiting between those attempts.
	Waited time.Duration
}

// Request asks a Source for one resource's extract.
type Request struct {
	// Path is the API route that lists the resource, such as
	// "/v5/launches".
	Path string
	// Alternates are routes a snapshot directory may hold the resource
	// under instead, in order of preference, when it has no file for Path
	// (say "/v4/launches"). The API is always asked for Path.
	Alternates []string
	// Object: the route returns one JSON object, the resource's only
	// document, instead of an array of them.
	Object bool
	// ETag is the Answer.ETag of the extract the caller already holds,
	// or empty.
	ETag string
	// MaxDocumentBytes, above 0, is the largest document handed on whole:
	// a larger one is yielded as a JSON string saying its size (an
	// unusable document, with no id) and is never held in memory whole.
	// Pages read from /query are not capped.
	MaxDocumentBytes int64
}

// Source yields the documents of an API resource.
type Source interface {
	// Stream fetches the resource req names and calls consume with its
	// documents, unless req.ETag still matches the extract. consume must
	// read them to the end and return Err's error, if any. A source that
	// retries calls consume again on a fresh stream, so consume must undo
	// whatever a failed call did.
	Stream(ctx context.Context, req Request, consume func(*Documents) error) (Answer, error)
	// String describes the source for logs and the run ledger; it never
	// contains credentials.
	String() string
}

// ErrAbsent: the source does not have the resource at all (a snapshot
// directory without its file, an API that answers its route 404). It is
// not an error of the run.
var ErrAbsent = errors.New("resource absent from the source")

// Dir reads a snapshot directory laid out like the API: the response of
// GET /v4/launches is the file DIR/v4/launches.json. A file's ETag is its
// sha256: an unchanged file's stream stops, without an extract, once its
// hash is known.
type Dir string

// Stream implements Source, reading the file of req.Path or else of the
// first of req.Alternates the directory has; with none, it fails with
// ErrAbsent.
//
// When the directory holds a manifest.json (`loader snapshot` writes one),
// the file must be the one it records, by sha256, or Stream fails with
// ErrChanged naming the file; AcceptChanged reads it anyway.
func (d Dir) Stream(ctx context.Context, req Request, consume func(*Documents) error) (Answer, error) {
	return d.stream(ctx, req, consume, true)
}

// stream is Stream, checking the manifest when check.
func (d Dir) stream(ctx context.Context, req Request, consume func(*Documents) error, check bool) (Answer, error) {
	var m *Manifest
	if check {
		var err error
		if m, err = d.manifest(); err != nil {
			return Answer{}, err
		}
	}
	name, err := d.File(req)
	if errors.Is(err, ErrAbsent) {
		if verr := d.verify(m, req, "", ""); verr != nil {
			return Answer{}, verr
		}
	}
	if err != nil {
		return Answer{}, err
	}
	f, err := os.Open(name)
	if err != nil {
		return Answer{}, err
	}
	defer f.Close()
	// Without a manifest, the file streams while a second handle hashes
	// it: a changed file does not wait for its hash (a tenth of a second at
	// 165 MB) before landing begins. What the hash decides holds all the
	// same, because the stream cannot end without it: at the file's end
	// the gate waits for the hash and fails the stream when the file is
	// unchanged (the caller's ETag), so consume never takes such a file as
	// complete, and an unchanged file's stream is cut short as soon as its
	// hash is known. With a manifest, nothing of a file it does not record
	// reaches consume: the hash comes first.
	h := hashFile(name)
	decide := func() error {
		if h.err != nil {
			return h.err
		}
		if err := d.verify(m, req, name, h.sum); err != nil {
			return err
		}
		if h.etag() == req.ETag {
			return errUnchanged
		}
		return nil
	}
	if m != nil {
		<-h.done
	}
	var cerr error
	if !closed(h.done) || decide() == nil {
		docs := newDocuments(&gate{r: f, done: h.done, decide: decide}, req.Object, "file", req.MaxDocumentBytes)
		docs.undecided = func() bool { return !closed(h.done) || decide() != nil }
		cerr = consume(docs)
	}
	<-h.done
	switch err := decide(); {
	case errors.Is(err, errUnchanged):
		return Answer{ETag: h.etag(), NotModified: true}, nil
	case h.err != nil:
		return Answer{}, fmt.Errorf("%s: %w", name, h.err)
	case err != nil:
		return Answer{}, err
	case cerr != nil:
		return Answer{}, fmt.Errorf("%s: %w", name, cerr)
	}
	return Answer{ETag: h.etag()}, nil
}

// closed reports whether done is closed.
func closed(done <-chan struct{}) bool {
	select {
	case <-done:
		return true
	default:
		return false
	}
}

// errUnchanged ends the stream of a file whose ETag the caller holds.
var errUnchanged = errors.New("unchanged since the extract the caller holds")

// fileSum is a file's sha256, computed in the background: sum and err
// are set once done is closed.
type fileSum struct {
	done chan struct{}
	sum  string
	err  error
}

func hashFile(name string) *fileSum {
	h := &fileSum{done: make(chan struct{})}
	go func() {
		defer close(h.done)
		f, err := os.Open(name)
		if err != nil {
			h.err = err
			return
		}
		defer f.Close()
		s := sha256.New()
		if _, err := io.Copy(s, f); err != nil {
			h.err = err
			return
		}
		h.sum = hex.EncodeToString(s.Sum(nil))
	}()
	return h
}

// etag is the file's ETag (once done).
func (h *fileSum) etag() string { return `"sha256:` + h.sum + `"` }

// gate reads r, and applies decide once done is closed: at r's end it
// waits for that, and before it as soon as done is closed; decide's error
// then ends the stream in place of r's end.
type gate struct {
	r      io.Reader
	done   <-chan struct{}
	decide func() error
}

func (g *gate) Read(p []byte) (int, error) {
	if closed(g.done) {
		if err := g.decide(); err != nil {
			return 0, err
		}
	}
	n, err := g.r.Read(p)
	if err == io.EOF {
		<-g.done
		if derr := g.decide(); derr != nil {
			return n, derr
		}
	}
	return n, err
}

// File is the file the directory holds req's resource in: that of
// req.Path, or else of the first of req.Alternates it has; with none, an
// error wrapping ErrAbsent.
func (d Dir) File(req Request) (string, error) {
	var tried []string
	for _, p := range append([]string{req.Path}, req.Alternates...) {
		name := filepath.Join(string(d), filepath.FromSlash(p)+".json")
		_, err := os.Stat(name)
		if err == nil {
			return name, nil
		}
		if !errors.Is(err, iofs.ErrNotExist) {
			return "", err
		}
		tried = append(tried, name)
	}
	return "", fmt.Errorf("%w: no %s", ErrAbsent, strings.Join(tried, " or "))
}

func (d Dir) String() string { return "dir:" + string(d) }
