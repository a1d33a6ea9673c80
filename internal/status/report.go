package status

import (
	"context"
	iofs "io/fs"
	"path"
	"strings"
	"time"

	"github.com/spacex-elt/loader/internal/check"
	"github.com/spacex-elt/loader/internal/db/dbsqlc"
	"github.com/spacex-elt/loader/internal/ledger"
	"github.com/spacex-elt/loader/internal/migrate"
)

// Binary is what the binary ships: the versions of its dbmate migrations,
// and its function and view files.
type Binary struct {
	Migrations []string
	Files      []Shipped
}

// ShippedBy lists the migration versions and the function and view files of
// files.
func ShippedBy(files migrate.Files) (Binary, error) {
	var b Binary
	names, err := iofs.Glob(files.FS, files.MigrationsDir+"/*.sql")
	if err != nil {
		return Binary{}, err
	}
	for _, n := range names {
		// dbmate's version is the file name's leading digits.
		v, _, _ := strings.Cut(path.Base(n), "_")
		b.Migrations = append(b.Migrations, v)
	}
	for _, k := range []struct{ kind, dir string }{{migrate.KindFunction, files.FunctionsDir}, {migrate.KindView, files.ViewsDir}} {
		fs, err := migrate.ReadFiles(files.FS, k.dir, k.kind)
		if err != nil {
			return Binary{}, err
		}
		for _, f := range fs {
			b.Files = append(b.Files, Shipped{Name: f.Name, Kind: k.kind, SHA256: f.SHA256})
		}
	}
	return b, nil
}

// Report is what loader status reports.
type Report struct {
	Database string
	// Migrated: schema_migrations exists.
	Migrated bool
	Schema   Schema
	Files    []File
	// LastRun is nil when no run succeeded; LastCheck, the newest check
	// run of every check, when none was recorded; LaterOnly, the newest
	// run of only some checks (--only) after it, when there is none.
	LastRun              *ledger.Succeeded
	LastCheck, LaterOnly *check.Recorded
	// NoCheckTable: meta.check_runs does not exist (a schema older than
	// this loader's).
	NoCheckTable bool
}

// Read compares the database behind db with bin; the caller names the
// database in the report. Run it in one read-only REPEATABLE READ transaction, so that
// every part comes from one snapshot. A table the database lacks (not
// migrated, or by an older loader) is reported as absent, not an error.
func Read(ctx context.Context, db dbsqlc.DBTX, bin Binary) (Report, error) {
	var r Report
	tables, err := Present(ctx, db)
	if err != nil {
		return Report{}, err
	}
	var applied []string
	if r.Migrated = tables.SchemaMigrations; r.Migrated {
		if applied, err = Migrations(ctx, db); err != nil {
			return Report{}, err
		}
	}
	r.Schema = CompareMigrations(bin.Migrations, applied)
	var files []Applied
	if tables.AppliedSQL {
		if files, err = AppliedFiles(ctx, db); err != nil {
			return Report{}, err
		}
	}
	r.Files = CompareFiles(bin.Files, files)
	if tables.Runs {
		if r.LastRun, err = ledger.LastSucceeded(ctx, db); err != nil {
			return Report{}, err
		}
	}
	r.NoCheckTable = !tables.CheckRuns
	if tables.CheckRuns {
		if r.LastCheck, r.LaterOnly, err = check.Latest(ctx, db); err != nil {
			return Report{}, err
		}
	}
	return r, nil
}

// UpToDate: no migration pending, every file current.
func (r Report) UpToDate() bool {
	for _, f := range r.Files {
		if f.State != StateCurrent {
			return false
		}
	}
	return r.Migrated && len(r.Schema.Pending) == 0
}

// JSON is the report as loader status --output json prints it.
type JSON struct {
	Database  string         `json:"database"`
	UpToDate  bool           `json:"up_to_date"`
	Schema    jsonSchema     `json:"schema"`
	Files     []jsonFile     `json:"files"`
	LastRun   *jsonSucceeded `json:"last_succeeded_run"`
	LastCheck *jsonCheckRun  `json:"last_check"`
	// LaterOnly is the newest check run of only some checks (--only)
	// after LastCheck; null when none.
	LaterOnly *jsonCheckRun `json:"later_only_check"`
}

type jsonSchema struct {
	Version *string  `json:"version"`
	Applied int      `json:"applied"`
	Pending []string `json:"pending"`
	Unknown []string `json:"unknown"`
}

type jsonFile struct {
	Name          string     `json:"name"`
	Kind          string     `json:"kind"`
	AppliedSHA256 *string    `json:"applied_sha256"`
	ShippedSHA256 *string    `json:"shipped_sha256"`
	AppliedAt     *time.Time `json:"applied_at"`
	State         string     `json:"state"`
}

type jsonSucceeded struct {
	RunID      int64     `json:"run_id"`
	Source     string    `json:"source"`
	StartedAt  time.Time `json:"started_at"`
	FinishedAt time.Time `json:"finished_at"`
	AgeSeconds float64   `json:"age_seconds"`
}

type jsonCheckRun struct {
	CheckRunID int64                `json:"check_run_id"`
	CheckedAt  time.Time            `json:"checked_at"`
	AgeSeconds float64              `json:"age_seconds"`
	Only       []string             `json:"only"`
	Checks     int                  `json:"checks"`
	Counts     map[string]int       `json:"counts"`
	Failing    []check.StoredResult `json:"failing"`
}

// JSON returns the report's JSON shape: times in UTC, and null for what is
// absent.
func (r Report) JSON() JSON {
	orNil := func(s string) *string {
		if s == "" {
			return nil
		}
		return &s
	}
	out := JSON{
		Database: r.Database, UpToDate: r.UpToDate(),
		Schema: jsonSchema{Version: orNil(r.Schema.Version), Applied: r.Schema.Applied, Pending: r.Schema.Pending, Unknown: r.Schema.Unknown},
		Files:  make([]jsonFile, len(r.Files)),
	}
	for i, f := range r.Files {
		out.Files[i] = jsonFile{Name: f.Name, Kind: f.Kind, AppliedSHA256: orNil(f.AppliedSHA256), ShippedSHA256: orNil(f.ShippedSHA256), State: f.State}
		if f.AppliedAt != nil {
			at := f.AppliedAt.UTC()
			out.Files[i].AppliedAt = &at
		}
	}
	if l := r.LastRun; l != nil {
		out.LastRun = &jsonSucceeded{RunID: l.RunID, Source: l.Source, StartedAt: l.StartedAt.UTC(), FinishedAt: l.FinishedAt.UTC(), AgeSeconds: l.Age.Seconds()}
	}
	out.LastCheck, out.LaterOnly = checkRunJSON(r.LastCheck), checkRunJSON(r.LaterOnly)
	return out
}

// checkRunJSON is c's JSON shape, nil for nil.
func checkRunJSON(c *check.Recorded) *jsonCheckRun {
	if c == nil {
		return nil
	}
	j := &jsonCheckRun{
		CheckRunID: c.CheckRunID, CheckedAt: c.CheckedAt.UTC(), AgeSeconds: c.Age.Seconds(), Only: c.Only,
		Checks: len(c.Results), Counts: check.Counts(c.Results), Failing: []check.StoredResult{},
	}
	for _, cr := range c.Results {
		if s := cr.Status(); s == "fail" || s == "error" {
			j.Failing = append(j.Failing, cr.Stored())
		}
	}
	return j
}
