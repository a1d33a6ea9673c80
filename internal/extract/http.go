package extract

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/avast/retry-go/v4"

	"github.com/spacex-elt/loader/internal/httpurl"
)

// maxRetryDelay caps one wait between attempts, Retry-After included.
const maxRetryDelay = 10 * time.Minute

// StatusError is an HTTP response other than 200 (or 304 to a conditional
// GET). A 404 comes wrapped together with ErrAbsent: the API does not serve
// the resource.
type StatusError struct {
	// Method is the request's method; empty means GET.
	Method string
	URL    string
	// Page is the /query page asked for, or 0 for a plain GET.
	Page       int
	StatusCode int
	// RetryAfter is the server's Retry-After on a 429 or 503, or zero.
	RetryAfter time.Duration
}

func (e *StatusError) Error() string {
	method := e.Method
	if method == "" {
		method = http.MethodGet
	}
	page := ""
	if e.Page > 0 {
		page = fmt.Sprintf(" page %d", e.Page)
	}
	return fmt.Sprintf("%s %s%s: HTTP %d %s", method, e.URL, page, e.StatusCode, http.StatusText(e.StatusCode))
}

// statusError is the error of an unwanted status: a StatusError, which a
// 404 also marks ErrAbsent.
func statusError(method, target string, page int, resp *http.Response) error {
	se := &StatusError{
		Method:     method,
		URL:        httpurl.Redact(target),
		Page:       page,
		StatusCode: resp.StatusCode,
		RetryAfter: retryAfter(resp),
	}
	if resp.StatusCode == http.StatusNotFound {
		return fmt.Errorf("%w: %w", ErrAbsent, se)
	}
	return se
}

// Temporary reports whether the status is worth retrying: 408, 429 and 5xx.
func (e *StatusError) Temporary() bool {
	return e.StatusCode == http.StatusRequestTimeout ||
		e.StatusCode == http.StatusTooManyRequests ||
		e.StatusCode >= 500
}

// transportError is a failure to talk to the server (connect, reset,
// timeout) before or while reading a response. It is always retried.
type transportError struct{ err error }

func (e *transportError) Error() string { return e.err.Error() }
func (e *transportError) Unwrap() error { return e.err }

// HTTP fetches resources from the API over HTTP with retries.
type HTTP struct {
	// BaseURL is the API root, for example https://api.spacexdata.com.
	BaseURL string
	// Client performs the requests; its Timeout bounds each attempt.
	Client *http.Client
	// Retries is the number of attempts after the first.
	Retries uint
	// RetryDelay is the base of the exponential backoff; each wait also gets
	// a random jitter of up to RetryDelay. It must be positive.
	RetryDelay time.Duration
	// PageSize, when positive, reads every resource that is a list through
	// its paged POST <Path>/query route, PageSize documents a request,
	// instead of one GET. Object resources are always read with a GET.
	PageSize int
	// MaxElapsed bounds the time from a request's first attempt to the
	// start of its last: a retry whose wait would end later is not made.
	// Zero: no bound but Retries.
	MaxElapsed time.Duration
	Logger     *slog.Logger
}

// Stream implements Source. A list is read with one conditional GET (etag
// goes out as If-None-Match, and a 304 answer is NotModified) or, with
// PageSize set, page by page from its /query route, which has no ETag. It
// retries network errors, 408, 429 and 5xx, including a connection that
// breaks while the body is being consumed, and honours Retry-After on 429
// and 503. Other statuses fail at once; a 404 is ErrAbsent.
func (h *HTTP) Stream(ctx context.Context, req Request, consume func(*Documents) error) (Answer, error) {
	if h.PageSize > 0 && !req.Object {
		n, waited, err := h.streamPages(ctx, req, consume)
		if err != nil {
			return Answer{}, err
		}
		return Answer{Status: http.StatusOK, Attempts: n, Waited: waited}, nil
	}
	return h.get(ctx, req, func(body io.Reader) error {
		return consume(newDocuments(body, req.Object, "response", req.MaxDocumentBytes))
	})
}

// get is a conditional GET of req.Path that hands the body of a 200 to
// read, again on each attempt.
func (h *HTTP) get(ctx context.Context, req Request, read func(io.Reader) error) (Answer, error) {
	target := strings.TrimRight(h.BaseURL, "/") + req.Path
	etag := req.ETag
	var got Answer
	n, waited, err := h.retry(ctx, target, func() error {
		hreq, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
		if err != nil {
			return err
		}
		hreq.Header.Set("Accept", "application/json")
		if etag != "" {
			hreq.Header.Set("If-None-Match", etag)
		}
		resp, err := h.Client.Do(hreq)
		if err != nil {
			if permanentTLS(err) {
				return fmt.Errorf("GET %s: %w", httpurl.Redact(target), err)
			}
			return &transportError{err}
		}
		defer resp.Body.Close()
		got = Answer{ETag: resp.Header.Get("ETag"), Status: resp.StatusCode}
		if resp.StatusCode == http.StatusNotModified && etag != "" {
			got = Answer{ETag: etag, NotModified: true, Status: resp.StatusCode}
			return nil
		}
		if resp.StatusCode != http.StatusOK {
			return statusError(http.MethodGet, target, 0, resp)
		}
		body := &readRecorder{r: resp.Body}
		if err := read(body); err != nil {
			if body.err != nil {
				return &transportError{fmt.Errorf("GET %s: reading body: %w", httpurl.Redact(target), body.err)}
			}
			return fmt.Errorf("GET %s: %w", httpurl.Redact(target), err)
		}
		return nil
	})
	if err != nil {
		return Answer{}, err
	}
	got.Attempts, got.Waited = n, waited
	return got, nil
}

