package pgtest

import (
	"errors"
	"testing"
)

// CI counts as set for any non-empty value other than "false" or "0".
func TestCISet(t *testing.T) {
	for v, want := range map[string]bool{
		"":           false,
		"false":      false,
		"FALSE":      false,
		"False":      false,
		"0":          false,
		" 0 ":        false,
		"  ":         false,
		"true":       true,
		"TRUE":       true,
		"1":          true,
		"yes":        true,
		"on":         true,
		"woodpecker": true,
	} {
		if got := ciSet(v); got != want {
			t.Errorf("CI=%q counts as set: %v, want %v", v, got, want)
		}
	}
}

// inCI reads the CI variable itself.
func TestInCIReadsEnv(t *testing.T) {
	for v, want := range map[string]bool{"": false, "false": false, "0": false, "true": true, "1": true} {
		t.Setenv("CI", v)
		if got := inCI(); got != want {
			t.Errorf("CI=%q: inCI() = %v, want %v", v, got, want)
		}
	}
}

// A test without what it needs (a server, one it may restart) fails under
// CI and is skipped elsewhere.
func TestUnavailable(t *testing.T) {
	for ci, want := range map[string]string{"true": "fail", "": "skip", "false": "skip"} {
		t.Setenv("CI", ci)
		r := (&recorder{TB: t}).run(func(t testing.TB) { unavailable(t, "no server", errors.New("none found")) })
		got := "none"
		switch {
		case r.fatal && len(r.errors) == 1 && len(r.skips) == 0:
			got = "fail"
		case !r.fatal && len(r.errors) == 0 && len(r.skips) == 1 && r.skips[0] == "no server: none found":
			got = "skip"
		}
		if got != want {
			t.Errorf("CI=%q: %s (errors %q, skips %q), want %s", ci, got, r.errors, r.skips, want)
		}
	}
}
