// Package check runs data tests against the warehouse, as dbt does: each
// check is a SELECT that returns the rows violating it, kept in a file of
// its own (db/checks/<name>.sql) with its severity and description in a
// header comment. The SQL is read at run time; nothing here knows what a
// check tests.
//
// A check file starts with its header, one "-- key: value" line per key,
// a value continued on the following lines indented after "--":
//
//	-- severity: warn
//	-- description: Each live payload's launch is a live launch. One
//	--   violation per payload; the key is the payload's name.
//	SELECT ... AS key, ...
//
// The first column of the SELECT must be named key: it identifies a
// violating row in the report's samples.
//
// The checks read two session settings: MaxAgeSetting, and
// ResourcesSetting, the registry (internal/resources), so that a check
// that goes over every resource and bridge reads their tables from it
// instead of listing them.
package check

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	schema "github.com/spacex-elt/loader/db"
	"github.com/spacex-elt/loader/internal/resources"
)

// Severity says what a failing check means.
type Severity string

const (
	// Error: the data breaks a rule the loader and gold rely on (or the
	// load itself is broken, or stale); `loader check` exits non-zero.
	Error Severity = "error"
	// Warn: an inconsistency of the source's data worth knowing about;
	// reported, but not a failure.
	Warn Severity = "warn"
)

// SampleSize is how many keys of violating rows a result keeps.
const SampleSize = 5

// MaxAgeSetting is the session setting that carries Options.MaxAge to the
// checks (runs_fresh reads it with current_setting): an interval, '0' for
// no limit.
const MaxAgeSetting = "loader.max_age"

// ResourcesSetting is the session setting that carries the registry,
// resources.All, to the checks (bronze_bad_values and
// bridges_match_documents read every table it names): a JSON array with
// one object per resource, {"resource", "table"} (its Name and Table), and
// one per bridge, {"resource", "table", "bridge", "array"} (the parent's
// Name and Table, the bridge's Table and Array). Flat, so that the
// planner's estimate of its rows stays near the truth.
const ResourcesSetting = "loader.resources"

// Check is one data test.
type Check struct {
	// Name is the file's name without .sql.
	Name        string
	Severity    Severity
	Description string
	// SQL is the SELECT returning the violating rows, key first.
	SQL string
}

// Result is what running a check found.
type Result struct {
	Name        string
	Severity    Severity
	Description string
	// Violations is the number of rows the check returned.
	Violations int64
	// Samples are the smallest keys of the violating rows (byte order), at
	// most SampleSize of them; never nil.
	Samples []string
	// Err is why the check could not run (its SQL failed); the counts are
	// then zero.
	Err error
}

// Status is "pass", "warn" (violations of a warn check), "fail"
// (violations of an error check) or "error" (the check could not run).
func (r Result) Status() string {
	switch {
	case r.Err != nil:
		return "error"
	case r.Violations == 0:
		return "pass"
	case r.Severity == Warn:
		return "warn"
	default:
		return "fail"
	}
}

// Counts counts results by Status, every status present.
func Counts(results []Result) map[string]int {
	counts := map[string]int{"pass": 0, "warn": 0, "fail": 0, "error": 0}
	for _, r := range results {
		counts[r.Status()]++
	}
	return counts
}

// JSONResult is a result as loader check --output json, and the checks of
// a run's summary, print it.
type JSONResult struct {
	Name        string   `json:"name"`
	Severity    string   `json:"severity"`
	Status      string   `json:"status"`
	Description string   `json:"description"`
	Violations  int64    `json:"violations"`
	Samples     []string `json:"samples"`
	// Error is why the check could not run; null when it ran.
	Error *string `json:"error"`
}

// JSON returns the results' JSON shape.
func JSON(results []Result) []JSONResult {
	out := make([]JSONResult, len(results))
	for i, r := range results {
		out[i] = JSONResult{
			Name: r.Name, Severity: string(r.Severity), Status: r.Status(), Description: r.Description,
			Violations: r.Violations, Samples: r.Samples,
		}
		if r.Err != nil {
			msg := r.Err.Error()
			out[i].Error = &msg
		}
	}
	return out
}

