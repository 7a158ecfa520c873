//! Commendation rounds (plan IV.3, V.2): the rounds, a round's board (who
//! nominated what, where each dossier stands, the deadline, its sessions and
//! outcome), a nomination with its dossier and round-trips, and the council
//! session page, made for a phone during the meeting (one nomination at a
//! time, big buttons).

use super::{done, render, render_status};
use crate::flash::Done as Did;
use crate::access::{Authorized, Seats};
use crate::api::commendation::comments_of;
use crate::commendation_docs as docs;
use axum::response::IntoResponse;
use crate::auth::{AuthUser, Signed};
use crate::error::{PageError, PageResult};
use crate::form::Pairs;
use crate::view::Chrome;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use dienhinh_domain::access::{council_allows, CouncilDuty};
use dienhinh_domain::commendation::{Choice, DossierInput, DossierItem, NominationStatus, NominationStep, OutcomeInput, SessionStatus};
use dienhinh_domain::exemplar::DecisionInput;
use dienhinh_domain::{clock, Action};
use dienhinh_store::commendation::{self as store, Nomination, NominationEvent, Outcome, Round, Session, Standing};
use super::listing::{Nav, Paging};
use dienhinh_domain::order::{BoardOrder, RoundOrder};
use dienhinh_store::StoreError;
use serde::Deserialize;

/// What a refused write shows: 422 with the reasons, 409 on a stale
/// version; the domain's `forbidden` is a 403 page like any refusal.
fn refused(e: StoreError) -> Result<(StatusCode, String), PageError> {
    match e {
        StoreError::Invalid(inv) if inv.0.first().is_some_and(|f| f.code == "forbidden") => {
            let mut p = PageError::forbidden();
            p.message = format!("{} {}", p.message, inv.0[0].message);
            Err(p)
        }
        StoreError::Invalid(inv) => Ok((StatusCode::UNPROCESSABLE_ENTITY, inv.0.iter().map(|f| f.message.clone()).collect::<Vec<_>>().join(" "))),
        StoreError::Conflict { .. } => Ok((StatusCode::CONFLICT, "Hồ sơ vừa được người khác thay đổi: hãy xem bản hiện tại rồi thao tác lại.".into())),
        other => Err(other.into()),
    }
}

#[derive(Deserialize, serde::Serialize, Default)]
pub struct Listing {
    #[serde(flatten)]
    paging: Paging,
}

#[derive(Template)]
#[template(path = "rounds.html")]
struct RoundsPage {
    chrome: Chrome,
    rounds: Vec<Round>,
    nav: Nav,
    /// Guides at its own node: may open a round there.
    can_open: bool,
}

/// The rounds the caller sees, newest first unless asked otherwise.
pub async fn list(State(st): State<AppState>, Signed(me): Signed, Query(q): Query<Listing>) -> PageResult {
    let order = q.paging.order::<RoundOrder>();
    let page = store::rounds(&st.db, &me.scope(Action::View), &me.user.org_path, me.user.id, order.0, q.paging.at(50)).await?;
    let nav = q.paging.nav("/rounds", &q, order, &page, "đợt xét khen thưởng");
    render(&RoundsPage { chrome: Chrome::new("Xét khen thưởng", &me, "/rounds"), rounds: page.items, nav, can_open: me.can(Action::Guide, &me.user.org_path) })
}

#[derive(Template)]
#[template(path = "round.html")]
struct RoundPage {
    chrome: Chrome,
    r: Round,
    /// One page of the board (the caller's units, or all for the council).
    nominations: Vec<Nomination>,
    nav: Nav,
    /// The board's dossiers at each status, and the status shown ("": all).
    statuses: Vec<(NominationStatus, i64)>,
    board_status: String,
    sessions: Vec<Session>,
    outcomes: Vec<Outcome>,
    open_for_nominations: bool,
    can_nominate: bool,
    can_open_session: bool,
    can_conclude: bool,
    /// Sees every unit's nominees: may take the round's documents.
    whole_round: bool,
    /// The nomination picker: exemplars of the caller's units in the
    /// round's subtree matching `pick_q`, newest first, one page.
    candidates: Vec<dienhinh_store::exemplars::Exemplar>,
    pick_q: String,
    pick_next: Option<String>,
    message: String,
    form: Pairs,
}

