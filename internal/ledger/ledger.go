// Package ledger keeps the run ledger (meta.runs, meta.run_resources) and
// the loader's locks (meta.locks): the run lock that lets one sync or
// replay run at a time, and migrate's. It converts the
// generated query types to its own at its boundary.
package ledger

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/spacex-elt/loader/internal/db/dbsqlc"
)

// q runs the generated queries; each call takes its connection.
var q = dbsqlc.New()

// Status is a run's outcome, as meta.runs, the summary and the metrics
// name it.
type Status string

// Run statuses. Locked is never stored: a run that could not take the run
// lock opened no row in meta.runs.
const (
	StatusRunning   Status = "running"
	StatusSucceeded Status = "succeeded"
	StatusFailed    Status = "failed"
	StatusCancelled Status = "cancelled"
	StatusAbandoned Status = "abandoned"
	StatusLocked    Status = "locked"
)

// ErrNotRunning: the run's ledger row is no longer 'running', because
// another run found this one's lock gone and marked it abandoned.
var ErrNotRunning = errors.New("the run is no longer marked running in meta.runs (another run marked it abandoned)")

// Finish records a run's outcome; cause is nil on success. It fails with
// ErrNotRunning when the run is no longer 'running'.
func Finish(ctx context.Context, db dbsqlc.DBTX, runID int64, status Status, cause error) error {
	var msg *string
	if cause != nil {
		s := cause.Error()
		msg = &s
	}
	n, err := q.RunFinish(ctx, db, dbsqlc.RunFinishParams{RunID: runID, Status: string(status), Error: msg})
	if err == nil && n != 1 {
		return ErrNotRunning
	}
	return err
}

// Extract is where a run's extract of a resource is and what it held.
type Extract struct {
	// Absent: the source does not have the resource at all (a snapshot
	// directory without its file); nothing was landed, and the rest is zero.
	Absent bool
	// LandedRunID is the run whose landing partition holds the documents.
	LandedRunID int64
	// NotModified: the source said the extract had not changed since the
	// ETag sent, so nothing was landed.
	NotModified bool
	ETag        string
	// SHA256 fingerprints the documents (landing.Copied.SHA256).
	SHA256 []byte
	// Documents is how many documents the extract held, and Sanitized how
	// many of them had something jsonb rejects replaced.
	Documents, Sanitized int64
	// Oversized lists the documents over the per-document byte limit,
	// landed as stand-ins, in order; none is recorded as NULL.
	Oversized []Oversized
}

// Oversized is a document over the per-document byte limit: its ordinal
// in the extract (landing's ordinal) and its size in bytes.
type Oversized struct {
	Ordinal int64 `json:"ordinal"`
	Bytes   int64 `json:"bytes"`
}

// Extracted records a run's extract of a resource.
func Extracted(ctx context.Context, db dbsqlc.DBTX, runID int64, resource string, e Extract) error {
	var etag *string
	if e.ETag != "" {
		etag = &e.ETag
	}
	var landedRunID *int64
	if !e.Absent {
		landedRunID = &e.LandedRunID
	}
	var oversized []byte
	if len(e.Oversized) > 0 {
		var err error
		if oversized, err = json.Marshal(e.Oversized); err != nil {
			return err
		}
	}
	return q.RunResourceLanded(ctx, db, dbsqlc.RunResourceLandedParams{
		RunID: runID, Resource: resource, Absent: e.Absent, LandedRunID: landedRunID, NotModified: e.NotModified,
		Etag: etag, ExtractSha256: e.SHA256, Fetched: e.Documents, Sanitized: e.Sanitized,
		Oversized: oversized,
	})
}

// Promoted records what promoting a resource did, under which transform.
func Promoted(ctx context.Context, db dbsqlc.DBTX, runID int64, resource string, t Transform, c Counts) error {
	return q.RunResourcePromoted(ctx, db, dbsqlc.RunResourcePromotedParams{
		RunID: runID, Resource: resource, Transform: t.text(), Skipped: c.Skipped,
		Duplicates: c.Duplicates, Rejected: c.Rejected, BadValues: c.BadValues,
		Inserted: c.Inserted, Updated: c.Updated, Unchanged: c.Unchanged,
		Deleted: c.Deleted, Revived: c.Revived,
	})
}

