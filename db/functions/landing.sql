-- Landing: each distinct document once in landing.contents, each extract a
-- run landed as the hashes of its documents in landing.manifests (see the
-- migration 20261208100000_landing_by_content). `loader migrate` applies
-- this file whenever it changes.
--
-- Nothing here is DDL: landing and pruning write rows, which spacex_writer
-- may do itself, so these functions run with the caller's rights. EXECUTE
-- is revoked from PUBLIC and granted to spacex_writer at the end of this
-- file (CREATE OR REPLACE keeps a function's grants; a function dropped and
-- created again starts with EXECUTE for PUBLIC).

-- Whether a run's extract of a resource is still in landing. (A quoted
-- body, not a SQL-standard one: that would depend on landing.manifests and
-- stop the migration's down from dropping it.)
CREATE OR REPLACE FUNCTION landing.has_extract(p_run_id bigint, p_resource text) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT EXISTS (SELECT FROM landing.manifests m WHERE m.run_id = p_run_id AND m.resource = p_resource)
$$;

-- Drops what no run still needs: the manifests of runs that neither one of
-- the newest p_keep runs nor the newest succeeded run (whose documents
-- bronze holds) reads, then, of the documents they named, those no manifest
-- left names. Deleting rows takes no lock an analyst's query waits for, or
-- that waits for one; still, a wait is bounded to a second
-- (lock_not_available fails the whole prune, one statement, and the next
-- run's prune tries again). Call it between runs. While another run is
-- running it drops nothing: that run may have found a document in landing,
-- and so not sent it, that its manifest will name (a run that lost the run
-- lock may prune while the next one lands). Returns the runs whose
-- manifests were dropped.
CREATE OR REPLACE FUNCTION landing.prune(p_keep integer) RETURNS SETOF bigint
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    dropped bigint[];
    hashes  bytea[];
BEGIN
    IF p_keep IS NULL OR p_keep < 1 THEN
        RAISE EXCEPTION 'landing.prune: keep at least 1 run, not %', coalesce(p_keep::text, 'NULL')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF EXISTS (SELECT FROM meta.runs r WHERE r.status = 'running') THEN
        RETURN;
    END IF;
    PERFORM set_config('lock_timeout', '1s', true);
    WITH gone AS (
        DELETE FROM landing.manifests m
        WHERE m.run_id NOT IN (
            SELECT rr.landed_run_id FROM meta.run_resources rr
            WHERE rr.landed_run_id IS NOT NULL
              AND (rr.run_id IN (SELECT run_id FROM meta.runs ORDER BY run_id DESC LIMIT p_keep)
                   OR rr.run_id = (SELECT max(run_id) FROM meta.runs WHERE status = 'succeeded')))
        RETURNING m.run_id, m.sha256s
    )
    SELECT (SELECT array_agg(DISTINCT g.run_id ORDER BY g.run_id) FROM gone g),
           (SELECT array_agg(DISTINCT s.sha256) FROM gone g CROSS JOIN LATERAL unnest(g.sha256s) AS s(sha256))
    INTO dropped, hashes;
    IF hashes IS NOT NULL THEN
        DELETE FROM landing.contents c
        USING (SELECT unnest(hashes)
               EXCEPT
               SELECT s.sha256 FROM landing.manifests m CROSS JOIN LATERAL unnest(m.sha256s) AS s(sha256)) AS x(sha256)
        WHERE c.sha256 = x.sha256;
    END IF;
    RETURN QUERY SELECT unnest(dropped);
END
$$;

-- A manifest is sent in blocks of hashes with COPY into a temporary
-- table, then made one row of landing.manifests: no single value of 6.5 MB
-- (205,000 hashes) is held by the loader to send as a parameter.
-- manifest_open makes the table, empty, for the transaction.
CREATE OR REPLACE FUNCTION landing.manifest_open() RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    DROP TABLE IF EXISTS pg_temp.manifest_blocks;
    CREATE TEMP TABLE manifest_blocks (n integer NOT NULL, sha256s bytea NOT NULL) ON COMMIT DROP;
END
$$;

-- Records a run's extract of a resource from the blocks sent since
-- manifest_open, in block order: each block is hashes of 32 bytes end to
-- end. A block (64 KiB) is stored out of line; it is read once (|| makes
-- the copy) and cut in memory, not fetched again for each of its 2,048
-- hashes (107 ms to 38 ms for 61,500).
CREATE OR REPLACE FUNCTION landing.manifest_add(p_run_id bigint, p_resource text, p_extracted_at timestamptz) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    INSERT INTO landing.manifests (run_id, resource, extracted_at, sha256s)
    SELECT p_run_id, p_resource, p_extracted_at,
           ARRAY(SELECT substring(b.sha256s FROM i * 32 + 1 FOR 32)
                 FROM pg_temp.manifest_blocks s
                 CROSS JOIN LATERAL (SELECT s.n, s.sha256s || ''::bytea AS sha256s OFFSET 0) b
                 CROSS JOIN LATERAL generate_series(0, length(b.sha256s) / 32 - 1) AS i
                 ORDER BY b.n, i);
    DROP TABLE pg_temp.manifest_blocks;
END
$$;

-- Records in landing.observed what the documents of a run's manifest of a
-- resource show the drift check (their top-level keys and JSON types, and
-- how many are objects), unless it is there already. It is a sum over the
-- documents, so it is computed from the newest other manifest of the
-- resource whose observation is kept, from the documents one names more
-- times than the other (each read once, by its hash), and from scratch
-- only when there is none.
CREATE OR REPLACE FUNCTION landing.observe(p_run_id bigint, p_resource text) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    base    bigint;
    hashes  bytea[];
    earlier bytea[];
    changed bytea[];
    times   bigint[];
BEGIN
    IF EXISTS (SELECT FROM landing.observed o WHERE o.run_id = p_run_id AND o.resource = p_resource) THEN
        RETURN;
    END IF;
    SELECT m.sha256s INTO hashes FROM landing.manifests m WHERE m.run_id = p_run_id AND m.resource = p_resource;
    IF hashes IS NULL THEN
        RETURN; -- no such manifest: nothing observed
    END IF;
    SELECT m.run_id, m.sha256s INTO base, earlier
    FROM landing.manifests m
    WHERE m.resource = p_resource AND m.run_id <> p_run_id
      AND EXISTS (SELECT FROM landing.observed o WHERE o.run_id = m.run_id AND o.resource = m.resource)
    ORDER BY m.run_id DESC
    LIMIT 1;
    -- How many more times this manifest names each document than the base.
    SELECT array_agg(x.sha256), array_agg(x.n) INTO changed, times
    FROM (SELECT e.sha256, sum(e.n)::bigint AS n
          FROM (SELECT h, 1 FROM unnest(hashes) AS h
                UNION ALL
                SELECT h, -1 FROM unnest(earlier) AS h) AS e(sha256, n)
          GROUP BY e.sha256
          HAVING sum(e.n) <> 0) x;
    -- The changed documents as constants: the planner then knows how many
    -- (one to probe for, or every one of a first extract to join).
    EXECUTE $q$
        INSERT INTO landing.observed (run_id, resource, key, type, documents)
        SELECT $1, $2, x.key, x.type, sum(x.documents)
        FROM (SELECT o.key, o.type, o.documents FROM landing.observed o WHERE o.run_id = $3 AND o.resource = $2
              UNION ALL
              -- Each document decompressed once: its keys and their JSON
              -- types, and a row (key NULL) counting it.
              SELECT e.key, e.type, sum(d.n)
              FROM (SELECT bronze.detoast(c.doc) AS doc, t.n
                    FROM unnest($4::bytea[], $5::bigint[]) AS t(sha256, n)
                    JOIN landing.contents c ON c.sha256 = t.sha256
                    OFFSET 0) d
              CROSS JOIN LATERAL (
                  SELECT k.key, jsonb_typeof(k.value) AS type
                  FROM jsonb_each(CASE WHEN jsonb_typeof(d.doc) = 'object' THEN d.doc ELSE '{}' END) AS k(key, value)
                  UNION ALL
                  SELECT NULL, NULL WHERE jsonb_typeof(d.doc) = 'object'
              ) e
              GROUP BY e.key, e.type) x
        GROUP BY x.key, x.type
        HAVING sum(x.documents) <> 0$q$
    USING p_run_id, p_resource, base, coalesce(changed, '{}'), coalesce(times, '{}');
END
$$;

REVOKE ALL ON FUNCTION landing.has_extract(bigint, text), landing.prune(integer), landing.observe(bigint, text),
    landing.manifest_open(), landing.manifest_add(bigint, text, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION landing.has_extract(bigint, text), landing.prune(integer), landing.observe(bigint, text),
    landing.manifest_open(), landing.manifest_add(bigint, text, timestamptz) TO spacex_writer;
