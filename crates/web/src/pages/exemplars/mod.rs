//! Exemplar pages: the detail page (stage, steps, fostering, evaluations,
//! spread) and its steps here; the list, the create/edit form and the
//! printable profile beside it. Fostering, spread and evaluations have their
//! own modules under `pages/`.

mod form;
mod list;
mod print;

pub use form::{create, edit_form, new_form, update};
pub use list::list;
pub use print::{docx as profile_docx, print};

use super::{confirm, done, render_status};
use crate::flash::Done;
use crate::access::Authorized;
use crate::auth::{AuthUser, Signed};
use crate::error::{PageError, PageResult};
use crate::form::Pairs;
use crate::pages::shared::{last_writer, Choice};
use crate::routes::{Access, SPREAD};
use crate::view::{datetime, Chrome};
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use dienhinh_domain::exemplar::{self, possible_steps, Step};
use dienhinh_domain::{Action, Invalid, OrgPath};
use dienhinh_store::evaluations::{self, Evaluation};
use dienhinh_store::exemplars::{self, Exemplar};
use dienhinh_store::fostering::{self, FosteringItem};
use dienhinh_store::spread::{self, Replication, StudyVisit};
use dienhinh_store::{orgs, StoreError};
use serde::Deserialize;

/// The unit picker of a filter or form, as (id, indented name) pairs.
pub(super) async fn unit_choices(st: &AppState, scope: &[OrgPath], selected: Option<i64>) -> Result<Vec<(i64, String)>, PageError> {
    Ok(orgs::picker(&st.db, scope, selected).await?.into_iter().map(|c| (c.id, c.label())).collect())
}

pub struct StepRow {
    pub at: String,
    pub step: String,
    pub change: String,
    pub reason: String,
    /// The decision the step records, e.g. `số 22-NQ/ĐU ngày 28/11/2026` (empty when none).
    pub decision: String,
    pub actor: String,
}

/// A form of the detail page re-shown after a refusal: open, with what was
/// typed in it and the messages beside its fields (the other forms stay
/// closed and empty).
#[derive(Default)]
pub struct Again {
    /// `fostering`, `replication`, `visit`, `attachment`, `step`; empty for none.
    pub form: &'static str,
    pub typed: Vec<(String, String)>,
    pub errors: Invalid,
}

impl Again {
    pub fn new(form: &'static str, typed: &Pairs) -> Self {
        Again { form, typed: typed.0.clone(), errors: Invalid::new() }
    }
    pub fn is(&self, form: &str) -> bool {
        self.form == form
    }
    /// What was typed in `name` of `form`, or `default` when that form is not re-shown.
    pub fn val(&self, form: &str, name: &str, default: &str) -> String {
        if !self.is(form) {
            return default.to_string();
        }
        self.typed.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default()
    }
    /// Whether `value` was the choice of `name` in `form`.
    pub fn chose(&self, form: &str, name: &str, value: &str) -> bool {
        self.is(form) && self.typed.iter().any(|(k, v)| k == name && v == value)
    }
    /// The message beside `name` of `form`, if any.
    pub fn err(&self, form: &str, name: &str) -> Option<&str> {
        if self.is(form) { self.errors.for_field(name) } else { None }
    }
    /// Messages of `form` about none of `fields` (shown at the top of the form).
    pub fn others(&self, form: &str, fields: &[&str]) -> Vec<&str> {
        if !self.is(form) {
            return vec![];
        }
        self.errors.0.iter().filter(|e| !fields.contains(&e.field)).map(|e| e.message.as_str()).collect()
    }
}

/// The label of a list filter, for its message.
pub fn filter_label(field: &str) -> &'static str {
    match field {
        "org_id" => "Đơn vị",
        "kind" => "Loại",
        "field_id" => "Lĩnh vực",
        "status" => "Trạng thái",
        "level" => "Cấp",
        "year" => "Năm phát hiện",
        "sort" => "Sắp xếp",
        _ => "Bộ lọc",
    }
}

/// The anchor of each re-shown form's section.
fn section_of(form: &str) -> &'static str {
    match form {
        "fostering" => "boi-duong",
        "replication" | "visit" => "nhan-rong",
        "attachment" => "minh-chung",
        _ => "",
    }
}

