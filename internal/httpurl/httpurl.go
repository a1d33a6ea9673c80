// Package httpurl checks and redacts the http(s) URLs the loader is given:
// the API's, a notification webhook's, a Pushgateway's. Any of them may
// hold a secret (user info, or a webhook's path), so what reaches a log or
// an error names at most the scheme and host.
package httpurl

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// Check accepts an http:// or https:// URL with a host. Its error never
// quotes the URL's user info.
func Check(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		// url's error quotes the whole URL, which may hold a secret.
		var uerr *url.Error
		if errors.As(err, &uerr) {
			return fmt.Errorf("not a valid URL: %v", uerr.Err)
		}
		return errors.New("not a valid URL")
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return fmt.Errorf("want an http:// or https:// URL with a host, got %q", Redact(raw))
	}
	return nil
}

// ErrQueryOrFragment: a base URL, to which routes are appended, has a
// query or a fragment. Its text does not quote them: a token is often put
// there.
var ErrQueryOrFragment = errors.New("want a base URL without a query (?…) or fragment (#…): " +
	"routes are appended to its path, and what follows ? or # often holds a token; not shown here")

// CheckBase is Check for a base URL, to which routes are appended: one with
// a query or fragment fails with ErrQueryOrFragment.
func CheckBase(raw string) error {
	if err := Check(raw); err != nil {
		return err
	}
	u, _ := url.Parse(raw)
	if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.Contains(raw, "#") {
		return ErrQueryOrFragment
	}
	return nil
}

// Redact masks a URL's password, query and fragment with xxxxx, so it can
// be logged or stored: a token may hide in any of them.
func Redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparseable URL)"
	}
	if u.RawQuery != "" || u.ForceQuery {
		u.RawQuery, u.ForceQuery = "xxxxx", false
	}
	if u.Fragment != "" || u.RawFragment != "" {
		u.Fragment, u.RawFragment = "xxxxx", ""
	}
	return u.Redacted()
}

// Host is a URL's scheme and host, for logs of a URL whose path is a
// secret.
func Host(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparseable URL)"
	}
	return u.Scheme + "://" + u.Host
}

// ErrorWithout is err's text without raw: a *url.Error's own cause, or the
// text with the URL cut down to its Host.
func ErrorWithout(err error, raw string) string {
	if uerr := (*url.Error)(nil); errors.As(err, &uerr) {
		return uerr.Err.Error()
	}
	return strings.ReplaceAll(err.Error(), raw, Host(raw))
}
