package landing

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
)

// blockHashes is how many hashes a block of a hashStore holds: 64 KiB.
const blockHashes = 2048

// hashStore is a list of sha256 hashes end to end in fixed blocks: it
// grows by a block at a time, never copying what it holds (a slice that
// doubled would hold up to twice the 6.5 MB of an extract of 205,000
// documents, and copy it), and its blocks are what landing.manifests is
// sent.
type hashStore struct {
	blocks [][]byte
}

func (s *hashStore) len() int {
	if len(s.blocks) == 0 {
		return 0
	}
	return ((len(s.blocks)-1)*blockHashes*sha256.Size + len(s.blocks[len(s.blocks)-1])) / sha256.Size
}

// add appends sum.
func (s *hashStore) add(sum *[sha256.Size]byte) {
	if n := len(s.blocks); n == 0 || len(s.blocks[n-1]) == cap(s.blocks[n-1]) {
		s.blocks = append(s.blocks, make([]byte, 0, blockHashes*sha256.Size))
	}
	last := &s.blocks[len(s.blocks)-1]
	*last = append(*last, sum[:]...)
}

// at returns the i-th hash (from 0), a slice of its block.
func (s *hashStore) at(i int) []byte {
	b := s.blocks[i/blockHashes]
	j := i % blockHashes * sha256.Size
	return b[j : j+sha256.Size : j+sha256.Size]
}

// hashIndex finds hashes of a hashStore: an open-addressing table of
// their positions (plus one; 0 is empty) by their first 8 bytes, each
// found compared whole with the store. 4 to 8 bytes a hash, against the 40
// and more a map keyed by the hash takes.
type hashIndex struct {
	store *hashStore
	slots []int32
	n     int
}

func (x *hashIndex) slot(sum []byte) uint64 { return binary.LittleEndian.Uint64(sum[:8]) }

// has reports whether sum is in the index.
func (x *hashIndex) has(sum *[sha256.Size]byte) bool {
	if x.n == 0 {
		return false
	}
	mask := uint64(len(x.slots) - 1)
	for i := x.slot(sum[:]) & mask; ; i = (i + 1) & mask {
		at := x.slots[i]
		if at == 0 {
			return false
		}
		if bytes.Equal(x.store.at(int(at-1)), sum[:]) {
			return true
		}
	}
}

// add records that the store's i-th hash is sum; sum must not be in the
// index yet.
func (x *hashIndex) add(sum *[sha256.Size]byte, i int) {
	if 2*(x.n+1) > len(x.slots) {
		x.grow()
	}
	x.put(sum[:], int32(i+1))
	x.n++
}

func (x *hashIndex) put(sum []byte, at int32) {
	mask := uint64(len(x.slots) - 1)
	i := x.slot(sum) & mask
	for x.slots[i] != 0 {
		i = (i + 1) & mask
	}
	x.slots[i] = at
}

// grow doubles the table, keeping it at most half full.
func (x *hashIndex) grow() {
	old := x.slots
	x.slots = make([]int32, max(1024, 2*len(old)))
	for _, at := range old {
		if at != 0 {
			x.put(x.store.at(int(at-1)), at)
		}
	}
}
