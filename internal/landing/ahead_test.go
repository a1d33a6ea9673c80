package landing

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
)

// stream is Documents from a slice, ending with err; it counts the
// documents read from it.
type stream struct {
	docs [][]byte
	buf  []byte // reused, as a decoder's buffer is
	err  error
	read int
}

func (s *stream) Next() bool {
	if s.read == len(s.docs) {
		return false
	}
	s.buf = append(s.buf[:0], s.docs[s.read]...)
	s.read++
	return true
}

func (s *stream) Raw() []byte { return s.buf }

func (s *stream) Err() error {
	if s.read == len(s.docs) {
		return s.err
	}
	return nil
}

// TestReadAhead: what is read ahead is the stream, document by document,
// over batches of any size (one document larger than a batch included),
// then the stream's error; stopped early, the reading stops and leaves the
// stream alone, having read at most the batches it holds; stopped again,
// nothing happens.
func TestReadAhead(t *testing.T) {
	var in [][]byte
	for i := range 3*batchDocuments + 7 {
		size := 1 + i%300
		if i == 400 {
			size = 3 * batchBytes
		}
		in = append(in, bytes.Repeat([]byte{byte('a' + i%26)}, size))
	}
	broken := errors.New("broken")
	for _, want := range []error{nil, broken} {
		t.Run(fmt.Sprint(want), func(t *testing.T) {
			a := readAhead(&stream{docs: in, err: want})
			defer a.close()
			n := 0
			for a.Next() {
				if n >= len(in) || !bytes.Equal(a.Raw(), in[n]) {
					t.Fatalf("document %d: %d bytes, want %d bytes of %q", n, len(a.Raw()), len(in[n]), in[n][0])
				}
				n++
			}
			if n != len(in) || !errors.Is(a.Err(), want) {
				t.Errorf("read %d documents, then %v; want %d, then %v", n, a.Err(), len(in), want)
			}
			if a.Next() {
				t.Error("Next is true again after the end")
			}
		})
	}
	t.Run("stopped", func(t *testing.T) {
		s := &stream{docs: in}
		a := readAhead(s)
		if !a.Next() {
			t.Fatal(a.Err())
		}
		a.close()
		a.close() // again: nothing
		read := s.read
		if read > aheadBatches*batchDocuments {
			t.Errorf("read %d documents ahead, want at most %d", read, aheadBatches*batchDocuments)
		}
		s.Next() // the caller's again: a read still going would race with it
		if s.read != read+1 {
			t.Errorf("the stream read %d documents after close", s.read-read-1)
		}
	})
}
