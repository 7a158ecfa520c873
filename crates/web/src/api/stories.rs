//! Stories for the portal and their editorial workflow.

use super::{ApiJson, ApiQuery, Created};
use crate::access::{self, Authorized};
use crate::auth::ApiUser;
use crate::error::ApiResult;
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use dienhinh_domain::story::{Checklist, StoryInput, StoryStatus, StoryStep};
use dienhinh_domain::Action;
use dienhinh_store::stories::{self, StepRequest, Story};
use serde::Deserialize;
use dienhinh_domain::order::StoryOrder;

super::list_page!(
    /// A page of stories, newest first.
    StoryPage,
    Story
);

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StoryParams {
    /// A status code.
    pub status: Option<String>,
    /// The order (a code; absent: the list's default).
    pub sort: Option<String>,
    /// The page before this cursor (a page's `prev`), instead of `cursor`.
    pub before: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

/// Stories in the caller's subtrees, newest first unless `sort` asks otherwise.
#[utoipa::path(get, path = "/api/v1/stories", tag = "stories", params(StoryParams),
    responses((status = 200, body = StoryPage), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list(State(st): State<AppState>, ApiUser(me): ApiUser, ApiQuery(p): ApiQuery<StoryParams>) -> ApiResult<StoryPage> {
    let asked = super::ordered::<StoryOrder>(p.sort, p.limit, p.cursor, p.before)?;
    let status = super::code_in::<StoryStatus>("status", p.status)?;
    StoryPage::listed(stories::listing(&st.db, &me.scope(Action::View), status.as_deref().and_then(StoryStatus::from_code), asked.order, asked.at()).await?)
}

#[utoipa::path(get, path = "/api/v1/stories/{id}", tag = "stories", params(("id" = i64, Path)),
    responses((status = 200, body = Story), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get(Authorized(s): Authorized<Story>) -> ApiResult<Story> {
    Ok(Json(s))
}

/// A new draft at a unit where the caller enters data.
#[utoipa::path(post, path = "/api/v1/stories", tag = "stories", request_body = StoryInput,
    responses((status = 201, body = Story), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create(State(st): State<AppState>, ApiUser(me): ApiUser, ApiJson(mut i): ApiJson<StoryInput>) -> Created<Story> {
    access::target(&st, &me, i.org_id, Action::EnterData).await?;
    i.exemplar_ids = access::seen_exemplars(&st, &me, &i.exemplar_ids).await?;
    Ok((StatusCode::CREATED, Json(stories::create(&st.db, &me.actor(), i).await?)))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct StoryUpdate {
    pub version: i64,
    #[serde(flatten)]
    pub input: StoryInput,
}

/// Edits a draft, a returned or an unpublished story (its unit stays).
#[utoipa::path(put, path = "/api/v1/stories/{id}", tag = "stories", params(("id" = i64, Path)), request_body = StoryUpdate,
    responses((status = 200, body = Story), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn update(State(st): State<AppState>, ApiUser(me): ApiUser, Authorized(s): Authorized<Story>, ApiJson(mut u): ApiJson<StoryUpdate>) -> ApiResult<Story> {
    u.input.exemplar_ids = access::seen_exemplars(&st, &me, &u.input.exemplar_ids).await?;
    u.input.org_id = s.org_id;
    Ok(Json(stories::update(&st.db, &me.actor(), s.id, u.version, u.input).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct Submit {
    pub version: i64,
}

/// The writer sends the story to the editors.
#[utoipa::path(post, path = "/api/v1/stories/{id}/submit", tag = "stories", params(("id" = i64, Path)), request_body = Submit,
    responses((status = 200, body = Story), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn submit(State(st): State<AppState>, ApiUser(me): ApiUser, Authorized(s): Authorized<Story>, ApiJson(b): ApiJson<Submit>) -> ApiResult<Story> {
    let req = StepRequest { version: b.version, ..Default::default() };
    Ok(Json(stories::step(&st.db, &me.actor(), &me.assignments, s.id, StoryStep::GuiDuyet, &req).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct Review {
    pub version: i64,
    /// dang (publish now), hen_dang (schedule at `publish_at`), tra_lai (return with `note`)
    pub decision: String,
    #[serde(default)]
    pub checklist: Checklist,
    #[serde(default)]
    pub note: String,
    /// When to publish (ms since the epoch), for `hen_dang`.
    pub publish_at: Option<i64>,
}

/// The editor publishes (every checklist item ticked, every exemplar
/// publishable), schedules, or returns the story with comments.
#[utoipa::path(post, path = "/api/v1/stories/{id}/review", tag = "stories", params(("id" = i64, Path)), request_body = Review,
    responses((status = 200, body = Story), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn review(State(st): State<AppState>, ApiUser(me): ApiUser, Authorized(s): Authorized<Story>, ApiJson(b): ApiJson<Review>) -> ApiResult<Story> {
    let step = match b.decision.as_str() {
        "dang" => StoryStep::Dang,
        "hen_dang" => StoryStep::HenDang,
        "tra_lai" => StoryStep::TraLai,
        _ => {
            let mut inv = dienhinh_domain::Invalid::new();
            inv.add("decision", "invalid", "Quyết định phải là dang, hen_dang hoặc tra_lai.");
            return Err(crate::error::ApiError::invalid(inv));
        }
    };
    let req = StepRequest { version: b.version, checklist: b.checklist, note: b.note, publish_at: b.publish_at };
    Ok(Json(stories::step(&st.db, &me.actor(), &me.assignments, s.id, step, &req).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct Unpublish {
    pub version: i64,
    /// Why it is taken down (required).
    pub reason: String,
}

/// Takes a published story off the portal, with the reason.
#[utoipa::path(post, path = "/api/v1/stories/{id}/unpublish", tag = "stories", params(("id" = i64, Path)), request_body = Unpublish,
    responses((status = 200, body = Story), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn unpublish(State(st): State<AppState>, ApiUser(me): ApiUser, Authorized(s): Authorized<Story>, ApiJson(b): ApiJson<Unpublish>) -> ApiResult<Story> {
    let req = StepRequest { version: b.version, note: b.reason, ..Default::default() };
    Ok(Json(stories::step(&st.db, &me.actor(), &me.assignments, s.id, StoryStep::Go, &req).await?))
}
