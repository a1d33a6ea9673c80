package deploy

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/spacex-elt/loader/internal/db"
)

// composeFile is the part of docker-compose.yml the tests read.
type composeFile struct {
	Services map[string]composeService `yaml:"services"`
	Volumes  map[string]any            `yaml:"volumes"`
}

type composeService struct {
	Image       string            `yaml:"image"`
	Build       yaml.Node         `yaml:"build"`
	Command     []string          `yaml:"command"`
	Environment map[string]string `yaml:"environment"`
	Ports       []string          `yaml:"ports"`
	Volumes     []string          `yaml:"volumes"`
	Healthcheck struct {
		Test []string `yaml:"test"`
	} `yaml:"healthcheck"`
	DependsOn map[string]struct {
		Condition string `yaml:"condition"`
	} `yaml:"depends_on"`
}

// buildsDockerfile reports whether the service's image is built from the
// Dockerfile at the repository root: `build: .`, or a context of "." with
// no other dockerfile.
func (s composeService) buildsDockerfile() bool {
	switch s.Build.Kind {
	case yaml.ScalarNode:
		return s.Build.Value == "." || s.Build.Value == "./"
	case yaml.MappingNode:
		var b struct {
			Context    string `yaml:"context"`
			Dockerfile string `yaml:"dockerfile"`
		}
		if err := s.Build.Decode(&b); err != nil {
			return false
		}
		return (b.Context == "." || b.Context == "./") && (b.Dockerfile == "" || b.Dockerfile == "Dockerfile")
	}
	return false
}

func loadCompose(t *testing.T) composeFile {
	t.Helper()
	var c composeFile
	if err := yaml.Unmarshal([]byte(readFile(t, "docker-compose.yml")), &c); err != nil {
		t.Fatalf("docker-compose.yml: %v", err)
	}
	return c
}

// envExample returns the variables .env.example assigns, with their values.
func envExample(t *testing.T) map[string]string {
	t.Helper()
	vars := map[string]string{}
	for i, line := range strings.Split(readFile(t, ".env.example"), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok || !envName.MatchString(k) {
			t.Fatalf(".env.example:%d: want NAME=value or a # comment, got %q", i+1, line)
		}
		vars[k] = v
	}
	return vars
}

