package extract

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	iofs "io/fs"
	"os"
	"path"
	"path/filepath"
)

// ErrChanged: a snapshot file is not the one its directory's manifest.json
// recorded (edited, truncated, replaced, or never recorded). A directory
// without a manifest is read as it is.
var ErrChanged = errors.New("does not match manifest.json")

// AcceptChanged is the snapshot directory read without checking its files
// against manifest.json: for a file changed on purpose.
func (d Dir) AcceptChanged() Source { return acceptChanged{d} }

// acceptChanged is a Dir that does not check its manifest.
type acceptChanged struct{ d Dir }

func (a acceptChanged) Stream(ctx context.Context, req Request, consume func(*Documents) error) (Answer, error) {
	return a.d.stream(ctx, req, consume, false)
}

func (a acceptChanged) String() string { return a.d.String() }

// manifest reads the directory's manifest.json; nil when it has none.
func (d Dir) manifest() (*Manifest, error) {
	name := filepath.Join(string(d), ManifestName)
	b, err := os.ReadFile(name)
	if errors.Is(err, iofs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return &m, nil
}

// verify checks the file name, read for req, whose sha256 is sum, against
// the manifest m: the file must be listed there with that hash. A file the
// manifest lists for req but the directory lacks is an error too (absent is
// what the manifest says was absent, nothing else).
func (d Dir) verify(m *Manifest, req Request, name, sum string) error {
	if m == nil {
		return nil
	}
	const hint = "; --accept-changed loads it as it is"
	if name == "" {
		for _, p := range append([]string{req.Path}, req.Alternates...) {
			rel := path.Clean(p)[1:] + ".json"
			for _, f := range m.Files {
				if f.Path == rel {
					return fmt.Errorf("%s: listed in %s, but missing", filepath.Join(string(d), filepath.FromSlash(rel)), ManifestName)
				}
			}
		}
		return nil
	}
	rel, err := filepath.Rel(string(d), name)
	if err != nil {
		return err
	}
	rel = filepath.ToSlash(rel)
	for _, f := range m.Files {
		if f.Path == rel {
			if f.SHA256 == sum {
				return nil
			}
			return fmt.Errorf("%s: %w: its sha256 is %s, the manifest records %s%s", name, ErrChanged, sum, f.SHA256, hint)
		}
	}
	return fmt.Errorf("%s: %w: the manifest does not list it%s", name, ErrChanged, hint)
}
