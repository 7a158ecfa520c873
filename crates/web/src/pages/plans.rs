use super::render;
use crate::access::Authorized;
use crate::auth::Signed;
use crate::error::PageResult;
use crate::view::Chrome;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use dienhinh_domain::Action;
use dienhinh_store::plans::{self, CriteriaSet, Plan, PlanFilter};
use serde::{Deserialize, Serialize};
use super::listing::{Nav, Paging};
use dienhinh_domain::order::PlanOrder;
use dienhinh_store::Found;


#[derive(Template)]
#[template(path = "plans.html")]
struct ListPage {
    chrome: Chrome,
    /// Each plan, and whether it binds the caller's own unit (issued there
    /// or above) rather than being issued by a unit below.
    plans: Vec<(Plan, bool)>,
    nav: Nav,
}

#[derive(Deserialize, Serialize, Default)]
pub struct ListQuery {
    #[serde(flatten)]
    paging: Paging,
}

/// The plans that bind the caller's unit and those issued in the subtrees
/// they view (a bloc sees its TCCS's implementation plans).
pub async fn list(State(st): State<AppState>, Signed(me): Signed, Query(q): Query<ListQuery>) -> PageResult {
    let order = q.paging.order::<PlanOrder>();
    let filter = PlanFilter { at: me.user.org_path.clone(), within: me.scope(Action::View), cursor: None, limit: None };
    let page = plans::listing(&st.db, &filter, order.0, q.paging.at(50)).await?;
    let nav = q.paging.nav("/plans", &q, order, &page, "kế hoạch");
    let plans = page.items.into_iter().map(|p| { let binds = p.org_path.contains(&me.user.org_path); (p, binds) }).collect();
    render(&ListPage { chrome: Chrome::new("Kế hoạch, tiêu chí", &me, "/plans"), plans, nav })
}

#[derive(Template)]
#[template(path = "plan_detail.html")]
struct DetailPage {
    chrome: Chrome,
    plan: Plan,
    superior: String,
    place_date: String,
    paragraphs: Vec<String>,
    recipients: Vec<String>,
    sets: Vec<CriteriaSet>,
}

pub async fn show(State(st): State<AppState>, Signed(me): Signed, Authorized(plan): Authorized<Plan>) -> PageResult {
    let org = dienhinh_store::orgs::get(&st.db, plan.org_id).await?;
    let superior = match org.parent_id {
        Some(p) => dienhinh_store::orgs::get(&st.db, p).await.optional()?.map(|o| o.name.to_uppercase()).unwrap_or_default(),
        None => String::new(),
    };
    let sets = plans::criteria_sets_for(&st.db, &plan.org_path).await?.into_iter().filter(|s| s.plan_id == Some(plan.id)).collect();
    let place_date = vn_place_date("Nam Định", &plan.issued_on);
    render(&DetailPage {
        chrome: Chrome::new(format!("Kế hoạch số {}", plan.number), &me, "/plans"),
        superior,
        place_date,
        paragraphs: plan.body.split("\n\n").map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect(),
        recipients: plan.recipients.lines().map(str::to_string).collect(),
        sets,
        plan,
    })
}

/// `Nam Định, ngày 20 tháng 7 năm 2023` (day padded to two digits, month
/// below 3 padded too, as Hướng dẫn 36-HD/VPTW writes them).
pub fn vn_place_date(place: &str, iso: &str) -> String {
    let parts: Vec<&str> = iso.split('-').collect();
    if parts.len() != 3 {
        return place.to_string();
    }
    let month: u32 = parts[1].parse().unwrap_or(0);
    let month = if month < 3 { format!("{month:02}") } else { month.to_string() };
    format!("{place}, ngày {} tháng {month} năm {}", parts[2], parts[0])
}
