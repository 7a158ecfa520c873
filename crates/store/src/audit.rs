//! The audit log: every write appends who, when, which record, before and
//! after, in the same transaction as the write. Rows are never changed (the
//! database refuses UPDATE and DELETE on the table).

use crate::db::{within_subtrees, Tx};
use dienhinh_domain::{AuditAction, OrgPath, RecordKind};
use crate::row::FromRow;
use crate::page::{limit, Listing, Page, Position, SortKey};
use dienhinh_domain::order::AuditOrder;
use crate::{now_ms, Actor, Db, StoreResult};
use serde::Serialize;

/// One entry to append. `before`/`after` are the record's JSON images.
#[derive(Debug, Clone)]
pub struct Entry<'a> {
    pub action: AuditAction,
    pub kind: RecordKind,
    pub id: Option<i64>,
    pub org_path: Option<&'a OrgPath>,
    pub summary: &'a str,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

/// Appends one entry as it is (the kind's audit policy is applied by
/// [`crate::write::Write::audit`], the path every write takes).
pub(crate) async fn append(tx: &mut Tx, actor: &Actor, e: &Entry<'_>) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor_id, actor, action, entity, entity_id, org_path, summary, before_json, after_json) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(now_ms())
    .bind(actor.user_id)
    .bind(&actor.name)
    .bind(e.action.code())
    .bind(e.kind.code())
    .bind(e.id)
    .bind(e.org_path.map(|p| p.as_str()))
    .bind(e.summary)
    .bind(e.before.as_ref().map(|v| v.to_string()))
    .bind(e.after.as_ref().map(|v| v.to_string()))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: i64,
    pub actor_id: Option<i64>,
    pub actor: String,
    pub action: AuditAction,
    pub entity: RecordKind,
    pub entity_id: Option<i64>,
    pub org_path: Option<String>,
    pub summary: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

crate::from_row!(AuditEntry { id, at, actor_id, actor, action, entity, entity_id, org_path, summary, before: "before_json", after: "after_json" });

#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub entity: Option<String>,
    pub entity_id: Option<i64>,
    pub actor_id: Option<i64>,
    /// Words of the actor's full name, folded, each anywhere in it.
    pub actor_name: Option<String>,
    /// Leave out sign-ins (the log's most frequent and least telling entries).
    pub hide_signins: bool,
    /// Inclusive range in milliseconds.
    pub from: Option<i64>,
    pub to: Option<i64>,
    /// Restrict to entries about records inside these subtrees. Entries with
    /// no org (the shared catalogue, such as fields) are shown only to callers
    /// scoped at a root: they belong to no province.
    pub within: Vec<OrgPath>,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

/// Newest first, keyset-paged on id, uncounted.
pub async fn list(db: &Db, f: &AuditFilter) -> StoreResult<Page<AuditEntry>> {
    Ok(listing(db, f, AuditOrder::Newest, Position::after(f.cursor.as_deref(), limit(f.limit))).await?.page())
}

/// A page of the entries `f` selects (its cursor aside) in `order` at `at`.
pub async fn listing(db: &Db, f: &AuditFilter, order: AuditOrder, at: Position<'_>) -> StoreResult<Listing<AuditEntry>> {
    use sea_query::{Alias, Expr, Query};
    let mut q = Query::select();
    q.from(Alias::new("audit_log"));
    if let Some(e) = &f.entity {
        q.and_where(Expr::col(Alias::new("entity")).eq(e.as_str()));
    }
    if let Some(id) = f.entity_id {
        q.and_where(Expr::col(Alias::new("entity_id")).eq(id));
    }
    if let Some(a) = f.actor_id {
        q.and_where(Expr::col(Alias::new("actor_id")).eq(a));
    }
    if let Some(name) = crate::db::folded_contains(f.actor_name.as_deref(), &["name_key"]) {
        let people = Query::select().column(Alias::new("id")).from(Alias::new("users")).cond_where(name).to_owned();
        q.and_where(Expr::col(Alias::new("actor_id")).in_subquery(people));
    }
    if f.hide_signins {
        q.and_where(Expr::col(Alias::new("action")).ne(AuditAction::SignIn.code()));
    }
    if let Some(from) = f.from {
        q.and_where(Expr::col(Alias::new("at")).gte(from));
    }
    if let Some(to) = f.to {
        q.and_where(Expr::col(Alias::new("at")).lte(to));
    }
    // Always the subtree range: an install may have many roots (one per
    // province), and a root's admin must not read the others' log.
    let mut scope = within_subtrees("org_path", &crate::orgs::as_queried(db, &f.within).await?);
    if f.within.iter().any(|p| p.depth() <= 1) {
        scope = scope.add(Expr::col(Alias::new("org_path")).is_null());
    }
    q.cond_where(scope);
    let columns = |q: &mut sea_query::SelectStatement| {
        // Who acted, by the person's current full name where the entry names a
        // user (entries written before names were recorded keep their login
        // name in `actor`; history is read, never rewritten).
        q.columns(<AuditEntry as FromRow>::COLUMNS.iter().copied().filter(|c| *c != "actor").map(Alias::new))
            .expr_as(Expr::cust("COALESCE((SELECT full_name FROM users WHERE users.id = audit_log.actor_id), audit_log.actor)"), Alias::new("actor"));
    };
    let sort = SortKey::id(order == AuditOrder::Newest);
    crate::page::listing(db, crate::page::Rows::of("audit_log", q), columns, sort, at, AuditEntry::from_row).await
}