impl RoundPage {
    fn value(&self, name: &str) -> String {
        self.form.get(name)
    }
    /// Every dossier of the board the caller sees, whatever the filter.
    fn board_size(&self) -> i64 {
        self.statuses.iter().map(|(_, n)| n).sum()
    }
    fn has_proposal(&self) -> bool {
        self.outcomes.iter().any(|o| o.kind == dienhinh_domain::commendation::OutcomeKind::Proposal)
    }
    fn outcome_label(&self) -> &'static str {
        self.r.authority.outcome().label()
    }
}

#[derive(Deserialize, Default)]
pub struct Shown {
    /// The nomination shown on the session page (its position, from 0).
    #[serde(default)]
    n: String,
    /// The nomination picker's search and page.
    #[serde(default)]
    q: String,
    #[serde(default)]
    pick_cursor: String,
    /// The board's status filter (a code; blank or unknown: every status) and page.
    #[serde(default)]
    status: String,
    #[serde(flatten)]
    paging: Paging,
}

/// What a board page link keeps besides its position.
#[derive(serde::Serialize)]
struct BoardLinks<'a> {
    #[serde(skip_serializing_if = "str::is_empty")]
    status: &'a str,
}

/// Dossiers a board page shows.
const BOARD_PAGE: i64 = 50;

/// One page of the nomination picker: the exemplars in the caller's
/// EnterData scope within the round's subtree (a TCCS nominates its own),
/// their name matching `q`. Eligibility is judged when one is picked, every
/// failed rule named.
async fn candidates(st: &AppState, me: &AuthUser, r: &Round, q: &str, cursor: &str) -> Result<(Vec<dienhinh_store::exemplars::Exemplar>, Option<String>), PageError> {
    let within: Vec<dienhinh_domain::OrgPath> = me
        .scope(Action::EnterData)
        .into_iter()
        .filter_map(|root| if r.org_path.contains(&root) { Some(root) } else if root.contains(&r.org_path) { Some(r.org_path.clone()) } else { None })
        .collect();
    if within.is_empty() {
        return Ok((vec![], None));
    }
    let f = dienhinh_store::exemplars::ExemplarFilter {
        within,
        q: Some(q.trim().to_string()).filter(|q| !q.is_empty()),
        cursor: Some(cursor.to_string()).filter(|c| !c.is_empty()),
        limit: Some(20),
        ..Default::default()
    };
    let page = dienhinh_store::exemplars::list(&st.db, &f).await?;
    Ok((page.items, page.next))
}

async fn round_page(st: &AppState, me: &AuthUser, seats: &Seats, r: Round, form: Pairs, message: String, q: &Shown) -> Result<RoundPage, PageError> {
    let within = docs::board_scope(me, seats, &r);
    let status = <NominationStatus as dienhinh_domain::Coded>::from_code(&q.status);
    let order = q.paging.order::<BoardOrder>();
    let filter = store::BoardFilter { within: within.clone(), status };
    let page = store::board_page(&st.db, r.id, &filter, q.paging.at(BOARD_PAGE)).await?;
    let board_status = status.map_or("", |s: NominationStatus| s.code());
    let nav = q.paging.nav(&format!("/rounds/{}", r.id), &BoardLinks { status: board_status }, order, &page, "hồ sơ");
    let statuses = store::board_statuses(&st.db, r.id, within.as_deref()).await?;
    let today = clock::today_iso();
    let can_nominate = today <= r.deadline && me.assignments.iter().any(|x| dienhinh_domain::access::role_grants(x.role, Action::EnterData) && (x.org_path.contains(&r.org_path) || r.org_path.contains(&x.org_path)));
    let (candidates, pick_next) = if can_nominate { candidates(st, me, &r, &q.q, &q.pick_cursor).await? } else { (vec![], None) };
    // The outcome form is offered only while the council has passed
    // nominations that no decision or proposal carries yet.
    let awaiting_outcome = statuses.iter().any(|(s, n)| *s == NominationStatus::Voted && *n > 0);
    let within = |a: Action| me.assignments.iter().any(|x| dienhinh_domain::access::role_grants(x.role, a) && (x.org_path.contains(&r.org_path) || r.org_path.contains(&x.org_path)));
    Ok(RoundPage {
        chrome: Chrome::new(r.title(), me, "/rounds"),
        nominations: page.items,
        nav,
        board_status: board_status.to_string(),
        statuses,
        sessions: store::sessions_of(&st.db, r.id).await?,
        outcomes: store::outcomes_of(&st.db, r.id).await?,
        open_for_nominations: today <= r.deadline,
        can_nominate: within(Action::EnterData),
        can_open_session: council_allows(&seats.0, r.id, CouncilDuty::Clerk),
        can_conclude: awaiting_outcome && me.can(Action::ApproveBloc, &r.org_path),
        whole_round: docs::sees_whole_round(me, seats, &r),
        candidates,
        pick_q: q.q.clone(),
        pick_next,
        message,
        form,
        r,
    })
}

