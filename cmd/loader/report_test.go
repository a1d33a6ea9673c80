package main

import (
	"context"
	"errors"
	"fmt"
	"html"
	"math/big"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/spacex-elt/loader/internal/pgtest"
)

// cellKey names a figure on the page: the view, the row's key ("" for
// NULL) and the column.
type cellKey struct{ view, key, col string }

// figure is a cell as the page has it (or should): its exact value
// (data-value, nil for NULL) and the text shown.
type figure struct {
	value *string
	text  string
	// approx, when set, is the exact rational the value must be within
	// 1e-15 of (a rate the test computes itself from the view's rows).
	approx *big.Rat
}

var cellRe = regexp.MustCompile(`<td data-view="([^"]*)" data-key="([^"]*)" data-col="([^"]*)"(?: data-value="([^"]*)")?>([^<]*)</td>`)

// pageCells parses the figures of the report's tables.
func pageCells(t *testing.T, page string) map[cellKey]figure {
	t.Helper()
	cells := map[cellKey]figure{}
	matches := cellRe.FindAllStringSubmatch(page, -1)
	if n := strings.Count(page, "<td"); n != len(matches) {
		t.Fatalf("the page has %d <td> cells but %d with data-view, data-key and data-col", n, len(matches))
	}
	for _, m := range matches {
		k := cellKey{html.UnescapeString(m[1]), html.UnescapeString(m[2]), html.UnescapeString(m[3])}
		if _, dup := cells[k]; dup {
			t.Errorf("cell %+v appears twice", k)
		}
		f := figure{text: html.UnescapeString(m[5])}
		if strings.Contains(m[0], " data-value=") {
			v := html.UnescapeString(m[4])
			f.value = &v
		}
		cells[k] = f
	}
	return cells
}

// shown is how the test expects each format shown, in SQL: PostgreSQL's
// round (halves away from zero) of the value's exact text.
var shown = map[string]string{
	"exact": "%s::text",
	"dec2":  "round(%s::text::numeric, 2)::text",
	"dec1":  "round(%s::text::numeric, 1)::text",
	"pct":   "round(%s::text::numeric * 100, 1)::text || '%%'",
}

// viewFigures reads the figures of view's columns (name → format) straight
// from the view, one row per key.
func viewFigures(t *testing.T, pool *pgxpool.Pool, want map[cellKey]figure, view, key string, cols [][2]string) {
	t.Helper()
	sel := []string{"coalesce(" + key + "::text, '')"}
	for _, c := range cols {
		sel = append(sel, c[0]+"::text", "coalesce("+fmt.Sprintf(shown[c[1]], c[0])+", '—')")
	}
	rows, err := pool.Query(context.Background(), "SELECT "+strings.Join(sel, ", ")+" FROM "+view)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
		var k string
		vals := make([]*string, len(cols))
		texts := make([]string, len(cols))
		dest := []any{&k}
		for i := range cols {
			dest = append(dest, &vals[i], &texts[i])
		}
		if err := rows.Scan(dest...); err != nil {
			t.Fatal(err)
		}
		for i, c := range cols {
			want[cellKey{view, k, c[0]}] = figure{value: vals[i], text: texts[i]}
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatalf("%s is empty: the snapshot should fill it", view)
	}
}

