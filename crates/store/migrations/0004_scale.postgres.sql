-- Subtree words in the full-text index (text::query::scope_token): the
-- text's words at weight A, `o` + each id of the record's path at weight D,
-- so typed words (queried at A) never match them. A search asks for its
-- words AND the caller's subtree, and the GIN index intersects the two.
-- The column is generated, so an org move (which rewrites org_path)
-- refreshes it.
DROP INDEX search_docs_tsv;
ALTER TABLE search_docs DROP COLUMN tsv;
ALTER TABLE search_docs ADD COLUMN tsv tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple', folded), 'A') || setweight(to_tsvector('simple', replace(org_path, '/', ' o')), 'D')
) STORED;
CREATE INDEX search_docs_tsv ON search_docs USING GIN (tsv);
