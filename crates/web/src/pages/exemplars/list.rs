//! The list of exemplars in the caller's subtrees, with filters.

use crate::form::{id, number};
use crate::view::coded;
use super::unit_choices;
use askama::Template;
use axum::extract::{Query, State};
use crate::AppState;
use crate::auth::Signed;
use crate::error::PageResult;
use crate::pages::render;
use crate::pages::shared::{Choice};
use crate::view::Chrome;
use dienhinh_domain::Action;
use dienhinh_domain::exemplar::{ExemplarKind, Level, ListOrder, Status};
use dienhinh_store::exemplars::{self, Exemplar, ExemplarFilter, Named};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "exemplars_list.html")]
struct ListPage {
    chrome: Chrome,
    items: Vec<Exemplar>,
    next_href: Option<String>,
    prev_href: Option<String>,
    /// How many the filters select, in words ("hơn 10.000" past the cap).
    total: String,
    /// The order chosen, and those offered.
    sort: String,
    orders: Vec<Choice>,
    f: ListQuery,
    orgs: Vec<(i64, String)>,
    kinds: Vec<Choice>,
    statuses: Vec<Choice>,
    levels: Vec<Choice>,
    fields: Vec<Named>,
    can_create: bool,
    /// Filters whose value could not be used, with the message beside each.
    errors: dienhinh_domain::Invalid,
}

#[derive(Deserialize, Default, serde::Serialize, Clone)]
pub struct ListQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub org_id: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub level: String,
    #[serde(default)]
    pub field_id: String,
    #[serde(default)]
    pub year: String,
    /// "1": only those whose fostering is overdue or due within 30 days.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub fostering_due: String,
    /// "1": only recognised ones not evaluated this year.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub evaluation_due: String,
    /// The order (`ListOrder` code; blank: newest first).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub sort: String,
    #[serde(default, skip_serializing)]
    pub cursor: Option<String>,
    /// The page before the one that starts at this cursor.
    #[serde(default, skip_serializing)]
    pub before: Option<String>,
}

/// A code filter: blank is all; a code of no entry of the table is reported.
fn code<T: dienhinh_domain::Coded>(raw: &str, field: &'static str, errors: &mut dienhinh_domain::Invalid) -> Option<String> {
    let t = raw.trim();
    if !t.is_empty() && T::from_code(t).is_none() {
        errors.add(field, "invalid", "Giá trị lọc không hợp lệ; đang hiện tất cả.");
        return None;
    }
    Some(t.to_string())
}

pub async fn list(State(st): State<AppState>, Signed(me): Signed, Query(f): Query<ListQuery>) -> PageResult {
    // A filter that cannot be used is said beside it; the list shows as if it were blank.
    let mut errors = dienhinh_domain::Invalid::new();
    let year = number(&f.year, "year", "Năm phát hiện", 1900..=dienhinh_domain::clock::current_year() + 1, &mut errors);
    let org_id = id(&f.org_id, "org_id", "Đơn vị", &mut errors);
    let field_id = id(&f.field_id, "field_id", "Lĩnh vực", &mut errors);
    let filter = ExemplarFilter {
        within: me.scope(Action::View),
        org_id,
        kind: code::<ExemplarKind>(&f.kind, "kind", &mut errors),
        status: code::<Status>(&f.status, "status", &mut errors),
        level: code::<Level>(&f.level, "level", &mut errors),
        field_id,
        year,
        q: Some(f.q.clone()),
        cursor: f.cursor.clone(),
        limit: Some(30),
        movement_id: None,
        fostering_due: Some(!f.fostering_due.is_empty()),
        evaluation_due: Some(!f.evaluation_due.is_empty()),
        public_only: false,
    };
    let order = code::<ListOrder>(&f.sort, "sort", &mut errors).and_then(|c| ListOrder::from_code(&c)).unwrap_or(ListOrder::Newest);
    let page = exemplars::listing(&st.db, &filter, order, f.before.as_deref()).await?;
    // The links carry the filters and the order; the cursor carries the position.
    let here = serde_urlencoded::to_string(&f).unwrap_or_default();
    let next_href = page.next.as_ref().map(|n| format!("/exemplars?{here}&cursor={n}"));
    let prev_href = page.prev.as_ref().map(|p| format!("/exemplars?{here}&before={p}"));
    render(&ListPage {
        chrome: Chrome::new("Điển hình tiên tiến", &me, "/exemplars"),
        total: if page.more_than_cap() {
            format!("Hơn {} điển hình khớp với bộ lọc", crate::view::number(exemplars::COUNT_CAP))
        } else {
            format!("{} điển hình khớp với bộ lọc", crate::view::number(page.total))
        },
        items: page.items,
        next_href,
        prev_href,
        sort: order.code().to_string(),
        orders: coded::<ListOrder>(),
        orgs: unit_choices(&st, &me.scope(Action::View), org_id).await?,
        kinds: coded::<ExemplarKind>(),
        statuses: coded::<Status>(),
        levels: coded::<Level>(),
        fields: exemplars::fields(&st.db).await?,
        can_create: !me.scope(Action::EnterData).is_empty(),
        errors,
        f,
    })
}
