use super::{opt_id, render};
use crate::auth::Signed;
use crate::error::{PageError, PageResult};
use crate::view::{datetime, Chrome};
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use dienhinh_domain::Action;
use dienhinh_store::audit::{self, AuditFilter};
use serde::Deserialize;

pub fn action_label(action: &str) -> &'static str {
    match action {
        "create" => "Tạo mới",
        "update" => "Sửa",
        "move" => "Chuyển cấp",
        "password" => "Đổi mật khẩu",
        "sign_in" => "Đăng nhập",
        "transition" => "Chuyển bước",
        _ => "Khác",
    }
}

pub const ENTITIES: &[(&str, &str)] =
    &[("org", "Tổ chức"), ("user", "Người dùng"), ("plan", "Kế hoạch"), ("criteria_set", "Bộ tiêu chí"), ("api_token", "Mã truy cập API")];

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
    entities: &'static [(&'static str, &'static str)],
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

/// `YYYY-MM-DD` in Vietnam time → milliseconds at the start (or end) of that day.
pub fn day_bound_ms(date: &str, end: bool) -> Option<i64> {
    let d = time::Date::parse(date.trim(), time::macros::format_description!("[year]-[month]-[day]")).ok()?;
    let t = if end { time::Time::from_hms(23, 59, 59).ok()? } else { time::Time::MIDNIGHT };
    let dt = time::PrimitiveDateTime::new(d, t).assume_offset(time::macros::offset!(+7));
    Some(dt.unix_timestamp() * 1000 + if end { 999 } else { 0 })
}

pub async fn list(State(st): State<AppState>, Signed(me): Signed, Query(q): Query<AuditQuery>) -> PageResult {
    let scope = me.scope(Action::ViewAudit);
    if scope.is_empty() {
        return Err(PageError::forbidden());
    }
    let mut error = String::new();
    let from = if q.from.is_empty() { None } else { day_bound_ms(&q.from, false) };
    let to = if q.to.is_empty() { None } else { day_bound_ms(&q.to, true) };
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
    };
    let page = audit::list(&st.db, &f).await?;
    let entries = page
        .items
        .into_iter()
        .map(|e| Row {
            at: datetime(e.at),
            actor: e.actor,
            action: action_label(&e.action),
            entity: ENTITIES.iter().find(|(c, _)| *c == e.entity).map(|(_, l)| l.to_string()).unwrap_or(e.entity),
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
        entities: ENTITIES,
        entity: q.entity,
        entity_id: q.entity_id,
        actor_id: q.actor_id,
        from: q.from,
        to: q.to,
        error,
    })
}
