-- Review reports (sơ kết, tổng kết; plan 48-KH/ĐUK II.5, V): a TCCS's
-- report for a period, its narrative, its figures frozen when it is sent
-- and the history of its steps (every return and resubmission kept).
CREATE TABLE review_reports (
    id {pk},
    org_id BIGINT NOT NULL REFERENCES orgs(id),
    org_path TEXT NOT NULL,
    period_from BIGINT NOT NULL,
    period_to BIGINT NOT NULL,
    status TEXT NOT NULL,
    results TEXT NOT NULL DEFAULT '',
    shortcomings TEXT NOT NULL DEFAULT '',
    lessons TEXT NOT NULL DEFAULT '',
    tasks TEXT NOT NULL DEFAULT '',
    -- The number and symbol from the register, issued at the first submit.
    number_id BIGINT REFERENCES document_numbers(id),
    submitted_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
-- One report per TCCS and period.
CREATE UNIQUE INDEX review_reports_unique ON review_reports (org_id, period_from, period_to);
-- The list: a subtree, newest period first (keyset on period_to, id).
CREATE INDEX review_reports_scope ON review_reports (org_path, period_to, id);
-- The aggregate: the reports of a period under a node.
CREATE INDEX review_reports_period ON review_reports (period_from, period_to, org_path);

-- The figures as they were when the report was last sent (replaced by a resubmission).
CREATE TABLE review_figures (
    report_id BIGINT NOT NULL REFERENCES review_reports(id),
    position BIGINT NOT NULL,
    table_key TEXT NOT NULL,
    table_title TEXT NOT NULL,
    row_code TEXT NOT NULL,
    label TEXT NOT NULL,
    count BIGINT NOT NULL,
    PRIMARY KEY (report_id, position)
);

-- Every step taken, with its comment.
CREATE TABLE review_steps (
    id {pk},
    report_id BIGINT NOT NULL REFERENCES review_reports(id),
    step TEXT NOT NULL,
    from_status TEXT NOT NULL,
    to_status TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    actor_id BIGINT,
    actor TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX review_steps_report ON review_steps (report_id, id);
