package extract

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
)

// slowDocuments is Documents over an array as it was before the fast
// path: encoding/json's decoder behind the capped reader, for every byte.
func slowDocuments(r io.Reader, max int64) *Documents {
	br, skipped := skipBOM(r)
	d := &Documents{noun: "file", skipped: skipped}
	var in io.Reader = br
	if max > 0 {
		d.capped = newCapped(br, max, inArray, 0, &d.oversized)
		in = d.capped
	}
	d.dec = json.NewDecoder(in)
	return d
}

// read is what a Documents yields: every document, the stand-ins listed
// and the error.
func read(d *Documents) string {
	var b strings.Builder
	for d.Next() {
		fmt.Fprintf(&b, "%q\n", d.Raw())
	}
	fmt.Fprintf(&b, "oversized %v\nerr %v", d.Oversized(), d.Err())
	return b.String()
}

// fastCases are inputs on both sides of every path of the fast one.
var fastCases = []string{
	``, ` `, `[]`, ` [ ] `, `[`, `]`, `{}`, `null`, `"a"`, `[] x`, `[]]`, `[],`,
	`[{"id":"a"}, {"id": "b", "n": [1, 2.5, -0, 1e5, 2E-3, 0.5e+7]}]`,
	`[{"id":"a"} {"id":"b"}]`, `[{"id":"a"},]`, `[,{"id":"a"}]`, `[{"id":"a"}, {"id":`, `[{"id":"a"},`,
	`[1, "a\"]}", [[{"x":"}"}]], true, -2.5e3 ,null]`, `[1,2 3]`, `[01]`, `[-]`, `[1.]`, `[1e]`, `[.5]`, `[1.5.]`,
	`[true, false, null]`, `[tru]`, `[truex]`, `[nul`, `[{"a":1}.5]`, `["a"1]`, `[{"a" 1}]`, `[{"a":}]`, `[{"a":1,}]`,
	`[{1:2}]`, `[{"a":1]`, `[[1}]`, "[\"a\tb\"]", `["\u00e9\ud800\u0000"]`, `["\x"]`, `["\u12"]`, `["\u12g4"]`,
	"[\"\xff\xfe\"]", "\ufeff[{\"id\":\"a\"}]", "\ufeff[{\"id\":\"a\"} {}]", `[{"id":"a"}] [`, "[\n\t{\"a\" : [ ] , \"b\":{ }}\r\n]\n",
	`["` + strings.Repeat("y", 100) + `"]`, `[{"id":"b","s":"` + strings.Repeat("x", 40) + `"}, 7]`,
	`[` + strings.Repeat("[", 600) + strings.Repeat("]", 600) + `]`,
	`[{"a":"` + strings.Repeat(`\"`, 30) + `"},{"b":[` + strings.Repeat(`1,`, 30) + `1]}]`,
}

// manyDocuments is an array of n documents of about 500 bytes, with
// white space of every kind between and inside them, then tail.
func manyDocuments(n int, tail string) string {
	var b strings.Builder
	b.WriteString(" [ ")
	for i := range n {
		if i > 0 {
			b.WriteString([]string{",", " ,\n\t", ",\r\n  "}[i%3])
		}
		fmt.Fprintf(&b, `{"id": "%d", "s" : "%s", "n":[1, 2.5e3 ,{}]}`, i, strings.Repeat("é", 220))
	}
	b.WriteString(tail)
	return b.String()
}

// TestFastArrayAsSlow: the fast path hands on what encoding/json's decoder
// behind the capped reader did, and fails with the same error, for every
// case, size limit, buffer size and way of reading.
func TestFastArrayAsSlow(t *testing.T) {
	t.Parallel()
	for _, in := range fastCases {
		checkFastArray(t, []byte(in))
	}
	// Far enough in for the replay to take several strings.
	for _, tail := range []string{`]`, `,{"a" 1}]`, `, {"a":`, `,` + strings.Repeat(" ", 70000) + `[1 2]`, `] x`, `, {"big": "` + strings.Repeat("z", 100) + `"}]`} {
		checkFastArray(t, []byte(manyDocuments(400, tail)))
	}
}

func FuzzFastArray(f *testing.F) {
	for _, in := range fastCases {
		f.Add([]byte(in))
	}
	f.Fuzz(func(t *testing.T, in []byte) { checkFastArray(t, in) })
}

var errBroken = errors.New("connection reset")

