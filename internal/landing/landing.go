// Package landing copies raw documents into landing.documents with COPY,
// each with its lineage. It knows nothing of where the documents came from.
package landing

import (
	"context"
	"crypto/sha256"
	"time"

	"github.com/jackc/pgx/v5"
)

// Documents is a stream of raw JSON documents.
type Documents interface {
	Next() bool
	Raw() []byte
	Err() error
}

// Copier runs COPY FROM STDIN; *pgxpool.Pool, *pgx.Conn and pgx.Tx are.
type Copier interface {
	CopyFrom(ctx context.Context, table pgx.Identifier, columns []string, src pgx.CopyFromSource) (int64, error)
}

var (
	table   = pgx.Identifier{"landing", "documents"}
	columns = []string{"run_id", "resource", "ordinal", "extracted_at", "sha256", "doc"}
)

// Copy lands every document of docs as one COPY statement, so either all of
// them land or, when docs or the server fails part way, none do. It returns
// the number of documents landed.
func Copy(ctx context.Context, db Copier, runID int64, resource string, extractedAt time.Time, docs Documents) (int64, error) {
	n, err := db.CopyFrom(ctx, table, columns, &rows{
		docs: docs, runID: runID, resource: resource, extractedAt: extractedAt,
	})
	if derr := docs.Err(); derr != nil {
		// The server only saw the COPY aborted; the cause is the stream's.
		return 0, derr
	}
	return n, err
}

// rows adapts Documents to pgx.CopyFromSource, hashing each document's raw
// bytes as it passes.
type rows struct {
	docs        Documents
	runID       int64
	resource    string
	extractedAt time.Time
	ordinal     int32
	values      []any
}

func (r *rows) Next() bool {
	if !r.docs.Next() {
		return false
	}
	raw := r.docs.Raw()
	sum := sha256.Sum256(raw)
	r.values = []any{r.runID, r.resource, r.ordinal, r.extractedAt, sum[:], raw}
	r.ordinal++
	return true
}

func (r *rows) Values() ([]any, error) { return r.values, nil }

func (r *rows) Err() error { return r.docs.Err() }
