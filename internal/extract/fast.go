package extract

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
)

// fastArray reads the documents of a top-level JSON array straight from
// large buffers: it finds where each element ends and checks that it is
// valid JSON in one pass over bytes in memory, and hands on the element
// as a slice of the buffer. encoding/json's decoder, behind a capped
// reader, took three passes and a copy per document (the capped reader's,
// the decoder's scan, its re-scan into a RawMessage): about 95 MB/s, most
// of a one-document change's time at scale.
//
// It takes only the common path: a well-formed array of documents within
// the size limit. At anything else (malformed or truncated JSON, a
// document over the limit, data after the array, a read error) it stops,
// and Documents goes on from the end of the last document handed on with
// encoding/json and the capped reader, over the same bytes, so what is
// reported (errors, offsets, stand-ins) is what that path reports. The
// two are compared on every input by FuzzFastArray.
type fastArray struct {
	r     io.Reader
	max   int64 // the size limit, 0 for none
	chunk int   // the size of a new buffer (fastChunk; tests make it small)

	// buf holds the bytes read and not yet handed on; a document handed on
	// is a slice of it, so buf is never written again once a document of
	// it is out: a new buffer takes over what is left.
	buf []byte
	pos int   // the next byte to scan
	off int64 // the offset of buf[0] in the text (after any byte-order mark)
	err error // the reader's error, once it gave one (io.EOF at the end)

	begun   bool  // the '[' was read
	docs    int64 // documents handed on
	lastEnd int   // where the last one handed on ends in buf (0 before one)
	// scanned is what encoding/json's decoder would have counted of the
	// text so far, the offset its scanner's errors give (see replay).
	scanned  int64
	last     byte // the last byte of the last document handed on
	finished bool // the array ended, with nothing but white space after it
	// starved: it stopped for want of input the reader did not give.
	starved bool
	stack   []byte
}

// fastChunk is the size of a buffer: at least one document, and few
// enough allocations (one per MiB read).
const fastChunk = 1 << 20

// fastSmall is the most a document not yet complete may hold for fill to
// read once rather than to the buffer's end.
const fastSmall = 64 << 10

// maxFastDepth is the deepest nesting the fast path follows; deeper
// documents (valid or not, encoding/json allows 10,000) go the slow way.
const maxFastDepth = 512

func newFastArray(r io.Reader, max int64) *fastArray {
	return &fastArray{r: r, max: max, chunk: fastChunk}
}

// next finds the next document. It returns the document, or nil with done
// at a clean end of the array, or nil and not done when the fast path
// cannot go on (see fastArray).
func (f *fastArray) next() (doc []byte, done bool) {
	if f.finished {
		return nil, true
	}
	if !f.begun {
		c, ok := f.peek()
		if !ok || c != '[' {
			return nil, false
		}
		f.pos++
		f.begun = true
	}
	c, ok := f.peek()
	if !ok {
		return nil, false
	}
	var space int64
	if f.docs > 0 {
		switch c {
		case ',':
			f.pos++
		case ']':
			return nil, f.end()
		default:
			return nil, false
		}
		comma := f.off + int64(f.pos)
		if _, ok = f.peek(); !ok {
			return nil, false
		}
		space = f.off + int64(f.pos) - comma // the decoder scans the white space after a comma
	} else if c == ']' {
		return nil, f.end()
	}
	for {
		n, st := scanValue(f.buf[f.pos:], f.err == io.EOF, &f.stack)
		if st == scanBad {
			return nil, false
		}
		if f.max > 0 && int64(n) > f.max {
			return nil, false // over the limit: the capped reader's stand-in
		}
		if st == scanOK && !f.container() {
			// encoding/json ends a scalar at the byte after it (or the
			// end of the input), which the capped reader passes on at
			// once only when it is a delimiter.
			switch end := f.pos + n; {
			case end == len(f.buf) && f.err != io.EOF:
				st = scanMore
			case f.max > 0 && end < len(f.buf) && !isDelimiter(f.buf[end]):
				return nil, false // the capped reader holds the scalar back
			}
		}
		if st == scanOK {
			doc = f.buf[f.pos : f.pos+n : f.pos+n]
			f.pos += n
			f.lastEnd = f.pos
			f.docs++
			f.scanned += space + int64(n)
			f.last = doc[n-1]
			return doc, false
		}
		if f.max > 0 && int64(len(f.buf)-f.pos) > f.max {
			return nil, false
		}
		if !f.fill() {
			f.starved = true
			return nil, false
		}
	}
}

