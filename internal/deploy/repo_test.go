package deploy

import (
	"bytes"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// root is the repository root, relative to this package's directory, where
// go test runs.
const root = "../.."

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// goCmd runs the go command at the repository root and returns its stdout.
func goCmd(t *testing.T, env []string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return out
}

// goListPackage is the part of `go list -json` these tests read.
type goListPackage struct {
	ImportPath string
	Dir        string
	GoFiles    []string
	EmbedFiles []string
	Module     *struct {
		Path    string
		Version string
		Dir     string
		Main    bool
	}
}

// loaderPackages lists the packages of this module that the loader binary
// links, with their files: what its build reads and where its environment
// variables are named.
func loaderPackages(t *testing.T) []goListPackage {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(goCmd(t, nil, "list", "-deps", "-json", "./cmd/loader")))
	var pkgs []goListPackage
	for dec.More() {
		var p goListPackage
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		if p.Module != nil && p.Module.Main {
			pkgs = append(pkgs, p)
		}
	}
	if len(pkgs) == 0 {
		t.Fatal("go list -deps ./cmd/loader: no package of this module")
	}
	return pkgs
}

// moduleDir returns the directory and version of a module of the build list.
func moduleDir(t *testing.T, path string) (dir, version string) {
	t.Helper()
	out := goCmd(t, nil, "list", "-m", "-f", "{{.Dir}} {{.Version}}", path)
	dir, version, ok := strings.Cut(strings.TrimSpace(string(out)), " ")
	if !ok || dir == "" {
		t.Fatalf("go list -m %s: %q (module not downloaded?)", path, out)
	}
	return dir, version
}

var envName = regexp.MustCompile(`^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$`)

// envReaders are the functions whose string arguments name environment
// variables: os.Getenv and os.LookupEnv, the getenv the loader threads
// through for tests, and the two that register a flag with an environment
// default, cliflag's Env and Secret (p, flag name, variable, default,
// usage).
var envReaders = map[string]bool{"Getenv": true, "LookupEnv": true, "getenv": true, "Env": true, "Secret": true}

// envReadBy returns the environment variables the Go files name in calls to
// envReaders, as string literals or as the package's string constants.
func envReadBy(t *testing.T, files []string) map[string]bool {
	t.Helper()
	fset := token.NewFileSet()
	var parsed []*ast.File
	consts := map[string]string{}
	for _, f := range files {
		af, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		parsed = append(parsed, af)
		for _, d := range af.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, s := range gd.Specs {
				vs := s.(*ast.ValueSpec)
				for i, n := range vs.Names {
					if i < len(vs.Values) {
						if v, ok := stringLit(vs.Values[i]); ok {
							consts[n.Name] = v
						}
					}
				}
			}
		}
	}
	keys := map[string]bool{}
	for _, af := range parsed {
		ast.Inspect(af, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			var name string
			switch fn := call.Fun.(type) {
			case *ast.Ident:
				name = fn.Name
			case *ast.SelectorExpr:
				name = fn.Sel.Name
			}
			if !envReaders[name] {
				return true
			}
			for _, arg := range call.Args {
				v, ok := stringLit(arg)
				if id, isIdent := arg.(*ast.Ident); !ok && isIdent {
					v, ok = consts[id.Name]
				}
				if ok && envName.MatchString(v) {
					keys[v] = true
				}
			}
			return true
		})
	}
	return keys
}

func stringLit(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	v, err := strconv.Unquote(lit.Value)
	return v, err == nil
}

// stringLitsIn returns the string literals of a Go file that match re.
func stringLitsIn(t *testing.T, file string, re *regexp.Regexp) map[string]bool {
	t.Helper()
	af, err := parser.ParseFile(token.NewFileSet(), file, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	ast.Inspect(af, func(n ast.Node) bool {
		if e, ok := n.(ast.Expr); ok {
			if v, ok := stringLit(e); ok && re.MatchString(v) {
				found[v] = true
			}
		}
		return true
	})
	return found
}

// loaderEnv is every environment variable the loader binary reads: those
// its own packages name, and the PG* variables pgx's connection parsing
// reads (pgconn's table of them).
func loaderEnv(t *testing.T) map[string]bool {
	t.Helper()
	var files []string
	for _, p := range loaderPackages(t) {
		for _, f := range p.GoFiles {
			files = append(files, filepath.Join(p.Dir, f))
		}
	}
	env := envReadBy(t, files)
	pgx, _ := moduleDir(t, "github.com/jackc/pgx/v5")
	for k := range stringLitsIn(t, filepath.Join(pgx, "pgconn", "config.go"), regexp.MustCompile(`^PG[A-Z]+$`)) {
		env[k] = true
	}
	return env
}

// dbmateEnv is every environment variable the dbmate CLI reads: its flags'
// DBMATE_* variables and the default of --env, DATABASE_URL, as named in the
// main.go of the dbmate version go.mod requires.
func dbmateEnv(t *testing.T) map[string]bool {
	t.Helper()
	dir, _ := moduleDir(t, "github.com/amacneil/dbmate/v2")
	return stringLitsIn(t, filepath.Join(dir, "main.go"), regexp.MustCompile(`^(DATABASE_URL|DBMATE_[A-Z_]+)$`))
}

func TestEnvironmentDerivedFromSource(t *testing.T) {
	t.Parallel()
	// The derivations must find what is known to be read, or the compose
	// checks below would pass against an empty list.
	loader := loaderEnv(t)
	for _, k := range []string{"DATABASE_URL", "LOADER_LOG_FORMAT", "LOADER_LOG_LEVEL", "SPACEX_API_URL", "PGHOST", "PGPASSWORD", "PGSSLMODE"} {
		if !loader[k] {
			t.Errorf("loader environment: %s not found in cmd/loader and its packages or pgx", k)
		}
	}
	for _, k := range []string{"TEST_DATABASE_URL", "CI"} {
		if loader[k] {
			t.Errorf("loader environment: %s is read by the tests only, not by the loader binary", k)
		}
	}
	dbmate := dbmateEnv(t)
	for _, k := range []string{"DATABASE_URL", "DBMATE_MIGRATIONS_DIR", "DBMATE_NO_DUMP_SCHEMA"} {
		if !dbmate[k] {
			t.Errorf("dbmate environment: %s not found in dbmate's main.go", k)
		}
	}
}
