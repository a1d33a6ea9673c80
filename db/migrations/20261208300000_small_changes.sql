-- migrate:up

-- Small changes cost little (issue 15).

-- The few documents that had something replaced (landing.contents.sanitized
-- above 0), indexed on their own: a landing counts those among the
-- documents of a resource's newest manifest, which it does not ask about
-- one by one (internal/landing: LandingManifestSanitized).
CREATE INDEX contents_sanitized ON landing.contents (sha256) WHERE sanitized > 0;

-- What the drift check observed in a manifest's documents: per top-level
-- key and JSON type, how many documents have it, and (key and type NULL)
-- how many are objects. It is a sum over the documents, so a manifest's is
-- that of an earlier one of the resource plus the documents it gained and
-- less those it lost (landing.observe): a changed extract of 61,500
-- launches with one changed reads two documents, not 61,500. Dropped with
-- its manifest.
CREATE TABLE landing.observed (
    run_id    bigint NOT NULL,
    resource  text NOT NULL,
    key       text,
    type      text,
    documents bigint NOT NULL,
    FOREIGN KEY (run_id, resource) REFERENCES landing.manifests ON DELETE CASCADE
);
CREATE INDEX observed_run_id_resource_idx ON landing.observed (run_id, resource);

COMMENT ON TABLE landing.observed IS 'Per manifest: the top-level keys of its documents and their JSON types, with how many documents have each; the row of NULL key and type counts the documents that are objects. What the drift check compares with the contract.';

SELECT meta.apply_grants();

-- migrate:down

DROP TABLE landing.observed;
DROP INDEX landing.contents_sanitized;