// expectedFigures derives every figure the report should show from the
// views, independently of internal/report: per-row figures in SQL, the
// per-year sums and the cores by flights in Go.
func expectedFigures(t *testing.T, pool *pgxpool.Pool) map[cellKey]figure {
	t.Helper()
	ctx := context.Background()
	want := map[cellKey]figure{}
	viewFigures(t, pool, want, "gold.rocket_cost_efficiency", "rocket_id", [][2]string{
		{"launches_flown", "exact"}, {"cost_per_launch_usd", "exact"},
		{"payload_mass_delivered_kg", "exact"}, {"cost_per_kg_usd", "dec2"},
	})
	viewFigures(t, pool, want, "gold.landings_by_type", "landing_type", [][2]string{
		{"attempts", "exact"}, {"successes", "exact"}, {"failures", "exact"},
		{"outcome_unknown", "exact"}, {"success_rate", "pct"},
	})
	viewFigures(t, pool, want, "gold.payload_mass_by_orbit", "orbit", [][2]string{
		{"payloads", "exact"}, {"payloads_with_mass", "exact"}, {"mass_kg", "exact"},
		{"avg_mass_kg", "dec1"}, {"payloads_delivered", "exact"}, {"mass_delivered_kg", "exact"},
	})
	viewFigures(t, pool, want, "gold.fairing_recovery_by_year", "launch_year", [][2]string{
		{"launches_flown", "exact"}, {"launches_without_fairing_data", "exact"},
		{"launches_reused_fairings", "exact"}, {"recovery_attempts", "exact"},
		{"recoveries", "exact"}, {"recovery_failures", "exact"},
		{"recovery_outcome_unknown", "exact"}, {"recovery_rate", "pct"},
	})

	// Launches per year: the view's rows of each year added up.
	const stats = "gold.launch_stats_by_year_rocket"
	rows, err := pool.Query(ctx, `SELECT coalesce(launch_year::text, ''), launches_flown, launches_succeeded,
	       launches_failed, launches_outcome_unknown, launches_upcoming FROM `+stats)
	if err != nil {
		t.Fatal(err)
	}
	cols := []string{"launches_flown", "launches_succeeded", "launches_failed", "launches_outcome_unknown", "launches_upcoming"}
	sums := map[string][]int64{}
	for rows.Next() {
		var year string
		v := make([]int64, len(cols))
		if err := rows.Scan(&year, &v[0], &v[1], &v[2], &v[3], &v[4]); err != nil {
			t.Fatal(err)
		}
		if sums[year] == nil {
			sums[year] = make([]int64, len(cols))
		}
		for i := range v {
			sums[year][i] += v[i]
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(sums) == 0 {
		t.Fatalf("%s is empty", stats)
	}
	for year, s := range sums {
		for i, c := range cols {
			v := strconv.FormatInt(s[i], 10)
			want[cellKey{stats, year, c}] = figure{value: &v, text: v}
		}
		k := cellKey{stats, year, "success_rate"}
		if s[1]+s[2] == 0 {
			want[k] = figure{text: "—"}
			continue
		}
		rate := big.NewRat(s[1], s[1]+s[2])
		pct := new(big.Rat).Mul(rate, big.NewRat(100, 1))
		want[k] = figure{text: pct.FloatString(1) + "%", approx: rate}
	}

	// Cores by number of flights.
	var flights []int64
	rows, err = pool.Query(ctx, `SELECT flights FROM gold.core_reuse`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var f int64
		if err := rows.Scan(&f); err != nil {
			t.Fatal(err)
		}
		flights = append(flights, f)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	cores := map[int64]int64{}
	for _, f := range flights {
		cores[f]++
	}
	if len(cores) < 2 {
		t.Fatalf("gold.core_reuse: cores flew %v times; the snapshot has reused cores", cores)
	}
	for f, n := range cores {
		v := strconv.FormatInt(n, 10)
		want[cellKey{"gold.core_reuse", strconv.FormatInt(f, 10), "cores"}] = figure{value: &v, text: v}
	}
	return want
}

// compareFigures checks that got has exactly the cells of want, with their
// values and texts.
func compareFigures(t *testing.T, got, want map[cellKey]figure) {
	t.Helper()
	for k, w := range want {
		g, ok := got[k]
		switch {
		case !ok:
			t.Errorf("%s %q %s: missing from the page", k.view, k.key, k.col)
			continue
		case g.text != w.text:
			t.Errorf("%s %q %s: shown %q, want %q", k.view, k.key, k.col, g.text, w.text)
		}
		if g.value == nil && w.value == nil && w.approx == nil {
			continue
		}
		if g.value == nil {
			t.Errorf("%s %q %s: no data-value, want %v", k.view, k.key, k.col, deref(w.value))
			continue
		}
		if w.approx != nil {
			r, ok := new(big.Rat).SetString(*g.value)
			if !ok {
				t.Errorf("%s %q %s: data-value %q is not a number", k.view, k.key, k.col, *g.value)
				continue
			}
			if d := new(big.Rat).Sub(r, w.approx); d.Abs(d).Cmp(big.NewRat(1, 1e15)) > 0 {
				t.Errorf("%s %q %s: data-value %s, want %s", k.view, k.key, k.col, *g.value, w.approx.FloatString(20))
			}
			continue
		}
		if w.value == nil || *g.value != *w.value {
			t.Errorf("%s %q %s: data-value %q, want %v", k.view, k.key, k.col, *g.value, deref(w.value))
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("%s %q %s: on the page but not in the view", k.view, k.key, k.col)
		}
	}
}

func deref(s *string) string {
	if s == nil {
		return "NULL"
	}
	return strconv.Quote(*s)
}

// lastSync is the finish of the newest succeeded run, as the page's
// <time datetime> should give it.
func lastSync(t *testing.T, pool *pgxpool.Pool) string {
	t.Helper()
	var at time.Time
	if err := pool.QueryRow(context.Background(),
		`SELECT finished_at FROM meta.runs WHERE status = 'succeeded' ORDER BY finished_at DESC LIMIT 1`).Scan(&at); err != nil {
		t.Fatal(err)
	}
	return at.UTC().Format(time.RFC3339)
}

// writeReport syncs the snapshot into a fresh database and writes the
// report of it: the database, the report's path and its text.
func writeReport(t *testing.T) (pool *pgxpool.Pool, path, page string) {
	t.Helper()
	dsn := syncSnapshot(t, snapshot)
	path = filepath.Join(t.TempDir(), "report.html")
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
	return pgtest.Pool(t, dsn), path, string(b)
}

func TestReportFigures(t *testing.T) {
	t.Parallel()
	pool, path, page := writeReport(t)

	compareFigures(t, pageCells(t, page), expectedFigures(t, pool))

	if n := strings.Count(page, "<svg"); n != 5 {
		t.Errorf("the page has %d <svg> charts, want 5", n)
	}
	if want := `<time datetime="` + lastSync(t, pool) + `">`; !strings.Contains(page, want) {
		t.Errorf("the page lacks the last sync time %s", want)
	}
	// Nothing outside the file: no URL at all, nothing that could load one.
	for _, re := range []string{`(?i)https?://`, `(?i)\b(src|href|xlink:href)\s*=`, `(?i)url\(`, `(?i)@import`, `(?i)<(script|link|img|iframe|object|embed)\b`} {
		if m := regexp.MustCompile(re).FindString(page); m != "" {
			t.Errorf("the page has %q (matching %s): it must load nothing", m, re)
		}
	}
	// A new file gets 0666 less the umask (issue 13 item 5).
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o666&^processUmask(t) {
		t.Errorf("report file mode: %v %v, want %v", st.Mode(), err, 0o666&^processUmask(t))
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".report.html.tmp-*")); len(left) > 0 {
		t.Errorf("temporary files left beside the report: %v", left)
	}
}

func TestReportWithoutRuns(t *testing.T) {
	t.Parallel()
	dsn := pgtest.DSN(t)
	path := filepath.Join(t.TempDir(), "report.html")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := loader(t, nil, "report", "--out", path, "--database-url", dsn)
	if code != 0 {
		t.Fatalf("report: exit %d: %s", code, errOut)
	}
	if want := "report: wrote " + path + " (no sync has succeeded yet)\n"; out != want {
		t.Errorf("report printed %q, want %q", out, want)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	if !strings.Contains(page, "No sync has succeeded yet") || strings.Contains(page, "<time") {
		t.Errorf("the page of a database without runs does not say no sync succeeded:\n%s", page)
	}
	if n := strings.Count(page, "<svg"); n != 5 {
		t.Errorf("the page has %d <svg> charts, want 5 (empty)", n)
	}
	if n := strings.Count(page, "<td"); n != 0 {
		t.Errorf("the page has %d figures, want none", n)
	}
}

func TestReportUsageAndFailure(t *testing.T) {
	t.Parallel()
	code, out, errOut := loader(t, nil, "help", "report")
	if code != 0 || !strings.Contains(out, "loader report --out PATH") || !strings.Contains(out, "gold.payload_mass_by_orbit") {
		t.Errorf("help report: exit %d\n%s%s", code, out, errOut)
	}
	if code, _, errOut = loader(t, nil, "report"); code != exitUsage || !strings.Contains(errOut, "--out PATH is required") {
		t.Errorf("report without --out: exit %d, %q; want %d", code, errOut, exitUsage)
	}
	path := filepath.Join(t.TempDir(), "report.html")
	code, _, errOut = loader(t, nil, "report", "--out", path, "--database-url", "postgres://nobody@127.0.0.1:1/none?connect_timeout=2")
	if code != exitFailed {
		t.Errorf("report against no database: exit %d, want %d (%s)", code, exitFailed, errOut)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a failed report left a file: %v", err)
	}
}

// chromePath finds the headless browser: chromium-headless-shell from the
// Debian package, or another Chrome on PATH.
func chromePath() (string, error) {
	for _, p := range []string{"/usr/lib/chromium/chromium-headless-shell", "/usr/lib/chromium/chrome-headless-shell"} {
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p, nil
		}
	}
	for _, name := range []string{"chromium-headless-shell", "chrome-headless-shell", "chromium", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errors.New("no chromium-headless-shell (apt-get install chromium-headless-shell)")
}

// inCI is CI as internal/pgtest reads it: set, and not "false" or "0".
func inCI() bool {
	v := strings.TrimSpace(os.Getenv("CI"))
	return v != "" && v != "0" && !strings.EqualFold(v, "false")
}

// browser returns the headless browser's path; without one the test is
// skipped, or fails when CI is set.
func browser(t *testing.T) string {
	t.Helper()
	bin, err := chromePath()
	if err != nil {
		if inCI() {
			t.Fatalf("CI is set, so a missing browser fails: %v", err)
		}
		t.Skip(err)
	}
	return bin
}

// browsed is what the browser made of a page.
type browsed struct {
	// problems are console errors and exceptions; requests, every URL the
	// page requested, itself included.
	problems, requests []string
	// charts are the rendered sizes of the page's <svg> elements.
	charts []struct{ Width, Height float64 }
	// cells are the figures: view, key, column and the text shown.
	cells [][]string
	// rows are the view, key and row header (its textContent) of each row
	// of a table's body.
	rows [][]string
	// elements are the names of the page's elements, each once; attrs,
	// each attribute of each element as element, name and value.
	elements []string
	attrs    [][]string
	// pwned is the data-pwned attribute of the <html> element, which
	// hostile text sets if a script of it runs ("" when unset).
	pwned string
}

// browse opens the page at path in the headless browser bin, offline, and
// reads it back.
func browse(t *testing.T, bin, path string) browsed {
	t.Helper()
	pageURL := (&url.URL{Scheme: "file", Path: path}).String()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU)
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 60*time.Second)
	defer cancel()

	var mu sync.Mutex
	var b browsed
	err := chromedp.Listen(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError {
				var args []string
				for _, a := range ev.Args {
					args = append(args, string(a.Value)+a.Description)
				}
				b.problems = append(b.problems, "console error: "+strings.Join(args, " "))
			}
		case *runtime.EventExceptionThrown:
			b.problems = append(b.problems, "exception: "+(&chromedp.ExceptionError{ExceptionDetails: ev.ExceptionDetails}).Error())
		case *network.EventRequestWillBeSent:
			b.requests = append(b.requests, ev.Request.URL)
		}
	})
	if err != nil {
		t.Fatalf("browser %s: %v", bin, err)
	}
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatalf("Network.enable: %v", err)
	}
	if _, err := chromedp.Call(ctx, runtime.Enable, cdp.Empty{}); err != nil {
		t.Fatalf("Runtime.enable: %v", err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(pageURL), chromedp.WaitReady("body")); err != nil {
		t.Fatalf("load %s: %v", pageURL, err)
	}
	if b.charts, err = chromedp.Run(ctx, chromedp.Evaluate[[]struct{ Width, Height float64 }](
		`[...document.querySelectorAll('svg')].map(s => { const r = s.getBoundingClientRect(); return {Width: r.width, Height: r.height}; })`)); err != nil {
		t.Fatalf("chart sizes: %v", err)
	}
	if b.cells, err = chromedp.Run(ctx, chromedp.Evaluate[[][]string](
		`[...document.querySelectorAll('td')].map(td => [td.dataset.view, td.dataset.key, td.dataset.col, td.innerText])`)); err != nil {
		t.Fatalf("figures: %v", err)
	}
	if b.rows, err = chromedp.Run(ctx, chromedp.Evaluate[[][]string](
		`[...document.querySelectorAll('tbody tr')].map(tr => { const td = tr.querySelector('td'); return [td ? td.dataset.view : '', td ? td.dataset.key : '', tr.querySelector('th').textContent]; })`)); err != nil {
		t.Fatalf("row headers: %v", err)
	}
	if b.elements, err = chromedp.Run(ctx, chromedp.Evaluate[[]string](
		`[...new Set([...document.querySelectorAll('*')].map(e => e.localName))]`)); err != nil {
		t.Fatalf("elements: %v", err)
	}
	if b.attrs, err = chromedp.Run(ctx, chromedp.Evaluate[[][]string](
		`[...document.querySelectorAll('*')].flatMap(e => [...e.attributes].map(a => [e.localName, a.name, a.value]))`)); err != nil {
		t.Fatalf("attributes: %v", err)
	}
	if b.pwned, err = chromedp.Run(ctx, chromedp.Evaluate[string](
		`document.documentElement.getAttribute('data-pwned') || ''`)); err != nil {
		t.Fatalf("data-pwned: %v", err)
	}
	// The listener may still append: return copies.
	mu.Lock()
	defer mu.Unlock()
	b.problems, b.requests = slices.Clone(b.problems), slices.Clone(b.requests)
	return b
}

