package report

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"time"

	"github.com/spacex-elt/loader/internal/atomicfile"
)

// page is the whole document: inline CSS, inline SVG, no script, and no
// reference to anything outside the file.
var page = template.Must(template.New("report").Funcs(template.FuncMap{
	"show": Show,
}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>SpaceX launches: gold report</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 64rem; padding: 0 1rem; color: #222; }
h1 { font-size: 1.6rem; }
h2 { font-size: 1.25rem; margin-top: 2.5rem; border-bottom: 1px solid #ccc; }
svg.chart { display: block; width: 100%; height: auto; margin: 1rem 0; }
table { border-collapse: collapse; margin: 1rem 0; font-size: 0.9rem; }
caption { text-align: left; font-weight: bold; padding: 0.25rem 0; }
th, td { border: 1px solid #ddd; padding: 0.2rem 0.5rem; }
td { text-align: right; font-variant-numeric: tabular-nums; }
th[scope=row] { text-align: left; font-weight: normal; }
thead th { background: #f3f3f3; }
.note, .sync { color: #555; }
code { font-size: 0.9em; }
</style>
</head>
<body>
<h1>SpaceX launches</h1>
{{if .LastSyncOK -}}
<p class="sync" id="last-sync">Data last synced <time datetime="{{.LastSyncAttr}}">{{.LastSyncText}}</time> (run {{.LastRunID}}, the newest succeeded run, from <code>gold.freshness</code>).</p>
{{- else -}}
<p class="sync" id="last-sync">No sync has succeeded yet (<code>gold.freshness</code> is empty): the figures below are empty.</p>
{{- end}}
<p class="note">From the gold views of the warehouse. Rates are successes ÷ (successes + failures); “—” is an unknown figure (NULL). Each chart is followed by the exact figures it draws.</p>
{{range .Sections}}
<section id="{{.ID}}">
<h2>{{.Title}}</h2>
<p class="note">{{.Note}}</p>
{{.SVG}}
{{range .Tables -}}
<table data-view="{{.View}}">
<caption>{{if .Caption}}{{.Caption}}{{else}}{{.KeyLabel}}{{end}} (<code>{{.View}}</code>)</caption>
<thead><tr><th scope="col">{{.KeyLabel}}</th>{{range .Columns}}<th scope="col">{{.Label}}</th>{{end}}</tr></thead>
<tbody>
{{- $t := . }}
{{- range .Rows}}{{$r := .}}
<tr><th scope="row">{{.Label}}</th>{{range $i, $c := $t.Columns}}{{$v := index $r.Values $i}}<td data-view="{{$t.View}}" data-key="{{$r.Key}}" data-col="{{$c.Name}}"{{if $v}} data-value="{{$v}}"{{end}}>{{show $v $c.Format}}</td>{{end}}</tr>
{{- end}}
</tbody>
</table>
{{end -}}
</section>
{{end}}
</body>
</html>
`))

type pageSection struct {
	Section
	SVG template.HTML
}

type pageData struct {
	Data
	Sections     []pageSection
	LastSyncAttr string
	LastSyncText string
}

// Render writes the page for d.
func Render(w io.Writer, d Data) error {
	pd := pageData{Data: d}
	if d.LastSyncOK {
		at := d.LastSync.UTC()
		pd.LastSyncAttr = at.Format(time.RFC3339)
		pd.LastSyncText = at.Format("2006-01-02 15:04:05 UTC")
	}
	for _, s := range d.Sections {
		svg, err := s.chart(s)
		if err != nil {
			return fmt.Errorf("chart %q: %w", s.Title, err)
		}
		// The SVG is ours, built from figures gonum/plot escapes itself.
		pd.Sections = append(pd.Sections, pageSection{Section: s, SVG: template.HTML(svg)})
	}
	var buf bytes.Buffer
	if err := page.Execute(&buf, pd); err != nil {
		return err
	}
	_, err := w.Write(controlRefs(buf.Bytes()))
	return err
}

// controlRefs writes each control character of the page but tab and
// newline (the C0 controls, carriage return included, and DEL) as a
// numeric character reference, &#27; for ESC. A browser reads the
// reference back as the same character, in text and attribute values alike
// (a raw carriage return it would read as a newline), while the page's
// bytes can no longer steer a terminal that shows them (loader report
// --out -, cat report.html). html/template and gonum/plot escape markup,
// not these. A C1 control (U+0080 to U+009F) stays as it is: a reference
// to one reads as a windows-1252 character.
func controlRefs(page []byte) []byte {
	out := make([]byte, 0, len(page))
	for _, c := range page {
		if c < 0x20 && c != '\t' && c != '\n' || c == 0x7f {
			out = fmt.Appendf(out, "&#%d;", c)
			continue
		}
		out = append(out, c)
	}
	return out
}

// WriteFile renders the page into path atomically: into a temporary file
// beside it, renamed over path only once complete, so a reader never sees
// half a report and a failure leaves the old one. Its mode is atomicfile's:
// a new file's follows the umask, an existing one's is kept.
func WriteFile(path string, d Data) error {
	var buf bytes.Buffer
	if err := Render(&buf, d); err != nil {
		return err
	}
	return atomicfile.WriteFile(path, func(w io.Writer) error {
		_, err := w.Write(buf.Bytes())
		return err
	})
}
