use super::{confirm, done, opt_id, render, render_status};
use crate::form::Pairs;
use crate::flash::Done;
use crate::access::{self, Authorized};
use super::shared::{last_writer, Conflict};
use crate::auth::{AuthUser, Signed};
use crate::error::{PageError, PageResult};
use crate::picker::{self, UnitPicker};
use crate::view::{datetime, Chrome};
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::Form;
use dienhinh_domain::{Action, Invalid, OrgKind};
use dienhinh_store::orgs::{self, Org, OrgFilter, OrgInput};
use dienhinh_store::{users, Found, StoreError};
use serde::{Deserialize, Serialize};
use super::listing::{Nav, Paging};
use dienhinh_domain::order::OrgOrder;

fn kinds() -> Vec<(&'static str, &'static str)> {
    OrgKind::ALL.iter().map(|k| (k.code(), k.label())).collect()
}

/// The kinds a node may have under a parent of kind `parent` (`None`: a
/// root), plus `keep` (a node's current kind, kept even where the rule would
/// not place it today, so that saving a rename does not change it).
fn kinds_under(parent: Option<OrgKind>, keep: Option<OrgKind>) -> Vec<(&'static str, &'static str)> {
    OrgKind::ALL
        .iter()
        .filter(|k| parent.map_or(k.may_be_root(), |p| p.may_hold(**k)) || Some(**k) == keep)
        .map(|k| (k.code(), k.label()))
        .collect()
}

/// What the form says beside the kinds when the parent holds nothing.
fn holds_nothing(parent: Option<OrgKind>) -> String {
    match parent {
        Some(p) if p.default_child().is_none() => format!("«{}» không có tổ chức trực thuộc; vui lòng chọn tổ chức cấp trên khác.", p.label()),
        _ => String::new(),
    }
}

#[derive(Template)]
#[template(path = "orgs_list.html")]
struct ListPage {
    chrome: Chrome,
    orgs: Vec<(Org, String)>,
    nav: Nav,
    q: String,
    kind: String,
    kinds: Vec<(&'static str, &'static str)>,
    can_create: bool,
}

#[derive(Deserialize, Serialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    kind: String,
    #[serde(flatten)]
    paging: Paging,
}

pub async fn list(State(st): State<AppState>, Signed(me): Signed, Query(q): Query<ListQuery>) -> PageResult {
    let order = q.paging.order::<OrgOrder>();
    let filter = OrgFilter { within: me.scope(Action::View), kind: Some(q.kind.clone()), q: Some(q.q.clone()), cursor: None, limit: None };
    let page = orgs::listing(&st.db, &filter, order.0, q.paging.at(50)).await?;
    let nav = q.paging.nav("/orgs", &q, order, &page, "tổ chức");
    let parent_ids: Vec<i64> = page.items.iter().filter_map(|o| o.parent_id).collect();
    let parents = orgs::names(&st.db, &parent_ids).await?;
    let rows = page
        .items
        .into_iter()
        .map(|o| {
            let parent = o.parent_id.and_then(|p| parents.get(&p).cloned()).unwrap_or_default();
            (o, parent)
        })
        .collect();
    render(&ListPage {
        chrome: Chrome::new("Tổ chức", &me, "/orgs"),
        orgs: rows,
        nav,
        q: q.q,
        kind: q.kind,
        kinds: kinds(),
        can_create: !me.scope(Action::ManageOrgs).is_empty(),
    })
}

#[derive(Template)]
#[template(path = "org_detail.html")]
struct DetailPage {
    chrome: Chrome,
    org: Org,
    ancestors: Vec<Org>,
    children: Vec<Org>,
    people: Vec<users::User>,
    people_next: Option<String>,
    moves: Vec<(String, String)>,
    move_to: Option<UnitPicker>,
    updated: String,
    can_manage: bool,
}

#[derive(Deserialize, Default)]
pub struct SavedQuery {
    /// Cursor of the next page of the node's people.
    #[serde(default)]
    people: Option<String>,
}

pub async fn show(State(st): State<AppState>, Signed(me): Signed, Authorized(org): Authorized<Org>, Query(q): Query<SavedQuery>) -> PageResult {
    render(&detail_page(&st, &me, org, None, q).await?)
}

/// The node's page; `move_at` is where the move picker has been drilled to.
async fn detail_page(st: &AppState, me: &AuthUser, org: Org, move_at: Option<i64>, q: SavedQuery) -> Result<DetailPage, PageError> {
    let ancestors = orgs::ancestors(&st.db, &org)
        .await?
        .into_iter()
        .filter(|a| me.can(Action::View, &a.org_path()))
        .collect();
    let children = orgs::children(&st.db, org.id).await?;
    let people = users::list(
        &st.db,
        &users::UserFilter { within: vec![org.org_path()], at_nodes_only: true, cursor: q.people, limit: Some(50), ..Default::default() },
    )
    .await?;
    let mut moves = vec![];
    for m in orgs::moves(&st.db, org.id).await? {
        moves.push((datetime(m.moved_at), format!("chuyển bởi {}", m.moved_by)));
    }
    let can_manage = me.can(Action::ManageOrgs, &org.org_path());
    let move_to = if can_manage {
        // Not into itself: its own subtree is left out of the picker.
        let own = org.org_path();
        Some(UnitPicker::load(st, "parent_id", &me.scope(Action::ManageOrgs), move_at, &picker::ANY).await?.without(|p| own.contains(p)).alone())
    } else {
        None
    };
    Ok(DetailPage {
        chrome: Chrome::new(org.name.clone(), me, "/orgs"),
        updated: datetime(org.updated_at),
        org,
        ancestors,
        children,
        people: people.items,
        people_next: people.next,
        moves,
        move_to,
        can_manage,
    })
}

