use super::render;
use crate::auth::Signed;
use crate::error::PageResult;
use crate::view::{datetime, number, Chrome};
use crate::AppState;
use askama::Template;
use axum::extract::State;
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
    models_missing: Vec<orgs::Org>,
    year: i64,
}

pub async fn show(State(st): State<AppState>, Signed(me): Signed) -> PageResult {
    let scope = me.scope(Action::View);
    let org_count = number(figures::organisations(&st.db, &scope).await?);
    let user_count = number(figures::people(&st.db, &scope).await?);
    let mut home_orgs = vec![];
    let mut children = vec![];
    for r in &me.user.roles {
        let o = orgs::get(&st.db, r.org_id).await?;
        if home_orgs.iter().all(|h: &orgs::Org| h.id != o.id) {
            children.extend(orgs::children(&st.db, o.id).await?);
            home_orgs.push(o);
        }
    }
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
    let year = dienhinh_store::exemplars::current_year();
    let figures = figures::exemplars(&st.db, &scope).await?;
    let models_missing = dienhinh_store::annual_models::tccs_without_approved(&st.db, &scope, year).await?;
    render(&HomePage {
        figures,
        models_missing,
        year,
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
