//! Exemplar pages: list with filters, detail (stage, steps, fostering,
//! evaluations, spread), create/edit with duplicate warning and conflict
//! page, steps, evaluation form, printable profile.

use super::{render, render_status, see_other};
use crate::auth::{AuthUser, Signed};
use crate::error::{PageError, PageResult};
use crate::form::Pairs;
use crate::picker::{self, UnitPicker};
use crate::pages::orgs::{last_writer, ConflictPage};
use crate::view::{date_iso_to_vn, datetime, Chrome};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use dienhinh_domain::exemplar::{possible_steps, ExemplarKind, Level, Status, Step};
use dienhinh_domain::{Action, Invalid, OrgPath};
use dienhinh_store::evaluations::{self, Evaluation, EvaluationInput, ScoreInput};
use dienhinh_store::exemplars::{self, Exemplar, ExemplarFilter, ExemplarInput, Named};
use dienhinh_store::fostering::{self, FosteringInput, FosteringItem};
use dienhinh_store::plans::CriteriaSet;
use dienhinh_store::spread::{self, Replication, ReplicationInput, StudyVisit, StudyVisitInput};
use dienhinh_store::{orgs, StoreError};
use serde::Deserialize;

pub type Choice = (String, String);

fn choices<T: Copy>(all: &[T], code: fn(T) -> &'static str, label: fn(T) -> &'static str) -> Vec<Choice> {
    all.iter().map(|v| (code(*v).to_string(), label(*v).to_string())).collect()
}
fn table(t: &[(&str, &str)]) -> Vec<Choice> {
    t.iter().map(|(c, l)| (c.to_string(), l.to_string())).collect()
}

/// Loads an exemplar the caller may see, or 404.
pub async fn visible(st: &AppState, me: &AuthUser, id: i64) -> Result<Exemplar, PageError> {
    let e = exemplars::get(&st.db, id).await?;
    if !me.can(Action::View, &e.path()) {
        return Err(PageError::not_found());
    }
    Ok(e)
}

/// The unit picker of a filter or form, as (id, indented name) pairs.
async fn unit_choices(st: &AppState, scope: &[OrgPath], selected: Option<i64>) -> Result<Vec<(i64, String)>, PageError> {
    Ok(orgs::picker(&st.db, scope, selected).await?.into_iter().map(|c| (c.id, c.label())).collect())
}

// ---- list ----

#[derive(Template)]
#[template(path = "exemplars_list.html")]
struct ListPage {
    chrome: Chrome,
    items: Vec<Exemplar>,
    next_href: Option<String>,
    f: ListQuery,
    orgs: Vec<(i64, String)>,
    kinds: Vec<Choice>,
    statuses: Vec<Choice>,
    levels: Vec<Choice>,
    fields: Vec<Named>,
    can_create: bool,
}

#[derive(Deserialize, Default, serde::Serialize, Clone)]
pub struct ListQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub org_id: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub level: String,
    #[serde(default)]
    pub field_id: String,
    #[serde(default)]
    pub year: String,
    #[serde(default, skip_serializing)]
    pub cursor: Option<String>,
}

pub async fn list(State(st): State<AppState>, Signed(me): Signed, Query(f): Query<ListQuery>) -> PageResult {
    let filter = ExemplarFilter {
        within: me.scope(Action::View),
        org_id: f.org_id.trim().parse().ok(),
        kind: Some(f.kind.clone()),
        status: Some(f.status.clone()),
        level: Some(f.level.clone()),
        field_id: f.field_id.trim().parse().ok(),
        year: f.year.trim().parse().ok(),
        q: Some(f.q.clone()),
        cursor: f.cursor.clone(),
        limit: Some(30),
        movement_id: None,
    };
    let page = exemplars::list(&st.db, &filter).await?;
    let next_href = page.next.map(|n| format!("/exemplars?{}&cursor={}", serde_urlencoded::to_string(&f).unwrap_or_default(), n));
    render(&ListPage {
        chrome: Chrome::new("Điển hình tiên tiến", &me, "/exemplars"),
        items: page.items,
        next_href,
        orgs: unit_choices(&st, &me.scope(Action::View), f.org_id.trim().parse().ok()).await?,
        kinds: choices(ExemplarKind::ALL, ExemplarKind::code, ExemplarKind::label),
        statuses: choices(Status::ALL, Status::code, Status::label),
        levels: choices(Level::ALL, Level::code, Level::label),
        fields: exemplars::fields(&st.db).await?,
        can_create: !me.scope(Action::EnterData).is_empty(),
        f,
    })
}

