-- severity: error
-- description: The newest succeeded run (a sync, or a replay) finished less
--   than --max-age ago, and some run has succeeded at all; otherwise bronze
--   and gold may be stale. The limit comes from the setting loader.max_age
--   (an interval; '0' means no limit), which loader check sets from
--   --max-age; from psql, SET loader.max_age = '36h' first. At most one
--   violation; the key names the run and its age, or says no run succeeded.
SELECT CASE WHEN r.run_id IS NULL THEN 'no run ever succeeded'
            ELSE format('run %s finished %s ago', r.run_id, date_trunc('second', now() - r.finished_at))
       END AS key
FROM (SELECT) AS one
LEFT JOIN LATERAL (
    SELECT run_id, finished_at FROM meta.runs
    WHERE status = 'succeeded'
    ORDER BY finished_at DESC, run_id DESC
    LIMIT 1
) AS r ON true
WHERE r.run_id IS NULL
   OR r.finished_at < now() - nullif(current_setting('loader.max_age')::interval, interval '0')
