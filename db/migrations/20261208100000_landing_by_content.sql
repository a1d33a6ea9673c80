-- migrate:up

-- Landing by content (issue 15). A run used to land every document of an
-- extract that changed in a partition of its own, so one changed launch
-- re-landed all of them. Now each distinct document is stored once, in
-- landing.contents, under the sha256 of its raw bytes; a run's extract of a
-- resource is one row of landing.manifests, the documents' hashes in order.
-- A run lands in full only the documents whose content is new.
-- landing.documents becomes a view that joins the two, one row per
-- document of every kept extract, as the table had them.
--
-- No DDL per run any more: pruning deletes rows (ROW EXCLUSIVE, which no
-- reader waits for or blocks), so landing.open_run, the SECURITY DEFINER
-- function that made a run's partition, and landing.has_run go.

CREATE TABLE landing.contents (
    sha256    bytea PRIMARY KEY CHECK (length(sha256) = 32),
    sanitized integer NOT NULL DEFAULT 0,
    doc       jsonb NOT NULL,
    id        text GENERATED ALWAYS AS (landing.doc_id(doc)) STORED
);

COMMENT ON TABLE landing.contents IS 'Each distinct document any kept extract holds, once, addressed by the sha256 of its raw bytes as received (landing.manifests names them).';
COMMENT ON COLUMN landing.contents.sha256 IS 'sha256 of the document''s raw bytes as received.';
COMMENT ON COLUMN landing.contents.sanitized IS 'How many \u0000 escapes, unpaired surrogate escapes and non-UTF-8 bytes were replaced by U+FFFD in doc (sha256 is of the bytes before).';
COMMENT ON COLUMN landing.contents.id IS 'The document''s id (landing.doc_id); NULL when it has no usable one.';

-- One row per extract a run landed: its documents' hashes in order, an
-- array (not a row per document) so that an extract of 61,500 launches
-- costs one value of 2 MB of WAL, not 61,500 rows and index entries. The
-- hashes do not compress: stored out of line without trying.
CREATE TABLE landing.manifests (
    run_id       bigint NOT NULL,
    resource     text NOT NULL,
    extracted_at timestamptz NOT NULL,
    sha256s      bytea[] NOT NULL,
    PRIMARY KEY (run_id, resource)
);
ALTER TABLE landing.manifests ALTER COLUMN sha256s SET STORAGE EXTERNAL;

COMMENT ON TABLE landing.manifests IS 'The extract of a resource a run landed: the sha256 of each document, in the order received (meta.run_resources.landed_run_id says which run''s manifest a resource of a run reads). No foreign key to landing.contents: a manifest is checked whole when it is promoted.';
COMMENT ON COLUMN landing.manifests.extracted_at IS 'When the response carrying the documents was requested.';
COMMENT ON COLUMN landing.manifests.sha256s IS 'sha256 of each document''s raw bytes (a key of landing.contents), element i+1 being the document at ordinal i.';

-- What the partitions hold now moves over: each distinct document once,
-- each extract as its hashes in ordinal order (ordinals were 0 to n-1, one
-- COPY each). An extract of no documents left an empty partition and no
-- row: it gets an empty manifest when its run recorded landing it.
INSERT INTO landing.contents (sha256, sanitized, doc)
SELECT DISTINCT ON (d.sha256) d.sha256, d.sanitized, d.doc
FROM landing.documents d
ORDER BY d.sha256, d.run_id DESC;

DO $$
DECLARE
    bad record;
BEGIN
    SELECT d.run_id, d.resource INTO bad
    FROM landing.documents d
    GROUP BY d.run_id, d.resource
    HAVING min(d.ordinal) <> 0 OR max(d.ordinal) <> count(*) - 1
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'landing.documents: the ordinals of run %''s % are not 0 to n-1', bad.run_id, bad.resource;
    END IF;
END
$$;

INSERT INTO landing.manifests (run_id, resource, extracted_at, sha256s)
SELECT d.run_id, d.resource, min(d.extracted_at), array_agg(d.sha256 ORDER BY d.ordinal)
FROM landing.documents d
GROUP BY d.run_id, d.resource;

