package extract

import (
	"bufio"
	"fmt"
	"io"
)

// shape is where a JSON text keeps its documents.
type shape int

const (
	// inArray: the elements of a top-level array (a list's GET).
	inArray shape = iota
	// asObject: the top-level value itself (company, roadster).
	asObject
	// inEnvelope: the elements of the docs array of a top-level object (a
	// /query page); the envelope's other keys and values are capped as
	// documents are, but not counted as ones.
	inEnvelope
)

// capped passes a JSON text through, except that each document in it (see
// shape) of more than max bytes is replaced by a JSON string saying its
// size, such as "oversized document: 52428802 bytes, more than the limit of
// 16777216". It holds at most max bytes of one document, so the decoder
// after it never sees more: a 50 MB string is counted, not kept. The
// replacement is a document without an id, which the promotion rejects
// like any other unusable one.
//
// It follows the JSON only as far as it needs to find where a document
// ends (strings, escapes and brackets); anything it does not expect it
// passes on for the decoder to reject.
type capped struct {
	r     *bufio.Reader
	max   int64
	shape shape

	outer   int  // brackets open outside any document: 1 inside the array or envelope
	through bool // the rest passes untouched (not an array, or after it)

	in     bool   // inside a document (or an envelope's key or value)
	scalar bool   // the document is a number or literal: it ends at a delimiter
	depth  int    // brackets open inside the document
	str    bool   // inside a string
	esc    bool   // after a backslash in a string
	doc    []byte // the document's bytes, while at most max
	size   int64  // the document's bytes so far

	// In an envelope: whether the next value outside docs is a key, whether
	// the one in hand is, the last key read, and whether the docs array is
	// open. A value over the limit there becomes a stand-in too, which the
	// envelope's reader then refuses where it wants a number.
	wantKey, isKey, inDocs bool
	key                    string

	out []byte
	err error
	// replaced counts the documents replaced.
	replaced int
	// docs counts the documents begun, after base before this text, so the
	// one in hand is number docs-1 from 0, as landing's ordinal numbers
	// them.
	docs int64
	// oversized collects the documents replaced.
	oversized *[]Oversized
}

// Oversized is a document over the size limit, which the extract replaced
// by a stand-in: its ordinal (its position in the array from 0, as
// landing's ordinal column numbers documents) and its size in bytes.
type Oversized struct {
	Ordinal int64 `json:"ordinal"`
	Bytes   int64 `json:"bytes"`
}

// newCapped caps the documents of r; base is the documents streamed
// before it (earlier pages), and the ones replaced are appended to
// oversized.
func newCapped(r *bufio.Reader, max int64, shape shape, base int64, oversized *[]Oversized) *capped {
	return &capped{r: r, max: max, shape: shape, docs: base, oversized: oversized}
}

func (c *capped) Read(p []byte) (int, error) {
	for len(c.out) == 0 && c.err == nil {
		b, err := c.r.ReadByte()
		if err != nil {
			if c.in && c.size <= c.max {
				c.end() // a truncated document, for the decoder to find
			} // one too long ends the input where it began: truncated too
			c.err = err
			break
		}
		c.step(b)
	}
	n := copy(p, c.out)
	c.out = c.out[n:]
	if len(c.out) > 0 || n > 0 {
		return n, nil
	}
	return 0, c.err
}

// step takes one byte.
func (c *capped) step(b byte) {
	if c.in && c.scalar && (b == ',' || b == ']' || b == '}' || isSpace(b)) {
		c.end()
	}
	if !c.in {
		c.between(b)
		return
	}
	c.add(b)
	switch {
	case c.str && c.esc:
		c.esc = false
	case c.str && b == '\\':
		c.esc = true
	case c.str && b == '"':
		c.str = false
		if c.depth == 0 {
			c.end()
		}
	case c.str:
	case b == '"':
		c.str = true
	case b == '{' || b == '[':
		c.depth++
	case b == '}' || b == ']':
		if c.depth--; c.depth <= 0 {
			c.end()
		}
	}
}

// between takes a byte outside any document.
func (c *capped) between(b byte) {
	switch {
	case c.through || isSpace(b):
	case c.shape == asObject:
		if c.docs > 0 {
			c.through = true // data after the object: the decoder says so
			break
		}
		c.begin(b, true)
		return
	case c.outer == 0:
		c.outer = 1
		if c.shape == inArray && b != '[' || c.shape == inEnvelope && b != '{' {
			c.through = true // not what was expected: the decoder says so
		}
		c.wantKey = true
	case c.shape == inArray || c.inDocs:
		switch b {
		case ',':
		case ']':
			c.through = c.shape == inArray
			c.inDocs = false
		default:
			c.begin(b, true)
			return
		}
	default: // in the envelope, outside docs
		switch b {
		case ',':
			c.wantKey = true
		case ':':
			c.wantKey = false
		case '}':
			c.through = true
		case '[':
			if c.key == `"docs"` {
				c.inDocs = true
				break
			}
			fallthrough
		default:
			c.isKey, c.wantKey = c.wantKey, false
			c.begin(b, false)
			return
		}
	}
	c.out = append(c.out, b)
}

// begin starts a document with its first byte b; doc says whether it is
// one (counted, and listed if over the limit) or an envelope's key or
// value.
func (c *capped) begin(b byte, doc bool) {
	c.in, c.scalar, c.depth, c.str, c.esc, c.doc, c.size = true, false, 0, false, false, c.doc[:0], 0
	if doc {
		c.docs++
		c.isKey = false
	}
	switch b {
	case '{', '[':
		c.depth = 1
	case '"':
		c.str = true
	default:
		c.scalar = true
	}
	c.add(b)
}

// add counts a byte of the document, and keeps it while the document is
// within the limit.
func (c *capped) add(b byte) {
	c.size++
	if c.size <= c.max {
		c.doc = append(c.doc, b)
	} else if c.doc != nil {
		c.doc = nil // past the limit: let it go
	}
}

// end closes the document: on to the decoder, or its stand-in.
func (c *capped) end() {
	c.in = false
	if c.isKey {
		c.key = ""
	}
	if c.size <= c.max {
		if c.isKey {
			c.key = string(c.doc)
		}
		c.out = append(c.out, c.doc...)
		c.doc = c.doc[:0]
		return
	}
	if !c.isKey && (c.shape != inEnvelope || c.inDocs) {
		c.replaced++
		*c.oversized = append(*c.oversized, Oversized{Ordinal: c.docs - 1, Bytes: c.size})
	}
	c.out = fmt.Appendf(c.out, `"oversized document: %d bytes, more than the limit of %d"`, c.size, c.max)
}

func isSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\r' }

var _ io.Reader = (*capped)(nil)
