-- A subtree's exemplars by stage answered from the index of migration 30,
-- which now holds the status too: the page's keys (the stage is computed
-- from the status) come from the index, and only its rows are read whole.
-- Without it SQLite read each of a bloc's 1,282 rows from the table to
-- compute their stage (0.66 ms warm, about 2 ms on a reader whose cache
-- had not seen them; 0.26 ms from the index).
DROP INDEX exemplars_scope_name;
CREATE INDEX exemplars_scope_name ON exemplars (org_path, sort_key, year_found, status, id);
