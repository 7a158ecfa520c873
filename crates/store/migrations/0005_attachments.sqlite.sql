-- Attachments belong to any kind of record, named by (record_kind, record_id)
-- with RecordKind codes, instead of to an exemplar only. SQLite cannot drop
-- a column that a foreign key or an index uses, so the table is rebuilt
-- (https://sqlite.org/lang_altertable.html#otheralter); the ids, the copied
-- org_path and every other column are kept.
CREATE TABLE attachments_v5 (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    record_kind TEXT NOT NULL,
    record_id BIGINT NOT NULL,
    org_path TEXT NOT NULL,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    storage_key TEXT NOT NULL,
    uploaded_by BIGINT,
    created_at BIGINT NOT NULL
);
INSERT INTO attachments_v5 (id, record_kind, record_id, org_path, file_name, content_type, size, sha256, storage_key, uploaded_by, created_at)
    SELECT id, 'exemplar', exemplar_id, org_path, file_name, content_type, size, sha256, storage_key, uploaded_by, created_at FROM attachments;
-- AUTOINCREMENT's high-water mark goes with the rows, so the id of a row
-- removed before the upgrade is never handed out again.
DELETE FROM sqlite_sequence WHERE name = 'attachments_v5';
INSERT INTO sqlite_sequence (name, seq) SELECT 'attachments_v5', seq FROM sqlite_sequence WHERE name = 'attachments';
DROP TABLE attachments;
ALTER TABLE attachments_v5 RENAME TO attachments;
CREATE INDEX attachments_record ON attachments (record_kind, record_id, id);
