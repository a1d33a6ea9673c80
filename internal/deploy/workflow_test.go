package deploy

import (
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// workflow is the part of a GitHub Actions workflow the test reads.
type workflow struct {
	Jobs map[string]struct {
		Steps []struct {
			Uses string            `yaml:"uses"`
			Run  string            `yaml:"run"`
			With map[string]string `yaml:"with"`
		} `yaml:"steps"`
	} `yaml:"jobs"`
}

// TestWorkflowReferencesExist checks what actionlint cannot: that the CI
// workflow calls only scripts and tools this repository has, and pins what
// it fetches.
func TestWorkflowReferencesExist(t *testing.T) {
	t.Parallel()
	var w workflow
	if err := yaml.Unmarshal([]byte(readFile(t, ".github/workflows/ci.yml")), &w); err != nil {
		t.Fatal(err)
	}
	if len(w.Jobs) == 0 {
		t.Fatal("ci.yml: no jobs")
	}
	tools := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^\s+([a-z0-9.-]+/\S+)\s*$`).FindAllStringSubmatch(toolBlock(t), -1) {
		p := m[1]
		if regexp.MustCompile(`^v\d+$`).MatchString(path.Base(p)) {
			p = path.Dir(p)
		}
		tools[path.Base(p)] = true
	}
	script := regexp.MustCompile(`(?:^|[\s;&|(])((?:scripts|\.ci)/[A-Za-z0-9_./-]+)`)
	goTool := regexp.MustCompile(`go tool -modfile=tools/go.mod ([a-z0-9-]+)`)
	goRun := regexp.MustCompile(`go run (\S+@\S+)`)
	pinned := regexp.MustCompile(`^[a-z0-9-]+/[a-z0-9-]+@v\d+(\.\d+)*$`)
	for name, job := range w.Jobs {
		for _, s := range job.Steps {
			if s.Uses != "" && !pinned.MatchString(s.Uses) {
				t.Errorf("%s: uses %s, want owner/action@vN", name, s.Uses)
			}
			if f := s.With["go-version-file"]; f != "" {
				if _, err := os.Stat(filepath.Join(root, f)); err != nil {
					t.Errorf("%s: go-version-file %s: %v", name, f, err)
				}
			}
			for _, m := range script.FindAllStringSubmatch(s.Run, -1) {
				if _, err := os.Stat(filepath.Join(root, m[1])); err != nil {
					t.Errorf("%s: runs %s, which the repository lacks", name, m[1])
				}
			}
			for _, m := range goTool.FindAllStringSubmatch(s.Run, -1) {
				if !tools[m[1]] {
					t.Errorf("%s: go tool %s, which tools/go.mod does not declare (tools: %v)", name, m[1], tools)
				}
			}
			for _, m := range goRun.FindAllStringSubmatch(s.Run, -1) {
				if v := m[1][strings.LastIndex(m[1], "@")+1:]; !regexp.MustCompile(`^v\d+\.\d+\.\d+$`).MatchString(v) {
					t.Errorf("%s: go run %s, want an exact version", name, m[1])
				}
			}
		}
	}
}

// toolBlock returns the tool ( ... ) block of tools/go.mod.
func toolBlock(t *testing.T) string {
	t.Helper()
	m := regexp.MustCompile(`(?s)\ntool \((.*?)\n\)`).FindStringSubmatch(readFile(t, "tools/go.mod"))
	if m == nil {
		t.Fatal("tools/go.mod: no tool block")
	}
	return m[1]
}

// TestWorkflowVersions: the suite runs on every PostgreSQL from 15 to 18,
// each in its own container (TEST_PG_IMAGE, which internal/pgtest reads),
// and the job that runs the plain dbmate CLI as a deploy does uses the
// PostgreSQL docker-compose.yml deploys.
func TestWorkflowVersions(t *testing.T) {
	t.Parallel()
	var w struct {
		Jobs map[string]struct {
			Strategy struct {
				Matrix map[string][]string `yaml:"matrix"`
			} `yaml:"strategy"`
			Services map[string]struct {
				Image string `yaml:"image"`
			} `yaml:"services"`
			Steps []struct {
				Run string            `yaml:"run"`
				Env map[string]string `yaml:"env"`
			} `yaml:"steps"`
		} `yaml:"jobs"`
	}
	if err := yaml.Unmarshal([]byte(readFile(t, ".github/workflows/ci.yml")), &w); err != nil {
		t.Fatal(err)
	}
	test, ok := w.Jobs["test"]
	if !ok {
		t.Fatal("ci.yml: no test job")
	}
	if got, want := test.Strategy.Matrix["postgres"], []string{"15", "16", "17", "18"}; !slices.Equal(got, want) {
		t.Errorf("test job: matrix.postgres = %q, want %q", got, want)
	}
	var suite int
	for _, s := range test.Steps {
		if strings.TrimSpace(s.Run) == "scripts/test" {
			suite++
			if s.Env["TEST_PG_IMAGE"] != "postgres:${{ matrix.postgres }}" || s.Env["CI"] != "true" {
				t.Errorf("test job: scripts/test with env %v, want TEST_PG_IMAGE postgres:${{ matrix.postgres }} and CI true", s.Env)
			}
		}
	}
	if suite != 1 {
		t.Errorf("test job: %d steps run scripts/test, want 1", suite)
	}
	if got, want := w.Jobs["dbmate"].Services["postgres"].Image, loadCompose(t).Services["postgres"].Image; got != want {
		t.Errorf("dbmate job: postgres service %q, want docker-compose.yml's %q", got, want)
	}
}
