-- Full-text search: one row per searchable record, written in the same
-- transaction as the record (store::search::index). `folded` is
-- text::fold(title + body): no diacritics, đ→d, lower case, words split by
-- single spaces; each backend indexes it its own way (see the per-backend
-- scripts). `title_lower` (lower-cased normalised title) and `title_folded`
-- rank hits that carry the query's exact diacritics first.
CREATE TABLE search_docs (
    id {pk},
    kind TEXT NOT NULL,
    record_id BIGINT NOT NULL,
    -- The page that shows this record when it is not the record's own
    -- (a criteria set is shown on its plan's page); NULL = record_id.
    link_id BIGINT,
    org_path TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    year BIGINT,
    field TEXT,
    public BIGINT NOT NULL DEFAULT 0,
    folded TEXT NOT NULL,
    title_lower TEXT NOT NULL,
    title_folded TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX search_docs_record ON search_docs (kind, record_id);
CREATE INDEX search_docs_org_path ON search_docs (org_path, id);
