//! Exemplars: the list, the record, and the steps of its life.

use super::{ApiJson, ApiQuery, Created};
use crate::access::{self, Authorized};
use crate::auth::ApiUser;
use crate::error::{ApiError, ApiResult};
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use dienhinh_domain::exemplar::{ListOrder, Step};
use dienhinh_domain::Action;
use dienhinh_store::exemplars::{self, Exemplar, ExemplarFilter, ExemplarInput, StepRecord};
use serde::Deserialize;

super::list_page!(StepList, StepRecord);

super::list_page!(ExemplarPage, Exemplar);

/// Exemplars in the caller's subtrees, newest first unless `sort` asks otherwise, with filters.
#[utoipa::path(get, path = "/api/v1/exemplars", tag = "exemplars", params(ExemplarFilter), responses((status = 200, body = ExemplarPage), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list(State(st): State<AppState>, ApiUser(me): ApiUser, ApiQuery(mut f): ApiQuery<ExemplarFilter>) -> ApiResult<ExemplarPage> {
    f.within = me.scope(Action::View);
    let asked = super::ordered::<ListOrder>(f.sort.take(), f.limit, f.cursor.take(), f.before.take())?;
    f.kind = super::code_in::<dienhinh_domain::exemplar::ExemplarKind>("kind", f.kind.take())?;
    f.status = super::code_in::<dienhinh_domain::exemplar::Status>("status", f.status.take())?;
    f.level = super::code_in::<dienhinh_domain::exemplar::Level>("level", f.level.take())?;
    f.year = super::year_in("year", f.year, exemplars::MIN_YEAR..=dienhinh_domain::clock::current_year() + 1)?;
    ExemplarPage::listed(exemplars::listing(&st.db, &f, asked.order, asked.at()).await?)
}

#[utoipa::path(get, path = "/api/v1/exemplars/{id}", tag = "exemplars", params(("id" = i64, Path)),
    responses((status = 200, body = Exemplar), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get(Authorized(e): Authorized<Exemplar>) -> ApiResult<Exemplar> {
    Ok(Json(e))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ExemplarCreate {
    #[serde(flatten)]
    pub input: ExemplarInput,
    /// Create even when an exemplar of the same name exists in the unit.
    #[serde(default)]
    pub confirm_duplicate: bool,
}

/// Records a newly found exemplar (stage `phat_hien`, level `co_so`). A
/// same-named exemplar in the unit is refused with 409 `possible_duplicate`
/// unless `confirm_duplicate` is true.
#[utoipa::path(post, path = "/api/v1/exemplars", tag = "exemplars", request_body = ExemplarCreate,
    responses((status = 201, body = Exemplar), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create(State(st): State<AppState>, ApiUser(me): ApiUser, ApiJson(c): ApiJson<ExemplarCreate>) -> Created<Exemplar> {
    let org = access::target(&st, &me, c.input.org_id, Action::EnterData).await?;
    let mut input = c.input;
    input.org_id = org.id;
    match exemplars::create_unless_duplicate(&st.db, &me.actor(), &input, c.confirm_duplicate).await? {
        exemplars::NewExemplar::Created(e) => Ok((StatusCode::CREATED, Json(*e))),
        exemplars::NewExemplar::PossibleDuplicates(dups) => {
            let mut err = ApiError::new(StatusCode::CONFLICT, "possible_duplicate", "Đơn vị đã có điển hình cùng tên; gửi lại với confirm_duplicate=true nếu đây là người/tập thể khác.");
            err.current = serde_json::to_value(&dups).ok();
            Err(err)
        }
    }
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ExemplarUpdate {
    pub version: i64,
    #[serde(flatten)]
    pub input: ExemplarInput,
}

/// Edits an exemplar's record (not its stage); 409 `conflict` on a stale version.
#[utoipa::path(put, path = "/api/v1/exemplars/{id}", tag = "exemplars", params(("id" = i64, Path)), request_body = ExemplarUpdate,
    responses((status = 200, body = Exemplar), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn update(State(st): State<AppState>, ApiUser(me): ApiUser, Authorized(e): Authorized<Exemplar>, ApiJson(mut u): ApiJson<ExemplarUpdate>) -> ApiResult<Exemplar> {
    u.input.org_id = e.org_id;
    Ok(Json(exemplars::update(&st.db, &me.actor(), e.id, u.version, u.input).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct StepInput {
    /// boi_duong, cong_nhan, nhan_rong, nang_cap, dung, mo_lai
    pub step: String,
    pub reason: String,
    /// The version read; 409 `conflict` when someone acted first.
    pub version: i64,
    /// Number and symbol of the decision the step records, e.g. `22-NQ/ĐU`:
    /// required for `cong_nhan` and `nang_cap`, optional otherwise.
    #[serde(default)]
    pub decision_no: String,
    /// Date of that decision, `YYYY-MM-DD`, not after today; required with
    /// `decision_no`.
    #[serde(default)]
    pub decided_on: String,
}

/// Takes a step of the exemplar's life. A step that is not the caller's to
/// take is refused with 403; a step the stage does not allow, or without a
/// reason, with 422; both say why.
#[utoipa::path(post, path = "/api/v1/exemplars/{id}/steps", tag = "exemplars", params(("id" = i64, Path)), request_body = StepInput,
    responses((status = 200, body = Exemplar), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn step(State(st): State<AppState>, ApiUser(me): ApiUser, Authorized(e): Authorized<Exemplar>, ApiJson(s): ApiJson<StepInput>) -> ApiResult<Exemplar> {
    let Some(step) = Step::from_code(&s.step) else {
        return Err(ApiError::bad_request("Bước không hợp lệ: boi_duong, cong_nhan, nhan_rong, nang_cap, dung, mo_lai."));
    };
    let decision = exemplars::DecisionInput { decision_no: s.decision_no, decided_on: s.decided_on };
    Ok(Json(exemplars::take_step(&st.db, &me.actor(), &me.assignments, e.id, s.version, step, &s.reason, &decision).await?))
}

/// The history of steps, oldest first.
#[utoipa::path(get, path = "/api/v1/exemplars/{id}/steps", tag = "exemplars", params(("id" = i64, Path)), responses((status = 200, body = StepList)))]
pub async fn steps(State(st): State<AppState>, Authorized(e): Authorized<Exemplar>) -> ApiResult<StepList> {
    Ok(StepList::all(exemplars::steps(&st.db, e.id).await?))
}