#[derive(Template)]
#[template(path = "org_form.html")]
struct FormPage {
    chrome: Chrome,
    org_id: Option<i64>,
    version: i64,
    /// The parent picker (new nodes only).
    parent: Option<UnitPicker>,
    name: String,
    short_name: String,
    kind: String,
    /// The kinds that may stand under the parent.
    kinds: Vec<(&'static str, &'static str)>,
    /// Said when nothing may stand under the chosen parent.
    kind_hint: String,
    errors: Invalid,
    /// Set when a save was refused as stale (see `Conflict`).
    conflict: Option<Conflict>,
}

#[derive(Deserialize, Default)]
pub struct OrgForm {
    #[serde(default)]
    parent_id: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    short_name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    version: String,
    #[serde(default)]
    drill: String,
}

/// The new-node form with what was typed, the parent picker around the
/// chosen parent, and the kinds that may stand under it (the usual one
/// chosen unless another allowed one was).
async fn new_page(st: &AppState, me: &AuthUser, f: OrgForm, errors: Invalid) -> Result<FormPage, PageError> {
    let parent = UnitPicker::load(st, "parent_id", &me.scope(Action::ManageOrgs), opt_id(&f.parent_id), &picker::ANY).await?;
    // With none chosen the browser submits the first choice.
    let parent_id = opt_id(&f.parent_id).or(parent.choices.first().map(|c| c.id));
    let parent_kind = match parent_id {
        Some(id) => orgs::get(&st.db, id).await.optional()?.map(|o| o.kind),
        None => None,
    };
    let kind = match (OrgKind::from_code(&f.kind), parent_kind) {
        (Some(k), Some(p)) if p.may_hold(k) => k.code(),
        (_, Some(p)) => p.default_child().map(|k| k.code()).unwrap_or(""),
        (_, None) => "",
    };
    Ok(FormPage {
        chrome: Chrome::new("Thêm tổ chức", me, "/orgs"),
        org_id: None,
        version: 0,
        parent: Some(parent),
        name: f.name,
        short_name: f.short_name,
        kind: kind.to_string(),
        kinds: match parent_kind {
            Some(p) => kinds_under(Some(p), None),
            None => kinds(),
        },
        kind_hint: holds_nothing(parent_kind),
        errors,
        conflict: None,
    })
}

/// The kinds a node may take where it stands (its own kept).
async fn kinds_at(st: &AppState, org: &Org) -> Result<Vec<(&'static str, &'static str)>, PageError> {
    let parent = match org.parent_id {
        Some(p) => orgs::get(&st.db, p).await.optional()?.map(|o| o.kind),
        None => None,
    };
    Ok(kinds_under(parent, Some(org.kind)))
}

pub async fn new_form(State(st): State<AppState>, Signed(me): Signed, Query(f): Query<OrgForm>) -> PageResult {
    if me.scope(Action::ManageOrgs).is_empty() {
        return Err(PageError::forbidden());
    }
    let f = OrgForm { parent_id: f.parent_id, ..Default::default() };
    render(&new_page(&st, &me, f, Invalid::new()).await?)
}

pub async fn create(State(st): State<AppState>, Signed(me): Signed, Form(f): Form<OrgForm>) -> PageResult {
    let parent_id = opt_id(&f.parent_id);
    // A new root is made by `dienhinh` itself, never through the UI.
    access::target(&st, &me, parent_id.ok_or(PageError::forbidden())?, Action::ManageOrgs).await?;
    if !f.drill.is_empty() {
        return render(&new_page(&st, &me, f, Invalid::new()).await?);
    }
    let input = OrgInput { parent_id, kind: f.kind.clone(), name: f.name.clone(), short_name: f.short_name.clone() };
    match orgs::create(&st.db, &me.actor(), input).await {
        Ok(org) => done(&st, &format!("/orgs/{}", org.id), Done::OrgCreated),
        Err(StoreError::Invalid(errors)) => render_status(StatusCode::UNPROCESSABLE_ENTITY, &new_page(&st, &me, f, errors).await?),
        Err(e) => Err(e.into()),
    }
}

