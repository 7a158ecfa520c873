-- Exemplars and everything around them (plan 48-KH/ĐUK II, III, IV.1, V.1).
-- Every row that lives at a node carries org_id/org_path (see RecordKind::path_columns).

CREATE TABLE fields (
    id {pk},
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    position BIGINT NOT NULL,
    active BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX fields_code ON fields (code);
INSERT INTO fields (code, name, position) VALUES
    ('lao_dong', 'Lao động', 1), ('san_xuat', 'Sản xuất', 2), ('kinh_doanh', 'Kinh doanh', 3),
    ('hoc_tap', 'Học tập', 4), ('cong_tac', 'Công tác', 5), ('an_sinh_xa_hoi', 'An sinh xã hội', 6),
    ('xay_dung_dang', 'Xây dựng Đảng', 7), ('van_hoa_xa_hoi', 'Văn hóa - xã hội', 8);

CREATE TABLE movements (
    id {pk},
    org_id BIGINT NOT NULL REFERENCES orgs(id),
    org_path TEXT NOT NULL,
    name TEXT NOT NULL,
    launched_by TEXT NOT NULL DEFAULT '',
    year_from BIGINT NOT NULL,
    year_to BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX movements_org_path ON movements (org_path, id);

CREATE TABLE exemplars (
    id {pk},
    org_id BIGINT NOT NULL REFERENCES orgs(id),
    org_path TEXT NOT NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    sort_key TEXT NOT NULL,
    position TEXT NOT NULL DEFAULT '',
    unit_name TEXT NOT NULL DEFAULT '',
    member_count BIGINT,
    achievements TEXT NOT NULL DEFAULT '',
    model TEXT NOT NULL DEFAULT '',
    year_found BIGINT NOT NULL,
    status TEXT NOT NULL,
    level TEXT NOT NULL,
    consent_publish BIGINT NOT NULL DEFAULT 0,
    created_by BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX exemplars_scope ON exemplars (org_path, id);
CREATE INDEX exemplars_status ON exemplars (status, org_path, id);
CREATE INDEX exemplars_year ON exemplars (year_found, org_path, id);
CREATE INDEX exemplars_dup ON exemplars (org_id, name_key);

CREATE TABLE exemplar_fields (
    exemplar_id BIGINT NOT NULL REFERENCES exemplars(id),
    field_id BIGINT NOT NULL REFERENCES fields(id),
    PRIMARY KEY (exemplar_id, field_id)
);
CREATE INDEX exemplar_fields_field ON exemplar_fields (field_id, exemplar_id);

CREATE TABLE exemplar_movements (
    exemplar_id BIGINT NOT NULL REFERENCES exemplars(id),
    movement_id BIGINT NOT NULL REFERENCES movements(id),
    PRIMARY KEY (exemplar_id, movement_id)
);
CREATE INDEX exemplar_movements_movement ON exemplar_movements (movement_id, exemplar_id);

CREATE TABLE exemplar_steps (
    id {pk},
    exemplar_id BIGINT NOT NULL REFERENCES exemplars(id),
    step TEXT NOT NULL,
    from_status TEXT NOT NULL,
    to_status TEXT NOT NULL,
    from_level TEXT NOT NULL,
    to_level TEXT NOT NULL,
    reason TEXT NOT NULL,
    actor_id BIGINT,
    actor TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX exemplar_steps_exemplar ON exemplar_steps (exemplar_id, id);

CREATE TABLE fostering_items (
    id {pk},
    exemplar_id BIGINT NOT NULL REFERENCES exemplars(id),
    org_path TEXT NOT NULL,
    motivation TEXT NOT NULL DEFAULT '',
    support_kind TEXT NOT NULL,
    support TEXT NOT NULL DEFAULT '',
    shortcomings TEXT NOT NULL DEFAULT '',
    measures TEXT NOT NULL DEFAULT '',
    responsible TEXT NOT NULL DEFAULT '',
    due_on TEXT,
    status TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX fostering_exemplar ON fostering_items (exemplar_id, id);
CREATE INDEX fostering_due ON fostering_items (status, due_on, org_path);

CREATE TABLE evaluations (
    id {pk},
    exemplar_id BIGINT NOT NULL REFERENCES exemplars(id),
    org_path TEXT NOT NULL,
    criteria_set_id BIGINT NOT NULL REFERENCES criteria_sets(id),
    period_year BIGINT NOT NULL,
    evaluated_on TEXT NOT NULL,
    evaluator TEXT NOT NULL,
    effect TEXT NOT NULL DEFAULT '',
    effectiveness TEXT NOT NULL DEFAULT '',
    potential TEXT NOT NULL DEFAULT '',
    influence_unit TEXT NOT NULL DEFAULT '',
    influence_society TEXT NOT NULL DEFAULT '',
    difficulties TEXT NOT NULL DEFAULT '',
    help_decided TEXT NOT NULL DEFAULT '',
    created_by BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX evaluations_exemplar ON evaluations (exemplar_id, period_year, id);
CREATE INDEX evaluations_scope ON evaluations (org_path, period_year);

CREATE TABLE evaluation_scores (
    evaluation_id BIGINT NOT NULL REFERENCES evaluations(id),
    criterion_id BIGINT NOT NULL REFERENCES criteria(id),
    result TEXT NOT NULL,
    score DOUBLE PRECISION,
    comment TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (evaluation_id, criterion_id)
);

CREATE TABLE replications (
    id {pk},
    exemplar_id BIGINT NOT NULL REFERENCES exemplars(id),
    org_path TEXT NOT NULL,
    adopter_org_id BIGINT NOT NULL REFERENCES orgs(id),
    adopter_org_path TEXT NOT NULL,
    adopted_on TEXT NOT NULL,
    how TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_by BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX replications_exemplar ON replications (exemplar_id, id);
CREATE INDEX replications_adopter ON replications (adopter_org_path, id);

CREATE TABLE study_visits (
    id {pk},
    exemplar_id BIGINT NOT NULL REFERENCES exemplars(id),
    org_path TEXT NOT NULL,
    visited_on TEXT NOT NULL,
    visiting_units TEXT NOT NULL,
    participants BIGINT NOT NULL,
    lessons TEXT NOT NULL DEFAULT '',
    created_by BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX study_visits_exemplar ON study_visits (exemplar_id, id);

CREATE TABLE annual_models (
    id {pk},
    org_id BIGINT NOT NULL REFERENCES orgs(id),
    org_path TEXT NOT NULL,
    year BIGINT NOT NULL,
    exemplar_id BIGINT REFERENCES exemplars(id),
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    decision_note TEXT NOT NULL DEFAULT '',
    decided_by TEXT,
    decided_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX annual_models_scope ON annual_models (year, org_path, id);

CREATE TABLE attachments (
    id {pk},
    exemplar_id BIGINT NOT NULL REFERENCES exemplars(id),
    org_path TEXT NOT NULL,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    storage_key TEXT NOT NULL,
    uploaded_by BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX attachments_exemplar ON attachments (exemplar_id, id);
