use super::ApiQuery;
use crate::auth::ApiUser;
use crate::error::{ApiError, ApiResult};
use crate::AppState;
use axum::extract::State;
use dienhinh_domain::Action;
use dienhinh_store::audit::{self, AuditEntry, AuditFilter};
use serde::Deserialize;
use dienhinh_domain::order::AuditOrder;

super::list_page!(AuditPage, AuditEntry, items_schema = Vec<Object>);

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditParams {
    /// Record type: org, user, plan, criteria_set, api_token …
    pub entity: Option<String>,
    pub entity_id: Option<i64>,
    pub actor_id: Option<i64>,
    /// Milliseconds since the epoch, inclusive.
    pub from: Option<i64>,
    pub to: Option<i64>,
    /// The order (a code; absent: the list's default).
    pub sort: Option<String>,
    /// The page before this cursor (a page's `prev`), instead of `cursor`.
    pub before: Option<String>,
    pub cursor: Option<String>,
    /// Page size, 1–200 (default 50).
    pub limit: Option<i64>,
}

/// The audit log within the caller's subtrees, newest first unless `sort` asks otherwise.
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditParams),
    responses((status = 200, body = AuditPage), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list(State(st): State<AppState>, ApiUser(me): ApiUser, ApiQuery(p): ApiQuery<AuditParams>) -> ApiResult<AuditPage> {
    let within = me.scope(Action::ViewAudit);
    if within.is_empty() {
        return Err(ApiError::forbidden());
    }
    let asked = super::ordered::<AuditOrder>(p.sort, p.limit, p.cursor, p.before)?;
    let entity = super::code_in::<dienhinh_domain::RecordKind>("entity", p.entity)?;
    let f = AuditFilter { entity, entity_id: p.entity_id, actor_id: p.actor_id, from: p.from, to: p.to, within, ..Default::default() };
    AuditPage::listed(audit::listing(&st.db, &f, asked.order, asked.at()).await?)
}
