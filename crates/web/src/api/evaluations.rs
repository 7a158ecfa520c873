//! Evaluations of an exemplar against the criteria that apply at its node.

use super::{ApiJson, Created};
use crate::access::{self, Authorized};
use crate::auth::ApiUser;
use crate::error::ApiResult;
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use dienhinh_store::exemplars::Exemplar;
use dienhinh_store::evaluations::{self, Evaluation, EvaluationInput};

super::list_page!(EvaluationList, Evaluation);

#[utoipa::path(get, path = "/api/v1/exemplars/{id}/evaluations", tag = "exemplars", params(("id" = i64, Path)), responses((status = 200, body = EvaluationList)))]
pub async fn list_evaluations(State(st): State<AppState>, Authorized(e): Authorized<Exemplar>) -> ApiResult<EvaluationList> {
    Ok(EvaluationList::all(evaluations::for_exemplar(&st.db, e.id).await?))
}

/// Records an evaluation against a criteria set that applies to the
/// exemplar's node and whose period holds `period_year`. Every criterion of
/// the set that applies to the exemplar's kind needs a score, and one that
/// does not apply takes none; each such error names its criterion and
/// carries its id as `item`.
#[utoipa::path(post, path = "/api/v1/exemplars/{id}/evaluations", tag = "exemplars", params(("id" = i64, Path)), request_body = EvaluationInput,
    responses((status = 201, body = Evaluation), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn add_evaluation(State(st): State<AppState>, ApiUser(me): ApiUser, Authorized(e): Authorized<Exemplar>, ApiJson(mut i): ApiJson<EvaluationInput>) -> Created<Evaluation> {
    i.criteria_set_id = access::seen_criteria_set(&st, &me, i.criteria_set_id).await?;
    Ok((StatusCode::CREATED, Json(evaluations::add(&st.db, &me.actor(), e.id, i).await?)))
}
