// Package landing lands raw documents: each distinct document once, in
// landing.contents under the sha256 of its bytes, sent with COPY only when
// landing does not hold it yet, and each extract as the hashes of its
// documents in order, a row of landing.manifests. It drops what no kept
// run reads. It knows nothing of where the documents came from.
package landing

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
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

// DB is where Copy lands: it begins the transaction that sends the new
// documents and records the manifest, and asks on other connections
// meanwhile which documents landing already holds. *pgxpool.Pool is one.
type DB interface {
	dbsqlc.DBTX
	Begin(ctx context.Context) (pgx.Tx, error)
}

// Copied is what one Copy landed.
type Copied struct {
	// Documents is the number of documents in the extract, each named in
	// its manifest.
	Documents int64
	// Stored is how many of them were new to landing and sent in full, and
	// StoredBytes their size as received; the rest landing already held.
	Stored, StoredBytes int64
	// Sanitized is the number of documents that had something jsonb
	// rejects (see Sanitize) replaced.
	Sanitized int64
	// SHA256 is the sha256 over the sha256 of each document's raw bytes, in
	// order: equal extracts have equal hashes, however they were served.
	SHA256 []byte
}

var (
	contents = pgx.Identifier{"landing", "contents"}
	columns  = []string{"sha256", "sanitized", "doc"}
)

// Documents are looked up in landing in batches of at most batchDocuments
// documents or batchBytes bytes, held meanwhile.
const (
	batchDocuments = 256
	batchBytes     = 1 << 20
)

