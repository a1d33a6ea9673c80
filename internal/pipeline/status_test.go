package pipeline_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/spacex-elt/loader/internal/ledger"
	"github.com/spacex-elt/loader/internal/pipeline"
)

// TestStatus: the outcome the summary and the metrics report for what Sync
// or Replay returned, as README.md lists them: locked when another run
// held the lock (exit 3), cancelled when interrupted (exit 130), failed
// for any other error, however deeply each is wrapped.
func TestStatus(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		err  error
		want ledger.Status
	}{
		{nil, ledger.StatusSucceeded},
		{fmt.Errorf("take the run lock: %w", pipeline.ErrLocked), ledger.StatusLocked},
		{fmt.Errorf("run 7 cancelled: resource rockets: %w", context.Canceled), ledger.StatusCancelled},
		{fmt.Errorf("run 7 failed: %w", pipeline.ErrShrink), ledger.StatusFailed},
		{errors.New("connect to postgres://loader@db/spacex: refused"), ledger.StatusFailed},
	} {
		if got := pipeline.Status(tc.err); got != tc.want {
			t.Errorf("Status(%v) = %q, want %q", tc.err, got, tc.want)
		}
	}
}
