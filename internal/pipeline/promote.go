package pipeline

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"slices"
	"time"

	"github.com/spacex-elt/loader/internal/db/dbsqlc"
	"github.com/spacex-elt/loader/internal/drift"
	"github.com/spacex-elt/loader/internal/gold"
	"github.com/spacex-elt/loader/internal/ledger"
	"github.com/spacex-elt/loader/internal/resources"
)

// promote is the promotion transaction, short of its commit: every
// resource into bronze as its extract arrives (its drift checked alongside,
// in the run's group), the refresh of the gold views that read what
// changed, and the run's success. It returns what it did with each
// resource it got to, and the views refreshed.
func (r *run) promote(ctx context.Context, extracts <-chan handoff) (promoted []ResourceResult, views []string, err error) {
	if err := q.RunPromotionSettings(ctx, r.tx); err != nil {
		return nil, nil, err
	}
	var changed []gold.Column
	for i, res := range r.Resources {
		var h handoff
		var ok bool
		select {
		case h, ok = <-extracts:
		case <-ctx.Done():
			// The landing failed (or the run was stopped): its error is
			// the run's.
			return promoted, nil, context.Cause(ctx)
		}
		if !ok {
			// The landing ended without every resource: never commit.
			return promoted, nil, fmt.Errorf("resource %s: no extract", res.Name)
		}
		c, cols, took, err := r.promoteResource(ctx, i, res, h)
		if err != nil {
			return promoted, nil, fmt.Errorf("resource %s: %w", res.Name, err)
		}
		changed = append(changed, cols...)
		promoted = append(promoted, ResourceResult{
			Resource: res.Name, Extract: h.extract, HTTPStatus: h.status, Attempts: h.attempts, RetryWait: h.waited,
			Counts: c, LandingDuration: h.landing, PromotionDuration: took,
		})
		if r.Progress != nil {
			r.Progress.Done(res.Name)
		}
	}
	refreshed, err := gold.Refresh(ctx, r.tx, changed)
	if err != nil {
		return promoted, nil, err
	}
	for _, v := range refreshed {
		views = append(views, v.View)
		r.log.DebugContext(ctx, "view refreshed", "view", v.View, "because", v.Because)
	}
	if err := q.RunViewsRefreshed(ctx, r.tx, dbsqlc.RunViewsRefreshedParams{RunID: r.id, Views: views}); err != nil {
		return promoted, views, fmt.Errorf("record the views refreshed: %w", err)
	}
	if err := ledger.Finish(ctx, r.tx, r.id, ledger.StatusSucceeded, nil); err != nil {
		return promoted, views, fmt.Errorf("record success: %w", err)
	}
	return promoted, views, nil
}

