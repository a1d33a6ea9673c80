package httpurl_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/spacex-elt/loader/internal/httpurl"
)

// TestRedact (issue 13, item 3): a token in a URL's query or fragment is
// masked as its password is, wherever the URL is logged or stored.
func TestRedact(t *testing.T) {
	t.Parallel()
	cases := []struct{ raw, want string }{
		{"https://api.spacexdata.com", "https://api.spacexdata.com"},
		{"http://u:SECRET@h/base", "http://u:xxxxx@h/base"},
		{"http://h/base?tok=SECRET", "http://h/base?xxxxx"},
		{"http://h/base#SECRET", "http://h/base#xxxxx"},
		{"http://u:SECRET@h/base?tok=SECRET#SECRET", "http://u:xxxxx@h/base?xxxxx#xxxxx"},
		{"http://h/base?tok=SECRET/v4/rockets", "http://h/base?xxxxx"},
	}
	for _, tc := range cases {
		if got := httpurl.Redact(tc.raw); got != tc.want {
			t.Errorf("Redact(%q) = %q, want %q", tc.raw, got, tc.want)
		}
	}
}

// TestCheckBase (issue 13, item 3): a base URL with a query or fragment is
// refused, and no error quotes what follows ? or #.
func TestCheckBase(t *testing.T) {
	t.Parallel()
	for _, raw := range []string{"http://h/base?tok=SECRET", "http://h/base#SECRET", "http://h/base?", "http://h/base#", "https://h?tok=SECRET"} {
		err := httpurl.CheckBase(raw)
		if !errors.Is(err, httpurl.ErrQueryOrFragment) {
			t.Errorf("CheckBase(%q) = %v, want ErrQueryOrFragment", raw, err)
		}
	}
	for _, raw := range []string{"https://api.spacexdata.com", "http://u:p@127.0.0.1:8080/base/"} {
		if err := httpurl.CheckBase(raw); err != nil {
			t.Errorf("CheckBase(%q) = %v, want nil", raw, err)
		}
	}
	// Check, which webhooks' URLs take (their query may be needed), accepts
	// a query but does not quote it when it refuses the URL.
	if err := httpurl.Check("https://hooks.example/x?tok=SECRET"); err != nil {
		t.Errorf("Check refused a webhook URL with a query: %v", err)
	}
	if err := httpurl.Check("ftp://h/x?tok=SECRET#SECRET"); err == nil || strings.Contains(err.Error(), "SECRET") {
		t.Errorf("Check(ftp://…) = %v; want an error without the token", err)
	}
}
