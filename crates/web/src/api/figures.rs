//! Every figure of a node over a period (`store::figures::for_period`):
//! what the dashboard draws and the review report freezes.

use super::ApiQuery;
use crate::auth::ApiUser;
use crate::error::{ApiError, ApiResult};
use crate::pages::dashboard::{default_period, node_for};
use crate::AppState;
use axum::extract::State;
use axum::Json;
use dienhinh_domain::period::Period;
use dienhinh_store::figures::{self, PeriodFigures};
use serde::Deserialize;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeriodParams {
    /// The node (default: the root of the caller's first subtree). A node
    /// outside the caller's scope is answered as a missing one (404).
    pub node: Option<i64>,
    /// First year (default: 2022; alone, that one year).
    pub from: Option<i64>,
    /// Last year (default: this year; not before `from`).
    pub to: Option<i64>,
}

/// The figures of a node over a period, each with the list filter that
/// selects what it counts.
#[utoipa::path(get, path = "/api/v1/figures", tag = "figures", params(PeriodParams),
    responses((status = 200, body = PeriodFigures), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 422, description = "A year out of range or the end before the start (`from`/`to`)", body = crate::error::ErrorBody)))]
pub async fn period(State(st): State<AppState>, ApiUser(me): ApiUser, ApiQuery(p): ApiQuery<PeriodParams>) -> ApiResult<PeriodFigures> {
    let node = node_for(&st, &me, p.node).await?;
    let show = |y: Option<i64>| y.map(|y| y.to_string()).unwrap_or_default();
    let period = Period::parse(&show(p.from), &show(p.to), default_period(), dienhinh_domain::clock::current_year()).map_err(ApiError::invalid)?;
    Ok(Json(figures::for_period(&st.db, &node, period).await?))
}
