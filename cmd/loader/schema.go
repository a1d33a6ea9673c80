package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	schema "github.com/spacex-elt/loader/db"
	"github.com/spacex-elt/loader/internal/db"
	"github.com/spacex-elt/loader/internal/migrate"
	"github.com/spacex-elt/loader/internal/status"
)

// embedded are the schema files the binary carries.
var embedded = migrate.Files{FS: schema.FS, MigrationsDir: schema.MigrationsDir, FunctionsDir: schema.FunctionsDir, ViewsDir: schema.ViewsDir}

var cmdMigrate = &command{
	name: "migrate", usage: "[flags]", exits: []int{exitCancelled}, short: "apply the database migrations, then the gold views",
	long: `Applies the embedded dbmate migrations (db/migrations, recorded in
schema_migrations, the same table the dbmate CLI uses), then every function
file in db/functions and every gold view file in db/views that changed since
it was last applied (recorded in meta.applied_sql). Files whose SQL is
unchanged are left alone. Concurrent migrates wait for each other, on a lock
of schema_migrations that only its owner can take.
`,
	flags: func(*flags) func(context.Context, *invocation) error {
		return func(ctx context.Context, in *invocation) error {
			cfg, err := in.setup()
			if err != nil {
				return err
			}
			start := time.Now()
			if err := migrate.Up(ctx, cfg.ConnString(), embedded, db.MaskWriter(in.stdout, cfg.ConnConfig.Password), in.logger); err != nil {
				return err
			}
			fmt.Fprintf(in.stdout, "migrate: %s is up to date (%s)\n", db.Describe(cfg.ConnConfig.Config), time.Since(start).Round(time.Millisecond))
			return nil
		}
	},
}

var cmdStatus = &command{
	name: "status", usage: "[flags]", exits: []int{exitCancelled}, anySchema: true, short: "the schema, function and view files against this binary, the last succeeded run and check results",
	output: "report `format` on stdout: text or json",
	long: `Reports the state of the database against this binary, reading only, in
one read-only transaction:
  - schema: the newest dbmate migration applied (schema_migrations), the
    embedded migrations not applied yet (loader migrate applies them), and
    any applied that this binary does not ship (a newer loader migrated);
  - files: each function (db/functions) and gold view (db/views) file, with
    the sha256 it was applied with (meta.applied_sql) and the one embedded
    in this binary, and its state: current; changed (the embedded file
    differs from the one applied); not applied; missing (a view whose
    relation is gone); not shipped (applied, but no longer in this binary).
    loader migrate makes all but "not shipped" current;
  - the last succeeded sync or replay: its run id, when it finished and how
    long ago (by the database server's clock);
  - the last check of every check loader check recorded (meta.check_runs,
    meta.check_results): when, the count of checks per status, and the
    checks that failed or could not run; then (later:) the newest check
    --only run after it, which does not stand for a full check.
A database not migrated, or migrated by an older loader, lacks some of the
tables; what they would hold is reported as absent (not migrated, not
applied, none recorded), not as an error.

--output json prints one object: {database, up_to_date, schema: {version,
applied, pending, unknown}, files: [{name, kind, applied_sha256,
shipped_sha256, applied_at, state}], last_succeeded_run: {run_id, source,
started_at, finished_at, age_seconds} or null, last_check: {check_run_id,
checked_at, age_seconds, only, checks, counts: {pass, warn, fail, error},
failing: [{name, severity, status, violations, samples, error}]} or null,
later_only_check: the same, of the newest --only run after it, or null}.
up_to_date is true when no migration is pending and every file is current.

The exit code is 0 when the status was read (whatever it says), 1 when the
database could not be read.
`,
	flags: func(*flags) func(context.Context, *invocation) error {
		return func(ctx context.Context, in *invocation) error {
			bin, err := status.ShippedBy(embedded)
			if err != nil {
				return err
			}
			var st status.Report
			cfg, err := in.read(ctx, func(tx pgx.Tx) (err error) {
				st, err = status.Read(ctx, tx, bin)
				return err
			})
			if err != nil {
				return err
			}
			st.Database = db.Describe(cfg.ConnConfig.Config)
			if in.json {
				return encodeJSON(in.stdout, st.JSON())
			}
			st.WriteText(in.stdout)
			return nil
		}
	},
}

var cmdVersion = &command{
	name: "version", usage: "[flags]", short: "the version, commit, and migration and transform versions",
	long: `Prints the version, the commit, the newest migration embedded and, from the
database, the newest applied and meta.transform_version(); exits 0 without one.
`,
	flags: func(*flags) func(context.Context, *invocation) error {
		return func(ctx context.Context, in *invocation) error {
			_, err := in.read(ctx, func(tx pgx.Tx) error { return status.WriteVersion(ctx, in.stdout, embedded, tx, nil) })
			if err != nil && !errors.As(err, new(usageError)) { // what the binary knows, and why the database is left out
				return status.WriteVersion(ctx, in.stdout, embedded, nil, err)
			}
			return err
		}
	},
}
