package main

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/jackc/pgx/v5"

	"github.com/spacex-elt/loader/internal/atomicfile"
	"github.com/spacex-elt/loader/internal/report"
)

var cmdReport = &command{
	name: "report", usage: "--out PATH [flags]", exits: []int{exitCancelled}, short: "write an HTML page of the gold views' charts and figures",
	long: `Writes one self-contained HTML page of the gold views: charts (inline SVG)
of the cost per kilogram by rocket (gold.rocket_cost_efficiency), launches
and success rate per year (gold.launch_stats_by_year_rocket, its rockets
added up), booster landings by type and cores by number of flights
(gold.landings_by_type, gold.core_reuse), payload mass by orbit
(gold.payload_mass_by_orbit) and fairing recovery by year
(gold.fairing_recovery_by_year), each followed by a table of the exact
figures it draws; and when the newest succeeded run finished (gold.freshness).
The page loads nothing from anywhere: no script, font, style sheet or image
outside the file, so it opens offline and can be mailed.

It only reads, in one read-only transaction, so the figures come from one
snapshot. The file is written to a temporary file beside PATH and renamed
over it: a reader never sees half a report, and a failure leaves the old one.
A new file gets mode 0666 less the umask; a file written over keeps its
mode. --out - writes the page to stdout instead.

The exit code is 0 when the report was written, 1 when the database could
not be read or the file not written, 2 on bad usage (no --out, or --out a
directory: name a file in it).
`,
	flags: func(f *flags) func(context.Context, *invocation) error {
		out := f.String("out", "", "write the report to `PATH` (required), replacing it atomically; - is stdout")
		return func(ctx context.Context, in *invocation) error {
			if *out == "" {
				return usageError{fmt.Errorf("--out PATH is required")}
			}
			if err := atomicfile.Check(*out); err != nil && *out != "-" {
				return usageError{fmt.Errorf("--out %w: name a file, such as %s", err, filepath.Join(*out, "report.html"))}
			}
			var data report.Data
			_, err := in.read(ctx, func(tx pgx.Tx) (err error) {
				data, err = report.Load(ctx, tx)
				return err
			})
			if err != nil {
				return err
			}
			if *out == "-" {
				return report.Render(in.stdout, data)
			}
			if err := report.WriteFile(*out, data); err != nil {
				return err
			}
			in.logger.DebugContext(ctx, "report written", "path", *out)
			fmt.Fprintf(in.stdout, "report: wrote %s (%s)\n", *out, data.Synced())
			return nil
		}
	},
}
