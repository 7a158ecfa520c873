//! Fostering plans of an exemplar (plan III.2): what support, by whom, by when.

use super::{ApiJson, Created};
use crate::access::Authorized;
use crate::auth::ApiUser;
use crate::error::ApiResult;
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use dienhinh_store::exemplars::Exemplar;
use dienhinh_store::fostering::{self, FosteringInput, FosteringItem};

super::list_page!(FosteringList, FosteringItem);

#[utoipa::path(get, path = "/api/v1/exemplars/{id}/fostering", tag = "exemplars", params(("id" = i64, Path)), responses((status = 200, body = FosteringList)))]
pub async fn list_fostering(State(st): State<AppState>, Authorized(e): Authorized<Exemplar>) -> ApiResult<FosteringList> {
    Ok(FosteringList::all(fostering::for_exemplar(&st.db, e.id).await?))
}

#[utoipa::path(post, path = "/api/v1/exemplars/{id}/fostering", tag = "exemplars", params(("id" = i64, Path)), request_body = FosteringInput,
    responses((status = 201, body = FosteringItem), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn add_fostering(State(st): State<AppState>, ApiUser(me): ApiUser, Authorized(e): Authorized<Exemplar>, ApiJson(i): ApiJson<FosteringInput>) -> Created<FosteringItem> {
    Ok((StatusCode::CREATED, Json(fostering::add(&st.db, &me.actor(), e.id, i).await?)))
}
