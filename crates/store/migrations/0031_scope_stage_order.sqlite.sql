-- The new index's row estimates (SQLite keeps none for an index it has not
-- analysed, and then may not choose it); the samples are dropped as
-- `bulk::analyze` does (the bundled SQLite is built with STAT4).
ANALYZE exemplars_scope_name;
DELETE FROM sqlite_stat4 WHERE idx = 'exemplars_scope_name';
