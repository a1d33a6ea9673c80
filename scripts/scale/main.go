// Command scale writes a copy of an API snapshot scaled N times, for
// scripts/bench:
//
//	go run ./scripts/scale -n 100 -src testdata/spacex-api -out /tmp/x100
//
// DIR/v4/<resource>.json is written for every file of the source's v4/
// directory. launches and payloads are repeated N times; every other resource
// (rockets, launchpads, cores, crew, ...) is copied unchanged, so the
// launches' rocket, launchpad and core references still resolve.
//
// Copy 0 keeps the source's ids; copy k > 0 gets fresh ids, derived from the
// original id and k alone (the first 24 hex digits of a sha256), so the
// references stay consistent: copy k of a launch lists copy k of its
// payloads, and copy k of a payload points at copy k of its launch. A
// reference to an id the source does not hold points at an id that is just as
// absent, fresh per copy too. Generated ids are checked to be unique.
//
// Apart from those ids, every document keeps the source's bytes: members in
// their order, numbers and strings in their exact text, laid out as the API
// does (two-space indentation), so copy 0 is byte-identical to the source.
//
// With -edit launches.FIELD=VALUE -edits K, K of the launches whose FIELD
// is not VALUE (JSON) get VALUE instead, spread evenly over the copies:
// what scripts/bench changes between two syncs.
//
// It also writes DIR/floor/launches.jsonl and DIR/floor/payloads.jsonl, the
// same documents compact, one per line, for psql's \copy (see
// scripts/bench-floor.sql).
//
// Memory stays flat as N grows: the source documents are held once and each
// copy is written out as it is made.
package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

func main() {
	n := flag.Int("n", 1, "how many copies of launches and payloads")
	src := flag.String("src", "testdata/spacex-api", "snapshot directory to scale (reads SRC/v4/*.json)")
	out := flag.String("out", "", "directory to write (required)")
	flag.Var(&change, "edit", "RESOURCE.FIELD=JSON: the value -edits documents get (RESOURCE launches or payloads)")
	flag.IntVar(&change.count, "edits", 0, "how many documents -edit changes")
	flag.Parse()
	if *n < 1 || *out == "" || flag.NArg() > 0 || (change.count > 0) != (change.field != "") {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*n, *src, *out); err != nil {
		fmt.Fprintln(os.Stderr, "scale:", err)
		os.Exit(1)
	}
}

// edit is the -edit flag: count documents of resource get field = value.
type edit struct {
	resource, field string
	value           json.RawMessage
	count           int
}

// change is the -edit and -edits flags.
var change edit

func (e *edit) String() string {
	if e.field == "" {
		return ""
	}
	return e.resource + "." + e.field + "=" + string(e.value)
}

func (e *edit) Set(s string) error {
	path, value, ok := strings.Cut(s, "=")
	resource, field, dot := strings.Cut(path, ".")
	if !ok || !dot || scaled[resource] == nil || field == "" || scaled[resource][field] {
		return fmt.Errorf("want launches.FIELD=JSON or payloads.FIELD=JSON, FIELD not an id, not %q", s)
	}
	var c bytes.Buffer
	if err := json.Compact(&c, []byte(value)); err != nil {
		return fmt.Errorf("%s: %w", value, err)
	}
	e.resource, e.field, e.value = resource, field, c.Bytes()
	return nil
}

// scaled names the resources that are repeated, and the members of their
// documents that hold ids to rewrite: the document's own id, and references
// to the other scaled resource.
var scaled = map[string]map[string]bool{
	"launches": {"id": true, "payloads": true},
	"payloads": {"id": true, "launch": true},
}

func run(n int, src, out string) error {
	files, err := filepath.Glob(filepath.Join(src, "v4", "*.json"))
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return fmt.Errorf("no %s", filepath.Join(src, "v4", "*.json"))
	}
	for _, d := range []string{"v4", "floor"} {
		if err := os.MkdirAll(filepath.Join(out, d), 0o755); err != nil {
			return err
		}
	}
	for _, f := range files {
		resource := strings.TrimSuffix(filepath.Base(f), ".json")
		dst := filepath.Join(out, "v4", resource+".json")
		if rewrite, ok := scaled[resource]; ok {
			var e edit
			if change.resource == resource {
				e = change
			}
			err = scale(f, dst, filepath.Join(out, "floor", resource+".jsonl"), n, rewrite, e)
		} else {
			err = copyFile(f, dst)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", resource, err)
		}
	}
	return nil
}

// member is one key and its value, compact, as the source has them.
type member struct {
	key     string
	keyJSON []byte // key encoded, with the colon
	value   json.RawMessage
}

