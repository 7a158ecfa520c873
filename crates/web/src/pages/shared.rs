//! Pieces more than one page uses: choice lists, the conflict page and who
//! changed a record last.

use crate::AppState;
use dienhinh_domain::OrgPath;

/// (code, label) of an option in a select.
pub use crate::view::{coded, Choice};

/// A save refused because someone else saved the record first: shown
/// (`templates/conflict.html`) above the edit form re-filled with what the
/// person typed and carrying the current version, so that saving again
/// applies their edits over the record as it is now.
pub struct Conflict {
    pub changed_by: String,
    /// (field label, what the user typed, what is stored now)
    pub rows: Vec<(String, String, String)>,
}

/// Name of whoever last wrote a record, from the audit log.
pub async fn last_writer(st: &AppState, entity: dienhinh_domain::RecordKind, id: i64) -> String {
    let f = dienhinh_store::audit::AuditFilter {
        entity: Some(entity.code().into()),
        entity_id: Some(id),
        within: vec![OrgPath::whole_tree()],
        limit: Some(1),
        ..Default::default()
    };
    match dienhinh_store::audit::list(&st.db, &f).await {
        Ok(p) => p.items.first().map(|e| format!("người dùng «{}»", e.actor)).unwrap_or_else(|| "người khác".into()),
        Err(e) => {
            // Only a name on a conflict page: the page still answers, the failure is logged.
            tracing::warn!(error = %e, "last writer not read");
            "người khác".into()
        }
    }
}

/// The exemplars a record form names: those chosen (kept checked) and those
/// its search box found.
pub struct Chooser {
    pub chosen: Vec<dienhinh_store::exemplars::Named>,
    pub found: Vec<dienhinh_store::exemplars::Named>,
    /// A search was made (an empty result is then said).
    pub searched: bool,
}

/// Exemplars one search of a form offers.
const FOUND_MAX: i64 = 20;

/// A record form that names exemplars (a propaganda item, a story), as it
/// stands: where a new record may be placed (none without the right, or for
/// a record that exists), the exemplar chooser, what was typed and the
/// messages. Templates read it as `fs`.
pub struct FormState {
    pub unit: Option<crate::picker::UnitPicker>,
    pub chooser: Chooser,
    pub form: crate::form::Pairs,
    pub errors: dienhinh_domain::Invalid,
}

impl FormState {
    /// The form of a new record, placed at a unit where the caller may take
    /// `action` (the one its creation route needs).
    pub async fn new_record(
        st: &AppState,
        me: &crate::auth::AuthUser,
        action: dienhinh_domain::Action,
        form: crate::form::Pairs,
        errors: dienhinh_domain::Invalid,
    ) -> Result<Self, crate::error::PageError> {
        use crate::picker::{UnitPicker, ANY};
        let unit = match me.scope(action) {
            s if s.is_empty() => None,
            s => Some(UnitPicker::load(st, "org_id", &s, form.int("org_id"), &ANY).await?),
        };
        let chooser = chooser(st, me, &form, &[]).await?;
        Ok(FormState { unit, chooser, form, errors })
    }

    /// The form of a record that exists: nothing posted shows it as stored
    /// (`stored` fields, `current` exemplars).
    pub async fn existing(
        st: &AppState,
        me: &crate::auth::AuthUser,
        form: crate::form::Pairs,
        errors: dienhinh_domain::Invalid,
        current: &[dienhinh_store::exemplars::Named],
        stored: &[(&str, &str)],
    ) -> Result<Self, crate::error::PageError> {
        let chooser = chooser(st, me, &form, current).await?;
        let form = if form.0.is_empty() { crate::form::Pairs(stored.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()) } else { form };
        Ok(FormState { unit: None, chooser, form, errors })
    }

    /// A field as typed.
    pub fn value(&self, name: &str) -> String {
        self.form.get(name)
    }
}

/// The exemplars chosen in the form (those the caller may see; `current`
/// when nothing was posted) and those its search box finds in the caller's scope.
async fn chooser(st: &AppState, me: &crate::auth::AuthUser, form: &crate::form::Pairs, current: &[dienhinh_store::exemplars::Named]) -> Result<Chooser, crate::error::PageError> {
    use dienhinh_domain::Action;
    use dienhinh_store::exemplars::{self, ExemplarFilter, Named};
    let ids = if form.0.is_empty() { current.iter().map(|e| e.id).collect() } else { form.ids("exemplar_ids") };
    let seen: Vec<i64> = crate::access::seen_exemplars(st, me, &ids).await?.into_iter().filter(|id| *id != crate::access::UNSEEN).collect();
    let chosen = exemplars::named(&st.db, &seen).await?;
    let typed = form.get("exemplar_q");
    let searched = !typed.trim().is_empty();
    let found = if searched {
        let f = ExemplarFilter { within: me.scope(Action::View), q: Some(typed), limit: Some(FOUND_MAX), ..Default::default() };
        exemplars::list(&st.db, &f).await?.items.into_iter().filter(|e| !seen.contains(&e.id)).map(|e| Named { id: e.id, name: e.name }).collect()
    } else {
        vec![]
    };
    Ok(Chooser { chosen, found, searched })
}
