use super::{opt_id, render};
use crate::auth::Signed;
use crate::error::{PageError, PageResult};
use crate::view::{datetime, Chrome};
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use dienhinh_domain::{clock, Action, RecordKind};
use dienhinh_store::audit::{self, AuditFilter};
use serde::Deserialize;


pub struct Row {
    pub at: String,
    pub actor: String,
    pub action: &'static str,
    pub entity: String,
    pub entity_id: String,
    pub summary: String,
    pub detail: String,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    chrome: Chrome,
    entries: Vec<Row>,
    next: Option<String>,
    next_href: String,
    entities: Vec<crate::view::Choice>,
    entity: String,
    entity_id: String,
    actor_id: String,
    from: String,
    to: String,
    error: String,
}

#[derive(Deserialize, Default, serde::Serialize)]
pub struct AuditQuery {
    #[serde(default)]
    entity: String,
    #[serde(default)]
    entity_id: String,
    #[serde(default)]
    actor_id: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default, skip_serializing)]
    cursor: Option<String>,
}


pub async fn list(State(st): State<AppState>, Signed(me): Signed, Query(q): Query<AuditQuery>) -> PageResult {
    let scope = me.scope(Action::ViewAudit);
    if scope.is_empty() {
        return Err(PageError::forbidden());
    }
    let mut error = String::new();
    let from = if q.from.is_empty() { None } else { clock::day_bounds_ms(&q.from, false) };
    let to = if q.to.is_empty() { None } else { clock::day_bounds_ms(&q.to, true) };
    if (!q.from.is_empty() && from.is_none()) || (!q.to.is_empty() && to.is_none()) {
        error = "Ngày không hợp lệ; hãy chọn ngày theo dạng ngày/tháng/năm.".into();
    }
    let f = AuditFilter {
        entity: Some(q.entity.clone()).filter(|e| !e.is_empty()),
        entity_id: opt_id(&q.entity_id),
        actor_id: opt_id(&q.actor_id),
        from,
        to,
        within: scope,
        cursor: q.cursor.clone(),
        limit: Some(50),
        ..Default::default()
    };
    let page = audit::list(&st.db, &f).await?;
    let entries = page
        .items
        .into_iter()
        .map(|e| Row {
            at: datetime(e.at),
            actor: e.actor,
            action: e.action.label(),
            entity: e.entity.label().to_string(),
            entity_id: e.entity_id.map(|i| i.to_string()).unwrap_or_default(),
            summary: e.summary,
            detail: match (&e.before, &e.after) {
                (None, None) => String::new(),
                (b, a) => format!("Trước: {}\nSau: {}", b.as_deref().unwrap_or("—"), a.as_deref().unwrap_or("—")),
            },
        })
        .collect();
    let next_href = format!(
        "/audit?{}&cursor=",
        serde_urlencoded::to_string(&q).unwrap_or_default()
    );
    render(&AuditPage {
        chrome: Chrome::new("Nhật ký", &me, "/audit"),
        entries,
        next: page.next,
        next_href,
        entities: crate::view::coded::<RecordKind>(),
        entity: q.entity,
        entity_id: q.entity_id,
        actor_id: q.actor_id,
        from: q.from,
        to: q.to,
        error,
    })
}
