package pipeline

import (
	"context"
	"fmt"

	"github.com/spacex-elt/loader/internal/db/dbsqlc"
	"github.com/spacex-elt/loader/internal/ledger"
)

// reuse hands on, for a replay, the extracts of a complete earlier run
// whose extracts are still in landing, each with what bronze holds of its
// resource now.
func (r *run) reuse(ctx context.Context, fromRunID int64, hand func(handoff) error) error {
	states, err := ledger.Resources(ctx, r.Pool, fromRunID)
	if err != nil {
		return fmt.Errorf("read run %d: %w", fromRunID, err)
	}
	// Check every resource before handing any on.
	for _, res := range r.Resources {
		st, ok := states[res.Name]
		if !ok {
			return fmt.Errorf("%w: run %d did not land resource %s", ErrNotReplayable, fromRunID, res.Name)
		}
		if st.Absent {
			continue
		}
		if kept, err := q.LandingHasExtract(ctx, r.Pool, dbsqlc.LandingHasExtractParams{RunID: st.LandedRunID, Resource: res.Name}); err != nil {
			return err
		} else if !kept {
			return fmt.Errorf("%w: run %d's documents of %s are no longer in landing (it keeps the last %d runs)",
				ErrNotReplayable, fromRunID, res.Name, max(1, r.Options.KeepRuns))
		}
	}
	for _, res := range r.Resources {
		h := handoff{extract: states[res.Name].Extract}
		h.extract.NotModified = false
		if err := ledger.Extracted(ctx, r.Pool, r.id, res.Name, h.extract); err != nil {
			return fmt.Errorf("resource %s: record the extract: %w", res.Name, err)
		}
		if !h.extract.Absent {
			if h.current, h.known, err = ledger.Current(ctx, r.Pool, res.Name); err != nil {
				return fmt.Errorf("resource %s: read the last succeeded run: %w", res.Name, err)
			}
		}
		if err := hand(h); err != nil {
			return err
		}
	}
	return nil
}
