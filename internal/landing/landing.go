// Package landing copies raw documents into landing.documents with COPY,
// each with its lineage. It knows nothing of where the documents came from.
package landing

import (
	"bytes"
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

// Landed is what one Copy landed.
type Landed struct {
	// Documents is the number of documents landed.
	Documents int64
	// Sanitized is the number of documents that had \u0000 replaced.
	Sanitized int64
}

var (
	table   = pgx.Identifier{"landing", "documents"}
	columns = []string{"run_id", "resource", "ordinal", "extracted_at", "sha256", "sanitized", "doc"}
)

// Copy lands every document of docs as one COPY statement, so either all of
// them land or, when docs or the server fails part way, none do.
func Copy(ctx context.Context, db Copier, runID int64, resource string, extractedAt time.Time, docs Documents) (Landed, error) {
	src := &rows{docs: docs, runID: runID, resource: resource, extractedAt: extractedAt}
	n, err := db.CopyFrom(ctx, table, columns, src)
	if derr := docs.Err(); derr != nil {
		// The server only saw the COPY aborted; the cause is the stream's.
		return Landed{}, derr
	}
	if err != nil {
		return Landed{}, err
	}
	return Landed{Documents: n, Sanitized: src.sanitized}, nil
}

// rows adapts Documents to pgx.CopyFromSource, hashing each document's raw
// bytes and sanitizing it as it passes.
type rows struct {
	docs        Documents
	runID       int64
	resource    string
	extractedAt time.Time
	ordinal     int32
	sanitized   int64
	values      []any
}

func (r *rows) Next() bool {
	if !r.docs.Next() {
		return false
	}
	raw := r.docs.Raw()
	sum := sha256.Sum256(raw)
	doc, replaced := ReplaceNUL(raw)
	if replaced > 0 {
		r.sanitized++
	}
	r.values = []any{r.runID, r.resource, r.ordinal, r.extractedAt, sum[:], int32(replaced), doc}
	r.ordinal++
	return true
}

func (r *rows) Values() ([]any, error) { return r.values, nil }

func (r *rows) Err() error { return r.docs.Err() }

var (
	escapedNUL  = []byte(`\u0000`)
	replacement = []byte(`\ufffd`)
)

// ReplaceNUL replaces every \u0000 escape in JSON text with \ufffd (the
// Unicode replacement character), since PostgreSQL's jsonb and text reject
// NUL, and returns how many it replaced. An escaped backslash followed by
// "u0000" is text, not NUL, and is left alone. Valid JSON never holds a raw
// NUL byte.
func ReplaceNUL(doc []byte) ([]byte, int) {
	if !bytes.Contains(doc, escapedNUL) {
		return doc, 0
	}
	out := make([]byte, 0, len(doc))
	n := 0
	for i := 0; i < len(doc); i++ {
		if doc[i] != '\\' || i+1 == len(doc) {
			out = append(out, doc[i])
			continue
		}
		if bytes.HasPrefix(doc[i:], escapedNUL) {
			out = append(out, replacement...)
			i += len(escapedNUL) - 1
			n++
			continue
		}
		out = append(out, doc[i], doc[i+1]) // any other escape, as a pair
		i++
	}
	return out, n
}
