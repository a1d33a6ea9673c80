// Package migrate brings a database up to the embedded schema: the dbmate
// migrations, then the gold view files.
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
)

// lockKey is the advisory lock that serialises concurrent migrates: dbmate
// takes none, and two of them racing would both try the same migration.
// The value is arbitrary but fixed ("spacex-m" in ASCII).
const lockKey int64 = 0x7370616365782d6d

// Files is where the SQL lives: dbmate migrations in MigrationsDir and view
// files in ViewsDir, both inside FS.
type Files struct {
	FS            fs.FS
	MigrationsDir string
	ViewsDir      string
}

// Up applies pending migrations and then (re)applies changed view files to
// the database dsn names (see db.ParseConfig), holding an advisory lock for
// the whole time. dbmate's progress goes to out.
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
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", lockKey); err != nil {
		return fmt.Errorf("take the migration lock: %w", err)
	}
	defer func() {
		// Unlock on a context that outlives a cancelled run; closing the
		// connection would release it too.
		_, _ = conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", lockKey)
	}()

	m := dbmate.New(dbmateURL)
	m.FS = files.FS
	m.MigrationsDir = []string{files.MigrationsDir}
	m.AutoDumpSchema = false
	m.Log = out
	if err := m.Migrate(); err != nil {
		if errors.Is(err, dbmate.ErrNoMigrationFiles) {
			return fmt.Errorf("apply migrations: no migration files in %s", files.MigrationsDir)
		}
		return fmt.Errorf("apply migrations: %w", err)
	}
	return ApplyViews(ctx, conn, files.FS, files.ViewsDir, logger)
}

// View is one view file: NAME.sql creates the relation NAME (schema-
// qualified, e.g. gold.rocket_cost_efficiency.sql creates
// gold.rocket_cost_efficiency).
type View struct {
	Name   string
	SQL    string
	SHA256 string
}

// ReadViews lists the view files of dir in the order they are applied:
// by name, so a view that depends on another must sort after it.
func ReadViews(fsys fs.FS, dir string) ([]View, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("read view files: %w", err)
	}
	var views []View
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		name := strings.TrimSuffix(e.Name(), ".sql")
		if strings.Count(name, ".") != 1 {
			return nil, fmt.Errorf("view file %s: name it SCHEMA.VIEW.sql", e.Name())
		}
		b, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("read view file %s: %w", e.Name(), err)
		}
		sum := sha256.Sum256(b)
		views = append(views, View{Name: name, SQL: string(b), SHA256: hex.EncodeToString(sum[:])})
	}
	sort.Slice(views, func(i, j int) bool { return views[i].Name < views[j].Name })
	return views, nil
}

// ApplyViews creates each view whose file changed since it was last applied,
// or whose relation is missing, dropping the old one first; each in its own
// transaction. Unchanged views are left alone.
func ApplyViews(ctx context.Context, conn *pgx.Conn, fsys fs.FS, dir string, logger *slog.Logger) error {
	views, err := ReadViews(fsys, dir)
	if err != nil {
		return err
	}
	for _, v := range views {
		applied, err := applyView(ctx, conn, v)
		if err != nil {
			return fmt.Errorf("apply view %s: %w", v.Name, err)
		}
		if applied {
			logger.InfoContext(ctx, "view applied", "view", v.Name, "sha256", v.SHA256[:12])
		} else {
			logger.DebugContext(ctx, "view unchanged", "view", v.Name)
		}
	}
	return nil
}

func applyView(ctx context.Context, conn *pgx.Conn, v View) (bool, error) {
	q := db.New(conn)
	cur, err := q.ViewGet(ctx, v.Name)
	if err != nil {
		return false, err
	}
	if cur.Sha256 == v.SHA256 && cur.Relkind != "" {
		return false, nil
	}
	err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		drop, err := dropStatement(v.Name, cur.Relkind)
		if err != nil {
			return err
		}
		if drop != "" {
			if _, err := tx.Exec(ctx, drop); err != nil {
				return fmt.Errorf("drop the previous version: %w", err)
			}
		}
		// No arguments: the simple protocol runs the file's statements as
		// one batch.
		if _, err := tx.Exec(ctx, v.SQL, pgx.QueryExecModeSimpleProtocol); err != nil {
			return err
		}
		return q.WithTx(tx).ViewRecord(ctx, db.ViewRecordParams{Name: v.Name, Sha256: v.SHA256})
	})
	return err == nil, err
}

// dropStatement drops whatever relation kind now holds the view's name.
// CASCADE takes dependent views with it; they sort later and are re-created
// in the same ApplyViews pass because their relation is then missing.
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
