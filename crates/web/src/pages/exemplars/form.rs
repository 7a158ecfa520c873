//! Create and edit, with the duplicate warning and the conflict page.

use crate::view::coded;
use crate::picker::{self, UnitPicker};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use crate::AppState;
use crate::access::{self, Authorized};
use crate::auth::{AuthUser, Signed};
use crate::error::{PageError, PageResult};
use crate::form::Pairs;
use crate::pages::{render, render_status, done};
use crate::flash::Done;
use crate::pages::shared::{last_writer, Choice, Conflict};
use crate::view::Chrome;
use dienhinh_domain::{Action, Invalid, OrgPath};
use dienhinh_domain::exemplar::ExemplarKind;
use dienhinh_store::exemplars::{self, Exemplar, ExemplarInput, Named};
use dienhinh_store::{orgs, Found, StoreError};

#[derive(Template)]
#[template(path = "exemplar_form.html")]
struct FormPage {
    chrome: Chrome,
    id: Option<i64>,
    version: i64,
    v: ExemplarInput,
    unit: UnitPicker,
    kinds: Vec<Choice>,
    fields: Vec<Named>,
    movements: Vec<Named>,
    duplicates: Vec<Named>,
    errors: Invalid,
    /// Set when a save was refused as stale (see `Conflict`).
    conflict: Option<Conflict>,
}

/// The input as typed; a number that is not one is reported in `typed`.
fn input_from(p: &Pairs, typed: &mut Invalid) -> ExemplarInput {
    ExemplarInput {
        org_id: p.int("org_id").unwrap_or(0),
        kind: p.get("kind"),
        name: p.get("name"),
        position: p.get("position"),
        unit_name: p.get("unit_name"),
        member_count: p.number("member_count", "Số thành viên", i64::MIN..=i64::MAX, typed),
        achievements: p.get("achievements"),
        model: p.get("model"),
        year_found: p.number("year_found", "Năm phát hiện", i64::MIN..=i64::MAX, typed).unwrap_or(0),
        consent_publish: p.checked("consent_publish"),
        field_ids: p.ids("field_ids"),
        movement_ids: p.ids("movement_ids"),
    }
}

async fn form_page(st: &AppState, me: &AuthUser, id: Option<i64>, version: i64, v: ExemplarInput, duplicates: Vec<Named>, errors: Invalid) -> Result<FormPage, PageError> {
    // One level of the tree around the chosen unit; "Xem đơn vị trực thuộc"
    // re-shows the form one level down (see `create`).
    let unit = UnitPicker::load(st, "org_id", &me.scope(Action::EnterData), Some(v.org_id), &picker::ANY).await?;
    let at = match orgs::get(&st.db, v.org_id).await.optional()? {
        Some(o) if me.can(Action::View, &o.org_path()) => o.org_path(),
        _ => me.scope(Action::EnterData).into_iter().next().unwrap_or(OrgPath::whole_tree()),
    };
    Ok(FormPage {
        chrome: Chrome::new(if id.is_some() { "Sửa điển hình" } else { "Thêm điển hình" }, me, "/exemplars"),
        id,
        version,
        v,
        unit,
        kinds: coded::<ExemplarKind>(),
        fields: exemplars::fields(&st.db).await?,
        movements: exemplars::movements_for(&st.db, &at).await?,
        duplicates,
        errors,
        conflict: None,
    })
}

pub async fn new_form(State(st): State<AppState>, Signed(me): Signed) -> PageResult {
    let org_id = me.user.roles.first().map(|r| r.org_id).unwrap_or(0);
    let v = ExemplarInput { org_id, kind: dienhinh_domain::exemplar::ExemplarKind::CaNhan.code().into(), year_found: dienhinh_domain::clock::current_year(), ..Default::default() };
    render(&form_page(&st, &me, None, 0, v, vec![], Invalid::new()).await?)
}

/// Refuses the input when a typed number was not one, with every other
/// message of the input as well (one message per field, the typed one first).
fn typed_ok(v: &ExemplarInput, mut typed: Invalid) -> Result<(), Invalid> {
    if typed.is_empty() {
        return Ok(());
    }
    if let Err(inv) = v.validate(dienhinh_domain::clock::current_year()) {
        for e in inv.0 {
            if typed.for_field(e.field).is_none() {
                typed.0.push(e);
            }
        }
    }
    Err(typed)
}

