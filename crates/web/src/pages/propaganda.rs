//! The propaganda log (tin, bài tuyên truyền, plan II.3 and IV.2): the list
//! of a subtree with the year's figures, the form that records an item, and
//! an item's page.

use super::{done, render, render_status};
use crate::flash::Done;
use crate::access::{self, Authorized};
use crate::auth::{AuthUser, Signed};
use crate::error::{PageError, PageResult};
use crate::form::Pairs;
use crate::picker;
use crate::view::{Choice, Chrome};
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use dienhinh_domain::propaganda::{Channel, ItemType, PropagandaInput, FIRST_YEAR};
use dienhinh_domain::{Action, Invalid};
use dienhinh_store::figures::{self, PropagandaFigures};
use dienhinh_store::propaganda::{self, PropagandaFilter, PropagandaItem};
use dienhinh_store::StoreError;
use serde::{Deserialize, Serialize};
use super::listing::{Nav, Paging};
use super::shared::FormState;
use dienhinh_domain::order::PropagandaOrder;
use dienhinh_store::page::Listing;

#[derive(Deserialize, Serialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    year: String,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    item_type: String,
    #[serde(flatten)]
    paging: Paging,
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
    page: Listing<PropagandaItem>,
    nav: Nav,
    /// The form that records an item (no unit without the right).
    fs: FormState,
}

#[derive(Template)]
#[template(path = "propaganda_item.html")]
struct ItemPage {
    chrome: Chrome,
    p: PropagandaItem,
    /// The edit form, for those who may correct the log at the item's unit.
    can_edit: bool,
    channels: Vec<Choice>,
    types: Vec<Choice>,
    fs: FormState,
    /// Why the last save was refused (someone saved the item first).
    message: String,
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
        ..Default::default()
    };
    let order = q.paging.order::<PropagandaOrder>();
    let page = propaganda::listing(&st.db, &filter, order.0, q.paging.at(50)).await?;
    let nav = q.paging.nav("/propaganda", q, order, &page, &format!("tin, bài khớp với bộ lọc trong năm {year}"));
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
        nav,
        fs: FormState::new_record(st, me, Action::Publicise, form, errors).await?,
    })
}

pub async fn list(State(st): State<AppState>, Signed(me): Signed, Query(q): Query<ListQuery>) -> PageResult {
    render(&list_page(&st, &me, &q, Pairs(vec![]), Invalid::new()).await?)
}

/// An item's page around its edit form as it stands.
async fn item_page(st: &AppState, me: &AuthUser, p: PropagandaItem, form: Pairs, errors: Invalid, message: String) -> Result<ItemPage, PageError> {
    let stored = [
        ("item_type", p.item_type.code()),
        ("channel", p.channel.code()),
        ("title", p.title.as_str()),
        ("link", p.link.as_str()),
        ("published_on", p.published_on.as_str()),
    ];
    Ok(ItemPage {
        chrome: Chrome::new(p.title.clone(), me, "/propaganda"),
        can_edit: me.can(Action::Publicise, &p.org_path),
        channels: crate::view::coded::<Channel>(),
        types: crate::view::coded::<ItemType>(),
        fs: FormState::existing(st, me, form, errors, &p.exemplars, &stored).await?,
        message,
        p,
    })
}

pub async fn show(State(st): State<AppState>, Signed(me): Signed, Authorized(p): Authorized<PropagandaItem>) -> PageResult {
    render(&item_page(&st, &me, p, Pairs(vec![]), Invalid::new(), String::new()).await?)
}

/// The form's fields as an input (the unit is the item's own).
fn input(form: &Pairs, org_id: i64, exemplar_ids: Vec<i64>) -> PropagandaInput {
    PropagandaInput {
        org_id,
        item_type: form.get("item_type"),
        channel: form.get("channel"),
        title: form.get("title"),
        link: form.get("link"),
        published_on: form.get("published_on"),
        exemplar_ids,
    }
}

/// Corrects an item: saved, or the form again with what was typed and the
/// messages (422), or the item as it is now when someone saved it first
/// (409; the form keeps what was typed and carries the current version).
pub async fn update(State(st): State<AppState>, Signed(me): Signed, Authorized(p): Authorized<PropagandaItem>, form: Pairs) -> PageResult {
    if form.checked("find") {
        return render(&item_page(&st, &me, p, form, Invalid::new(), String::new()).await?);
    }
    let ids = access::seen_exemplars(&st, &me, &form.ids("exemplar_ids")).await?;
    match propaganda::update(&st.db, &me.actor(), p.id, form.int("version").unwrap_or(0), input(&form, p.org_id, ids)).await {
        Ok(p) => done(&st, &format!("/propaganda/{}", p.id), Done::PropagandaSaved),
        Err(StoreError::Invalid(errors)) => render_status(StatusCode::UNPROCESSABLE_ENTITY, &item_page(&st, &me, p, form, errors, String::new()).await?),
        Err(StoreError::Conflict { .. }) => {
            let now = propaganda::get(&st.db, p.id).await?;
            let msg = "Tin, bài vừa được người khác sửa; thay đổi của bạn chưa được lưu. Bản hiện tại ở trên, nội dung bạn nhập vẫn giữ trong biểu mẫu: kiểm tra rồi bấm Lưu lần nữa.".to_string();
            render_status(StatusCode::CONFLICT, &item_page(&st, &me, now, form, Invalid::new(), msg).await?)
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn create(State(st): State<AppState>, Signed(me): Signed, form: Pairs) -> PageResult {
    let q = ListQuery::default();
    // The picker's drill-down or the exemplar search: the form again, nothing saved.
    if form.checked(picker::DRILL) || form.checked("find") {
        return render(&list_page(&st, &me, &q, form, Invalid::new()).await?);
    }
    let org_id = form.int("org_id").unwrap_or(0);
    // A unit outside the caller's scope is refused as the router refuses records (404, 403).
    access::target(&st, &me, org_id, Action::Publicise).await?;
    let ids = access::seen_exemplars(&st, &me, &form.ids("exemplar_ids")).await?;
    match propaganda::create(&st.db, &me.actor(), input(&form, org_id, ids)).await {
        Ok(p) => done(&st, &format!("/propaganda/{}", p.id), Done::PropagandaAdded),
        Err(StoreError::Invalid(errors)) => render_status(StatusCode::UNPROCESSABLE_ENTITY, &list_page(&st, &me, &q, form, errors).await?),
        Err(e) => Err(e.into()),
    }
}
