//! The propaganda log (tin, bài tuyên truyền, plan II.3 and IV.2): the list
//! of a subtree with the year's figures, the form that records an item, and
//! an item's page.

use super::{done, render, render_status};
use crate::flash::Done;
use crate::access::{self, Authorized};
use crate::auth::{AuthUser, Signed};
use crate::error::{PageError, PageResult};
use crate::form::Pairs;
use crate::picker::{self, UnitPicker};
use crate::view::{Choice, Chrome};
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use dienhinh_domain::propaganda::{Channel, ItemType, PropagandaInput, FIRST_YEAR};
use dienhinh_domain::{Action, Invalid};
use dienhinh_store::exemplars::{self, ExemplarFilter, Named};
use dienhinh_store::figures::{self, PropagandaFigures};
use dienhinh_store::propaganda::{self, PropagandaFilter, PropagandaItem};
use dienhinh_store::{Page, StoreError};
use serde::Deserialize;

/// Exemplars offered by one search of the form.
const FOUND_MAX: i64 = 20;

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    year: String,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    item_type: String,
    #[serde(default)]
    cursor: String,
}

/// The form's exemplar chooser: those already chosen (kept checked) and
/// those the last search found.
pub struct Chooser {
    pub chosen: Vec<Named>,
    pub found: Vec<Named>,
    /// A search was made (an empty result is then said).
    pub searched: bool,
}

#[derive(Template)]
#[template(path = "propaganda.html")]
struct ListPage {
    chrome: Chrome,
    year: i64,
    years: Vec<i64>,
    year_error: String,
    channel: String,
    item_type: String,
    channels: Vec<Choice>,
    types: Vec<Choice>,
    figures: PropagandaFigures,
    page: Page<PropagandaItem>,
    /// The address of the next page (filters kept), when there is one.
    next_href: Option<String>,
    /// Where the caller may record items (none without the right).
    unit: Option<UnitPicker>,
    chooser: Chooser,
    form: Pairs,
    errors: Invalid,
}

impl ListPage {
    fn value(&self, name: &str) -> String {
        self.form.get(name)
    }
}

#[derive(Template)]
#[template(path = "propaganda_item.html")]
struct ItemPage {
    chrome: Chrome,
    p: PropagandaItem,
}

fn this_year() -> i64 {
    dienhinh_domain::clock::current_year()
}

/// The list page around the form as it stands.
async fn list_page(st: &AppState, me: &AuthUser, q: &ListQuery, form: Pairs, errors: Invalid) -> Result<ListPage, PageError> {
    let scope = me.scope(Action::View);
    let mut typed = Invalid::new();
    let year = crate::form::number(&q.year, "year", "Năm", FIRST_YEAR..=this_year(), &mut typed).unwrap_or_else(this_year);
    let channel = Channel::from_code(&q.channel);
    let item_type = ItemType::from_code(&q.item_type);
    let filter = PropagandaFilter {
        within: scope.clone(),
        year: Some(year),
        channel,
        item_type,
        cursor: Some(q.cursor.clone()).filter(|c| !c.is_empty()),
        limit: Some(50),
        ..Default::default()
    };
    let page = propaganda::list(&st.db, &filter).await?;
    let next_href = page.next.as_ref().map(|c| {
        let enc = |s: &str| url_encode(s);
        format!("/propaganda?year={year}&channel={}&item_type={}&cursor={}", enc(&q.channel), enc(&q.item_type), enc(c))
    });
    let unit = match me.scope(Action::EnterData) {
        s if s.is_empty() => None,
        s => Some(UnitPicker::load(st, "org_id", &s, form.int("org_id"), &picker::ANY).await?),
    };
    let chooser = chooser(st, me, &form).await?;
    Ok(ListPage {
        chrome: Chrome::new("Tin, bài tuyên truyền", me, "/propaganda"),
        year,
        years: (FIRST_YEAR.max(2021)..=this_year()).rev().collect(),
        year_error: typed.for_field("year").map(|m| format!("{m} Đang hiện năm {year}.")).unwrap_or_default(),
        channel: channel.map(|c| c.code().to_string()).unwrap_or_default(),
        item_type: item_type.map(|t| t.code().to_string()).unwrap_or_default(),
        channels: crate::view::coded::<Channel>(),
        types: crate::view::coded::<ItemType>(),
        figures: figures::propaganda(&st.db, &scope, year).await?,
        page,
        next_href,
        unit,
        chooser,
        form,
        errors,
    })
}

fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

/// The exemplars chosen in the form (those the caller may see) and those
/// its search box finds in the caller's scope.
async fn chooser(st: &AppState, me: &AuthUser, form: &Pairs) -> Result<Chooser, PageError> {
    let seen: Vec<i64> = access::seen_exemplars(st, me, &form.ids("exemplar_ids")).await?.into_iter().filter(|id| *id != access::UNSEEN).collect();
    let chosen = exemplars::named(&st.db, &seen).await?;
    let typed = form.get("exemplar_q");
    let searched = !typed.trim().is_empty();
    let found = if searched {
        let f = ExemplarFilter { within: me.scope(Action::View), q: Some(typed), limit: Some(FOUND_MAX), ..Default::default() };
        exemplars::list(&st.db, &f).await?.items.into_iter().filter(|e| !seen.contains(&e.id)).map(|e| Named { id: e.id, name: e.name }).collect()
    } else {
        vec![]
    };
    Ok(Chooser { chosen, found, searched })
}

pub async fn list(State(st): State<AppState>, Signed(me): Signed, Query(q): Query<ListQuery>) -> PageResult {
    render(&list_page(&st, &me, &q, Pairs(vec![]), Invalid::new()).await?)
}

pub async fn show(Signed(me): Signed, Authorized(p): Authorized<PropagandaItem>) -> PageResult {
    render(&ItemPage { chrome: Chrome::new(p.title.clone(), &me, "/propaganda"), p })
}

pub async fn create(State(st): State<AppState>, Signed(me): Signed, form: Pairs) -> PageResult {
    let q = ListQuery::default();
    // The picker's drill-down or the exemplar search: the form again, nothing saved.
    if form.checked(picker::DRILL) || form.checked("find") {
        return render(&list_page(&st, &me, &q, form, Invalid::new()).await?);
    }
    let org_id = form.int("org_id").unwrap_or(0);
    // A unit outside the caller's scope is refused as the router refuses records (404, 403).
    access::target(&st, &me, org_id, Action::EnterData).await?;
    let input = PropagandaInput {
        org_id,
        item_type: form.get("item_type"),
        channel: form.get("channel"),
        title: form.get("title"),
        link: form.get("link"),
        published_on: form.get("published_on"),
        exemplar_ids: access::seen_exemplars(&st, &me, &form.ids("exemplar_ids")).await?,
    };
    match propaganda::create(&st.db, &me.actor(), input).await {
        Ok(p) => done(&st, &format!("/propaganda/{}", p.id), Done::PropagandaAdded),
        Err(StoreError::Invalid(errors)) => render_status(StatusCode::UNPROCESSABLE_ENTITY, &list_page(&st, &me, &q, form, errors).await?),
        Err(e) => Err(e.into()),
    }
}
