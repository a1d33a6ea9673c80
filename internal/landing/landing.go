// Package landing copies raw documents into landing.documents with COPY,
// each with its lineage, into a partition per run, and drops the
// partitions no kept run reads. It knows nothing of where the documents
// came from.
package landing

import (
	"bytes"
	"context"
	"crypto/sha256"
	"hash"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/spacex-elt/loader/internal/db/dbsqlc"
)

// q runs the generated queries; each call takes its connection.
var q = dbsqlc.New()

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

// Copied is what one Copy wrote.
type Copied struct {
	// Documents is the number of documents landed.
	Documents int64
	// Sanitized is the number of documents that had something jsonb
	// rejects (see Sanitize) replaced.
	Sanitized int64
	// SHA256 is the sha256 over the sha256 of each document's raw bytes, in
	// order: equal extracts have equal hashes, however they were served.
	SHA256 []byte
}

var (
	table   = pgx.Identifier{"landing", "documents"}
	columns = []string{"run_id", "resource", "ordinal", "extracted_at", "sha256", "sanitized", "doc"}
)

// Copy lands every document of docs as one COPY statement, so either all of
// them land or, when docs or the server fails part way, none do.
func Copy(ctx context.Context, db Copier, runID int64, resource string, extractedAt time.Time, docs Documents) (Copied, error) {
	src := &rows{docs: docs, runID: runID, resource: resource, extractedAt: extractedAt, extract: sha256.New()}
	n, err := db.CopyFrom(ctx, table, columns, src)
	if derr := docs.Err(); derr != nil {
		// The server only saw the COPY aborted; the cause is the stream's.
		return Copied{}, derr
	}
	if err != nil {
		return Copied{}, err
	}
	return Copied{Documents: n, Sanitized: src.sanitized, SHA256: src.extract.Sum(nil)}, nil
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
	extract     hash.Hash
	values      []any
}

func (r *rows) Next() bool {
	if !r.docs.Next() {
		return false
	}
	raw := r.docs.Raw()
	sum := sha256.Sum256(raw)
	r.extract.Write(sum[:])
	doc, replaced := Sanitize(raw)
	if replaced > 0 {
		r.sanitized++
	}
	r.values = []any{r.runID, r.resource, r.ordinal, r.extractedAt, sum[:], int32(replaced), doc}
	r.ordinal++
	return true
}

func (r *rows) Values() ([]any, error) { return r.values, nil }

func (r *rows) Err() error { return r.docs.Err() }

// replacement is U+FFFD as a JSON escape.
var replacement = []byte(`\ufffd`)

// Sanitize makes JSON text acceptable to PostgreSQL's jsonb, which rejects
// three things JSON allows or Go's decoder tolerates: the \u0000 escape, a
// \u escape of an unpaired UTF-16 surrogate, and bytes that are not UTF-8.
// Each becomes U+FFFD, the Unicode replacement character; it returns how
// many it replaced. Escaped backslashes are honoured (`\\u0000` is text).
// doc must be valid JSON, so such bytes can only be inside strings.
func Sanitize(doc []byte) ([]byte, int) {
	if utf8.Valid(doc) && !bytes.Contains(doc, []byte(`\u0000`)) && !hasSurrogateEscape(doc) {
		return doc, 0
	}
	out := make([]byte, 0, len(doc))
	n := 0
	for i := 0; i < len(doc); {
		c := doc[i]
		switch {
		case c == '\\' && i+1 < len(doc):
			if size, ok := badEscape(doc[i:]); ok {
				out = append(out, replacement...)
				i += size
				n++
				continue
			}
			if r, _ := escapedRune(doc[i:]); r >= 0xD800 && r <= 0xDBFF {
				out = append(out, doc[i:i+12]...) // a valid surrogate pair
				i += 12
				continue
			}
			out = append(out, c, doc[i+1]) // any other escape, as a pair
			i += 2
		case c < utf8.RuneSelf:
			out = append(out, c)
			i++
		default:
			r, size := utf8.DecodeRune(doc[i:])
			if r == utf8.RuneError && size == 1 {
				out = utf8.AppendRune(out, utf8.RuneError)
				n++
			} else {
				out = append(out, doc[i:i+size]...)
			}
			i += size
		}
	}
	return out, n
}

// escapedRune reads a \uXXXX escape at the start of b.
func escapedRune(b []byte) (rune, bool) {
	if len(b) < 6 || b[0] != '\\' || b[1] != 'u' {
		return 0, false
	}
	var r rune
	for _, h := range b[2:6] {
		var d byte
		switch {
		case '0' <= h && h <= '9':
			d = h - '0'
		case 'a' <= h && h <= 'f':
			d = h - 'a' + 10
		case 'A' <= h && h <= 'F':
			d = h - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(d)
	}
	return r, true
}

// badEscape reports whether b starts with a \u escape jsonb rejects: \u0000,
// a low surrogate, or a high surrogate not followed by an escaped low one.
// size is the escape's length.
func badEscape(b []byte) (size int, bad bool) {
	r, ok := escapedRune(b)
	switch {
	case !ok:
		return 0, false
	case r == 0, r >= 0xDC00 && r <= 0xDFFF:
		return 6, true
	case r >= 0xD800 && r <= 0xDBFF:
		lo, ok := escapedRune(b[6:])
		return 6, !ok || lo < 0xDC00 || lo > 0xDFFF
	}
	return 0, false
}

// hasSurrogateEscape is a cheap pre-check for \uD800-\uDFFF escapes.
func hasSurrogateEscape(doc []byte) bool {
	for i := bytes.Index(doc, []byte(`\u`)); i >= 0 && i+3 < len(doc); {
		if d := doc[i+2]; (d == 'd' || d == 'D') && strings.IndexByte("89abcdefABCDEF", doc[i+3]) >= 0 {
			return true
		}
		j := bytes.Index(doc[i+2:], []byte(`\u`))
		if j < 0 {
			break
		}
		i += 2 + j
	}
	return false
}

// Prune drops the partitions that neither one of the newest keep runs nor
// the newest succeeded run reads from, and returns their runs.
func Prune(ctx context.Context, db dbsqlc.DBTX, keep int) ([]int64, error) {
	return q.LandingPrune(ctx, db, int32(max(1, keep)))
}
