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
use super::listing::{Nav, Paging};
use dienhinh_domain::order::AuditOrder;


pub struct Row {
    pub at: String,
    pub actor: String,
    pub action: &'static str,
    pub entity: String,
    pub entity_id: String,
    pub summary: String,
    /// What changed (an update) or what was written (a creation), readable.
    pub changes: Vec<Change>,
    /// Whether `changes` compares a before with an after.
    pub compared: bool,
}

/// One field of a record as the log shows it: its label, and its value
/// before and after, in words.
pub struct Change {
    pub label: String,
    pub before: String,
    pub after: String,
}

/// A JSON value in words: codes through their code table, dates as
/// day/month/year, yes and no, lists of named things by their names.
fn words(kind: RecordKind, key: &str, v: &serde_json::Value) -> String {
    use serde_json::Value as J;
    match v {
        J::Null => "—".into(),
        J::Bool(b) => if *b { "Có" } else { "Không" }.into(),
        J::Number(n) => n.to_string(),
        J::String(s) if s.is_empty() => "—".into(),
        J::String(s) => match dienhinh_domain::record::code_label(kind, key, s) {
            Some(label) => label.into(),
            None => crate::view::date_iso_to_vn(s),
        },
        J::Array(items) if items.is_empty() => "—".into(),
        J::Array(items) => items.iter().map(|i| words(kind, key, i)).collect::<Vec<_>>().join("; "),
        J::Object(o) => {
            // A role at a unit, a criterion, a score, a named thing.
            let parts: Vec<String> = ["role", "code", "result", "name", "text", "org_name", "note"]
                .iter()
                .filter_map(|k| o.get(*k).filter(|v| !v.is_null() && v.as_str() != Some("")).map(|v| words(kind, k, v)))
                .collect();
            parts.join(" — ")
        }
    }
}

/// The fields of an entry's images worth reading: for an update those that
/// changed, for a creation those with a value (in the order of their keys).
fn changes(kind: RecordKind, before: Option<&str>, after: Option<&str>) -> (Vec<Change>, bool) {
    let parse = |s: Option<&str>| s.and_then(|s| serde_json::from_str::<serde_json::Value>(s).ok()).and_then(|v| v.as_object().cloned());
    let (b, a) = (parse(before), parse(after));
    let compared = b.is_some() && a.is_some();
    let keys: Vec<&String> = match (&a, &b) {
        (Some(a), _) => a.keys().collect(),
        (None, Some(b)) => b.keys().collect(),
        _ => vec![],
    };
    let null = serde_json::Value::Null;
    let out = keys
        .into_iter()
        .filter_map(|k| {
            let label = dienhinh_domain::record::field_label(kind, k)?;
            let bv = b.as_ref().and_then(|m| m.get(k)).unwrap_or(&null);
            let av = a.as_ref().and_then(|m| m.get(k)).unwrap_or(&null);
            if compared && bv == av {
                return None;
            }
            let (before, after) = (words(kind, k, bv), words(kind, k, av));
            if !compared && before == "—" && after == "—" {
                return None;
            }
            Some(Change { label: label.into(), before, after })
        })
        .collect();
    (out, compared)
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    chrome: Chrome,
    entries: Vec<Row>,
    nav: Nav,
    entities: Vec<crate::view::Choice>,
    entity: String,
    entity_id: String,
    actor_id: String,
    actor: String,
    signins: bool,
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
    /// Words of the person's full name.
    #[serde(default)]
    actor: String,
    /// "1" shows sign-ins as well (hidden by default).
    #[serde(default)]
    signins: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(flatten)]
    paging: Paging,
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
        actor_name: Some(q.actor.clone()).filter(|a| !a.trim().is_empty()),
        hide_signins: q.signins.is_empty(),
        from,
        to,
        within: scope,
        cursor: None,
        limit: None,
    };
    let order = q.paging.order::<AuditOrder>();
    let page = audit::listing(&st.db, &f, order.0, q.paging.at(50)).await?;
    let nav = q.paging.nav("/audit", &q, order, &page, "mục nhật ký");
    let entries = page
        .items
        .into_iter()
        .map(|e| {
            let (changes, compared) = changes(e.entity, e.before.as_deref(), e.after.as_deref());
            Row {
                at: datetime(e.at),
                actor: e.actor,
                action: e.action.label(),
                entity: e.entity.label().to_string(),
                entity_id: e.entity_id.map(|i| i.to_string()).unwrap_or_default(),
                summary: e.summary,
                changes,
                compared,
            }
        })
        .collect();
    render(&AuditPage {
        chrome: Chrome::new("Nhật ký", &me, "/audit"),
        entries,
        nav,
        entities: crate::view::coded::<RecordKind>(),
        entity: q.entity,
        entity_id: q.entity_id,
        actor_id: q.actor_id,
        actor: q.actor,
        signins: !q.signins.is_empty(),
        from: q.from,
        to: q.to,
        error,
    })
}