// interpolation is compose's ${NAME}, ${NAME:-default}, ${NAME-default},
// ${NAME:?error}, ${NAME?error} and ${NAME:+alt}.
var interpolation = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}`)

// bareVariable is $NAME without braces, which the tests do not follow.
var bareVariable = regexp.MustCompile(`\$[A-Za-z_]`)

// interpolate substitutes the variables of s as compose does, from env
// (where a variable set to "" counts as unset for the ":" forms).
func interpolate(s string, env map[string]string) (string, error) {
	var err error
	out := interpolation.ReplaceAllStringFunc(strings.ReplaceAll(s, "$$", "\x00"), func(m string) string {
		g := interpolation.FindStringSubmatch(m)
		v, set := env[g[1]]
		unset := !set || (strings.HasPrefix(g[2], ":") && v == "")
		switch strings.TrimPrefix(g[2], ":") {
		case "-":
			if unset {
				return g[3]
			}
		case "?":
			if unset {
				err = fmt.Errorf("%s: %s", g[1], g[3])
			}
		case "+":
			if unset {
				return ""
			}
			return g[3]
		}
		return v
	})
	return strings.ReplaceAll(out, "\x00", "$"), err
}

func TestComposeServices(t *testing.T) {
	t.Parallel()
	c := loadCompose(t)
	var names []string
	for n := range c.Services {
		names = append(names, n)
	}
	slices.Sort(names)
	if want := []string{"loader", "migrate", "postgres", "views"}; !slices.Equal(names, want) {
		t.Fatalf("services = %v, want %v", names, want)
	}

	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		pg := c.Services["postgres"]
		// The newest PostgreSQL the scale-out path of docs/scaling.md
		// supports (Citus 13: PostgreSQL 15 to 17).
		if pg.Image != "postgres:17" {
			t.Errorf("image = %q, want postgres:17", pg.Image)
		}
		if !slices.ContainsFunc(pg.Healthcheck.Test, func(s string) bool { return strings.Contains(s, "pg_isready") }) {
			t.Errorf("healthcheck.test = %q, want a pg_isready", pg.Healthcheck.Test)
		}
		var data string
		for _, v := range pg.Volumes {
			if src, dst, _ := strings.Cut(v, ":"); dst == "/var/lib/postgresql/data" {
				data = src
			}
		}
		if _, named := c.Volumes[data]; data == "" || !named {
			t.Errorf("volumes = %q: want a named volume (declared under the top-level volumes, %v) on /var/lib/postgresql/data", pg.Volumes, c.Volumes)
		}
		for _, p := range pg.Ports {
			if !strings.HasPrefix(p, "127.0.0.1:") {
				t.Errorf("port %q is published on every interface, want 127.0.0.1 only", p)
			}
		}
	})

	t.Run("migrate", func(t *testing.T) {
		t.Parallel()
		m := c.Services["migrate"]
		_, version := moduleDir(t, "github.com/amacneil/dbmate/v2")
		if want := "amacneil/dbmate:" + strings.TrimPrefix(version, "v"); m.Image != want {
			t.Errorf("image = %q, want %q: the dbmate go.mod requires, which scripts/check-dbmate-cli and the loader test against", m.Image, want)
		}
		dirAt := slices.Index(m.Command, "--migrations-dir")
		if dirAt < 0 || dirAt+1 >= len(m.Command) {
			t.Fatalf("command = %q, want --migrations-dir DIR", m.Command)
		}
		if mount := "./db/migrations:" + m.Command[dirAt+1] + ":ro"; !slices.Contains(m.Volumes, mount) {
			t.Errorf("volumes = %q, want %q", m.Volumes, mount)
		}
		for _, arg := range []string{"--wait", "--no-dump-schema"} {
			if !slices.Contains(m.Command, arg) {
				t.Errorf("command = %q, want %s", m.Command, arg)
			}
		}
		if m.Command[len(m.Command)-1] != "up" {
			t.Errorf("command = %q, want dbmate up", m.Command)
		}
	})

	t.Run("views", func(t *testing.T) {
		t.Parallel()
		v := c.Services["views"]
		if !v.buildsDockerfile() {
			t.Errorf("build = %q, want the Dockerfile (build: .)", v.Build.Value)
		}
		if !slices.Equal(v.Command, []string{"migrate"}) {
			t.Errorf("command = %q, want [migrate]", v.Command)
		}
	})

	t.Run("loader", func(t *testing.T) {
		t.Parallel()
		l := c.Services["loader"]
		if !l.buildsDockerfile() {
			t.Errorf("build = %q, want the Dockerfile (build: .)", l.Build.Value)
		}
		if !slices.Equal(l.Command, []string{"sync"}) {
			t.Errorf("command = %q, want [sync]", l.Command)
		}
		if f := l.Environment["LOADER_LOG_FORMAT"]; f != "json" {
			t.Errorf("LOADER_LOG_FORMAT = %q, want json", f)
		}
	})

	t.Run("order", func(t *testing.T) {
		t.Parallel()
		for _, tt := range []struct{ service, after, condition string }{
			{"migrate", "postgres", "service_healthy"},
			{"views", "migrate", "service_completed_successfully"},
			{"loader", "views", "service_completed_successfully"},
		} {
			if got := c.Services[tt.service].DependsOn[tt.after].Condition; got != tt.condition {
				t.Errorf("%s depends_on %s: condition %q, want %q", tt.service, tt.after, got, tt.condition)
			}
		}
	})
}

func TestComposeVariablesDocumented(t *testing.T) {
	t.Parallel()
	raw := strings.ReplaceAll(readFile(t, "docker-compose.yml"), "$$", "")
	if m := bareVariable.FindString(raw); m != "" {
		t.Errorf("docker-compose.yml uses %s...: write ${NAME} (or $$ for a literal $)", m)
	}
	documented := envExample(t)
	used := map[string]bool{}
	for _, m := range interpolation.FindAllStringSubmatch(raw, -1) {
		if used[m[1]] {
			continue
		}
		used[m[1]] = true
		if _, ok := documented[m[1]]; !ok {
			t.Errorf("docker-compose.yml uses ${%s}, which .env.example does not document", m[1])
		}
	}
	for k := range documented {
		if !used[k] {
			t.Errorf(".env.example documents %s, which docker-compose.yml does not use", k)
		}
	}
}

func TestComposeNoLiteralPassword(t *testing.T) {
	t.Parallel()
	c := loadCompose(t)
	required := regexp.MustCompile(`^\$\{POSTGRES_PASSWORD:\?[^}]+\}$`)
	if p := c.Services["postgres"].Environment["POSTGRES_PASSWORD"]; !required.MatchString(p) {
		t.Errorf("postgres POSTGRES_PASSWORD = %q, want ${POSTGRES_PASSWORD:?message}: from .env, required, no default", p)
	}
	if p := envExample(t)["POSTGRES_PASSWORD"]; p != "" {
		t.Errorf(".env.example POSTGRES_PASSWORD = %q, want it empty: each deployment chooses its own", p)
	}
	userinfo := regexp.MustCompile(`^[a-z]+://(?:\$\{[^}]*\}|[^:@/]*):(.*)@`)
	for name, s := range c.Services {
		for k, v := range s.Environment {
			if strings.Contains(k, "PASSWORD") && !required.MatchString(v) {
				t.Errorf("%s: %s = %q, want ${POSTGRES_PASSWORD:?message}", name, k, v)
			}
			if m := userinfo.FindStringSubmatch(v); m != nil && !required.MatchString(m[1]) {
				t.Errorf("%s: %s has the password %q in its URL, want ${POSTGRES_PASSWORD:?message}", name, k, m[1])
			}
		}
	}
}

