-- The register of document numbers (sổ đăng ký văn bản) of each issuing
-- organisation (Hướng dẫn 36-HD/VPTW: numbers run from 01 per type of
-- document over a whole term of the Party committee). One register per
-- organisation holds its settings; every number issued by the system or
-- recorded from a paper document is a row of document_numbers, unique per
-- register, term, type and number.
CREATE TABLE document_registers (
    id {pk},
    org_id BIGINT NOT NULL REFERENCES orgs(id),
    org_path TEXT NOT NULL,
    abbreviation TEXT NOT NULL,
    place TEXT NOT NULL,
    term_from BIGINT NOT NULL,
    term_to BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX document_registers_org ON document_registers (org_id);
CREATE INDEX document_registers_scope ON document_registers (org_path, id);

CREATE TABLE document_numbers (
    id {pk},
    register_id BIGINT NOT NULL REFERENCES document_registers(id),
    org_path TEXT NOT NULL,
    term_from BIGINT NOT NULL,
    term_to BIGINT NOT NULL,
    doc_type TEXT NOT NULL,
    number BIGINT NOT NULL,
    symbol TEXT NOT NULL,
    -- 'issued' by the system, 'recorded' from a document given outside it.
    origin TEXT NOT NULL,
    subject TEXT NOT NULL DEFAULT '',
    created_by BIGINT,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX document_numbers_unique ON document_numbers (register_id, term_from, doc_type, number);
CREATE INDEX document_numbers_scope ON document_numbers (org_path, id);
