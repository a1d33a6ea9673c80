package extract

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	iofs "io/fs"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"time"

	"github.com/spacex-elt/loader/internal/httpurl"
)

// ManifestName is the file, in a recorded directory, that says what was
// recorded, when and from where.
const ManifestName = "manifest.json"

// ErrNotEmpty: Record was asked to record into a directory that already
// holds something, without replace.
var ErrNotEmpty = errors.New("directory exists and is not empty")

// Manifest is the content of a recorded directory's manifest.json.
type Manifest struct {
	// RecordedAt is when the recording began, UTC, RFC 3339.
	RecordedAt string `json:"recorded_at"`
	// Source is the API's base URL, without credentials or query.
	Source string `json:"source"`
	// PageSize is the documents per /query page, or 0 for plain GETs.
	PageSize int            `json:"page_size"`
	Files    []ManifestFile `json:"files"`
	// Absent lists the routes the API answered 404: no file was written.
	Absent []string `json:"absent"`
}

// ManifestFile describes one recorded file.
type ManifestFile struct {
	// Path is the file's path in the directory, slash-separated, such as
	// "v4/rockets.json".
	Path string `json:"path"`
	// Request is what was asked: "GET /v4/rockets", or
	// "POST /v4/rockets/query" for a paged read.
	Request   string `json:"request"`
	SHA256    string `json:"sha256"`
	Bytes     int64  `json:"bytes"`
	Documents int    `json:"documents"`
	// ETag is the one the API sent with a GET; a paged read has none.
	ETag string `json:"etag,omitempty"`
}

// Record reads every resource of reqs from src and writes it into dir, so
// that Dir(dir) reads it back: the answer to a GET of a route as received,
// byte for byte, in <route>.json, or with src.PageSize, the docs of every
// /query page as one JSON array. A resource the API answers 404 is left out
// and listed as absent. It then writes manifest.json.
//
// dir must not exist or be empty, unless replace; then the files of reqs
// that the recording does not write (an alternate route's, one now absent)
// are removed, so that dir reads back as the manifest says. Every file is
// written under a temporary name and renamed into place only once every
// resource has been read: a failure leaves no file, whole or partial,
// under a final name.
func Record(ctx context.Context, src *HTTP, dir string, replace bool, reqs ...Request) (*Manifest, error) {
	m := &Manifest{
		RecordedAt: time.Now().UTC().Format(time.RFC3339),
		Source:     publicURL(src.BaseURL),
		PageSize:   src.PageSize,
		Files:      []ManifestFile{},
		Absent:     []string{},
	}
	created, err := prepareDir(dir, replace)
	if err != nil {
		return nil, err
	}
	var temps []string // temporary files, in the order of m.Files
	committed := false
	defer func() {
		if committed {
			return
		}
		for _, t := range temps {
			os.Remove(t)
		}
		// Directories this call created, if empty.
		for i := len(created) - 1; i >= 0; i-- {
			os.Remove(created[i])
		}
	}()
	var stale []string
	for _, req := range reqs {
		name := filepath.Join(dir, filepath.FromSlash(req.Path)+".json")
		made, err := mkdirAll(filepath.Dir(name))
		created = append(created, made...)
		if err != nil {
			return nil, err
		}
		f, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".tmp-*")
		if err != nil {
			return nil, err
		}
		temps = append(temps, f.Name())
		file, err := recordOne(ctx, src, req, f)
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("%s: %w", f.Name(), cerr)
		}
		for _, alt := range req.Alternates {
			stale = append(stale, filepath.Join(dir, filepath.FromSlash(alt)+".json"))
		}
		if errors.Is(err, ErrAbsent) {
			os.Remove(f.Name())
			temps = temps[:len(temps)-1]
			m.Absent = append(m.Absent, req.Path)
			stale = append(stale, name)
			continue
		}
		if err != nil {
			return nil, err
		}
		file.Path = path.Clean(req.Path)[1:] + ".json"
		m.Files = append(m.Files, file)
	}
	if len(m.Files) == 0 {
		return nil, fmt.Errorf("%s answered 404 for every resource: is it the API's base URL?", m.Source)
	}
	for i, t := range temps {
		if err := os.Rename(t, filepath.Join(dir, filepath.FromSlash(m.Files[i].Path))); err != nil {
			return nil, err
		}
	}
	committed = true
	written := map[string]bool{}
	for _, f := range m.Files {
		written[filepath.Join(dir, filepath.FromSlash(f.Path))] = true
	}
	for _, s := range stale {
		if written[s] {
			continue
		}
		if err := os.Remove(s); err != nil && !errors.Is(err, iofs.ErrNotExist) {
			return nil, err
		}
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := writeFileAtomic(filepath.Join(dir, ManifestName), append(b, '\n')); err != nil {
		return nil, err
	}
	return m, nil
}

