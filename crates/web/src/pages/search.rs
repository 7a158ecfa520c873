//! The search box of every page. For now it finds organisations and people
//! by name, ignoring diacritics and case; the full-text index joins later.

use super::render;
use crate::auth::Signed;
use crate::error::PageResult;
use crate::view::Chrome;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use dienhinh_domain::Action;
use dienhinh_store::{orgs, users};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    chrome: Chrome,
    q: String,
    orgs: Vec<orgs::Org>,
    people: Vec<users::User>,
}

#[derive(Deserialize, Default)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
}

pub async fn show(State(st): State<AppState>, Signed(me): Signed, Query(q): Query<SearchQuery>) -> PageResult {
    let text: String = q.q.chars().take(200).collect();
    let scope = me.scope(Action::View);
    let (found_orgs, people) = if dienhinh_text::fold(&text).is_empty() {
        (vec![], vec![])
    } else {
        let o = orgs::list(&st.db, &orgs::OrgFilter { within: scope.clone(), q: Some(text.clone()), limit: Some(20), ..Default::default() }).await?;
        let p = users::list(&st.db, &users::UserFilter { within: scope, q: Some(text.clone()), limit: Some(20), ..Default::default() }).await?;
        (o.items, p.items)
    };
    render(&SearchPage { chrome: Chrome::new("Tìm kiếm", &me, ""), q: text, orgs: found_orgs, people })
}