pub async fn edit_form(State(st): State<AppState>, Signed(me): Signed, Authorized(org): Authorized<Org>) -> PageResult {
    let kinds = kinds_at(&st, &org).await?;
    render(&FormPage {
        chrome: Chrome::new("Sửa tổ chức", &me, "/orgs"),
        org_id: Some(org.id),
        version: org.version,
        parent: None,
        name: org.name,
        short_name: org.short_name,
        kind: org.kind.code().to_string(),
        kinds,
        kind_hint: String::new(),
        errors: Invalid::new(),
        conflict: None,
    })
}

pub async fn update(State(st): State<AppState>, Signed(me): Signed, Authorized(org): Authorized<Org>, Form(f): Form<OrgForm>) -> PageResult {
    let id = org.id;
    let version = opt_id(&f.version).unwrap_or(0);
    let input = OrgInput { parent_id: org.parent_id, kind: f.kind.clone(), name: f.name.clone(), short_name: f.short_name.clone() };
    match orgs::update(&st.db, &me.actor(), id, version, input).await {
        Ok(_) => done(&st, &format!("/orgs/{id}"), Done::OrgSaved),
        Err(StoreError::Invalid(errors)) => render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &FormPage {
                chrome: Chrome::new("Sửa tổ chức", &me, "/orgs"),
                org_id: Some(id),
                version,
                parent: None,
                name: f.name,
                short_name: f.short_name,
                kind: f.kind,
                kinds: kinds_at(&st, &org).await?,
                kind_hint: String::new(),
                errors,
                conflict: None,
            },
        ),
        Err(StoreError::Conflict { .. }) => {
            let now = orgs::get(&st.db, id).await?;
            let rows = vec![
                ("Tên tổ chức".into(), f.name.clone(), now.name.clone()),
                ("Tên viết tắt".into(), f.short_name.clone(), now.short_name.clone()),
                ("Loại".into(), OrgKind::from_code(&f.kind).map(|k| k.label()).unwrap_or("").to_string(), now.kind.label().to_string()),
            ];
            render_status(
                StatusCode::CONFLICT,
                &FormPage {
                    chrome: Chrome::new("Sửa tổ chức", &me, "/orgs"),
                    org_id: Some(id),
                    version: now.version,
                    parent: None,
                    name: f.name,
                    short_name: f.short_name,
                    kind: f.kind,
                    kinds: kinds_at(&st, &now).await?,
                    kind_hint: String::new(),
                    errors: Invalid::new(),
                    conflict: Some(Conflict { changed_by: last_writer(&st, dienhinh_domain::RecordKind::Org, id).await, rows }),
                },
            )
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct MoveForm {
    #[serde(default)]
    parent_id: String,
    #[serde(default)]
    version: String,
    #[serde(default)]
    drill: String,
    #[serde(default)]
    confirmed: String,
}

pub async fn move_to(State(st): State<AppState>, Signed(me): Signed, Authorized(org): Authorized<Org>, Form(f): Form<MoveForm>) -> PageResult {
    let id = org.id;
    if !f.drill.is_empty() {
        return render(&detail_page(&st, &me, org, opt_id(&f.parent_id), SavedQuery::default()).await?);
    }
    let Some(target) = opt_id(&f.parent_id) else {
        return Err(PageError::new(StatusCode::UNPROCESSABLE_ENTITY, "Vui lòng chọn tổ chức cấp trên mới."));
    };
    if org.parent_id == Some(target) {
        return Err(PageError::new(StatusCode::UNPROCESSABLE_ENTITY, "Tổ chức đã trực thuộc đơn vị này; vui lòng chọn tổ chức cấp trên khác."));
    }
    let new_parent = access::target(&st, &me, target, Action::ManageOrgs).await?;
    let version = opt_id(&f.version).unwrap_or(0);
    // Only a move that can be made is confirmed; any other goes on to say why not.
    let possible = new_parent.kind.may_hold(org.kind) && !org.org_path().contains(&new_parent.org_path());
    if f.confirmed.is_empty() && org.version == version && possible {
        let old_parent = match org.parent_id {
            Some(p) => orgs::get(&st.db, p).await.optional()?.map(|o| o.name).unwrap_or_default(),
            None => String::new(),
        };
        let ask = confirm::Ask {
            heading: "Xác nhận chuyển tổ chức",
            consequence: format!(
                "«{}» cùng các đơn vị trực thuộc và hồ sơ của chúng sẽ chuyển từ «{}» sang trực thuộc «{}».",
                org.name, old_parent, new_parent.name
            ),
            action: &format!("/orgs/{id}/move"),
            confirm_label: "Xác nhận chuyển",
            back: &format!("/orgs/{id}"),
        };
        let posted = Pairs(vec![("parent_id".into(), target.to_string()), ("version".into(), version.to_string())]);
        return confirm::ask(&me, "/orgs", ask, &posted);
    }
    match orgs::move_to(&st.db, &me.actor(), id, version, target).await {
        Ok(_) => done(&st, &format!("/orgs/{id}"), Done::OrgMoved),
        Err(StoreError::Conflict { .. }) => Err(PageError::new(
            StatusCode::CONFLICT,
            "Tổ chức này vừa được người khác thay đổi. Vui lòng tải lại trang rồi thực hiện lại.",
        )),
        Err(e) => Err(e.into()),
    }
}
