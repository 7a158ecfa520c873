use super::{ApiJson, ApiQuery};
use crate::access::{self, Authorized};
use crate::auth::ApiUser;
use crate::error::{ApiError, ApiResult};
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use dienhinh_domain::Action;
use dienhinh_store::users::{self, NewUser, User, UserFilter};
use serde::Deserialize;
use dienhinh_domain::order::UserOrder;

super::list_page!(UserPage, User);

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserListParams {
    /// Text to find in the name or username (diacritics and case ignored).
    pub q: Option<String>,
    /// The order (a code; absent: the list's default).
    pub sort: Option<String>,
    /// The page before this cursor (a page's `prev`), instead of `cursor`.
    pub before: Option<String>,
    pub cursor: Option<String>,
    /// Page size, 1–200 (default 50).
    pub limit: Option<i64>,
}

/// The caller: account and roles.
#[utoipa::path(get, path = "/api/v1/me", tag = "users", responses((status = 200, body = User), (status = 401, body = crate::error::ErrorBody)))]
pub async fn me(ApiUser(me): ApiUser) -> ApiResult<User> {
    Ok(Json(me.user))
}

/// People working in the caller's subtrees, in Vietnamese name order unless `sort` asks otherwise.
#[utoipa::path(get, path = "/api/v1/users", tag = "users", params(UserListParams), responses((status = 200, body = UserPage), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list(State(st): State<AppState>, ApiUser(me): ApiUser, ApiQuery(p): ApiQuery<UserListParams>) -> ApiResult<UserPage> {
    let asked = super::ordered::<UserOrder>(p.sort, p.limit, p.cursor, p.before)?;
    UserPage::listed(users::listing(&st.db, &UserFilter { within: me.scope(Action::View), q: p.q, ..Default::default() }, asked.order, asked.at()).await?)
}

#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "users", params(("id" = i64, Path)),
    responses((status = 200, body = User), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get(Authorized(user): Authorized<User>) -> ApiResult<User> {
    Ok(Json(user))
}

/// Creates an account with one role at `org_id` (needs the right to manage users there).
#[utoipa::path(post, path = "/api/v1/users", tag = "users", request_body = NewUser,
    responses((status = 201, body = User), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create(State(st): State<AppState>, ApiUser(me): ApiUser, ApiJson(input): ApiJson<NewUser>) -> Result<(StatusCode, Json<User>), ApiError> {
    access::target(&st, &me, input.org_id, Action::ManageUsers).await?;
    let user = users::create(&st.db, &me.actor(), input).await?;
    Ok((StatusCode::CREATED, Json(user)))
}
