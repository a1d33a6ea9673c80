// Package drift compares the top-level keys and JSON types of landed
// documents with the contract committed in db/contracts, and records the
// differences in meta.run_drift (queries/drift.sql).
package drift

import (
	"context"
	"fmt"
	"strings"

	"github.com/spacex-elt/loader/internal/db/dbsqlc"
)

// q runs the generated queries; each call takes its connection.
var q = dbsqlc.New()

// Change is one difference from the contract.
type Change struct {
	Key string `json:"key"`
	// Kind is new_key, missing_key or type_change.
	Kind      string `json:"change"`
	Expected  string `json:"expected"`
	Observed  string `json:"observed"`
	Documents int64  `json:"documents"`
}

// Check records for run runID how the documents of resource in run
// landedRunID's landing differ from contract, and returns the changes.
// What the documents show is recorded with their manifest the first time,
// from an earlier manifest's and the documents that differ when it can, so
// a run reads only the documents new to the resource.
func Check(ctx context.Context, db dbsqlc.DBTX, runID, landedRunID int64, resource string, contract []byte) ([]Change, error) {
	if err := q.DriftObserve(ctx, db, dbsqlc.DriftObserveParams{LandedRunID: landedRunID, Resource: resource}); err != nil {
		return nil, fmt.Errorf("observe the documents: %w", err)
	}
	rows, err := q.DriftRecord(ctx, db, dbsqlc.DriftRecordParams{
		RunID: runID, LandedRunID: landedRunID, Resource: resource, Contract: contract,
	})
	return changes(rows), err
}

// Copy records for run runID the changes run fromRunID found in the same
// documents under the same contract, and returns them.
func Copy(ctx context.Context, db dbsqlc.DBTX, runID, fromRunID int64, resource string) ([]Change, error) {
	rows, err := q.DriftCopy(ctx, db, dbsqlc.DriftCopyParams{RunID: runID, FromRunID: fromRunID, Resource: resource})
	recorded := make([]dbsqlc.DriftRecordRow, len(rows))
	for i, r := range rows {
		recorded[i] = dbsqlc.DriftRecordRow(r) // the same columns
	}
	return changes(recorded), err
}

func changes(rows []dbsqlc.DriftRecordRow) []Change {
	out := make([]Change, len(rows))
	for i, r := range rows {
		out[i] = Change{Key: r.Key, Kind: r.Change, Expected: deref(r.Expected), Observed: deref(r.Observed), Documents: r.Documents}
	}
	return out
}

// Describe summarises changes in one line.
func Describe(changes []Change) string {
	parts := make([]string, len(changes))
	for i, d := range changes {
		switch d.Kind {
		case "new_key":
			parts[i] = fmt.Sprintf("new key %q (%s)", d.Key, d.Observed)
		case "missing_key":
			parts[i] = fmt.Sprintf("key %q missing from %d documents", d.Key, d.Documents)
		default:
			parts[i] = fmt.Sprintf("key %q is %s in %d documents, contract allows %s", d.Key, d.Observed, d.Documents, d.Expected)
		}
	}
	return strings.Join(parts, ", ")
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
