package deploy

import (
	"debug/elf"
	"encoding/json"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// instruction is one Dockerfile instruction, continuation lines joined.
type instruction struct {
	cmd  string // upper case: FROM, RUN, COPY, ...
	args string
}

// stage is one FROM and what follows it.
type stage struct {
	from, name string
	body       []instruction
}

func parseDockerfile(t *testing.T) []stage {
	t.Helper()
	var stages []stage
	var cur strings.Builder
	flush := func() {
		line := strings.TrimSpace(cur.String())
		cur.Reset()
		if line == "" {
			return
		}
		cmd, args, _ := strings.Cut(line, " ")
		in := instruction{strings.ToUpper(cmd), strings.TrimSpace(args)}
		if in.cmd == "FROM" {
			f := strings.Fields(in.args)
			s := stage{from: f[0]}
			if len(f) == 3 && strings.EqualFold(f[1], "AS") {
				s.name = f[2]
			}
			stages = append(stages, s)
			return
		}
		if len(stages) == 0 {
			t.Fatalf("Dockerfile: %s before the first FROM", in.cmd)
		}
		stages[len(stages)-1].body = append(stages[len(stages)-1].body, in)
	}
	for _, line := range strings.Split(readFile(t, "Dockerfile"), "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		if l, ok := strings.CutSuffix(line, "\\"); ok {
			cur.WriteString(l + " ")
			continue
		}
		cur.WriteString(line)
		flush()
	}
	flush()
	if len(stages) < 2 {
		t.Fatalf("Dockerfile: %d stages, want a build stage and a final one", len(stages))
	}
	return stages
}

// shellWords splits a RUN line as sh would for the simple commands a
// Dockerfile holds: words, '…' and "…" quoting, backslash escapes.
func shellWords(s string) []string {
	var words []string
	var w strings.Builder
	inWord := false
	var quote rune
	escaped := false
	for _, r := range s {
		switch {
		case escaped:
			w.WriteRune(r)
			escaped = false
		case quote != 0:
			if r == quote {
				quote = 0
			} else if r == '\\' && quote == '"' {
				escaped = true
			} else {
				w.WriteRune(r)
			}
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case r == '\\':
			escaped, inWord = true, true
		case r == ' ' || r == '\t':
			if inWord {
				words = append(words, w.String())
				w.Reset()
				inWord = false
			}
		default:
			w.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		words = append(words, w.String())
	}
	return words
}

// goBuild is the Dockerfile's `go build` line, taken apart.
type goBuild struct {
	env   []string // NAME=value set before go
	flags []string // every argument between build and the package, -o's included
	out   string   // -o
	pkg   string
}

func dockerfileGoBuild(t *testing.T, build stage) goBuild {
	t.Helper()
	var found []goBuild
	for _, in := range build.body {
		if in.cmd != "RUN" || !strings.Contains(in.args, "go build") {
			continue
		}
		words := shellWords(in.args)
		var b goBuild
		i := 0
		for ; i < len(words) && regexp.MustCompile(`^[A-Z_][A-Z0-9_]*=`).MatchString(words[i]); i++ {
			b.env = append(b.env, words[i])
		}
		if i+1 >= len(words) || words[i] != "go" || words[i+1] != "build" {
			t.Fatalf("Dockerfile: RUN %s: want [NAME=value ...] go build FLAGS ./PACKAGE, one command", in.args)
		}
		rest := words[i+2:]
		if len(rest) == 0 {
			t.Fatalf("Dockerfile: RUN %s: no package", in.args)
		}
		b.flags, b.pkg = rest[:len(rest)-1], rest[len(rest)-1]
		for j, f := range b.flags {
			if f == "-o" && j+1 < len(b.flags) {
				b.out = b.flags[j+1]
			} else if v, ok := strings.CutPrefix(f, "-o="); ok {
				b.out = v
			}
		}
		found = append(found, b)
	}
	if len(found) != 1 {
		t.Fatalf("Dockerfile: %d go build lines in the build stage, want 1", len(found))
	}
	return found[0]
}

func TestDockerfile(t *testing.T) {
	t.Parallel()
	stages := parseDockerfile(t)
	build, final := stages[0], stages[len(stages)-1]

	goVersion := regexp.MustCompile(`(?m)^go (\d+\.\d+)`).FindStringSubmatch(readFile(t, "go.mod"))
	if goVersion == nil {
		t.Fatal("go.mod: no go directive")
	}
	if want := "golang:" + goVersion[1]; build.from != want {
		t.Errorf("build stage FROM %s, want %s (go.mod's go version)", build.from, want)
	}

	b := dockerfileGoBuild(t, build)
	if b.pkg != "./cmd/loader" {
		t.Errorf("go build builds %q, want ./cmd/loader", b.pkg)
	}
	if !slices.Contains(b.env, "CGO_ENABLED=0") {
		t.Errorf("go build environment %q, want CGO_ENABLED=0: the final image has no C library", b.env)
	}
	if !slices.Contains(b.flags, "-trimpath") {
		t.Errorf("go build flags %q, want -trimpath", b.flags)
	}
	if b.out == "" {
		t.Fatalf("go build flags %q: no -o", b.flags)
	}

	var user, entrypoint, cmd string
	copied := map[string]string{} // destination -> source, from the build stage
	for _, in := range final.body {
		switch in.cmd {
		case "USER":
			user = in.args
		case "ENTRYPOINT":
			entrypoint = in.args
		case "CMD":
			cmd = in.args
		case "COPY":
			f := strings.Fields(in.args)
			if len(f) == 3 && f[0] == "--from="+build.name {
				copied[f[2]] = f[1]
			}
		}
	}
	if uid, _, _ := strings.Cut(user, ":"); uid == "" || uid == "root" || uid == "0" {
		t.Errorf("final stage USER %q, want a non-root user", user)
	}
	var ep, args []string
	if err := json.Unmarshal([]byte(entrypoint), &ep); err != nil || len(ep) != 1 {
		t.Fatalf("ENTRYPOINT %s, want the exec form [\"/path/to/loader\"]", entrypoint)
	}
	if copied[ep[0]] != b.out {
		t.Errorf("ENTRYPOINT %s: want the go build output %s copied there from stage %q (copies: %v)", ep[0], b.out, build.name, copied)
	}
	if err := json.Unmarshal([]byte(cmd), &args); err != nil || !slices.Equal(args, []string{"sync"}) {
		t.Errorf("CMD %s, want [\"sync\"]", cmd)
	}
	if final.from == "scratch" && !strings.Contains(copied["/etc/ssl/certs/ca-certificates.crt"], "ca-certificates") {
		t.Errorf("FROM scratch without /etc/ssl/certs/ca-certificates.crt copied: HTTPS to the API would fail (copies: %v)", copied)
	}
}

// TestDockerfileBuildIsStatic runs the Dockerfile's go build line here, its
// environment and flags as written and only -o changed, and reads the ELF:
// no program interpreter and no shared library, so it runs FROM scratch.
func TestDockerfileBuildIsStatic(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the loader")
	}
	t.Parallel()
	b := dockerfileGoBuild(t, parseDockerfile(t)[0])
	out := filepath.Join(t.TempDir(), "loader")
	args := []string{"build"}
	for i := 0; i < len(b.flags); i++ {
		switch f := b.flags[i]; {
		case f == "-o":
			i++
		case strings.HasPrefix(f, "-o="):
		default:
			args = append(args, f)
		}
	}
	goCmd(t, b.env, append(args, "-o", out, b.pkg)...)

	f, err := elf.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Error("the loader has a program interpreter (PT_INTERP): it is dynamically linked")
		}
	}
	libs, err := f.ImportedLibraries()
	if err != nil {
		t.Fatal(err)
	}
	if len(libs) != 0 {
		t.Errorf("the loader needs shared libraries %v", libs)
	}
}

