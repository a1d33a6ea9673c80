-- migrate:up

-- meta.run_resources.oversized: which documents of the extract were over
-- the per-document byte limit (--max-document-bytes), so that the ledger,
-- not only landing, says which were rejected for their size and how large
-- they were. NULL when none was (and for runs before this column).
ALTER TABLE meta.run_resources ADD COLUMN oversized jsonb;

COMMENT ON COLUMN meta.run_resources.oversized IS
    'Documents of the extract over the per-document byte limit (--max-document-bytes), each landed as a JSON string saying its size and rejected by the promotion: a JSON array of {"ordinal": n, "bytes": n}, ordinal being the document''s position in the array from 0 (landing''s ordinal) and bytes its size. NULL when none was.';

-- migrate:down

ALTER TABLE meta.run_resources DROP COLUMN oversized;
