// Package atomicfile replaces a file whole: the bytes go to a temporary
// file beside it, which is then renamed over it, so a reader sees the old
// file or the new one, never half of one, and a failure leaves the old.
package atomicfile

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// ErrIsDir: the path names a directory, which a file cannot replace.
var ErrIsDir = errors.New("is a directory")

// Check says whether path can be written: it must not name a directory.
// Check it before any work whose result WriteFile would then refuse.
func Check(path string) error {
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return fmt.Errorf("%s: %w", path, ErrIsDir)
	}
	return nil
}

// WriteFile writes what write writes to path, atomically. A new file gets
// mode 0666 less the umask, as the shell's > and os.Create give; an
// existing file keeps its mode, so a file made private stays private.
//
// The temporary file is created with mode 0666 and the kernel applies the
// umask (and a directory's default ACL), which reading the umask with
// syscall.Umask could not do without changing it for the whole process.
func WriteFile(path string, write func(io.Writer) error) error {
	if err := Check(path); err != nil {
		return err
	}
	mode, keep := fs.FileMode(0), false
	if st, err := os.Stat(path); err == nil {
		mode, keep = st.Mode().Perm(), true
	}
	f, err := create(filepath.Dir(path), "."+filepath.Base(path)+".tmp-")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(f.Name()) // after a successful rename, nothing
	err = write(f)
	if err == nil && keep {
		err = f.Chmod(mode)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// create makes a new file in dir whose name starts with prefix, as
// os.CreateTemp does, but with mode 0666 (before the umask) where
// os.CreateTemp gives 0600.
func create(dir, prefix string) (*os.File, error) {
	for range 100 {
		var b [8]byte
		_, _ = rand.Read(b[:])
		f, err := os.OpenFile(filepath.Join(dir, prefix+hex.EncodeToString(b[:])), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
		if !errors.Is(err, fs.ErrExist) {
			return f, err
		}
	}
	return nil, fmt.Errorf("create a temporary file in %s: too many tries", dir)
}