// recordOne writes one resource's extract into f, again from the start on
// each attempt, and describes it.
func recordOne(ctx context.Context, src *HTTP, req Request, f *os.File) (ManifestFile, error) {
	var n int
	start := func() error {
		n = 0
		if err := f.Truncate(0); err != nil {
			return err
		}
		_, err := f.Seek(0, io.SeekStart)
		return err
	}
	var file ManifestFile
	if src.PageSize > 0 && !req.Object {
		file.Request = http.MethodPost + " " + req.Path + "/query"
		_, _, err := src.streamPages(ctx, req, func(docs *Documents) error {
			if err := start(); err != nil {
				return err
			}
			w := &errWriter{w: f}
			w.write([]byte("["))
			for docs.Next() {
				if n > 0 {
					w.write([]byte(","))
				}
				w.write([]byte("\n"))
				w.write(docs.Raw())
				n++
			}
			if err := docs.Err(); err != nil {
				return err
			}
			if n > 0 {
				w.write([]byte("\n"))
			}
			w.write([]byte("]\n"))
			return w.err
		})
		if err != nil {
			return file, err
		}
	} else {
		file.Request = http.MethodGet + " " + req.Path
		got, err := src.get(ctx, req, func(body io.Reader) error {
			if err := start(); err != nil {
				return err
			}
			// The decoder reads the body to its end, so the file gets
			// every byte; it counts and checks the documents on the way.
			docs := newDocuments(io.TeeReader(body, f), req.Object, "response", 0)
			for docs.Next() {
				n++
			}
			return docs.Err()
		})
		if err != nil {
			return file, err
		}
		file.ETag = got.ETag
	}
	if err := f.Sync(); err != nil {
		return file, fmt.Errorf("%s: %w", f.Name(), err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return file, err
	}
	h := sha256.New()
	size, err := io.Copy(h, f)
	if err != nil {
		return file, fmt.Errorf("%s: %w", f.Name(), err)
	}
	if err := f.Chmod(0o644); err != nil {
		return file, err
	}
	file.SHA256, file.Bytes, file.Documents = hex.EncodeToString(h.Sum(nil)), size, n
	return file, nil
}

// prepareDir makes sure dir can be recorded into, creating it if need be;
// it returns the directories it created.
func prepareDir(dir string, replace bool) ([]string, error) {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, iofs.ErrNotExist):
		return mkdirAll(dir)
	case err != nil:
		return nil, err
	case len(entries) > 0 && !replace:
		return nil, fmt.Errorf("%s: %w", dir, ErrNotEmpty)
	}
	return nil, nil
}

// mkdirAll is os.MkdirAll that returns the directories it created,
// outermost first.
func mkdirAll(dir string) ([]string, error) {
	var missing []string
	for d := filepath.Clean(dir); ; d = filepath.Dir(d) {
		if _, err := os.Stat(d); err == nil {
			break
		} else if !errors.Is(err, iofs.ErrNotExist) {
			return nil, err
		}
		missing = append([]string{d}, missing...)
		if filepath.Dir(d) == d {
			break
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	return missing, nil
}

// writeFileAtomic writes name through a temporary file and a rename.
func writeFileAtomic(name string, b []byte) error {
	f, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // fails once renamed
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), name)
}

// errWriter keeps the first write error, so a loop of writes checks once.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) write(b []byte) {
	if e.err == nil {
		_, e.err = e.w.Write(b)
	}
}

// publicURL is raw without user info, query or fragment, for a record.
func publicURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return httpurl.Redact(raw)
	}
	u.User, u.RawQuery, u.Fragment = nil, "", ""
	return u.String()
}
