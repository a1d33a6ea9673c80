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
	"net/http"
	"time"
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
