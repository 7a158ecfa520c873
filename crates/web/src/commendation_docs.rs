//! The files of a commendation round, built from its records for pages and
//! API alike: the nominees with their votes (XLSX), the tờ trình and the
//! danh sách kèm theo of its outcome, the biên bản of a closed session and a
//! nominee's báo cáo thành tích (DOCX, `dienhinh_documents`). Numbers are
//! those the register issued (`store::commendation`); nothing is numbered
//! here. A secret round's files carry the tally only: who voted how is not
//! recorded anywhere to be printed.

use crate::access::Seats;
use crate::auth::AuthUser;
use crate::AppState;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use dienhinh_documents::builders::{self, AbsentMember, AchievementHeadings, AnnexEntry, EarlierCommendation, Head, Member, Reporting};
use dienhinh_documents::{Cell, Issuer, PageSettings, Signer, Table};
use dienhinh_domain::commendation::{BallotKind, CouncilRole, OutcomeKind};
use dienhinh_domain::exemplar::{ExemplarKind, Step};
use dienhinh_domain::{clock, Action, OrgPath};
use dienhinh_store::commendation::{self as store, Nomination, Outcome, Round, Session};
use dienhinh_store::{evaluations, exemplars, orgs, register, StoreError, StoreResult};

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A generated file, answered as a download.
pub struct File {
    bytes: Vec<u8>,
    content_type: &'static str,
    name: String,
}

impl IntoResponse for File {
    fn into_response(self) -> Response {
        (
            [
                (header::CONTENT_TYPE, self.content_type.to_string()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{}\"", self.name)),
                (header::CACHE_CONTROL, "private, no-store".to_string()),
            ],
            self.bytes,
        )
            .into_response()
    }
}

fn docx(doc: &dienhinh_documents::PartyDocument, name: String) -> File {
    File { bytes: dienhinh_documents::docx::render(doc), content_type: DOCX, name }
}

/// The header of a document issued at `org_id`: its superior, its name and
/// the place of its nearest register.
async fn issuer(st: &AppState, org_id: i64, path: &OrgPath) -> StoreResult<Issuer> {
    let org = orgs::get(&st.db, org_id).await?;
    let superior = match org.parent_id {
        Some(p) => orgs::get(&st.db, p).await?.name,
        None => String::new(),
    };
    let place = register::nearest(&st.db, path).await?.map(|r| r.place).unwrap_or_default();
    Ok(Issuer { superior, name: org.name, place })
}

fn date_of(iso: &str) -> time::Date {
    clock::parse_date(iso).unwrap_or_else(clock::today)
}

/// Whether the caller may take the round's common documents (the rule of
/// `Access::WholeRound`, for the page to offer their links).
pub fn sees_whole_round(me: &AuthUser, seats: &Seats, r: &Round) -> bool {
    seats.role_in(r.id).is_some() || me.can(Action::View, &r.org_path)
}

/// A document asked for before the record it prints exists (no tờ trình
/// yet, a session still sitting): a refusal with a stable code.
fn not_yet(field: &'static str, message: &str) -> StoreError {
    StoreError::invalid(field, "no_document", message)
}

fn slug(r: &Round) -> String {
    format!("{}-{}", r.year, r.id)
}

/// The nominations the caller may see: those of its subtrees, or all of
/// them for a member of the round's council.
pub async fn visible_board(st: &AppState, me: &AuthUser, seats: &Seats, r: &Round) -> StoreResult<Vec<Nomination>> {
    let seated = seats.role_in(r.id).is_some();
    Ok(store::board(&st.db, r.id).await?.into_iter().filter(|n| seated || me.can(Action::View, &n.org_path)).collect())
}

/// The part of a round's board the caller sees, as a store filter: the
/// whole round for a member of its council (`None`), else the subtrees
/// the caller may view, as [`visible_board`] filters them.
pub fn board_scope(me: &AuthUser, seats: &Seats, r: &Round) -> Option<Vec<dienhinh_domain::OrgPath>> {
    (seats.role_in(r.id).is_none()).then(|| me.scope(Action::View))
}

/// The share of agreeing votes in the base, in percent (one decimal).
fn percent(n: &Nomination) -> Option<f64> {
    match (n.tally_agree, n.tally_base) {
        (Some(a), Some(b)) if b > 0 => Some((a as f64 * 1000.0 / b as f64).round() / 10.0),
        _ => None,
    }
}

