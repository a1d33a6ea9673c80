package extract

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	iofs "io/fs"
	"math"
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
// sha256: an unchanged file is read to hash it, and nothing of it reaches
// the caller as a complete extract (see stream).
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
	fi, err := f.Stat()
	if err != nil {
		return Answer{}, err
	}
	// The hash decides whether anything of the file is landed: a file the
	// caller holds unchanged (its ETag) is not, nor one the manifest does
	// not record. With a manifest, or for a small file, it comes first.
	// Otherwise the file streams while it is hashed (reads at offsets), so that
	// a changed file does not wait for its hash (a tenth of a second at
	// 165 MB): freely when nothing can turn it away (no ETag, as on a
	// first sync), else through a gate that fails the stream once the
	// hash finds the file unchanged, and holds its end until the hash is
	// known, so that consume never takes an unchanged file as complete.
	h := hashFile(f)
	var r io.Reader = f
	switch {
	case m != nil || req.ETag != "" && fi.Size() < streamWhileHashing:
		<-h.done
		if h.err != nil {
			return Answer{}, fmt.Errorf("%s: %w", name, h.err)
		}
		if err := d.verify(m, req, name, h.sum); err != nil {
			return Answer{}, err
		}
		if h.etag() == req.ETag {
			return Answer{ETag: h.etag(), NotModified: true}, nil
		}
	case req.ETag != "":
		r = &gate{r: f, h: h, etag: req.ETag}
	}
	err = consume(newDocuments(r, req.Object, "file", req.MaxDocumentBytes))
	<-h.done
	switch {
	case h.err != nil:
		return Answer{}, fmt.Errorf("%s: %w", name, h.err)
	case h.etag() == req.ETag: // the gate failed the stream
		return Answer{ETag: h.etag(), NotModified: true}, nil
	case err != nil:
		return Answer{}, fmt.Errorf("%s: %w", name, err)
	}
	return Answer{ETag: h.etag()}, nil
}

// streamWhileHashing is the smallest file that streams before its hash is
// known when the caller holds an ETag: a smaller one is hashed in under a
// millisecond, less than starting a landing that may be dropped.
const streamWhileHashing = 1 << 20

// errUnchanged fails the stream of a file the caller holds unchanged.
var errUnchanged = errors.New("unchanged since the extract the caller holds")

// gate reads r while h is computed: once h is known, it fails with h's
// error, or with errUnchanged when the file is the caller's, and at r's
// end it waits for h first, so that the stream ends cleanly only for a
// file known to have changed.
type gate struct {
	r    io.Reader
	h    *fileSum
	etag string
}

func (g *gate) Read(p []byte) (int, error) {
	select {
	case <-g.h.done:
		if err := g.verdict(); err != nil {
			return 0, err
		}
	default:
	}
	n, err := g.r.Read(p)
	if err == io.EOF {
		<-g.h.done
		if verr := g.verdict(); verr != nil {
			return n, verr
		}
	}
	return n, err
}

// verdict is, once h is done, why the stream must fail: h's error, or
// errUnchanged for the caller's file; nil for a changed one.
func (g *gate) verdict() error {
	switch {
	case g.h.err != nil:
		return g.h.err
	case g.h.etag() == g.etag:
		return errUnchanged
	}
	return nil
}

// fileSum is a file's sha256, computed in the background: sum and err
// are set once done is closed.
type fileSum struct {
	done chan struct{}
	sum  string
	err  error
}

// hashFile hashes f from its start to its end with reads at offsets, so
// that f streams meanwhile and the hash is of the very file streamed.
func hashFile(f *os.File) *fileSum {
	h := &fileSum{done: make(chan struct{})}
	go func() {
		defer close(h.done)
		s := sha256.New()
		if _, err := io.Copy(s, io.NewSectionReader(f, 0, math.MaxInt64)); err != nil {
			h.err = err
			return
		}
		h.sum = hex.EncodeToString(s.Sum(nil))
	}()
	return h
}

// etag is the file's ETag (once done).
func (h *fileSum) etag() string { return `"sha256:` + h.sum + `"` }

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
