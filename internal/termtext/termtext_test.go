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
