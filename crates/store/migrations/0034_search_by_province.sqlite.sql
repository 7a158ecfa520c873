-- A second FTS5 index of `search_docs` whose row id puts each province's
-- rows together: `root * 2^36 - id` (`search::FTS_STRETCH`; `root` is the
-- first id of `org_path`), newest first within a province as in
-- `search_fts` (migration 29: forwards). A search inside a province (or a
-- bloc, a TCCS) reads only its province's stretch of every word's list,
-- found by the row id range, instead of intersecting the country's lists
-- with the subtree's word to the end: the province's rare name
-- (`khong thi thuo*`, 70 matches) 10.3 -> 0.7 ms, the bloc's `nguyen van`
-- 7.1 -> 0.7 ms (national scale, the FTS statement alone). The whole tree
-- keeps `search_fts`, newest first across provinces: read one province
-- at a time it cost 9-60 ms instead of 0.1-1.6.
ALTER TABLE search_docs ADD COLUMN province_rowid INTEGER GENERATED ALWAYS AS (
    CAST(substr(org_path, 2, instr(substr(org_path, 2), '/') - 1) AS INTEGER) * 68719476736 - id
) VIRTUAL;
CREATE VIRTUAL TABLE search_fts_by_province USING fts5(
    folded,
    scope,
    content = 'search_docs',
    content_rowid = 'province_rowid',
    tokenize = 'unicode61 remove_diacritics 0',
    prefix = '1 2 3 4 5 6 7'
);
CREATE TRIGGER search_docs_by_province_ai AFTER INSERT ON search_docs BEGIN
    INSERT INTO search_fts_by_province (rowid, folded, scope) VALUES (new.province_rowid, new.folded, new.scope);
END;
CREATE TRIGGER search_docs_by_province_ad AFTER DELETE ON search_docs BEGIN
    INSERT INTO search_fts_by_province (search_fts_by_province, rowid, folded, scope) VALUES ('delete', old.province_rowid, old.folded, old.scope);
END;
-- A change of the text or of the node (an org move rewrites org_path, and
-- a move to another province the row id).
CREATE TRIGGER search_docs_by_province_au AFTER UPDATE OF folded, org_path ON search_docs BEGIN
    INSERT INTO search_fts_by_province (search_fts_by_province, rowid, folded, scope) VALUES ('delete', old.province_rowid, old.folded, old.scope);
    INSERT INTO search_fts_by_province (rowid, folded, scope) VALUES (new.province_rowid, new.folded, new.scope);
END;
INSERT INTO search_fts_by_province (search_fts_by_province) VALUES ('rebuild');
