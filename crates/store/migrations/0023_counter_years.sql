-- The figures of a period (dashboard, reports, workbook) sum counters in
-- SQL instead of reading every key and parsing it: the year a key counts
-- in (its last part; `domain::counter::Metric::year_of`, none for what
-- has no year) is kept beside it, so a period is a range on a column.
-- Propaganda items are now counted too (metric `propaganda`, key
-- type/channel/year) rather than grouped on every read. The recount after
-- the migrations rewrites every row with its year.
ALTER TABLE node_counts ADD COLUMN year BIGINT;
