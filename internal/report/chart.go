package report

import (
	"bytes"
	"fmt"
	"html"
	"image/color"
	"strconv"
	"strings"
	"unicode/utf8"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/spacex-elt/loader/internal/termtext"
)

// Chart size, in points.
const (
	chartW = 720
	chartH = 320
)

var (
	blue   = color.RGBA{R: 0x1f, G: 0x5f, B: 0xa8, A: 0xff}
	green  = color.RGBA{R: 0x2e, G: 0x8b, B: 0x57, A: 0xff}
	red    = color.RGBA{R: 0xc0, G: 0x39, B: 0x2b, A: 0xff}
	grey   = color.RGBA{R: 0x99, G: 0x99, B: 0x99, A: 0xff}
	orange = color.RGBA{R: 0xe6, G: 0x7e, B: 0x22, A: 0xff}
)

// sans is the charts' font. The SVG names it (font-family: Liberation
// Sans) and embeds nothing; a browser without it falls back to its own.
var sans = font.Font{Typeface: "Liberation", Variant: "Sans"}

func newPlot(title, ylabel string, labels []string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font = sans
	p.Title.TextStyle.Font.Size = 12
	p.Y.Label.Text = ylabel
	for _, ts := range []*font.Font{&p.X.Label.TextStyle.Font, &p.Y.Label.TextStyle.Font, &p.X.Tick.Label.Font, &p.Y.Tick.Label.Font, &p.Legend.TextStyle.Font} {
		size := ts.Size
		*ts = sans
		ts.Size = size
	}
	p.Y.Min = 0
	p.Legend.Top = true
	if len(labels) == 0 {
		p.Title.Text += " (no data)"
		p.X.Max, p.Y.Max = 1, 1
	} else {
		p.NominalX(labels...)
	}
	return p
}

// num reads a figure as a float for drawing; NULL is absent.
func num(v *string) (float64, bool) {
	if v == nil {
		return 0, false
	}
	f, err := strconv.ParseFloat(*v, 64)
	return f, err == nil
}

// series is one set of bars: column col of every row, NULL drawn as 0.
type series struct {
	name  string
	col   int
	color color.Color
	scale float64 // 0 means 1
}

// bars adds grouped (or, with stack, stacked) bar charts of rows to a plot
// span points wide.
func bars(p *plot.Plot, span vg.Length, rows []Row, stack bool, ss ...series) error {
	if len(rows) == 0 {
		return nil
	}
	// The data area is about 85% of the plot; the bars of a row take 60%
	// of its share.
	width := span * 0.85 * 0.6 / vg.Length(len(rows))
	if !stack {
		width /= vg.Length(len(ss))
	}
	var below *plotter.BarChart
	for i, s := range ss {
		vs := make(plotter.Values, len(rows))
		for j, r := range rows {
			v, _ := num(r.Values[s.col])
			if s.scale != 0 {
				v *= s.scale
			}
			vs[j] = v
		}
		b, err := plotter.NewBarChart(vs, width)
		if err != nil {
			return fmt.Errorf("bars %s: %w", s.name, err)
		}
		b.Color = s.color
		b.LineStyle.Width = 0
		if stack {
			if below != nil {
				b.StackOn(below)
			}
			below = b
		} else {
			b.Offset = width * (vg.Length(i) - vg.Length(len(ss)-1)/2)
		}
		p.Add(b)
		if len(ss) > 1 {
			p.Legend.Add(s.name, b)
		}
	}
	return nil
}

// labels are the rows' labels as a chart's axis shows them.
func labels(rows []Row) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = tickLabel(r.Label)
	}
	return out
}

// maxTick is the most characters a chart's axis gives a row's label.
const maxTick = 24

// tickLabel is a row's label on one line, its control and bidirectional
// formatting characters escaped as the text reports escape them (ESC as
// \x1b, a newline as \n), cut to maxTick characters with an ellipsis. The
// table under the chart shows the label whole. gonum/plot gives an axis
// the room its widest label and its tallest (by lines) need: one label of
// 2,000 characters, or of 26 lines, left no room for the bars.
func tickLabel(s string) string {
	s = termtext.Escape(s)
	if utf8.RuneCountInString(s) > maxTick {
		s = string([]rune(s)[:maxTick-1]) + "…"
	}
	return s
}

