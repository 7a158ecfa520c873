use crate::access::Authorized;
use crate::auth::ApiUser;
use crate::error::ApiResult;
use crate::AppState;
use axum::extract::State;
use axum::Json;
use dienhinh_store::plans::{self, CriteriaSet, Plan};
use serde::Serialize;

super::list_page!(PlanList, Plan);

#[derive(Serialize, utoipa::ToSchema)]
pub struct PlanWithCriteria {
    pub plan: Plan,
    pub criteria_sets: Vec<CriteriaSet>,
}

/// Plans that bind the caller's node (issued there or above).
#[utoipa::path(get, path = "/api/v1/plans", tag = "plans", responses((status = 200, body = PlanList)))]
pub async fn list(State(st): State<AppState>, ApiUser(me): ApiUser) -> ApiResult<PlanList> {
    Ok(PlanList::all(plans::plans_for(&st.db, &me.user.org_path).await?))
}

#[utoipa::path(get, path = "/api/v1/plans/{id}", tag = "plans", params(("id" = i64, Path)),
    responses((status = 200, body = PlanWithCriteria), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get(State(st): State<AppState>, Authorized(plan): Authorized<Plan>) -> ApiResult<PlanWithCriteria> {
    let criteria_sets = plans::criteria_sets_for(&st.db, &plan.org_path).await?.into_iter().filter(|s| s.plan_id == Some(plan.id)).collect();
    Ok(Json(PlanWithCriteria { plan, criteria_sets }))
}