// promoteResource promotes the i-th resource's extract into bronze, unless
// bronze already holds these very documents under the same transform,
// starts its drift check, and records in the ledger what it did. It
// returns the counts and the bronze columns the promotion changed.
func (r *run) promoteResource(ctx context.Context, i int, res resources.Resource, h handoff) (ledger.Counts, []gold.Column, time.Duration, error) {
	if h.extract.Absent {
		// Nothing to promote, and nothing of bronze to delete.
		c := ledger.Counts{Skipped: true}
		if err := ledger.Promoted(ctx, r.tx, r.id, res.Name, ledger.Transform{}, c); err != nil {
			return ledger.Counts{}, nil, 0, fmt.Errorf("record counts: %w", err)
		}
		return c, nil, 0, nil
	}
	contract, err := fs.ReadFile(r.Contracts, res.Name+".json")
	if err != nil {
		return ledger.Counts{}, nil, 0, fmt.Errorf("read contract: %w", err)
	}
	sum := sha256.Sum256(contract)
	transform := ledger.Transform{Schema: r.schema, Contract: hex.EncodeToString(sum[:4])}
	skip := h.known && bytes.Equal(h.current.SHA256, h.extract.SHA256) && h.current.Transform == transform
	r.work.Go(func() error { return r.checkDrift(ctx, i, res.Name, h, skip, contract) })

	c := ledger.Counts{Skipped: true}
	var changed []gold.Column
	var took time.Duration
	if skip {
		c.Duplicates, c.Rejected, c.BadValues = h.current.Duplicates, h.current.Rejected, h.current.BadValues
		c.Unchanged = h.extract.Documents - c.Duplicates - c.Rejected
	} else {
		if r.Progress != nil {
			r.Progress.Promoting(res.Name)
		}
		start := time.Now()
		// A new contract alone changes no typed value: only a new schema
		// or function version retypes what bronze holds.
		retype := h.known && h.current.Transform.Schema != r.schema
		if c, err = r.bronze(ctx, res, h.extract.LandedRunID, retype); err != nil {
			return ledger.Counts{}, nil, 0, fmt.Errorf("promote to bronze: %w", err)
		}
		if changed, err = r.changedColumns(ctx, res, retype); err != nil {
			return ledger.Counts{}, nil, 0, fmt.Errorf("promote to bronze: %w", err)
		}
		took = time.Since(start)
		names := make([]string, len(changed))
		for i, c := range changed {
			names[i] = c.String()
		}
		r.log.DebugContext(ctx, "resource promoted", "resource", res.Name, "retype", retype, "elapsed", took,
			"changed", names)
	}
	if docs := h.extract.Documents; c.Rejected > 0 && float64(c.Rejected) > r.Options.MaxRejectFraction*float64(docs) {
		// A document over the size limit has no id as it landed, its
		// stand-in; the message says which of them were that.
		over := ""
		if n := len(h.extract.Oversized); n > 0 {
			over = fmt.Sprintf("; %d of them over --max-document-bytes", n)
		}
		return ledger.Counts{}, nil, 0, fmt.Errorf("%w: %d of %d documents (%.1f%%, more than %.1f%%%s)",
			ErrRejected, c.Rejected, docs, 100*float64(c.Rejected)/float64(docs), 100*r.Options.MaxRejectFraction, over)
	}
	if err := ledger.Promoted(ctx, r.tx, r.id, res.Name, transform, c); err != nil {
		return ledger.Counts{}, nil, 0, fmt.Errorf("record counts: %w", err)
	}
	return c, changed, took, nil
}