var (
	nameRE   = regexp.MustCompile(`^[a-z0-9_]+$`)
	headerRE = regexp.MustCompile(`^--\s?([a-z_]+):\s*(.*)$`)
)

// Embedded loads the checks built into the binary, from db/checks.
func Embedded() ([]Check, error) {
	dir, err := fs.Sub(schema.FS, schema.ChecksDir)
	if err != nil {
		return nil, err
	}
	return Load(dir)
}

// Load reads every *.sql file at the root of fsys as a check, in name
// order. A file without a valid header is an error naming it.
func Load(fsys fs.FS) ([]Check, error) {
	files, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, errors.New("no check files (*.sql)")
	}
	checks := make([]Check, 0, len(files))
	for _, f := range files { // fs.Glob returns names sorted
		src, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, err
		}
		c, err := Parse(strings.TrimSuffix(path.Base(f), ".sql"), string(src))
		if err != nil {
			return nil, fmt.Errorf("check %s: %w", f, err)
		}
		checks = append(checks, c)
	}
	return checks, nil
}

// Parse reads a check's header and SQL.
func Parse(name, src string) (Check, error) {
	c := Check{Name: name}
	if !nameRE.MatchString(name) {
		return c, fmt.Errorf("name %q: want lower-case letters, digits and _", name)
	}
	lines := strings.Split(src, "\n")
	var last *string // the value a continuation line extends
	i := 0
	for ; i < len(lines); i++ {
		line := strings.TrimRight(lines[i], " \t\r")
		if m := headerRE.FindStringSubmatch(line); m != nil {
			switch m[1] {
			case "severity":
				c.Severity = Severity(m[2])
				last = nil
			case "description":
				c.Description = m[2]
				last = &c.Description
			default:
				return c, fmt.Errorf("line %d: unknown header key %q (want severity or description)", i+1, m[1])
			}
			continue
		}
		if rest, ok := strings.CutPrefix(line, "--  "); ok && last != nil {
			*last += " " + strings.TrimSpace(rest)
			continue
		}
		break
	}
	switch {
	case c.Severity != Error && c.Severity != Warn:
		return c, fmt.Errorf("severity %q: want a header line '-- severity: error' or '-- severity: warn'", c.Severity)
	case c.Description == "":
		return c, errors.New("no description: want a header line '-- description: ...'")
	}
	c.SQL = strings.TrimSpace(strings.Join(lines[i:], "\n"))
	if c.SQL == "" {
		return c, errors.New("no SQL after the header")
	}
	return c, nil
}

// Select returns the checks with the given names, in the order of checks;
// no names selects all. An unknown name is an error.
func Select(checks []Check, names []string) ([]Check, error) {
	if len(names) == 0 {
		return checks, nil
	}
	for _, n := range names {
		if !slices.ContainsFunc(checks, func(c Check) bool { return c.Name == n }) {
			valid := make([]string, len(checks))
			for i, c := range checks {
				valid[i] = c.Name
			}
			return nil, fmt.Errorf("no check named %q; the checks are %s", n, strings.Join(valid, ", "))
		}
	}
	return slices.DeleteFunc(slices.Clone(checks), func(c Check) bool { return !slices.Contains(names, c.Name) }), nil
}

// Options are the settings the checks read.
type Options struct {
	// MaxAge is how long ago the last succeeded run may have finished
	// (runs_fresh); 0 means no limit.
	MaxAge time.Duration
}

// DB begins transactions: a pool or a connection.
type DB interface {
	BeginTx(ctx context.Context, opts pgx.TxOptions) (pgx.Tx, error)
}

