//! The dashboard of a node (`/dashboard`): its figures over a period
//! (`store::figures::for_period`) as server-drawn charts and tables, each
//! mark a link to the records it counts.

use super::render;
use crate::access::Refusal;
use crate::auth::{AuthUser, Signed};
use crate::chart::Chart;
use crate::error::PageResult;
use crate::view::Chrome;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use dienhinh_domain::period::{Period, PROGRAMME};
use dienhinh_domain::{Action, Invalid};
use dienhinh_store::figures::{self, PeriodFigures};
use dienhinh_store::orgs::{self, Org};
use dienhinh_documents::model::{Cell, Table as DocTable};
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct DashboardQuery {
    #[serde(default)]
    pub node: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    chrome: Chrome,
    node: Org,
    /// The node's parent, when the caller may see it (to go up).
    parent: Option<Org>,
    f: PeriodFigures,
    q: DashboardQuery,
    errors: Invalid,
    charts: Vec<Chart>,
    /// The tables without a chart, shown as tables.
    tables: Vec<figures::FigureTable>,
}

/// The dashboard's default period: the programme's first year to this year.
pub fn default_period() -> Period {
    Period { from: PROGRAMME.0, to: dienhinh_domain::clock::current_year().max(PROGRAMME.1) }
}

/// The node whose figures are asked for: the one named (missing and
/// outside the caller's scope are the same refusal), or the root of the
/// caller's first subtree.
pub async fn node_for(st: &AppState, me: &AuthUser, node: Option<i64>) -> Result<Org, Refusal> {
    let id = match node {
        Some(id) => id,
        None => me.scope(Action::View).first().and_then(|p| p.ids().last().copied()).ok_or(Refusal::Forbidden(None))?,
    };
    let org = orgs::get(&st.db, id).await?;
    if me.can(Action::View, &org.org_path()) {
        Ok(org)
    } else {
        Err(Refusal::NotFound)
    }
}

/// The figures' drill-down link for a unit: its own dashboard, same period.
fn unit_href(org_id: i64, p: Period) -> String {
    format!("/dashboard?node={org_id}&from={}&to={}", p.from, p.to)
}

/// The node and period a dashboard query asks for; what cannot be used is
/// in the errors (the default period is used instead).
async fn asked(st: &AppState, me: &AuthUser, q: &DashboardQuery) -> Result<(Org, Period, Invalid), Refusal> {
    let mut errors = Invalid::new();
    let node_id = crate::form::id(&q.node, "node", "Đơn vị", &mut errors);
    let node = node_for(st, me, node_id).await?;
    let period = Period::parse(&q.from, &q.to, default_period(), dienhinh_domain::clock::current_year()).unwrap_or_else(|inv| {
        errors.0.extend(inv.0);
        default_period()
    });
    Ok((node, period, errors))
}

/// The figures as document tables: one per breakdown, then the years and
/// the units (the workbook's sheets; the report's tables).
pub fn document_tables(f: &PeriodFigures) -> Vec<DocTable> {
    let mut out: Vec<DocTable> = f
        .tables
        .iter()
        .map(|t| DocTable::numbered(&t.title, &["Nội dung", &t.counted], &[8, 3], t.rows.iter().map(|r| vec![Cell::text(&r.label), Cell::int(r.count)]).collect()))
        .collect();
    if f.trend.is_empty() {
        return out;
    }
    out.push(DocTable::numbered(
        "Diễn biến qua các năm",
        &["Năm", "Nhân tố mới", "Mô hình đăng ký", "Mô hình được duyệt", "Lượt đánh giá", "Lượt nhân rộng", "Lượt tham quan"],
        &[2, 2, 2, 2, 2, 2, 2],
        f.trend
            .iter()
            .map(|y| {
                [y.year, y.exemplars_found, y.models_registered, y.models_approved, y.evaluations, y.replications, y.study_visits].into_iter().map(Cell::int).collect()
            })
            .collect(),
    ));
    if !f.units.is_empty() {
        out.push(DocTable::numbered(
            "Theo đơn vị trực thuộc",
            &["Đơn vị", "Nhân tố mới", "Lượt nhân rộng"],
            &[8, 2, 2],
            f.units.iter().map(|u| vec![Cell::text(&u.org_name), Cell::int(u.exemplars_found), Cell::int(u.replications)]).collect(),
        ));
    }
    out
}

