//! Exemplar pages: the detail page (stage, steps, fostering, evaluations,
//! spread) and its steps here; the list, the create/edit form and the
//! printable profile beside it. Fostering, spread and evaluations have their
//! own modules under `pages/`.

mod form;
mod list;
mod print;

pub use form::{create, edit_form, new_form, update};
pub use list::list;
pub use print::print;

use super::{render_status, see_other};
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
use dienhinh_domain::exemplar::{possible_steps, Step};
use dienhinh_domain::{Action, OrgPath};
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

#[derive(Template)]
#[template(path = "exemplar_detail.html")]
struct DetailPage {
    chrome: Chrome,
    e: Exemplar,
    org_name: String,
    saved: bool,
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
}

#[derive(Deserialize, Default)]
pub struct DetailQuery {
    #[serde(default)]
    saved: Option<String>,
}

async fn detail(st: &AppState, me: &AuthUser, e: Exemplar, saved: bool, error: String, status: StatusCode) -> PageResult {
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
        saved,
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
        e,
    };
    render_status(status, &page)
}

pub async fn show(State(st): State<AppState>, Signed(me): Signed, Authorized(e): Authorized<Exemplar>, Query(q): Query<DetailQuery>) -> PageResult {
    detail(&st, &me, e, q.saved.is_some(), String::new(), StatusCode::OK).await
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
    detail(st, me, e, false, msg, status).await
}

pub async fn step(State(st): State<AppState>, Signed(me): Signed, Authorized(e): Authorized<Exemplar>, form: Pairs) -> PageResult {
    let id = e.id;
    let Some(step) = Step::from_code(&form.get("step")) else {
        return refused(&st, &me, id, StoreError::invalid("step", "invalid", "Vui lòng chọn bước cần thực hiện.")).await;
    };
    let version = form.int("version").unwrap_or(0);
    let decision = exemplars::DecisionInput { decision_no: form.get("decision_no"), decided_on: form.get("decided_on") };
    match exemplars::take_step(&st.db, &me.actor(), &me.assignments, e.id, version, step, &form.get("reason"), &decision).await {
        Ok(_) => see_other(&format!("/exemplars/{id}?saved=1")),
        Err(err) => refused(&st, &me, id, err).await,
    }
}
