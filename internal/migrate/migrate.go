// Package migrate brings a database up to the embedded schema: the dbmate
// migrations, then the function files, then the gold view files.
package migrate

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/url"
	"path"
	"sort"
	"strings"

	"github.com/amacneil/dbmate/v2/pkg/dbmate"
	_ "github.com/amacneil/dbmate/v2/pkg/driver/postgres" // the only driver dbmate needs here
	"github.com/jackc/pgx/v5"

	"github.com/spacex-elt/loader/internal/db"
	"github.com/spacex-elt/loader/internal/db/dbsqlc"
)

// q runs the generated queries; each call takes its connection.
var q = dbsqlc.New()

// Files is where the SQL lives: dbmate migrations in MigrationsDir,
// function files in FunctionsDir and view files in ViewsDir, all inside FS.
type Files struct {
	FS            fs.FS
	MigrationsDir string
	FunctionsDir  string
	ViewsDir      string
}

// Up applies pending migrations, then (re)applies changed function and
// view files, then the roles' grants (meta.apply_grants), to the database
// dsn names (see db.ParseConfig), holding migrate's lock (see lock) for the
// whole time. dbmate's progress goes to out. Run it as the migration owner:
// the role that owns the schemas and so every view and function it creates.
func Up(ctx context.Context, dsn string, files Files, out io.Writer, logger *slog.Logger) error {
	cfg, err := db.ParseConfig(dsn)
	if err != nil {
		return err
	}
	target := db.Describe(cfg.ConnConfig.Config)
	conn, err := pgx.ConnectConfig(ctx, cfg.ConnConfig)
	if err != nil {
		return fmt.Errorf("connect to %s: %w", target, err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	u, err := db.URL(dsn, cfg.ConnConfig.Config)
	if err != nil {
		return err
	}
	return up(ctx, conn, u, files, out, logger)
}

func up(ctx context.Context, conn *pgx.Conn, dbmateURL *url.URL, files Files, out io.Writer, logger *slog.Logger) error {
	m := dbmate.New(dbmateURL)
	m.FS = files.FS
	m.MigrationsDir = []string{files.MigrationsDir}
	m.AutoDumpSchema = false
	m.Log = out
	release, err := lock(ctx, conn, m)
	if err != nil {
		return err
	}
	defer release()
	if err := m.Migrate(); err != nil {
		if errors.Is(err, dbmate.ErrNoMigrationFiles) {
			return fmt.Errorf("apply migrations: no migration files in %s", files.MigrationsDir)
		}
		return fmt.Errorf("apply migrations: %w", err)
	}
	if err := Apply(ctx, conn, KindFunction, files.FS, files.FunctionsDir, logger); err != nil {
		return err
	}
	if err := Apply(ctx, conn, KindView, files.FS, files.ViewsDir, logger); err != nil {
		return err
	}
	// Default privileges cover what the migration owner creates; this
	// covers the rest (a view re-created by another role, what existed
	// before the roles), whichever path (dbmate CLI or this) applied the
	// migrations.
	if _, err := conn.Exec(ctx, applyGrants); err != nil {
		return fmt.Errorf("grant the roles their privileges (meta.apply_grants): %w", err)
	}
	return nil
}

// lock takes migrate's lock, waiting as long as another migrate holds it:
// a SHARE UPDATE EXCLUSIVE lock on dbmate's migrations table, in a
// transaction on a session of its own (dbmate and Apply use others).
// Release ends the session, and the lock.
//
// The mode conflicts with itself only among what dbmate and the loader do
// (dbmate reads and inserts the table's rows under weaker locks), and
// taking it needs UPDATE, DELETE or TRUNCATE on the table: the owner has
// them, spacex_writer and spacex_analyst only SELECT, whose ACCESS SHARE
// it does not wait for. So no login of theirs can hold migrate up, on a
// database migrated before or on one never migrated: the table is created
// first, by dbmate's own statement, before it is locked. (An advisory lock,
// which migrate took before issue 13, any login can take.)
func lock(ctx context.Context, conn *pgx.Conn, m *dbmate.DB) (release func(), err error) {
	drv, err := m.Driver()
	if err != nil {
		return nil, err
	}
	sqlDB, err := drv.Open()
	if err != nil {
		return nil, fmt.Errorf("take the migration lock: %w", err)
	}
	defer sqlDB.Close()
	if err := drv.CreateMigrationsTable(sqlDB); err != nil {
		// Two first migrates creating it at once: one of them fails on
		// the other's catalog row, and finds the table there.
		if exists, _ := drv.MigrationsTableExists(sqlDB); !exists {
			return nil, fmt.Errorf("take the migration lock: create the migrations table: %w", err)
		}
	}
	lc, err := pgx.ConnectConfig(ctx, conn.Config())
	if err != nil {
		return nil, fmt.Errorf("take the migration lock: connect: %w", err)
	}
	release = func() { _ = lc.Close(context.WithoutCancel(ctx)) }
	table := pgx.Identifier(strings.Split(m.MigrationsTableName, ".")).Sanitize()
	tx, err := lc.Begin(ctx)
	if err == nil {
		// As long as it takes, whatever lock_timeout the DSN sets.
		_, err = tx.Exec(ctx, "SET LOCAL lock_timeout = 0")
	}
	if err == nil {
		_, err = tx.Exec(ctx, "LOCK TABLE "+table+" IN SHARE UPDATE EXCLUSIVE MODE")
	}
	if err != nil {
		release()
		return nil, fmt.Errorf("take the migration lock: %w", err)
	}
	return release, nil
}

// applyGrants re-applies the privileges of spacex_writer and
// spacex_analyst (db/migrations/*_roles.sql).
const applyGrants = "SELECT meta.apply_grants()"

// Kinds of versioned SQL files.
const (
	// KindFunction files hold CREATE OR REPLACE FUNCTION statements; a file
	// is applied again as it is. Its name is free (bronze.sql).
	KindFunction = "function"
	// KindView files each create one view, NAME.sql creating the relation
	// NAME (schema-qualified, e.g. gold.rocket_cost_efficiency.sql); the
	// old relation is dropped first.
	KindView = "view"
)

// File is one versioned SQL file.
type File struct {
	Name   string
	SQL    string
	SHA256 string
}

// ReadFiles lists the .sql files of dir in the order they are applied: by
// name, so a file that depends on another must sort after it. Names are
// the file names without .sql.
func ReadFiles(fsys fs.FS, dir, kind string) ([]File, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("read %s files: %w", kind, err)
	}
	var files []File
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		name := strings.TrimSuffix(e.Name(), ".sql")
		if kind == KindView && strings.Count(name, ".") != 1 {
			return nil, fmt.Errorf("view file %s: name it SCHEMA.VIEW.sql", e.Name())
		}
		b, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("read %s file %s: %w", kind, e.Name(), err)
		}
		sum := sha256.Sum256(b)
		files = append(files, File{Name: name, SQL: string(b), SHA256: hex.EncodeToString(sum[:])})
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	return files, nil
}