INSERT INTO landing.manifests (run_id, resource, extracted_at, sha256s)
SELECT rr.run_id, rr.resource, r.started_at, '{}'
FROM meta.run_resources rr
JOIN meta.runs r ON r.run_id = rr.run_id
WHERE rr.landed_run_id = rr.run_id AND rr.fetched = 0 AND NOT rr.absent
  AND EXISTS (SELECT FROM pg_inherits i
              WHERE i.inhparent = 'landing.documents'::regclass
                AND i.inhrelid = to_regclass(format('landing.documents_r%s', rr.run_id)))
ON CONFLICT DO NOTHING;

DROP FUNCTION IF EXISTS landing.open_run(bigint), landing.has_run(bigint);
DROP TABLE landing.documents; -- and every partition

-- The documents of every kept extract, one row each, as the partitioned
-- table had them: for reading (lineage, drift, promotion), not for writing.
CREATE VIEW landing.documents AS
SELECT m.run_id, m.resource, (e.i - 1)::integer AS ordinal, m.extracted_at, e.sha256, c.sanitized, c.doc, c.id
FROM landing.manifests m
CROSS JOIN LATERAL unnest(m.sha256s) WITH ORDINALITY AS e(sha256, i)
JOIN landing.contents c ON c.sha256 = e.sha256;

COMMENT ON VIEW landing.documents IS 'Raw API documents of every kept extract, one row per element of a response array (landing.manifests joined with landing.contents); meta.run_resources.landed_run_id says which run''s extract a resource of a run reads.';
COMMENT ON COLUMN landing.documents.ordinal IS 'Zero-based position of the document in the response.';

-- The writer lands and prunes rows: meta.apply_grants() gives it the rows
-- of every landing table (the view joins two tables, so nothing can be
-- written through it).
SELECT meta.apply_grants();

-- migrate:down

-- Back to one partition per run that landed an extract, each document in
-- full again.
CREATE TABLE landing.documents_v (
    run_id       bigint NOT NULL,
    resource     text NOT NULL,
    ordinal      integer NOT NULL,
    extracted_at timestamptz NOT NULL,
    sha256       bytea NOT NULL CHECK (length(sha256) = 32),
    sanitized    integer NOT NULL DEFAULT 0,
    doc          jsonb NOT NULL,
    id           text GENERATED ALWAYS AS (landing.doc_id(doc)) STORED,
    PRIMARY KEY (run_id, resource, ordinal)
) PARTITION BY LIST (run_id);

DO $$
DECLARE
    r bigint;
BEGIN
    FOR r IN SELECT DISTINCT run_id FROM landing.manifests ORDER BY 1 LOOP
        EXECUTE format('CREATE TABLE landing.%I PARTITION OF landing.documents_v FOR VALUES IN (%s)', 'documents_r' || r, r);
    END LOOP;
END
$$;

INSERT INTO landing.documents_v (run_id, resource, ordinal, extracted_at, sha256, sanitized, doc)
SELECT run_id, resource, ordinal, extracted_at, sha256, sanitized, doc FROM landing.documents;

DROP VIEW landing.documents;
DROP TABLE landing.manifests, landing.contents;
ALTER TABLE landing.documents_v RENAME TO documents;
ALTER INDEX landing.documents_v_pkey RENAME TO documents_pkey;

COMMENT ON TABLE landing.documents IS 'Raw API documents, one row per element of a response array, one partition per run (meta.run_resources.landed_run_id says which run''s partition a resource of a run reads).';
COMMENT ON COLUMN landing.documents.ordinal IS 'Zero-based position of the document in the response.';
COMMENT ON COLUMN landing.documents.extracted_at IS 'When the response carrying the document was requested.';
COMMENT ON COLUMN landing.documents.sha256 IS 'sha256 of the document''s raw bytes as received.';
COMMENT ON COLUMN landing.documents.sanitized IS 'How many \u0000 escapes, unpaired surrogate escapes and non-UTF-8 bytes were replaced by U+FFFD in doc (sha256 is of the bytes before).';
COMMENT ON COLUMN landing.documents.id IS 'The document''s id (landing.doc_id); NULL when it has no usable one.';

SELECT meta.apply_grants();
