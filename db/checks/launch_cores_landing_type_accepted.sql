-- severity: warn
-- description: The landing_type of each core of a live launch is ASDS, RTLS,
--   Ocean or NULL, the values the data has; the API's model does not enforce
--   them. One violation per core of a launch; the key is the launch's name,
--   the core's position and the value.
SELECT format('%s cores[%s]: %s', coalesce(l.name, l.id), c.core_index, c.landing_type) AS key
FROM bronze.launch_cores c
JOIN bronze.launches l ON l.id = c.launch_id AND l.deleted_at IS NULL
WHERE c.landing_type NOT IN ('ASDS', 'RTLS', 'Ocean')
