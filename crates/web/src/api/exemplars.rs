use super::{ApiJson, ApiQuery};
use crate::access::{self, Authorized};
use crate::auth::ApiUser;
use crate::error::{ApiError, ApiResult};
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use dienhinh_domain::exemplar::Step;
use dienhinh_domain::Action;
use dienhinh_store::annual_models::{self, AnnualModel, AnnualModelInput};
use dienhinh_store::evaluations::{self, Evaluation, EvaluationInput};
use dienhinh_store::exemplars::{self, Exemplar, ExemplarFilter, ExemplarInput, Named, StepRecord};
use dienhinh_store::fostering::{self, FosteringInput, FosteringItem};
use dienhinh_store::spread::{self, Replication, ReplicationInput, StudyVisit, StudyVisitInput};
use serde::{Deserialize, Serialize};

type Created<T> = Result<(StatusCode, Json<T>), ApiError>;

#[derive(Serialize, utoipa::ToSchema)]
pub struct ExemplarPage {
    pub items: Vec<Exemplar>,
    pub next: Option<String>,
}

/// Exemplars in the caller's subtrees, newest first, with filters.
#[utoipa::path(get, path = "/api/v1/exemplars", tag = "exemplars", params(ExemplarFilter), responses((status = 200, body = ExemplarPage)))]
pub async fn list(State(st): State<AppState>, ApiUser(me): ApiUser, ApiQuery(mut f): ApiQuery<ExemplarFilter>) -> ApiResult<ExemplarPage> {
    f.within = me.scope(Action::View);
    let page = exemplars::list(&st.db, &f).await?;
    Ok(Json(ExemplarPage { items: page.items, next: page.next }))
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
    responses((status = 201, body = Exemplar), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create(State(st): State<AppState>, ApiUser(me): ApiUser, ApiJson(c): ApiJson<ExemplarCreate>) -> Created<Exemplar> {
    let org = access::target(&st, &me, c.input.org_id, Action::EnterData).await?;
    let dups = exemplars::possible_duplicates(&st.db, org.id, &c.input.name, None).await?;
    if !dups.is_empty() && !c.confirm_duplicate {
        let mut err = ApiError::new(StatusCode::CONFLICT, "possible_duplicate", "Đơn vị đã có điển hình cùng tên; gửi lại với confirm_duplicate=true nếu đây là người/tập thể khác.");
        err.current = serde_json::to_value(&dups).ok();
        return Err(err);
    }
    Ok((StatusCode::CREATED, Json(exemplars::create(&st.db, &me.actor(), c.input).await?)))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ExemplarUpdate {
    pub version: i64,
    #[serde(flatten)]
    pub input: ExemplarInput,
}

/// Edits an exemplar's record (not its stage); 409 `conflict` on a stale version.
#[utoipa::path(put, path = "/api/v1/exemplars/{id}", tag = "exemplars", params(("id" = i64, Path)), request_body = ExemplarUpdate,
    responses((status = 200, body = Exemplar), (status = 409, body = crate::error::ErrorBody)))]
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
}

/// Takes a step of the exemplar's life. Illegal steps and steps that are not
/// the caller's to take are refused with 422 and a message saying why.
#[utoipa::path(post, path = "/api/v1/exemplars/{id}/steps", tag = "exemplars", params(("id" = i64, Path)), request_body = StepInput,
    responses((status = 200, body = Exemplar), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn step(State(st): State<AppState>, ApiUser(me): ApiUser, Authorized(e): Authorized<Exemplar>, ApiJson(s): ApiJson<StepInput>) -> ApiResult<Exemplar> {
    let Some(step) = Step::from_code(&s.step) else {
        return Err(ApiError::bad_request("Bước không hợp lệ: boi_duong, cong_nhan, nhan_rong, nang_cap, dung, mo_lai."));
    };
    Ok(Json(exemplars::take_step(&st.db, &me.actor(), &me.assignments, e.id, s.version, step, &s.reason).await?))
}

/// The history of steps, oldest first.
#[utoipa::path(get, path = "/api/v1/exemplars/{id}/steps", tag = "exemplars", params(("id" = i64, Path)), responses((status = 200, body = Vec<StepRecord>)))]
pub async fn steps(State(st): State<AppState>, Authorized(e): Authorized<Exemplar>) -> ApiResult<Vec<StepRecord>> {
    Ok(Json(exemplars::steps(&st.db, e.id).await?))
}

#[utoipa::path(get, path = "/api/v1/exemplars/{id}/fostering", tag = "exemplars", params(("id" = i64, Path)), responses((status = 200, body = Vec<FosteringItem>)))]
pub async fn list_fostering(State(st): State<AppState>, Authorized(e): Authorized<Exemplar>) -> ApiResult<Vec<FosteringItem>> {
    Ok(Json(fostering::for_exemplar(&st.db, e.id).await?))
}

#[utoipa::path(post, path = "/api/v1/exemplars/{id}/fostering", tag = "exemplars", params(("id" = i64, Path)), request_body = FosteringInput,
    responses((status = 201, body = FosteringItem), (status = 422, body = crate::error::ErrorBody)))]
