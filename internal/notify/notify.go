// Package notify posts a short JSON message about a run that needs a human,
// as dlt's and Airbyte's failure notifications do. The body is a Slack
// incoming webhook's (a text field), with the run's details beside it for
// any other receiver.
package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/spacex-elt/loader/internal/check"
	"github.com/spacex-elt/loader/internal/httpurl"
	"github.com/spacex-elt/loader/internal/ledger"
)

// Message is what is posted.
type Message struct {
	// Text is the one line a chat shows.
	Text    string `json:"text"`
	Command string `json:"command"`
	RunID   int64  `json:"run_id,omitempty"`
	Status  string `json:"status"`
	Error   string `json:"error,omitempty"`
	// Checks names the failed checks of severity error, for loader check.
	Checks []string `json:"failed_checks,omitempty"`
}

// Post sends m to url as JSON. Any answer but 2xx is an error.
func Post(ctx context.Context, client *http.Client, url string, m Message) error {
	body, err := json.Marshal(m)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("notification answered HTTP %d", resp.StatusCode)
	}
	return nil
}

// Failure is the message of a run of command that failed with the error
// text msg (already free of passwords). Neither the text nor the error
// says "run N failed" twice, whether or not msg begins with it, as a run's
// own error does: error is msg without it (run_id and status say it), the
// text its first line after it.
func Failure(command string, runID int64, msg string) Message {
	msg = strings.TrimPrefix(msg, fmt.Sprintf("run %d failed: ", runID))
	first, _, _ := strings.Cut(msg, "\n")
	return Message{
		Text:    fmt.Sprintf("spacex-loader: %s run %d failed: %s", command, runID, first),
		Command: command, RunID: runID, Status: string(ledger.StatusFailed), Error: msg,
	}
}

// ChecksFailed is the message of the checks of severity error that failed
// among results, after a run of command (runID 0: loader check itself).
func ChecksFailed(command string, runID int64, results []check.Result) Message {
	var failed []string
	for _, r := range results {
		if r.Status() == "fail" {
			failed = append(failed, fmt.Sprintf("%s (%d)", r.Name, r.Violations))
		}
	}
	return Message{
		Text:    fmt.Sprintf("spacex-loader: %d data check(s) of severity error failed: %s", len(failed), strings.Join(failed, ", ")),
		Command: command, RunID: runID, Status: "checks failed", Checks: failed,
	}
}

// Send posts m to url, whatever the state of ctx: the run it reports is
// over, and what ended it must not stop the news. A failure is logged
// without the URL's path, which is the webhook's secret, and changes
// nothing.
func Send(ctx context.Context, logger *slog.Logger, url string, m Message) {
	if err := Post(context.WithoutCancel(ctx), &http.Client{}, url, m); err != nil {
		logger.ErrorContext(ctx, "notification not delivered", "to", httpurl.Host(url), "err", httpurl.ErrorWithout(err, url))
	}
}
