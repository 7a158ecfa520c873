-- Commendation rounds (plan 48-KH/ĐUK IV.3, V.2): forms, rounds with their
-- council, nominations with their dossier and screening round-trips, council
-- sessions with attendance, votes and ballots, outcomes (decision or proposal).
-- Rules: crates/domain/src/commendation.rs.

-- Forms of commendation: the plan's defaults; the bloc adds its own.
CREATE TABLE commendation_forms (
    id {pk},
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    authority TEXT NOT NULL,
    level TEXT,
    position BIGINT NOT NULL,
    active BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX commendation_forms_code ON commendation_forms (code);
INSERT INTO commendation_forms (code, name, authority, level, position) VALUES
    ('khen_thuong_khoi', 'Khen thưởng của Ban Thường vụ Đảng ủy Khối', 'trong_khoi', 'khoi', 1),
    ('trien_lam_binh_di', 'Triển lãm «Những tấm gương bình dị mà cao quý» (Ban Tuyên giáo Trung ương)', 'cap_tren', 'toan_quoc', 2),
    ('bang_khen_ubnd_tinh', 'Bằng khen của Chủ tịch UBND tỉnh', 'cap_tren', 'tinh', 3),
    ('bang_khen_btgtw', 'Bằng khen của Trưởng Ban Tuyên giáo Trung ương', 'cap_tren', 'toan_quoc', 4),
    ('bang_khen_ttg', 'Bằng khen của Thủ tướng Chính phủ', 'cap_tren', 'toan_quoc', 5);

-- One round per node, year and form.
CREATE TABLE commendation_rounds (
    id {pk},
    org_id BIGINT NOT NULL REFERENCES orgs(id),
    org_path TEXT NOT NULL,
    year BIGINT NOT NULL,
    form_id BIGINT NOT NULL REFERENCES commendation_forms(id),
    deadline TEXT NOT NULL,
    elig_kind TEXT,
    elig_min_level TEXT NOT NULL,
    elig_evaluation_years BIGINT NOT NULL,
    elig_years_as_exemplar BIGINT NOT NULL,
    elig_active BIGINT NOT NULL,
    required_items TEXT NOT NULL DEFAULT '',
    quorum_num BIGINT NOT NULL,
    quorum_den BIGINT NOT NULL,
    threshold_percent BIGINT NOT NULL,
    threshold_rule TEXT NOT NULL,
    ballot TEXT NOT NULL,
    basis TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX commendation_rounds_one ON commendation_rounds (org_id, year, form_id);
CREATE INDEX commendation_rounds_scope ON commendation_rounds (org_path, year, id);

-- The council of a round: a seat is a role held for that round.
CREATE TABLE council_members (
    round_id BIGINT NOT NULL REFERENCES commendation_rounds(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    role TEXT NOT NULL,
    position BIGINT NOT NULL,
    PRIMARY KEY (round_id, user_id)
);
CREATE INDEX council_members_user ON council_members (user_id, round_id);

-- A decision of the bloc (QĐ) or its proposal upward (tờ trình), with the
-- list of nominations it carries (nominations.outcome_id). Its number and
-- symbol is unique per issuing organisation and year.
CREATE TABLE commendation_outcomes (
    id {pk},
    round_id BIGINT NOT NULL REFERENCES commendation_rounds(id),
    org_id BIGINT NOT NULL REFERENCES orgs(id),
    org_path TEXT NOT NULL,
    kind TEXT NOT NULL,
    number TEXT NOT NULL,
    number_key TEXT NOT NULL,
    year BIGINT NOT NULL,
    issued_on TEXT NOT NULL,
    signer TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    actor TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX commendation_outcomes_number ON commendation_outcomes (org_id, year, number_key);
CREATE INDEX commendation_outcomes_round ON commendation_outcomes (round_id, id);

-- A nomination lives at its exemplar's node.
CREATE TABLE nominations (
    id {pk},
    round_id BIGINT NOT NULL REFERENCES commendation_rounds(id),
    exemplar_id BIGINT NOT NULL REFERENCES exemplars(id),
    org_id BIGINT NOT NULL REFERENCES orgs(id),
    org_path TEXT NOT NULL,
    status TEXT NOT NULL,
    report TEXT NOT NULL DEFAULT '',
    confirmation TEXT NOT NULL DEFAULT '',
    -- The tally, frozen when the session that voted on it closed.
    session_id BIGINT,
    tally_base BIGINT,
    tally_agree BIGINT,
    tally_disagree BIGINT,
    tally_abstain BIGINT,
    tally_written BIGINT,
    tally_recused BIGINT,
    tally_needed BIGINT,
    outcome_id BIGINT REFERENCES commendation_outcomes(id),
    -- The higher body's answer to a proposal.
    upward_no TEXT,
    upward_on TEXT,
    created_by BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX nominations_one ON nominations (round_id, exemplar_id);
CREATE INDEX nominations_round ON nominations (round_id, id);
CREATE INDEX nominations_scope ON nominations (org_path, id);

-- Every step of a nomination (the screening round-trips kept), with the
-- screening's comments per dossier item.
CREATE TABLE nomination_events (
    id {pk},
    nomination_id BIGINT NOT NULL REFERENCES nominations(id),
    step TEXT NOT NULL,
    from_status TEXT NOT NULL,
    to_status TEXT NOT NULL,
    actor_id BIGINT,
    actor TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX nomination_events_nomination ON nomination_events (nomination_id, id);
CREATE TABLE nomination_comments (
    event_id BIGINT NOT NULL REFERENCES nomination_events(id),
    item TEXT NOT NULL,
    comment TEXT NOT NULL,
    PRIMARY KEY (event_id, item)
);

-- A sitting of the council (bình xét), at the round's node.
CREATE TABLE council_sessions (
    id {pk},
    round_id BIGINT NOT NULL REFERENCES commendation_rounds(id),
    org_id BIGINT NOT NULL REFERENCES orgs(id),
    org_path TEXT NOT NULL,
    held_on TEXT NOT NULL,
    place TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    members BIGINT NOT NULL,
    present BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    closed_at BIGINT,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX council_sessions_round ON council_sessions (round_id, id);
CREATE TABLE session_attendance (
    session_id BIGINT NOT NULL REFERENCES council_sessions(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    present BIGINT NOT NULL,
    PRIMARY KEY (session_id, user_id)
);
-- Members recused from a nomination, frozen when the session closes.
CREATE TABLE session_recusals (
    session_id BIGINT NOT NULL REFERENCES council_sessions(id),
    nomination_id BIGINT NOT NULL REFERENCES nominations(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    PRIMARY KEY (session_id, nomination_id, user_id)
);

-- Who voted on what (participation): never how, in a secret round
-- (`choice` is NULL there). One per member and nomination.
CREATE TABLE council_votes (
    id {pk},
    session_id BIGINT NOT NULL REFERENCES council_sessions(id),
    nomination_id BIGINT NOT NULL REFERENCES nominations(id),
    org_path TEXT NOT NULL,
    member_id BIGINT NOT NULL REFERENCES users(id),
    written BIGINT NOT NULL,
    choice TEXT,
    entered_by BIGINT,
    at BIGINT NOT NULL
);
CREATE UNIQUE INDEX council_votes_once ON council_votes (nomination_id, member_id);
CREATE INDEX council_votes_session ON council_votes (session_id, nomination_id);

-- The ballot box: per nomination and choice, how many ballots (and how
-- many of them written). No member, no time, no order of casting: nothing
-- links a ballot to who cast it, while the counts add up to the votes above.
CREATE TABLE ballot_counts (
    nomination_id BIGINT NOT NULL REFERENCES nominations(id),
    org_path TEXT NOT NULL,
    choice TEXT NOT NULL,
    ballots BIGINT NOT NULL,
    written BIGINT NOT NULL,
    PRIMARY KEY (nomination_id, choice)
);