// dockerignored reports whether .dockerignore's patterns leave path (slash
// separated, relative to the root) out of the build context: the last
// pattern that matches the path or one of its parent directories decides,
// and a ! pattern brings it back.
func dockerignored(patterns []string, path string) bool {
	ignored := false
	for _, p := range patterns {
		negate := strings.HasPrefix(p, "!")
		p = strings.Trim(strings.TrimPrefix(p, "!"), "/")
		for dir := path; dir != "."; dir = filepath.Dir(dir) {
			if ok, _ := filepath.Match(p, dir); ok {
				ignored = !negate
				break
			}
		}
	}
	return ignored
}

func TestDockerignore(t *testing.T) {
	t.Parallel()
	var patterns []string
	for _, line := range strings.Split(readFile(t, ".dockerignore"), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.Contains(line, "**") {
			t.Fatalf(".dockerignore: %q: ** is beyond what this test follows", line)
		}
		patterns = append(patterns, line)
	}
	for _, p := range []string{".env", ".git/config", "bin/loader", "testdata/spacex-api/v4/rockets.json"} {
		if !dockerignored(patterns, p) {
			t.Errorf(".dockerignore lets %s into the build context", p)
		}
	}
	rootAbs, err := filepath.Abs(root)
	if err != nil {
		t.Fatal(err)
	}
	needed := []string{"go.mod", "go.sum"}
	for _, p := range loaderPackages(t) {
		for _, f := range slices.Concat(p.GoFiles, p.EmbedFiles) {
			rel, err := filepath.Rel(rootAbs, filepath.Join(p.Dir, f))
			if err != nil {
				t.Fatal(err)
			}
			needed = append(needed, filepath.ToSlash(rel))
		}
	}
	for _, p := range needed {
		if dockerignored(patterns, p) {
			t.Errorf(".dockerignore leaves out %s, which go build ./cmd/loader reads", p)
		}
	}
}
