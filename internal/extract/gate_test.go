package extract

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"
)

// TestGate: a stream read while its hash is computed cannot end before the
// hash is known; once it is, the stream of a file the caller holds
// unchanged fails, at its end or at the next read, as does one whose hash
// failed (with that error), and any other reads on to its end.
func TestGate(t *testing.T) {
	broken := errors.New("read failed")
	for _, tc := range []struct {
		sum  string
		err  error
		want error
	}{{"held", nil, errUnchanged}, {"other", nil, io.EOF}, {"", broken, broken}} {
		t.Run(fmt.Sprint(tc.want), func(t *testing.T) {
			h := &fileSum{done: make(chan struct{})}
			g := &gate{r: strings.NewReader("[1,2,3]"), h: h, etag: (&fileSum{sum: "held"}).etag()}
			read := make(chan error, 1)
			go func() {
				_, err := io.ReadAll(g)
				if err == nil {
					err = io.EOF // ReadAll's clean end
				}
				read <- err
			}()
			select {
			case err := <-read:
				t.Fatalf("the stream ended (%v) before the hash was known", err)
			case <-time.After(50 * time.Millisecond):
			}
			h.sum, h.err = tc.sum, tc.err
			close(h.done)
			if err := <-read; !errors.Is(err, tc.want) {
				t.Errorf("the stream ended with %v, want %v", err, tc.want)
			}
			// Known before the next read: that read fails at once.
			g = &gate{r: strings.NewReader("[1,2,3]"), h: h, etag: (&fileSum{sum: "held"}).etag()}
			if _, err := io.ReadAll(g); tc.want != io.EOF && !errors.Is(err, tc.want) || tc.want == io.EOF && err != nil {
				t.Errorf("hash known first: the stream ended with %v, want %v", err, tc.want)
			}
		})
	}
}