// ---- create / edit ----

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
}

fn input_from(p: &Pairs) -> ExemplarInput {
    ExemplarInput {
        org_id: p.int("org_id").unwrap_or(0),
        kind: p.get("kind"),
        name: p.get("name"),
        position: p.get("position"),
        unit_name: p.get("unit_name"),
        member_count: p.int("member_count"),
        achievements: p.get("achievements"),
        model: p.get("model"),
        year_found: p.int("year_found").unwrap_or(0),
        consent_publish: p.checked("consent_publish"),
        field_ids: p.ids("field_ids"),
        movement_ids: p.ids("movement_ids"),
    }
}

async fn form_page(st: &AppState, me: &AuthUser, id: Option<i64>, version: i64, v: ExemplarInput, duplicates: Vec<Named>, errors: Invalid) -> Result<FormPage, PageError> {
    let unit = UnitPicker::load(st, "org_id", &me.scope(Action::EnterData), Some(v.org_id), &picker::ANY).await?;
    let at = match orgs::get(&st.db, v.org_id).await {
        Ok(o) => o.org_path(),
        Err(_) => me.scope(Action::EnterData).into_iter().next().unwrap_or(OrgPath("/".into())),
    };
    Ok(FormPage {
        chrome: Chrome::new(if id.is_some() { "Sửa điển hình" } else { "Thêm điển hình" }, me, "/exemplars"),
        id,
        version,
        v,
        unit,
        kinds: choices(ExemplarKind::ALL, ExemplarKind::code, ExemplarKind::label),
        fields: exemplars::fields(&st.db).await?,
        movements: exemplars::movements_for(&st.db, &at).await?,
        duplicates,
        errors,
    })
}

pub async fn new_form(State(st): State<AppState>, Signed(me): Signed) -> PageResult {
    if me.scope(Action::EnterData).is_empty() {
        return Err(PageError::forbidden());
    }
    let org_id = me.user.roles.first().map(|r| r.org_id).unwrap_or(0);
    let v = ExemplarInput { org_id, kind: "ca_nhan".into(), year_found: exemplars::current_year(), ..Default::default() };
    render(&form_page(&st, &me, None, 0, v, vec![], Invalid::new()).await?)
}

pub async fn create(State(st): State<AppState>, Signed(me): Signed, form: Pairs) -> PageResult {
    let v = input_from(&form);
    if form.checked(picker::DRILL) {
        return render(&form_page(&st, &me, None, 0, v, vec![], Invalid::new()).await?);
    }
    let org = orgs::get(&st.db, v.org_id).await.ok();
    if !org.as_ref().is_some_and(|o| me.can(Action::EnterData, &o.org_path())) {
        let mut errors = Invalid::new();
        errors.add("org_id", "forbidden", "Vui lòng chọn một đơn vị trong phạm vi bạn được nhập liệu.");
        return render_status(StatusCode::UNPROCESSABLE_ENTITY, &form_page(&st, &me, None, 0, v, vec![], errors).await?);
    }
    // A likely duplicate is shown first; the user confirms to create anyway.
    let duplicates = exemplars::possible_duplicates(&st.db, v.org_id, &v.name, None).await?;
    if !duplicates.is_empty() && !form.checked("confirm_duplicate") {
        return render_status(StatusCode::CONFLICT, &form_page(&st, &me, None, 0, v, duplicates, Invalid::new()).await?);
    }
    match exemplars::create(&st.db, &me.actor(), v.clone()).await {
        Ok(e) => see_other(&format!("/exemplars/{}?saved=1", e.id)),
        Err(StoreError::Invalid(errors)) => render_status(StatusCode::UNPROCESSABLE_ENTITY, &form_page(&st, &me, None, 0, v, vec![], errors).await?),
        Err(e) => Err(e.into()),
    }
}