// TestComposeDatabaseURL resolves each service's DATABASE_URL as compose
// would with .env.example and a chosen password, and parses it as the
// loader does.
func TestComposeDatabaseURL(t *testing.T) {
	t.Parallel()
	c := loadCompose(t)
	env := envExample(t)
	secret := make([]byte, 12)
	if _, err := rand.Read(secret); err != nil {
		t.Fatal(err)
	}
	env["POSTGRES_PASSWORD"] = hex.EncodeToString(secret)
	for _, name := range []string{"migrate", "views", "loader"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			raw, ok := c.Services[name].Environment["DATABASE_URL"]
			if !ok {
				t.Fatal("no DATABASE_URL")
			}
			withoutPassword := map[string]string{}
			for k, v := range env {
				withoutPassword[k] = v
			}
			delete(withoutPassword, "POSTGRES_PASSWORD")
			if _, err := interpolate(raw, withoutPassword); err == nil {
				t.Error("DATABASE_URL resolves without POSTGRES_PASSWORD, want compose to refuse")
			}
			dsn, err := interpolate(raw, env)
			if err != nil {
				t.Fatal(err)
			}
			cfg, err := db.ParseConfig(dsn)
			if err != nil {
				t.Fatal(err)
			}
			cc := cfg.ConnConfig
			got := []any{cc.Host, cc.Port, cc.User, cc.Password, cc.Database, cc.TLSConfig == nil}
			want := []any{"postgres", uint16(5432), env["POSTGRES_USER"], env["POSTGRES_PASSWORD"], env["POSTGRES_DB"], true}
			if !slices.Equal(got, want) {
				t.Errorf("DATABASE_URL gives host, port, user, password, database, no TLS = %v, want %v", got, want)
			}
		})
	}
}

// TestComposeEnvironmentIsRead fails on a variable set on a service that
// nothing in it reads: a typo, or a setting the loader dropped.
func TestComposeEnvironmentIsRead(t *testing.T) {
	t.Parallel()
	c := loadCompose(t)
	loader, dbmate := loaderEnv(t), dbmateEnv(t)
	for _, tt := range []struct {
		service string
		reads   map[string]bool
		reader  string
	}{
		{"migrate", dbmate, "dbmate"},
		{"views", loader, "the loader"},
		{"loader", loader, "the loader"},
	} {
		for k := range c.Services[tt.service].Environment {
			if !tt.reads[k] {
				t.Errorf("%s sets %s, which %s does not read", tt.service, k, tt.reader)
			}
		}
	}
}
