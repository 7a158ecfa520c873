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

super::list_page!(PlanList, Plan);

#[derive(Serialize, utoipa::ToSchema)]
pub struct PlanWithCriteria {
    pub plan: Plan,
    pub criteria_sets: Vec<CriteriaSet>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct PlanPage {
    pub items: Vec<Plan>,
    /// Cursor of the next page (pass as `cursor`), absent on the last page.
    pub next: Option<String>,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PlanListParams {
    pub cursor: Option<String>,
    /// Page size, 1–200 (default 50).
    pub limit: Option<i64>,
}

/// Plans the caller may read: those that bind their node (issued there or
/// above) and those issued inside the subtrees they view; newest issued first.
#[utoipa::path(get, path = "/api/v1/plans", tag = "plans", params(PlanListParams), responses((status = 200, body = PlanPage)))]
pub async fn list(State(st): State<AppState>, ApiUser(me): ApiUser, ApiQuery(p): ApiQuery<PlanListParams>) -> ApiResult<PlanPage> {
    let (limit, cursor) = super::paging(p.limit, p.cursor)?;
    let page = plans::list(&st.db, &PlanFilter { at: me.user.org_path.clone(), within: me.scope(Action::View), cursor, limit }).await?;
    Ok(Json(PlanPage { items: page.items, next: page.next }))
}

#[utoipa::path(get, path = "/api/v1/plans/{id}", tag = "plans", params(("id" = i64, Path)),
    responses((status = 200, body = PlanWithCriteria), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get(State(st): State<AppState>, Authorized(plan): Authorized<Plan>) -> ApiResult<PlanWithCriteria> {
    let criteria_sets = plans::criteria_sets_for(&st.db, &plan.org_path).await?.into_iter().filter(|s| s.plan_id == Some(plan.id)).collect();
    Ok(Json(PlanWithCriteria { plan, criteria_sets }))
}
