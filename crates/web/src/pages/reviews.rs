//! Review reports (sơ kết, tổng kết): the list of a subtree with the form
//! that drafts one, a report's page (its figures — live while a draft,
//! frozen once sent, with what changed since —, its narrative, its steps
//! and history) and the aggregate of a node above the TCCS.

use super::listing::{Nav, Paging};
use super::{confirm, done, render, render_status};
use crate::access::{self, Authorized, Refusal};
use crate::auth::{AuthUser, Signed};
use crate::error::{PageError, PageResult};
use crate::flash::Done;
use crate::form::Pairs;
use crate::picker::{self, UnitPicker};
use crate::view::{Choice, Chrome};
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use dienhinh_domain::order::ReviewOrder;
use dienhinh_domain::period::Period;
use dienhinh_domain::review::{ReviewInput, ReviewStatus, ReviewStep};
use dienhinh_domain::{clock, Action, Invalid};
use dienhinh_store::figures::FigureTable;
use dienhinh_store::page::Listing;
use dienhinh_store::reviews::{self, Aggregate, NarrativeInput, Review, ReviewFilter, ShownDifference, ReviewStepRecord};
use dienhinh_store::StoreError;
use serde::{Deserialize, Serialize};

/// The period a report is usually for: last year (reports are written after it ends).
pub fn default_period() -> Period {
    Period::year(clock::current_year() - 1)
}

#[derive(Deserialize, Serialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    status: String,
    #[serde(flatten)]
    paging: Paging,
}

#[derive(Template)]
#[template(path = "reviews.html")]
struct ListPage {
    chrome: Chrome,
    q: ListQuery,
    period_error: String,
    statuses: Vec<Choice>,
    page: Listing<Review>,
    nav: Nav,
    /// The form that drafts a report (none without a TCCS to draft for).
    unit: Option<UnitPicker>,
    form: Pairs,
    errors: Invalid,
    default_from: i64,
}

async fn list_page(st: &AppState, me: &AuthUser, q: &ListQuery, form: Pairs, errors: Invalid) -> Result<ListPage, PageError> {
    let blank = q.from.trim().is_empty() && q.to.trim().is_empty();
    let (period, period_error) = match Period::parse(&q.from, &q.to, default_period(), clock::current_year()) {
        Ok(p) => (if blank { None } else { Some(p) }, String::new()),
        Err(inv) => (None, inv.0.iter().map(|f| f.message.clone()).collect::<Vec<_>>().join(" ") + " Đang hiện mọi kỳ."),
    };
    let filter = ReviewFilter { within: me.scope(Action::View), period, status: ReviewStatus::from_code(&q.status), ..Default::default() };
    let order = q.paging.order::<ReviewOrder>();
    let page = reviews::listing(&st.db, &filter, order.0, q.paging.at(50)).await?;
    let nav = q.paging.nav("/reviews", q, order, &page, "báo cáo");
    let unit = match me.scope(Action::EnterData) {
        s if s.is_empty() => None,
        s => Some(UnitPicker::load(st, "org_id", &s, form.int("org_id"), &picker::TCCS).await?),
    };
    Ok(ListPage {
        chrome: Chrome::new("Báo cáo sơ kết, tổng kết", me, "/reviews"),
        q: ListQuery { from: q.from.clone(), to: q.to.clone(), status: q.status.clone(), paging: Paging::default() },
        period_error,
        statuses: crate::view::coded::<ReviewStatus>(),
        page,
        nav,
        unit,
        form,
        errors,
        default_from: default_period().from,
    })
}

pub async fn list(State(st): State<AppState>, Signed(me): Signed, Query(q): Query<ListQuery>) -> PageResult {
    render(&list_page(&st, &me, &q, Pairs(vec![]), Invalid::new()).await?)
}

/// A year typed in a form: its number, or 0 (which validation names).
fn year(form: &Pairs, name: &str) -> i64 {
    form.get(name).trim().parse().unwrap_or(0)
}