// Run runs the checks in one read-only REPEATABLE READ transaction, so
// that all of them see the same snapshot of the database (a sync that
// commits meanwhile is seen by none). A check whose SQL fails gets a
// result with Err and the others still run; an error is returned only
// when the transaction itself fails or ctx ends.
func Run(ctx context.Context, db DB, checks []Check, opts Options) ([]Result, error) {
	if opts.MaxAge < 0 {
		return nil, fmt.Errorf("max age %s: must not be negative", opts.MaxAge)
	}
	reg, err := registry()
	if err != nil {
		return nil, fmt.Errorf("encode the registry for the checks: %w", err)
	}
	tx, err := db.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, fmt.Errorf("begin the checks' transaction: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // read-only: nothing to lose
	// Keys that show timestamps read the same whatever the server's zone.
	if _, err := tx.Exec(ctx, "SELECT set_config($1, $2, true), set_config($3, $4, true), set_config('TimeZone', 'UTC', true)",
		MaxAgeSetting, interval(opts.MaxAge), ResourcesSetting, reg); err != nil {
		return nil, fmt.Errorf("set the checks' settings: %w", err)
	}
	results := make([]Result, 0, len(checks))
	for _, c := range checks {
		r := Result{Name: c.Name, Severity: c.Severity, Description: c.Description, Samples: []string{}}
		r.Violations, r.Samples, r.Err = run(ctx, tx, c)
		if r.Err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			r.Violations, r.Samples = 0, []string{}
			r.Err = fmt.Errorf("check %s (%s.sql): %w", c.Name, c.Name, r.Err)
		}
		results = append(results, r)
	}
	return results, nil
}

// run runs one check under a savepoint, so that its failure leaves the
// transaction usable for the next, and counts its rows while keeping the
// smallest keys.
func run(ctx context.Context, tx pgx.Tx, c Check) (n int64, samples []string, err error) {
	sp, err := tx.Begin(ctx)
	if err != nil {
		return 0, nil, err
	}
	defer func() {
		if err != nil {
			sp.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // the check's error says more
		} else {
			err = sp.Commit(ctx)
		}
	}()
	// Text results: the key arrives as PostgreSQL prints it, whatever its
	// type, and nothing else is decoded.
	rows, err := sp.Query(ctx, c.SQL, pgx.QueryResultFormats{pgx.TextFormatCode})
	if err != nil {
		return 0, nil, err
	}
	defer rows.Close()
	if f := rows.FieldDescriptions(); len(f) == 0 || f[0].Name != "key" {
		rows.Close()
		if err := rows.Err(); err != nil { // a statement that failed has no columns
			return 0, nil, err
		}
		return 0, nil, errors.New("the first column must be named key")
	}
	samples = []string{}
	for rows.Next() {
		n++
		key := "NULL"
		if raw := rows.RawValues()[0]; raw != nil {
			key = string(raw)
		}
		samples = keep(samples, key)
	}
	return n, samples, rows.Err()
}

// keep adds key to the sorted samples if it is among the SampleSize
// smallest.
func keep(samples []string, key string) []string {
	i, _ := slices.BinarySearch(samples, key)
	if i >= SampleSize {
		return samples
	}
	samples = slices.Insert(samples, i, key)
	if len(samples) > SampleSize {
		samples = samples[:SampleSize]
	}
	return samples
}

// registry renders resources.All as ResourcesSetting carries it.
func registry() (string, error) {
	type table struct {
		Resource string `json:"resource"`
		Table    string `json:"table"`
		Bridge   string `json:"bridge,omitempty"`
		Array    string `json:"array,omitempty"`
	}
	var tables []table
	for _, r := range resources.All {
		tables = append(tables, table{Resource: r.Name, Table: r.Table})
		for _, b := range r.Bridges {
			tables = append(tables, table{Resource: r.Name, Table: r.Table, Bridge: b.Table, Array: b.Array})
		}
	}
	b, err := json.Marshal(tables)
	return string(b), err
}

// interval renders d as a PostgreSQL interval, rounded up to whole
// microseconds so that a positive limit never becomes "no limit".
func interval(d time.Duration) string {
	if d == 0 {
		return "0"
	}
	return fmt.Sprintf("%d microseconds", (d+time.Microsecond-1)/time.Microsecond)
}
