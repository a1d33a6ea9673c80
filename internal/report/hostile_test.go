package report

import "testing"

// TestTagWithURL: only a tag naming a URL, a CSS url(), an href or a src
// is refused; a URL in the text between tags (a label) is not.
func TestTagWithURL(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ svg, want string }{
		{`<svg width="1"><text x="1">VLEO (see https://example.com)</text></svg>`, ""},
		{`<svg><text>&lt;img src=x&gt; href url(</text></svg>`, ""},
		{`<svg xmlns="http://www.w3.org/2000/svg"><g/></svg>`, `svg xmlns="http://www.w3.org/2000/svg"`},
		{`<svg><image xlink:href="data:image/png;base64,AA" /></svg>`, `image xlink:href="data:image/png;base64,AA" /`},
		{`<svg><path style="fill:url(#g)" /></svg>`, `path style="fill:url(#g)" /`},
		{`<svg><img SRC="x"></svg>`, `img SRC="x"`},
	} {
		if got := tagWithURL(c.svg); got != c.want {
			t.Errorf("tagWithURL(%q) = %q, want %q", c.svg, got, c.want)
		}
	}
}