// Copy lands the extract docs of resource for run runID: the documents
// landing does not hold yet in one COPY, and the manifest naming every
// document in order, in one transaction, so either all of it lands or,
// when docs or the server fails part way, none does. A document landing
// already holds, from any run or resource, or earlier in this extract, is
// not sent again.
func Copy(ctx context.Context, db DB, runID int64, resource string, extractedAt time.Time, docs Documents) (Copied, error) {
	tx, err := db.Begin(ctx)
	if err != nil {
		return Copied{}, err
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	src := &rows{ctx: ctx, db: db, docs: docs, extract: sha256.New(), sent: newSentSet()}
	n, err := tx.CopyFrom(ctx, contents, columns, src)
	if derr := docs.Err(); derr != nil {
		// The server only saw the COPY aborted; the cause is the stream's.
		return Copied{}, derr
	}
	if src.err != nil {
		return Copied{}, src.err
	}
	if err != nil {
		return Copied{}, err
	}
	if err := q.LandingManifestAdd(ctx, tx, dbsqlc.LandingManifestAddParams{
		RunID: runID, Resource: resource, ExtractedAt: extractedAt, Sha256s: src.hashes,
	}); err != nil {
		return Copied{}, fmt.Errorf("record the manifest: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return Copied{}, err
	}
	return Copied{Documents: src.documents, Stored: n, StoredBytes: src.storedBytes, Sanitized: src.sanitized,
		SHA256: src.extract.Sum(nil)}, nil
}

// rows adapts Documents to pgx.CopyFromSource: it hashes each document's
// raw bytes and keeps the hash for the manifest, and yields, sanitized,
// only the documents landing lacks, found a batch at a time.
type rows struct {
	ctx  context.Context
	db   dbsqlc.DBTX
	docs Documents
	// hashes holds the manifest: the documents' hashes, end to end, as
	// landing.manifests is sent them.
	hashes    []byte
	documents int64
	extract   hash.Hash
	// sent is the hashes this COPY has sent (or will, from queue).
	sent        *sentSet
	queue       []pending
	storedBytes int64
	sanitized   int64
	values      []any
	// done: docs has ended (Next is not called again).
	done bool
	err  error
}

// pending is a document of the current batch: its hash, its bytes
// (sanitized once queued) and their size as received.
type pending struct {
	sum      [sha256.Size]byte
	doc      []byte
	size     int
	replaced int
}

func (r *rows) Next() bool {
	for len(r.queue) == 0 {
		if !r.batch() {
			return false
		}
	}
	p := r.queue[0]
	r.queue[0] = pending{}
	r.queue = r.queue[1:]
	r.storedBytes += int64(p.size)
	r.values = []any{p.sum[:], int32(p.replaced), p.doc}
	return true
}

// batch reads the next batch of documents and queues, sanitized, those
// whose content landing does not hold and this COPY has not sent. It
// returns false at the end of docs or on error.
func (r *rows) batch() bool {
	var batch []pending
	var size int
	for !r.done && len(batch) < batchDocuments && size < batchBytes {
		if r.done = !r.docs.Next(); r.done {
			break
		}
		raw := r.docs.Raw()
		p := pending{sum: sha256.Sum256(raw), doc: raw, size: len(raw)}
		r.extract.Write(p.sum[:])
		r.hashes = append(r.hashes, p.sum[:]...)
		r.documents++
		batch = append(batch, p)
		size += len(raw)
	}
	if len(batch) == 0 {
		return false
	}
	var ask [][]byte
	for i := range batch {
		if ok, _ := r.sent.has(batch[i].sum, r.hashes); !ok {
			ask = append(ask, batch[i].sum[:])
		}
	}
	// Whether each document landing holds had something replaced.
	held := map[[sha256.Size]byte]bool{}
	if len(ask) > 0 {
		known, err := q.LandingContentsKnown(r.ctx, r.db, ask)
		if err != nil {
			r.err = fmt.Errorf("look up documents in landing: %w", err)
			return false
		}
		for _, k := range known {
			held[[sha256.Size]byte(k.Sha256)] = k.Sanitized > 0
		}
	}
	first := int(r.documents) - len(batch) // the batch's first ordinal
	for i, p := range batch {
		sent, replaced := r.sent.has(p.sum, r.hashes)
		if !sent {
			replaced, sent = held[p.sum]
		}
		if !sent {
			p.doc, p.replaced = Sanitize(p.doc)
			replaced = p.replaced > 0
			r.sent.add(p.sum, first+i, replaced)
			r.queue = append(r.queue, p)
		}
		if replaced {
			r.sanitized++
		}
	}
	return true
}

func (r *rows) Values() ([]any, error) { return r.values, nil }

func (r *rows) Err() error {
	if r.err != nil {
		return r.err
	}
	return r.docs.Err()
}

// sentSet is the hashes a COPY has sent, kept small: an extract of
// 205,000 documents, all new, would hold 205,000 full hashes as map keys.
// It maps the first 8 bytes of each to the ordinal of the first document
// sent with them, whose full hash the manifest holds; a hash whose first 8
// bytes another one sent first has (which sha256 all but rules out) is
// kept whole. So are the hashes of documents that had something replaced,
// which later duplicates count too.
type sentSet struct {
	first    map[uint64]int32
	others   map[[sha256.Size]byte]bool
	replaced map[[sha256.Size]byte]bool
}

func newSentSet() *sentSet {
	return &sentSet{first: map[uint64]int32{}, others: map[[sha256.Size]byte]bool{}, replaced: map[[sha256.Size]byte]bool{}}
}

// has reports whether sum was sent, and whether its document had
// something replaced; hashes is the manifest so far.
func (s *sentSet) has(sum [sha256.Size]byte, hashes []byte) (sent, replaced bool) {
	at, ok := s.first[binary.BigEndian.Uint64(sum[:8])]
	if ok && bytes.Equal(hashes[int(at)*sha256.Size:int(at+1)*sha256.Size], sum[:]) || s.others[sum] {
		return true, s.replaced[sum]
	}
	return false, false
}

// add records that the document at ordinal, of hash sum, is sent.
func (s *sentSet) add(sum [sha256.Size]byte, ordinal int, replaced bool) {
	if k := binary.BigEndian.Uint64(sum[:8]); !s.firstHas(k) {
		s.first[k] = int32(ordinal)
	} else {
		s.others[sum] = true
	}
	if replaced {
		s.replaced[sum] = true
	}
}

func (s *sentSet) firstHas(k uint64) bool { _, ok := s.first[k]; return ok }

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

// Prune drops the manifests that neither one of the newest keep runs nor
// the newest succeeded run reads, and the documents no manifest left
// names, and returns the runs whose manifests it dropped.
func Prune(ctx context.Context, db dbsqlc.DBTX, keep int) ([]int64, error) {
	return q.LandingPrune(ctx, db, int32(max(1, keep)))
}
