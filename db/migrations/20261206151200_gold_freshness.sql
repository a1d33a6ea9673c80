-- migrate:up

-- gold.freshness: how fresh bronze and gold are, for the analyst, who may
-- read bronze and gold but not meta (the run ledger holds sources and
-- errors, which may name hosts and paths). A plain view, not materialized:
-- it must show the run that just finished, and no sync refreshes it. It
-- reads meta with its owner's (the migration owner's) privileges, so
-- SELECT on it is all a reader needs; meta.apply_grants grants that on
-- every relation of gold. security_barrier keeps a reader's own
-- predicates (a leaky function in WHERE) from seeing other runs' rows
-- before the view has chosen its run.
CREATE VIEW gold.freshness WITH (security_barrier) AS
SELECT r.run_id, r.started_at, r.finished_at,
       rr.resource, rr.absent, rr.not_modified, rr.fetched,
       rr.inserted, rr.updated, rr.unchanged, rr.deleted, rr.revived
FROM (
    SELECT run_id, started_at, finished_at
    FROM meta.runs
    WHERE status = 'succeeded'
    ORDER BY run_id DESC
    LIMIT 1
) r
LEFT JOIN meta.run_resources rr ON rr.run_id = r.run_id;

COMMENT ON VIEW gold.freshness IS
    'The newest succeeded sync or replay (what bronze and gold now hold), one row per resource it recorded; no row before any run succeeded. Analysts read it instead of meta.runs, which they may not: SELECT DISTINCT run_id, finished_at, now() - finished_at AS age FROM gold.freshness.';
COMMENT ON COLUMN gold.freshness.run_id IS
    'Id of the newest succeeded run (meta.runs.run_id; loader runs lists it).';
COMMENT ON COLUMN gold.freshness.started_at IS
    'When that run started.';
COMMENT ON COLUMN gold.freshness.finished_at IS
    'When that run finished and committed: bronze and gold are as of this time.';
COMMENT ON COLUMN gold.freshness.resource IS
    'API resource (rockets, launches, ...): one row per resource the run recorded.';
COMMENT ON COLUMN gold.freshness.absent IS
    'The source lacked the resource (no file, or 404): bronze kept what it held of it.';
COMMENT ON COLUMN gold.freshness.not_modified IS
    'The source answered not modified (same ETag or file hash as the run before): nothing was downloaded or changed.';
COMMENT ON COLUMN gold.freshness.fetched IS
    'Documents the run read from the source for this resource (0 when absent or not modified).';
COMMENT ON COLUMN gold.freshness.inserted IS
    'Bronze rows the run inserted (new records); NULL when the resource was not promoted.';
COMMENT ON COLUMN gold.freshness.updated IS
    'Bronze rows the run updated (content changed, revived rows included); NULL when not promoted.';
COMMENT ON COLUMN gold.freshness.unchanged IS
    'Records whose content was already in bronze; NULL when not promoted.';
COMMENT ON COLUMN gold.freshness.deleted IS
    'Bronze rows the run soft-deleted (missing from a complete extract); NULL when not promoted.';
COMMENT ON COLUMN gold.freshness.revived IS
    'Soft-deleted rows the run revived (back in the extract), also counted in updated; NULL when not promoted.';

-- Every command checks first that the database has the migrations it
-- ships (loader migrate otherwise), reading dbmate's table: the analyst
-- may read it too, so that loader report says so rather than fail on a
-- relation it lacks. It holds migration versions, nothing else.
GRANT SELECT ON public.schema_migrations TO spacex_analyst;

SELECT meta.apply_grants();

-- migrate:down

REVOKE ALL ON public.schema_migrations FROM spacex_analyst;
DROP VIEW gold.freshness;
