use super::ApiQuery;
use crate::auth::ApiUser;
use crate::error::ApiResult;
use crate::pages::search::link;
use crate::AppState;
use axum::extract::State;
use axum::Json;
use dienhinh_domain::Action;
use dienhinh_store::search::{self, SearchHit};
use serde::{Deserialize, Serialize};

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// What to look for: words in any order, diacritics and case ignored,
    /// the last word as a prefix. At most 200 characters / 12 words are used.
    pub q: Option<String>,
    /// Kind code: org, user, plan, criteria_set.
    pub kind: Option<String>,
    pub cursor: Option<String>,
    /// Page size, 1–200 (default 20).
    pub limit: Option<i64>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ApiHit {
    /// Path of the UI page that shows the hit.
    pub url: String,
    #[serde(flatten)]
    pub hit: SearchHit,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SearchPage {
    /// Hits, most relevant first (exact diacritics in the title, then the
    /// title ignoring diacritics, then a phrase in the text, then scattered
    /// words; by id within a rank). Ranking is per window of the 200 newest
    /// matches: when more records match, the first pages hold the most
    /// relevant of the newest 200, and the following pages go on with the
    /// next older 200, so paging still reaches every match.
    pub items: Vec<ApiHit>,
    /// Cursor of the next page (pass as `cursor`), absent on the last page.
    pub next: Option<String>,
}

/// Full-text search over what the caller may see. Operators and punctuation
/// in `q` are plain text; an empty query finds nothing.
#[utoipa::path(get, path = "/api/v1/search", tag = "search", params(SearchParams),
    responses((status = 200, body = SearchPage), (status = 401, body = crate::error::ErrorBody)))]
pub async fn search(State(st): State<AppState>, ApiUser(me): ApiUser, ApiQuery(p): ApiQuery<SearchParams>) -> ApiResult<SearchPage> {
    let (limit, cursor) = super::paging(p.limit, p.cursor)?;
    let kind = super::code_in::<dienhinh_domain::RecordKind>("kind", p.kind)?;
    let page = search::query(
        &st.db,
        &search::SearchQuery {
            text: p.q.unwrap_or_default(),
            within: me.scope(Action::View),
            kind,
            cursor,
            limit,
            ..Default::default()
        },
    )
    .await?;
    let items = page.items.into_iter().map(|hit| ApiHit { url: link(&hit), hit }).collect();
    Ok(Json(SearchPage { items, next: page.next }))
}
