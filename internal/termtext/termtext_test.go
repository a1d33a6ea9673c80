package termtext

import "testing"

func TestFirstLine(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"short", "short"},
		{"  padded  ", "padded"},
		{"two\nlines", "two…"},
		{"trailing\n", "trailing"},
		{"abcdefghij", "abcdefghij"},
		{"abcdefghijk", "abcdefghi…"},
		{"abcd efgh ijk", "abcd efgh…"},
		{"ééééééééééé", "ééééééééé…"},
	} {
		if got := FirstLine(tc.in, 10); got != tc.want {
			t.Errorf("FirstLine(%q, 10) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestEscape(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"Falcon 9 → LEO, café, 日本", "Falcon 9 → LEO, café, 日本"}, // ordinary text as it is
		{`C:\path "quoted" 100%`, `C:\path "quoted" 100%`},
		{"\x1b[2J\x1b[31mFAKE\x1b[0m\nforged line\r\a\x7f", `\x1b[2J\x1b[31mFAKE\x1b[0m\nforged line\r\a\x7f`},
		{"a\tb\x00c\x08d\x0be\x0cf", `a\tb\x00c\bd\ve\ff`},
		{"csi\u009b31m nel\u0085", `csi\u009b31m nel\u0085`},                               // C1 controls
		{"\u202eevil\u202c \u2066x\u2069 \u200f", `\u202eevil\u202c \u2066x\u2069 \u200f`}, // bidi
		{"line\u2028para\u2029", `line\u2028para\u2029`},
		{"bad \xff\xfe utf8, real \ufffd", `bad \xff\xfe utf8, real ` + "\ufffd"},
	} {
		if got := Escape(tc.in); got != tc.want {
			t.Errorf("Escape(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// FirstLine cuts at the first newline, then escapes what remains and cuts
// the escaped text to the width.
func TestFirstLineEscapes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"a\x1b[2Jb\nforged", `a\x1b[2Jb…`},
		{"\x1b\x1b\x1b", `\x1b\x1b\…`},
	} {
		if got := FirstLine(tc.in, 10); got != tc.want {
			t.Errorf("FirstLine(%q, 10) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
