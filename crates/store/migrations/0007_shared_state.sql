-- State that several app servers on one database must share.

-- Failed sign-ins, counted per key (a hash of the folded username or of the
-- client address) in a window that opens at the key's first failure. A key
-- whose window has passed is reset by its next failure and deleted by the
-- prune job; `window_start` is indexed for that.
CREATE TABLE signin_failures (
    key_hash TEXT PRIMARY KEY,
    failures BIGINT NOT NULL,
    window_start BIGINT NOT NULL
);
CREATE INDEX signin_failures_window ON signin_failures (window_start);

-- Periodic jobs: one row per job, claimed for a period by whichever server
-- moves `period_start` forward first (see store/src/jobs.rs).
CREATE TABLE job_runs (
    name TEXT PRIMARY KEY,
    period_start BIGINT NOT NULL,
    started_at BIGINT NOT NULL,
    finished_at BIGINT,
    outcome TEXT
);
