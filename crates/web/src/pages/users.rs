use super::{opt_id, render, render_status, done};
use crate::flash::Done;
use crate::access::{self, Authorized};
use crate::auth::Signed;
use crate::error::{PageError, PageResult};
use crate::picker::{self, UnitPicker};
use crate::view::Chrome;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::Form;
use dienhinh_domain::{Action, Invalid, Role};
use dienhinh_store::users::{self, NewUser, User, UserFilter};
use dienhinh_store::{orgs, StoreError};
use serde::{Deserialize, Serialize};
use super::listing::{Nav, Paging};
use dienhinh_domain::order::UserOrder;

#[derive(Template)]
#[template(path = "users_list.html")]
struct ListPage {
    chrome: Chrome,
    users: Vec<User>,
    nav: Nav,
    q: String,
    can_create: bool,
}

#[derive(Deserialize, Serialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(flatten)]
    paging: Paging,
}

pub async fn list(State(st): State<AppState>, Signed(me): Signed, Query(q): Query<ListQuery>) -> PageResult {
    let order = q.paging.order::<UserOrder>();
    let filter = UserFilter { within: me.scope(Action::View), q: Some(q.q.clone()), ..Default::default() };
    let page = users::listing(&st.db, &filter, order.0, q.paging.at(50)).await?;
    let nav = q.paging.nav("/users", &q, order, &page, "người dùng");
    render(&ListPage {
        chrome: Chrome::new("Người dùng", &me, "/users"),
        users: page.items,
        nav,
        q: q.q,
        can_create: !me.scope(Action::ManageUsers).is_empty(),
    })
}

#[derive(Template)]
#[template(path = "user_detail.html")]
struct DetailPage {
    chrome: Chrome,
    user: User,
    org_name: String,
}

pub async fn show(State(st): State<AppState>, Signed(me): Signed, Authorized(user): Authorized<User>) -> PageResult {
    let org_name = orgs::get(&st.db, user.org_id).await?.name;
    render(&DetailPage { chrome: Chrome::new(user.full_name.clone(), &me, "/users"), user, org_name })
}

#[derive(Deserialize, Default)]
pub struct UserForm {
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub full_name: String,
    #[serde(default)]
    pub position: String,
    #[serde(default)]
    pub org_id: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub drill: String,
}

#[derive(Template)]
#[template(path = "user_form.html")]
struct FormPage {
    chrome: Chrome,
    form: FormValues,
    unit: UnitPicker,
    roles: Vec<(&'static str, &'static str)>,
    errors: Invalid,
}

struct FormValues {
    username: String,
    full_name: String,
    position: String,
    org_id: i64,
    role: String,
}

async fn form_page(st: &AppState, me: &crate::auth::AuthUser, form: FormValues, errors: Invalid) -> Result<FormPage, PageError> {
    let selected = Some(form.org_id).filter(|id| *id > 0);
    let unit = UnitPicker::load(st, "org_id", &me.scope(Action::ManageUsers), selected, &picker::ANY).await?;
    Ok(FormPage {
        chrome: Chrome::new("Thêm người dùng", me, "/users"),
        form,
        unit,
        roles: Role::ALL.iter().map(|r| (r.code(), r.label())).collect(),
        errors,
    })
}

pub async fn new_form(State(st): State<AppState>, Signed(me): Signed) -> PageResult {
    let blank = FormValues { username: String::new(), full_name: String::new(), position: String::new(), org_id: 0, role: dienhinh_domain::Role::NguoiXem.code().into() };
    render(&form_page(&st, &me, blank, Invalid::new()).await?)
}

pub async fn create(State(st): State<AppState>, Signed(me): Signed, Form(f): Form<UserForm>) -> PageResult {
    let org_id = opt_id(&f.org_id).unwrap_or(0);
    let values = FormValues { username: f.username.clone(), full_name: f.full_name.clone(), position: f.position.clone(), org_id, role: f.role.clone() };
    // The picker's drill-down; the password is never sent back, so it is typed again.
    if !f.drill.is_empty() {
        return render(&form_page(&st, &me, values, Invalid::new()).await?);
    }
    // Missing, out of sight or not allowed: the same answer, naming nothing.
    if let Err(r) = access::target(&st, &me, org_id, Action::ManageUsers).await {
        if let Some(e) = r.failure() {
            return Err(e.into());
        }
        let mut errors = Invalid::new();
        errors.add("org_id", "forbidden", "Vui lòng chọn một đơn vị trong phạm vi bạn quản lý.");
        return render_status(StatusCode::UNPROCESSABLE_ENTITY, &form_page(&st, &me, values, errors).await?);
    }
    let input = NewUser { username: f.username, full_name: f.full_name, position: f.position, org_id, role: f.role, password: f.password };
    match users::create(&st.db, &me.actor(), input).await {
        Ok(u) => done(&st, &format!("/users/{}", u.id), Done::UserCreated),
        Err(StoreError::Invalid(errors)) => {
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &form_page(&st, &me, values, errors).await?)
        }
        Err(e) => Err(e.into()),
    }
}