func checkFastArray(t *testing.T, in []byte) {
	t.Helper()
	readers := map[string]func([]byte) io.Reader{
		"whole":    func(b []byte) io.Reader { return bytes.NewReader(b) },
		"one byte": func(b []byte) io.Reader { return iotest.OneByteReader(bytes.NewReader(b)) },
		"half":     func(b []byte) io.Reader { return iotest.HalfReader(bytes.NewReader(b)) },
		"broken": func(b []byte) io.Reader {
			return io.MultiReader(bytes.NewReader(b[:len(b)*2/3]), errReader{errBroken})
		},
		"truncated": func(b []byte) io.Reader {
			return io.MultiReader(bytes.NewReader(b[:len(b)*2/3]), errReader{io.ErrUnexpectedEOF})
		},
	}
	for _, max := range []int64{0, 1, 2, 5, 12, 60} {
		for name, reader := range readers {
			want := read(slowDocuments(reader(in), max))
			for _, chunk := range []int{1, 3, 16, fastChunk} {
				d := newDocuments(reader(in), false, "file", max)
				d.fast.chunk = chunk
				if got := read(d); got != want {
					g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
					i := 0
					for i < min(len(g), len(w)) && g[i] == w[i] {
						i++
					}
					t.Fatalf("%.200q, limit %d, %s reader, buffers of %d: from line %d:\n%.300s\nwant\n%.300s",
						in, max, name, chunk, i, strings.Join(g[i:], "\n"), strings.Join(w[i:], "\n"))
				}
			}
		}
	}
}

// TestFastArrayKeepsDocuments: a document handed on stays as it was while
// later ones are read (landing holds a batch of them), and appending to it
// writes over nothing.
func TestFastArrayKeepsDocuments(t *testing.T) {
	t.Parallel()
	var in strings.Builder
	var want []string
	in.WriteString("[")
	for i := range 2000 {
		doc := fmt.Sprintf(`{"id":"%d","s":"%s"}`, i, strings.Repeat("x", i%97))
		want = append(want, doc)
		if i > 0 {
			in.WriteString(",\n")
		}
		in.WriteString(doc)
	}
	in.WriteString("]")
	d := newDocuments(iotest.HalfReader(strings.NewReader(in.String())), false, "file", 0)
	d.fast.chunk = 4096
	var held [][]byte
	for d.Next() {
		held = append(held, d.Raw())
		_ = append(d.Raw(), "garbage"...)
	}
	if d.Err() != nil || d.fast == nil {
		t.Fatalf("err %v, fast path left: %v", d.Err(), d.fast == nil)
	}
	got := make([]string, len(held))
	for i, h := range held {
		got[i] = string(h)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("documents changed after being handed on")
	}
}

// TestPlain8: the word test agrees with strPlain, byte by byte, for every
// byte value at every position among plain bytes of every kind (ASCII,
// 0x7F, UTF-8's high bytes, the bytes just past the special ones), and
// for random words.
func TestPlain8(t *testing.T) {
	t.Parallel()
	want := func(b []byte) bool {
		for _, c := range b {
			if !strPlain[c] {
				return false
			}
		}
		return true
	}
	for _, fill := range []byte{'a', ' ', 0x7f, 0x80, 0xff, '#', ']', 0x21, 0x5d} {
		for pos := range 8 {
			for c := range 256 {
				b := bytes.Repeat([]byte{fill}, 8)
				b[pos] = byte(c)
				if got := plain8(binary.LittleEndian.Uint64(b)); got != want(b) {
					t.Fatalf("plain8(% x) = %v, want %v", b, got, want(b))
				}
			}
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	b := make([]byte, 8)
	for range 1_000_000 {
		binary.LittleEndian.PutUint64(b, r.Uint64())
		if got := plain8(binary.LittleEndian.Uint64(b)); got != want(b) {
			t.Fatalf("plain8(% x) = %v, want %v", b, got, want(b))
		}
	}
}

// TestFastArrayReadErrorNoReplay: a reader that fails mid-document ends the
// stream with its error, where the decoder would, without handing the
// array over to the decoder, which would replay every document handed on
// (a Dir stream cut short by its hash is such a failure).
func TestFastArrayReadErrorNoReplay(t *testing.T) {
	t.Parallel()
	in := `[{"id":"a"},{"id":"b"},{"id":"c"}]`
	d := newDocuments(io.MultiReader(strings.NewReader(in[:20]), errReader{errBroken}), false, "file", 0)
	n := 0
	for d.Next() {
		n++
	}
	if n != 1 || !errors.Is(d.Err(), errBroken) {
		t.Errorf("%d documents, then %v; want 1, then %v", n, d.Err(), errBroken)
	}
	if d.dec != nil {
		t.Error("the decoder took over from the fast path")
	}
}
