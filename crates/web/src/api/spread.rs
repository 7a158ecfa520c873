//! Spread of an exemplar: units that replicated it and study visits.

use super::{ApiJson, Created};
use crate::access::{self, Authorized};
use crate::auth::ApiUser;
use crate::error::ApiResult;
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use dienhinh_store::exemplars::Exemplar;
use dienhinh_store::spread::{self, Replication, ReplicationInput, StudyVisit, StudyVisitInput};

super::list_page!(ReplicationList, Replication);
super::list_page!(VisitList, StudyVisit);

#[utoipa::path(get, path = "/api/v1/exemplars/{id}/replications", tag = "exemplars", params(("id" = i64, Path)), responses((status = 200, body = ReplicationList)))]
pub async fn list_replications(State(st): State<AppState>, Authorized(e): Authorized<Exemplar>) -> ApiResult<ReplicationList> {
    Ok(ReplicationList::all(spread::replications(&st.db, e.id).await?))
}

#[utoipa::path(post, path = "/api/v1/exemplars/{id}/replications", tag = "exemplars", params(("id" = i64, Path)), request_body = ReplicationInput,
    responses((status = 201, body = Replication), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn add_replication(State(st): State<AppState>, ApiUser(me): ApiUser, Authorized(e): Authorized<Exemplar>, ApiJson(mut i): ApiJson<ReplicationInput>) -> Created<Replication> {
    i.adopter_org_id = access::seen_org(&st, &me, i.adopter_org_id).await?;
    Ok((StatusCode::CREATED, Json(spread::add_replication(&st.db, &me.actor(), e.id, i).await?)))
}

#[utoipa::path(get, path = "/api/v1/exemplars/{id}/visits", tag = "exemplars", params(("id" = i64, Path)), responses((status = 200, body = VisitList)))]
pub async fn list_visits(State(st): State<AppState>, Authorized(e): Authorized<Exemplar>) -> ApiResult<VisitList> {
    Ok(VisitList::all(spread::visits(&st.db, e.id).await?))
}

#[utoipa::path(post, path = "/api/v1/exemplars/{id}/visits", tag = "exemplars", params(("id" = i64, Path)), request_body = StudyVisitInput,
    responses((status = 201, body = StudyVisit), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn add_visit(State(st): State<AppState>, ApiUser(me): ApiUser, Authorized(e): Authorized<Exemplar>, ApiJson(i): ApiJson<StudyVisitInput>) -> Created<StudyVisit> {
    Ok((StatusCode::CREATED, Json(spread::add_visit(&st.db, &me.actor(), e.id, i).await?)))
}