#[derive(Template)]
#[template(path = "exemplar_detail.html")]
struct DetailPage {
    chrome: Chrome,
    e: Exemplar,
    org_name: String,
    error: String,
    steps_offered: Vec<Choice>,
    history: Vec<StepRow>,
    fostering: Vec<FosteringItem>,
    evaluations: Vec<Evaluation>,
    replications: Vec<Replication>,
    visits: Vec<StudyVisit>,
    attachments: Vec<dienhinh_store::files::Attachment>,
    can_edit: bool,
    can_evaluate: bool,
    can_spread: bool,
    support_kinds: Vec<Choice>,
    how: Vec<Choice>,
    adopters: Vec<(i64, String)>,
    today: String,
    again: Again,
    /// Where the re-shown form is (`#…`), for the message at the top.
    again_at: &'static str,
}

#[derive(Deserialize, Default)]
pub struct DetailQuery {
    /// `too_large`: an upload refused before it reached the handler (see `security::oversize`).
    #[serde(default)]
    upload: Option<String>,
}

async fn detail(st: &AppState, me: &AuthUser, e: Exemplar, error: String, status: StatusCode) -> PageResult {
    detail_again(st, me, e, error, status, Again::default()).await
}

async fn detail_again(st: &AppState, me: &AuthUser, e: Exemplar, error: String, status: StatusCode, again: Again) -> PageResult {
    let org_name = orgs::get(&st.db, e.org_id).await?.name;
    let stage = e.stage();
    let steps_offered = possible_steps(stage)
        .into_iter()
        .filter(|s| me.can(s.needs(stage.level), e.path()))
        .map(|s| (s.code().to_string(), s.label().to_string()))
        .collect();
    let history = exemplars::steps(&st.db, e.id)
        .await?
        .into_iter()
        .map(|s| {
            let status = format!("{} → {}", s.from_status.label(), s.to_status.label());
            let level = format!("Cấp {} → {}", s.from_level.label(), s.to_level.label());
            let change = match (s.from_status != s.to_status, s.from_level != s.to_level) {
                (true, true) => format!("{status}; {level}"),
                (false, true) => level,
                _ => status,
            };
            StepRow { at: datetime(s.at), step: s.step.label().into(), change, decision: s.decision(), reason: s.reason, actor: s.actor }
        })
        .collect();
    let can_spread = Access::Spread.allows(me, e.path(), None);
    let adopters = if can_spread {
        let scope: Vec<OrgPath> = SPREAD.iter().flat_map(|a| me.scope(*a)).collect();
        unit_choices(st, &scope, None).await?.into_iter().filter(|o| o.0 != e.org_id).collect()
    } else {
        vec![]
    };
    let page = DetailPage {
        chrome: Chrome::new(e.name.clone(), me, "/exemplars"),
        org_name,
        error,
        steps_offered,
        history,
        fostering: fostering::for_exemplar(&st.db, e.id).await?,
        evaluations: evaluations::for_exemplar(&st.db, e.id).await?,
        replications: spread::replications(&st.db, e.id).await?,
        visits: spread::visits(&st.db, e.id).await?,
        attachments: dienhinh_store::files::list(&st.db, dienhinh_domain::RecordKind::Exemplar, e.id).await?,
        can_edit: me.can(Action::EnterData, e.path()),
        can_evaluate: me.can(Action::Evaluate, e.path()),
        can_spread,
        support_kinds: crate::view::coded::<dienhinh_domain::fostering::SupportKind>(),
        how: crate::view::coded::<dienhinh_domain::spread::How>(),
        adopters,
        today: dienhinh_domain::clock::today_iso(),
        again_at: section_of(again.form),
        again,
        e,
    };
    render_status(status, &page)
}

pub async fn show(State(st): State<AppState>, Signed(me): Signed, Authorized(e): Authorized<Exemplar>, Query(q): Query<DetailQuery>) -> PageResult {
    if q.upload.as_deref() == Some("too_large") {
        let mut again = Again { form: "attachment", ..Default::default() };
        again.errors.add("file", "too_large", crate::pages::attachments::too_large_message());
        return detail_again(&st, &me, e, String::new(), StatusCode::OK, again).await;
    }
    detail(&st, &me, e, String::new(), StatusCode::OK).await
}

