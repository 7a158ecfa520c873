//! Commendation rounds (plan IV.3, V.2): rounds and their council,
//! nominations and their screening, the council's sessions and votes, the
//! outcome. Refusals of the workflow are 422 with a stable code in
//! `fields[].code`: `after_deadline`, `ineligible`, `already_voted`,
//! `recused`, `session_closed`, `not_voted`, `quorum_not_met`,
//! `number_taken` (and `illegal`, `forbidden`, `wrong_authority`,
//! `not_passed`, `incomplete` …).

use super::{ApiJson, ApiQuery, Created};
use crate::access::{self, Authorized, Seats};
use crate::auth::ApiUser;
use crate::commendation_docs as docs;
use crate::error::{ApiError, ApiResult};
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use dienhinh_domain::order::{BoardOrder, RoundOrder};
use dienhinh_domain::commendation::{Authority, Choice, CouncilRole, DossierInput, DossierItem, NominationStatus, NominationStep, OutcomeInput, RoundInput};
use dienhinh_domain::exemplar::{DecisionInput, Level};
use dienhinh_domain::{clock, Action, Invalid};
use dienhinh_store::commendation::{self as store, CommendationForm, CouncilVote, Nomination, NominationEvent, Outcome, Round, Session, Standing};
use serde::{Deserialize, Serialize};

super::list_page!(FormList, CommendationForm);
super::list_page!(RoundList, Round);
super::list_page!(NominationList, Nomination);

