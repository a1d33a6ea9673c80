package status

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/spacex-elt/loader/internal/db"
	"github.com/spacex-elt/loader/internal/db/dbsqlc"
	"github.com/spacex-elt/loader/internal/migrate"
)

// ErrNotMigrated: the database lacks the loader's schema, or a migration
// this binary ships (an older loader migrated it). loader migrate fixes
// it; the error's text says so.
var ErrNotMigrated = errors.New("not migrated")

// Migrated returns an error wrapping ErrNotMigrated when the database
// behind db has no schema_migrations table, lacks one of the shipped
// migration versions, or lacks a shipped function or view file that loader
// migrate applies (a database the dbmate CLI alone migrated). Every
// command but migrate and status checks it first, so that none of them
// fails on a missing relation or function halfway (or, as loader check
// would, once per check). What a role may not read (schema_migrations,
// meta.applied_sql) is not checked.
func Migrated(ctx context.Context, db dbsqlc.DBTX, shipped Binary) error {
	readable, err := q.SchemaMigrationsReadable(ctx, db)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return fmt.Errorf("%w (no schema_migrations table): run loader migrate", ErrNotMigrated)
	case err != nil:
		return fmt.Errorf("look up schema_migrations: %w", err)
	case !readable:
		return nil
	}
	applied, err := Migrations(ctx, db)
	if err != nil {
		return err
	}
	if p := CompareMigrations(shipped.Migrations, applied).Pending; len(p) > 0 {
		return fmt.Errorf("%w to this loader (%d of its migrations not applied: %s): run loader migrate",
			ErrNotMigrated, len(p), strings.Join(p, ", "))
	}
	if readable, err = q.AppliedSQLReadable(ctx, db); errors.Is(err, pgx.ErrNoRows) || err == nil && !readable {
		return nil
	} else if err != nil {
		return fmt.Errorf("look up meta.applied_sql: %w", err)
	}
	files, err := AppliedFiles(ctx, db)
	if err != nil {
		return err
	}
	var absent []string
	for _, f := range CompareFiles(shipped.Files, files) {
		if f.State == StateNotApplied || f.State == StateMissing {
			absent = append(absent, f.Name)
		}
	}
	if len(absent) > 0 {
		return fmt.Errorf("%w by this loader (%d of its function and view files not applied: %s): run loader migrate",
			ErrNotMigrated, len(absent), strings.Join(absent, ", "))
	}
	return nil
}

// Open connects as db.Open does and, unless anySchema, checks that the
// database is migrated to what files ship (Migrated). The error names the
// database.
func Open(ctx context.Context, cfg *pgxpool.Config, files migrate.Files, anySchema bool) (*pgxpool.Pool, error) {
	pool, err := db.Open(ctx, cfg)
	if err != nil || anySchema {
		return pool, err
	}
	bin, err := ShippedBy(files)
	if err == nil {
		err = Migrated(ctx, pool, bin)
	}
	if err == nil {
		return pool, nil
	}
	pool.Close()
	if errors.Is(err, ErrNotMigrated) {
		return nil, fmt.Errorf("database %s is %w", db.Describe(cfg.ConnConfig.Config), err)
	}
	return nil, fmt.Errorf("database %s: %w", db.Describe(cfg.ConnConfig.Config), err)
}