pub async fn show_round(State(st): State<AppState>, Signed(me): Signed, seats: Seats, Authorized(r): Authorized<Round>, Query(q): Query<Shown>) -> PageResult {
    render(&round_page(&st, &me, &seats, r, Pairs(vec![]), String::new(), &q).await?)
}

/// A TCCS nominates one of its exemplars, picked on the round page.
pub async fn nominate(State(st): State<AppState>, Signed(me): Signed, seats: Seats, Authorized(r): Authorized<Round>, form: Pairs) -> PageResult {
    let id = form.int("exemplar_id").unwrap_or(crate::access::UNSEEN);
    let exemplar = crate::api::commendation::seen_exemplar(&st, &me, id).await?;
    match store::nominate(&st.db, &me.actor(), r.id, exemplar, &clock::today_iso()).await {
        Ok(n) => done(&st, &format!("/nominations/{}", n.id), Did::Nominated),
        Err(e) => {
            let (status, msg) = refused(e)?;
            render_status(status, &round_page(&st, &me, &seats, r, form, msg, &Shown::default()).await?)
        }
    }
}

/// The secretary opens a session with who is present.
pub async fn open_session(State(st): State<AppState>, Signed(me): Signed, seats: Seats, Authorized(r): Authorized<Round>, form: Pairs) -> PageResult {
    let present = form.ids("present");
    match store::open_session(&st.db, &me.actor(), r.id, &form.get("held_on"), &form.get("place"), &present).await {
        Ok(s) => done(&st, &format!("/sessions/{}", s.id), Did::SessionOpened),
        Err(e) => {
            let (status, msg) = refused(e)?;
            render_status(status, &round_page(&st, &me, &seats, r, form, msg, &Shown::default()).await?)
        }
    }
}

/// The Ban Thường vụ's decision or proposal upward.
pub async fn conclude(State(st): State<AppState>, Signed(me): Signed, seats: Seats, Authorized(r): Authorized<Round>, form: Pairs) -> PageResult {
    let input = OutcomeInput { number: form.get("number"), date: form.get("date"), signer: form.get("signer"), note: form.get("note") };
    match store::conclude(&st.db, &me.actor(), &me.assignments, r.id, &input).await {
        Ok(_) => done(&st, &format!("/rounds/{}", r.id), Did::OutcomeRecorded),
        Err(e) => {
            let (status, msg) = refused(e)?;
            render_status(status, &round_page(&st, &me, &seats, r, form, msg, &Shown::default()).await?)
        }
    }
}

#[derive(Template)]
#[template(path = "nomination.html")]
struct NominationPage {
    chrome: Chrome,
    n: Nomination,
    r: Round,
    events: Vec<NominationEvent>,
    can_edit: bool,
    steps: Vec<NominationStep>,
    can_record_upward: bool,
    items: Vec<crate::view::Choice>,
    /// The dossier's files (minh chứng, biên bản of the unit).
    files: Vec<dienhinh_store::files::Attachment>,
    message: String,
    form: Pairs,
}

