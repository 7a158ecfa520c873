//! The programme's catalogue: fields and movements kept by the bloc, and
//! the sector criteria each TCCS adds under the plan (IV.1).

use super::{ApiJson, Created};
use crate::access;
use crate::auth::ApiUser;
use crate::error::ApiResult;
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use dienhinh_domain::Action;
use dienhinh_store::exemplars::{self, Named};
use serde::Deserialize;

super::list_page!(NamedList, Named);

/// Fields (lĩnh vực) managed by the bloc.
#[utoipa::path(get, path = "/api/v1/fields", tag = "catalog", responses((status = 200, body = NamedList)))]
pub async fn fields(State(st): State<AppState>, ApiUser(_me): ApiUser) -> ApiResult<NamedList> {
    Ok(NamedList::all(exemplars::fields(&st.db).await?))
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
#[utoipa::path(get, path = "/api/v1/movements", tag = "catalog", responses((status = 200, body = NamedList)))]
pub async fn movements(State(st): State<AppState>, ApiUser(me): ApiUser) -> ApiResult<NamedList> {
    Ok(NamedList::all(exemplars::movements_for(&st.db, &me.user.org_path).await?))
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

#[utoipa::path(post, path = "/api/v1/movements", tag = "catalog", request_body = NewMovement, responses((status = 201, body = Named), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
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
    responses((status = 201, body = dienhinh_store::plans::CriteriaSet), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn add_criteria_set(State(st): State<AppState>, ApiUser(me): ApiUser, ApiJson(c): ApiJson<NewCriteriaSet>) -> Created<dienhinh_store::plans::CriteriaSet> {
    let org = access::target(&st, &me, c.org_id, Action::ApproveUnit).await?;
    let plan_id = dienhinh_store::plans::plans_for(&st.db, &org.path).await?.into_iter().find(|p| p.org_id == org.id).map(|p| p.id);
    let set = dienhinh_store::plans::create_criteria_set(&st.db, &me.actor(), org.id, plan_id, &c.name, (c.period_from, c.period_to), &c.criteria).await?;
    Ok((StatusCode::CREATED, Json(set)))
}
