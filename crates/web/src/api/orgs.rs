use super::{ApiJson, ApiQuery};
use crate::access::{self, Authorized};
use crate::auth::ApiUser;
use crate::error::{ApiError, ApiResult};
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use dienhinh_domain::Action;
use dienhinh_store::orgs::{self, Org, OrgFilter, OrgInput};
use serde::Deserialize;
use dienhinh_domain::order::OrgOrder;

super::list_page!(OrgPage, Org);

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrgListParams {
    /// Text to find in the name (diacritics and case ignored).
    pub q: Option<String>,
    /// Kind code: tinh_uy, dang_uy_khoi, ban, tccs, chi_bo, don_vi, doan_the.
    pub kind: Option<String>,
    /// The order (a code; absent: the list's default).
    pub sort: Option<String>,
    /// The page before this cursor (a page's `prev`), instead of `cursor`.
    pub before: Option<String>,
    pub cursor: Option<String>,
    /// Page size, 1–200 (default 50).
    pub limit: Option<i64>,
}

/// Organisations in the caller's subtrees, in Vietnamese name order unless `sort` asks otherwise.
#[utoipa::path(get, path = "/api/v1/orgs", tag = "orgs", params(OrgListParams),
    responses((status = 200, body = OrgPage), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list(State(st): State<AppState>, ApiUser(me): ApiUser, ApiQuery(p): ApiQuery<OrgListParams>) -> ApiResult<OrgPage> {
    let asked = super::ordered::<OrgOrder>(p.sort, p.limit, p.cursor, p.before)?;
    let kind = super::code_in::<dienhinh_domain::OrgKind>("kind", p.kind)?;
    OrgPage::listed(orgs::listing(&st.db, &OrgFilter { within: me.scope(Action::View), kind, q: p.q, cursor: None, limit: None }, asked.order, asked.at()).await?)
}

/// One organisation.
#[utoipa::path(get, path = "/api/v1/orgs/{id}", tag = "orgs", params(("id" = i64, Path)),
    responses((status = 200, body = Org), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get(Authorized(org): Authorized<Org>) -> ApiResult<Org> {
    Ok(Json(org))
}

/// Creates a node under `parent_id` (needs the right to manage organisations there).
#[utoipa::path(post, path = "/api/v1/orgs", tag = "orgs", request_body = OrgInput,
    responses((status = 201, body = Org), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create(State(st): State<AppState>, ApiUser(me): ApiUser, ApiJson(input): ApiJson<OrgInput>) -> Result<(StatusCode, Json<Org>), ApiError> {
    let Some(pid) = input.parent_id else {
        return Err(ApiError::forbidden());
    };
    access::target(&st, &me, pid, Action::ManageOrgs).await?;
    let org = orgs::create(&st.db, &me.actor(), input).await?;
    Ok((StatusCode::CREATED, Json(org)))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct OrgUpdate {
    /// The version read; a stale version is refused with 409 `conflict`.
    pub version: i64,
    pub kind: String,
    pub name: String,
    #[serde(default)]
    pub short_name: String,
}

/// Renames or re-kinds a node (optimistic concurrency on `version`).
#[utoipa::path(put, path = "/api/v1/orgs/{id}", tag = "orgs", params(("id" = i64, Path)), request_body = OrgUpdate,
    responses((status = 200, body = Org), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn update(State(st): State<AppState>, ApiUser(me): ApiUser, Authorized(org): Authorized<Org>, ApiJson(u): ApiJson<OrgUpdate>) -> ApiResult<Org> {
    let input = OrgInput { parent_id: org.parent_id, kind: u.kind, name: u.name, short_name: u.short_name };
    Ok(Json(orgs::update(&st.db, &me.actor(), org.id, u.version, input).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct OrgMoveInput {
    pub parent_id: i64,
    pub version: i64,
}

/// Moves a node and its subtree under a new parent; the move is kept in its history.
#[utoipa::path(post, path = "/api/v1/orgs/{id}/move", tag = "orgs", params(("id" = i64, Path)), request_body = OrgMoveInput,
    responses((status = 200, body = Org), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn move_to(State(st): State<AppState>, ApiUser(me): ApiUser, Authorized(org): Authorized<Org>, ApiJson(m): ApiJson<OrgMoveInput>) -> ApiResult<Org> {
    access::target(&st, &me, m.parent_id, Action::ManageOrgs).await?;
    Ok(Json(orgs::move_to(&st.db, &me.actor(), org.id, m.version, m.parent_id).await?))
}
