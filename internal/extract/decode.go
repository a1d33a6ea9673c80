// Package extract reads API resources, from the live API over HTTP or from a
// snapshot directory, and hands their documents on one at a time. It knows
// nothing of the database.
package extract

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// ErrMalformed marks a response that is not the JSON array the API serves.
// It is never retried: fetching the same bytes again will not mend them.
var ErrMalformed = errors.New("malformed response")

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
}

// NewDocuments returns a decoder over a JSON array read from r.
func NewDocuments(r io.Reader) *Documents {
	return newDocuments(r, false)
}

// newDocuments returns a decoder over a JSON array read from r or, if
// object, over the single JSON object r holds.
func newDocuments(r io.Reader, object bool) *Documents {
	return &Documents{dec: json.NewDecoder(r), object: object}
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
	if d.pages != nil {
		return d.nextPaged()
	}
	if !d.started {
		d.started = true
		tok, err := d.dec.Token()
		if err != nil {
			d.fail(err)
			return false
		}
		if delim, ok := tok.(json.Delim); !ok || delim != '[' {
			d.err = fmt.Errorf("%w: expected a JSON array, found %s", ErrMalformed, describe(tok))
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
	if err := d.dec.Decode(&d.raw); err != nil {
		d.fail(err)
		return false
	}
	if d.raw[0] != '{' {
		d.err = fmt.Errorf("%w: expected a JSON object, found %s", ErrMalformed, describeRaw(d.raw))
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
		d.err = fmt.Errorf("%w: data after the end of the %s", ErrMalformed, what)
	default:
		d.fail(err)
	}
	return false
}

// Raw returns the current element exactly as received.
func (d *Documents) Raw() []byte { return d.raw }

// Err returns the error that stopped Next, or nil at a clean end.
func (d *Documents) Err() error { return d.err }

func (d *Documents) fail(err error) {
	var syntax *json.SyntaxError
	switch {
	case errors.As(err, &syntax):
		d.err = fmt.Errorf("%w: %v at byte %d", ErrMalformed, err, syntax.Offset)
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		d.err = fmt.Errorf("%w: truncated JSON after byte %d", ErrMalformed, d.dec.InputOffset())
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
