//! Pieces more than one page uses: choice lists, the conflict page and who
//! changed a record last.

use crate::view::Chrome;
use crate::AppState;
use askama::Template;
use dienhinh_domain::OrgPath;

/// (code, label) of an option in a select.
pub use crate::view::{coded, Choice};

#[derive(Template)]
#[template(path = "conflict.html")]
pub struct ConflictPage {
    pub chrome: Chrome,
    pub changed_by: String,
    /// (field label, what the user typed, what is stored now)
    pub rows: Vec<(String, String, String)>,
    pub retry_href: String,
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
