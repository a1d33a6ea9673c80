// Package extract reads API resources, from the live API over HTTP or from a
// snapshot directory, and hands their documents on one at a time. It knows
// nothing of the database.
package extract

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// ErrMalformed marks a response, or a snapshot file, that is not the JSON
// the API serves. It is never retried: fetching the same bytes again will
// not mend them. The error's text names which was read ("malformed file").
var ErrMalformed = errors.New("malformed response")

// malformed is ErrMalformed under the name of what was read: "response"
// or "file".
type malformed string

func (m malformed) Error() string        { return "malformed " + string(m) }
func (m malformed) Is(target error) bool { return target == ErrMalformed }

// bom is the UTF-8 byte-order mark. Editors on Windows and some servers put
// it before JSON; RFC 8259 lets a parser ignore it, and encoding/json
// reads it as "invalid character 'ï'", so it is skipped.
var bom = []byte{0xEF, 0xBB, 0xBF}

// skipBOM returns r without a leading byte-order mark, and how many bytes
// it skipped (0 or 3).
func skipBOM(r io.Reader) (*bufio.Reader, int64) {
	br := bufio.NewReader(r)
	if b, _ := br.Peek(len(bom)); bytes.Equal(b, bom) {
		_, _ = br.Discard(len(bom))
		return br, int64(len(bom))
	}
	return br, 0
}

// Documents decodes a JSON array element by element, so a response is never
// held in memory whole. Each element is returned as its raw bytes. A
// resource served as one object (company, roadster) is a Documents of that
// one document; a resource read from its /query route is one Documents
// over the docs of every page, fetched as the previous one runs out.
type Documents struct {
	dec     *json.Decoder
	object  bool
	started bool
	raw     json.RawMessage
	err     error
	// pages, when set, reads /query envelopes; dec is on its current page.
	pages *pager
	// noun is what is read, as errors name it: "response" or "file".
	noun string
	// skipped is the bytes of a byte-order mark before the JSON, which
	// byte offsets in errors count.
	skipped int64
	// capped, when set, stands in for documents over the size limit.
	capped *capped
	// oversized lists the documents it stood in for, every page's.
	oversized []Oversized
	// fast, while set, reads an array without dec (see fastArray); max is
	// the size limit, for the decoder that takes over from it.
	fast *fastArray
	max  int64
}

// NewDocuments returns a decoder over a JSON array read from r, an HTTP
// response's body.
func NewDocuments(r io.Reader) *Documents {
	return newDocuments(r, false, "response", 0)
}

// newDocuments returns a decoder over a JSON array read from r or, if
// object, over the single JSON object r holds; noun says what r is, a
// "response" or a "file". A leading byte-order mark is skipped. With max
// above 0, a document of more than max bytes is yielded as a JSON string
// saying its size instead, and never held whole (see capped); byte offsets
// in errors after one count the stand-in's bytes.
func newDocuments(r io.Reader, object bool, noun string, max int64) *Documents {
	br, skipped := skipBOM(r)
	d := &Documents{object: object, noun: noun, skipped: skipped, max: max}
	if !object {
		d.fast = newFastArray(br, max)
		return d
	}
	var in io.Reader = br
	if max > 0 {
		d.capped = newCapped(br, max, asObject, 0, &d.oversized)
		in = d.capped
	}
	d.dec = json.NewDecoder(in)
	return d
}

// fallBack hands the array over from the fast path to encoding/json's
// decoder (behind the capped reader when there is a size limit), which
// goes on from the end of the last document handed on: from the start of
// the text before the first, otherwise after a replay of those handed on
// (see fastArray.replay), with the capped reader between documents of the
// array, so that both are where they would have been had they read
// everything: the same documents, stand-ins, errors and offsets follow.
func (d *Documents) fallBack() {
	f := d.fast
	d.fast = nil
	var src io.Reader = bufio.NewReader(f.rest())
	if d.max > 0 {
		d.capped = newCapped(src.(*bufio.Reader), d.max, inArray, f.docs, &d.oversized)
		d.capped.outer = min(int(f.docs), 1)
		src = d.capped
	}
	if f.docs == 0 {
		d.dec = json.NewDecoder(src)
		return
	}
	replay, n := f.replay()
	d.dec = json.NewDecoder(io.MultiReader(replay, src))
	_, _ = d.dec.Token()
	var skip json.RawMessage
	for range n { // as Next does: white space before a value is not scanned
		_ = d.dec.More()
		_ = d.dec.Decode(&skip)
	}
	d.started = true
}