// Counts is what promoting one resource did: the pipeline's promotion returns
// them, and the ledger records them.
type Counts struct {
	// Skipped: bronze already held this exact extract under the same
	// transform version, so nothing was read, typed or written.
	Skipped bool
	// Duplicates repeated an id in the same extract; Rejected had no usable
	// id (and stop soft deletes for the resource that run); BadValues are
	// records with a value of the wrong type, set to NULL, in their row or
	// a bridge row.
	Duplicates, Rejected, BadValues int64
	// Inserted, Updated and Unchanged split the distinct ids among new
	// bronze rows, rewritten rows and rows left as they were (not typed
	// again). Deleted rows were soft-deleted; Revived ones (counted in
	// Updated) came back.
	Inserted, Updated, Unchanged, Deleted, Revived int64
}

// Changed reports whether the promotion wrote to the resource's tables.
func (c Counts) Changed() bool { return c.Inserted+c.Updated+c.Deleted > 0 }

// Transform is what the typing of a resource's documents depends on: the
// version of the migrations and function files (meta.transform_version())
// and a hash of the resource's contract. The zero Transform is that of a
// resource absent from its run, which nothing promoted.
type Transform struct {
	Schema, Contract string
}

// text is t as meta.run_resources.transform holds it: "<schema>:<contract>",
// or empty for the zero Transform.
func (t Transform) text() string {
	if t == (Transform{}) {
		return ""
	}
	return t.Schema + ":" + t.Contract
}

// parseTransform reads what text wrote.
func parseTransform(s string) Transform {
	schema, contract, _ := strings.Cut(s, ":")
	return Transform{Schema: schema, Contract: contract}
}

// State is a resource's record in a run: its extract and, once promoted,
// the transform version and counts.
type State struct {
	RunID int64
	Extract
	Transform Transform
	Counts
}

func state(r dbsqlc.MetaRunResource) (State, error) {
	s := State{RunID: r.RunID, Extract: Extract{
		Absent: r.Absent, LandedRunID: deref(r.LandedRunID), NotModified: r.NotModified, ETag: deref(r.Etag),
		SHA256: r.ExtractSha256, Documents: r.Fetched, Sanitized: r.Sanitized,
	}, Transform: parseTransform(deref(r.Transform))}
	s.Duplicates, s.Rejected, s.BadValues = deref(r.Duplicates), deref(r.Rejected), deref(r.BadValues)
	s.Inserted, s.Updated, s.Unchanged = deref(r.Inserted), deref(r.Updated), deref(r.Unchanged)
	s.Deleted, s.Revived, s.Skipped = deref(r.Deleted), deref(r.Revived), deref(r.Skipped)
	if r.Oversized != nil {
		if err := json.Unmarshal(r.Oversized, &s.Oversized); err != nil {
			return State{}, fmt.Errorf("run %d, resource %s: read oversized: %w", r.RunID, r.Resource, err)
		}
	}
	return s, nil
}

// Current returns the resource's state in the newest succeeded run, which
// is what bronze holds, or ok false when no run has succeeded.
func Current(ctx context.Context, db dbsqlc.DBTX, resource string) (s State, ok bool, err error) {
	r, err := q.RunResourceCurrent(ctx, db, resource)
	if errors.Is(err, pgx.ErrNoRows) {
		return State{}, false, nil
	}
	if err != nil {
		return State{}, false, err
	}
	s, err = state(r)
	return s, err == nil, err
}

// Resources returns a run's state per resource.
func Resources(ctx context.Context, db dbsqlc.DBTX, runID int64) (map[string]State, error) {
	rows, err := q.RunResources(ctx, db, []int64{runID})
	if err != nil {
		return nil, err
	}
	out := make(map[string]State, len(rows))
	for _, r := range rows {
		s, err := state(r)
		if err != nil {
			return nil, err
		}
		out[r.Resource] = s
	}
	return out, nil
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