pub async fn add_fostering(State(st): State<AppState>, ApiUser(me): ApiUser, Authorized(e): Authorized<Exemplar>, ApiJson(i): ApiJson<FosteringInput>) -> Created<FosteringItem> {
    Ok((StatusCode::CREATED, Json(fostering::add(&st.db, &me.actor(), &e, i).await?)))
}

#[utoipa::path(get, path = "/api/v1/exemplars/{id}/evaluations", tag = "exemplars", params(("id" = i64, Path)), responses((status = 200, body = Vec<Evaluation>)))]
pub async fn list_evaluations(State(st): State<AppState>, Authorized(e): Authorized<Exemplar>) -> ApiResult<Vec<Evaluation>> {
    Ok(Json(evaluations::for_exemplar(&st.db, e.id).await?))
}

/// Records an evaluation against a criteria set that applies to the
/// exemplar's node and whose period holds `period_year`.
#[utoipa::path(post, path = "/api/v1/exemplars/{id}/evaluations", tag = "exemplars", params(("id" = i64, Path)), request_body = EvaluationInput,
    responses((status = 201, body = Evaluation), (status = 422, body = crate::error::ErrorBody)))]
pub async fn add_evaluation(State(st): State<AppState>, ApiUser(me): ApiUser, Authorized(e): Authorized<Exemplar>, ApiJson(i): ApiJson<EvaluationInput>) -> Created<Evaluation> {
    Ok((StatusCode::CREATED, Json(evaluations::add(&st.db, &me.actor(), &e, i).await?)))
}

#[utoipa::path(get, path = "/api/v1/exemplars/{id}/replications", tag = "exemplars", params(("id" = i64, Path)), responses((status = 200, body = Vec<Replication>)))]
pub async fn list_replications(State(st): State<AppState>, Authorized(e): Authorized<Exemplar>) -> ApiResult<Vec<Replication>> {
    Ok(Json(spread::replications(&st.db, e.id).await?))
}

#[utoipa::path(post, path = "/api/v1/exemplars/{id}/replications", tag = "exemplars", params(("id" = i64, Path)), request_body = ReplicationInput,
    responses((status = 201, body = Replication), (status = 422, body = crate::error::ErrorBody)))]
pub async fn add_replication(State(st): State<AppState>, ApiUser(me): ApiUser, Authorized(e): Authorized<Exemplar>, ApiJson(i): ApiJson<ReplicationInput>) -> Created<Replication> {
    Ok((StatusCode::CREATED, Json(spread::add_replication(&st.db, &me.actor(), &e, i).await?)))
}

#[utoipa::path(get, path = "/api/v1/exemplars/{id}/visits", tag = "exemplars", params(("id" = i64, Path)), responses((status = 200, body = Vec<StudyVisit>)))]
pub async fn list_visits(State(st): State<AppState>, Authorized(e): Authorized<Exemplar>) -> ApiResult<Vec<StudyVisit>> {
    Ok(Json(spread::visits(&st.db, e.id).await?))
}

#[utoipa::path(post, path = "/api/v1/exemplars/{id}/visits", tag = "exemplars", params(("id" = i64, Path)), request_body = StudyVisitInput,
    responses((status = 201, body = StudyVisit), (status = 422, body = crate::error::ErrorBody)))]
pub async fn add_visit(State(st): State<AppState>, ApiUser(me): ApiUser, Authorized(e): Authorized<Exemplar>, ApiJson(i): ApiJson<StudyVisitInput>) -> Created<StudyVisit> {
    Ok((StatusCode::CREATED, Json(spread::add_visit(&st.db, &me.actor(), &e, i).await?)))
}