/// The nominees the caller sees, with where each dossier stands and the
/// council's tally once the session closed.
pub async fn nominees(st: &AppState, me: &AuthUser, seats: &Seats, r: Round) -> StoreResult<File> {
    let rows = visible_board(st, me, seats, &r)
        .await?
        .into_iter()
        .map(|n| {
            let count = |v: Option<i64>| v.map_or(Cell::text(""), Cell::int);
            vec![
                Cell::text(&n.exemplar_name),
                Cell::text(n.exemplar_kind.label()),
                Cell::text(&n.org_name),
                Cell::text(n.status.label()),
                count(n.tally_base),
                count(n.tally_agree),
                count(n.tally_disagree),
                count(n.tally_abstain),
                count(n.tally_written),
                count(n.tally_recused),
                count(n.tally_needed),
                percent(&n).map_or(Cell::text(""), Cell::Number),
            ]
        })
        .collect();
    let table = Table::numbered(
        format!("Danh sách đề nghị {}", r.year),
        &["Điển hình", "Loại", "Tổ chức đảng", "Tình trạng", "Số thành viên tính", "Đồng ý", "Không đồng ý", "Không biểu quyết", "Trong đó phiếu gửi bằng văn bản", "Không tham gia (liên quan)", "Số đồng ý cần đạt", "Tỷ lệ đồng ý (%)"],
        &[5, 3, 5, 3, 2, 2, 2, 2, 2, 2, 2, 2],
        rows,
    );
    let bytes = dienhinh_documents::xlsx::render(&[&table]).map_err(|e| StoreError::Other(anyhow::anyhow!("xlsx: {e}")))?;
    Ok(File { bytes, content_type: XLSX, name: format!("danh-sach-de-nghi-{}.xlsx", slug(&r)) })
}

/// The outcome of `kind` the round issued last, with the nominations it carries.
async fn outcome(st: &AppState, r: &Round, kind: Option<OutcomeKind>) -> StoreResult<Option<(Outcome, Vec<Nomination>)>> {
    let Some(o) = store::outcomes_of(&st.db, r.id).await?.into_iter().rev().find(|o| kind.is_none_or(|k| o.kind == k)) else { return Ok(None) };
    let carried = store::board(&st.db, r.id).await?.into_iter().filter(|n| n.outcome_id == Some(o.id)).collect();
    Ok(Some((o, carried)))
}

fn standing_committee(o: &Outcome) -> Signer {
    Signer { authority: Some("T/M Ban Thường vụ".into()), position: String::new(), name: o.signer.clone() }
}

/// The last council session that voted on these nominations, if closed.
async fn session_of(st: &AppState, carried: &[Nomination]) -> StoreResult<Option<Session>> {
    match carried.iter().find_map(|n| n.session_id) {
        Some(id) => Ok(Some(store::get_session(&st.db, id).await?)),
        None => Ok(None),
    }
}

/// The tờ trình proposing the round's passed nominations upward.
pub async fn proposal(st: &AppState, r: Round) -> StoreResult<File> {
    let (o, carried) = outcome(st, &r, Some(OutcomeKind::Proposal)).await?.ok_or_else(|| not_yet("round", "Đợt xét chưa có tờ trình đề nghị cấp trên."))?;
    let issuer = issuer(st, r.org_id, &r.org_path).await?;
    let session = session_of(st, &carried).await?;
    let held = session.as_ref().map(|s| format!(" ngày {}", clock::iso_to_vn(&s.held_on))).unwrap_or_default();
    let (people, groups) = carried.iter().fold((0, 0), |(p, g), n| if n.exemplar_kind == ExemplarKind::CaNhan { (p + 1, g) } else { (p, g + 1) });
    let mut proposals = vec![];
    if people > 0 {
        proposals.push(format!("Tặng {} cho {people:02} cá nhân;", r.form_name));
    }
    if groups > 0 {
        proposals.push(format!("Tặng {} cho {groups:02} tập thể.", r.form_name));
    }
    let doc = builders::proposal(builders::ProposalInput {
        head: Head { number: Some(o.number.clone()), date: date_of(&o.issued_on), settings: PageSettings::default(), issuer: issuer.clone() },
        subject: OutcomeKind::Proposal.subject(&r.form_name, r.year),
        // Proposals go up the Party line: to the committee above the issuer.
        addressee: if issuer.superior.is_empty() { "Cấp có thẩm quyền".into() } else { issuer.superior.clone() },
        bases: vec![
            "Căn cứ Luật Thi đua, khen thưởng năm 2022; Nghị định số 98/2023/NĐ-CP ngày 31/12/2023 của Chính phủ (được sửa đổi, bổ sung bởi Nghị định số 152/2025/NĐ-CP);".into(),
            format!("Căn cứ {};", r.basis),
        ],
        body: format!(
            "Qua bình xét của Hội đồng Thi đua, Khen thưởng{held}, có {:02} trường hợp đạt tiêu chuẩn và được số thành viên Hội đồng đồng ý theo Quy chế.",
            carried.len()
        ),
        proposals,
        annex: Some("Có danh sách kèm theo".into()),
        recipients: vec!["Như kính gửi".into()],
        signer: standing_committee(&o),
    });
    Ok(docx(&doc, format!("to-trinh-{}.docx", slug(&r))))
}

