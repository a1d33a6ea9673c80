package pipeline

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spacex-elt/loader/internal/db/dbsqlc"
	"github.com/spacex-elt/loader/internal/extract"
	"github.com/spacex-elt/loader/internal/landing"
	"github.com/spacex-elt/loader/internal/ledger"
	"github.com/spacex-elt/loader/internal/resources"
)

// land extracts every resource: one that the source says is unchanged
// since the last succeeded run reuses that run's landing; any other lands
// as this run's manifest of it, with one COPY of the documents landing
// did not hold yet. A resource the source lacks is
// skipped, unless a run loaded it before and the source answered 404.
func (r *run) land(ctx context.Context, hand func(handoff) error) error {
	absent := 0
	for _, res := range r.Resources {
		start := time.Now()
		cur, known, err := ledger.Current(ctx, r.Pool, res.Name)
		if err != nil {
			return fmt.Errorf("resource %s: read the last succeeded run: %w", res.Name, err)
		}
		etag, err := r.etag(ctx, res.Name, cur, known)
		if err != nil {
			return fmt.Errorf("resource %s: %w", res.Name, err)
		}
		got, copied, oversized, err := r.copy(ctx, res, etag)
		var answer *extract.StatusError
		answered := errors.As(err, &answer)
		e := ledger.Extract{LandedRunID: r.id, ETag: got.ETag, SHA256: copied.SHA256, Documents: copied.Documents,
			Sanitized: copied.Sanitized, Oversized: oversized}
		switch {
		case errors.Is(err, extract.ErrAbsent):
			if known && answered {
				// Loaded before: a 404 now is a broken route or proxy more
				// likely than a resource withdrawn, and skipping it would
				// leave its bronze silently stale.
				return fmt.Errorf("resource %s: extract: %w; run %d loaded it, so it is not skipped as absent",
					res.Name, err, cur.RunID)
			}
			if absent++; absent == len(r.Resources) {
				return fmt.Errorf("%s has none of the resources (%w): is it the right source?", r.Source, err)
			}
			r.log.InfoContext(ctx, "resource absent from the source, skipped; bronze keeps what it holds",
				"resource", res.Name, "detail", err)
			e = ledger.Extract{Absent: true}
		case err != nil:
			return fmt.Errorf("resource %s: extract and land: %w", res.Name, err)
		case got.NotModified:
			e = cur.Extract
			e.NotModified = true
		}
		if err := ledger.Extracted(ctx, r.Pool, r.id, res.Name, e); err != nil {
			return fmt.Errorf("resource %s: record the extract: %w", res.Name, err)
		}
		took := time.Since(start)
		if msg := "resource landed"; !e.Absent {
			if e.NotModified {
				msg = "resource not modified, its earlier landing reused"
			}
			r.log.InfoContext(ctx, msg, "resource", res.Name, "not_modified", e.NotModified,
				"documents", e.Documents, "stored", copied.Stored, "stored_bytes", copied.StoredBytes,
				"sanitized", e.Sanitized, "elapsed", took)
		}
		h := handoff{extract: e, status: got.Status, attempts: got.Attempts, waited: got.Waited, landing: took, current: cur, known: known}
		if answered {
			h.status = answer.StatusCode // the 404 of an absent resource
		}
		if err := hand(h); err != nil {
			return err
		}
	}
	return nil
}

// etag is the ETag to send for a resource: that of the extract bronze
// holds, while that extract is still in landing (a 304 is of no use once
// it is gone); none otherwise.
func (r *run) etag(ctx context.Context, resource string, cur ledger.State, known bool) (string, error) {
	if !known || cur.ETag == "" {
		return "", nil
	}
	kept, err := q.LandingHasExtract(ctx, r.Pool, dbsqlc.LandingHasExtractParams{RunID: cur.LandedRunID, Resource: resource})
	if err != nil || !kept {
		return "", err
	}
	return cur.ETag, nil
}

// copy streams a resource from the source into this run's landing. It
// returns too the documents over the size limit, landed as stand-ins,
// for the ledger.
func (r *run) copy(ctx context.Context, res resources.Resource, etag string) (extract.Answer, landing.Copied, []ledger.Oversized, error) {
	var copied landing.Copied
	var oversized []ledger.Oversized
	req := extract.Request{Path: res.Path, Alternates: res.Alternates, Object: res.Object, ETag: etag, MaxDocumentBytes: r.Options.MaxDocumentBytes}
	got, err := r.Source.Stream(ctx, req, func(docs *extract.Documents) error {
		var src landing.Documents = docs
		if r.Progress != nil {
			src = &counted{Documents: docs, resource: res.Name, progress: r.Progress}
		}
		var err error
		copied, err = landing.Copy(ctx, r.Pool, r.id, res.Name, time.Now(), src)
		oversized = oversized[:0] // each attempt's own: the last landed
		for _, o := range docs.Oversized() {
			oversized = append(oversized, ledger.Oversized(o))
		}
		return err
	})
	return got, copied, oversized, err
}

// progressEvery is how many documents pass between Landing reports.
const progressEvery = 500

// counted reports a stream's documents to Progress as they pass.
type counted struct {
	landing.Documents
	resource        string
	progress        Progress
	documents, size int64
}

func (c *counted) Next() bool {
	if !c.Documents.Next() {
		// A stream that failed landed nothing: one cut short because its
		// file was found unchanged (see extract.Dir) among them.
		if c.Err() == nil {
			c.progress.Landing(c.resource, c.documents, c.size)
		}
		return false
	}
	c.documents++
	c.size += int64(len(c.Raw()))
	if c.documents%progressEvery == 0 {
		c.progress.Landing(c.resource, c.documents, c.size)
	}
	return true
}