// retry runs attempt until it succeeds, fails in a way another attempt
// would not mend, has been tried Retries+1 times, or would wait past
// MaxElapsed; it says how many times it ran and how long it waited between
// attempts. Each retry is logged with the delay before it, and an error
// after retries says how many attempts and how much waiting it took.
func (h *HTTP) retry(ctx context.Context, target string, attempt func() error) (attempts int, waited time.Duration, err error) {
	start := time.Now()
	var next time.Duration // the wait before the next attempt
	var outOfTime bool     // the next wait would end past MaxElapsed
	counted := func() error {
		attempts++
		return attempt()
	}
	err = retry.Do(counted,
		retry.Context(ctx),
		retry.Attempts(h.Retries+1),
		retry.LastErrorOnly(true),
		// The delay is chosen when an attempt fails, so that the log can
		// say it and MaxElapsed can refuse it; retry-go then waits it.
		retry.DelayType(func(uint, error, *retry.Config) time.Duration { waited += next; return next }),
		retry.RetryIf(func(err error) bool {
			if !retryable(err) || attempts > int(h.Retries) || ctx.Err() != nil {
				return false
			}
			next = h.delay(attempts, err)
			if h.MaxElapsed > 0 && time.Since(start)+next > h.MaxElapsed {
				outOfTime = true
				return false
			}
			h.Logger.WarnContext(ctx, "request failed, retrying", "url", httpurl.Redact(target),
				"attempt", attempts, "of", h.Retries+1, "delay", next.Round(time.Millisecond), "err", err)
			return true
		}),
	)
	switch {
	case err == nil || ctx.Err() != nil || !retryable(err):
	case outOfTime:
		err = fmt.Errorf("%w (gave up after %d attempt(s) and %s of waiting: the next wait, %s, would pass --retry-max-elapsed %s)",
			err, attempts, waited.Round(time.Millisecond), next.Round(time.Millisecond), h.MaxElapsed)
	case attempts > 1:
		err = fmt.Errorf("%w (gave up after %d attempts and %s of waiting)", err, attempts, waited.Round(time.Millisecond))
	}
	return attempts, waited, err
}

// delay is the wait after the attempt-th attempt failed with err: the
// server's Retry-After when it gave one, else RetryDelay doubled each
// retry plus a random jitter of up to RetryDelay; at most maxRetryDelay.
func (h *HTTP) delay(attempt int, err error) time.Duration {
	var se *StatusError
	if errors.As(err, &se) && se.RetryAfter > 0 {
		return min(se.RetryAfter, maxRetryDelay)
	}
	d := maxRetryDelay
	if shift := attempt - 1; shift < 30 && h.RetryDelay < maxRetryDelay>>shift {
		d = h.RetryDelay << shift
	}
	return min(d+rand.N(h.RetryDelay), maxRetryDelay)
}

func (h *HTTP) String() string { return httpurl.Redact(h.BaseURL) }

// retryable reports whether an attempt's error is worth another attempt.
// A cancelled run is not: retry.Context stops the loop on its own.
func retryable(err error) bool {
	var te *transportError
	if errors.As(err, &te) {
		return true
	}
	var se *StatusError
	return errors.As(err, &se) && se.Temporary()
}

// permanentTLS reports a certificate the client rejects: another attempt
// would be rejected the same way.
func permanentTLS(err error) bool {
	var verify *tls.CertificateVerificationError
	var unknown x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var invalid x509.CertificateInvalidError
	return errors.As(err, &verify) || errors.As(err, &unknown) ||
		errors.As(err, &hostname) || errors.As(err, &invalid)
}

// retryAfter parses Retry-After (seconds or an HTTP date) on 429 and 503.
func retryAfter(resp *http.Response) time.Duration {
	if resp.StatusCode != http.StatusTooManyRequests && resp.StatusCode != http.StatusServiceUnavailable {
		return 0
	}
	v := strings.TrimSpace(resp.Header.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if secs, err := strconv.Atoi(v); err == nil && secs >= 0 {
		return time.Duration(secs) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := time.Until(t); d > 0 {
			return d
		}
	}
	return 0
}

// readRecorder remembers the first read error other than io.EOF, so a body
// cut off by the network can be told from a body that is itself malformed.
type readRecorder struct {
	r   io.Reader
	err error
}

func (r *readRecorder) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if err != nil && err != io.EOF && r.err == nil {
		r.err = err
	}
	return n, err
}