pub async fn create(State(st): State<AppState>, Signed(me): Signed, form: Pairs) -> PageResult {
    let q = ListQuery::default();
    if form.checked(picker::DRILL) {
        return render(&list_page(&st, &me, &q, form, Invalid::new()).await?);
    }
    let org_id = form.int("org_id").unwrap_or(0);
    // A unit outside the caller's scope is refused as the router refuses records.
    access::target(&st, &me, org_id, Action::EnterData).await?;
    let input = ReviewInput { org_id, period_from: year(&form, "period_from"), period_to: year(&form, "period_to"), ..Default::default() };
    match reviews::create(&st.db, &me.actor(), input).await {
        Ok(r) => done(&st, &format!("/reviews/{}", r.id), Done::ReviewCreated),
        Err(StoreError::Invalid(errors)) => render_status(StatusCode::UNPROCESSABLE_ENTITY, &list_page(&st, &me, &q, form, errors).await?),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "review.html")]
struct ReviewPage {
    chrome: Chrome,
    r: Review,
    /// Frozen when sent, else counted now (with links to the records).
    tables: Vec<FigureTable>,
    /// Nothing was recorded in the period.
    empty: bool,
    differences: Vec<ShownDifference>,
    history: Vec<ReviewStepRecord>,
    can_edit: bool,
    can_submit: bool,
    can_judge: bool,
    form: Pairs,
    errors: Invalid,
    message: String,
}

impl ReviewPage {
    /// A narrative field as typed, else as stored.
    fn value(&self, field: &str) -> String {
        if self.form.0.iter().any(|(k, _)| k == field) {
            return self.form.get(field);
        }
        self.r.parts().iter().find(|p| p.0 == field).map(|p| p.2.to_string()).unwrap_or_default()
    }
}

async fn review_page(st: &AppState, me: &AuthUser, r: Review, form: Pairs, errors: Invalid, message: String) -> Result<ReviewPage, PageError> {
    let org = dienhinh_store::orgs::get(&st.db, r.org_id).await?;
    let now = dienhinh_store::figures::for_period(&st.db, &org, r.period()).await?;
    let (tables, differences) = if r.status.frozen() {
        let frozen = reviews::frozen(&st.db, r.id).await?;
        (reviews::frozen_tables(&frozen), reviews::differences(&frozen, &now))
    } else {
        (now.tables.clone(), vec![])
    };
    let at = r.org_path.clone();
    Ok(ReviewPage {
        chrome: Chrome::new(format!("Báo cáo {} · {}", r.period().label(), r.org_name), me, "/reviews"),
        empty: tables.iter().filter(|t| t.in_period).all(|t| t.total() == 0),
        tables,
        differences,
        history: reviews::steps(&st.db, r.id).await?,
        can_edit: r.status.editable() && me.can(Action::EnterData, &at),
        can_submit: r.status.editable() && me.can(ReviewStep::Submit.needs(), &at),
        can_judge: r.status == ReviewStatus::Submitted && me.can(Action::Guide, &at),
        r,
        form,
        errors,
        message,
    })
}

pub async fn show(State(st): State<AppState>, Signed(me): Signed, Authorized(r): Authorized<Review>) -> PageResult {
    render(&review_page(&st, &me, r, Pairs(vec![]), Invalid::new(), String::new()).await?)
}

async fn refused(st: &AppState, me: &AuthUser, id: i64, form: Pairs, e: StoreError) -> PageResult {
    let r = reviews::get(&st.db, id).await?;
    match e {
        StoreError::Invalid(errors) => render_status(StatusCode::UNPROCESSABLE_ENTITY, &review_page(st, me, r, form, errors, String::new()).await?),
        StoreError::Conflict { .. } => {
            let msg = "Báo cáo vừa được người khác thay đổi; thao tác của bạn chưa được lưu. Nội dung bạn đã gõ vẫn còn dưới đây: hãy xem bản hiện tại rồi làm lại.".to_string();
            render_status(StatusCode::CONFLICT, &review_page(st, me, r, form, Invalid::new(), msg).await?)
        }
        e => Err(e.into()),
    }
}

fn narrative(form: &Pairs) -> NarrativeInput {
    NarrativeInput { results: form.get("results"), shortcomings: form.get("shortcomings"), lessons: form.get("lessons"), tasks: form.get("tasks") }
}

pub async fn update(State(st): State<AppState>, Signed(me): Signed, Authorized(r): Authorized<Review>, form: Pairs) -> PageResult {
    match reviews::edit(&st.db, &me.actor(), r.id, form.int("version").unwrap_or(0), &narrative(&form)).await {
        Ok(r) => done(&st, &format!("/reviews/{}", r.id), Done::ReviewSaved),
        Err(e) => refused(&st, &me, r.id, form, e).await,
    }
}