pub async fn edit_form(State(st): State<AppState>, Signed(me): Signed, Path(id): Path<i64>) -> PageResult {
    let e = visible(&st, &me, id).await?;
    me.require_page(Action::EnterData, &e.path())?;
    let v = ExemplarInput {
        org_id: e.org_id,
        kind: e.kind.clone(),
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
    render(&form_page(&st, &me, Some(id), e.version, v, vec![], Invalid::new()).await?)
}

pub async fn update(State(st): State<AppState>, Signed(me): Signed, Path(id): Path<i64>, form: Pairs) -> PageResult {
    let e = visible(&st, &me, id).await?;
    me.require_page(Action::EnterData, &e.path())?;
    let mut v = input_from(&form);
    v.org_id = e.org_id;
    let version = form.int("version").unwrap_or(0);
    match exemplars::update(&st.db, &me.actor(), id, version, v.clone()).await {
        Ok(_) => see_other(&format!("/exemplars/{id}?saved=1")),
        Err(StoreError::Invalid(errors)) => render_status(StatusCode::UNPROCESSABLE_ENTITY, &form_page(&st, &me, Some(id), version, v, vec![], errors).await?),
        Err(StoreError::Conflict { .. }) => {
            let now = exemplars::get(&st.db, id).await?;
            let rows = vec![
                ("Họ tên / tên tập thể".to_string(), v.name, now.name.clone()),
                ("Chức vụ".into(), v.position, now.position.clone()),
                ("Đơn vị".into(), v.unit_name, now.unit_name.clone()),
                ("Thành tích".into(), v.achievements, now.achievements.clone()),
                ("Mô hình, cách làm hay".into(), v.model, now.model.clone()),
                ("Năm phát hiện".into(), v.year_found.to_string(), now.year_found.to_string()),
                ("Đồng ý công khai".into(), yes_no(v.consent_publish), yes_no(now.consent_publish)),
            ];
            render_status(
                StatusCode::CONFLICT,
                &ConflictPage {
                    chrome: Chrome::new("Xung đột khi lưu", &me, "/exemplars"),
                    changed_by: last_writer(&st, "exemplar", id).await,
                    rows,
                    retry_href: format!("/exemplars/{id}/edit"),
                },
            )
        }
        Err(e) => Err(e.into()),
    }
}

fn yes_no(b: bool) -> String {
    if b { "Có".into() } else { "Không".into() }
}

// ---- detail ----

pub struct StepRow {
    pub at: String,
    pub step: String,
    pub change: String,
    pub reason: String,
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
        .filter(|s| me.can(s.needs(), &e.path()))
        .map(|s| (s.code().to_string(), s.label().to_string()))
        .collect();
    let history = exemplars::steps(&st.db, e.id)
        .await?
        .into_iter()
        .map(|s| {
            let st_label = |c: &str| Status::from_code(c).map(|x| x.label()).unwrap_or("");
            let lv_label = |c: &str| Level::from_code(c).map(|x| x.label()).unwrap_or("");
            let change = if s.from_level != s.to_level {
                format!("Cấp {} → {}", lv_label(&s.from_level), lv_label(&s.to_level))
            } else {
                format!("{} → {}", st_label(&s.from_status), st_label(&s.to_status))
            };
            StepRow { at: datetime(s.at), step: Step::from_code(&s.step).map(|x| x.label()).unwrap_or("").into(), change, reason: s.reason, actor: s.actor }
        })
        .collect();
    let can_spread = me.can(Action::EnterData, &e.path()) || me.can(Action::Guide, &e.path());
    let adopters = if can_spread {
        let mut scope = me.scope(Action::EnterData);
        scope.extend(me.scope(Action::Guide));
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
        attachments: dienhinh_store::files::for_exemplar(&st.db, e.id).await?,
        can_edit: me.can(Action::EnterData, &e.path()),
        can_evaluate: me.can(Action::Evaluate, &e.path()),
        can_spread,
        support_kinds: table(fostering::SUPPORT_KINDS),
        how: table(spread::HOW),
        adopters,
        today: fostering::today(),
        e,
    };
    render_status(status, &page)
}

pub async fn show(State(st): State<AppState>, Signed(me): Signed, Path(id): Path<i64>, Query(q): Query<DetailQuery>) -> PageResult {
    let e = visible(&st, &me, id).await?;
    detail(&st, &me, e, q.saved.is_some(), String::new(), StatusCode::OK).await
}

/// Re-shows the detail page with a message after a refused action.
async fn refused(st: &AppState, me: &AuthUser, id: i64, err: StoreError) -> PageResult {
    let (status, msg) = match err {
        StoreError::Invalid(inv) => (StatusCode::UNPROCESSABLE_ENTITY, inv.0.iter().map(|f| f.message.clone()).collect::<Vec<_>>().join(" ")),
        StoreError::Conflict { .. } => (
            StatusCode::CONFLICT,
            format!("Điển hình vừa được {} thay đổi trước bạn. Thao tác của bạn chưa được thực hiện; hãy xem lại trạng thái hiện tại rồi thực hiện lại.", last_writer(st, "exemplar", id).await),
        ),
        other => return Err(other.into()),
    };
    let e = exemplars::get(&st.db, id).await?;
    detail(st, me, e, false, msg, status).await
}

pub async fn step(State(st): State<AppState>, Signed(me): Signed, Path(id): Path<i64>, form: Pairs) -> PageResult {
    let e = visible(&st, &me, id).await?;
    let Some(step) = Step::from_code(&form.get("step")) else {
        return refused(&st, &me, id, StoreError::invalid("step", "invalid", "Vui lòng chọn bước cần thực hiện.")).await;
    };
    let version = form.int("version").unwrap_or(0);
    match exemplars::take_step(&st.db, &me.actor(), &me.assignments, e.id, version, step, &form.get("reason")).await {
        Ok(_) => see_other(&format!("/exemplars/{id}?saved=1")),
        Err(err) => refused(&st, &me, id, err).await,
    }
}

pub async fn add_fostering(State(st): State<AppState>, Signed(me): Signed, Path(id): Path<i64>, form: Pairs) -> PageResult {
    let e = visible(&st, &me, id).await?;
    me.require_page(Action::EnterData, &e.path())?;
    let input = FosteringInput {
        motivation: form.get("motivation"),
        support_kind: form.get("support_kind"),
        support: form.get("support"),
        shortcomings: form.get("shortcomings"),
        measures: form.get("measures"),
        responsible: form.get("responsible"),
        due_on: Some(form.get("due_on")),
    };
    match fostering::add(&st.db, &me.actor(), &e, input).await {
        Ok(_) => see_other(&format!("/exemplars/{id}?saved=1#boi-duong")),
        Err(err) => refused(&st, &me, id, err).await,
    }
}

pub async fn fostering_status(State(st): State<AppState>, Signed(me): Signed, Path((id, item)): Path<(i64, i64)>, form: Pairs) -> PageResult {
    let e = visible(&st, &me, id).await?;
    me.require_page(Action::EnterData, &e.path())?;
    match fostering::set_status(&st.db, &me.actor(), &e, item, form.int("version").unwrap_or(0), &form.get("status")).await {
        Ok(_) => see_other(&format!("/exemplars/{id}?saved=1#boi-duong")),
        Err(err) => refused(&st, &me, id, err).await,
    }
}

pub async fn add_replication(State(st): State<AppState>, Signed(me): Signed, Path(id): Path<i64>, form: Pairs) -> PageResult {
    let e = visible(&st, &me, id).await?;
    if !(me.can(Action::EnterData, &e.path()) || me.can(Action::Guide, &e.path())) {
        return Err(PageError::forbidden());
    }
    let input = ReplicationInput { adopter_org_id: form.int("adopter_org_id").unwrap_or(0), adopted_on: form.get("adopted_on"), how: form.get("how"), note: form.get("note") };
    match spread::add_replication(&st.db, &me.actor(), &e, input).await {
        Ok(_) => see_other(&format!("/exemplars/{id}?saved=1#nhan-rong")),
        Err(err) => refused(&st, &me, id, err).await,
    }
}

pub async fn add_visit(State(st): State<AppState>, Signed(me): Signed, Path(id): Path<i64>, form: Pairs) -> PageResult {
    let e = visible(&st, &me, id).await?;
    if !(me.can(Action::EnterData, &e.path()) || me.can(Action::Guide, &e.path())) {
        return Err(PageError::forbidden());
    }
    let input = StudyVisitInput {
        visited_on: form.get("visited_on"),
        visiting_units: form.get("visiting_units"),
        participants: form.int("participants").unwrap_or(0),
        lessons: form.get("lessons"),
    };
    match spread::add_visit(&st.db, &me.actor(), &e, input).await {
        Ok(_) => see_other(&format!("/exemplars/{id}?saved=1#nhan-rong")),
        Err(err) => refused(&st, &me, id, err).await,
    }
}

// ---- evaluation form ----

#[derive(Template)]
#[template(path = "evaluation_form.html")]
struct EvaluationPage {
    chrome: Chrome,
    e: Exemplar,
    sets: Vec<CriteriaSet>,
    set: Option<CriteriaSet>,
    form: Pairs,
    results: Vec<Choice>,
    errors: Invalid,
}

impl EvaluationPage {
    fn value(&self, name: &str) -> String {
        self.form.get(name)
    }
    fn result_is(&self, criterion: &i64, code: &str) -> bool {
        let v = self.form.get(&format!("result_{criterion}"));
        if v.is_empty() { code == "dat" } else { v == code }
    }
    fn score(&self, criterion: &i64) -> String {
        self.form.get(&format!("score_{criterion}"))
    }
    fn comment(&self, criterion: &i64) -> String {
        self.form.get(&format!("comment_{criterion}"))
    }
}

#[derive(Deserialize, Default)]
pub struct SetQuery {
    #[serde(default)]
    set: Option<i64>,
}

async fn evaluation_page(st: &AppState, me: &AuthUser, e: Exemplar, set_id: Option<i64>, form: Pairs, errors: Invalid) -> Result<EvaluationPage, PageError> {
    let sets = dienhinh_store::plans::criteria_sets_for(&st.db, &e.org_path).await?;
    let set = set_id.and_then(|id| sets.iter().find(|s| s.id == id).cloned()).or_else(|| sets.first().cloned());
    Ok(EvaluationPage { chrome: Chrome::new("Đánh giá điển hình", me, "/exemplars"), e, sets, set, form, results: table(evaluations::RESULTS), errors })
}

pub async fn evaluation_form(State(st): State<AppState>, Signed(me): Signed, Path(id): Path<i64>, Query(q): Query<SetQuery>) -> PageResult {
    let e = visible(&st, &me, id).await?;
    me.require_page(Action::Evaluate, &e.path())?;
    let defaults = Pairs(vec![
        ("period_year".into(), exemplars::current_year().to_string()),
        ("evaluated_on".into(), fostering::today()),
        ("evaluator".into(), me.user.full_name.clone()),
    ]);
    render(&evaluation_page(&st, &me, e, q.set, defaults, Invalid::new()).await?)
}

pub async fn add_evaluation(State(st): State<AppState>, Signed(me): Signed, Path(id): Path<i64>, form: Pairs) -> PageResult {
    let e = visible(&st, &me, id).await?;
    me.require_page(Action::Evaluate, &e.path())?;
    let set_id = form.int("criteria_set_id").unwrap_or(0);
    let set = dienhinh_store::plans::criteria_set(&st.db, set_id).await.ok();
    let mut bad_score = false;
    let scores = set
        .as_ref()
        .map(|s| {
            s.criteria
                .iter()
                .map(|c| {
                    let raw = form.get(&format!("score_{}", c.id)).replace(',', ".");
                    let score = if raw.trim().is_empty() { None } else { raw.trim().parse::<f64>().map_err(|_| bad_score = true).ok() };
                    ScoreInput { criterion_id: c.id, result: form.get(&format!("result_{}", c.id)), score, comment: form.get(&format!("comment_{}", c.id)) }
                })
                .collect()
        })
        .unwrap_or_default();
    let input = EvaluationInput {
        criteria_set_id: set_id,
        period_year: form.int("period_year").unwrap_or(0),
        evaluated_on: form.get("evaluated_on"),
        evaluator: form.get("evaluator"),
        effect: form.get("effect"),
        effectiveness: form.get("effectiveness"),
        potential: form.get("potential"),
        influence_unit: form.get("influence_unit"),
        influence_society: form.get("influence_society"),
        difficulties: form.get("difficulties"),
        help_decided: form.get("help_decided"),
        scores,
    };
    let result = if bad_score {
        Err(StoreError::invalid("scores", "not_a_number", "Điểm phải là một số từ 0 đến 10."))
    } else {
        evaluations::add(&st.db, &me.actor(), &e, input).await
    };
    match result {
        Ok(_) => see_other(&format!("/exemplars/{id}?saved=1#danh-gia")),
        Err(StoreError::Invalid(errors)) => {
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &evaluation_page(&st, &me, e, Some(set_id), form, errors).await?)
        }
        Err(err) => Err(err.into()),
    }
}

