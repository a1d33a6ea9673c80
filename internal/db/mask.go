package db

import (
	"io"
	"strings"
)

// Mask replaces password with xxxxx, so that no log line, error or summary
// shows it. A password shorter than 4 characters is left alone: masking it
// would garble every line.
func Mask(password string) *strings.Replacer {
	if len(password) < 4 {
		return strings.NewReplacer()
	}
	return strings.NewReplacer(password, "xxxxx")
}

// MaskWriter returns w with every occurrence of password masked.
func MaskWriter(w io.Writer, password string) io.Writer {
	if len(password) < 4 {
		return w
	}
	return masked{w: w, r: Mask(password)}
}

type masked struct {
	w io.Writer
	r *strings.Replacer
}

func (m masked) Write(p []byte) (int, error) {
	if _, err := m.r.WriteString(m.w, string(p)); err != nil {
		return 0, err
	}
	return len(p), nil
}