impl NominationPage {
    /// What the form shows: what was typed, else what is stored.
    fn value(&self, name: &str, stored: &str) -> String {
        if self.form.0.iter().any(|(k, _)| k == name) {
            self.form.get(name)
        } else {
            stored.to_string()
        }
    }
    fn item_label(&self, code: &str) -> &'static str {
        DossierItem::from_code(code).map(|i| i.label()).unwrap_or("")
    }
    fn when(&self, ms: &i64) -> String {
        clock::datetime_vn(*ms)
    }
}

async fn nomination_page(st: &AppState, me: &AuthUser, n: Nomination, form: Pairs, message: String) -> Result<NominationPage, PageError> {
    let r = store::get_round(&st.db, n.round_id).await?;
    let can = |step: NominationStep| dienhinh_domain::commendation::check_step(step, n.status, r.authority, &me.assignments, &n.org_path, &r.org_path).is_ok();
    let steps = [NominationStep::Submit, NominationStep::Resubmit, NominationStep::Withdraw, NominationStep::Accept, NominationStep::Return]
        .into_iter()
        .filter(|s| can(*s))
        .collect();
    Ok(NominationPage {
        chrome: Chrome::new(format!("Hồ sơ: {}", n.exemplar_name), me, "/rounds"),
        events: store::events(&st.db, n.id).await?,
        can_edit: matches!(n.status, NominationStatus::Draft | NominationStatus::Returned) && me.can(Action::EnterData, &n.org_path),
        steps,
        can_record_upward: n.status == NominationStatus::Proposed && me.can(Action::ApproveBloc, &r.org_path),
        items: crate::view::coded::<DossierItem>(),
        files: dienhinh_store::files::list(&st.db, dienhinh_domain::RecordKind::Nomination, n.id).await?,
        message,
        form,
        n,
        r,
    })
}

pub async fn show_nomination(State(st): State<AppState>, Signed(me): Signed, Authorized(n): Authorized<Nomination>) -> PageResult {
    render(&nomination_page(&st, &me, n, Pairs(vec![]), String::new()).await?)
}

pub async fn save_dossier(State(st): State<AppState>, Signed(me): Signed, Authorized(n): Authorized<Nomination>, form: Pairs) -> PageResult {
    let input = DossierInput { report: form.get("report"), confirmation: form.get("confirmation"), version: form.int("version").unwrap_or(0) };
    match store::save_dossier(&st.db, &me.actor(), n.id, &input).await {
        Ok(_) => done(&st, &format!("/nominations/{}", n.id), Did::DossierSaved),
        Err(e) => {
            let (status, msg) = refused(e)?;
            let current = store::get_nomination(&st.db, n.id).await?;
            render_status(status, &nomination_page(&st, &me, current, form, msg).await?)
        }
    }
}

pub async fn step(State(st): State<AppState>, Signed(me): Signed, Authorized(n): Authorized<Nomination>, form: Pairs) -> PageResult {
    let Some(step) = NominationStep::from_code(&form.get("step")) else {
        return render_status(StatusCode::UNPROCESSABLE_ENTITY, &nomination_page(&st, &me, n, form, "Bước không có trong danh mục.".into()).await?);
    };
    let raw: Vec<(String, String)> = DossierItem::ALL.iter().map(|i| (i.code().to_string(), form.get(&format!("comment_{}", i.code())))).collect();
    let result = match comments_of(&raw) {
        Ok(comments) => store::take_step(&st.db, &me.actor(), &me.assignments, n.id, form.int("version").unwrap_or(0), step, &comments, &clock::today_iso()).await,
        Err(inv) => Err(inv.into()),
    };
    match result {
        Ok(_) => done(&st, &format!("/nominations/{}", n.id), Did::NominationStepTaken),
        Err(e) => {
            let (status, msg) = refused(e)?;
            let current = store::get_nomination(&st.db, n.id).await?;
            render_status(status, &nomination_page(&st, &me, current, form, msg).await?)
        }
    }
}

