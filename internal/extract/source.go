package extract

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Fetched is what a Stream learnt about the extract besides its documents.
type Fetched struct {
	// ETag identifies the extract's content, for the next Stream's etag;
	// empty when the source gives none.
	ETag string
	// NotModified reports that the extract is unchanged since the etag
	// given to Stream: consume was not called and nothing was downloaded.
	NotModified bool
}

// Source yields the documents of an API resource.
type Source interface {
	// Stream fetches the resource at path (an API path such as
	// "/v4/launches") and calls consume with its documents, unless etag
	// (from an earlier Fetched) still matches the extract. consume must
	// read them to the end and return Err's error, if any. A source that
	// retries calls consume again on a fresh stream, so consume must undo
	// whatever a failed call did.
	Stream(ctx context.Context, path, etag string, consume func(*Documents) error) (Fetched, error)
	// String describes the source for logs and the run ledger; it never
	// contains credentials.
	String() string
}

// Dir reads a snapshot directory laid out like the API: the response of
// GET /v4/launches is the file DIR/v4/launches.json. A file's ETag is its
// sha256, so an unchanged file is read once to hash it and not streamed.
type Dir string

// Stream implements Source.
func (d Dir) Stream(ctx context.Context, path, etag string, consume func(*Documents) error) (Fetched, error) {
	name := filepath.Join(string(d), filepath.FromSlash(path)+".json")
	f, err := os.Open(name)
	if err != nil {
		return Fetched{}, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return Fetched{}, fmt.Errorf("%s: %w", name, err)
	}
	got := Fetched{ETag: `"sha256:` + hex.EncodeToString(h.Sum(nil)) + `"`}
	if got.ETag == etag {
		got.NotModified = true
		return got, nil
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return Fetched{}, fmt.Errorf("%s: %w", name, err)
	}
	if err := consume(NewDocuments(f)); err != nil {
		return Fetched{}, fmt.Errorf("%s: %w", name, err)
	}
	return got, nil
}

func (d Dir) String() string { return "dir:" + string(d) }
