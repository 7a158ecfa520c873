-- Counters per node (domain/src/counter.rs): every record counts, under a
-- metric and a code, at its node and at every ancestor, kept by the write
-- path in the same transaction; a subtree's figure is its root's rows.
-- Filled from the records once every migration has run (`recount`), and
-- compared with a fresh count by `dienhinh check`.
CREATE TABLE node_counts (
    org_id BIGINT NOT NULL,
    metric TEXT NOT NULL,
    code TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (org_id, metric, code)
);
-- What depends on today cannot be a counter: open fostering items due by
-- a date, per subtree, read from this index alone (with the exemplar, for
-- "exemplars with an item due").
CREATE INDEX fostering_open_due ON fostering_items (status, org_path, due_on, exemplar_id);
-- "Recognised exemplars not yet evaluated this year" probes each recognised
-- exemplar of the subtree by id: with the id in the index, PostgreSQL
-- answers from the index alone (SQLite's indexes hold the rowid anyway).
DROP INDEX exemplars_status_level;
CREATE INDEX exemplars_status_level ON exemplars (status, org_path, level, id);
