//! Fostering plans of an exemplar (plan III.2), added and followed from its page.

use super::exemplars::{refused, refused_form, Again};
use super::see_other;
use crate::access::Authorized;
use crate::auth::Signed;
use crate::error::PageResult;
use crate::form::Pairs;
use crate::AppState;
use axum::extract::State;
use dienhinh_store::exemplars::Exemplar;
use dienhinh_store::fostering::{self, FosteringInput, FosteringItem};

pub async fn add_fostering(State(st): State<AppState>, Signed(me): Signed, Authorized(e): Authorized<Exemplar>, form: Pairs) -> PageResult {
    let id = e.id;
    let input = FosteringInput {
        motivation: form.get("motivation"),
        support_kind: form.get("support_kind"),
        support: form.get("support"),
        shortcomings: form.get("shortcomings"),
        measures: form.get("measures"),
        responsible: form.get("responsible"),
        due_on: Some(form.get("due_on")),
    };
    match fostering::add(&st.db, &me.actor(), e.id, input).await {
        Ok(_) => see_other(&format!("/exemplars/{id}?saved=1#boi-duong")),
        Err(err) => refused_form(&st, &me, id, err, Again::new("fostering", &form)).await,
    }
}

pub async fn fostering_status(
    State(st): State<AppState>,
    Signed(me): Signed,
    Authorized(e): Authorized<Exemplar>,
    Authorized(item): Authorized<FosteringItem>,
    form: Pairs,
) -> PageResult {
    let id = e.id;
    match fostering::set_status(&st.db, &me.actor(), e.id, item.id, form.int("version").unwrap_or(0), &form.get("status")).await {
        Ok(_) => see_other(&format!("/exemplars/{id}?saved=1#boi-duong")),
        Err(err) => refused(&st, &me, id, err).await,
    }
}


/// The status a fostering item's "Hoàn thành" button sets.
pub fn done() -> &'static str {
    dienhinh_domain::fostering::FosteringStatus::HoanThanh.code()
}