// readErr is the reader's error, when the fast path stopped for want of
// input because the reader failed (not at its end, nor cut short: the
// decoder reports those as truncated JSON). encoding/json's decoder would
// stop there with the same error: what it has not handed on is the start
// of a document, which scanned without error.
func (f *fastArray) readErr() error {
	if f.starved && f.err != nil && !errors.Is(f.err, io.EOF) && !errors.Is(f.err, io.ErrUnexpectedEOF) {
		return f.err
	}
	return nil
}

// container reports whether the document at pos is an object or array.
func (f *fastArray) container() bool { c := f.buf[f.pos]; return c == '{' || c == '[' }

// isDelimiter reports whether c may follow a document in an array: the
// capped reader then passes it on at once.
func isDelimiter(c byte) bool { return c == ',' || c == ']' || isSpace(c) }

// end reads past the array's ']' and reports whether nothing but white
// space follows it.
func (f *fastArray) end() bool {
	f.pos++
	if _, ok := f.peek(); ok || f.err != io.EOF {
		return false
	}
	f.finished = true
	return true
}

// peek skips white space and returns the next byte, reading more as
// needed; false at the end of the input or on a read error.
func (f *fastArray) peek() (byte, bool) {
	for {
		for f.pos < len(f.buf) {
			if c := f.buf[f.pos]; !isSpace(c) {
				return c, true
			}
			f.pos++
		}
		if !f.fill() {
			f.starved = true
			return 0, false
		}
	}
}

// fill reads more into buf: into a new buffer when buf is full, which
// takes over what a document handed on does not hold (from the end of
// the last one, all of it before the first). false when the reader has
// nothing more to give.
func (f *fastArray) fill() bool {
	if f.err != nil {
		return false
	}
	if len(f.buf) == cap(f.buf) {
		keep := f.buf[f.lastEnd:]
		if f.max > 0 && int64(len(keep)) >= f.max {
			return false // a document of the limit or more: the capped reader's
		}
		size := max(f.chunk, 2*len(keep))
		if f.max > 0 { // enough for a document of the limit, and the space before it
			size = max(len(keep)+1, min(size, int(min(f.max, 1<<40))+fastSmall))
		}
		nb := make([]byte, len(keep), size)
		copy(nb, keep)
		f.off += int64(f.lastEnd)
		f.pos -= f.lastEnd
		f.buf, f.lastEnd = nb, 0
	}
	// A document that did not fit is scanned again from its start: one
	// read at a time while it is small, so a document is handed on as soon
	// as it has arrived, but to the end of the (doubled) buffer once it is
	// not, so that it is scanned a few times at most.
	had := len(f.buf)
	for f.err == nil && len(f.buf) < cap(f.buf) && (len(f.buf) == had || len(f.buf)-f.lastEnd > fastSmall) {
		n, err := f.r.Read(f.buf[len(f.buf):cap(f.buf)])
		f.buf = f.buf[:len(f.buf)+n]
		f.err = err
	}
	return len(f.buf) > had
}

// rest is the input from the end of the last document handed on (from
// the start, before the first): the bytes buffered, then what the reader
// has not given yet, or its error again.
func (f *fastArray) rest() io.Reader {
	tail := f.r
	if f.err != nil {
		tail = errReader{f.err}
	}
	return io.MultiReader(bytes.NewReader(f.buf[f.lastEnd:]), tail)
}

// replay is a text for encoding/json's decoder to read before rest, in
// place of the documents handed on, that leaves it as it would be had it
// read them: after the last element of an array, the same number of bytes
// into the text (its offsets in errors), its scanner having counted the
// same bytes (the offset of a syntax error inside a value: the bytes of
// the values decoded so far, and the white space after each comma, but
// not the '[', the commas or the white space before them). It is '[',
// white space, then strings of up to 64 KiB (the decoder buffers one
// whole) separated by commas, generated as it is read; it returns how
// many values it has.
func (f *fastArray) replay() (io.Reader, int64) {
	start := f.off + int64(f.lastEnd)
	n := max(1, min(f.docs, (f.scanned+1<<16-1)>>16, f.scanned/2))
	r := &replayReader{pad: start - 1 - f.scanned - (n - 1), strings: n, counted: f.scanned}
	if f.scanned == 1 { // one document of one byte, a digit: itself
		r.strings, r.digit = 0, []byte{f.last}
	}
	return r, n
}