pub async fn upward(State(st): State<AppState>, Signed(me): Signed, Authorized(n): Authorized<Nomination>, form: Pairs) -> PageResult {
    let d = DecisionInput { decision_no: form.get("decision_no"), decided_on: form.get("decided_on") };
    let approved = form.get("approved") == "1";
    match store::record_upward(&st.db, &me.actor(), &me.assignments, n.id, form.int("version").unwrap_or(0), approved, &d).await {
        Ok(_) => done(&st, &format!("/nominations/{}", n.id), Did::NominationStepTaken),
        Err(e) => {
            let (status, msg) = refused(e)?;
            let current = store::get_nomination(&st.db, n.id).await?;
            render_status(status, &nomination_page(&st, &me, current, form, msg).await?)
        }
    }
}

#[derive(Template)]
#[template(path = "session.html")]
struct SessionPage {
    chrome: Chrome,
    s: Session,
    r: Round,
    standings: Vec<Standing>,
    /// The nomination shown (its position in `standings`).
    at: usize,
    me_id: i64,
    is_member: bool,
    is_clerk: bool,
    choices: Vec<crate::view::Choice>,
    message: String,
}

impl SessionPage {
    fn current(&self) -> Option<&Standing> {
        self.standings.get(self.at)
    }
    fn present(&self, id: &i64) -> bool {
        self.s.attendance.iter().any(|a| a.user_id == *id && a.present)
    }
    fn open(&self) -> bool {
        self.s.status == SessionStatus::Open
    }
}

async fn session_page(st: &AppState, me: &AuthUser, seats: &Seats, s: Session, at: usize, message: String) -> Result<SessionPage, PageError> {
    let r = store::get_round(&st.db, s.round_id).await?;
    let standings = store::standings(&st.db, &s).await?;
    let at = at.min(standings.len().saturating_sub(1));
    Ok(SessionPage {
        chrome: Chrome::new(format!("Phiên bình xét: {}", r.title()), me, "/rounds"),
        is_member: council_allows(&seats.0, r.id, CouncilDuty::Vote),
        is_clerk: council_allows(&seats.0, r.id, CouncilDuty::Clerk),
        me_id: me.user.id,
        choices: crate::view::coded::<Choice>(),
        standings,
        at,
        s,
        r,
        message,
    })
}

pub async fn show_session(State(st): State<AppState>, Signed(me): Signed, seats: Seats, Authorized(s): Authorized<Session>, Query(q): Query<Shown>) -> PageResult {
    let at = q.n.parse().unwrap_or(0);
    render(&session_page(&st, &me, &seats, s, at, String::new()).await?)
}

async fn voted(st: &AppState, me: &AuthUser, seats: &Seats, s: Session, form: &Pairs, written: bool) -> PageResult {
    let at: usize = form.get("n").parse().unwrap_or(0);
    let Some(choice) = Choice::from_code(&form.get("choice")) else {
        return render_status(StatusCode::UNPROCESSABLE_ENTITY, &session_page(st, me, seats, s, at, "Vui lòng chọn Đồng ý, Không đồng ý hoặc Không biểu quyết.".into()).await?);
    };
    let member = if written { form.int("member_id").unwrap_or(0) } else { me.user.id };
    match store::vote(&st.db, &me.actor(), s.id, form.int("nomination_id").unwrap_or(0), member, choice, written).await {
        Ok(_) => done(st, &format!("/sessions/{}?n={at}", s.id), Did::VoteRecorded),
        Err(e) => {
            let (status, msg) = refused(e)?;
            render_status(status, &session_page(st, me, seats, s, at, msg).await?)
        }
    }
}

pub async fn vote(State(st): State<AppState>, Signed(me): Signed, seats: Seats, Authorized(s): Authorized<Session>, form: Pairs) -> PageResult {
    voted(&st, &me, &seats, s, &form, false).await
}

pub async fn written_vote(State(st): State<AppState>, Signed(me): Signed, seats: Seats, Authorized(s): Authorized<Session>, form: Pairs) -> PageResult {
    voted(&st, &me, &seats, s, &form, true).await
}

