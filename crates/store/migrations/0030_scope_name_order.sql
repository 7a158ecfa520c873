-- A subtree's exemplars by name (or year) answered from one index: the
-- page is found on (org_path, sort_key, year_found, id) alone and only its
-- rows are read whole (`page::listing`'s deferred join). Through the scope
-- index a bloc's list by name read each of its 1,282 rows from the table to
-- sort them: 7.6 ms on a SQLite connection whose cache had not seen them
-- (each reader keeps its own), 0.7 ms from an index that holds the keys.
CREATE INDEX exemplars_scope_name ON exemplars (org_path, sort_key, year_found, id);
