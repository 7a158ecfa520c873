-- Written once for both backends: {pk} becomes each engine's auto-increment
-- primary key. Times are BIGINT milliseconds since the epoch; flags are BIGINT 0/1.

CREATE TABLE orgs (
    id {pk},
    parent_id BIGINT REFERENCES orgs(id),
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    short_name TEXT NOT NULL DEFAULT '',
    name_key TEXT NOT NULL,
    sort_key TEXT NOT NULL,
    path TEXT NOT NULL,
    depth BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX orgs_path ON orgs (path);
CREATE INDEX orgs_parent ON orgs (parent_id, sort_key, id);

CREATE TABLE org_moves (
    id {pk},
    org_id BIGINT NOT NULL REFERENCES orgs(id),
    from_parent_id BIGINT,
    to_parent_id BIGINT,
    from_path TEXT NOT NULL,
    to_path TEXT NOT NULL,
    moved_at BIGINT NOT NULL,
    moved_by TEXT NOT NULL
);
CREATE INDEX org_moves_org ON org_moves (org_id, id);

CREATE TABLE users (
    id {pk},
    username TEXT NOT NULL,
    full_name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    sort_key TEXT NOT NULL,
    position TEXT NOT NULL DEFAULT '',
    org_id BIGINT NOT NULL REFERENCES orgs(id),
    org_path TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    active BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX users_username ON users (username);
CREATE INDEX users_org_path ON users (org_path, sort_key, id);

CREATE TABLE role_assignments (
    id {pk},
    user_id BIGINT NOT NULL REFERENCES users(id),
    role TEXT NOT NULL,
    org_id BIGINT NOT NULL REFERENCES orgs(id),
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX role_assignments_unique ON role_assignments (user_id, role, org_id);

CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id {pk},
    user_id BIGINT NOT NULL REFERENCES users(id),
    token_hash TEXT NOT NULL,
    label TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at BIGINT
);
CREATE UNIQUE INDEX api_tokens_hash ON api_tokens (token_hash);

CREATE TABLE audit_log (
    id {pk},
    at BIGINT NOT NULL,
    actor_id BIGINT,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id BIGINT,
    org_path TEXT,
    summary TEXT NOT NULL DEFAULT '',
    before_json TEXT,
    after_json TEXT
);
CREATE INDEX audit_entity ON audit_log (entity, entity_id, id);
CREATE INDEX audit_actor ON audit_log (actor_id, id);
CREATE INDEX audit_at ON audit_log (at, id);

CREATE TABLE plans (
    id {pk},
    org_id BIGINT NOT NULL REFERENCES orgs(id),
    org_path TEXT NOT NULL,
    parent_plan_id BIGINT REFERENCES plans(id),
    number TEXT NOT NULL,
    issuing_body TEXT NOT NULL,
    issued_on TEXT NOT NULL,
    period_from BIGINT NOT NULL,
    period_to BIGINT NOT NULL,
    title TEXT NOT NULL,
    bases TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT '',
    signer_authority TEXT NOT NULL DEFAULT '',
    signer_title TEXT NOT NULL DEFAULT '',
    signer_name TEXT NOT NULL DEFAULT '',
    recipients TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX plans_org_path ON plans (org_path, id);

CREATE TABLE criteria_sets (
    id {pk},
    org_id BIGINT NOT NULL REFERENCES orgs(id),
    org_path TEXT NOT NULL,
    plan_id BIGINT REFERENCES plans(id),
    name TEXT NOT NULL,
    period_from BIGINT NOT NULL,
    period_to BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX criteria_sets_org_path ON criteria_sets (org_path, id);

CREATE TABLE criteria (
    id {pk},
    set_id BIGINT NOT NULL REFERENCES criteria_sets(id),
    code TEXT NOT NULL,
    applies_to TEXT NOT NULL,
    text TEXT NOT NULL,
    position BIGINT NOT NULL
);
CREATE INDEX criteria_set ON criteria (set_id, position);