pub async fn create(State(st): State<AppState>, Signed(me): Signed, form: Pairs) -> PageResult {
    let mut typed = Invalid::new();
    let v = input_from(&form, &mut typed);
    if form.checked(picker::DRILL) {
        return render(&form_page(&st, &me, None, 0, v, vec![], Invalid::new()).await?);
    }
    // Missing, out of sight or not allowed: the same answer, naming nothing.
    if let Err(r) = access::target(&st, &me, v.org_id, Action::EnterData).await {
        if let Some(e) = r.failure() {
            return Err(e.into());
        }
        let mut errors = Invalid::new();
        errors.add("org_id", "forbidden", "Vui lòng chọn một đơn vị trong phạm vi bạn được nhập liệu.");
        return render_status(StatusCode::UNPROCESSABLE_ENTITY, &form_page(&st, &me, None, 0, v, vec![], errors).await?);
    }
    if let Err(errors) = typed_ok(&v, typed) {
        return render_status(StatusCode::UNPROCESSABLE_ENTITY, &form_page(&st, &me, None, 0, v, vec![], errors).await?);
    }
    // A likely duplicate is shown first; the user confirms to create anyway.
    // (Checked inside the write, so two identical creations serialise.)
    match exemplars::create_unless_duplicate(&st.db, &me.actor(), &v, form.checked("confirm_duplicate")).await {
        Ok(exemplars::NewExemplar::Created(e)) => done(&st, &format!("/exemplars/{}", e.id), Done::ExemplarCreated),
        Ok(exemplars::NewExemplar::PossibleDuplicates(duplicates)) => {
            render_status(StatusCode::CONFLICT, &form_page(&st, &me, None, 0, v, duplicates, Invalid::new()).await?)
        }
        Err(StoreError::Invalid(errors)) => render_status(StatusCode::UNPROCESSABLE_ENTITY, &form_page(&st, &me, None, 0, v, vec![], errors).await?),
        Err(e) => Err(e.into()),
    }
}

pub async fn edit_form(State(st): State<AppState>, Signed(me): Signed, Authorized(e): Authorized<Exemplar>) -> PageResult {
    let v = ExemplarInput {
        org_id: e.org_id,
        kind: e.kind.code().to_string(),
        name: e.name.clone(),
        position: e.position.clone(),
        unit_name: e.unit_name.clone(),
        member_count: e.member_count,
        achievements: e.achievements.clone(),
        model: e.model.clone(),
        year_found: e.year_found,
        consent_publish: e.consent_publish,
        field_ids: e.fields.iter().map(|f| f.id).collect(),
        movement_ids: e.movements.iter().map(|m| m.id).collect(),
    };
    render(&form_page(&st, &me, Some(e.id), e.version, v, vec![], Invalid::new()).await?)
}

pub async fn update(State(st): State<AppState>, Signed(me): Signed, Authorized(e): Authorized<Exemplar>, form: Pairs) -> PageResult {
    let id = e.id;
    let mut typed = Invalid::new();
    let mut v = input_from(&form, &mut typed);
    v.org_id = e.org_id;
    let version = form.int("version").unwrap_or(0);
    if let Err(errors) = typed_ok(&v, typed) {
        return render_status(StatusCode::UNPROCESSABLE_ENTITY, &form_page(&st, &me, Some(id), version, v, vec![], errors).await?);
    }
    match exemplars::update(&st.db, &me.actor(), id, version, v.clone()).await {
        Ok(_) => done(&st, &format!("/exemplars/{id}"), Done::ExemplarSaved),
        Err(StoreError::Invalid(errors)) => render_status(StatusCode::UNPROCESSABLE_ENTITY, &form_page(&st, &me, Some(id), version, v, vec![], errors).await?),
        Err(StoreError::Conflict { .. }) => {
            let now = exemplars::get(&st.db, id).await?;
            let rows = vec![
                ("Họ tên / tên tập thể".to_string(), v.name.clone(), now.name.clone()),
                ("Chức vụ".into(), v.position.clone(), now.position.clone()),
                ("Đơn vị".into(), v.unit_name.clone(), now.unit_name.clone()),
                ("Thành tích".into(), v.achievements.clone(), now.achievements.clone()),
                ("Mô hình, cách làm hay".into(), v.model.clone(), now.model.clone()),
                ("Năm phát hiện".into(), v.year_found.to_string(), now.year_found.to_string()),
                ("Đồng ý công khai".into(), yes_no(v.consent_publish), yes_no(now.consent_publish)),
            ];
            let changed_by = last_writer(&st, dienhinh_domain::RecordKind::Exemplar, id).await;
            let mut page = form_page(&st, &me, Some(id), now.version, v, vec![], Invalid::new()).await?;
            page.conflict = Some(Conflict { changed_by, rows });
            render_status(StatusCode::CONFLICT, &page)
        }
        Err(e) => Err(e.into()),
    }
}

fn yes_no(b: bool) -> String {
    if b { "Có".into() } else { "Không".into() }
}
