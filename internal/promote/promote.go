// Package promote moves a run's landed documents into bronze, inside the
// caller's transaction. The work is SQL (db/functions/bronze.sql), the same
// for every resource; this package sequences it and applies the shrink
// guard. Refreshing gold afterwards is package gold's.
package promote

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/jackc/pgx/v5"

	"github.com/spacex-elt/loader/internal/db/dbsqlc"
	"github.com/spacex-elt/loader/internal/ledger"
	"github.com/spacex-elt/loader/internal/resources"
)

// q runs the generated queries; each call takes its connection.
var q = dbsqlc.New()

// ErrShrink: an extract would soft-delete more of a table than
// Options.MaxDeleteFraction allows.
var ErrShrink = errors.New("extract shrank more than the allowed delete fraction")

// Options tune a promotion.
type Options struct {
	// MaxDeleteFraction is the largest share of a table's live rows one run
	// may soft-delete; more fails with ErrShrink unless ForceDeletes.
	MaxDeleteFraction float64
	ForceDeletes      bool
}

// Resource promotes the documents of r that run landedRunID landed, as run
// runID: stage them, guard against a suspect shrink, write what is new or
// changed (everything when retype: the transform changed) with their
// issues, bring the bridges in line, soft-delete what the complete extract
// lacks, and count.
func Resource(ctx context.Context, tx pgx.Tx, log *slog.Logger, r resources.Resource, runID, landedRunID int64, retype bool, opts Options) (ledger.Counts, error) {
	st, err := q.BronzeStage(ctx, tx, dbsqlc.BronzeStageParams{TableName: r.Table, Resource: r.Name, LandedRunID: landedRunID, Retype: retype})
	if err != nil {
		return ledger.Counts{}, fmt.Errorf("stage: %w", err)
	}
	// An extract with documents we cannot key is not verified complete: a
	// record missing from it may be one of them, so nothing is deleted.
	verified := st.Rejected == 0
	if !verified && st.Missing > 0 {
		log.WarnContext(ctx, "documents without a usable id: records missing from this extract are not soft-deleted",
			"resource", r.Name, "rejected", st.Rejected, "missing", st.Missing)
	}
	if verified && st.Missing > 0 && !opts.ForceDeletes &&
		float64(st.Missing) > opts.MaxDeleteFraction*float64(st.Live) {
		return ledger.Counts{}, fmt.Errorf("%w: the extract lacks %d of %d live rows of %s (%.1f%%, more than %.1f%%)",
			ErrShrink, st.Missing, st.Live, r.Table,
			100*float64(st.Missing)/float64(st.Live), 100*opts.MaxDeleteFraction)
	}
	arrays := make([]string, len(r.Bridges))
	bridges := make([]string, len(r.Bridges))
	for i, b := range r.Bridges {
		arrays[i], bridges[i] = b.Array, b.Table
	}
	if err := q.BronzeUpsert(ctx, tx, dbsqlc.BronzeUpsertParams{
		TableName: r.Table, Resource: r.Name, LandedRunID: landedRunID, RunID: runID, Arrays: arrays,
	}); err != nil {
		return ledger.Counts{}, fmt.Errorf("write %s: %w", r.Table, err)
	}
	for i, b := range r.Bridges {
		if err := q.BronzeReconcile(ctx, tx, dbsqlc.BronzeReconcileParams{Bridge: b.Table, ArrayNumber: int32(i + 1), RunID: runID, Retype: retype}); err != nil {
			return ledger.Counts{}, fmt.Errorf("write %s: %w", b.Table, err)
		}
	}
	var deleted int64
	if verified && st.Missing > 0 {
		if deleted, err = q.BronzeSoftDelete(ctx, tx, dbsqlc.BronzeSoftDeleteParams{TableName: r.Table, RunID: runID}); err != nil {
			return ledger.Counts{}, fmt.Errorf("soft-delete missing records: %w", err)
		}
	}
	n, err := q.BronzeCounts(ctx, tx, bridges)
	if err != nil {
		return ledger.Counts{}, fmt.Errorf("count: %w", err)
	}
	return ledger.Counts{
		Duplicates: st.Duplicates, Rejected: st.Rejected, BadValues: n.BadValues,
		Inserted: n.Inserted, Updated: n.Updated, Unchanged: n.Unchanged, Deleted: deleted, Revived: n.Revived,
	}, nil
}

// Tables lists the tables a resource's promotion writes.
func Tables(r resources.Resource) []string {
	tables := []string{r.Table}
	for _, b := range r.Bridges {
		tables = append(tables, b.Table)
	}
	return tables
}
