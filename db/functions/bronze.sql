-- Promotion of landed documents into bronze, the same for every resource.
-- `loader migrate` applies this file whenever it changes (CREATE OR REPLACE:
-- a function whose signature changes must be dropped here first). The
-- typed columns are generated from the stored document by the bronze.as_*
-- functions of the migration; these functions decide which documents to
-- write, fill bridges, record issues, soft-delete and count.
--
-- A promotion of one resource, within one transaction:
--   bronze.stage       the run's document per id, and what to do with it
--   bronze.upsert      insert new documents, rewrite changed and revived
--                      ones, with the issues of what they wrote
--   bronze.reconcile   bridge rows of written parents, per array
--   bronze.soft_delete live rows the complete extract lacks
--   bronze.counts      the ledger's counts
--   bronze.changed_columns  which columns of which tables the writes changed,
--                      for the gold refresh

-- Why a JSON value does not fit a bronze.as_<kind> function, or NULL when
-- it does (or is absent, or JSON null). kind: text, id, numeric, integer,
-- bigint, boolean, uuid, date, timestamptz, text_array, integer_array, or
-- array (a bridge's source array).
CREATE OR REPLACE FUNCTION bronze.problem(v jsonb, kind text) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    got  text := jsonb_typeof(v);
    bad  jsonb;
BEGIN
    IF v IS NULL OR got = 'null' THEN
        RETURN NULL; -- nothing to type, so nothing wrong
    END IF;
    CASE kind
    WHEN 'text' THEN
        RETURN CASE WHEN got <> 'string' THEN 'expected string, got ' || got END;
    WHEN 'id' THEN
        IF got NOT IN ('string', 'number') THEN RETURN 'expected an id (string), got ' || got; END IF;
        RETURN CASE WHEN bronze.as_id(v) IS NULL THEN 'an id must be 1 to 256 bytes' END;
    WHEN 'numeric' THEN
        RETURN CASE WHEN got <> 'number' THEN 'expected number, got ' || got END;
    WHEN 'boolean' THEN
        RETURN CASE WHEN got <> 'boolean' THEN 'expected boolean, got ' || got END;
    WHEN 'integer', 'bigint' THEN
        IF got <> 'number' THEN RETURN 'expected integer, got ' || got; END IF;
        IF v::numeric <> trunc(v::numeric) THEN RETURN 'expected integer, got a fraction'; END IF;
        IF kind = 'integer' AND bronze.as_integer(v) IS NULL OR bronze.as_bigint(v) IS NULL THEN
            RETURN 'integer out of range';
        END IF;
        RETURN NULL;
    WHEN 'uuid', 'date', 'timestamptz' THEN
        IF got <> 'string' THEN RETURN 'expected ' || kind || ' string, got ' || got; END IF;
        IF kind = 'uuid' AND bronze.as_uuid(v) IS NULL
           OR kind = 'date' AND bronze.as_date(v) IS NULL
           OR kind = 'timestamptz' AND bronze.as_timestamptz(v) IS NULL THEN
            RETURN 'unparseable ' || kind;
        END IF;
        RETURN NULL;
    WHEN 'array', 'text_array', 'integer_array' THEN
        IF got <> 'array' THEN RETURN 'expected array, got ' || got; END IF;
        IF kind = 'array' THEN RETURN NULL; END IF; -- any elements will do
        SELECT e INTO bad FROM jsonb_array_elements(v) WITH ORDINALITY AS a(e, i)
        WHERE kind = 'text_array' AND jsonb_typeof(e) <> 'string'
           OR kind = 'integer_array' AND bronze.as_integer(e) IS NULL
        ORDER BY i LIMIT 1;
        RETURN 'unexpected array element ' || bad::text;
    ELSE
        RAISE EXCEPTION 'bronze.problem: unknown kind %', kind;
    END CASE;
END
$$;

-- Issues as a jsonb array, each once, in order; STRICT, so a row without
-- issues (NULL) costs no call.
CREATE OR REPLACE FUNCTION bronze.issue_list(issues jsonb[]) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    out jsonb := '[]';
    i   jsonb;
BEGIN
    FOREACH i IN ARRAY issues LOOP
        IF NOT out @> jsonb_build_array(i) THEN
            out := out || jsonb_build_array(i);
        END IF;
    END LOOP;
    RETURN out;
END
$$;

-- The same object, decompressed: what reads many fields of a stored
-- document reads this copy, instead of decompressing it for each field.
-- (jsonb's || returns its left side as it is when the right is {}.)
CREATE OR REPLACE FUNCTION bronze.detoast(doc jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN jsonb_typeof(doc) = 'object' THEN doc || '{}' ELSE doc END;

-- The issue {field, reason, value} of a value at path in doc that was
-- expected to be of kind but did not come out: a value of the wrong type,
-- or, when it is absent, a parent on the path that is not an object
-- (field "$" for doc itself). NULL when there is nothing to say (absent
-- under object parents, or JSON null).
CREATE OR REPLACE FUNCTION bronze.issue(doc jsonb, path text[], kind text) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    v      jsonb := doc #> path;
    parent jsonb;
    reason text;
BEGIN
    IF v IS NOT NULL THEN
        reason := CASE WHEN jsonb_typeof(v) <> 'null' THEN bronze.problem(v, kind) END;
        RETURN CASE WHEN reason IS NOT NULL THEN jsonb_build_object(
            'field', coalesce(nullif(array_to_string(path, '.'), ''), '$'), 'reason', reason, 'value', v) END;
    END IF;
    FOR i IN 0 .. coalesce(array_length(path, 1), 0) - 1 LOOP
        parent := doc #> path[1:i];
        EXIT WHEN parent IS NULL OR jsonb_typeof(parent) = 'null';
        IF jsonb_typeof(parent) <> 'object' THEN
            RETURN jsonb_build_object('field', coalesce(nullif(array_to_string(path[1:i], '.'), ''), '$'),
                'reason', 'expected object, got ' || jsonb_typeof(parent), 'value', parent);
        END IF;
    END LOOP;
    RETURN NULL;
END
$$;

-- The typed columns of a bronze table as the issues of a row of it: an SQL
-- expression over the row (alias r) giving its issues as a jsonb array, or
-- NULL when it has none. Each column generated as bronze.as_<kind>(arg)
-- contributes bronze.issue(...) when it is NULL; arrays names source
-- arrays of bridges, checked to be arrays. Issues are ordered by field
-- (shorter names first), and one about a parent is given once.
CREATE OR REPLACE FUNCTION bronze.issues_expr(tbl regclass, arrays text[] DEFAULT '{}') RETURNS text
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
    items text[];
BEGIN
    WITH generated AS (
        SELECT a.attname, m[1] AS kind, m[2] AS arg, m[3] AS src, coalesce(m[5], '{' || m[4] || '}') AS path
        FROM pg_attribute a
        JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        CROSS JOIN LATERAL regexp_match(pg_get_expr(d.adbin, d.adrelid),
            '^bronze\.as_(\w+)\((\(?(doc|elem)(?: -> ''([^'']*)''::text| #> ''(\{[^'']*\})''::text\[\])?\)?|.*)\)$') AS m
        WHERE a.attrelid = tbl AND a.attgenerated = 's' AND NOT a.attisdropped
    ), fields AS (
        -- A column read from a plain path can say which part of it is wrong;
        -- one computed otherwise is described by its own name.
        -- A JSON null under a NULL column is no issue: most NULLs are that,
        -- and cost no call.
        SELECT CASE WHEN src IS NOT NULL
                    THEN format('CASE WHEN r.%I IS NULL AND (r.%I #> %L) IS DISTINCT FROM ''null'' THEN bronze.issue(r.%I, %L, %L) END',
                                attname, src, path, src, path, kind)
                    ELSE format('CASE WHEN r.%I IS NULL AND %s IS NOT NULL THEN bronze.issue(jsonb_build_object(%L, %s), %L, %L) END',
                                attname, arg, attname, arg, ARRAY[attname::text], kind)
               END AS expr,
               CASE WHEN src IS NOT NULL THEN array_to_string(path::text[], '.') ELSE attname END AS field
        FROM generated
        UNION ALL
        -- An array is never an issue: only what is not one is looked at.
        SELECT format('CASE WHEN jsonb_typeof(r.doc #> %1$L) IS DISTINCT FROM ''array'' THEN bronze.issue(r.doc, %1$L, ''array'') END',
                      string_to_array(f, '.')), f
        FROM unnest(arrays) AS f
    )
    SELECT array_agg(expr ORDER BY octet_length(field), field) INTO items FROM fields;
    IF items IS NULL THEN
        RETURN 'NULL::jsonb';
    END IF;
    RETURN format('bronze.issue_list(nullif(array_remove(ARRAY[%s]::jsonb[], NULL), ''{}''))', array_to_string(items, ', '));
END
$$;

-- Stages a resource for promotion: the temporary table stage gets the
-- run's document per id (the last occurrence when the extract repeats an
-- id; the extract is the run's manifest, and a document it names that
-- landing.contents lacks fails the stage) with what to do with it: 'i' insert, 'u' rewrite (its content
-- changed, or retype: the transform changed), 'r' revive (soft-deleted),
-- '=' nothing (not even typed). Equal raw bytes prove equal content;
-- otherwise the documents themselves are compared. Returns the counts the
-- shrink guard and the ledger need: documents (distinct ids), duplicates,
-- rejected (no usable id), and the table's live rows and how many of them
-- the extract lacks. Three more temporary tables collect what the writes
-- return: written (the bridges' source arrays of each written document),
-- found (the issues of written rows) and changed (the columns they changed).
--
-- A document whose hash a bronze row holds (doc_sha256) is that row's,
-- unchanged: its id and state come from the row, and landing.contents is
-- not read for it (a changed extract of 61,500 launches with one changed
-- reads one document there, not 61,500). Only the others are looked up in
-- landing, by hash, and must be there. The same join, full, finds the
-- live rows whose hash the manifest lacks: those the extract changed or
-- lacks, and so the rows it lacks are counted without reading the table
-- again.
--
-- Its joins of the whole extract with the whole table are hash joins: the
-- next sync often comes before autovacuum has analyzed what the last one
-- wrote, and without statistics the planner took the join of 61,500
-- hashes with bronze.launches for 33 million rows and sorted both sides
-- for a merge join (150 ms, against 80 ms hashed).
CREATE OR REPLACE FUNCTION bronze.stage(tbl regclass, p_resource text, p_landed_run_id bigint, p_retype boolean,
    OUT documents bigint, OUT duplicates bigint, OUT rejected bigint, OUT live bigint, OUT missing bigint)
LANGUAGE plpgsql SET enable_mergejoin = off AS $$
DECLARE
    hashes bytea[];
    lookup bytea[];
    gone   text[];
    held   bigint;
    written bigint;
BEGIN
    DROP TABLE IF EXISTS pg_temp.stage, pg_temp.written, pg_temp.found, pg_temp.changed, pg_temp.named;
    CREATE TEMP TABLE stage (id text NOT NULL, ordinal integer NOT NULL, sha256 bytea NOT NULL,
                             action "char" NOT NULL, had_issues boolean NOT NULL) ON COMMIT DROP;
    CREATE TEMP TABLE written (id text NOT NULL, action "char" NOT NULL, arrays jsonb[]) ON COMMIT DROP;
    CREATE TEMP TABLE found (tbl regclass NOT NULL, id text NOT NULL, pos integer, issues jsonb NOT NULL) ON COMMIT DROP;
    -- Each document the manifest names, at its ordinal, with its id and
    -- state when a bronze row holds its hash (bronze) or else, once looked
    -- up, its id in landing (held: landing has it).
    CREATE TEMP TABLE named (ordinal integer, sha256 bytea NOT NULL, id text, bronze boolean NOT NULL,
                             deleted boolean, had_issues boolean, held boolean NOT NULL) ON COMMIT DROP;
    -- The manifest's hashes go in as a value, not read in the statements
    -- below: a value is a constant to the planner, which then knows how
    -- many documents there are (a column's unnest counts as 10) and joins
    -- by hash rather than probing an index for each.
    SELECT m.sha256s INTO hashes FROM landing.manifests m WHERE m.run_id = p_landed_run_id AND m.resource = p_resource;
    CREATE TEMP TABLE changed (tbl regclass NOT NULL, col name NOT NULL, UNIQUE (tbl, col)) ON COMMIT DROP;
    IF hashes IS NULL THEN
        RAISE EXCEPTION 'bronze.stage: run %''s extract of % names no extract documents, and landing holds 0',
            p_landed_run_id, p_resource USING ERRCODE = 'data_corrupted';
    END IF;
    -- The table's live rows whose hash the manifest lacks come with no
    -- ordinal: kept as gone.
    EXECUTE format($q$
        INSERT INTO named (ordinal, sha256, id, bronze, deleted, had_issues, held)
        SELECT (e.i - 1)::integer, coalesce(e.sha256, b.doc_sha256), b.id, b.id IS NOT NULL, b.deleted_at IS NOT NULL,
               b.issues IS NOT NULL, b.id IS NOT NULL
        FROM unnest($1::bytea[]) WITH ORDINALITY AS e(sha256, i)
        FULL JOIN %s b ON b.doc_sha256 = e.sha256
        WHERE e.i IS NOT NULL OR b.deleted_at IS NULL$q$, tbl)
    USING hashes;
    WITH g AS (DELETE FROM named n WHERE n.ordinal IS NULL RETURNING n.id)
    SELECT array_agg(g.id) INTO gone FROM g;
    -- The others, from landing: few, each probed by its hash.
    SELECT array_agg(DISTINCT n.sha256) INTO lookup FROM named n WHERE NOT n.bronze;
    IF lookup IS NOT NULL THEN
        EXECUTE $q$
            UPDATE named n SET id = d.id, held = true
            FROM landing.contents d
            WHERE d.sha256 = ANY ($1) AND n.sha256 = d.sha256 AND NOT n.bronze$q$
        USING lookup;
    END IF;
    SELECT count(*) FILTER (WHERE n.held), count(*) FILTER (WHERE n.held AND n.id IS NULL)
    INTO held, rejected
    FROM named n;
    -- Every document the manifest names must be in landing.contents (or,
    -- the same bytes, in bronze): one missing would otherwise pass as a
    -- record the extract lacks.
    IF held <> cardinality(hashes) THEN
        RAISE EXCEPTION 'bronze.stage: run %''s extract of % names % documents, and landing holds %',
            p_landed_run_id, p_resource, cardinality(hashes), held
            USING ERRCODE = 'data_corrupted';
    END IF;
    -- A document not held by hash in bronze: new, revived, or its bytes
    -- differ from the row's (compared as text: jsonb's = takes 1.50 for 1.5;
    -- a reformatted document is unchanged).
    EXECUTE format($q$
        INSERT INTO stage (id, ordinal, sha256, action, had_issues)
        SELECT n.id, n.ordinal, n.sha256,
               CASE WHEN n.bronze THEN CASE WHEN n.deleted THEN 'r' WHEN $1 THEN 'u' ELSE '=' END
                    ELSE coalesce((SELECT CASE WHEN b.deleted_at IS NOT NULL THEN 'r'
                                               WHEN $1 OR b.doc::text <> (SELECT d.doc::text FROM landing.contents d WHERE d.sha256 = n.sha256) THEN 'u'
                                               ELSE '=' END
                                   FROM %1$s b WHERE b.id = n.id), 'i') END,
               CASE WHEN n.bronze THEN n.had_issues
                    ELSE coalesce((SELECT b.issues IS NOT NULL FROM %1$s b WHERE b.id = n.id), false) END
        FROM (SELECT DISTINCT ON (n.id) n.* FROM named n WHERE n.id IS NOT NULL ORDER BY n.id, n.ordinal DESC) n$q$, tbl)
    USING p_retype;
    -- A gone row is missing unless the extract holds its id in other bytes
    -- (as a row the manifest names by hash is another row, its id is
    -- another). The live rows are those missing and those of a staged id
    -- neither inserted nor revived.
    SELECT count(*) INTO missing
    FROM unnest(gone) AS g(id)
    WHERE NOT EXISTS (SELECT FROM named n WHERE n.id = g.id);
    SELECT count(*), count(*) FILTER (WHERE s.action IN ('u', '=')) + missing, count(*) FILTER (WHERE s.action <> '=')
    INTO documents, live, written
    FROM stage s;
    duplicates := held - rejected - documents;
    -- The writes join the stage by action. When they are few, the
    -- planner's guess without statistics (a small share per value) holds;
    -- when they are many (a first sync), statistics are worth their time
    -- (30 ms for 61,500 rows).
    IF written > documents / 10 THEN
        ANALYZE stage;
    END IF;
END
$$;

-- The columns of tbl whose values differ between two rows of it, the new
-- one and the old one as the statement using it names them: an SQL
-- expression giving a name[]. Values are compared as their stored bytes
-- (*=, as REFRESH ... CONCURRENTLY compares rows), so 1.5 and 1.50, which
-- = calls equal but a view may show apart, differ; NULL equals NULL.
CREATE OR REPLACE FUNCTION bronze.changed_expr(tbl regclass, new_row text, old_row text) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
RETURN (
    SELECT format('array_remove(ARRAY[%s]::name[], NULL)',
        string_agg(format('CASE WHEN NOT (ROW(%1$s.%3$I)::record *= ROW(%2$s.%3$I)::record) THEN %3$L END',
                          new_row, old_row, a.attname), ', ' ORDER BY a.attnum))
    FROM pg_attribute a
    WHERE a.attrelid = tbl AND a.attnum > 0 AND NOT a.attisdropped);

-- Records every column of tbl as changed (rows were inserted or deleted).
CREATE OR REPLACE FUNCTION bronze.changed_every(tbl regclass) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO changed (tbl, col)
    SELECT tbl, a.attname FROM pg_attribute a
    WHERE a.attrelid = tbl AND a.attnum > 0 AND NOT a.attisdropped
    ON CONFLICT DO NOTHING;
END
$$;

-- Writes the staged documents that are new, changed or revived. Their
-- typed columns are generated as they are written. What the writes return
-- is all that is read of them again: the issues of each written row (kept
-- in found, then set on the few rows that have some) and the source arrays
-- of its bridges (kept in written, for bronze.reconcile), so no written
-- document is decompressed twice. A staged document is read from
-- landing.contents by its hash, which alone finds it. It records the
-- columns it changed in changed: every column when it inserted a row; of a
-- rewritten or revived row, those whose new value differs from the old
-- (read by joining the table again: the join sees the row as it was before
-- the statement). Returns how many rows it inserted and how many it
-- rewrote or revived, which bronze.reconcile is told.
DROP FUNCTION IF EXISTS bronze.upsert(regclass, text, bigint, bigint, text[]);
CREATE OR REPLACE FUNCTION bronze.upsert(tbl regclass, p_run_id bigint, arrays text[],
    OUT inserted bigint, OUT rewritten bigint)
LANGUAGE plpgsql AS $$
DECLARE
    ret text := format('r.id, %s AS issues, ARRAY[%s]::jsonb[] AS arrays',
        bronze.issues_expr(tbl, arrays),
        (SELECT coalesce(string_agg(format('r.doc #> %L', string_to_array(a, '.')), ', ' ORDER BY i), '')
         FROM unnest(arrays) WITH ORDINALITY AS x(a, i)));
BEGIN
    -- The typing gets one decompressed copy of each document, instead of
    -- decompressing it once per generated column.
    EXECUTE format($q$
        WITH w AS (
            INSERT INTO %1$s AS r (id, doc, doc_sha256, run_id)
            SELECT s.id, bronze.detoast(d.doc), s.sha256, $1
            FROM stage s
            JOIN landing.contents d ON d.sha256 = s.sha256
            WHERE s.action = 'i'
            RETURNING %2$s, 'i'::"char" AS action
        ), f AS (
            INSERT INTO found (tbl, id, issues) SELECT $2, w.id, w.issues FROM w WHERE w.issues IS NOT NULL
        )
        INSERT INTO written (id, action, arrays) SELECT w.id, w.action, w.arrays FROM w$q$, tbl, ret)
    USING p_run_id, tbl;
    GET DIAGNOSTICS inserted = ROW_COUNT;
    IF inserted > 0 THEN
        PERFORM bronze.changed_every(tbl);
    END IF;
    EXECUTE format($q$
        WITH w AS (
            UPDATE %1$s r
            SET doc = bronze.detoast(d.doc),
                doc_sha256 = s.sha256, issues = NULL, deleted_at = NULL, run_id = $1, updated_at = $3
            FROM stage s
            JOIN landing.contents d ON d.sha256 = s.sha256
            JOIN %1$s o ON o.id = s.id
            WHERE r.id = s.id AND s.action IN ('u', 'r')
            RETURNING %2$s, s.action, %3$s AS changed
        ), f AS (
            INSERT INTO found (tbl, id, issues) SELECT $2, w.id, w.issues FROM w WHERE w.issues IS NOT NULL
        ), ch AS (
            -- issues is cleared here and set again below from found.
            INSERT INTO changed (tbl, col)
            SELECT DISTINCT $2, x.col FROM w, unnest(w.changed || CASE WHEN w.issues IS NOT NULL THEN '{issues}'::name[] END) AS x(col)
            ON CONFLICT DO NOTHING
        )
        INSERT INTO written (id, action, arrays) SELECT w.id, w.action, w.arrays FROM w$q$, tbl, ret,
        bronze.changed_expr(tbl, 'r', 'o'))
    -- The time is passed in, not called per row: one instant per statement,
    -- and no VOLATILE function in an UPDATE (which Citus refuses, see
    -- docs/scaling.md).
    USING p_run_id, tbl, statement_timestamp();
    GET DIAGNOSTICS rewritten = ROW_COUNT;
    EXECUTE format('UPDATE %s t SET issues = f.issues FROM found f WHERE f.tbl = $1 AND t.id = f.id', tbl)
    USING tbl;
    -- bronze.reconcile joins each bridge with the rewritten parents. Taken
    -- for the planner's default (a few pages' worth of rows), one launch
    -- made each bridge a hash join, a scan of the whole bridge (10 to 20
    -- ms each at 300 times the snapshot); counted, it is an index probe.
    IF rewritten > 0 THEN
        ANALYZE written;
    END IF;
END
$$;

-- The two columns of a bridge's primary key, in order: the parent's id and
-- the element's position, whatever the bridge names them.
CREATE OR REPLACE FUNCTION bronze.bridge_key(bridge regclass) RETURNS name[]
LANGUAGE plpgsql STABLE STRICT AS $$
DECLARE
    key name[];
BEGIN
    SELECT array_agg(a.attname ORDER BY k.i) INTO key
    FROM pg_index x
    CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, i)
    JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum
    WHERE x.indrelid = bridge AND x.indisprimary;
    IF cardinality(key) IS DISTINCT FROM 2 THEN
        RAISE EXCEPTION '%: a bridge''s primary key must be (parent id, position), found %', bridge, key;
    END IF;
    RETURN key;
END
$$;

-- Brings a bridge table in line with the n-th source array of the
-- documents just written (see bronze.upsert): one row per element, keyed
-- by the parent's id and the element's position (the bridge's primary
-- key). Rows past an array's end are deleted; an element is rewritten only
-- when it changed, or every one when retype; rows of a new parent are plain
-- inserts. The columns it changes go to changed: every column when it
-- inserted or deleted a row; of a rewritten row, those whose new value
-- differs from the old (the statement's own read of the bridge sees it as
-- it was before the statement). p_inserted and p_rewritten say whether
-- bronze.upsert inserted and rewritten (or revived) any parent: a pass over
-- written for parents there are none of is skipped.
DROP FUNCTION IF EXISTS bronze.reconcile(regclass, integer, bigint, boolean);
CREATE OR REPLACE FUNCTION bronze.reconcile(bridge regclass, n integer, p_run_id bigint, p_retype boolean,
    p_inserted boolean, p_rewritten boolean)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    key    name[];
    upsert boolean;
    k      bigint;
BEGIN
    key := bronze.bridge_key(bridge);
    -- A new parent has no bridge rows yet: only rewritten ones can lose some.
    IF p_rewritten THEN
        EXECUTE format($q$
            DELETE FROM %1$s c
            USING written w
            WHERE w.action IN ('u', 'r') AND c.%2$I = w.id
              AND c.%3$I >= CASE WHEN jsonb_typeof(w.arrays[$1]) = 'array' THEN jsonb_array_length(w.arrays[$1]) ELSE 0 END$q$,
            bridge, key[1], key[2])
        USING n;
        GET DIAGNOSTICS k = ROW_COUNT;
        IF k > 0 THEN
            PERFORM bronze.changed_every(bridge);
        END IF;
    END IF;
    FOREACH upsert IN ARRAY ARRAY[false, true] LOOP
        CONTINUE WHEN NOT CASE WHEN upsert THEN p_rewritten ELSE p_inserted END;
        EXECUTE format($q$
            WITH w AS (
                INSERT INTO %1$s AS r (%2$I, %3$I, elem, run_id)
                SELECT p.id, (e.i - 1)::integer, e.elem, $2
                FROM written p
                CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(p.arrays[$1]) = 'array' THEN p.arrays[$1] ELSE '[]' END)
                    WITH ORDINALITY AS e(elem, i)
                WHERE p.action = ANY ($3)
                %4$s
                RETURNING r.%2$I AS id, r.%3$I AS pos, %5$s AS issues%6$s
            ), f AS (
                INSERT INTO found (tbl, id, pos, issues) SELECT $4, w.id, w.pos, w.issues FROM w WHERE w.issues IS NOT NULL
            )%7$s
            SELECT count(*) FROM w$q$,
            bridge, key[1], key[2],
            CASE WHEN upsert THEN format(
                'ON CONFLICT (%I, %I) DO UPDATE SET elem = EXCLUDED.elem, issues = NULL, run_id = EXCLUDED.run_id
                 WHERE $5 OR r.elem IS DISTINCT FROM EXCLUDED.elem', key[1], key[2]) ELSE '' END,
            bronze.issues_expr(bridge),
            -- Rows of new parents are all inserts, counted below; those of
            -- rewritten parents are compared with what the bridge held.
            CASE WHEN upsert THEN ', r AS n' ELSE '' END,
            CASE WHEN upsert THEN format($c$, ch AS (
                INSERT INTO changed (tbl, col)
                SELECT DISTINCT $4, x.col
                FROM w LEFT JOIN %1$s o ON o.%2$I = w.id AND o.%3$I = w.pos
                CROSS JOIN LATERAL unnest(CASE WHEN o.%2$I IS NULL THEN (SELECT array_agg(a.attname) FROM pg_attribute a
                                                                          WHERE a.attrelid = $4 AND a.attnum > 0 AND NOT a.attisdropped)
                                               ELSE %4$s || CASE WHEN w.issues IS NOT NULL THEN '{issues}'::name[] END END) AS x(col)
                ON CONFLICT DO NOTHING
            )$c$, bridge, key[1], key[2], bronze.changed_expr(bridge, '(w.n)', 'o')) ELSE '' END)
        INTO k
        USING n, p_run_id, CASE WHEN upsert THEN '{u,r}'::"char"[] ELSE '{i}'::"char"[] END, bridge, p_retype;
        IF NOT upsert AND k > 0 THEN
            PERFORM bronze.changed_every(bridge);
        END IF;
    END LOOP;
    EXECUTE format('UPDATE %1$s t SET issues = f.issues FROM found f WHERE f.tbl = $1 AND t.%2$I = f.id AND t.%3$I = f.pos',
                   bridge, key[1], key[2])
    USING bridge;
END
$$;

-- Soft-deletes the live rows the staged (complete) extract lacks, and
-- returns how many. The columns it sets go to changed; a gold view leaves
-- a soft-deleted row out by reading deleted_at.
CREATE OR REPLACE FUNCTION bronze.soft_delete(tbl regclass, p_run_id bigint)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    n bigint;
BEGIN
    EXECUTE format($q$
        UPDATE %s t SET deleted_at = $2, updated_at = $2, run_id = $1
        WHERE t.deleted_at IS NULL AND NOT EXISTS (SELECT FROM stage s WHERE s.id = t.id)$q$, tbl)
    USING p_run_id, statement_timestamp();
    GET DIAGNOSTICS n = ROW_COUNT;
    IF n > 0 THEN
        INSERT INTO changed (tbl, col) VALUES (tbl, 'deleted_at'), (tbl, 'updated_at'), (tbl, 'run_id')
        ON CONFLICT DO NOTHING;
    END IF;
    RETURN n;
END
$$;

-- The ledger's counts of the staged resource, once written: rows inserted,
-- updated (revived included), revived and unchanged, and bad_values, the
-- staged records whose row or any bridge row has issues: rows written now
-- (found), unchanged rows that had some, and bridge rows (a rewritten
-- parent's unchanged element keeps its issues and is not in found). When
-- every record is new, found holds them all and the bridges are not read.
-- A bridge is read only when it has rows with issues: the first of its
-- index of them, in the index's order (which no plan but that index
-- gives cheaply, with or without statistics), says whether it has any.
CREATE OR REPLACE FUNCTION bronze.counts(bridges regclass[],
    OUT inserted bigint, OUT updated bigint, OUT revived bigint, OUT unchanged bigint, OUT bad_values bigint)
LANGUAGE plpgsql AS $$
DECLARE
    bad text := 'SELECT id FROM found UNION SELECT id FROM stage WHERE action = ''='' AND had_issues';
    b   regclass;
    key name;
    has boolean;
BEGIN
    SELECT count(*) FILTER (WHERE action = 'i'), count(*) FILTER (WHERE action IN ('u', 'r')),
           count(*) FILTER (WHERE action = 'r'), count(*) FILTER (WHERE action = '=')
    INTO inserted, updated, revived, unchanged
    FROM stage;
    IF updated + unchanged > 0 THEN
        FOREACH b IN ARRAY coalesce(bridges, '{}') LOOP
            key := (bronze.bridge_key(b))[1];
            EXECUTE format('SELECT (SELECT c.%2$I FROM %1$s c WHERE c.issues IS NOT NULL ORDER BY c.%2$I LIMIT 1) IS NOT NULL',
                           b, key)
            INTO has;
            IF has THEN
                bad := bad || format(
                    ' UNION SELECT c.%2$I FROM %1$s c JOIN stage s ON s.id = c.%2$I WHERE c.issues IS NOT NULL', b, key);
            END IF;
        END LOOP;
    END IF;
    EXECUTE format('SELECT count(*) FROM (%s) x', bad) INTO bad_values;
END
$$;

-- The columns of bronze tables the staged resource's promotion changed
-- (bronze.upsert, bronze.reconcile, bronze.soft_delete), for the gold
-- refresh: one row per table and column.
CREATE OR REPLACE FUNCTION bronze.changed_columns(OUT table_name text, OUT column_name text) RETURNS SETOF record
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN QUERY
    SELECT format('%I.%I', n.nspname, t.relname), c.col::text
    FROM changed c
    JOIN pg_class t ON t.oid = c.tbl
    JOIN pg_namespace n ON n.oid = t.relnamespace
    ORDER BY 1, 2;
END
$$;
