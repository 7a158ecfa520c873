-- Subtree words in the full-text index (text::query::scope_token): `scope`
-- holds `o` + each id of the record's path, as a column of its own so typed
-- words never match it. A search then asks the index for its words AND the
-- caller's subtree, and FTS5 intersects the two lists instead of returning
-- every record in the country that holds a common name.
DROP TRIGGER search_docs_ai;
DROP TRIGGER search_docs_ad;
DROP TRIGGER search_docs_au;
DROP TABLE search_fts;
ALTER TABLE search_docs ADD COLUMN scope TEXT GENERATED ALWAYS AS (replace(org_path, '/', ' o')) VIRTUAL;
CREATE VIRTUAL TABLE search_fts USING fts5(
    folded,
    scope,
    content = 'search_docs',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 0',
    prefix = '2 3 4'
);
CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN
    INSERT INTO search_fts (rowid, folded, scope) VALUES (new.id, new.folded, new.scope);
END;
CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN
    INSERT INTO search_fts (search_fts, rowid, folded, scope) VALUES ('delete', old.id, old.folded, old.scope);
END;
-- A change of the text or of the node (an org move rewrites org_path).
CREATE TRIGGER search_docs_au AFTER UPDATE OF folded, org_path ON search_docs BEGIN
    INSERT INTO search_fts (search_fts, rowid, folded, scope) VALUES ('delete', old.id, old.folded, old.scope);
    INSERT INTO search_fts (rowid, folded, scope) VALUES (new.id, new.folded, new.scope);
END;
INSERT INTO search_fts (search_fts) VALUES ('rebuild');
