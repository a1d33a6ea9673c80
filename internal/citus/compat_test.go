// Package citus holds no code: its test keeps the schema within what
// docs/scaling.md says a move to Citus relies on. It reads the embedded SQL
// only and needs no database.
package citus

import (
	"io/fs"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	schema "github.com/spacex-elt/loader/db"
)

// upSQL returns the migrate:up part of every migration, by file name.
func upSQL(t *testing.T) map[string]string {
	t.Helper()
	names, err := fs.Glob(schema.FS, path.Join(schema.MigrationsDir, "*.sql"))
	if err != nil || len(names) == 0 {
		t.Fatalf("no migrations found: %v", err)
	}
	out := map[string]string{}
	for _, name := range names {
		b, err := fs.ReadFile(schema.FS, name)
		if err != nil {
			t.Fatalf("read %s: %v", name, err)
		}
		up, _, _ := strings.Cut(string(b), "-- migrate:down")
		out[name] = up
	}
	return out
}

var (
	createBronze = regexp.MustCompile(`(?s)CREATE TABLE (bronze\.\w+) \((.*?)\n\);`)
	inlinePK     = regexp.MustCompile(`(?m)^\s*(\w+)\s+\w+[^,\n]*PRIMARY KEY`)
	tablePK      = regexp.MustCompile(`PRIMARY KEY \(([^)]*)\)`)
	parentFK     = regexp.MustCompile(`(?m)^\s*(\w+)\s+text NOT NULL REFERENCES (bronze\.\w+)`)
)

// TestBronzeKeysContainDistributionColumn: Citus requires every primary key
// of a distributed table to contain its distribution column, and foreign
// keys between distributed tables to include it. docs/scaling.md
// distributes record tables by id and bridges by their parent's id, so a
// record table's key must be (id) and a bridge's (parent id, position).
func TestBronzeKeysContainDistributionColumn(t *testing.T) {
	t.Parallel()
	tables := map[string][]string{}
	declared := 0
	for name, sql := range upSQL(t) {
		declared += strings.Count(sql, "CREATE TABLE bronze.")
		for _, m := range createBronze.FindAllStringSubmatch(sql, -1) {
			table, body := m[1], m[2]
			var pk []string
			if k := tablePK.FindStringSubmatch(body); k != nil {
				for _, c := range strings.Split(k[1], ",") {
					pk = append(pk, strings.TrimSpace(c))
				}
			} else if k := inlinePK.FindStringSubmatch(body); k != nil {
				pk = []string{k[1]}
			}
			want := []string{"id"}
			if fk := parentFK.FindStringSubmatch(body); fk != nil {
				want = []string{fk[1], "<position>"}
				if len(pk) == 2 {
					want[1] = pk[1]
				}
			}
			if !slices.Equal(pk, want) {
				t.Errorf("%s (%s): primary key %v, want %v", table, name, pk, want)
			}
			if strings.Contains(body, "UNIQUE") {
				t.Errorf("%s (%s): a UNIQUE constraint; on a distributed table it would have to contain the distribution column", table, name)
			}
			tables[table] = pk
		}
	}
	if len(tables) != declared {
		t.Fatalf("parsed %d bronze tables of %d CREATE TABLE bronze. statements: the pattern no longer matches the migrations", len(tables), declared)
	}
	for table, want := range map[string][]string{
		"bronze.launches":          {"id"},
		"bronze.launch_payloads":   {"launch_id", "payload_index"},
		"bronze.payload_norad_ids": {"payload_id", "norad_id_index"},
	} {
		if got := tables[table]; !slices.Equal(got, want) {
			t.Errorf("%s: primary key %v, want %v", table, got, want)
		}
	}
}

// TestNoConstructCitusRejects: unique indexes on bronze (they would need
// the distribution column), triggers, rules and sequences of our own are
// absent from the schema; docs/scaling.md section 6 says so.
func TestNoConstructCitusRejects(t *testing.T) {
	t.Parallel()
	banned := regexp.MustCompile(`(?i)CREATE UNIQUE INDEX [^;]* ON bronze\.|CREATE (OR REPLACE )?TRIGGER|CREATE (OR REPLACE )?RULE|CREATE SEQUENCE|(?m)^\s*\w+\s+(big|small)?serial\b`)
	files := upSQL(t)
	funcs, err := fs.Glob(schema.FS, path.Join(schema.FunctionsDir, "*.sql"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range funcs {
		b, err := fs.ReadFile(schema.FS, name)
		if err != nil {
			t.Fatal(err)
		}
		files[name] = string(b)
	}
	for name, sql := range files {
		if m := banned.FindString(sql); m != "" {
			t.Errorf("%s: %q", name, m)
		}
	}
}

// TestVolatileCallsInPromotion: Citus rejects VOLATILE functions in UPDATE
// statements on distributed tables, so no promotion function calls one
// (they pass the time in as a parameter instead; docs/scaling.md,
// section 3).
func TestVolatileCallsInPromotion(t *testing.T) {
	t.Parallel()
	b, err := fs.ReadFile(schema.FS, path.Join(schema.FunctionsDir, "bronze.sql"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, fn := range strings.Split(string(b), "CREATE OR REPLACE FUNCTION ")[1:] {
		name, _, _ := strings.Cut(fn, "(")
		if strings.Contains(fn, "clock_timestamp()") || strings.Contains(fn, "random()") {
			got = append(got, name)
		}
	}
	sort.Strings(got)
	if len(got) > 0 {
		t.Errorf("functions of db/functions/bronze.sql calling a volatile function (Citus refuses one in an UPDATE): %v", got)
	}
}