pub async fn close_session(State(st): State<AppState>, Signed(me): Signed, seats: Seats, Authorized(s): Authorized<Session>, form: Pairs) -> PageResult {
    match store::close_session(&st.db, &me.actor(), s.id, form.int("version").unwrap_or(0)).await {
        Ok(_) => done(&st, &format!("/sessions/{}", s.id), Did::SessionClosed),
        Err(e) => {
            let (status, msg) = refused(e)?;
            let current = store::get_session(&st.db, s.id).await?;
            render_status(status, &session_page(&st, &me, &seats, current, 0, msg).await?)
        }
    }
}

// ------------------------------------------------------------------ files

pub async fn nominees_xlsx(State(st): State<AppState>, Signed(me): Signed, seats: Seats, Authorized(r): Authorized<Round>) -> PageResult {
    Ok(docs::nominees(&st, &me, &seats, r).await?.into_response())
}

pub async fn proposal_docx(State(st): State<AppState>, Authorized(r): Authorized<Round>) -> PageResult {
    Ok(docs::proposal(&st, r).await?.into_response())
}

pub async fn annex_docx(State(st): State<AppState>, Authorized(r): Authorized<Round>) -> PageResult {
    Ok(docs::annex(&st, r).await?.into_response())
}

pub async fn minutes_docx(State(st): State<AppState>, Authorized(s): Authorized<Session>) -> PageResult {
    Ok(docs::minutes(&st, s).await?.into_response())
}

pub async fn report_docx(State(st): State<AppState>, Authorized(n): Authorized<Nomination>) -> PageResult {
    Ok(docs::achievement(&st, n).await?.into_response())
}

/// Attaches a file to the dossier (multipart, CSRF token in the query
/// string); a refusal re-shows the nomination with the reason.
pub async fn upload(
    State(st): State<AppState>,
    Signed(me): Signed,
    Authorized(n): Authorized<Nomination>,
    mp: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> PageResult {
    use super::attachments::{multipart, read_file};
    let result = match multipart(mp) {
        Ok(mp) => match read_file(mp).await {
            Ok((name, bytes)) => dienhinh_store::files::attach(&st.db, &st.files, &me.actor(), dienhinh_domain::RecordKind::Nomination, n.id, &name, bytes).await,
            Err(e) => Err(e),
        },
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => done(&st, &format!("/nominations/{}", n.id), Did::DossierFileAdded),
        Err(e) => {
            let (status, msg) = refused(e)?;
            render_status(status, &nomination_page(&st, &me, n, Pairs(vec![]), msg).await?)
        }
    }
}

// ---------------------------------------------------------------- opening a round

/// Rows of council members offered on the form (empty rows are skipped).
const COUNCIL_ROWS: usize = 9;

#[derive(Template)]
#[template(path = "round_form.html")]
struct RoundFormPage {
    chrome: Chrome,
    f: Pairs,
    forms: Vec<store::CommendationForm>,
    /// The people the council is chosen among, by full name
    /// (`store::council_candidates`), those the caller sees.
    people: Vec<(i64, String)>,
    council: Vec<(String, String)>,
    items: Vec<String>,
    opts: RoundOptions,
    errors: dienhinh_domain::Invalid,
}

struct RoundOptions {
    authorities: Vec<(&'static str, &'static str)>,
    kinds: Vec<(&'static str, &'static str)>,
    levels: Vec<(&'static str, &'static str)>,
    dossier: Vec<(&'static str, &'static str)>,
    rules: Vec<(&'static str, &'static str)>,
    ballots: Vec<(&'static str, &'static str)>,
    roles: Vec<(&'static str, &'static str)>,
}

fn opts<T: dienhinh_domain::code::Coded + 'static>() -> Vec<(&'static str, &'static str)> {
    T::ALL.iter().map(|v| (v.code(), v.label())).collect()
}