async fn take(st: &AppState, me: &AuthUser, r: Review, step: ReviewStep, form: Pairs) -> PageResult {
    if !confirm::confirmed(&form) {
        let consequence = match step {
            ReviewStep::Submit => format!(
                "Báo cáo {} của {} sẽ được gửi Đảng ủy Khối: số liệu được chốt như hiện nay, báo cáo được cấp số trong sổ đăng ký văn bản và không sửa được nữa, trừ khi bị trả lại.",
                r.period().label(),
                r.org_name
            ),
            ReviewStep::Return => format!("Báo cáo {} của {} sẽ được trả lại để đơn vị hoàn thiện, kèm ý kiến đã ghi.", r.period().label(), r.org_name),
            ReviewStep::Accept => format!("Báo cáo {} của {} sẽ được tiếp nhận; sau đó không thay đổi được nữa.", r.period().label(), r.org_name),
        };
        let action = format!("/reviews/{}/{}", r.id, segment(step));
        let back = format!("/reviews/{}", r.id);
        return confirm::ask(me, "/reviews", confirm::Ask { heading: step.label(), consequence, action: &action, confirm_label: step.label(), back: &back }, &form);
    }
    match reviews::step(&st.db, &me.actor(), &me.assignments, r.id, form.int("version").unwrap_or(0), step, &form.get("comment")).await {
        Ok(r) => done(st, &format!("/reviews/{}", r.id), Done::ReviewStepTaken),
        Err(e) => refused(st, me, r.id, form, e).await,
    }
}

/// The path segment of a step's route.
pub fn segment(step: ReviewStep) -> &'static str {
    match step {
        ReviewStep::Submit => "submit",
        ReviewStep::Return => "return",
        ReviewStep::Accept => "accept",
    }
}

pub async fn submit(State(st): State<AppState>, Signed(me): Signed, Authorized(r): Authorized<Review>, form: Pairs) -> PageResult {
    take(&st, &me, r, ReviewStep::Submit, form).await
}

pub async fn send_back(State(st): State<AppState>, Signed(me): Signed, Authorized(r): Authorized<Review>, form: Pairs) -> PageResult {
    take(&st, &me, r, ReviewStep::Return, form).await
}

pub async fn accept(State(st): State<AppState>, Signed(me): Signed, Authorized(r): Authorized<Review>, form: Pairs) -> PageResult {
    take(&st, &me, r, ReviewStep::Accept, form).await
}

// ---------------------------------------------------------------------------
// The aggregate of a node (a bloc) for a period.
// ---------------------------------------------------------------------------

#[derive(Deserialize, Serialize, Default)]
pub struct AggregateQuery {
    #[serde(default)]
    pub node: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
}

/// A figure now and in the period before.
pub struct Compared {
    pub label: String,
    pub now: i64,
    pub before: i64,
    pub href: Option<String>,
}

pub struct ComparedTable {
    pub title: String,
    pub rows: Vec<Compared>,
}

