package report

import (
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestWriteFileMode: a new report gets 0666 less the umask, and one
// written over an existing file keeps that file's mode (issue 13 item 5).
// Not parallel: the umask is the process's.
func TestWriteFileMode(t *testing.T) {
	for _, c := range []struct {
		name     string
		umask    int
		existing fs.FileMode // 0: no file before
		want     fs.FileMode
	}{
		{"new under umask 077", 0o077, 0, 0o600},
		{"new under umask 022", 0o022, 0, 0o644},
		{"new under umask 027", 0o027, 0, 0o640},
		{"over a 0600 file under umask 022", 0o022, 0o600, 0o600},
		{"over a 0664 file under umask 077", 0o077, 0o664, 0o664},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "report.html")
			if c.existing != 0 {
				if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
					t.Fatal(err)
				}
				if err := os.Chmod(path, c.existing); err != nil {
					t.Fatal(err)
				}
			}
			old := syscall.Umask(c.umask)
			err := WriteFile(path, Data{})
			syscall.Umask(old)
			if err != nil {
				t.Fatal(err)
			}
			st, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if got := st.Mode().Perm(); got != c.want {
				t.Errorf("mode %04o, want %04o", got, c.want)
			}
			if left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".*")); len(left) > 0 {
				t.Errorf("temporary files left: %v", left)
			}
		})
	}
}