async fn round_form(st: &AppState, me: &AuthUser, f: Pairs, errors: dienhinh_domain::Invalid) -> Result<RoundFormPage, PageError> {
    use dienhinh_domain::commendation::{Authority, BallotKind, CouncilRole, ThresholdRule};
    use dienhinh_domain::exemplar::{ExemplarKind, Level};
    let people = store::council_candidates(&st.db, me.user.org_id, me.user.org_path.as_str())
        .await?
        .into_iter()
        .filter(|(_, _, path)| me.can(Action::View, &dienhinh_domain::OrgPath(path.clone())))
        .map(|(id, name, _)| (id, name))
        .collect();
    let (users, roles) = (f.all("council_user"), f.all("council_role"));
    let mut council: Vec<(String, String)> = users.into_iter().zip(roles).collect();
    while council.len() < COUNCIL_ROWS {
        let role = match council.len() {
            0 => CouncilRole::Chair,
            1 => CouncilRole::Secretary,
            _ => CouncilRole::Member,
        };
        council.push((String::new(), role.code().to_string()));
    }
    Ok(RoundFormPage {
        chrome: Chrome::new("Mở đợt xét khen thưởng", me, "/rounds"),
        items: f.all("required_items"),
        f,
        forms: store::forms(&st.db).await?,
        people,
        council,
        opts: RoundOptions {
            authorities: opts::<Authority>(),
            kinds: opts::<ExemplarKind>(),
            levels: opts::<Level>(),
            dossier: opts::<DossierItem>(),
            rules: opts::<ThresholdRule>(),
            ballots: opts::<BallotKind>(),
            roles: opts::<CouncilRole>(),
        },
        errors,
    })
}

/// The form with the defaults a bloc usually keeps (Bằng khen rules, the
/// report and the cấp ủy's confirmation required).
pub async fn new_round_form(State(st): State<AppState>, Signed(me): Signed) -> PageResult {
    let d = dienhinh_domain::commendation::VoteRules::default();
    let e = dienhinh_domain::commendation::Eligibility::default();
    let mut v: Vec<(String, String)> = vec![
        ("year".into(), clock::current_year().to_string()),
        ("min_level".into(), e.min_level.code().into()),
        ("evaluation_years".into(), e.evaluation_years.to_string()),
        ("years_as_exemplar".into(), e.years_as_exemplar.to_string()),
        ("must_be_active".into(), "1".into()),
        ("quorum_num".into(), d.quorum_num.to_string()),
        ("quorum_den".into(), d.quorum_den.to_string()),
        ("threshold_percent".into(), d.threshold_percent.to_string()),
        ("threshold_rule".into(), d.threshold_rule.code().into()),
        ("ballot".into(), d.ballot.code().into()),
        ("basis".into(), d.basis),
        ("new_form_authority".into(), "trong_khoi".into()),
    ];
    v.push(("required_items".into(), DossierItem::Report.code().into()));
    v.push(("required_items".into(), DossierItem::Confirmation.code().into()));
    render(&round_form(&st, &me, Pairs(v), dienhinh_domain::Invalid::new()).await?)
}

/// Reads the typed form into a round; what cannot be read is named per field.
fn round_input(f: &Pairs, org_id: i64, inv: &mut dienhinh_domain::Invalid) -> dienhinh_domain::commendation::RoundInput {
    use dienhinh_domain::commendation::{BallotKind, CouncilMemberInput, Eligibility, RoundInput, ThresholdRule, VoteRules};
    use dienhinh_domain::exemplar::{ExemplarKind, Level};
    let year = f.number("year", "Năm", 2000..=9999, inv).unwrap_or(0);
    let form_id = match f.get("form_id").as_str() {
        "new" => 0,
        s => match s.trim().parse() {
            Ok(id) => id,
            Err(_) => {
                inv.add("form_id", "required", "Vui lòng chọn hình thức khen thưởng.");
                0
            }
        },
    };
    let kind = f.get("kind");
    let eligibility = Eligibility {
        kind: ExemplarKind::from_code(&kind),
        min_level: Level::from_code(&f.get("min_level")).unwrap_or_else(|| {
            inv.add("min_level", "invalid", "Cấp không có trong danh mục.");
            Level::CoSo
        }),
        evaluation_years: f.number("evaluation_years", "Số năm có kết quả đánh giá", 0..=10, inv).unwrap_or(0),
        years_as_exemplar: f.number("years_as_exemplar", "Số năm theo dõi", 0..=50, inv).unwrap_or(0),
        must_be_active: f.checked("must_be_active"),
    };
    if !kind.is_empty() && eligibility.kind.is_none() {
        inv.add("kind", "invalid", "Loại điển hình không có trong danh mục.");
    }
    let rules = VoteRules {
        quorum_num: f.number("quorum_num", "Tử số tỷ lệ có mặt", 1..=100, inv).unwrap_or(0),
        quorum_den: f.number("quorum_den", "Mẫu số tỷ lệ có mặt", 1..=100, inv).unwrap_or(0),
        threshold_percent: f.number("threshold_percent", "Tỷ lệ đồng ý", 1..=100, inv).unwrap_or(0),
        threshold_rule: ThresholdRule::from_code(&f.get("threshold_rule")).unwrap_or_else(|| {
            inv.add("threshold_rule", "invalid", "Cách so tỷ lệ không có trong danh mục.");
            ThresholdRule::MoreThan
        }),
        ballot: BallotKind::from_code(&f.get("ballot")).unwrap_or_else(|| {
            inv.add("ballot", "invalid", "Hình thức biểu quyết không có trong danh mục.");
            BallotKind::Secret
        }),
        basis: f.get("basis"),
    };
    let council = f
        .all("council_user")
        .into_iter()
        .zip(f.all("council_role"))
        .filter(|(u, _)| !u.trim().is_empty())
        .map(|(u, role)| CouncilMemberInput { user_id: u.trim().parse().unwrap_or(crate::access::UNSEEN), role })
        .collect();
    RoundInput { org_id, year, form_id, deadline: f.get("deadline"), eligibility: Some(eligibility), required_items: f.all("required_items"), rules, council }
}

