package pgtest

import "testing"

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