/// The node's figures beside those of the period before, table by table.
pub fn compared(a: &Aggregate) -> Vec<ComparedTable> {
    a.figures
        .tables
        .iter()
        .filter(|t| t.in_period)
        .map(|t| ComparedTable {
            title: t.title.clone(),
            rows: t
                .rows
                .iter()
                .map(|r| Compared {
                    label: r.label.clone(),
                    now: r.count,
                    before: a.earlier.table(&t.key).and_then(|e| e.rows.iter().find(|x| x.code == r.code)).map(|x| x.count).unwrap_or(0),
                    href: r.drill.as_ref().map(|d| d.href()),
                })
                .collect(),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "review_aggregate.html")]
struct AggregatePage {
    chrome: Chrome,
    a: Aggregate,
    tables: Vec<ComparedTable>,
    errors: Invalid,
}

/// The node and period asked for (the caller's first subtree and last year
/// by default); what cannot be used is in the errors.
pub async fn asked(st: &AppState, me: &AuthUser, node: &str, from: &str, to: &str) -> Result<(dienhinh_store::orgs::Org, Period, Invalid), Refusal> {
    let mut errors = Invalid::new();
    let node_id = crate::form::id(node, "node", "Đơn vị", &mut errors);
    let node = super::dashboard::node_for(st, me, node_id).await?;
    let period = Period::parse(from, to, default_period(), clock::current_year()).unwrap_or_else(|inv| {
        errors.0.extend(inv.0);
        default_period()
    });
    Ok((node, period, errors))
}

pub async fn aggregate(State(st): State<AppState>, Signed(me): Signed, Query(q): Query<AggregateQuery>) -> PageResult {
    let (node, period, errors) = asked(&st, &me, &q.node, &q.from, &q.to).await?;
    let a = reviews::aggregate(&st.db, &node, period).await?;
    render(&AggregatePage { chrome: Chrome::new(format!("Tổng hợp báo cáo {} · {}", period.label(), node.name), &me, "/reviews"), tables: compared(&a), a, errors })
}

// ---------------------------------------------------------------------------
// Documents: a TCCS's report (its number and frozen figures once sent) and
// the bloc's aggregate report, both through the figures report's builder.
// ---------------------------------------------------------------------------

/// A report's figures as a document reads them: frozen once sent (the
/// trend and units, which are not frozen, left out), else counted now.
async fn report_figures(st: &AppState, r: &Review, org: &dienhinh_store::orgs::Org) -> Result<dienhinh_store::figures::PeriodFigures, PageError> {
    let mut f = dienhinh_store::figures::for_period(&st.db, org, r.period()).await?;
    if r.status.frozen() {
        let mut tables = reviews::frozen_tables(&reviews::frozen(&st.db, r.id).await?);
        for t in &mut tables {
            t.counted = f.table(&t.key).map(|n| n.counted.clone()).unwrap_or_else(|| "Số lượng".into());
        }
        f.exemplars_found = tables.iter().find(|t| t.key == "exemplars_by_status").map(|t| t.total()).unwrap_or(0);
        f.tables = tables;
        f.trend = vec![];
        f.units = vec![];
    }
    Ok(f)
}

/// "Sơ kết …" for a year, "Tổng kết …" for several.
fn subject(p: Period) -> String {
    reviews::subject(p)
}

/// The narrative parts as report sections, the figures after the results.
fn narrative_sections(parts: [(&str, &str); 4], tables: Vec<dienhinh_documents::model::Table>) -> Vec<dienhinh_documents::builders::ReportSection> {
    use dienhinh_documents::builders::ReportSection;
    const NUMERALS: [&str; 4] = ["I", "II", "III", "IV"];
    let mut tables = Some(tables);
    parts
        .iter()
        .enumerate()
        .map(|(i, (heading, text))| ReportSection {
            heading: format!("{}. {}", NUMERALS[i], heading.to_uppercase()),
            text: text.to_string(),
            tables: if i == 0 { tables.take().unwrap_or_default() } else { vec![] },
        })
        .collect()
}

pub async fn report_docx(State(st): State<AppState>, Signed(me): Signed, Authorized(r): Authorized<Review>) -> PageResult {
    use super::dashboard::{docx_response, document_tables, head, signer};
    let org = dienhinh_store::orgs::get(&st.db, r.org_id).await?;
    let f = report_figures(&st, &r, &org).await?;
    let date = r.submitted_at.map(dienhinh_domain::clock::date_of_ms).unwrap_or_else(clock::today);
    let mut intro = format!(
        "Thực hiện Kế hoạch số 48-KH/ĐUK của Ban Thường vụ Đảng ủy Khối về tuyên truyền, bồi dưỡng và nhân rộng điển hình tiên tiến, {} báo cáo kết quả {} như sau:",
        r.org_name,
        r.period().label()
    );
    if f.is_empty() {
        intro.push_str(&format!("\nTrong {} không có số liệu nào được ghi nhận trên hệ thống.", r.period().label()));
    }
    let parts = r.parts().map(|(_, h, t)| (h, t));
    let doc = dienhinh_documents::builders::report(dienhinh_documents::builders::ReportInput {
        head: head(&st, &org, r.symbol.clone(), date).await?,
        subject: subject(r.period()),
        intro,
        sections: narrative_sections(parts, document_tables(&f)),
        recipients: vec!["Ban Thường vụ Đảng ủy Khối (để báo cáo),".into(), "Ban Tuyên giáo Đảng ủy Khối,".into(), "Lưu Văn phòng Đảng ủy.".into()],
        signer: signer(&me),
    });
    Ok(docx_response(dienhinh_documents::docx::render(&doc), &format!("bao-cao-{}-{}-{}.docx", r.org_id, r.period_from, r.period_to)))
}

/// The bloc's report for a period: who reported, its figures and those of
/// the period before.
pub async fn aggregate_docx(State(st): State<AppState>, Signed(me): Signed, Query(q): Query<AggregateQuery>) -> PageResult {
    use super::dashboard::{docx_response, document_tables, head, signer};
    use dienhinh_documents::builders::ReportSection;
    use dienhinh_documents::model::{Cell, Table};
    let (node, period, errors) = asked(&st, &me, &q.node, &q.from, &q.to).await?;
    if !errors.is_empty() {
        let said: Vec<&str> = errors.0.iter().map(|e| e.message.as_str()).collect();
        return Err(PageError::new(StatusCode::UNPROCESSABLE_ENTITY, said.join(" ")));
    }
    let a = reviews::aggregate(&st.db, &node, period).await?;
    let c = &a.counts;
    let who = format!(
        "Có {} tổ chức cơ sở đảng trực thuộc; {} báo cáo đã được tiếp nhận, {} báo cáo đã gửi đang được xem xét, {} đơn vị chưa gửi báo cáo (bị trả lại để hoàn thiện {}, đang soạn {}, chưa lập {}).",
        c.tccs, c.accepted, c.submitted, c.not_sent(), c.returned, c.draft, c.none
    );
    let units = Table::numbered(
        "Tình hình báo cáo của các tổ chức cơ sở đảng",
        &["Tổ chức cơ sở đảng", "Báo cáo"],
        &[8, 5],
        a.units
            .iter()
            .map(|u| {
                let state = match (u.status, &u.symbol) {
                    (Some(s), Some(n)) => format!("{} (số {n})", s.label()),
                    (Some(s), None) => s.label().to_string(),
                    (None, _) => "Chưa lập báo cáo".into(),
                };
                vec![Cell::text(&u.org_name), Cell::text(&state)]
            })
            .collect(),
    );
    let before = a.earlier.period.label();
    let compared_tables: Vec<Table> = compared(&a)
        .into_iter()
        .map(|t| {
            Table::numbered(&t.title, &["Nội dung", &period.label(), &before], &[7, 3, 3], t.rows.iter().map(|r| vec![Cell::text(&r.label), Cell::int(r.now), Cell::int(r.before)]).collect())
        })
        .collect();
    let mut intro = format!(
        "Thực hiện Kế hoạch số 48-KH/ĐUK về tuyên truyền, bồi dưỡng và nhân rộng điển hình tiên tiến, {} tổng hợp kết quả {} của các tổ chức cơ sở đảng trực thuộc như sau:",
        node.name,
        period.label()
    );
    if a.figures.is_empty() {
        intro.push_str(&format!("\nKhông có số liệu nào được ghi nhận {}.", period.label()));
    }
    let kind = if period.is_single_year() { "Sơ kết" } else { "Tổng kết" };
    let sections = vec![
        ReportSection { heading: "I. TÌNH HÌNH BÁO CÁO CỦA CÁC TỔ CHỨC CƠ SỞ ĐẢNG".into(), text: who, tables: vec![units] },
        ReportSection { heading: format!("II. KẾT QUẢ {} SO VỚI {}", period.label().to_uppercase(), before.to_uppercase()), text: String::new(), tables: compared_tables },
        ReportSection { heading: "III. DIỄN BIẾN QUA CÁC NĂM VÀ THEO ĐƠN VỊ".into(), text: String::new(), tables: document_tables(&a.figures).into_iter().skip(a.figures.tables.len()).collect() },
    ];
    let doc = dienhinh_documents::builders::report(dienhinh_documents::builders::ReportInput {
        head: head(&st, &node, None, clock::today()).await?,
        subject: format!("{kind} công tác phát hiện, bồi dưỡng, nhân rộng điển hình tiên tiến {}", period.label()),
        intro,
        sections,
        recipients: vec!["Ban Thường vụ Tỉnh ủy (để báo cáo),".into(), "Các tổ chức cơ sở đảng trực thuộc,".into(), "Lưu.".into()],
        signer: signer(&me),
    });
    Ok(docx_response(dienhinh_documents::docx::render(&doc), &format!("tong-hop-{}-{}-{}.docx", node.id, period.from, period.to)))
}
