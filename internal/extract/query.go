package extract

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/spacex-elt/loader/internal/httpurl"
)

// ErrPaging marks /query answers whose pages do not add up: more or fewer
// documents than their totalDocs, a totalDocs that changes from page to
// page, a page other than the one asked for, or a hasNextPage that does not
// end. It is not retried: the API's data is frozen, so asking again gets
// the same answer. Nothing of the resource lands.
var ErrPaging = errors.New("inconsistent /query paging")

// queryBody asks a /query route for one page of every document, sorted by
// _id: skip and limit over MongoDB's natural order are not stable, so pages
// could repeat one document and miss another and still add up.
func queryBody(page, limit int) string {
	return fmt.Sprintf(`{"query":{},"options":{"sort":{"_id":1},"page":%d,"limit":%d}}`, page, limit)
}

// streamPages reads the documents of req through POST <Path>/query,
// PageSize a page, and hands them to consume as one stream, each page
// decoded as it arrives. An attempt that fails starts again from page 1:
// consume undoes a failed call anyway, and a run lands a resource in one
// COPY, which then is not held open across the waits between attempts.
func (h *HTTP) streamPages(ctx context.Context, req Request, consume func(*Documents) error) (attempts int, waited time.Duration, err error) {
	target := strings.TrimRight(h.BaseURL, "/") + req.Path + "/query"
	return h.retry(ctx, target, func() error {
		p := &pager{h: h, ctx: ctx, target: target, limit: h.PageSize, max: req.MaxDocumentBytes}
		defer p.close()
		d := &Documents{pages: p}
		// Page 1 is asked for before consume runs, so that a status (a
		// 404, say) is the answer and not a stream that fails.
		if err := p.open(d, 1); err != nil {
			return err
		}
		if err := consume(d); err != nil {
			if d.err != nil && errors.Is(err, d.err) {
				return err // it names the URL and page already
			}
			return fmt.Errorf("POST %s: %w", httpurl.Redact(target), err)
		}
		return nil
	})
}

// pager is the state of a Documents over /query pages.
type pager struct {
	h      *HTTP
	ctx    context.Context
	target string
	limit  int   // documents asked for a page
	max    int64 // the document size limit (Request.MaxDocumentBytes)

	page int // the page being read, from 1
	body io.ReadCloser
	rec  *readRecorder
	meta pageMeta

	total    int // page 1's totalDocs
	maxPages int // the pages total takes at limit, plus one
	streamed int // documents handed on, all pages
	done     bool
}

// pageMeta is what a page's envelope has said so far.
type pageMeta struct {
	begun       bool // its '{' was read
	docs        bool // its docs array was found
	inDocs      bool // the decoder is inside that array
	totalDocs   *int
	hasNextPage *bool
	page        *int
	limit       *int
}

// open asks for page n and points d's decoder at its body.
func (p *pager) open(d *Documents, n int) error {
	p.close()
	req, err := http.NewRequestWithContext(p.ctx, http.MethodPost, p.target, strings.NewReader(queryBody(n, p.limit)))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	resp, err := p.h.Client.Do(req)
	if err != nil {
		err = fmt.Errorf("page %d: %w", n, err)
		if permanentTLS(err) {
			return err
		}
		return &transportError{err}
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return statusError(http.MethodPost, p.target, n, resp)
	}
	p.page, p.body, p.rec, p.meta = n, resp.Body, &readRecorder{r: resp.Body}, pageMeta{}
	body, _ := skipBOM(p.rec) // byte offsets in a page's errors are after it
	var in io.Reader = body
	if p.max > 0 {
		in = newCapped(body, p.max, inEnvelope, int64(p.streamed), &d.oversized)
	}
	d.dec = json.NewDecoder(in)
	return nil
}

func (p *pager) close() {
	if p.body != nil {
		p.body.Close()
		p.body = nil
	}
}

// errorf is an error of the current page, of kind ErrMalformed or
// ErrPaging.
func (p *pager) errorf(kind error, format string, args ...any) error {
	return fmt.Errorf("POST %s page %d: %w: %s", httpurl.Redact(p.target), p.page, kind, fmt.Sprintf(format, args...))
}

