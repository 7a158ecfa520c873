//! The list of exemplars in the caller's subtrees, with filters.

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
use dienhinh_domain::exemplar::{ExemplarKind, Level, Status};
use dienhinh_store::exemplars::{self, Exemplar, ExemplarFilter, Named};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "exemplars_list.html")]
struct ListPage {
    chrome: Chrome,
    items: Vec<Exemplar>,
    next_href: Option<String>,
    f: ListQuery,
    orgs: Vec<(i64, String)>,
    kinds: Vec<Choice>,
    statuses: Vec<Choice>,
    levels: Vec<Choice>,
    fields: Vec<Named>,
    can_create: bool,
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
    #[serde(default, skip_serializing)]
    pub cursor: Option<String>,
}

pub async fn list(State(st): State<AppState>, Signed(me): Signed, Query(f): Query<ListQuery>) -> PageResult {
    let filter = ExemplarFilter {
        within: me.scope(Action::View),
        org_id: f.org_id.trim().parse().ok(),
        kind: Some(f.kind.clone()),
        status: Some(f.status.clone()),
        level: Some(f.level.clone()),
        field_id: f.field_id.trim().parse().ok(),
        year: f.year.trim().parse().ok(),
        q: Some(f.q.clone()),
        cursor: f.cursor.clone(),
        limit: Some(30),
        movement_id: None,
        fostering_due: Some(!f.fostering_due.is_empty()),
        evaluation_due: Some(!f.evaluation_due.is_empty()),
    };
    let page = exemplars::list(&st.db, &filter).await?;
    let next_href = page.next.map(|n| format!("/exemplars?{}&cursor={}", serde_urlencoded::to_string(&f).unwrap_or_default(), n));
    render(&ListPage {
        chrome: Chrome::new("Điển hình tiên tiến", &me, "/exemplars"),
        items: page.items,
        next_href,
        orgs: unit_choices(&st, &me.scope(Action::View), f.org_id.trim().parse().ok()).await?,
        kinds: coded::<ExemplarKind>(),
        statuses: coded::<Status>(),
        levels: coded::<Level>(),
        fields: exemplars::fields(&st.db).await?,
        can_create: !me.scope(Action::EnterData).is_empty(),
        f,
    })
}
