//! The one write path. A [`Write`] is a transaction plus who is writing;
//! every create and update of every kind of record goes through it:
//! insert-returning-id, versioned update (a stale version is a `Conflict`
//! carrying the record as it is now), the audit entry (with the kind's
//! [`AuditPolicy`]), the search index and the node counters (what the
//! record is counted as, before and after: `domain::counter`), all in the
//! same transaction.
//!
//! Store functions are thin: `pub async fn create(db, actor, …)` opens a
//! `Write`, calls `create_in(&mut w, …)` and commits, so that many writes
//! can share one transaction (an import of 500 rows, a vote tally) by
//! calling the `_in` functions on one `Write`.
//!
//! Whatever a row copies from another record (an `org_path`) is read through
//! the `Write`, inside the transaction, so a concurrent org move cannot leave
//! a stale copy behind.

use dienhinh_domain::AuditAction;
use crate::audit;
use crate::db::{build, Backend, Tx};
use crate::search::SearchDoc;
use crate::{now_ms, Actor, Db, StoreError, StoreResult};
use dienhinh_domain::counter::{self, Tally};
use dienhinh_domain::{AuditPolicy, OrgPath, RecordKind};
use sea_query::{Alias, Expr, Query, SimpleExpr};
use serde::Serialize;
use sqlx::AnyConnection;
use std::future::Future;

/// A record kept by the store: its kind, identity, node and how to load it.
pub trait Stored: Serialize + Send + Sync + Sized {
    const KIND: RecordKind;
    fn id(&self) -> i64;
    /// The node the record lives at (audit scope), if any.
    fn org_path(&self) -> Option<&OrgPath>;
    /// The audit entry's one-line summary.
    fn summary(&self) -> String;
    /// The record's row in the search index, for searchable kinds.
    fn search_doc(&self) -> Option<SearchDoc> {
        None
    }
    /// What the record is counted as in the node counters (none for kinds
    /// no figure counts).
    fn tallies(&self) -> Vec<Tally> {
        vec![]
    }
    /// Reads the record as it is now (inside a transaction or from a pool
    /// connection); `NotFound` when there is none.
    fn load(conn: &mut AnyConnection, id: i64) -> impl Future<Output = StoreResult<Self>> + Send;
}

/// A record as it is now, read from the pool (outside any write).
pub async fn get<R: Stored>(db: &crate::Db, id: i64) -> StoreResult<R> {
    R::load(&mut *db.reader().acquire().await?, id).await
}

/// Column values of an insert or update.
pub type Values = Vec<(&'static str, SimpleExpr)>;

/// `vals![("name", name), ("org_id", id)]`: values of any type sea-query binds.
#[macro_export]
macro_rules! vals {
    ($(($col:literal, $v:expr)),* $(,)?) => {
        vec![$(($col, ::sea_query::SimpleExpr::from(::sea_query::Value::from($v)))),*]
    };
}

pub struct Write<'a> {
    tx: Tx,
    backend: Backend,
    pub actor: &'a Actor,
}

impl Db {
    /// Begins a write by `actor`.
    pub async fn write<'a>(&self, actor: &'a Actor) -> StoreResult<Write<'a>> {
        Ok(Write { tx: self.begin().await?, backend: self.backend, actor })
    }
}

impl<'a> Write<'a> {
    /// The transaction's connection, for queries of a module's own.
    pub fn conn(&mut self) -> &mut AnyConnection {
        &mut self.tx
    }

