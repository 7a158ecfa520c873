//! Fostering plans of an exemplar (plan III.2), added and followed from its page.

use crate::pages::{confirm, done};
use crate::flash::Done;
use super::exemplars::{refused, refused_form, Again};
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
        Ok(_) => done(&st, &format!("/exemplars/{id}"), Done::FosteringAdded),
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
    let version = form.int("version").unwrap_or(0);
    if form.get("status") == completed() && !confirm::confirmed(&form) && item.version == version {
        let ask = confirm::Ask {
            heading: "Xác nhận hoàn thành nội dung bồi dưỡng",
            consequence: format!("Nội dung bồi dưỡng «{}» của điển hình «{}» sẽ được ghi là đã hoàn thành.", item.support, e.name),
            action: &format!("/exemplars/{id}/fostering/{}/status", item.id),
            confirm_label: "Xác nhận hoàn thành",
            back: &format!("/exemplars/{id}"),
        };
        return confirm::ask(&me, "/exemplars", ask, &form);
    }
    match fostering::set_status(&st.db, &me.actor(), e.id, item.id, version, &form.get("status")).await {
        Ok(_) => done(&st, &format!("/exemplars/{id}"), Done::FosteringChanged),
        Err(err) => refused(&st, &me, id, err).await,
    }
}


/// The status a fostering item's "Hoàn thành" button sets.
pub fn completed() -> &'static str {
    dienhinh_domain::fostering::FosteringStatus::HoanThanh.code()
}