// malformed is an error of kind ErrMalformed that names what was read.
func (d *Documents) malformed(format string, args ...any) error {
	return fmt.Errorf("%w: %s", malformed(d.noun), fmt.Sprintf(format, args...))
}

// empty is the error of a response or file with no JSON value in it,
// which encoding/json calls the end of the input.
func (d *Documents) empty() {
	d.err = fmt.Errorf("%w: the %s is empty, with no JSON value", malformed(d.noun), d.noun)
}

// Next advances to the next element. It returns false at the end of the
// array or on error; Err tells which.
func (d *Documents) Next() bool {
	if d.err != nil {
		return false
	}
	if d.object {
		return d.nextObject()
	}
	if d.fast != nil {
		doc, done := d.fast.next()
		if doc != nil {
			d.raw = doc
			return true
		}
		if done {
			return false
		}
		if err := d.fast.readErr(); err != nil {
			// Handing over to the decoder would replay every document
			// handed on (see fallBack), to stop where the fast path did.
			d.err = err
			return false
		}
		d.fallBack()
	}
	if d.pages != nil {
		return d.nextPaged()
	}
	if !d.started {
		d.started = true
		tok, err := d.dec.Token()
		if err == io.EOF {
			d.empty()
			return false
		}
		if err != nil {
			d.fail(err)
			return false
		}
		if delim, ok := tok.(json.Delim); !ok || delim != '[' {
			d.err = d.malformed("expected a JSON array, found %s", describe(tok))
			return false
		}
	}
	if !d.dec.More() {
		if _, err := d.dec.Token(); err != nil { // the closing ']'
			d.fail(err)
			return false
		}
		d.atEnd("array")
		return false
	}
	// A fresh slice per element: the caller may still hold the previous one.
	d.raw = nil
	if err := d.dec.Decode(&d.raw); err != nil {
		d.fail(err)
		return false
	}
	return true
}

// nextObject is Next over a response that is one object.
func (d *Documents) nextObject() bool {
	if d.started {
		return false
	}
	d.started = true
	if err := d.dec.Decode(&d.raw); err == io.EOF {
		d.empty()
		return false
	} else if err != nil {
		d.fail(err)
		return false
	}
	if d.raw[0] != '{' && (d.capped == nil || d.capped.replaced == 0) { // a stand-in is a string
		d.err = d.malformed("expected a JSON object, found %s", describeRaw(d.raw))
		return false
	}
	return d.atEnd("object")
}

// atEnd checks that nothing but white space follows the top-level value
// (what). A read error is the stream's, not data after the end.
func (d *Documents) atEnd(what string) bool {
	switch _, err := d.dec.Token(); err {
	case io.EOF:
		return true
	case nil:
		d.err = d.malformed("data after the end of the %s", what)
	default:
		d.fail(err)
	}
	return false
}

// Oversized returns the documents over the size limit, each yielded as a
// stand-in, in order; complete once Next has returned false.
func (d *Documents) Oversized() []Oversized { return d.oversized }

// Raw returns the current element exactly as received.
func (d *Documents) Raw() []byte { return d.raw }

// Err returns the error that stopped Next, or nil at a clean end.
func (d *Documents) Err() error { return d.err }

func (d *Documents) fail(err error) {
	var syntax *json.SyntaxError
	switch {
	case errors.As(err, &syntax):
		d.err = d.malformed("%v at byte %d", err, d.skipped+syntax.Offset)
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		d.err = d.malformed("truncated JSON after byte %d", d.skipped+d.dec.InputOffset())
	default:
		d.err = err
	}
}

// describeRaw names the kind of a raw JSON value.
func describeRaw(raw json.RawMessage) string {
	if raw[0] == '[' {
		return "an array"
	}
	var tok any
	_ = json.Unmarshal(raw, &tok)
	return describe(tok)
}

func describe(tok json.Token) string {
	switch v := tok.(type) {
	case json.Delim:
		if v == '{' {
			return "an object"
		}
		return string(v)
	case nil:
		return "null"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	default:
		return "a number"
	}
}
