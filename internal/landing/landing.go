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
	"errors"
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
	// blocks is the temporary table landing.manifest_open makes, which
	// the manifest is sent into a block of hashes at a time.
	blocks       = pgx.Identifier{"pg_temp", "manifest_blocks"}
	blockColumns = []string{"n", "sha256s"}
)

// Documents landing has to ask about are looked up in batches of at most
// batchDocuments documents or batchBytes bytes, held meanwhile.
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
//
// What it holds while it streams is a few bytes a document: the manifest
// so far in blocks of hashes, an index of the hashes sent, and those of
// the resource's newest manifest, which landing holds for certain (so an
// extract that changed little asks landing about few documents). A
// document is held only while landing is asked about it, in a batch, or
// while it is read ahead: the stream is read on a goroutine of its own, a
// few batches ahead of the hashing and sending (see readAhead).
func Copy(ctx context.Context, db DB, runID int64, resource string, extractedAt time.Time, docs Documents) (Copied, error) {
	// The reading starts while landing is asked what it holds.
	ahead := readAhead(docs)
	defer ahead.close()
	known, err := newest(ctx, db, resource)
	if err != nil {
		return Copied{}, err
	}
	tx, err := db.Begin(ctx)
	if err != nil {
		return Copied{}, err
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	src := &rows{ctx: ctx, db: db, docs: ahead, extract: sha256.New(), known: known}
	src.sent.store = &src.manifest
	n, err := tx.CopyFrom(ctx, contents, columns, src)
	ahead.close()
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
	got := Copied{Documents: src.documents, Stored: n, StoredBytes: src.storedBytes, Sanitized: src.sanitized,
		SHA256: src.extract.Sum(nil)}
	manifest := src.manifest.blocks
	src = nil // what it looked up is no longer needed
	if err := q.LandingManifestOpen(ctx, tx); err != nil {
		return Copied{}, fmt.Errorf("record the manifest: %w", err)
	}
	if _, err := tx.CopyFrom(ctx, blocks, blockColumns, pgx.CopyFromSlice(len(manifest), func(i int) ([]any, error) {
		return []any{int32(i), manifest[i]}, nil
	})); err != nil {
		return Copied{}, fmt.Errorf("record the manifest: %w", err)
	}
	if err := q.LandingManifestAdd(ctx, tx, dbsqlc.LandingManifestAddParams{
		RunID: runID, Resource: resource, ExtractedAt: extractedAt,
	}); err != nil {
		return Copied{}, fmt.Errorf("record the manifest: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return Copied{}, err
	}
	return got, nil
}

// held is what landing holds for certain: the documents of a manifest of
// it, and which of them had something replaced.
type held struct {
	hashes   hashStore
	index    hashIndex
	replaced map[[sha256.Size]byte]bool
}

// newest reads the resource's newest manifest: its documents are in
// landing as long as it is (landing.prune drops them together, and not
// while a run runs). nil when there is none.
func newest(ctx context.Context, db dbsqlc.DBTX, resource string) (*held, error) {
	m, err := q.LandingManifestNewest(ctx, db, resource)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the newest manifest of %s: %w", resource, err)
	}
	h := &held{replaced: map[[sha256.Size]byte]bool{}}
	h.index.store = &h.hashes
	for b := m.Sha256s; len(b) > 0; {
		k := min(len(b), blockHashes*sha256.Size)
		h.hashes.blocks = append(h.hashes.blocks, b[:k:k])
		b = b[k:]
	}
	for i := range h.hashes.len() {
		if sum := [sha256.Size]byte(h.hashes.at(i)); !h.index.has(&sum) {
			h.index.add(&sum, i)
		}
	}
	replaced, err := q.LandingManifestSanitized(ctx, db, dbsqlc.LandingManifestSanitizedParams{RunID: m.RunID, Resource: resource})
	if err != nil {
		return nil, fmt.Errorf("read the newest manifest of %s: %w", resource, err)
	}
	for _, r := range replaced {
		h.replaced[[sha256.Size]byte(r)] = true
	}
	return h, nil
}

// rows adapts Documents to pgx.CopyFromSource: it hashes each document's
// raw bytes and keeps the hash for the manifest, and yields, sanitized,
// only the documents landing lacks, found a batch at a time.
type rows struct {
	ctx  context.Context
	db   dbsqlc.DBTX
	docs Documents
	// manifest is the documents' hashes so far, in order.
	manifest  hashStore
	documents int64
	extract   hash.Hash
	// known is what landing holds for certain (nil: nothing), sent the
	// hashes this COPY has sent (or will, from queue), by their ordinal in
	// the manifest, and replaced those of them that had something replaced.
	known    *held
	sent     hashIndex
	replaced map[[sha256.Size]byte]bool
	// batch is the documents to ask landing about, their bytes copied
	// into arena; queue what is to be sent of them once asked.
	batch       []pending
	arena       []byte
	queue       []pending
	storedBytes int64
	sanitized   int64
	values      []any
	// done: docs has ended (Next is not called again).
	done bool
	err  error
}

// pending is a document to ask about: its ordinal, its hash, its bytes
// (sanitized once queued) and their size as received.
type pending struct {
	ordinal  int
	sum      [sha256.Size]byte
	doc      []byte
	size     int
	replaced int
}

func (r *rows) Next() bool {
	for len(r.queue) == 0 {
		if !r.fill() {
			return false
		}
	}
	p := r.queue[0]
	r.queue[0] = pending{}
	r.queue = r.queue[1:]
	r.storedBytes += int64(p.size)
	r.values = append(r.values[:0], r.manifest.at(p.ordinal), int32(p.replaced), p.doc)
	return true
}

// fill reads documents until a batch of those landing has to be asked
// about is full, or docs ends, and asks; it queues, sanitized, the
// documents landing does not hold. A document this COPY has sent, or
// that the newest manifest names, is only counted. It returns false at
// the end of docs or on error.
func (r *rows) fill() bool {
	r.batch, r.arena = r.batch[:0], r.arena[:0]
	for !r.done && len(r.batch) < batchDocuments && len(r.arena) < batchBytes {
		if r.done = !r.docs.Next(); r.done {
			break
		}
		raw := r.docs.Raw()
		sum := sha256.Sum256(raw)
		r.extract.Write(sum[:])
		ordinal := r.manifest.len()
		r.manifest.add(&sum)
		r.documents++
		if r.sent.has(&sum) {
			if r.replaced[sum] {
				r.sanitized++
			}
			continue
		}
		if r.known != nil && r.known.index.has(&sum) {
			if r.known.replaced[sum] {
				r.sanitized++
			}
			continue
		}
		// The document's bytes may be a buffer the stream reuses: a copy.
		at := len(r.arena)
		r.arena = append(r.arena, raw...)
		r.batch = append(r.batch, pending{ordinal: ordinal, sum: sum, doc: r.arena[at:len(r.arena):len(r.arena)], size: len(raw)})
	}
	if len(r.batch) == 0 {
		return !r.done
	}
	ask := make([][]byte, 0, len(r.batch))
	for i := range r.batch {
		ask = append(ask, r.batch[i].sum[:])
	}
	known, err := q.LandingContentsKnown(r.ctx, r.db, ask)
	if err != nil {
		r.err = fmt.Errorf("look up documents in landing: %w", err)
		return false
	}
	// Whether each document landing holds had something replaced.
	held := make(map[[sha256.Size]byte]bool, len(known))
	for _, k := range known {
		held[[sha256.Size]byte(k.Sha256)] = k.Sanitized > 0
	}
	for _, p := range r.batch {
		replaced, sent := held[p.sum]
		if !sent {
			if sent = r.sent.has(&p.sum); sent { // earlier in this batch
				replaced = r.replaced[p.sum]
			}
		}
		if !sent {
			p.doc, p.replaced = Sanitize(p.doc)
			replaced = p.replaced > 0
			r.sent.add(&p.sum, p.ordinal)
			if replaced {
				if r.replaced == nil {
					r.replaced = map[[sha256.Size]byte]bool{}
				}
				r.replaced[p.sum] = true
			}
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
