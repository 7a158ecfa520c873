//! Spread of an exemplar: units that replicated it and study visits.

use crate::pages::done;
use crate::flash::Done;
use super::exemplars::{refused_form, Again};
use crate::access::{self, Authorized};
use crate::auth::Signed;
use crate::error::PageResult;
use crate::form::Pairs;
use crate::AppState;
use axum::extract::State;
use dienhinh_store::exemplars::Exemplar;
use dienhinh_store::spread::{self, ReplicationInput, StudyVisitInput};

pub async fn add_replication(State(st): State<AppState>, Signed(me): Signed, Authorized(e): Authorized<Exemplar>, form: Pairs) -> PageResult {
    let id = e.id;
    let adopter_org_id = access::seen_org(&st, &me, form.int("adopter_org_id").unwrap_or(0)).await?;
    let input = ReplicationInput { adopter_org_id, adopted_on: form.get("adopted_on"), how: form.get("how"), note: form.get("note") };
    match spread::add_replication(&st.db, &me.actor(), e.id, input).await {
        Ok(_) => done(&st, &format!("/exemplars/{id}"), Done::ReplicationAdded),
        Err(err) => refused_form(&st, &me, id, err, Again::new("replication", &form)).await,
    }
}

pub async fn add_visit(State(st): State<AppState>, Signed(me): Signed, Authorized(e): Authorized<Exemplar>, form: Pairs) -> PageResult {
    let id = e.id;
    let mut typed = dienhinh_domain::Invalid::new();
    let input = StudyVisitInput {
        visited_on: form.get("visited_on"),
        visiting_units: form.get("visiting_units"),
        participants: form.number("participants", "Số người tham gia", i64::MIN..=i64::MAX, &mut typed).unwrap_or(0),
        lessons: form.get("lessons"),
    };
    let saved = match input.validate() {
        // A typed number that was not one is reported with the rest, one message per field.
        Err(mut inv) if !typed.is_empty() => {
            inv.0.retain(|f| typed.for_field(f.field).is_none());
            typed.0.extend(inv.0);
            Err(dienhinh_store::StoreError::Invalid(typed))
        }
        _ if !typed.is_empty() => Err(dienhinh_store::StoreError::Invalid(typed)),
        _ => spread::add_visit(&st.db, &me.actor(), e.id, input).await,
    };
    match saved {
        Ok(_) => done(&st, &format!("/exemplars/{id}"), Done::VisitAdded),
        Err(err) => refused_form(&st, &me, id, err, Again::new("visit", &form)).await,
    }
}