// bronze promotes the documents of res that run landedRunID landed:
// stage them, guard against a suspect shrink, write what is new or changed
// (everything when retype: the transform changed) with their issues, bring
// the bridges in line, soft-delete what the complete extract lacks, and
// count. The work is SQL (db/functions/bronze.sql), the same for every
// resource.
func (r *run) bronze(ctx context.Context, res resources.Resource, landedRunID int64, retype bool) (ledger.Counts, error) {
	st, err := q.BronzeStage(ctx, r.tx, dbsqlc.BronzeStageParams{TableName: res.Table, Resource: res.Name, LandedRunID: landedRunID, Retype: retype})
	if err != nil {
		return ledger.Counts{}, fmt.Errorf("stage: %w", err)
	}
	// An extract with documents we cannot key is not verified complete: a
	// record missing from it may be one of them, so nothing is deleted.
	verified := st.Rejected == 0
	if !verified && st.Missing > 0 {
		r.log.WarnContext(ctx, "documents without a usable id: records missing from this extract are not soft-deleted",
			"resource", res.Name, "rejected", st.Rejected, "missing", st.Missing)
	}
	forced := r.Options.ForceDeletes || slices.Contains(r.Options.ForceDeletesOf, res.Name)
	if verified && st.Missing > int64(r.Options.AllowDeletes) && !forced &&
		float64(st.Missing) > r.Options.MaxDeleteFraction*float64(st.Live) {
		return ledger.Counts{}, fmt.Errorf("%w: the extract lacks %d of %d live rows of %s (%.1f%%, more than %.1f%%); if the source really dropped them, --force-deletes %s accepts it",
			ErrShrink, st.Missing, st.Live, res.Table,
			100*float64(st.Missing)/float64(st.Live), 100*r.Options.MaxDeleteFraction, res.Name)
	}
	arrays := make([]string, len(res.Bridges))
	bridges := make([]string, len(res.Bridges))
	for i, b := range res.Bridges {
		arrays[i], bridges[i] = b.Array, b.Table
	}
	w, err := q.BronzeUpsert(ctx, r.tx, dbsqlc.BronzeUpsertParams{TableName: res.Table, RunID: r.id, Arrays: arrays})
	if err != nil {
		return ledger.Counts{}, fmt.Errorf("write %s: %w", res.Table, err)
	}
	// The bridges change only with the parents written.
	for i, b := range res.Bridges {
		if w.Inserted+w.Rewritten == 0 {
			break
		}
		if err := q.BronzeReconcile(ctx, r.tx, dbsqlc.BronzeReconcileParams{
			Bridge: b.Table, ArrayNumber: int32(i + 1), RunID: r.id, Retype: retype,
			Inserted: w.Inserted > 0, Rewritten: w.Rewritten > 0,
		}); err != nil {
			return ledger.Counts{}, fmt.Errorf("write %s: %w", b.Table, err)
		}
	}
	var deleted int64
	if verified && st.Missing > 0 {
		if deleted, err = q.BronzeSoftDelete(ctx, r.tx, dbsqlc.BronzeSoftDeleteParams{TableName: res.Table, RunID: r.id}); err != nil {
			return ledger.Counts{}, fmt.Errorf("soft-delete missing records: %w", err)
		}
	}
	n, err := q.BronzeCounts(ctx, r.tx, bridges)
	if err != nil {
		return ledger.Counts{}, fmt.Errorf("count: %w", err)
	}
	return ledger.Counts{
		Duplicates: st.Duplicates, Rejected: st.Rejected, BadValues: n.BadValues,
		Inserted: n.Inserted, Updated: n.Updated, Unchanged: n.Unchanged, Deleted: deleted, Revived: n.Revived,
	}, nil
}

// changedColumns lists the columns of res's tables that its promotion
// changed, for the gold refresh. A retyped resource changed all of them:
// the migration that changed the typing may have rewritten the rows itself,
// so that comparing them now would find nothing, with gold still computed
// from the old typing.
func (r *run) changedColumns(ctx context.Context, res resources.Resource, retype bool) ([]gold.Column, error) {
	var changed []gold.Column
	if retype {
		for _, t := range res.Tables() {
			changed = append(changed, gold.Column{Table: t})
		}
		return changed, nil
	}
	rows, err := q.BronzeChangedColumns(ctx, r.tx)
	if err != nil {
		return nil, fmt.Errorf("list the changed columns: %w", err)
	}
	for _, c := range rows {
		changed = append(changed, gold.Column{Table: c.TableName, Name: c.ColumnName})
	}
	return changed, nil
}

// checkDrift finds the i-th resource's drift, once the landing has ended
// (r.landed), in its documents, or, for a skipped promotion, copied from
// the run that found it in the same documents under the same contract, and
// sends it to r.found.
func (r *run) checkDrift(ctx context.Context, i int, resource string, h handoff, skip bool, contract []byte) error {
	select {
	case <-r.landed:
	case <-ctx.Done():
		return context.Cause(ctx)
	}
	var changes []drift.Change
	var err error
	if skip {
		changes, err = drift.Copy(ctx, r.Pool, r.id, h.current.RunID, resource)
	} else {
		changes, err = drift.Check(ctx, r.Pool, r.id, h.extract.LandedRunID, resource, contract)
	}
	if err != nil {
		return fmt.Errorf("resource %s: drift check: %w", resource, err)
	}
	for _, d := range changes {
		r.log.WarnContext(ctx, "schema drift", "resource", resource, "key", d.Key, "change", d.Kind,
			"expected", d.Expected, "observed", d.Observed, "documents", d.Documents)
	}
	r.found <- found{i: i, changes: changes}
	return nil
}
