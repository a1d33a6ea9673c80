package notify_test

import (
	"testing"

	"github.com/spacex-elt/loader/internal/notify"
)

// TestFailureSaysItOnce: issue 13 item 18, the text stuttered
// ("sync run 17 failed: run 17 failed: …"), as a run's error begins with
// what the text already says; so did the error field, beside run_id and
// status. Error keeps every line of the error.
func TestFailureSaysItOnce(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ msg, want, err string }{
		{"run 17 failed: resource rockets: HTTP 502\nmore", "spacex-loader: sync run 17 failed: resource rockets: HTTP 502",
			"resource rockets: HTTP 502\nmore"},
		{"connect: refused", "spacex-loader: sync run 17 failed: connect: refused", "connect: refused"},
		{"run 16 failed: x", "spacex-loader: sync run 17 failed: run 16 failed: x", "run 16 failed: x"},
	} {
		m := notify.Failure("sync", 17, tc.msg)
		if m.Text != tc.want || m.Error != tc.err || m.RunID != 17 || m.Status != "failed" {
			t.Errorf("Failure(%q) = %+v; want text %q and error %q", tc.msg, m, tc.want, tc.err)
		}
	}
}