/// The danh sách kèm theo of the round's last outcome (decision or tờ trình).
pub async fn annex(st: &AppState, r: Round) -> StoreResult<File> {
    let (o, carried) = outcome(st, &r, None).await?.ok_or_else(|| not_yet("round", "Đợt xét chưa có quyết định hay tờ trình để kèm danh sách."))?;
    let issuer = issuer(st, r.org_id, &r.org_path).await?;
    let mut entries = vec![];
    for n in &carried {
        let e = exemplars::get(&st.db, n.exemplar_id).await?;
        let position_unit = [e.position.as_str(), e.unit_name.as_str(), n.org_name.as_str()].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join(", ");
        entries.push(AnnexEntry { name: e.name, position_unit, summary: first_line(&e.achievements), form: r.form_name.clone() });
    }
    let kind = match o.kind {
        OutcomeKind::Decision => "Quyết định",
        OutcomeKind::Proposal => "Tờ trình",
    };
    let doc = builders::annex_list(builders::AnnexListInput {
        head: Head { number: None, date: date_of(&o.issued_on), settings: PageSettings::default(), issuer: issuer.clone() },
        subject: match o.kind {
            OutcomeKind::Decision => format!("Cá nhân, tập thể được tặng {} năm {}", r.form_name, r.year),
            OutcomeKind::Proposal => format!("Cá nhân, tập thể được đề nghị tặng {} năm {}", r.form_name, r.year),
        },
        attached_to: format!("Kèm theo {kind} số {}, ngày {} của Ban Thường vụ {}", o.number, clock::iso_to_vn(&o.issued_on), issuer.name),
        entries,
        signer: standing_committee(&o),
    });
    Ok(docx(&doc, format!("danh-sach-kem-theo-{}.docx", slug(&r))))
}

/// `20 tháng 11 năm 2025`, as a Party document writes a date in its text.
fn long_date(iso: &str) -> String {
    let d = date_of(iso);
    format!("{:02} tháng {:02} năm {}", d.day(), u8::from(d.month()), d.year())
}

fn first_line(s: &str) -> String {
    s.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or_default().to_string()
}

/// The biên bản of a closed session: who sat and who was absent (with a
/// written vote or not), the Quy chế's rules, and each nominee's tally.
pub async fn minutes(st: &AppState, s: Session) -> StoreResult<File> {
    let r = store::get_round(&st.db, s.round_id).await?;
    // The biên bản exists once the session closed and the register numbered it.
    let Some(number) = s.minutes_number.clone() else { return Err(not_yet("session", "Phiên bình xét chưa kết thúc: biên bản có số khi kết thúc phiên.")) };
    let issuer = issuer(st, r.org_id, &r.org_path).await?;
    let role_of = |user: i64| r.council.iter().find(|m| m.user_id == user).map(|m| m.role);
    let member = |user: i64, name: &str| Member { name: name.into(), position: role_of(user).map(|x| x.label().to_string()).unwrap_or_default() };
    let written: Vec<i64> = store::votes_of(&st.db, s.id).await?.into_iter().filter(|v| v.written).map(|v| v.member_id).collect();
    let present = s.attendance.iter().filter(|a| a.present).map(|a| member(a.user_id, &a.full_name)).collect();
    let absent = s
        .attendance
        .iter()
        .filter(|a| !a.present)
        .map(|a| AbsentMember { member: member(a.user_id, &a.full_name), reason: "Vắng mặt".into(), voted_in_writing: written.contains(&a.user_id) })
        .collect();
    let seat = |role: CouncilRole| r.council.iter().find(|m| m.role == role).map(|m| member(m.user_id, &m.full_name)).unwrap_or(Member { name: String::new(), position: role.label().into() });
    let voted: Vec<Nomination> = store::board(&st.db, r.id).await?.into_iter().filter(|n| n.session_id == Some(s.id)).collect();
    let tallies: Vec<builders::Tally> = voted
        .iter()
        .map(|n| builders::Tally {
            nominee: n.exemplar_name.clone(),
            unit: n.org_name.clone(),
            form: r.form_name.clone(),
            agree: n.tally_agree.unwrap_or(0),
            disagree: n.tally_disagree.unwrap_or(0),
            abstain: n.tally_abstain.unwrap_or(0),
            written: n.tally_written.unwrap_or(0),
            recused: n.tally_recused.unwrap_or(0),
            percent: percent(n).unwrap_or(0.0),
            passed: n.status != dienhinh_domain::commendation::NominationStatus::NotPassed,
        })
        .collect();
    let passed = tallies.iter().filter(|t| t.passed).count();
    let rules = r.rules();
    let doc = builders::minutes(builders::MinutesInput {
        head: Head { number: Some(number), date: date_of(&s.held_on), settings: PageSettings::default(), issuer },
        subject: format!("Phiên họp xét {} năm {}", r.form_name, r.year),
        council: "Hội đồng Thi đua, Khen thưởng".into(),
        // The hour of a session is not recorded: its day only.
        opened: format!("Ngày {}", long_date(&s.held_on)),
        venue: s.place.clone(),
        chair: seat(CouncilRole::Chair),
        secretary: seat(CouncilRole::Secretary),
        total_members: s.members,
        present,
        absent,
        rules: format!(
            "Theo {}: phiên họp cần ít nhất {}/{} tổng số thành viên có mặt; trường hợp được đề nghị phải được {} {} % tổng số thành viên Hội đồng (không kể thành viên không tham gia vì liên quan) đồng ý.",
            rules.basis,
            rules.quorum_num,
            rules.quorum_den,
            rules.threshold_rule.label().to_lowercase(),
            rules.threshold_percent
        ),
        quorum_met: dienhinh_domain::commendation::check_quorum(&rules, s.members, s.present).is_ok(),
        secret_ballot: rules.ballot == BallotKind::Secret,
        tallies,
        conclusions: format!("Hội đồng thống nhất {passed:02} trường hợp đạt tỷ lệ đồng ý theo Quy chế, đề nghị Ban Thường vụ xem xét, quyết định."),
        closed: "cùng ngày".into(),
    });
    Ok(docx(&doc, format!("bien-ban-{}-{}.docx", slug(&r), s.id)))
}