// Apply applies each file of dir whose content changed since it was last
// applied (or, for a view, whose relation is missing), each in its own
// transaction, and records its hash in meta.applied_sql. Unchanged files
// are left alone.
func Apply(ctx context.Context, conn *pgx.Conn, kind string, fsys fs.FS, dir string, logger *slog.Logger) error {
	files, err := ReadFiles(fsys, dir, kind)
	if err != nil {
		return err
	}
	for _, f := range files {
		applied, err := apply(ctx, conn, kind, f)
		if err != nil {
			return fmt.Errorf("apply %s file %s: %w", kind, f.Name, err)
		}
		if applied {
			logger.InfoContext(ctx, kind+" file applied", "name", f.Name, "sha256", f.SHA256[:12])
		} else {
			logger.DebugContext(ctx, kind+" file unchanged", "name", f.Name)
		}
	}
	return nil
}

func apply(ctx context.Context, conn *pgx.Conn, kind string, f File) (bool, error) {
	cur, err := q.AppliedSQLGet(ctx, conn, f.Name)
	if err != nil {
		return false, err
	}
	if cur.Sha256 == f.SHA256 && (kind == KindFunction || cur.Relkind != "") {
		return false, nil
	}
	err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		if kind == KindView {
			drop, err := dropStatement(f.Name, cur.Relkind)
			if err != nil {
				return err
			}
			if drop != "" {
				if _, err := tx.Exec(ctx, drop); err != nil {
					return fmt.Errorf("drop the previous version: %w", err)
				}
			}
		}
		// No arguments: the simple protocol runs the file's statements as
		// one batch.
		if _, err := tx.Exec(ctx, f.SQL, pgx.QueryExecModeSimpleProtocol); err != nil {
			return err
		}
		return q.AppliedSQLRecord(ctx, tx, dbsqlc.AppliedSQLRecordParams{Name: f.Name, Kind: kind, Sha256: f.SHA256})
	})
	return err == nil, err
}

// dropStatement drops whatever relation kind now holds the view's name.
// CASCADE takes dependent views with it; they sort later and are re-created
// in the same Apply pass because their relation is then missing.
func dropStatement(name, relkind string) (string, error) {
	ident := pgx.Identifier(strings.SplitN(name, ".", 2)).Sanitize()
	switch relkind {
	case "m":
		return "DROP MATERIALIZED VIEW " + ident + " CASCADE", nil
	case "v":
		return "DROP VIEW " + ident + " CASCADE", nil
	case "":
		return "", nil
	default:
		return "", fmt.Errorf("%s exists and is not a view (relkind %q); refusing to drop it", name, relkind)
	}
}
