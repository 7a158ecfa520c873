//! Annual models (plan V.1): registration by the TCCS, decision by its cấp ủy.

use super::{ApiJson, ApiQuery, Created};
use crate::access::{self, Authorized};
use crate::auth::ApiUser;
use crate::error::ApiResult;
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use dienhinh_domain::Action;
use dienhinh_store::annual_models::{self, AnnualModel, AnnualModelInput};
use dienhinh_store::exemplars;
use serde::Deserialize;

super::list_page!(ModelList, AnnualModel);

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YearParams {
    /// The year (default: this year), from 1945 to next year.
    pub year: Option<i64>,
}

/// Annual models of a year in the caller's subtrees.
#[utoipa::path(get, path = "/api/v1/models", tag = "models", params(YearParams), responses((status = 200, body = ModelList), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list_models(State(st): State<AppState>, ApiUser(me): ApiUser, ApiQuery(p): ApiQuery<YearParams>) -> ApiResult<ModelList> {
    let this_year = dienhinh_domain::clock::current_year();
    let year = super::year_in("year", p.year, exemplars::MIN_YEAR..=this_year + 1)?.unwrap_or(this_year);
    Ok(ModelList::all(annual_models::for_year(&st.db, &me.scope(Action::View), year).await?))
}

/// Registers a TCCS's model of the year (waits for its cấp ủy's approval).
#[utoipa::path(post, path = "/api/v1/models", tag = "models", request_body = AnnualModelInput,
    responses((status = 201, body = AnnualModel), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
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
    responses((status = 200, body = AnnualModel), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn decide_model(State(st): State<AppState>, ApiUser(me): ApiUser, Authorized(m): Authorized<AnnualModel>, ApiJson(d): ApiJson<Decision>) -> ApiResult<AnnualModel> {
    Ok(Json(annual_models::decide(&st.db, &me.actor(), m.id, d.version, d.approve, &d.note).await?))
}
