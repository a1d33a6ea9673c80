-- migrate:up

-- A sync now refreshes a gold view only when it changed a column the view
-- reads, not any column of a table it reads (db/functions/refresh.sql).
COMMENT ON COLUMN meta.runs.views_refreshed IS 'The gold views a succeeded run refreshed: those reading a column the run changed, directly or through another gold view, in refresh order.';

-- migrate:down

COMMENT ON COLUMN meta.runs.views_refreshed IS 'The gold views a succeeded run refreshed: those reading a table the run changed.';