// scale writes n copies of the documents of the JSON array in src, as an
// indented array to dst and one compact document per line to jsonl, with
// e made.
func scale(src, dst, jsonl string, n int, rewrite map[string]bool, e edit) error {
	docs, err := readDocs(src)
	if err != nil {
		return err
	}
	// The documents e may change (their field is not its value), counted
	// over all copies; the i-th of e.count changes is the one at position
	// (2i+1)·candidates/(2·count) among them.
	var candidates int
	for _, d := range docs {
		if differs(d, e) {
			candidates += n
		}
	}
	if e.count > candidates {
		return fmt.Errorf("-edits %d: only %d documents have %s other than %s", e.count, candidates, e.field, e.value)
	}
	candidate, edited := 0, 0
	arr, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer arr.Close()
	lines, err := os.Create(jsonl)
	if err != nil {
		return err
	}
	defer lines.Close()
	aw, lw := bufio.NewWriterSize(arr, 1<<20), bufio.NewWriterSize(lines, 1<<20)

	seen := map[string]bool{} // the ids written, to prove they are unique
	var doc, indented bytes.Buffer
	first := true
	for k := 0; k < n; k++ {
		for _, d := range docs {
			doc.Reset()
			if differs(d, e) {
				if edited < e.count && candidate == (2*edited+1)*candidates/(2*e.count) {
					d = with(d, e)
					edited++
				}
				candidate++
			}
			id, err := encode(&doc, d, k, rewrite)
			if err != nil {
				return err
			}
			if id != "" {
				if seen[id] {
					return fmt.Errorf("id %s repeats (copy %d)", id, k)
				}
				seen[id] = true
			}
			lw.Write(doc.Bytes())
			lw.WriteByte('\n')
			indented.Reset()
			if err := json.Indent(&indented, doc.Bytes(), "  ", "  "); err != nil {
				return err
			}
			if first {
				aw.WriteString("[\n  ")
				first = false
			} else {
				aw.WriteString(",\n  ")
			}
			aw.Write(indented.Bytes())
		}
	}
	if first {
		aw.WriteString("[")
	} else {
		aw.WriteString("\n")
	}
	aw.WriteString("]")
	for _, f := range []interface {
		Flush() error
	}{aw, lw} {
		if err := f.Flush(); err != nil {
			return err
		}
	}
	if err := arr.Close(); err != nil {
		return err
	}
	return lines.Close()
}

// differs reports whether e would change d: d's e.field is not e.value
// (an absent field counts as null).
func differs(d []member, e edit) bool {
	if e.count == 0 {
		return false
	}
	for _, m := range d {
		if m.key == e.field {
			return !bytes.Equal(m.value, e.value)
		}
	}
	return !bytes.Equal(e.value, []byte("null"))
}

// with is d with e.field set to e.value (appended when d lacks it).
func with(d []member, e edit) []member {
	out := slices.Clone(d)
	for i, m := range out {
		if m.key == e.field {
			out[i].value = e.value
			return out
		}
	}
	key, _ := marshal(e.field)
	return append(out, member{key: e.field, keyJSON: append(key, ':'), value: e.value})
}

// readDocs reads a JSON array of objects, keeping each object's members in
// order with their values compact.
func readDocs(name string) ([][]member, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	dec := json.NewDecoder(bufio.NewReader(f))
	dec.UseNumber()
	if err := delim(dec, '['); err != nil {
		return nil, err
	}
	var docs [][]member
	for dec.More() {
		if err := delim(dec, '{'); err != nil {
			return nil, fmt.Errorf("document %d: %w", len(docs), err)
		}
		var d []member
		for dec.More() {
			t, err := dec.Token()
			if err != nil {
				return nil, err
			}
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return nil, err
			}
			var c bytes.Buffer
			if err := json.Compact(&c, raw); err != nil {
				return nil, err
			}
			key, err := marshal(t.(string))
			if err != nil {
				return nil, err
			}
			d = append(d, member{key: t.(string), keyJSON: append(key, ':'), value: c.Bytes()})
		}
		if err := delim(dec, '}'); err != nil {
			return nil, err
		}
		docs = append(docs, d)
	}
	if err := delim(dec, ']'); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("data after the top-level array")
	}
	return docs, nil
}

func delim(dec *json.Decoder, want json.Delim) error {
	t, err := dec.Token()
	if err != nil {
		return err
	}
	if t != want {
		return fmt.Errorf("want %v, got %v", want, t)
	}
	return nil
}

// encode writes copy k of a document, compact, and returns its id.
func encode(w *bytes.Buffer, d []member, k int, rewrite map[string]bool) (string, error) {
	var id string
	w.WriteByte('{')
	for i, m := range d {
		if i > 0 {
			w.WriteByte(',')
		}
		w.Write(m.keyJSON)
		v := m.value
		if rewrite[m.key] && k > 0 {
			var err error
			if v, err = freshIDs(v, k); err != nil {
				return "", fmt.Errorf("member %q: %w", m.key, err)
			}
		}
		if m.key == "id" {
			var s string
			if json.Unmarshal(v, &s) == nil {
				id = s
			}
		}
		w.Write(v)
	}
	w.WriteByte('}')
	return id, nil
}

// freshIDs rewrites an id, or the ids of an array, for copy k. Values that
// are not strings (null, say) are kept.
func freshIDs(v json.RawMessage, k int) (json.RawMessage, error) {
	var s string
	if json.Unmarshal(v, &s) == nil {
		return marshal(copyID(s, k))
	}
	var arr []json.RawMessage
	if json.Unmarshal(v, &arr) != nil || arr == nil {
		return v, nil
	}
	var b bytes.Buffer
	b.WriteByte('[')
	for i, e := range arr {
		if i > 0 {
			b.WriteByte(',')
		}
		if json.Unmarshal(e, &s) == nil {
			e, _ = marshal(copyID(s, k))
		}
		b.Write(e)
	}
	b.WriteByte(']')
	return b.Bytes(), nil
}

// copyID is the id of copy k of the record with id: 24 hex digits, like the
// API's own ids.
func copyID(id string, k int) string {
	sum := sha256.Sum256([]byte("scale/" + strconv.Itoa(k) + "/" + id))
	return hex.EncodeToString(sum[:12])
}

// marshal encodes a string as JSON without escaping <, > and &, as the
// API's own output does not.
func marshal(s string) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
