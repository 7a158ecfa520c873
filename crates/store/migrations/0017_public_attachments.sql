-- Whether an attachment may be shown on the public portal (an image of a
-- published story whose images the editor allowed). Off for every file
-- until a write sets it; the portal serves only files with it on.
ALTER TABLE attachments ADD COLUMN public BIGINT NOT NULL DEFAULT 0;
