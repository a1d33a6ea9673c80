package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/spacex-elt/loader/internal/extract"
	"github.com/spacex-elt/loader/internal/resources"
	"github.com/spacex-elt/loader/internal/termtext"
)

var cmdSnapshot = &command{
	name: "snapshot", usage: "[flags] DIR", nargs: 1, exits: []int{exitCancelled}, short: "record the API into a directory that sync --source reads", noDatabase: true,
	long: termtext.Wrap("Records "+strings.Join(resources.Names(), ", ")+" from the API into DIR, in the layout 'loader sync --source DIR' reads: "+
		"the answer to GET <route> in DIR/<route>.json (DIR/v4/rockets.json, DIR/v5/launches.json, ...), byte for byte as served; with --page-size, "+
		"the docs of every /query page as one JSON array. A resource the API answers 404 is left out and listed as absent. DIR/manifest.json "+
		"says when (UTC) and from where it was recorded and, per file, its sha256, size, documents and the ETag the API sent.", 76, "") + `

DIR must be new or empty, unless --force. Files are written under temporary
names and renamed into place once every resource has been read, so a failed
snapshot leaves no file under its final name. No database is needed.
`,
	flags: func(f *flags) func(context.Context, *invocation) error {
		hf := registerHTTP(f)
		force := f.Bool("force", false, "record into DIR even if it holds files: those recorded are replaced, and a resource's files this recording does not write (one now absent, an older route's) are removed")
		return func(ctx context.Context, in *invocation) error {
			dir := f.Arg(0)
			if err := hf.check(); err != nil {
				return err
			}
			if _, err := in.setup(); err != nil {
				return err
			}
			src := hf.source(in)
			in.logger.Debug("configuration", "api_url", src.String(), "page_size", hf.pageSize, "dir", dir)

			reqs := make([]extract.Request, len(resources.All))
			for i, r := range resources.All {
				reqs[i] = extract.Request{Path: r.Path, Alternates: r.Alternates, Object: r.Object}
			}
			m, err := extract.Record(ctx, src, dir, *force, reqs...)
			if errors.Is(err, extract.ErrNotEmpty) {
				return usageError{fmt.Errorf("%w (use --force to record into it anyway)", err)}
			}
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(in.stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
			fmt.Fprintln(tw, "file\tdocuments\tbytes\t")
			for _, f := range m.Files {
				fmt.Fprintf(tw, "%s\t%d\t%d\t\n", f.Path, f.Documents, f.Bytes)
			}
			tw.Flush()
			if len(m.Absent) > 0 {
				fmt.Fprintf(in.stdout, "absent (the API answered 404): %s\n", strings.Join(m.Absent, ", "))
			}
			fmt.Fprintf(in.stdout, "recorded %s at %s into %s\n", m.Source, m.RecordedAt, filepath.Join(dir, extract.ManifestName))
			return nil
		}
	},
}