/// The Ban Tuyên giáo opens a round at its own node, for a form of
/// commendation it picks or adds here; nothing is saved unless the whole
/// round is valid.
pub async fn create_round(State(st): State<AppState>, Signed(me): Signed, f: Pairs) -> PageResult {
    use dienhinh_domain::commendation::Authority;
    let org_id = me.user.org_id;
    crate::access::target(&st, &me, org_id, Action::Guide).await?;
    let mut inv = dienhinh_domain::Invalid::new();
    let mut input = round_input(&f, org_id, &mut inv);
    let new_form = f.get("form_id") == "new";
    let authority = Authority::from_code(&f.get("new_form_authority"));
    if new_form {
        if dienhinh_text::normalize_line(&f.get("new_form_name")).is_empty() {
            inv.add("new_form_name", "required", "Vui lòng nhập tên hình thức khen thưởng.");
        }
        if authority.is_none() {
            inv.add("new_form_authority", "invalid", "Vui lòng chọn thẩm quyền.");
        }
    }
    for m in input.council.iter_mut() {
        m.user_id = crate::api::commendation::seen_user(&st, &me, m.user_id).await.map_err(|_| PageError::forbidden())?;
    }
    if let Err(e) = input.validate(clock::current_year()) {
        // Domain messages for fields the form already named are not repeated.
        let extra: Vec<_> = e.0.into_iter().filter(|x| inv.for_field(x.field).is_none()).collect();
        inv.0.extend(extra);
    }
    if !inv.is_empty() {
        return reshow(st, me, f, inv).await;
    }
    let form_added = if new_form { Some((f.get("new_form_name"), authority.expect("checked"))) } else { None };
    match store::create_round_with_form(&st.db, &me.actor(), &input, form_added.as_ref().map(|(n, a)| (n.as_str(), *a))).await {
        Ok(r) => super::done(&st, &format!("/rounds/{}", r.id), crate::flash::Done::RoundCreated),
        // The new form's own refusals (its name taken) belong to its field.
        Err(StoreError::Invalid(e)) if new_form && e.0.iter().any(|x| x.field == "name") => {
            let mut inv = dienhinh_domain::Invalid::new();
            for x in e.0 {
                inv.add("new_form_name", "invalid", x.message);
            }
            reshow(st, me, f, inv).await
        }
        Err(StoreError::Invalid(e)) => reshow(st, me, f, e).await,
        Err(e) => Err(e.into()),
    }
}

/// The form again with what was typed and why it was refused.
async fn reshow(st: AppState, me: AuthUser, f: Pairs, inv: dienhinh_domain::Invalid) -> PageResult {
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &round_form(&st, &me, f, inv).await?)
}