// ---- printable profile ----

#[derive(Template)]
#[template(path = "exemplar_print.html")]
struct PrintPage {
    e: Exemplar,
    org_name: String,
    history: Vec<StepRow>,
    evaluations: Vec<Evaluation>,
    replications: Vec<Replication>,
    printed: String,
}

pub async fn print(State(st): State<AppState>, Signed(me): Signed, Path(id): Path<i64>) -> PageResult {
    let e = visible(&st, &me, id).await?;
    let org_name = orgs::get(&st.db, e.org_id).await?.name;
    let history = exemplars::steps(&st.db, id)
        .await?
        .into_iter()
        .map(|s| StepRow { at: datetime(s.at), step: Step::from_code(&s.step).map(|x| x.label()).unwrap_or("").into(), change: String::new(), reason: s.reason, actor: s.actor })
        .collect();
    render(&PrintPage {
        org_name,
        history,
        evaluations: evaluations::for_exemplar(&st.db, id).await?,
        replications: spread::replications(&st.db, id).await?,
        printed: date_iso_to_vn(&fostering::today()),
        e,
    })
}

pub fn result_label(code: &str) -> &'static str {
    fostering::label(evaluations::RESULTS, code)
}
pub fn support_label(code: &str) -> &'static str {
    fostering::label(fostering::SUPPORT_KINDS, code)
}
pub fn fostering_status_label(code: &str) -> &'static str {
    fostering::label(fostering::STATUSES, code)
}
pub fn how_label(code: &str) -> &'static str {
    fostering::label(spread::HOW, code)
}
