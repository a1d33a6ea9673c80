package landing

// ahead is Documents read on a goroutine of its own, a batch at a time:
// the source's scanning of the next documents runs beside the hashing and
// landing of these, on another core. It holds at most aheadBatches
// batches (a few MB), each document's bytes copied into its batch; Raw's
// slice is good until the next call to Next, as a stream's own is.
type ahead struct {
	full, free chan *batch
	stop       chan struct{}
	exited     chan struct{}
	cur        *batch
	i          int
	err        error
	closed     bool
}

// batch is documents end to end in arena; ends[i] is where the i-th ends.
// last: docs ended after them, with err.
type batch struct {
	arena []byte
	ends  []int
	last  bool
	err   error
}

// aheadBatches is how many batches are read ahead or being landed.
const aheadBatches = 3

// readAhead starts reading docs ahead. The caller must call close once it
// is done with it (after Next returned false, or to stop early): only then
// may docs be used again.
func readAhead(docs Documents) *ahead {
	a := &ahead{
		full:   make(chan *batch, aheadBatches),
		free:   make(chan *batch, aheadBatches),
		stop:   make(chan struct{}),
		exited: make(chan struct{}),
	}
	for range aheadBatches {
		a.free <- &batch{}
	}
	go a.read(docs)
	return a
}

func (a *ahead) read(docs Documents) {
	defer close(a.exited)
	for {
		var b *batch
		select {
		case b = <-a.free:
		case <-a.stop:
			return
		}
		b.arena, b.ends = b.arena[:0], b.ends[:0]
		for len(b.ends) < batchDocuments && len(b.arena) < batchBytes {
			if !docs.Next() {
				b.last, b.err = true, docs.Err()
				break
			}
			b.arena = append(b.arena, docs.Raw()...)
			b.ends = append(b.ends, len(b.arena))
		}
		select {
		case a.full <- b:
		case <-a.stop:
			return
		}
		if b.last {
			return
		}
	}
}

func (a *ahead) Next() bool {
	for a.cur == nil || a.i+1 >= len(a.cur.ends) {
		if a.cur != nil {
			if a.cur.last {
				a.err = a.cur.err
				return false
			}
			a.free <- a.cur
		}
		a.cur, a.i = <-a.full, -1
	}
	a.i++
	return true
}

func (a *ahead) Raw() []byte {
	start := 0
	if a.i > 0 {
		start = a.cur.ends[a.i-1]
	}
	return a.cur.arena[start:a.cur.ends[a.i]:a.cur.ends[a.i]]
}

func (a *ahead) Err() error { return a.err }

// close stops the reading, if it has not ended, and waits until it has;
// again, it does nothing.
func (a *ahead) close() {
	if a.closed {
		return
	}
	a.closed = true
	close(a.stop)
	<-a.exited
}