/// Fields (lĩnh vực) managed by the bloc.
#[utoipa::path(get, path = "/api/v1/fields", tag = "exemplars", responses((status = 200, body = Vec<Named>)))]
pub async fn fields(State(st): State<AppState>, ApiUser(_me): ApiUser) -> ApiResult<Vec<Named>> {
    Ok(Json(exemplars::fields(&st.db).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct YearParams {
    pub year: Option<i64>,
}

/// Annual models of a year in the caller's subtrees.
#[utoipa::path(get, path = "/api/v1/models", tag = "models", params(YearParams), responses((status = 200, body = Vec<AnnualModel>)))]
pub async fn list_models(State(st): State<AppState>, ApiUser(me): ApiUser, ApiQuery(p): ApiQuery<YearParams>) -> ApiResult<Vec<AnnualModel>> {
    let year = p.year.unwrap_or_else(exemplars::current_year);
    Ok(Json(annual_models::for_year(&st.db, &me.scope(Action::View), year).await?))
}

/// Registers a TCCS's model of the year (waits for its cấp ủy's approval).
#[utoipa::path(post, path = "/api/v1/models", tag = "models", request_body = AnnualModelInput,
    responses((status = 201, body = AnnualModel), (status = 422, body = crate::error::ErrorBody)))]
pub async fn register_model(State(st): State<AppState>, ApiUser(me): ApiUser, ApiJson(i): ApiJson<AnnualModelInput>) -> Created<AnnualModel> {
    access::target(&st, &me, i.org_id, Action::EnterData).await?;
    Ok((StatusCode::CREATED, Json(annual_models::register(&st.db, &me.actor(), i).await?)))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct Decision {
    pub approve: bool,
    #[serde(default)]
    pub note: String,
    pub version: i64,
}

/// The cấp ủy approves or rejects a registered model.
#[utoipa::path(post, path = "/api/v1/models/{id}/decision", tag = "models", params(("id" = i64, Path)), request_body = Decision,
    responses((status = 200, body = AnnualModel), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn decide_model(State(st): State<AppState>, ApiUser(me): ApiUser, Authorized(m): Authorized<AnnualModel>, ApiJson(d): ApiJson<Decision>) -> ApiResult<AnnualModel> {
    Ok(Json(annual_models::decide(&st.db, &me.actor(), m.id, d.version, d.approve, &d.note).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewField {
    pub name: String,
}

/// Adds a field (lĩnh vực); for the bloc's guiding bodies.
#[utoipa::path(post, path = "/api/v1/fields", tag = "catalog", request_body = NewField, responses((status = 201, body = Named), (status = 403, body = crate::error::ErrorBody)))]
pub async fn add_field(State(st): State<AppState>, ApiUser(me): ApiUser, ApiJson(f): ApiJson<NewField>) -> Created<Named> {
    Ok((StatusCode::CREATED, Json(exemplars::create_field(&st.db, &me.actor(), &f.name).await?)))
}

/// Movements the caller's exemplars can join (launched at their node or above).
#[utoipa::path(get, path = "/api/v1/movements", tag = "catalog", responses((status = 200, body = Vec<Named>)))]
pub async fn movements(State(st): State<AppState>, ApiUser(me): ApiUser) -> ApiResult<Vec<Named>> {
    Ok(Json(exemplars::movements_for(&st.db, &dienhinh_domain::OrgPath(me.user.org_path.clone())).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewMovement {
    pub org_id: i64,
    pub name: String,
    #[serde(default)]
    pub launched_by: String,
    pub year_from: i64,
    pub year_to: Option<i64>,
}

#[utoipa::path(post, path = "/api/v1/movements", tag = "catalog", request_body = NewMovement, responses((status = 201, body = Named), (status = 422, body = crate::error::ErrorBody)))]
pub async fn add_movement(State(st): State<AppState>, ApiUser(me): ApiUser, ApiJson(m): ApiJson<NewMovement>) -> Created<Named> {
    let org = access::target(&st, &me, m.org_id, Action::Guide).await?;
    Ok((StatusCode::CREATED, Json(exemplars::create_movement(&st.db, &me.actor(), org.id, &m.name, &m.launched_by, (m.year_from, m.year_to)).await?)))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewCriteriaSet {
    /// The TCCS adding its sector criteria (needs the cấp ủy there).
    pub org_id: i64,
    pub name: String,
    pub period_from: i64,
    pub period_to: i64,
    pub criteria: Vec<dienhinh_store::plans::Criterion>,
}

/// A TCCS's own criteria for its sector (plan IV.1), versioned by period.
#[utoipa::path(post, path = "/api/v1/criteria-sets", tag = "catalog", request_body = NewCriteriaSet,
    responses((status = 201, body = dienhinh_store::plans::CriteriaSet), (status = 422, body = crate::error::ErrorBody)))]
pub async fn add_criteria_set(State(st): State<AppState>, ApiUser(me): ApiUser, ApiJson(c): ApiJson<NewCriteriaSet>) -> Created<dienhinh_store::plans::CriteriaSet> {
    let org = access::target(&st, &me, c.org_id, Action::ApproveUnit).await?;
    let plan_id = dienhinh_store::plans::plans_for(&st.db, &org.path).await?.into_iter().find(|p| p.org_id == org.id).map(|p| p.id);
    let set = dienhinh_store::plans::create_criteria_set(&st.db, &me.actor(), org.id, plan_id, &c.name, (c.period_from, c.period_to), &c.criteria).await?;
    Ok((StatusCode::CREATED, Json(set)))
}
