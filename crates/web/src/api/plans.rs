use crate::access::Authorized;
use crate::auth::ApiUser;
use crate::error::ApiResult;
use crate::AppState;
use axum::extract::State;
use axum::Json;
use super::ApiQuery;
use dienhinh_domain::Action;
use dienhinh_store::plans::{self, CriteriaSet, Plan, PlanFilter};
use serde::{Deserialize, Serialize};
use dienhinh_domain::order::PlanOrder;

super::list_page!(PlanList, Plan);

#[derive(Serialize, utoipa::ToSchema)]
pub struct PlanWithCriteria {
    pub plan: Plan,
    pub criteria_sets: Vec<CriteriaSet>,
}

super::list_page!(PlanPage, Plan);

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PlanListParams {
    /// The order (a code; absent: the list's default).
    pub sort: Option<String>,
    /// The page before this cursor (a page's `prev`), instead of `cursor`.
    pub before: Option<String>,
    pub cursor: Option<String>,
    /// Page size, 1–200 (default 50).
    pub limit: Option<i64>,
}

/// Plans the caller may read: those that bind their node (issued there or
/// above) and those issued inside the subtrees they view; newest issued first.
#[utoipa::path(get, path = "/api/v1/plans", tag = "plans", params(PlanListParams), responses((status = 200, body = PlanPage)))]
pub async fn list(State(st): State<AppState>, ApiUser(me): ApiUser, ApiQuery(p): ApiQuery<PlanListParams>) -> ApiResult<PlanPage> {
    let asked = super::ordered::<PlanOrder>(p.sort, p.limit, p.cursor, p.before)?;
    let f = PlanFilter { at: me.user.org_path.clone(), within: me.scope(Action::View), cursor: None, limit: None };
    PlanPage::listed(plans::listing(&st.db, &f, asked.order, asked.at()).await?)
}

#[utoipa::path(get, path = "/api/v1/plans/{id}", tag = "plans", params(("id" = i64, Path)),
    responses((status = 200, body = PlanWithCriteria), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get(State(st): State<AppState>, Authorized(plan): Authorized<Plan>) -> ApiResult<PlanWithCriteria> {
    let criteria_sets = plans::criteria_sets_for(&st.db, &plan.org_path).await?.into_iter().filter(|s| s.plan_id == Some(plan.id)).collect();
    Ok(Json(PlanWithCriteria { plan, criteria_sets }))
}
