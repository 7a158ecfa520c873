-- Public search (the portal's `/tim-kiem`) asks for public rows of the whole
-- tree. Through the GIN index of every row, PostgreSQL gathered every match
-- of the country (`nguyen:*`: 4,410 rows at province scale) and dropped the
-- four in five that are not public, 29 ms; this index holds public rows
-- only (stories and exemplars on the portal), so the same query reads its
-- 835 matches, 9–12 ms. Its condition is the literal `d.public = 1` that
-- `search::query` writes for `public_only`. (SQLite's FTS5 has no partial
-- index; its window walks the matches newest first and stops at 200.)
CREATE INDEX search_docs_public_tsv ON search_docs USING GIN (tsv) WHERE public = 1;