// nextPaged is Next over /query envelopes: it walks the current page's
// envelope, hands on the elements of its docs array, and at the page's end
// checks what the envelope said and asks for the next page.
func (d *Documents) nextPaged() bool {
	p := d.pages
	for !p.done && d.err == nil {
		m := &p.meta
		switch {
		case m.inDocs && d.dec.More():
			d.raw = nil
			if err := d.dec.Decode(&d.raw); err != nil {
				d.pageFail(err)
				return false
			}
			p.streamed++
			return true
		case m.inDocs: // the docs array's ']'
			if _, err := d.dec.Token(); err != nil {
				d.pageFail(err)
				return false
			}
			m.inDocs = false
		case !m.begun:
			tok, err := d.dec.Token()
			if err != nil {
				d.pageFail(err)
				return false
			}
			if delim, ok := tok.(json.Delim); !ok || delim != '{' {
				d.err = p.errorf(ErrMalformed, "expected a /query envelope (a JSON object), found %s", describe(tok))
				return false
			}
			m.begun = true
		case d.dec.More():
			d.pageKey()
		default: // the envelope's '}', then the end of the body
			if _, err := d.dec.Token(); err != nil {
				d.pageFail(err)
				return false
			}
			if _, err := d.dec.Token(); err != io.EOF {
				if err != nil {
					d.pageFail(err)
				} else {
					d.err = p.errorf(ErrMalformed, "data after the end of the envelope")
				}
				return false
			}
			d.err = d.endPage()
		}
	}
	return false
}

// pageKey reads one key of the envelope and its value, or enters docs.
func (d *Documents) pageKey() {
	p := d.pages
	m := &p.meta
	tok, err := d.dec.Token()
	if err != nil {
		d.pageFail(err)
		return
	}
	key, _ := tok.(string)
	var dst any
	kind := "an integer"
	switch key {
	case "docs":
		if m.docs {
			d.err = p.errorf(ErrMalformed, "docs appears twice")
			return
		}
		tok, err := d.dec.Token()
		if err != nil {
			d.pageFail(err)
			return
		}
		if delim, ok := tok.(json.Delim); !ok || delim != '[' {
			d.err = p.errorf(ErrMalformed, "docs is %s, not an array", describe(tok))
			return
		}
		m.docs, m.inDocs = true, true
		return
	case "totalDocs":
		dst = &m.totalDocs
	case "hasNextPage":
		dst, kind = &m.hasNextPage, "a boolean"
	case "page":
		dst = &m.page
	case "limit":
		dst = &m.limit
	default:
		dst = new(json.RawMessage)
	}
	if err := d.dec.Decode(dst); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			d.err = p.errorf(ErrMalformed, "%s is a JSON %s, not %s", key, te.Value, kind)
			return
		}
		d.pageFail(err)
	}
}

// endPage checks a page's envelope, once read to its end, against the pages
// before it; then it asks for the next page, or ends the stream.
func (d *Documents) endPage() error {
	p := d.pages
	m := p.meta
	for _, f := range []struct {
		name    string
		missing bool
	}{{"docs", !m.docs}, {"totalDocs", m.totalDocs == nil}, {"hasNextPage", m.hasNextPage == nil}} {
		if f.missing {
			return p.errorf(ErrMalformed, "the envelope has no %s", f.name)
		}
	}
	if *m.totalDocs < 0 {
		return p.errorf(ErrMalformed, "totalDocs is %d", *m.totalDocs)
	}
	if m.page != nil && *m.page != p.page {
		return p.errorf(ErrPaging, "asked for page %d, got page %d", p.page, *m.page)
	}
	if p.page == 1 {
		p.total = *m.totalDocs
		// A server that caps the limit sends smaller pages: more of them.
		limit := p.limit
		if m.limit != nil && *m.limit > 0 && *m.limit < limit {
			limit = *m.limit
		}
		p.maxPages = max(1, (p.total+limit-1)/limit) + 1
	} else if *m.totalDocs != p.total {
		return p.errorf(ErrPaging, "totalDocs went from %d on page 1 to %d", p.total, *m.totalDocs)
	}
	if p.streamed > p.total || !*m.hasNextPage && p.streamed != p.total {
		return p.errorf(ErrPaging, "%d documents in %d page(s), but totalDocs is %d", p.streamed, p.page, p.total)
	}
	if !*m.hasNextPage {
		p.done = true
		p.close()
		return nil
	}
	if p.page >= p.maxPages {
		return p.errorf(ErrPaging, "hasNextPage is still true, though %d documents at %d a page take %d page(s); %d documents so far",
			p.total, p.limit, p.maxPages-1, p.streamed)
	}
	if err := p.open(d, p.page+1); err != nil {
		// A 404 part way is a failure, not a resource the API lacks.
		var se *StatusError
		if errors.Is(err, ErrAbsent) && errors.As(err, &se) {
			return se
		}
		return err
	}
	return nil
}

// pageFail sets the error that stopped the current page: the network's if
// its body broke off (retried, from page 1), else the JSON's.
func (d *Documents) pageFail(err error) {
	p := d.pages
	if p.rec.err != nil {
		d.err = &transportError{fmt.Errorf("POST %s page %d: reading body: %w", httpurl.Redact(p.target), p.page, p.rec.err)}
		return
	}
	d.fail(err)
	d.err = fmt.Errorf("POST %s page %d: %w", httpurl.Redact(p.target), p.page, d.err)
}
