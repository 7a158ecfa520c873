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

pub async fn show(State(st): State<AppState>, Signed(me): Signed, Query(q): Query<DashboardQuery>) -> PageResult {
    let mut errors = Invalid::new();
    let node_id = crate::form::id(&q.node, "node", "Đơn vị", &mut errors);
    let node = node_for(&st, &me, node_id).await?;
    // A period that cannot be used is said beside the form; the default is shown.
    let period = Period::parse(&q.from, &q.to, default_period(), dienhinh_domain::clock::current_year()).unwrap_or_else(|inv| {
        errors.0.extend(inv.0);
        default_period()
    });
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