// svg draws the plots in a grid of rows and columns and returns the SVG
// element to inline in the page: no XML prolog, no namespace attributes
// (HTML needs none), and no tag that names a URL. Text from the API, which
// gonum/plot writes escaped as the content of <text> elements, may hold
// one: it is shown, never followed.
func svg(label string, grid [][]*plot.Plot, w, h vg.Length) (string, error) {
	c := vgsvg.New(w, h)
	dc := draw.New(c)
	if len(grid) == 1 && len(grid[0]) == 1 {
		grid[0][0].Draw(dc)
	} else {
		tiles := draw.Tiles{Rows: len(grid), Cols: len(grid[0]), PadX: vg.Points(24), PadY: vg.Points(12)}
		canvases := plot.Align(grid, tiles, dc)
		for i := range grid {
			for j, p := range grid[i] {
				p.Draw(canvases[i][j])
			}
		}
	}
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return "", fmt.Errorf("render chart %q: %w", label, err)
	}
	out := buf.String()
	start := strings.Index(out, "<svg")
	if start < 0 {
		return "", fmt.Errorf("render chart %q: no <svg> element", label)
	}
	out = out[start:]
	out = strings.Replace(out, "\n\txmlns=\"http://www.w3.org/2000/svg\"\n\txmlns:xlink=\"http://www.w3.org/1999/xlink\"", "", 1)
	if tag := tagWithURL(out); tag != "" {
		return "", fmt.Errorf("render chart %q: the SVG refers to a URL in a tag: <%s>", label, tag)
	}
	return strings.Replace(out, "<svg ", `<svg class="chart" role="img" aria-label="`+html.EscapeString(label)+`" `, 1), nil
}

// tagWithURL returns the first tag of an SVG element that could name or
// load something outside the page (a URL, a CSS url(), an href or src
// attribute), or "" when none does. Only tags are read: the text between
// them is the charts' labels, escaped by gonum/plot (so it holds no "<"),
// and a label such as "VLEO (see https://example.com)" is the API's text.
func tagWithURL(svg string) string {
	for _, part := range strings.Split(svg, "<")[1:] {
		tag, _, _ := strings.Cut(part, ">")
		l := strings.ToLower(tag)
		for _, bad := range []string{"://", "url(", "href", "src"} {
			if strings.Contains(l, bad) {
				return tag
			}
		}
	}
	return ""
}

func costChart(s Section) (string, error) {
	var rows []Row
	for _, r := range s.Tables[0].Rows {
		if _, ok := num(r.Values[3]); ok {
			rows = append(rows, r)
		}
	}
	p := newPlot(s.Title, "USD per kg", labels(rows))
	if err := bars(p, chartW, rows, false, series{name: "cost per kg", col: 3, color: blue}); err != nil {
		return "", err
	}
	return svg(s.Title, [][]*plot.Plot{{p}}, chartW, chartH)
}

func launchesChart(s Section) (string, error) {
	rows := s.Tables[0].Rows
	top := newPlot("Launches flown per year", "launches", labels(rows))
	top.Legend.Left = true
	if err := bars(top, chartW, rows, true,
		series{name: "succeeded", col: 1, color: green},
		series{name: "failed", col: 2, color: red},
		series{name: "outcome unknown", col: 3, color: grey},
	); err != nil {
		return "", err
	}
	bottom := newPlot("Success rate per year", "success rate (%)", labels(rows))
	bottom.Y.Max = 100
	var xys plotter.XYs
	for i, r := range rows {
		if v, ok := num(r.Values[5]); ok {
			xys = append(xys, plotter.XY{X: float64(i), Y: v * 100})
		}
	}
	if len(xys) > 0 {
		line, points, err := plotter.NewLinePoints(xys)
		if err != nil {
			return "", fmt.Errorf("success rate: %w", err)
		}
		line.Color, points.Color = blue, blue
		points.Shape = draw.CircleGlyph{}
		bottom.Add(line, points)
	}
	return svg(s.Title, [][]*plot.Plot{{top}, {bottom}}, chartW, chartH*3/2)
}

func boostersChart(s Section) (string, error) {
	landings := s.Tables[0].Rows
	left := newPlot("Landing attempts by type", "attempts", labels(landings))
	if err := bars(left, chartW/2, landings, false,
		series{name: "attempts", col: 0, color: blue},
		series{name: "successes", col: 1, color: green},
	); err != nil {
		return "", err
	}
	reuse := s.Tables[1].Rows
	right := newPlot("Cores by number of flights", "cores", labels(reuse))
	right.X.Label.Text = "flights"
	if err := bars(right, chartW/2, reuse, false, series{name: "cores", col: 0, color: orange}); err != nil {
		return "", err
	}
	return svg(s.Title, [][]*plot.Plot{{left, right}}, chartW, chartH)
}

func orbitsChart(s Section) (string, error) {
	rows := s.Tables[0].Rows
	p := newPlot(s.Title, "mass (t)", labels(rows))
	p.X.Tick.Label.Rotation = 0.6
	p.X.Tick.Label.XAlign = draw.XRight
	if err := bars(p, chartW, rows, false,
		series{name: "flown", col: 2, color: blue, scale: 0.001},
		series{name: "delivered", col: 5, color: green, scale: 0.001},
	); err != nil {
		return "", err
	}
	return svg(s.Title, [][]*plot.Plot{{p}}, chartW, chartH)
}

func fairingsChart(s Section) (string, error) {
	rows := s.Tables[0].Rows
	p := newPlot(s.Title, "launches", labels(rows))
	p.Legend.Left = true
	if err := bars(p, chartW, rows, false,
		series{name: "recovery attempts", col: 3, color: blue},
		series{name: "recovered", col: 4, color: green},
	); err != nil {
		return "", err
	}
	return svg(s.Title, [][]*plot.Plot{{p}}, chartW, chartH)
}
