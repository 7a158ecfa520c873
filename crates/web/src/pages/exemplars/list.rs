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
use crate::pages::listing::{Nav, Paging};
use crate::pages::shared::Choice;
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
    nav: Nav,
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
    /// A period's bounds (the figures' drill-down links carry them).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub year_from: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub year_to: String,
    /// "1": only those whose fostering is overdue or due within 30 days.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub fostering_due: String,
    /// "1": only recognised ones not evaluated this year.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub evaluation_due: String,
    #[serde(flatten)]
    pub paging: Paging,
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
        year_from: number(&f.year_from, "year_from", "Từ năm", 1900..=dienhinh_domain::clock::current_year() + 1, &mut errors),
        year_to: number(&f.year_to, "year_to", "Đến năm", 1900..=dienhinh_domain::clock::current_year() + 1, &mut errors),
        q: Some(f.q.clone()),
        cursor: None,
        limit: None,
        movement_id: None,
        fostering_due: Some(!f.fostering_due.is_empty()),
        evaluation_due: Some(!f.evaluation_due.is_empty()),
        ..Default::default()
    };
    let order = f.paging.order::<ListOrder>();
    let page = exemplars::listing(&st.db, &filter, order.0, f.paging.at(30)).await?;
    let nav = f.paging.nav("/exemplars", &f, order, &page, "điển hình khớp với bộ lọc");
    render(&ListPage {
        chrome: Chrome::new("Điển hình tiên tiến", &me, "/exemplars"),
        items: page.items,
        nav,
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