/// The báo cáo thành tích of a nomination: the dossier's report as the unit
/// edited it, with the exemplar's facts, evaluations and earlier decisions.
pub async fn achievement(st: &AppState, n: Nomination) -> StoreResult<File> {
    let r = store::get_round(&st.db, n.round_id).await?;
    let e = exemplars::get(&st.db, n.exemplar_id).await?;
    let issuer = issuer(st, n.org_id, &n.org_path).await?;
    let who = if e.kind == ExemplarKind::CaNhan { Reporting::Individual } else { Reporting::Collective };
    let mut profile = vec![];
    let mut fact = |label: &str, value: &str| {
        if !value.trim().is_empty() {
            profile.push((label.to_string(), value.to_string()));
        }
    };
    match who {
        Reporting::Individual => {
            fact("Họ và tên", &e.name);
            fact("Chức vụ", &e.position);
            fact("Đơn vị công tác", &e.unit_name);
        }
        Reporting::Collective => {
            fact("Tên tập thể", &e.name);
            fact("Đơn vị", &e.unit_name);
            fact("Số thành viên", &e.member_count.map(|c| c.to_string()).unwrap_or_default());
        }
    }
    fact("Tổ chức đảng", &n.org_name);
    let evaluations = evaluations::for_exemplar(&st.db, e.id).await?;
    let figures = vec![Table::numbered(
        "Kết quả đánh giá điển hình",
        &["Năm", "Bộ tiêu chí", "Tỷ lệ tiêu chí đạt (%)"],
        &[2, 7, 3],
        evaluations.iter().map(|ev| vec![Cell::int(ev.period_year), Cell::text(&ev.criteria_set_name), Cell::Number(ev.met_percent as f64)]).collect(),
    )];
    let commendations = exemplars::steps(&st.db, e.id)
        .await?
        .into_iter()
        .filter(|s| s.decision_no.is_some())
        .map(|s| EarlierCommendation {
            year: s.decided_on.as_deref().and_then(|d| d.get(..4)).and_then(|y| y.parse().ok()).unwrap_or_default(),
            form: if s.step == Step::Commend { s.reason.trim_start_matches("Được khen thưởng: ").trim_end_matches('.').to_string() } else { s.step.label().to_string() },
            decision: s.decision(),
        })
        .collect();
    let doc = builders::achievement_report(builders::AchievementReportInput {
        head: Head { number: None, date: clock::today(), settings: PageSettings::default(), issuer },
        who,
        headings: AchievementHeadings::for_(who),
        proposed: format!("Đề nghị tặng {}", r.form_name),
        name: e.name.clone(),
        profile,
        situation: String::new(),
        // What the records hold of the post or the collective's work.
        duties: [e.position.as_str(), e.unit_name.as_str()].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join(", "),
        results: n.report.clone(),
        figures,
        commendations,
        confirming: Signer { authority: Some("Xác nhận của cấp ủy".into()), position: String::new(), name: String::new() },
        reporter: Signer { authority: None, position: if who == Reporting::Individual { "Người báo cáo".into() } else { "Thủ trưởng đơn vị".into() }, name: if who == Reporting::Individual { e.name.clone() } else { String::new() } },
    });
    Ok(docx(&doc, format!("bao-cao-thanh-tich-{}.docx", n.id)))
}
