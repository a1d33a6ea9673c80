-- severity: warn
-- description: Every document of each resource's last extract (its row in
--   meta.run_resources of the newest succeeded run that had it, which is
--   what bronze holds) had a usable id. A document without one (missing,
--   null, empty, too long, not a string or number) is left in landing and
--   not loaded, and stops soft deletes for its resource; a run fails when
--   more than --max-reject-fraction of a resource's documents are such.
--   One violation per resource; the key is 'resource: rejected of fetched
--   documents in run N'.
SELECT format('%s: %s of %s documents in run %s', rr.resource, rr.rejected, rr.fetched, rr.run_id) AS key
FROM (
    SELECT DISTINCT ON (rr.resource) rr.resource, rr.run_id, rr.rejected, rr.fetched
    FROM meta.run_resources rr
    JOIN meta.runs r ON r.run_id = rr.run_id
    WHERE r.status = 'succeeded' AND NOT rr.absent
    ORDER BY rr.resource, rr.run_id DESC
) AS rr
WHERE rr.rejected > 0
