-- What was typed in a page form refused because its session expired, kept
-- for the person to send again after signing in (web/src/resume.rs). In the
-- database, so that signing in again on another app server finds it; under
-- a hash of the one-time token of the browser's cookie; deleted when taken,
-- and by the prune job once expired (`expires_at` is indexed for that).
CREATE TABLE resume_forms (
    token_hash TEXT PRIMARY KEY,
    posted_to TEXT NOT NULL,
    fields TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX resume_forms_expires ON resume_forms (expires_at);
