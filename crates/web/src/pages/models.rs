//! Annual models (mô hình tiêu biểu của năm, plan V.1): registration by the
//! TCCS, approval by its cấp ủy, and who has none approved this year.

use super::{confirm, done, render, render_status};
use crate::flash::Done;
use crate::access::{self, Authorized};
use crate::auth::Signed;
use crate::error::{PageError, PageResult};
use crate::form::Pairs;
use crate::picker::{self, UnitPicker};
use crate::view::Chrome;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use dienhinh_domain::{Action, Invalid};
use dienhinh_store::annual_models::{self, AnnualModel, AnnualModelInput};
use dienhinh_store::{orgs, StoreError};
use serde::Deserialize;

pub struct Row {
    pub m: AnnualModel,
    pub can_decide: bool,
}

#[derive(Template)]
#[template(path = "models.html")]
struct ModelsPage {
    chrome: Chrome,
    year: i64,
    years: Vec<i64>,
    statuses: Vec<crate::view::Choice>,
    rows: Vec<Row>,
    missing: Vec<orgs::Org>,
    /// Which TCCS may register a model (none without the right).
    register_unit: Option<UnitPicker>,
    form: Pairs,
    errors: Invalid,
    message: String,
    /// The state the rows are narrowed to (empty: all).
    status: String,
    /// Why the year asked for in the address is not the one shown.
    year_error: String,
}

impl ModelsPage {
    fn value(&self, name: &str) -> String {
        self.form.get(name)
    }
}

#[derive(Deserialize, Default)]
pub struct YearQuery {
    #[serde(default)]
    year: String,
    /// Only the models in this state (a code of `ModelStatus`).
    #[serde(default)]
    status: Option<String>,
}

/// The years a model may be for (the domain's rule), as a typed number.
fn year_of(raw: &str, errors: &mut Invalid) -> Option<i64> {
    let now = dienhinh_domain::clock::current_year();
    crate::form::number(raw, "year", "Năm", dienhinh_domain::annual_model::FIRST_YEAR..=now + 1, errors)
}

async fn page(st: &AppState, me: &crate::auth::AuthUser, year: i64, form: Pairs, errors: Invalid, message: String) -> Result<ModelsPage, PageError> {
    let scope = me.scope(Action::View);
    let rows = annual_models::for_year(&st.db, &scope, year)
        .await?
        .into_iter()
        .map(|m| Row { can_decide: m.status == dienhinh_domain::annual_model::ModelStatus::DangKy && me.can(Action::ApproveUnit, &m.org_path), m })
        .collect();
    let now = dienhinh_domain::clock::current_year();
    Ok(ModelsPage {
        chrome: Chrome::new("Mô hình tiêu biểu của năm", me, "/models"),
        year,
        years: (2022..=now + 1).rev().collect(),
        statuses: crate::view::coded::<dienhinh_domain::annual_model::ModelStatus>(),
        rows,
        missing: annual_models::tccs_without_approved(&st.db, &scope, year).await?,
        register_unit: match me.scope(Action::EnterData) {
            scope if scope.is_empty() => None,
            scope => Some(UnitPicker::load(st, "org_id", &scope, form.int("org_id"), &picker::TCCS).await?),
        },
        form,
        errors,
        message,
        status: String::new(),
        year_error: String::new(),
    })
}

pub async fn list(State(st): State<AppState>, Signed(me): Signed, Query(q): Query<YearQuery>) -> PageResult {
    // A year that cannot be shown is said beside the year picker; the page shows this year.
    let mut errors = Invalid::new();
    let year = year_of(&q.year, &mut errors).unwrap_or_else(dienhinh_domain::clock::current_year);
    let mut p = page(&st, &me, year, Pairs(vec![]), Invalid::new(), String::new()).await?;
    p.year_error = errors.for_field("year").map(|m| format!("{m} Đang hiện năm {year}.")).unwrap_or_default();
    if let Some(status) = q.status.as_deref().filter(|s| !s.is_empty()) {
        p.rows.retain(|r| r.m.status.code() == status);
        p.status = status.to_string();
    }
    render(&p)
}

pub async fn register(State(st): State<AppState>, Signed(me): Signed, form: Pairs) -> PageResult {
    // The page around the form shows the year typed when it is one a model may be for.
    let mut typed = Invalid::new();
    let year = form.number("year", "Năm", i64::MIN..=i64::MAX, &mut typed).unwrap_or(0);
    let y = year_of(&year.to_string(), &mut Invalid::new()).unwrap_or_else(dienhinh_domain::clock::current_year);
    // The picker's drill-down: the page again around the chosen unit, nothing saved.
    if form.checked(picker::DRILL) {
        return render(&page(&st, &me, y, form, Invalid::new(), String::new()).await?);
    }
    let org_id = form.int("org_id").unwrap_or(0);
    let org = access::target(&st, &me, org_id, Action::EnterData).await?;
    if let Err(errors) = picker::TCCS.check("org_id", &org) {
        return render_status(StatusCode::UNPROCESSABLE_ENTITY, &page(&st, &me, y, form, errors, String::new()).await?);
    }
    let input = AnnualModelInput { org_id, year, exemplar_id: None, title: form.get("title"), description: form.get("description") };
    if !typed.is_empty() {
        return render_status(StatusCode::UNPROCESSABLE_ENTITY, &page(&st, &me, y, form, typed, String::new()).await?);
    }
    match annual_models::register(&st.db, &me.actor(), input).await {
        Ok(_) => done(&st, &format!("/models?year={year}"), Done::ModelRegistered),
        Err(StoreError::Invalid(errors)) => render_status(StatusCode::UNPROCESSABLE_ENTITY, &page(&st, &me, y, form, errors, String::new()).await?),
        Err(e) => Err(e.into()),
    }
}

pub async fn decide(State(st): State<AppState>, Signed(me): Signed, Authorized(m): Authorized<AnnualModel>, form: Pairs) -> PageResult {
    let id = m.id;
    let approve = form.get("decision") == "approve";
    let version = form.int("version").unwrap_or(0);
    if !confirm::confirmed(&form) && m.version == version && ["approve", "reject"].contains(&form.get("decision").as_str()) {
        let (heading, verdict) = if approve { ("Xác nhận duyệt mô hình", "được duyệt") } else { ("Xác nhận không duyệt mô hình", "không được duyệt") };
        let ask = confirm::Ask {
            heading,
            consequence: format!("Mô hình «{}» của {} sẽ {} là mô hình, cách làm hay năm {}.", m.title, m.org_name, verdict, m.year),
            action: &format!("/models/{id}/decision"),
            confirm_label: if approve { "Xác nhận duyệt" } else { "Xác nhận không duyệt" },
            back: &format!("/models?year={}", m.year),
        };
        return confirm::ask(&me, "/models", ask, &form);
    }
    match annual_models::decide(&st.db, &me.actor(), id, version, approve, &form.get("note")).await {
        Ok(_) => done(&st, &format!("/models?year={}", m.year), Done::ModelDecided),
        Err(StoreError::Invalid(inv)) => {
            let msg = inv.0.iter().map(|f| f.message.clone()).collect::<Vec<_>>().join(" ");
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &page(&st, &me, m.year, Pairs(vec![]), Invalid::new(), msg).await?)
        }
        Err(StoreError::Conflict { .. }) => render_status(
            StatusCode::CONFLICT,
            &page(&st, &me, m.year, Pairs(vec![]), Invalid::new(), "Mô hình vừa được người khác xét duyệt; hãy xem kết quả hiện tại.".into()).await?,
        ),
        Err(e) => Err(e.into()),
    }
}

