package extract

import (
	"bufio"
	"fmt"
	"io"
)

// capped passes a JSON text through, except that each document in it (an
// element of the top-level array, or the top-level value itself when
// object) of more than max bytes is replaced by a JSON string saying its
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
	r      *bufio.Reader
	max    int64
	object bool

	outer   int  // brackets open outside any document: 1 inside the array
	through bool // the rest passes untouched (not an array, or after it)

	in     bool   // inside a document
	scalar bool   // the document is a number or literal: it ends at a delimiter
	depth  int    // brackets open inside the document
	str    bool   // inside a string
	esc    bool   // after a backslash in a string
	doc    []byte // the document's bytes, while at most max
	size   int64  // the document's bytes so far

	out []byte
	err error
	// replaced counts the documents replaced.
	replaced int
	// docs counts the documents begun, so the one in hand is number docs-1
	// from 0, as landing's ordinal numbers them.
	docs int64
	// oversized lists the documents replaced.
	oversized []Oversized
}

// Oversized is a document over the size limit, which the extract replaced
// by a stand-in: its ordinal (its position in the array from 0, as
// landing's ordinal column numbers documents) and its size in bytes.
type Oversized struct {
	Ordinal int64 `json:"ordinal"`
	Bytes   int64 `json:"bytes"`
}

func newCapped(r *bufio.Reader, max int64, object bool) *capped {
	return &capped{r: r, max: max, object: object}
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
	case !c.object && c.outer == 0:
		if b == '[' {
			c.outer = 1
		} else {
			c.through = true // not an array: the decoder says so
		}
	case !c.object && (b == ',' || b == ']'):
		if b == ']' {
			c.through = true
		}
	case c.object && c.size > 0:
		c.through = true // data after the object: the decoder says so
	default:
		c.in, c.scalar, c.depth, c.str, c.esc, c.doc, c.size = true, false, 0, false, false, c.doc[:0], 0
		c.docs++
		switch b {
		case '{', '[':
			c.depth = 1
		case '"':
			c.str = true
		default:
			c.scalar = true
		}
		c.add(b)
		return
	}
	c.out = append(c.out, b)
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
	if c.size <= c.max {
		c.out = append(c.out, c.doc...)
		c.doc = c.doc[:0]
		return
	}
	c.replaced++
	c.oversized = append(c.oversized, Oversized{Ordinal: c.docs - 1, Bytes: c.size})
	c.out = fmt.Appendf(c.out, `"oversized document: %d bytes, more than the limit of %d"`, c.size, c.max)
}

func isSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\r' }

var _ io.Reader = (*capped)(nil)
