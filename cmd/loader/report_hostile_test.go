package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/spacex-elt/loader/internal/extract"
	"github.com/spacex-elt/loader/internal/pgtest"
	"github.com/spacex-elt/loader/internal/resources"
)

// pwn is a script that marks the page as run: it sets the <html>
// element's data-pwned attribute, which the browser test reads back.
func pwn(tag string) string {
	return `document.documentElement.setAttribute('data-pwned','` + tag + `')`
}

// hostileTexts are strings the API could send, each of them planted as an
// orbit and a landing type (both of which the report shows, as row headers,
// keys and axis labels), and some as rocket names, launch names, customers
// and crew agencies. Each orbit and landing type is a key of a btree index
// (of gold.payload_mass_by_orbit, gold.landings_by_type), so none is over
// about 2.7 kB (docs/reliability.md: such a value fails the refresh).
var hostileTexts = []string{
	"\x1b[2J\x1b[31mFAKE\x1b[0m\nforged line\r\a\x7f",
	`<script>` + pwn("script") + `</script>`,
	`"><img src=x onerror="` + pwn("img") + `">`,
	`'><svg onload=` + pwn("svg") + `>`,
	`javascript:` + pwn("javascript-url"),
	`<a href="javascript:` + pwn("a") + `">click</a>`,
	"VLEO (see https://example.com)",
	`<img src="https://example.com/pixel.png"><link rel=stylesheet href=https://example.com/x.css>`,
	`</text></svg><script>` + pwn("svg-text") + `</script>`,
	`]]><!-- </style><style>body{background:url(https://example.com/bg.png)}</style>`,
	`Robert'); DROP TABLE bronze.launches; -- ' OR '1'='1`,
	`{{.}} {{template "report"}} %s %v $1 \x00 &amp; &#60; &lt;`,
	"\u202eLEO\u202c \u2066gnp.exe\u2069 \u200f",
	strings.Repeat("VeryLongOrbit-", 140),
}

// hostileRocketID replaces the id of the first rocket, in rockets and in
// every launch that names it: the report's cost table keys its rows by it.
var hostileRocketID = `"><img src=x onerror="` + pwn("rocket-id") + `">`

// hostileRocketNames are the four rockets' names; the last is 10,000
// characters (no index holds it) behind a right-to-left override.
var hostileRocketNames = []string{
	hostileTexts[0], hostileTexts[1], hostileTexts[8],
	"\u202e" + strings.Repeat("Falcon ", 1430),
}

// editSnapshot rewrites resource's file under dir with edit.
func editSnapshot(t *testing.T, dir, resource string, edit func(docs []map[string]any)) {
	t.Helper()
	i := slices.IndexFunc(resources.All, func(r resources.Resource) bool { return r.Name == resource })
	if i < 0 {
		t.Fatalf("no resource %s", resource)
	}
	file, err := extract.Dir(dir).File(extract.Request{Path: resources.All[i].Path, Alternates: resources.All[i].Alternates})
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var docs []map[string]any
	if err := dec.Decode(&docs); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	edit(docs)
	if b, err = json.MarshalIndent(docs, "", "  "); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// hostileSnapshot is the bundled snapshot with the hostile strings planted
// by editing its JSON.
func hostileSnapshot(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "snapshot")
	if err := os.CopyFS(dir, os.DirFS(snapshot)); err != nil {
		t.Fatal(err)
	}
	var oldRocketID any
	editSnapshot(t, dir, "rockets", func(docs []map[string]any) {
		oldRocketID, docs[0]["id"] = docs[0]["id"], hostileRocketID
		for i, name := range hostileRocketNames {
			docs[i]["name"] = name
		}
	})
	editSnapshot(t, dir, "launches", func(docs []map[string]any) {
		planted := 0
		for i, l := range docs {
			if l["rocket"] == oldRocketID {
				l["rocket"] = hostileRocketID
			}
			l["name"] = hostileTexts[i%len(hostileTexts)]
			cores, _ := l["cores"].([]any)
			if planted == len(hostileTexts) || l["upcoming"] != false || len(cores) == 0 {
				continue
			}
			if core, ok := cores[0].(map[string]any); ok && core["landing_attempt"] == true {
				core["landing_type"] = hostileTexts[planted]
				planted++
			}
		}
	})
	editSnapshot(t, dir, "payloads", func(docs []map[string]any) {
		for i, p := range docs {
			if i < len(hostileTexts) {
				p["orbit"] = hostileTexts[i]
			}
			p["customers"] = []any{hostileTexts[i%len(hostileTexts)], "NASA"}
		}
	})
	editSnapshot(t, dir, "crew", func(docs []map[string]any) {
		for i, c := range docs {
			c["agency"] = hostileTexts[i%len(hostileTexts)]
		}
	})
	return dir
}