/// Re-shows the detail page after a refused form: the form open with what
/// was typed and the messages beside its fields. A conflict or another
/// refusal keeps what was typed as well.
pub(crate) async fn refused_form(st: &AppState, me: &AuthUser, id: i64, err: StoreError, mut again: Again) -> PageResult {
    let status = match err {
        StoreError::Invalid(inv) => {
            again.errors = inv;
            match again.errors.0.first().map(|f| f.code) {
                Some("too_large") => StatusCode::PAYLOAD_TOO_LARGE,
                Some("bad_request") => StatusCode::BAD_REQUEST,
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            }
        }
        StoreError::Conflict { .. } => {
            let e = exemplars::get(&st.db, id).await?;
            let msg = format!("Bản ghi vừa được {} thay đổi trước bạn. Chưa lưu; hãy xem lại rồi gửi lại.", last_writer(st, dienhinh_domain::RecordKind::Exemplar, id).await);
            return detail_again(st, me, e, msg, StatusCode::CONFLICT, again).await;
        }
        other => return Err(other.into()),
    };
    let e = exemplars::get(&st.db, id).await?;
    let msg = "Chưa lưu: vui lòng sửa những chỗ được đánh dấu trong biểu mẫu bên dưới.".to_string();
    detail_again(st, me, e, msg, status, again).await
}

/// Re-shows the detail page with a message after a refused action.
pub(crate) async fn refused(st: &AppState, me: &AuthUser, id: i64, err: StoreError) -> PageResult {
    let (status, msg) = match err {
        StoreError::Invalid(inv) => (StatusCode::UNPROCESSABLE_ENTITY, inv.0.iter().map(|f| f.message.clone()).collect::<Vec<_>>().join(" ")),
        StoreError::Conflict { .. } => (
            StatusCode::CONFLICT,
            format!("Điển hình vừa được {} thay đổi trước bạn. Thao tác của bạn chưa được thực hiện; hãy xem lại trạng thái hiện tại rồi thực hiện lại.", last_writer(st, dienhinh_domain::RecordKind::Exemplar, id).await),
        ),
        other => return Err(other.into()),
    };
    let e = exemplars::get(&st.db, id).await?;
    detail(st, me, e, msg, status).await
}

pub async fn step(State(st): State<AppState>, Signed(me): Signed, Authorized(e): Authorized<Exemplar>, form: Pairs) -> PageResult {
    let id = e.id;
    let Some(step) = Step::from_code(&form.get("step")) else {
        return refused(&st, &me, id, StoreError::invalid("step", "invalid", "Vui lòng chọn bước cần thực hiện.")).await;
    };
    let version = form.int("version").unwrap_or(0);
    let decision = exemplars::DecisionInput { decision_no: form.get("decision_no"), decided_on: form.get("decided_on") };
    // A step that would be taken is confirmed first, saying what it does;
    // one that would be refused goes straight on to say why.
    if !confirm::confirmed(&form) && e.version == version && decision.validate(step, dienhinh_domain::clock::today()).is_ok() {
        if let Ok(to) = exemplar::check(step, e.stage(), &me.assignments, &e.org_path, &form.get("reason")) {
            let ask = confirm::Ask {
                heading: &format!("Xác nhận: {}", step.label()),
                consequence: format!("Điển hình «{}» sẽ {}.", e.name, exemplar::consequence(e.stage(), to)),
                action: &format!("/exemplars/{id}/steps"),
                confirm_label: "Xác nhận, thực hiện",
                back: &format!("/exemplars/{id}"),
            };
            return confirm::ask(&me, "/exemplars", ask, &form);
        }
    }
    match exemplars::take_step(&st.db, &me.actor(), &me.assignments, e.id, version, step, &form.get("reason"), &decision).await {
        Ok(_) => done(&st, &format!("/exemplars/{id}"), Done::StepTaken),
        Err(err) => refused(&st, &me, id, err).await,
    }
}
