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
        within: vec![OrgPath("/".into())],
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
