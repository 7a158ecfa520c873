-- The exemplar list filtered by kind and level inside a subtree: the scope
-- index alone read every exemplar of a province row by row to test both
-- (16,000 table lookups, p99 2.9 s for a province user at national scale);
-- this index answers both filters, the range and the count from the index.
CREATE INDEX exemplars_kind_level ON exemplars (kind, level, org_path, id);
