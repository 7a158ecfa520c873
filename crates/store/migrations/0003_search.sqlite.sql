-- FTS5 over search_docs.folded (external content, rowid = search_docs.id).
-- The input is already folded, so the tokenizer keeps what it is given;
-- prefix indexes make search-as-you-type cheap.
CREATE VIRTUAL TABLE search_fts USING fts5(
    folded,
    content = 'search_docs',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 0',
    prefix = '2 3 4'
);
CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN
    INSERT INTO search_fts (rowid, folded) VALUES (new.id, new.folded);
END;
CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN
    INSERT INTO search_fts (search_fts, rowid, folded) VALUES ('delete', old.id, old.folded);
END;
-- Only a change of the indexed text touches the index (an org move rewrites
-- org_path alone).
CREATE TRIGGER search_docs_au AFTER UPDATE OF folded ON search_docs BEGIN
    INSERT INTO search_fts (search_fts, rowid, folded) VALUES ('delete', old.id, old.folded);
    INSERT INTO search_fts (rowid, folded) VALUES (new.id, new.folded);
END;
