package extract

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
)

// Source yields the documents of an API resource.
type Source interface {
	// Stream fetches the resource at path (an API path such as
	// "/v4/launches") and calls consume with its documents. consume must
	// read them to the end and return Err's error, if any. A source that
	// retries calls consume again on a fresh stream, so consume must undo
	// whatever a failed call did.
	Stream(ctx context.Context, path string, consume func(*Documents) error) error
	// String describes the source for logs and the run ledger; it never
	// contains credentials.
	String() string
}

// Dir reads a snapshot directory laid out like the API: the response of
// GET /v4/launches is the file DIR/v4/launches.json.
type Dir string

// Stream implements Source.
func (d Dir) Stream(ctx context.Context, path string, consume func(*Documents) error) error {
	name := filepath.Join(string(d), filepath.FromSlash(path)+".json")
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := consume(NewDocuments(f)); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

func (d Dir) String() string { return "dir:" + string(d) }