    pub fn tx(&mut self) -> &mut Tx {
        &mut self.tx
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub async fn commit(self) -> StoreResult<()> {
        Ok(self.tx.commit().await?)
    }

    /// Inserts a row and returns its id.
    pub async fn insert(&mut self, table: &str, values: Values) -> StoreResult<i64> {
        let (columns, exprs): (Vec<_>, Vec<_>) = values.into_iter().unzip();
        let mut q = Query::insert();
        q.into_table(Alias::new(table))
            .columns(columns.into_iter().map(Alias::new))
            .values(exprs)
            .map_err(|e| StoreError::Other(e.into()))?
            .returning_col(Alias::new("id"));
        let (sql, args) = build(self.backend, &q);
        let row = sqlx::query_with(&sql, args).fetch_one(&mut *self.tx).await?;
        crate::db::col(&row, "id")
    }

    /// Inserts a row that has no id of its own (link tables, history rows).
    pub async fn insert_plain(&mut self, table: &str, values: Values) -> StoreResult<()> {
        let (columns, exprs): (Vec<_>, Vec<_>) = values.into_iter().unzip();
        let mut q = Query::insert();
        q.into_table(Alias::new(table)).columns(columns.into_iter().map(Alias::new)).values(exprs).map_err(|e| StoreError::Other(e.into()))?;
        let (sql, args) = build(self.backend, &q);
        sqlx::query_with(&sql, args).execute(&mut *self.tx).await?;
        Ok(())
    }

    /// Updates a record if it is still at `version`, bumping the version and
    /// `updated_at`; otherwise a `Conflict` carrying the record as it is now
    /// (or `NotFound`).
    pub async fn update_versioned<R: Stored>(&mut self, id: i64, version: i64, values: Values) -> StoreResult<()> {
        let mut q = Query::update();
        q.table(Alias::new(R::KIND.table()));
        for (column, v) in values {
            q.value(Alias::new(column), v);
        }
        q.value(Alias::new("updated_at"), now_ms())
            .value(Alias::new("version"), Expr::col(Alias::new("version")).add(1))
            .and_where(Expr::col(Alias::new("id")).eq(id))
            .and_where(Expr::col(Alias::new("version")).eq(version));
        let (sql, args) = build(self.backend, &q);
        let done = sqlx::query_with(&sql, args).execute(&mut *self.tx).await?;
        if done.rows_affected() == 0 {
            let current = R::load(&mut self.tx, id).await?;
            return Err(StoreError::Conflict { current: serde_json::to_value(&current).unwrap_or_default() });
        }
        Ok(())
    }

    /// Reads a record inside the transaction.
    pub async fn load<R: Stored>(&mut self, id: i64) -> StoreResult<R> {
        R::load(&mut self.tx, id).await
    }

    /// Records a new record: audit entry and search index row.
    pub async fn created<R: Stored>(&mut self, r: &R) -> StoreResult<()> {
        self.changed(AuditAction::Create, None, r, &r.summary()).await
    }

    /// Records a change of a record (`action`: create, update, transition,
    /// move …): audit entry with both images, a fresh search index row and
    /// the node counters moved from what `before` counted as to what
    /// `after` does. A move's counters are moved by [`Write::move_counts`]
    /// for the whole subtree, the node included, so not here.
    pub async fn changed<R: Stored>(&mut self, action: AuditAction, before: Option<&R>, after: &R, summary: &str) -> StoreResult<()> {
        if let Some(doc) = after.search_doc() {
            crate::search::index(&mut self.tx, &doc).await?;
        }
        if action != AuditAction::Move {
            self.count(&before.map(Stored::tallies).unwrap_or_default(), &after.tallies()).await?;
        }
        let image = |r: &R| serde_json::to_value(r).unwrap_or_default();
        self.audit(audit::Entry {
            action,
            kind: R::KIND,
            id: Some(after.id()),
            org_path: after.org_path(),
            summary,
            before: before.map(image),
            after: Some(image(after)),
        })
        .await
    }

    /// Moves the node counters from what a record counted as (`before`) to
    /// what it counts as now (`after`), at its node and every ancestor.
    /// [`Write::changed`] calls it; call it directly only for a record that
    /// is not [`Stored`].
    pub async fn count(&mut self, before: &[Tally], after: &[Tally]) -> StoreResult<()> {
        crate::counters::apply(&mut self.tx, self.backend, &counter::deltas(before, after)).await
    }

    /// Moves the counts of node `id`'s subtree from the ancestors of `from`
    /// to those of `to` (an org move; read before or after the paths are
    /// rewritten, the node's own rows do not change).
    pub async fn move_counts(&mut self, id: i64, from: &OrgPath, to: &OrgPath) -> StoreResult<()> {
        let at_node = crate::counters::at_node(&mut self.tx, id).await?;
        crate::counters::apply(&mut self.tx, self.backend, &counter::moved(from, to, &at_node)).await
    }

    /// Appends an audit entry, keeping of its content what the kind's policy allows.
    pub async fn audit(&mut self, mut entry: audit::Entry<'_>) -> StoreResult<()> {
        match entry.kind.audit_policy() {
            AuditPolicy::Full => {}
            AuditPolicy::NoContent => {
                entry.before = None;
                entry.after = None;
            }
        }
        audit::append(&mut self.tx, self.actor, &entry).await
    }

    /// Inserts or replaces a search index row (for rows that are not a
    /// [`Stored`] record's own, such as an org's after a move).
    pub async fn index(&mut self, doc: &SearchDoc) -> StoreResult<()> {
        crate::search::index(&mut self.tx, doc).await
    }
}

/// Implements [`write::Stored`](crate::write::Stored) for a record with an
/// `id` field: its kind, the field holding its node, its audit summary (an
/// expression of the record named before `=>`), how to load it, for
/// searchable kinds its index row, and for counted kinds its tallies.
#[macro_export]
macro_rules! stored {
    ($ty:ty: $kind:ident at $path:ident, summary $s:ident => $summary:expr, load $load:path $(, search $search:path)? $(, tallies $tallies:path)?) => {
        impl $crate::write::Stored for $ty {
            const KIND: ::dienhinh_domain::RecordKind = ::dienhinh_domain::RecordKind::$kind;
            fn id(&self) -> i64 {
                self.id
            }
            fn org_path(&self) -> Option<&::dienhinh_domain::OrgPath> {
                Some(&self.$path)
            }
            fn summary(&self) -> String {
                let $s = self;
                $summary
            }
            $(fn search_doc(&self) -> Option<$crate::search::SearchDoc> {
                Some($search(self))
            })?
            $(fn tallies(&self) -> Vec<::dienhinh_domain::counter::Tally> {
                $tallies(self)
            })?
            async fn load(conn: &mut ::sqlx::AnyConnection, id: i64) -> $crate::StoreResult<Self> {
                $load(conn, id).await
            }
        }
    };
}