/// The forms of commendation (the plan's and the bloc's own).
#[utoipa::path(get, path = "/api/v1/commendation-forms", tag = "commendation", responses((status = 200, body = FormList)))]
pub async fn list_forms(State(st): State<AppState>) -> ApiResult<FormList> {
    Ok(FormList::all(store::forms(&st.db).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct FormInput {
    pub name: String,
    // trong_khoi or cap_tren
    pub authority: String,
    // The level an approved commendation gives (co_so, khoi, tinh, toan_quoc), if any.
    #[serde(default)]
    pub level: Option<String>,
}

/// The bloc adds a form of its own.
#[utoipa::path(post, path = "/api/v1/commendation-forms", tag = "commendation", request_body = FormInput,
    responses((status = 201, body = CommendationForm), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn add_form(State(st): State<AppState>, ApiUser(me): ApiUser, ApiJson(i): ApiJson<FormInput>) -> Created<CommendationForm> {
    let mut inv = Invalid::new();
    let authority = Authority::from_code(&i.authority);
    if authority.is_none() {
        inv.add("authority", "invalid", "Thẩm quyền phải là trong_khoi hoặc cap_tren.");
    }
    let level = match i.level.as_deref().filter(|l| !l.is_empty()) {
        None => None,
        Some(code) => {
            let l = Level::from_code(code);
            if l.is_none() {
                inv.add("level", "invalid", "Cấp không có trong danh mục.");
            }
            l
        }
    };
    inv.into_result().map_err(ApiError::invalid)?;
    let f = store::add_form(&st.db, &me.actor(), &i.name, authority.expect("checked"), level).await?;
    Ok((StatusCode::CREATED, Json(f)))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RoundParams {
    /// The order (a code; absent: the list's default).
    pub sort: Option<String>,
    /// The page before this cursor (a page's `prev`), instead of `cursor`.
    pub before: Option<String>,
    /// Cursor of the page (the `next` of the previous one).
    #[param(pattern = "^([0-9a-fA-F]{2})*\\.[0-9]{1,18}$")]
    pub cursor: Option<String>,
    /// Rows per page, 1 to 200.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
}

/// Rounds the caller sees (its subtrees, the rounds of the units above it, and those whose council seats it), newest first unless `sort` asks otherwise.
#[utoipa::path(get, path = "/api/v1/rounds", tag = "commendation", params(RoundParams), responses((status = 200, body = RoundList), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list_rounds(State(st): State<AppState>, ApiUser(me): ApiUser, ApiQuery(p): ApiQuery<RoundParams>) -> ApiResult<RoundList> {
    let asked = super::ordered::<RoundOrder>(p.sort, p.limit, p.cursor, p.before)?;
    RoundList::listed(store::rounds(&st.db, &me.scope(Action::View), &me.user.org_path, me.user.id, asked.order, asked.at()).await?)
}

/// The Ban Tuyên giáo opens a round at a node, with its council.
#[utoipa::path(post, path = "/api/v1/rounds", tag = "commendation", request_body = RoundInput,
    responses((status = 201, body = Round), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create_round(State(st): State<AppState>, ApiUser(me): ApiUser, ApiJson(mut i): ApiJson<RoundInput>) -> Created<Round> {
    access::target(&st, &me, i.org_id, Action::Guide).await?;
    for m in i.council.iter_mut() {
        m.user_id = seen_user(&st, &me, m.user_id).await?;
    }
    Ok((StatusCode::CREATED, Json(store::create_round(&st.db, &me.actor(), &i).await?)))
}

/// `user_id` if the caller may see that person, else `UNSEEN`.
pub(crate) async fn seen_user(st: &AppState, me: &crate::auth::AuthUser, user_id: i64) -> Result<i64, ApiError> {
    use dienhinh_store::Found;
    Ok(match dienhinh_store::users::get(&st.db, user_id).await.optional()? {
        Some(u) if me.can(Action::View, &u.org_path) => user_id,
        _ => access::UNSEEN,
    })
}

/// A round with its council and the first page of its board: who nominated
/// what, where each dossier stands (the rest of the board: `/api/v1/rounds/{id}/nominations`).
#[derive(Serialize, utoipa::ToSchema)]
pub struct RoundBoard {
    pub round: Round,
    /// The first page of the nominations the caller sees (its units', or the whole round for its council), by unit.
    pub nominations: Vec<Nomination>,
    /// Cursor of the board's next page (pass as `cursor` to `/api/v1/rounds/{id}/nominations`), absent when this is all.
    pub nominations_next: Option<String>,
    /// How many nominations the caller sees in the round.
    pub nominations_total: i64,
    pub sessions: Vec<Session>,
    pub outcomes: Vec<Outcome>,
}

#[utoipa::path(get, path = "/api/v1/rounds/{id}", tag = "commendation", params(("id" = i64, Path)), responses((status = 200, body = RoundBoard)))]
pub async fn get_round(State(st): State<AppState>, ApiUser(me): ApiUser, seats: Seats, Authorized(r): Authorized<Round>) -> ApiResult<RoundBoard> {
    let filter = store::BoardFilter { within: crate::commendation_docs::board_scope(&me, &seats, &r), status: None };
    let first = store::board_page(&st.db, r.id, &filter, dienhinh_store::page::Position { after: None, before: None, limit: 50, count: true }).await?;
    Ok(Json(RoundBoard {
        nominations: first.items,
        nominations_next: first.next,
        nominations_total: first.total,
        sessions: store::sessions_of(&st.db, r.id).await?,
        outcomes: store::outcomes_of(&st.db, r.id).await?,
        round: r,
    }))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BoardParams {
    /// Only the nominations at this status (nhap, da_gui, tra_lai, gui_lai, tiep_nhan, dat, khong_dat, quyet_dinh, de_nghi, phe_duyet, khong_phe_duyet, rut).
    pub status: Option<String>,
    /// The order (`don_vi`, by unit: the only one).
    pub sort: Option<String>,
    /// The page before this cursor (a page's `prev`), instead of `cursor`.
    pub before: Option<String>,
    /// Cursor of the page (the `next` of the previous one).
    #[param(pattern = "^([0-9a-fA-F]{2})*\\.[0-9]{1,18}$")]
    pub cursor: Option<String>,
    /// Rows per page, 1 to 200.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
}

/// A round's board, a page at a time: the nominations the caller sees (its units', or the whole round for a member of its council), by unit, of one status if asked.
#[utoipa::path(get, path = "/api/v1/rounds/{id}/nominations", tag = "commendation", params(("id" = i64, Path), BoardParams),
    responses((status = 200, body = NominationList), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn board(State(st): State<AppState>, ApiUser(me): ApiUser, seats: Seats, Authorized(r): Authorized<Round>, ApiQuery(p): ApiQuery<BoardParams>) -> ApiResult<NominationList> {
    let status = super::code_in::<NominationStatus>("status", p.status)?.and_then(|c| NominationStatus::from_code(&c));
    let asked = super::ordered::<BoardOrder>(p.sort, p.limit, p.cursor, p.before)?;
    let filter = store::BoardFilter { within: crate::commendation_docs::board_scope(&me, &seats, &r), status };
    NominationList::listed(store::board_page(&st.db, r.id, &filter, asked.at()).await?)
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NominateInput {
    pub exemplar_id: i64,
}

/// A TCCS nominates one of its exemplars: refused after the deadline
/// (`after_deadline`) or when ineligible (`ineligible`, every failed rule named).
#[utoipa::path(post, path = "/api/v1/rounds/{id}/nominations", tag = "commendation", params(("id" = i64, Path)), request_body = NominateInput,
    responses((status = 201, body = Nomination), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn nominate(State(st): State<AppState>, ApiUser(me): ApiUser, Authorized(r): Authorized<Round>, ApiJson(i): ApiJson<NominateInput>) -> Created<Nomination> {
    let exemplar = seen_exemplar(&st, &me, i.exemplar_id).await?;
    Ok((StatusCode::CREATED, Json(store::nominate(&st.db, &me.actor(), r.id, exemplar, &clock::today_iso()).await?)))
}

/// The exemplar's id when the caller enters data at its node; unseen
/// exemplars are refused as missing, seen ones without the right with 403.
pub async fn seen_exemplar(st: &AppState, me: &crate::auth::AuthUser, id: i64) -> Result<i64, access::Refusal> {
    use dienhinh_store::Found;
    match dienhinh_store::exemplars::get(&st.db, id).await.optional()? {
        Some(e) if me.can(Action::EnterData, &e.org_path) => Ok(id),
        Some(e) if me.can(Action::View, &e.org_path) => Err(access::Refusal::Forbidden(None)),
        _ => Ok(access::UNSEEN),
    }
}

/// A nomination with its dossier and the history of its round-trips.
#[derive(Serialize, utoipa::ToSchema)]
pub struct NominationDetail {
    pub nomination: Nomination,
    pub events: Vec<NominationEvent>,
}

#[utoipa::path(get, path = "/api/v1/nominations/{id}", tag = "commendation", params(("id" = i64, Path)), responses((status = 200, body = NominationDetail)))]
pub async fn get_nomination(State(st): State<AppState>, Authorized(n): Authorized<Nomination>) -> ApiResult<NominationDetail> {
    Ok(Json(NominationDetail { events: store::events(&st.db, n.id).await?, nomination: n }))
}

/// The unit edits its dossier (report, cấp ủy's confirmation) while it holds it.
#[utoipa::path(put, path = "/api/v1/nominations/{id}/dossier", tag = "commendation", params(("id" = i64, Path)), request_body = DossierInput,
    responses((status = 200, body = Nomination), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn save_dossier(State(st): State<AppState>, ApiUser(me): ApiUser, Authorized(n): Authorized<Nomination>, ApiJson(i): ApiJson<DossierInput>) -> ApiResult<Nomination> {
    Ok(Json(store::save_dossier(&st.db, &me.actor(), n.id, &i).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ItemComment {
    // bao_cao_thanh_tich, xac_nhan_cap_uy, minh_chung, bien_ban_co_so
    pub item: String,
    pub comment: String,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NominationStepInput {
    // gui, rut, tra_lai, gui_lai, tiep_nhan
    pub step: String,
    pub version: i64,
    // Comments of a screening per dossier item (required to return).
    #[serde(default)]
    pub comments: Vec<ItemComment>,
}

/// Typed comments, or the field errors.
pub fn comments_of(raw: &[(String, String)]) -> Result<Vec<(DossierItem, String)>, Invalid> {
    let mut inv = Invalid::new();
    let mut out = vec![];
    for (item, comment) in raw {
        match DossierItem::from_code(item) {
            Some(i) => out.push((i, comment.clone())),
            None => inv.add("comments", "invalid", "Thành phần hồ sơ không có trong danh mục."),
        }
    }
    inv.into_result()?;
    Ok(out)
}

/// A step of the screening round-trip (TCCS: submit, withdraw, resubmit;
/// Ban Tuyên giáo: return with comments per item, accept).
#[utoipa::path(post, path = "/api/v1/nominations/{id}/steps", tag = "commendation", params(("id" = i64, Path)), request_body = NominationStepInput,
    responses((status = 200, body = Nomination), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn step(State(st): State<AppState>, ApiUser(me): ApiUser, Authorized(n): Authorized<Nomination>, ApiJson(i): ApiJson<NominationStepInput>) -> ApiResult<Nomination> {
    let Some(step) = NominationStep::from_code(&i.step) else {
        let mut inv = Invalid::new();
        inv.add("step", "invalid", "Bước không có trong danh mục.");
        return Err(ApiError::invalid(inv));
    };
    let raw: Vec<(String, String)> = i.comments.into_iter().map(|c| (c.item, c.comment)).collect();
    let comments = comments_of(&raw).map_err(ApiError::invalid)?;
    store::take_step(&st.db, &me.actor(), &me.assignments, n.id, i.version, step, &comments, &clock::today_iso()).await.map(Json).map_err(refusal)
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct SessionInput {
    // YYYY-MM-DD
    pub held_on: String,
    #[serde(default)]
    pub place: String,
    // Ids of the members present.
    pub present: Vec<i64>,
}

/// The council's secretary opens a session with the attendance.
#[utoipa::path(post, path = "/api/v1/rounds/{id}/sessions", tag = "commendation", params(("id" = i64, Path)), request_body = SessionInput,
    responses((status = 201, body = Session), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn open_session(State(st): State<AppState>, ApiUser(me): ApiUser, Authorized(r): Authorized<Round>, ApiJson(i): ApiJson<SessionInput>) -> Created<Session> {
    Ok((StatusCode::CREATED, Json(store::open_session(&st.db, &me.actor(), r.id, &i.held_on, &i.place, &i.present).await?)))
}

/// A session with each nomination's tally. In a secret round no ballot
/// names its member: `votes` says who voted, never how.
#[derive(Serialize, utoipa::ToSchema)]
pub struct SessionDetail {
    pub session: Session,
    pub standings: Vec<Standing>,
    pub votes: Vec<CouncilVote>,
}

#[utoipa::path(get, path = "/api/v1/sessions/{id}", tag = "commendation", params(("id" = i64, Path)), responses((status = 200, body = SessionDetail)))]
pub async fn get_session(State(st): State<AppState>, Authorized(s): Authorized<Session>) -> ApiResult<SessionDetail> {
    Ok(Json(SessionDetail { standings: store::standings(&st.db, &s).await?, votes: store::votes_of(&st.db, s.id).await?, session: s }))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct VoteInput {
    pub nomination_id: i64,
    // dong_y, khong_dong_y or khong_bieu_quyet
    pub choice: String,
}

fn choice_of(code: &str) -> Result<Choice, ApiError> {
    Choice::from_code(code).ok_or_else(|| {
        let mut inv = Invalid::new();
        inv.add("choice", "invalid", "Biểu quyết phải là dong_y, khong_dong_y hoặc khong_bieu_quyet.");
        ApiError::invalid(inv)
    })
}

/// A present member votes once on a nomination (`already_voted`, `recused`,
/// `session_closed`, `quorum_not_met` refused).
#[utoipa::path(post, path = "/api/v1/sessions/{id}/votes", tag = "commendation", params(("id" = i64, Path)), request_body = VoteInput,
    responses((status = 201, body = CouncilVote), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn vote(State(st): State<AppState>, ApiUser(me): ApiUser, Authorized(s): Authorized<Session>, ApiJson(i): ApiJson<VoteInput>) -> Created<CouncilVote> {
    let choice = choice_of(&i.choice)?;
    Ok((StatusCode::CREATED, Json(store::vote(&st.db, &me.actor(), s.id, i.nomination_id, me.user.id, choice, false).await?)))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct WrittenVoteInput {
    pub nomination_id: i64,
    // The absent member whose written vote this is.
    pub member_id: i64,
    pub choice: String,
}

/// The secretary enters the written vote of an absent member.
#[utoipa::path(post, path = "/api/v1/sessions/{id}/written-votes", tag = "commendation", params(("id" = i64, Path)), request_body = WrittenVoteInput,
    responses((status = 201, body = CouncilVote), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn written_vote(
    State(st): State<AppState>,
    ApiUser(me): ApiUser,
    Authorized(s): Authorized<Session>,
    ApiJson(i): ApiJson<WrittenVoteInput>,
) -> Created<CouncilVote> {
    let choice = choice_of(&i.choice)?;
    Ok((StatusCode::CREATED, Json(store::vote(&st.db, &me.actor(), s.id, i.nomination_id, i.member_id, choice, true).await?)))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct CloseInput {
    pub version: i64,
}

/// The secretary closes the session: results and tallies are frozen, and
/// the biên bản takes its number from the register (`no_register` without one).
#[utoipa::path(post, path = "/api/v1/sessions/{id}/close", tag = "commendation", params(("id" = i64, Path)), request_body = CloseInput,
    responses((status = 200, body = Session), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn close_session(State(st): State<AppState>, ApiUser(me): ApiUser, Authorized(s): Authorized<Session>, ApiJson(i): ApiJson<CloseInput>) -> ApiResult<Session> {
    Ok(Json(store::close_session(&st.db, &me.actor(), s.id, i.version).await?))
}

/// The Ban Thường vụ's decision (a form of its own authority) or its
/// proposal upward, listing every nomination the council passed
/// (`not_voted` before the vote). Its number: left empty, the next of the
/// term in the organisation's register; typed from paper, recorded there
/// (`number_taken` when the term has used it, `no_register` when the
/// organisation has no register yet).
#[utoipa::path(post, path = "/api/v1/rounds/{id}/outcome", tag = "commendation", params(("id" = i64, Path)), request_body = OutcomeInput,
    responses((status = 201, body = Outcome), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn conclude(State(st): State<AppState>, ApiUser(me): ApiUser, Authorized(r): Authorized<Round>, ApiJson(i): ApiJson<OutcomeInput>) -> Created<Outcome> {
    let o = store::conclude(&st.db, &me.actor(), &me.assignments, r.id, &i).await.map_err(refusal)?;
    Ok((StatusCode::CREATED, Json(o)))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct UpwardInput {
    pub approved: bool,
    // The higher body's decision (number and date), required when approved.
    #[serde(default)]
    pub decision_no: String,
    #[serde(default)]
    pub decided_on: String,
    pub version: i64,
}

/// The higher body's answer to a proposal: approved (the exemplar's level
/// and history follow) or not.
#[utoipa::path(post, path = "/api/v1/nominations/{id}/upward", tag = "commendation", params(("id" = i64, Path)), request_body = UpwardInput,
    responses((status = 200, body = Nomination), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn upward(State(st): State<AppState>, ApiUser(me): ApiUser, Authorized(n): Authorized<Nomination>, ApiJson(i): ApiJson<UpwardInput>) -> ApiResult<Nomination> {
    let d = DecisionInput { decision_no: i.decision_no, decided_on: i.decided_on };
    store::record_upward(&st.db, &me.actor(), &me.assignments, n.id, i.version, i.approved, &d).await.map(Json).map_err(refusal)
}

/// A step the caller may not take (the domain's `forbidden`) is a 403 like
/// any other refusal; the rest as the store says.
pub fn refusal(e: dienhinh_store::StoreError) -> ApiError {
    match e {
        dienhinh_store::StoreError::Invalid(inv) if inv.0.first().is_some_and(|f| f.code == "forbidden") => {
            let mut a = ApiError::forbidden();
            a.message = format!("{} {}", a.message, inv.0[0].message);
            a
        }
        other => other.into(),
    }
}

/// The caller's seat in a round's council, if any (for the pages).
pub fn seat(seats: &Seats, round_id: i64) -> Option<CouncilRole> {
    seats.role_in(round_id)
}

// ------------------------------------------------------------------ files

/// The round's nominees with where each dossier stands and the council's
/// tally (XLSX; a secret round's tally only).
#[utoipa::path(get, path = "/api/v1/rounds/{id}/nominees.xlsx", tag = "commendation", params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>), (status = 404, body = crate::error::ErrorBody)))]
pub async fn nominees_xlsx(State(st): State<AppState>, ApiUser(me): ApiUser, seats: Seats, Authorized(r): Authorized<Round>) -> Result<docs::File, ApiError> {
    Ok(docs::nominees(&st, &me, &seats, r).await?)
}

/// The tờ trình of the round's proposal upward (DOCX, Party format);
/// `no_document` before there is one; 403 for a unit that sees only its own nominees.
#[utoipa::path(get, path = "/api/v1/rounds/{id}/proposal.docx", tag = "commendation", params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document", body = Vec<u8>), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn proposal_docx(State(st): State<AppState>, Authorized(r): Authorized<Round>) -> Result<docs::File, ApiError> {
    Ok(docs::proposal(&st, r).await?)
}

/// The danh sách kèm theo of the round's decision or tờ trình (DOCX); `no_document` before there is one.
#[utoipa::path(get, path = "/api/v1/rounds/{id}/annex.docx", tag = "commendation", params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document", body = Vec<u8>), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn annex_docx(State(st): State<AppState>, Authorized(r): Authorized<Round>) -> Result<docs::File, ApiError> {
    Ok(docs::annex(&st, r).await?)
}

/// The biên bản of a closed council session (DOCX); `no_document` while it sits.
#[utoipa::path(get, path = "/api/v1/sessions/{id}/minutes.docx", tag = "commendation", params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document", body = Vec<u8>), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn minutes_docx(State(st): State<AppState>, Authorized(s): Authorized<Session>) -> Result<docs::File, ApiError> {
    Ok(docs::minutes(&st, s).await?)
}

/// The nominee's báo cáo thành tích, from the dossier as edited (DOCX).
#[utoipa::path(get, path = "/api/v1/nominations/{id}/report.docx", tag = "commendation", params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document", body = Vec<u8>), (status = 404, body = crate::error::ErrorBody)))]
pub async fn report_docx(State(st): State<AppState>, Authorized(n): Authorized<Nomination>) -> Result<docs::File, ApiError> {
    Ok(docs::achievement(&st, n).await?)
}
