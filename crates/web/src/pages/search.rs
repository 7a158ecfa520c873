//! The search page: one box over everything the caller may see
//! (organisations, people, plans and criteria sets; exemplars and stories
//! as they are indexed), backed by the database's full-text index
//! (`store::search`).

use dienhinh_domain::RecordKind;
use super::render;
use crate::auth::Signed;
use crate::error::PageResult;
use crate::view::Chrome;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use dienhinh_domain::Action;
use dienhinh_store::search::{self, SearchHit};
use serde::Deserialize;

/// The kinds of record a search can be narrowed to: (code, label), from the registry.
pub fn kinds() -> Vec<(&'static str, &'static str)> {
    RecordKind::searchable_kinds().map(|k| (k.code(), k.label())).collect()
}

pub fn kind_label(code: &str) -> &'static str {
    RecordKind::from_code(code).map(|k| k.label()).unwrap_or("")
}

/// The page that shows a hit.
pub fn link(h: &SearchHit) -> String {
    h.kind.page(h.link_id.unwrap_or(h.record_id)).unwrap_or_else(|| "#".into())
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    chrome: Chrome,
    q: String,
    kind: String,
    kinds: Vec<(&'static str, &'static str)>,
    /// (hit, its link, its kind's label)
    hits: Vec<(SearchHit, String, &'static str)>,
    /// The query had words to look for.
    searched: bool,
    next: Option<String>,
    first_page: bool,
    /// Matches ranked together (`search::WINDOW`), named in the hint.
    window: i64,
}

#[derive(Deserialize, Default)]
pub struct SearchParams {
    #[serde(default)]
    q: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    cursor: String,
}

pub async fn show(State(st): State<AppState>, Signed(me): Signed, Query(p): Query<SearchParams>) -> PageResult {
    let q: String = p.q.chars().take(search::MAX_QUERY_CHARS).collect();
    let kind = if RecordKind::from_code(&p.kind).is_some_and(|k| k.searchable()) { p.kind } else { String::new() };
    let searched = !search::query_tokens(&q).is_empty();
    let page = search::query(
        &st.db,
        &search::SearchQuery {
            text: q.clone(),
            within: me.scope(Action::View),
            kind: Some(kind.clone()).filter(|k| !k.is_empty()),
            cursor: Some(p.cursor.clone()).filter(|c| !c.is_empty()),
            limit: Some(20),
            ..Default::default()
        },
    )
    .await?;
    let hits = page.items.into_iter().map(|h| {
        let href = link(&h);
        let label = h.kind.label();
        (h, href, label)
    });
    render(&SearchPage {
        chrome: Chrome::new("Tìm kiếm", &me, ""),
        q,
        kind,
        kinds: kinds(),
        hits: hits.collect(),
        searched,
        next: page.next,
        first_page: p.cursor.is_empty(),
        window: search::WINDOW,
    })
}