var spaces, xs = bytes.Repeat([]byte(" "), 4096), bytes.Repeat([]byte("x"), 4096)

// replayReader generates replay's text.
type replayReader struct {
	seg     []byte // what is left of the current piece
	begun   bool
	pad     int64  // spaces after '[' still to give
	strings int64  // strings not begun
	counted int64  // their bytes, quotes included
	body    int64  // the current string's bytes still to give, short of its quote
	closing bool   // its closing quote (and a comma) comes next
	digit   []byte // instead of strings, the one digit handed on
}

func (r *replayReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if len(r.seg) == 0 && !r.next() {
			if n == 0 {
				return 0, io.EOF
			}
			break
		}
		k := copy(p[n:], r.seg)
		r.seg, n = r.seg[k:], n+k
	}
	return n, nil
}

// next makes the next piece of the text; false at its end.
func (r *replayReader) next() bool {
	switch {
	case !r.begun:
		r.begun, r.seg = true, []byte("[")
	case r.pad > 0:
		k := min(r.pad, int64(len(spaces)))
		r.seg, r.pad = spaces[:k], r.pad-k
	case r.body > 0:
		k := min(r.body, int64(len(xs)))
		r.seg, r.body = xs[:k], r.body-k
	case r.closing:
		r.closing, r.seg = false, []byte(`"`)
		if r.strings > 0 {
			r.seg = []byte(`",`)
		}
	case r.digit != nil:
		r.seg, r.digit = r.digit, nil
	case r.strings > 0:
		size := r.counted / r.strings
		if r.strings == 1 {
			size = r.counted
		}
		r.counted, r.strings = r.counted-size, r.strings-1
		r.seg, r.body, r.closing = []byte(`"`), size-2, true
	default:
		return false
	}
	return true
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// scanStatus is what scanValue found.
type scanStatus int

const (
	scanOK   scanStatus = iota // a valid value, n bytes long
	scanMore                   // valid so far, but b ends inside it
	scanBad                    // not valid JSON (or nested too deep to follow)
)

// strPlain marks the bytes that go on a string with nothing to check:
// not a quote, a backslash or a control character.
var strPlain = func() (t [256]bool) {
	for c := 0x20; c < 256; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// scanValue reports whether b begins with a JSON value (RFC 8259, as
// encoding/json reads it: any byte from 0x20 up in strings) and how long
// it is. eof says that no more input follows b, so a number ending with b
// is complete. stack is scratch space for the open brackets.
func scanValue(b []byte, eof bool, stack *[]byte) (int, scanStatus) {
	st := (*stack)[:0]
	defer func() { *stack = st[:0] }()
	i := 0
	// A value starts at i; after it, close brackets and look for the next.
	for {
		if i >= len(b) {
			return 0, scanMore
		}
		switch c := b[i]; {
		case c == '"':
			j, s := scanString(b, i)
			if s != scanOK {
				return 0, s
			}
			i = j
		case c == '{' || c == '[':
			if len(st) >= maxFastDepth {
				return 0, scanBad
			}
			st = append(st, c)
			i++
			var ok bool
			if i, ok = skipSpace(b, i); !ok {
				return 0, scanMore
			}
			if c == '{' && b[i] == '}' || c == '[' && b[i] == ']' {
				st = st[:len(st)-1]
				i++
				break
			}
			if c == '{' {
				var s scanStatus
				if i, s = scanKey(b, i); s != scanOK {
					return 0, s
				}
			}
			continue // the first value inside
		case c == '-' || '0' <= c && c <= '9':
			j, s := scanNumber(b, i, eof)
			if s != scanOK {
				return 0, s
			}
			i = j
		case c == 't':
			if s := scanLiteral(b, i, "true"); s != scanOK {
				return 0, s
			}
			i += 4
		case c == 'f':
			if s := scanLiteral(b, i, "false"); s != scanOK {
				return 0, s
			}
			i += 5
		case c == 'n':
			if s := scanLiteral(b, i, "null"); s != scanOK {
				return 0, s
			}
			i += 4
		default:
			return 0, scanBad
		}
		// A value ended at i: close what it ends, or go on to the next.
		for {
			if len(st) == 0 {
				return i, scanOK
			}
			var ok bool
			if i, ok = skipSpace(b, i); !ok {
				return 0, scanMore
			}
			top := st[len(st)-1]
			c := b[i]
			if c == ',' {
				i++
				if i, ok = skipSpace(b, i); !ok {
					return 0, scanMore
				}
				if top == '{' {
					var s scanStatus
					if i, s = scanKey(b, i); s != scanOK {
						return 0, s
					}
				}
				break
			}
			if top == '{' && c == '}' || top == '[' && c == ']' {
				st = st[:len(st)-1]
				i++
				continue
			}
			return 0, scanBad
		}
	}
}

// skipSpace returns the index of the first byte from i that is not white
// space; false when b ends first.
func skipSpace(b []byte, i int) (int, bool) {
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	return i, i < len(b)
}

// scanKey reads an object's key, the colon and the white space after it,
// from i; it returns where the value starts.
func scanKey(b []byte, i int) (int, scanStatus) {
	if b[i] != '"' {
		return 0, scanBad
	}
	i, s := scanString(b, i)
	if s != scanOK {
		return 0, s
	}
	var ok bool
	if i, ok = skipSpace(b, i); !ok {
		return 0, scanMore
	}
	if b[i] != ':' {
		return 0, scanBad
	}
	if i, ok = skipSpace(b, i+1); !ok {
		return 0, scanMore
	}
	return i, scanOK
}

// scanString reads the string whose quote is at i; it returns the index
// after its closing quote.
func scanString(b []byte, i int) (int, scanStatus) {
	i++
	for {
		for i+8 <= len(b) && plain8(binary.LittleEndian.Uint64(b[i:])) {
			i += 8
		}
		for i < len(b) && strPlain[b[i]] {
			i++
		}
		if i >= len(b) {
			return 0, scanMore
		}
		switch b[i] {
		case '"':
			return i + 1, scanOK
		case '\\':
			if i+1 >= len(b) {
				return 0, scanMore
			}
			switch b[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				for k := i + 2; k < i+6; k++ {
					if k >= len(b) {
						return 0, scanMore
					}
					if !isHex(b[k]) {
						return 0, scanBad
					}
				}
				i += 6
			default:
				return 0, scanBad
			}
		default: // a control character
			return 0, scanBad
		}
	}
}

// plain8 reports whether the 8 bytes of w are all strPlain: none is a
// control character (below 0x20), a quote or a backslash. Eight at a time,
// as a word: most of a document's bytes are in strings, and a byte at a
// time was most of the scan's time. (x - 0x01…01) & ^x & 0x80…80 is not
// zero exactly when a byte of x is zero, and with 0x20…20, when a byte is
// below 0x20.
func plain8(w uint64) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	zero := func(x uint64) uint64 { return (x - ones) & ^x & highs }
	return ((w-0x20*ones)&^w&highs)|zero(w^'"'*ones)|zero(w^'\\'*ones) == 0
}

func isHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// scanNumber reads the number that starts at i; it returns the index
// after it. A number that b ends in is complete only at eof.
func scanNumber(b []byte, i int, eof bool) (int, scanStatus) {
	more := func() (int, scanStatus) {
		return 0, scanMore
	}
	if b[i] == '-' {
		i++
	}
	switch {
	case i >= len(b):
		if eof {
			return 0, scanBad
		}
		return more()
	case b[i] == '0':
		i++
	case '1' <= b[i] && b[i] <= '9':
		for i++; i < len(b) && isDigit(b[i]); i++ {
		}
	default:
		return 0, scanBad
	}
	// digits: one or more digits at i, as a fraction or an exponent needs.
	digits := func(i int) (int, scanStatus) {
		if i >= len(b) {
			if eof {
				return 0, scanBad
			}
			return more()
		}
		if !isDigit(b[i]) {
			return 0, scanBad
		}
		for i++; i < len(b) && isDigit(b[i]); i++ {
		}
		return i, scanOK
	}
	if i < len(b) && b[i] == '.' {
		var s scanStatus
		if i, s = digits(i + 1); s != scanOK {
			return 0, s
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		var s scanStatus
		if i, s = digits(i); s != scanOK {
			return 0, s
		}
	}
	if i >= len(b) && !eof {
		return more() // more digits may follow
	}
	return i, scanOK
}

// scanLiteral checks that the literal lit is at i.
func scanLiteral(b []byte, i int, lit string) scanStatus {
	for k := 0; k < len(lit); k++ {
		if i+k >= len(b) {
			return scanMore
		}
		if b[i+k] != lit[k] {
			return scanBad
		}
	}
	return scanOK
}
