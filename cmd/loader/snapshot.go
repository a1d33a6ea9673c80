package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/spacex-elt/loader/internal/extract"
	"github.com/spacex-elt/loader/internal/resources"
)

func runSnapshot(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	fs := flag.NewFlagSet("snapshot", flag.ContinueOnError)
	var hf httpFlags
	hf.register(fs)
	force := fs.Bool("force", false, "record into DIR even if it holds files: those recorded are replaced, and a resource's files this recording does not write (one now absent, an older route's) are removed")
	logFormat := fs.String("log-format", envOr(getenv, envLogFmt, "text"), "log `format` on stderr: text or json (env "+envLogFmt+")")
	logLevel := fs.String("log-level", envOr(getenv, envLogLevel, "info"), "log `level`: debug, info, warn or error (env "+envLogLevel+")")
	fs.Usage = usage(fs, `Usage: loader snapshot [flags] DIR

Records `+strings.Join(resources.Names(), ", ")+` from the API into DIR, in
the layout 'loader sync --source DIR' reads: the answer to GET <route> in
DIR/<route>.json (DIR/v4/rockets.json, DIR/v5/launches.json, ...), byte for
byte as served; with --page-size, the docs of every /query page as one JSON
array. A resource the API answers 404 is left out and listed as absent.
DIR/manifest.json says when (UTC) and from where it was recorded and, per
file, its sha256, size, documents and the ETag the API sent.

DIR must be new or empty, unless --force. Files are written under temporary
names and renamed into place once every resource has been read, so a failed
snapshot leaves no file under its final name. No database is needed.
`)
	if code, done := parse(fs, args, 1, stdout, stderr); done {
		return code
	}
	dir := fs.Arg(0)
	if err := hf.check(getenv); err != nil {
		return fail(stderr, "snapshot", err)
	}
	logger, err := newLogger(stderr, *logFormat, *logLevel)
	if err != nil {
		return fail(stderr, "snapshot", err)
	}
	src := hf.source(logger)
	logger.Debug("configuration", "api_url", src.String(), "page_size", hf.pageSize, "dir", dir)

	reqs := make([]extract.Request, len(resources.All))
	for i, r := range resources.All {
		reqs[i] = extract.Request{Path: r.Path, Alternates: r.Alternates, Object: r.Object}
	}
	m, err := extract.Record(ctx, src, dir, *force, reqs...)
	if errors.Is(err, extract.ErrNotEmpty) {
		return fail(stderr, "snapshot", usageError{fmt.Errorf("%w (use --force to record into it anyway)", err)})
	}
	if err != nil {
		return fail(stderr, "snapshot", err)
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "file\tdocuments\tbytes\t")
	for _, f := range m.Files {
		fmt.Fprintf(tw, "%s\t%d\t%d\t\n", f.Path, f.Documents, f.Bytes)
	}
	tw.Flush()
	if len(m.Absent) > 0 {
		fmt.Fprintf(stdout, "absent (the API answered 404): %s\n", strings.Join(m.Absent, ", "))
	}
	fmt.Fprintf(stdout, "recorded %s at %s into %s\n", m.Source, m.RecordedAt, filepath.Join(dir, extract.ManifestName))
	return exitOK
}

// newLogger is the logger of a command that needs no database.
func newLogger(w io.Writer, format, level string) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, usageError{fmt.Errorf("--log-level %q: want debug, info, warn or error", level)}
	}
	opts := &slog.HandlerOptions{Level: l}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, usageError{fmt.Errorf("--log-format %q: want text or json", format)}
}
