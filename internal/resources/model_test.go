package resources_test

import (
	"context"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/spacex-elt/loader/internal/pgtest"
	"github.com/spacex-elt/loader/internal/resources"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// field is one leaf of MODEL.md's inventory: array is the path of the
// sub-document array it sits in ("cores" for cores[].landing_type), path
// the rest.
type field struct {
	resource, array, path string
}

func (f field) String() string {
	if f.array != "" {
		return f.resource + "." + f.array + "[]." + f.path
	}
	return f.resource + "." + f.path
}

// modelFields reads every field of every resource from the inventory in
// MODEL.md (section 5), expanding unit pairs such as height.{meters,feet}
// and the listed spaceTrack keys.
func modelFields(t *testing.T) []field {
	t.Helper()
	b, err := os.ReadFile("../../testdata/spacex-api/MODEL.md")
	if err != nil {
		t.Fatal(err)
	}
	_, inventory, ok := strings.Cut(string(b), "## 5. Field inventory per resource")
	if !ok {
		t.Fatal("MODEL.md: no field inventory section")
	}
	row := regexp.MustCompile("^\\| `([^`]+)`([^|]*)\\|")
	pair := regexp.MustCompile(`^(.*)\.\{([^}…]+)\}$`)
	var out []field
	resource := ""
	for _, line := range strings.Split(inventory, "\n") {
		if r, ok := strings.CutPrefix(line, "### "); ok {
			resource = strings.TrimSpace(r)
			continue
		}
		m := row.FindStringSubmatch(line)
		if m == nil || resource == "" {
			continue
		}
		var paths []string
		switch name := m[1]; {
		case strings.HasPrefix(name, "spaceTrack.{"):
			_, keys, _ := strings.Cut(m[2], ":")
			for _, k := range strings.Split(keys, ",") {
				paths = append(paths, "spaceTrack."+strings.TrimSpace(k))
			}
		case pair.MatchString(name):
			p := pair.FindStringSubmatch(name)
			for _, unit := range strings.Split(p[2], ",") {
				paths = append(paths, p[1]+"."+unit)
			}
		default:
			paths = []string{name}
		}
		for _, p := range paths {
			f := field{resource: resource, path: p}
			if a, rest, ok := strings.Cut(p, "[]."); ok {
				f.array, f.path = a, rest
			}
			out = append(out, f)
		}
	}
	return out
}

// exceptions reads the fields docs/design.md names as not typed, with
// their reasons: rows "| `resource.field` | reason |" of its section
// "Fields not typed".
func exceptions(t *testing.T) map[string]string {
	t.Helper()
	b, err := os.ReadFile("../../docs/design.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(b), "## Fields not typed")
	if !ok {
		t.Fatal("docs/design.md: no section \"Fields not typed\"")
	}
	section, _, _ = strings.Cut(section, "\n## ")
	row := regexp.MustCompile("^\\| `([^`]+)` \\| *([^|]*[^| ]) *\\|")
	out := map[string]string{}
	for _, line := range strings.Split(section, "\n") {
		if m := row.FindStringSubmatch(line); m != nil {
			out[m[1]] = m[2]
		}
	}
	return out
}

// TestEveryModelFieldTyped: every field of MODEL.md is read by a typed
// column of its resource's table or of a bridge, or docs/design.md names
// it as an exception with its reason. A column reads a field when the
// keys quoted in its generated expression are the field's path.
func TestEveryModelFieldTyped(t *testing.T) {
	t.Parallel()
	fields := modelFields(t)
	if len(fields) < 349 {
		t.Fatalf("MODEL.md: parsed %d fields, want its 349", len(fields))
	}
	conn, err := pgx.Connect(context.Background(), pgtest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())

	// The key paths each table's generated columns read.
	rows, err := conn.Query(context.Background(), `
		SELECT a.attrelid::regclass::text, pg_get_expr(d.adbin, d.adrelid)
		FROM pg_attribute a
		JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
		WHERE a.attgenerated = 's' AND a.attrelid::regclass::text LIKE 'bronze.%'`)
	if err != nil {
		t.Fatal(err)
	}
	quoted := regexp.MustCompile(`'([^']*)'`)
	word := regexp.MustCompile(`[A-Za-z0-9_]+`)
	reads := map[string][]string{} // table -> dotted key paths
	for rows.Next() {
		var table, expr string
		if err := rows.Scan(&table, &expr); err != nil {
			t.Fatal(err)
		}
		var keys []string
		for _, q := range quoted.FindAllStringSubmatch(expr, -1) {
			keys = append(keys, word.FindAllString(q[1], -1)...)
		}
		reads[table] = append(reads[table], strings.Join(keys, "."))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}

	byName := map[string]resources.Resource{}
	for _, r := range resources.All {
		byName[r.Name] = r
	}
	bridge := func(r resources.Resource, array string) (string, bool) {
		for _, b := range r.Bridges {
			if b.Array == array {
				return b.Table, true
			}
		}
		return "", false
	}
	except := exceptions(t)
	covered := 0
	for _, f := range fields {
		r, ok := byName[f.resource]
		if !ok {
			t.Errorf("%s: resource not in the registry", f)
			continue
		}
		var typed bool
		if f.array != "" {
			// A sub-document array's field: a column of its bridge.
			if tbl, ok := bridge(r, f.array); ok {
				typed = slices.Contains(reads[tbl], f.path)
			}
		} else {
			// A column of the resource's table, or a bridge over the
			// array itself (a list of ids, or of Mixed objects).
			_, typed = bridge(r, f.path)
			typed = typed || slices.Contains(reads[r.Table], f.path)
		}
		reason, excepted := except[f.String()]
		switch {
		case typed && excepted:
			t.Errorf("%s is typed, but docs/design.md lists it as an exception (%s)", f, reason)
		case !typed && !excepted:
			t.Errorf("%s has no typed column or bridge, and docs/design.md does not name it as an exception", f)
		case typed:
			covered++
		}
	}
	t.Logf("%d of %d MODEL.md fields typed, %d named exceptions", covered, len(fields), len(except))
}

// TestEveryBridgeIndexesItsIssues: every bridge of the registry has an
// index of its rows with issues, by parent, which bronze.counts asks before
// it reads the bridge (without it, counting a promotion would scan the
// bridge to find it has none).
func TestEveryBridgeIndexesItsIssues(t *testing.T) {
	t.Parallel()
	conn, err := pgx.Connect(context.Background(), pgtest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	n := 0
	for _, r := range resources.All {
		for _, b := range r.Bridges {
			n++
			var has bool
			err := conn.QueryRow(context.Background(), `
				SELECT EXISTS (SELECT FROM pg_index x
				               WHERE x.indrelid = $1::regclass
				                 AND x.indkey[0] = (SELECT k.indkey[0] FROM pg_index k WHERE k.indrelid = $1::regclass AND k.indisprimary)
				                 AND pg_get_expr(x.indpred, x.indrelid) = '(issues IS NOT NULL)')`, b.Table).Scan(&has)
			if err != nil {
				t.Fatal(err)
			}
			if !has {
				t.Errorf("%s has no index of its parent key WHERE issues IS NOT NULL", b.Table)
			}
		}
	}
	if n < 20 {
		t.Errorf("the registry has %d bridges, want at least 20", n)
	}
}