/// The statistics workbook: one sheet per table, Vietnamese headers, numbers as numbers.
pub async fn workbook(State(st): State<AppState>, Signed(me): Signed, Query(q): Query<DashboardQuery>) -> PageResult {
    use axum::http::header;
    use axum::response::IntoResponse;
    let (node, period, errors) = asked(&st, &me, &q).await?;
    if !errors.is_empty() {
        let said: Vec<&str> = errors.0.iter().map(|e| e.message.as_str()).collect();
        return Err(crate::error::PageError::new(axum::http::StatusCode::UNPROCESSABLE_ENTITY, said.join(" ")));
    }
    let f = figures::for_period(&st.db, &node, period).await?;
    let tables = document_tables(&f);
    let bytes = dienhinh_documents::xlsx::render(&tables.iter().collect::<Vec<_>>()).map_err(|e| {
        tracing::error!(error = %e, "statistics workbook");
        crate::error::PageError::new(axum::http::StatusCode::INTERNAL_SERVER_ERROR, "Lỗi hệ thống. Vui lòng thử lại sau.")
    })?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"so-lieu-{}-{}-{}.xlsx\"", node.id, period.from, period.to)),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        bytes,
    )
        .into_response())
}

/// The sections of a figures report: (heading, the keys of its tables).
const SECTIONS: &[(&str, &[&str])] = &[
    ("I. PHÁT HIỆN ĐIỂN HÌNH TIÊN TIẾN", &["exemplars_by_status", "exemplars_by_kind", "exemplars_by_level", "exemplars_by_field"]),
    ("II. XÂY DỰNG MÔ HÌNH, BỒI DƯỠNG VÀ ĐÁNH GIÁ", &["models", "fostering", "evaluations"]),
    ("III. NHÂN RỘNG VÀ TUYÊN TRUYỀN", &["replications", "study_visits", "propaganda_by_type", "propaganda_by_channel"]),
    ("IV. KHEN THƯỞNG", &["commendations"]),
];

/// The figures of a node and period as a báo cáo in the Party format
/// (Hướng dẫn 36-HD/VPTW), printed by `me`. It carries no number: a
/// number is issued by the register to a report that is sent.
pub async fn document(st: &AppState, me: &AuthUser, node: &Org, f: &PeriodFigures) -> Result<dienhinh_documents::PartyDocument, crate::error::PageError> {
    use dienhinh_documents::builders::{self, ReportInput, ReportSection};
    let tables = document_tables(f);
    let by_title = |key: &str| f.table(key).and_then(|t| tables.iter().find(|d| d.title == t.title)).cloned();
    let mut sections: Vec<ReportSection> = SECTIONS
        .iter()
        .map(|(heading, keys)| ReportSection { heading: heading.to_string(), text: String::new(), tables: keys.iter().filter_map(|k| by_title(k)).collect() })
        .collect();
    let trend_and_units = tables.iter().skip(f.tables.len()).cloned().collect();
    sections.push(ReportSection { heading: "V. DIỄN BIẾN QUA CÁC NĂM VÀ THEO ĐƠN VỊ".into(), text: String::new(), tables: trend_and_units });
    let period = f.period.label();
    let mut intro = format!(
        "Thực hiện Kế hoạch số 48-KH/ĐUK về tuyên truyền, bồi dưỡng và nhân rộng điển hình tiên tiến, {} báo cáo số liệu {period} như sau (số liệu tổng hợp từ hồ sơ đã ghi nhận trên hệ thống, gồm cả các đơn vị trực thuộc):",
        node.name
    );
    if f.is_empty() {
        intro.push_str(&format!("\nKhông có số liệu nào được ghi nhận {period}."));
    }
    Ok(builders::report(ReportInput {
        head: head(st, node, None, dienhinh_domain::clock::today()).await?,
        subject: format!("Số liệu thực hiện Kế hoạch số 48-KH/ĐUK {period}"),
        intro,
        sections,
        recipients: vec!["Lưu.".into()],
        signer: signer(me),
    }))
}

/// The head of a report issued by `node`: its superior and name, the place
/// of the nearest register, its number (from the register) and date.
pub async fn head(st: &AppState, node: &Org, number: Option<String>, date: time::Date) -> Result<dienhinh_documents::builders::Head, crate::error::PageError> {
    use dienhinh_documents::{Issuer, PageSettings};
    let superior = match node.parent_id {
        Some(p) => orgs::get(&st.db, p).await?.name,
        None => String::new(),
    };
    let place = dienhinh_store::register::nearest(&st.db, &node.org_path()).await?.map(|r| r.place).unwrap_or_default();
    Ok(dienhinh_documents::builders::Head { issuer: Issuer { superior, name: node.name.clone(), place }, number, date, settings: PageSettings::default() })
}

