package status

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"strings"

	"github.com/spacex-elt/loader/internal/db/dbsqlc"
	"github.com/spacex-elt/loader/internal/migrate"
	"github.com/spacex-elt/loader/internal/termtext"
)

// Build is what the binary says of itself: its module version ("(devel)"
// for a build from a checkout) and the commit it was built from, with
// "+modified" when the tree had changes; "unknown" when the build recorded
// none (go run, go test, -buildvcs=false).
func Build() (version, commit string) {
	info, _ := debug.ReadBuildInfo()
	return buildOf(info)
}

// buildOf is Build from info, which may be nil.
func buildOf(info *debug.BuildInfo) (version, commit string) {
	version, commit = "unknown", "unknown"
	if info == nil {
		return version, "unknown (no build information)"
	}
	if info.Main.Version != "" {
		version = info.Main.Version
	}
	var modified bool
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			commit = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if commit == "unknown" {
		commit += " (built without VCS stamping: go run, go test or -buildvcs=false)"
	} else if modified {
		commit += "+modified"
	}
	return version, commit
}

// WriteVersion writes loader --version: the build, the newest migration
// files embed and, when db is not nil, the migration the database has
// applied and its meta.transform_version(). With db nil, or a database that
// cannot answer, it says the database part is unavailable and why
// (unavailable, the reason db is nil): what the binary knows is printed
// either way. Text from the database is escaped.
func WriteVersion(ctx context.Context, w io.Writer, files migrate.Files, db dbsqlc.DBTX, unavailable error) error {
	bin, err := ShippedBy(files)
	if err != nil {
		return err
	}
	version, commit := Build()
	newest := "none"
	if n := len(bin.Migrations); n > 0 {
		newest = bin.Migrations[n-1]
	}
	fmt.Fprintf(w, "loader %s\ncommit:     %s\nmigrations: %s (the newest this binary embeds)\n", version, commit, newest)
	var applied, transform string
	if unavailable == nil && db != nil {
		applied, transform, unavailable = databaseVersions(ctx, db)
	}
	if unavailable != nil {
		why := strings.Join(strings.Fields(unavailable.Error()), " ") // one line
		_, err = fmt.Fprintf(w, "database:   unavailable (%s)\n", termtext.Escape(why))
		return err
	}
	_, err = fmt.Fprintf(w, "database:   migration %s applied, transform version %s\n", termtext.Escape(applied), termtext.Escape(transform))
	return err
}

// errNotMigrated: the database has no schema_migrations.
var errNotMigrated = errors.New("not migrated: run loader migrate")

// databaseVersions reads the newest migration applied and the transform
// version.
func databaseVersions(ctx context.Context, db dbsqlc.DBTX) (applied, transform string, err error) {
	tables, err := Present(ctx, db)
	if err != nil {
		return "", "", err
	}
	if !tables.SchemaMigrations {
		return "", "", errNotMigrated
	}
	versions, err := Migrations(ctx, db)
	if err != nil {
		return "", "", err
	}
	if len(versions) == 0 {
		return "", "", errNotMigrated
	}
	transform, err = q.BronzeTransformVersion(ctx, db)
	return versions[len(versions)-1], transform, err
}
