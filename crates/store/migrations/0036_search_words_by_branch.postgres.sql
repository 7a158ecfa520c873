-- Every record's words in its branch's form (text::query::rooted_word:
-- `r` + the branch's id + `w` + the word), replacing the province's form
-- of migration 27. A row's branch is the second node of its path (a bloc,
-- a district's committee: about twelve per province), or the province's
-- own node for the rows there. A bloc's search then gathers only the
-- bloc's matches (`nguyen`: 135 entries instead of its province's 1,361,
-- or every one of its 1,804 rows tested one by one); a province's search
-- asks for its own node and each of its branches, the same entries as
-- before. `search::ROOTED_VECTOR` spells the expression the same (a test
-- holds the two together); an org move rewrites org_path, and so the
-- entries. Analysed at once: without statistics on the expression the
-- planner guessed 300,000 matches for a word and chose a parallel scan.
-- Beside it, a branch's rows newest first (as `search_docs_root_id` holds a
-- province's, migration 28), for the probe of a bloc's search
-- (`search::ROW_BRANCH`): `n` found its 200 newest matches among a bloc's
-- 1,804 rows only after sorting their ids and reading rows again.
DROP INDEX search_docs_rooted;
CREATE INDEX search_docs_branch_words ON search_docs USING GIN (to_tsvector('simple', regexp_replace(folded, '(\S+)', 'r' || COALESCE(NULLIF(split_part(org_path, '/', 3), ''), split_part(org_path, '/', 2)) || 'w\1', 'g')));
CREATE INDEX search_docs_branch_id ON search_docs ((COALESCE(NULLIF(split_part(org_path, '/', 3), ''), split_part(org_path, '/', 2))), id);
ANALYZE search_docs;
