-- Every word of a record also in its tree's form (text::query::rooted_word:
-- `r` + the root's id + `w` + the word) at weight B, beside the word itself
-- (A) and the subtree words (D). A search inside a province asks for the
-- province's forms: the GIN index then gathers that province's matches of
-- a common word or a short prefix (`nguyen`, `van:*`) instead of the whole
-- country's, which a province's search used to gather and sort when the
-- probe of its newest rows fell short (two words, a rare name: 0.4–0.8 s at
-- national scale). The column stays generated, so an org move refreshes it.
DROP INDEX search_docs_public_tsv;
DROP INDEX search_docs_tsv;
ALTER TABLE search_docs DROP COLUMN tsv;
ALTER TABLE search_docs ADD COLUMN tsv tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple', folded), 'A')
    || setweight(to_tsvector('simple', regexp_replace(folded, '(\S+)', 'r' || split_part(org_path, '/', 2) || 'w\1', 'g')), 'B')
    || setweight(to_tsvector('simple', replace(org_path, '/', ' o')), 'D')
) STORED;
CREATE INDEX search_docs_tsv ON search_docs USING GIN (tsv);
CREATE INDEX search_docs_public_tsv ON search_docs USING GIN (tsv) WHERE public = 1;
