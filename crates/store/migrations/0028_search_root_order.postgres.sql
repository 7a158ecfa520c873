-- A province's index rows newest first: the root of each record's tree
-- (the first id of org_path) and the row id. A search inside a province
-- first tests its newest rows one by one (search::probed_window); without
-- this index PostgreSQL read the province's 21,000 rows by org_path and
-- sorted them by id for every search (4 of a province's 15 ms at
-- national scale). `search::ROW_ROOT` spells the expression the same (a
-- test holds the two together).
CREATE INDEX search_docs_root_id ON search_docs ((split_part(org_path, '/', 2)), id);
-- The planner estimates a province's share from the expression's
-- statistics, which only ANALYZE gathers.
ANALYZE search_docs;
