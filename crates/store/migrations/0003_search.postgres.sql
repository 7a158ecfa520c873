-- A generated tsvector over the folded text ('simple': no stemming, no stop
-- words; the text is already folded) with a GIN index.
ALTER TABLE search_docs ADD COLUMN tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', folded)) STORED;
CREATE INDEX search_docs_tsv ON search_docs USING GIN (tsv);