// checkBrowsed checks what the browser made of a report's page: no error,
// no request but for the page itself, five charts drawn, and every figure
// of want shown, and no other.
func checkBrowsed(t *testing.T, b browsed, path string, want map[cellKey]figure) {
	t.Helper()
	pageURL := (&url.URL{Scheme: "file", Path: path}).String()
	for _, p := range b.problems {
		t.Error(p)
	}
	for _, r := range b.requests {
		if r != pageURL {
			t.Errorf("the page requested %s; it may load nothing but itself", r)
		}
	}
	if len(b.requests) == 0 {
		t.Errorf("no request for the page itself was seen: is the network domain listened to?")
	}
	if len(b.charts) != 5 {
		t.Errorf("%d charts rendered, want 5", len(b.charts))
	}
	for i, s := range b.charts {
		if s.Width <= 0 || s.Height <= 0 {
			t.Errorf("chart %d renders %gx%g", i, s.Width, s.Height)
		}
	}
	shownText := map[cellKey]string{}
	for _, c := range b.cells {
		shownText[cellKey{c[0], c[1], c[2]}] = c[3]
	}
	if len(shownText) != len(want) {
		t.Errorf("the page shows %d figures, the views have %d", len(shownText), len(want))
	}
	for k, w := range want {
		if got, ok := shownText[k]; !ok || got != w.text {
			t.Errorf("%s %q %s: the browser shows %q, want %q", k.view, k.key, k.col, got, w.text)
		}
	}
}

func TestReportInBrowser(t *testing.T) {
	t.Parallel()
	bin := browser(t)
	pool, path, _ := writeReport(t)
	checkBrowsed(t, browse(t, bin, path), path, expectedFigures(t, pool))
}

// processUmask reads the umask from /proc, without setting it (which
// syscall.Umask would, for every test running in parallel).
func processUmask(t *testing.T) os.FileMode {
	t.Helper()
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "Umask:"); ok {
			m, err := strconv.ParseUint(strings.TrimSpace(v), 8, 32)
			if err != nil {
				t.Fatal(err)
			}
			return os.FileMode(m)
		}
	}
	t.Fatal("no Umask in /proc/self/status")
	return 0
}
