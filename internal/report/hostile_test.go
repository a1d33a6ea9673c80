package report

import (
	"bytes"
	"html"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// hostileLabels are row labels as the API may send them (an orbit, a
// rocket's name, a landing type): a URL in the text, markup, escape codes
// and line breaks, a bidi override, and sizes an axis cannot hold.
var hostileLabels = []string{
	"VLEO (see https://example.com)",
	`"><img src=x onerror=alert(1)>`,
	"</text><script>alert(1)</script>",
	"\x1b[2J\x1b[31mFAKE\x1b[0m\nforged line\r\a\x7f",
	"\u202egnp.exe",
	strings.Repeat("L", 2000),
	strings.Repeat("line\n", 26),
}

// withRows is s with n rows in each table: row i labelled label(i), every
// figure i+1.
func withRows(s Section, n int, label func(int) string) Section {
	s.Tables = slices.Clone(s.Tables)
	for j := range s.Tables {
		t := &s.Tables[j]
		t.Rows = nil
		for i := range n {
			vals := make([]*string, len(t.Columns))
			for c := range vals {
				v := strconv.Itoa(i + 1)
				vals[c] = &v
			}
			t.Rows = append(t.Rows, Row{Key: label(i), Label: label(i), Values: vals})
		}
	}
	return s
}

var (
	fillRe = regexp.MustCompile(`<path d="[^"]*" style="fill:(#[0-9A-Fa-f]{6})`)
	textRe = regexp.MustCompile(`<text[^>]*>([^<]*)</text>`)
)

// fills counts a chart's filled shapes by colour: its bars, and the
// legend's boxes.
func fills(svg string) map[string]int {
	n := map[string]int{}
	for _, m := range fillRe.FindAllStringSubmatch(svg, -1) {
		n[m[1]]++
	}
	return n
}

// texts are the contents of an SVG's <text> elements, unescaped.
func texts(svg string) []string {
	var out []string
	for _, m := range textRe.FindAllStringSubmatch(svg, -1) {
		out = append(out, html.UnescapeString(m[1]))
	}
	return out
}

// TestChartsKeepEveryBar: a chart whose rows carry the hostile labels draws
// the same bars as one whose rows are called a, b, c: no label takes the
// room of the bars (one of 2,000 characters, or of 26 lines, left none, and
// the cost chart drew no bar at all). Each label on an axis is one line of
// at most 24 characters without a control character, a URL in it shown as
// text; and no chart fails.
func TestChartsKeepEveryBar(t *testing.T) {
	t.Parallel()
	for _, s := range sections() {
		t.Run(s.ID, func(t *testing.T) {
			t.Parallel()
			plain, err := s.chart(withRows(s, len(hostileLabels), func(i int) string { return string(rune('a' + i)) }))
			if err != nil {
				t.Fatal(err)
			}
			hostile, err := s.chart(withRows(s, len(hostileLabels), func(i int) string { return hostileLabels[i] }))
			if err != nil {
				t.Fatalf("hostile labels: %v", err)
			}
			want, got := fills(plain), fills(hostile)
			if len(want) < 2 {
				t.Fatalf("the plain chart has fills %v: no bars to compare", want)
			}
			if !maps.Equal(got, want) {
				t.Errorf("filled shapes by colour: %v with the hostile labels, %v with plain ones", got, want)
			}
			// The texts the plain chart lacks are the hostile rows' labels.
			shown := map[string]bool{}
			for _, text := range texts(plain) {
				shown[text] = true
			}
			var labels []string
			for _, text := range texts(hostile) {
				if !shown[text] {
					labels = append(labels, text)
				}
			}
			// (The launches and boosters charts have two panels.)
			if len(labels) == 0 || len(labels)%len(hostileLabels) != 0 {
				t.Errorf("the chart shows %d labels the plain one lacks, want %d per panel: %q", len(labels), len(hostileLabels), labels)
			}
			for _, text := range labels {
				if n := utf8.RuneCountInString(text); n > 24 || strings.ContainsFunc(text, unicode.IsControl) {
					t.Errorf("axis label %q: %d characters, want one line of at most 24", text, n)
				}
			}
			for _, w := range []string{"VLEO (see https://", `\x1b[2J\x1b[31mFAKE`, `&#34;&gt;&lt;img src=x`} {
				if !strings.Contains(hostile, w) {
					t.Errorf("the chart lacks the label %q; its labels: %q", w, labels)
				}
			}
		})
	}
}

// TestRenderHostileText: a page whose every row carries the hostile labels
// as label and key renders, and its bytes hold no control character but
// newline and tab: each is a character reference (ESC as &#27;, so that
// the page shown in a terminal, loader report --out -, steers nothing).
// The browser test in cmd/loader checks the same page's text, keys and
// scripts in Chromium.
func TestRenderHostileText(t *testing.T) {
	t.Parallel()
	d := Data{}
	for _, s := range sections() {
		d.Sections = append(d.Sections, withRows(s, len(hostileLabels), func(i int) string { return hostileLabels[i] }))
	}
	var buf bytes.Buffer
	if err := Render(&buf, d); err != nil {
		t.Fatalf("render: %v", err)
	}
	page := buf.String()
	for i := 0; i < len(page); i++ {
		if c := page[i]; c < 0x20 && c != '\n' && c != '\t' || c == 0x7f {
			t.Fatalf("byte %d of the page is %#02x: %q", i, c, page[max(0, i-40):min(len(page), i+40)])
		}
	}
	for _, w := range []string{
		`data-key="&#27;[2J&#27;[31mFAKE&#27;[0m` + "\n" + `forged line&#13;&#7;&#127;"`,
		`<th scope="row">&lt;/text&gt;&lt;script&gt;alert(1)&lt;/script&gt;</th>`,
	} {
		if !strings.Contains(page, w) {
			t.Errorf("the page lacks %q", w)
		}
	}
}

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
