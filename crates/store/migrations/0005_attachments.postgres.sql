-- Attachments belong to any kind of record, named by (record_kind, record_id)
-- with RecordKind codes, instead of to an exemplar only. Existing rows are
-- an exemplar's; dropping exemplar_id drops its foreign key too.
ALTER TABLE attachments ADD COLUMN record_kind TEXT, ADD COLUMN record_id BIGINT;
UPDATE attachments SET record_kind = 'exemplar', record_id = exemplar_id;
DROP INDEX attachments_exemplar;
ALTER TABLE attachments
    ALTER COLUMN record_kind SET NOT NULL,
    ALTER COLUMN record_id SET NOT NULL,
    DROP COLUMN exemplar_id;
CREATE INDEX attachments_record ON attachments (record_kind, record_id, id);
