//! Review reports (sơ kết, tổng kết) and the aggregate of a node.

use super::{ApiJson, ApiQuery, Created};
use crate::access::{self, Authorized};
use crate::auth::ApiUser;
use crate::error::{ApiError, ApiResult};
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use dienhinh_domain::order::ReviewOrder;
use dienhinh_domain::period::Period;
use dienhinh_domain::review::{ReviewInput, ReviewStatus, ReviewStep};
use dienhinh_domain::Action;
use dienhinh_store::figures::FigureTable;
use dienhinh_store::reviews::{self, Aggregate, NarrativeInput, Review, ReviewFilter, ShownDifference, ReviewStepRecord};
use serde::{Deserialize, Serialize};

super::list_page!(
    /// A page of review reports.
    ReviewPage,
    Review
);

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReviewParams {
    /// Only reports of exactly this period: its first year (alone: that one year).
    pub from: Option<i64>,
    /// Its last year.
    pub to: Option<i64>,
    /// A status code.
    pub status: Option<String>,
    /// The order (a code; absent: newest period first).
    pub sort: Option<String>,
    /// The page before this cursor (a page's `prev`), instead of `cursor`.
    pub before: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

fn year(y: Option<i64>) -> String {
    y.map(|y| y.to_string()).unwrap_or_default()
}

/// Reports in the caller's subtrees.
#[utoipa::path(get, path = "/api/v1/reviews", tag = "reviews", params(ReviewParams),
    responses((status = 200, body = ReviewPage), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn list(State(st): State<AppState>, ApiUser(me): ApiUser, ApiQuery(p): ApiQuery<ReviewParams>) -> ApiResult<ReviewPage> {
    let asked = super::ordered::<ReviewOrder>(p.sort, p.limit, p.cursor, p.before)?;
    let status = super::code_in::<ReviewStatus>("status", p.status)?;
    let period = match (p.from, p.to) {
        (None, None) => None,
        _ => Some(Period::parse(&year(p.from), &year(p.to), Period::programme(), dienhinh_domain::clock::current_year()).map_err(ApiError::invalid)?),
    };
    let filter = ReviewFilter { within: me.scope(Action::View), period, status: status.as_deref().and_then(ReviewStatus::from_code), ..Default::default() };
    ReviewPage::listed(reviews::listing(&st.db, &filter, asked.order, asked.at()).await?)
}

/// A report with its figures (frozen once sent, else counted now), what
/// changed since it was sent, and its history.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ReviewDetail {
    pub report: Review,
    /// The figures are the ones frozen when it was sent.
    pub frozen: bool,
    pub figures: Vec<FigureTable>,
    /// Figures whose count now differs from the frozen one.
    pub differences: Vec<ShownDifference>,
    pub history: Vec<ReviewStepRecord>,
}

async fn detail(st: &AppState, r: Review) -> ApiResult<ReviewDetail> {
    let org = dienhinh_store::orgs::get(&st.db, r.org_id).await?;
    let now = dienhinh_store::figures::for_period(&st.db, &org, r.period()).await?;
    let (figures, differences) = if r.status.frozen() {
        let frozen = reviews::frozen(&st.db, r.id).await?;
        (reviews::frozen_tables(&frozen), reviews::differences(&frozen, &now))
    } else {
        (now.tables, vec![])
    };
    let history = reviews::steps(&st.db, r.id).await?;
    Ok(Json(ReviewDetail { frozen: r.status.frozen(), report: r, figures, differences, history }))
}

#[utoipa::path(get, path = "/api/v1/reviews/{id}", tag = "reviews", params(("id" = i64, Path)),
    responses((status = 200, body = ReviewDetail), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get(State(st): State<AppState>, Authorized(r): Authorized<Review>) -> ApiResult<ReviewDetail> {
    detail(&st, r).await
}

/// Drafts the report of a TCCS where the caller enters data, for a period
/// (one per TCCS and period).
#[utoipa::path(post, path = "/api/v1/reviews", tag = "reviews", request_body = ReviewInput,
    responses((status = 201, body = Review), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create(State(st): State<AppState>, ApiUser(me): ApiUser, ApiJson(i): ApiJson<ReviewInput>) -> Created<Review> {
    access::target(&st, &me, i.org_id, Action::EnterData).await?;
    Ok((StatusCode::CREATED, Json(reviews::create(&st.db, &me.actor(), i).await?)))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ReviewUpdate {
    pub version: i64,
    #[serde(flatten)]
    pub narrative: NarrativeInput,
}

/// Rewrites the narrative of a draft or returned report.
#[utoipa::path(put, path = "/api/v1/reviews/{id}", tag = "reviews", params(("id" = i64, Path)), request_body = ReviewUpdate,
    responses((status = 200, body = Review), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn update(State(st): State<AppState>, ApiUser(me): ApiUser, Authorized(r): Authorized<Review>, ApiJson(u): ApiJson<ReviewUpdate>) -> ApiResult<Review> {
    Ok(Json(reviews::edit(&st.db, &me.actor(), r.id, u.version, &u.narrative).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct StepBody {
    pub version: i64,
    /// Required to return a report.
    #[serde(default)]
    pub comment: String,
}

async fn take(st: &AppState, me: &crate::auth::AuthUser, r: Review, step: ReviewStep, b: StepBody) -> ApiResult<Review> {
    Ok(Json(reviews::step(&st.db, &me.actor(), &me.assignments, r.id, b.version, step, &b.comment).await?))
}

/// The TCCS's cấp ủy sends the report: its figures are frozen and it is numbered.
#[utoipa::path(post, path = "/api/v1/reviews/{id}/submit", tag = "reviews", params(("id" = i64, Path)), request_body = StepBody,
    responses((status = 200, body = Review), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn submit(State(st): State<AppState>, ApiUser(me): ApiUser, Authorized(r): Authorized<Review>, ApiJson(b): ApiJson<StepBody>) -> ApiResult<Review> {
    take(&st, &me, r, ReviewStep::Submit, b).await
}

/// The bloc returns a sent report with comments.
#[utoipa::path(post, path = "/api/v1/reviews/{id}/return", tag = "reviews", params(("id" = i64, Path)), request_body = StepBody,
    responses((status = 200, body = Review), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn send_back(State(st): State<AppState>, ApiUser(me): ApiUser, Authorized(r): Authorized<Review>, ApiJson(b): ApiJson<StepBody>) -> ApiResult<Review> {
    take(&st, &me, r, ReviewStep::Return, b).await
}

/// The bloc accepts a sent report.
#[utoipa::path(post, path = "/api/v1/reviews/{id}/accept", tag = "reviews", params(("id" = i64, Path)), request_body = StepBody,
    responses((status = 200, body = Review), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn accept(State(st): State<AppState>, ApiUser(me): ApiUser, Authorized(r): Authorized<Review>, ApiJson(b): ApiJson<StepBody>) -> ApiResult<Review> {
    take(&st, &me, r, ReviewStep::Accept, b).await
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AggregateParams {
    /// The node (default: the root of the caller's first subtree). A node
    /// outside the caller's scope is answered as a missing one (404).
    pub node: Option<i64>,
    /// First year (default: last year; alone, that one year).
    pub from: Option<i64>,
    /// Last year (not before `from`).
    pub to: Option<i64>,
}

/// The TCCS under a node and where their reports for the period stand, the
/// node's figures and those of the period of the same length before.
#[utoipa::path(get, path = "/api/v1/reviews/aggregate", tag = "reviews", params(AggregateParams),
    responses((status = 200, body = Aggregate), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody),
        (status = 422, description = "A year out of range or the end before the start (`from`/`to`)", body = crate::error::ErrorBody)))]
pub async fn aggregate(State(st): State<AppState>, ApiUser(me): ApiUser, ApiQuery(p): ApiQuery<AggregateParams>) -> ApiResult<Aggregate> {
    let node = crate::pages::dashboard::node_for(&st, &me, p.node).await?;
    let period = Period::parse(&year(p.from), &year(p.to), crate::pages::reviews::default_period(), dienhinh_domain::clock::current_year()).map_err(ApiError::invalid)?;
    Ok(Json(reviews::aggregate(&st.db, &node, period).await?))
}