// column reads a text column of a gold view, every row.
func column(t *testing.T, pool *pgxpool.Pool, query string) []string {
	t.Helper()
	rows, err := pool.Query(context.Background(), query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s *string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		if s != nil {
			out = append(out, *s)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestReportHostileText syncs a snapshot whose orbits, landing types,
// rocket names and one rocket's id, launch names, customers and crew
// agencies are hostile: escape codes, a newline and a carriage return,
// <script>, "><img onerror=…>, an <svg onload>, javascript: URLs, https://
// text, markup that closes the SVG's <text> or a <style>, SQL, template
// syntax, entities, right-to-left overrides, 2,000 and 10,000 characters.
// Each script sets data-pwned on <html>.
//
// loader report exits 0 (an orbit holding "https://" made it exit 1);
// the page, and the same page on stdout, hold no control character but
// newline and tab; its figures equal the views'. In the browser no script
// runs (data-pwned unset, no <script>, <img>, <a> or any element the
// report does not write, no on… attribute), nothing but the page is
// requested, no attribute but data-key (the row's key, the API's text)
// holds a URL, and each row's header reads exactly as the view has the
// rocket's name, the orbit or the landing type: markup shown as text.
func TestReportHostileText(t *testing.T) {
	t.Parallel()
	bin := browser(t)
	dsn := syncSnapshot(t, hostileSnapshot(t))
	pool := pgtest.Pool(t, dsn)

	// The planted strings reached the views (else the test proves nothing).
	orbits := column(t, pool, `SELECT orbit FROM gold.payload_mass_by_orbit`)
	types := column(t, pool, `SELECT landing_type FROM gold.landings_by_type`)
	for _, h := range hostileTexts {
		if !slices.Contains(orbits, h) {
			t.Errorf("gold.payload_mass_by_orbit lacks the orbit %q", h)
		}
		if !slices.Contains(types, h) {
			t.Errorf("gold.landings_by_type lacks the landing type %q", h)
		}
	}
	if names := column(t, pool, `SELECT rocket_name FROM gold.rocket_cost_efficiency`); !slices.Equal(sorted(names), sorted(hostileRocketNames)) {
		t.Errorf("gold.rocket_cost_efficiency has the rocket names %q, want %q", names, hostileRocketNames)
	}
	if ids := column(t, pool, `SELECT rocket_id FROM gold.rocket_cost_efficiency WHERE launches_flown > 0`); !slices.Contains(ids, hostileRocketID) {
		t.Errorf("gold.rocket_cost_efficiency has no flown rocket %q: %q", hostileRocketID, ids)
	}
	for _, q := range []string{`SELECT customer FROM gold.payload_mass_by_customer`, `SELECT agency FROM gold.crew_flights_by_agency`} {
		if got := column(t, pool, q); !slices.Contains(got, hostileTexts[1]) {
			t.Errorf("%s: %q lacks %q", q, got, hostileTexts[1])
		}
	}

	path := filepath.Join(t.TempDir(), "report.html")
	code, out, errOut := loader(t, nil, "report", "--out", path, "--database-url", dsn)
	if code != 0 {
		t.Fatalf("report: exit %d: %s", code, errOut)
	}
	if want := "report: wrote " + path + " (data of run 1, synced "; !strings.HasPrefix(out, want) {
		t.Errorf("report printed %q, want it to start %q", out, want)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	code, stdout, errOut := loader(t, nil, "report", "--out", "-", "--database-url", dsn)
	if code != 0 || stdout != page {
		t.Errorf("report --out -: exit %d, %d bytes, want 0 and the file's %d bytes: %s", code, len(stdout), len(page), errOut)
	}
	for i := 0; i < len(page); i++ {
		if c := page[i]; c < 0x20 && c != '\n' && c != '\t' || c == 0x7f {
			t.Errorf("byte %d of the page is %#02x: %q", i, c, page[max(0, i-40):min(len(page), i+40)])
			break
		}
	}
	want := expectedFigures(t, pool)

	got := browse(t, bin, path)
	checkBrowsed(t, got, path, want)
	if got.pwned != "" {
		t.Errorf("a script of the API's text ran: data-pwned=%q", got.pwned)
	}
	// The elements the report writes: its HTML, and gonum/plot's SVG.
	ours := []string{"html", "head", "meta", "title", "style", "body", "h1", "h2", "p", "time", "code", "section",
		"table", "caption", "thead", "tbody", "tr", "th", "td", "svg", "g", "path", "text"}
	for _, e := range got.elements {
		if !slices.Contains(ours, e) {
			t.Errorf("the page has a <%s> element, which the report does not write", e)
		}
	}
	for _, a := range got.attrs {
		element, name, value := a[0], a[1], strings.ToLower(a[2])
		switch {
		case strings.HasPrefix(name, "on"), slices.Contains([]string{"href", "xlink:href", "src", "srcset", "srcdoc", "action", "formaction", "background", "poster"}, name):
			t.Errorf("<%s %s=%q>: the page has an attribute that runs or loads something", element, name, a[2])
		case name != "data-key" && (strings.Contains(value, "://") || strings.Contains(value, "javascript:") || strings.Contains(value, "url(")):
			t.Errorf("<%s %s=%q>: a URL in the report's own attribute", element, name, a[2])
		}
	}
	// Each row header reads as the view has it.
	labels := map[[2]string]string{}
	for _, h := range hostileTexts {
		labels[[2]string{"gold.payload_mass_by_orbit", h}] = h
		labels[[2]string{"gold.landings_by_type", h}] = h
	}
	rows, err := pool.Query(context.Background(), `SELECT rocket_id, rocket_name FROM gold.rocket_cost_efficiency`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id, name string
		if err := rows.Scan(&id, &name); err != nil {
			t.Fatal(err)
		}
		labels[[2]string{"gold.rocket_cost_efficiency", id}] = name
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	for _, r := range got.rows {
		k := [2]string{r[0], r[1]}
		if w, ok := labels[k]; ok {
			if r[2] != w {
				t.Errorf("%s %q: the row header reads %q, want %q", r[0], r[1], r[2], w)
			}
			delete(labels, k)
		}
	}
	for k := range labels {
		t.Errorf("%s %q: no row of the page has that key", k[0], k[1])
	}
	// The file's figures too, as TestReportFigures reads them.
	compareFigures(t, pageCells(t, page), want)
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}