/// The person printing a report signs it.
pub fn signer(me: &AuthUser) -> dienhinh_documents::Signer {
    dienhinh_documents::Signer { authority: None, position: if me.user.position.is_empty() { "Người lập báo cáo".into() } else { me.user.position.clone() }, name: me.user.full_name.clone() }
}

/// A DOCX answer named `file`.
pub fn docx_response(bytes: Vec<u8>, file: &str) -> axum::response::Response {
    use axum::http::header;
    use axum::response::IntoResponse;
    (
        [
            (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.wordprocessingml.document".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file}\"")),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        bytes,
    )
        .into_response()
}

/// The figures report as DOCX.
pub async fn report_docx(State(st): State<AppState>, Signed(me): Signed, Query(q): Query<DashboardQuery>) -> PageResult {
    use axum::http::header;
    use axum::response::IntoResponse;
    let (node, period, errors) = asked(&st, &me, &q).await?;
    if !errors.is_empty() {
        let said: Vec<&str> = errors.0.iter().map(|e| e.message.as_str()).collect();
        return Err(crate::error::PageError::new(axum::http::StatusCode::UNPROCESSABLE_ENTITY, said.join(" ")));
    }
    let f = figures::for_period(&st.db, &node, period).await?;
    let bytes = dienhinh_documents::docx::render(&document(&st, &me, &node, &f).await?);
    Ok((
        [
            (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.wordprocessingml.document".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"bao-cao-so-lieu-{}-{}-{}.docx\"", node.id, period.from, period.to)),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        bytes,
    )
        .into_response())
}

pub async fn show(State(st): State<AppState>, Signed(me): Signed, Query(q): Query<DashboardQuery>) -> PageResult {
    // A period that cannot be used is said beside the form; the default is shown.
    let (node, period, errors) = asked(&st, &me, &q).await?;
    let f = figures::for_period(&st.db, &node, period).await?;
    let parent = match node.parent_id {
        Some(p) => orgs::get(&st.db, p).await.ok().filter(|o| me.can(Action::View, &o.org_path())),
        None => None,
    };
    let from_table = |key: &str, id: &str| {
        f.table(key).map(|t| Chart::bars(id, &t.title, &t.counted, t.rows.iter().map(|r| (r.label.clone(), r.count, r.drill.as_ref().map(|d| d.href())))))
    };
    let mut charts = vec![];
    charts.extend(from_table("exemplars_by_status", "c-status"));
    charts.push(Chart::bars(
        "c-trend",
        &format!("Nhân tố mới phát hiện qua các năm ({})", period.label()),
        "Số điển hình",
        f.trend.iter().map(|y| (format!("Năm {}", y.year), y.exemplars_found, Some(figures_year_href(&f, y.year)))),
    ));
    charts.extend(from_table("exemplars_by_field", "c-field"));
    // Per unit, the units with something, most first (the table below lists every unit).
    let ranked = |n: fn(&figures::UnitFigures) -> i64| {
        let mut u: Vec<_> = f.units.iter().filter(|u| n(u) > 0).collect();
        u.sort_by_key(|u| std::cmp::Reverse(n(u)));
        u
    };
    if !f.units.is_empty() {
        charts.push(Chart::bars(
            "c-unit",
            "Điển hình phát hiện trong kỳ, theo đơn vị trực thuộc",
            "Số điển hình",
            ranked(|u| u.exemplars_found).into_iter().map(|u| (u.org_name.clone(), u.exemplars_found, Some(u.drill.href()))),
        ));
        charts.push(Chart::bars(
            "c-spread",
            "Lan tỏa: lượt nhân rộng trong kỳ, theo đơn vị trực thuộc",
            "Số lượt nhân rộng",
            ranked(|u| u.replications).into_iter().map(|u| (u.org_name.clone(), u.replications, Some(unit_href(u.org_id, period)))),
        ));
    }
    let charted = ["exemplars_by_status", "exemplars_by_field"];
    let tables = f.tables.iter().filter(|t| !charted.contains(&t.key.as_str())).cloned().collect();
    render(&DashboardPage { chrome: Chrome::new("Thống kê", &me, "/dashboard"), node, parent, f, q, errors, charts, tables })
}

/// The exemplars of the node found in one year.
fn figures_year_href(f: &PeriodFigures, year: i64) -> String {
    format!("/exemplars?org_id={}&year_from={year}&year_to={year}", f.org_id)
}
