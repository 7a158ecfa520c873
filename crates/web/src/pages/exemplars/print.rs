//! The printable profile of an exemplar.

use super::StepRow;
use askama::Template;
use axum::extract::State;
use crate::AppState;
use crate::access::Authorized;
use crate::error::PageResult;
use crate::pages::render;
use crate::view::{date_iso_to_vn, datetime};
use dienhinh_store::evaluations::{self, Evaluation};
use dienhinh_store::exemplars::{self, Exemplar};
use dienhinh_store::orgs;
use dienhinh_store::spread::{self, Replication};

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

pub async fn print(State(st): State<AppState>, Authorized(e): Authorized<Exemplar>) -> PageResult {
    let id = e.id;
    let org_name = orgs::get(&st.db, e.org_id).await?.name;
    let history = exemplars::steps(&st.db, id)
        .await?
        .into_iter()
        .map(|s| StepRow { at: datetime(s.at), step: s.step.label().into(), change: String::new(), decision: s.decision(), reason: s.reason, actor: s.actor })
        .collect();
    render(&PrintPage {
        org_name,
        history,
        evaluations: evaluations::for_exemplar(&st.db, id).await?,
        replications: spread::replications(&st.db, id).await?,
        printed: date_iso_to_vn(&dienhinh_domain::clock::today_iso()),
        e,
    })
}
