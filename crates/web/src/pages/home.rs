use super::render;
use crate::error::PageResult;
use crate::view::{capped, datetime, number, Chrome};
use crate::AppState;
use askama::Template;
use dienhinh_domain::Action;
use dienhinh_store::{audit, figures, orgs, plans};

pub struct AuditRow {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub summary: String,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    chrome: Chrome,
    org_count: String,
    user_count: String,
    plan_count: usize,
    home_orgs: Vec<orgs::Org>,
    children: Vec<orgs::Org>,
    plans: Vec<plans::Plan>,
    recent: Vec<AuditRow>,
    figures: figures::ExemplarFigures,
    /// TCCS without an approved model this year.
    models_missing: String,
    /// Open fostering items overdue (capped).
    overdue: String,
    year: i64,
    /// What waits for this person's action, each with the list it opens.
    todo: Vec<Todo>,
}

/// A card of what needs the person's action now: how many, what, and the
/// list (whose length is the number) that shows them.
pub struct Todo {
    pub count: String,
    pub due: bool,
    pub what: String,
    pub href: String,
}

/// The workspace's first page (`/` for those signed in: `portal::root`).
pub async fn show(st: AppState, me: crate::auth::AuthUser) -> PageResult {
    use dienhinh_domain::counter::Metric;
    let scope = figures::Within::of(&st.db, &me.scope(Action::View)).await?;
    // Every counted figure of the page, from the counters of the scope's roots.
    let metrics = [Metric::Orgs, Metric::Users, Metric::Exemplars, Metric::Fostering, Metric::Replications, Metric::Models, Metric::RecognisedEvaluated, Metric::TccsApprovedModel];
    let counts = figures::counts(&st.db, &scope, &metrics).await?;
    let org_count = number(figures::organisations(&counts));
    let user_count = number(figures::people(&counts));
    let role_units: Vec<i64> = me.user.roles.iter().map(|r| r.org_id).collect();
    let (home_orgs, children) = orgs::with_children(&st.db, &role_units).await?;
    let plans = plans::plans_for(&st.db, &me.user.org_path).await?;
    let audit_scope = me.scope(Action::ViewAudit);
    let recent = if audit_scope.is_empty() {
        vec![]
    } else {
        audit::list(&st.db, &audit::AuditFilter { within: audit_scope, limit: Some(8), hide_signins: true, ..Default::default() })
            .await?
            .items
            .into_iter()
            .map(|e| AuditRow { at: datetime(e.at), actor: e.actor, action: e.action.label().into(), summary: e.summary })
            .collect()
    };
    let year = dienhinh_domain::clock::current_year();
    let figures = figures::exemplar_figures(&st.db, &scope, &counts).await?;
    let models_missing = number(figures::tccs_without_approved_model(&counts, year));
    // Each card for those who can act on it; counted over what the person
    // sees, as the list it opens is.
    let may = |a: Action| !me.scope(a).is_empty();
    let want = figures::ActionsWanted { approvals: may(Action::ApproveUnit), fostering: may(Action::EnterData), evaluations: may(Action::Evaluate) };
    let acts = figures::actions(&st.db, &scope, &counts, year, want).await?;
    // Counted exactly from the counters, except fostering due (capped).
    let todo_card = |count: i64, what: String, href: String| Todo { count: number(count), due: count > 0, what, href };
    let mut todo = vec![];
    if may(Action::ApproveUnit) {
        let waiting = dienhinh_domain::annual_model::ModelStatus::DangKy;
        todo.push(todo_card(acts.models_waiting, format!("mô hình năm {year} chờ cấp ủy duyệt"), format!("/models?year={year}&status={}", waiting.code())));
        let fostered = dienhinh_domain::exemplar::Status::BoiDuong;
        todo.push(todo_card(acts.awaiting_recognition, "điển hình đang bồi dưỡng, chờ xét công nhận".into(), format!("/exemplars?status={}", fostered.code())));
    }
    if may(Action::EnterData) {
        let what = format!("điển hình có nội dung bồi dưỡng quá hạn hoặc đến hạn trong {} ngày", dienhinh_domain::fostering::DUE_SOON_DAYS);
        todo.push(Todo { count: capped(acts.fostering_due), ..todo_card(acts.fostering_due, what, "/exemplars?fostering_due=1".into()) });
    }
    if may(Action::Evaluate) {
        todo.push(todo_card(acts.evaluations_due, format!("điển hình đã công nhận chưa được đánh giá năm {year}"), "/exemplars?evaluation_due=1".into()));
    }
    render(&HomePage {
        overdue: capped(figures.fostering_overdue),
        figures,
        models_missing,
        year,
        todo,
        chrome: Chrome::new("Tổng quan", &me, "/"),
        org_count,
        user_count,
        plan_count: plans.len(),
        home_orgs,
        children,
        plans,
        recent,
    })
}
