//! What the store does per kind of record, dispatched on `RecordKind` with
//! exhaustive matches: a new kind that does not say how it is indexed or
//! where its node is will not compile.

use crate::db::{col, Backend, Tx};
use crate::row::{all, select_list, FromRow};
use crate::search::SearchDoc;
use crate::write::Stored;
use crate::{exemplars, orgs, plans, users, Db, StoreError, StoreResult};
use dienhinh_domain::{OrgPath, RecordKind};
use sqlx::AnyConnection;

/// Records read per batch when rebuilding the index.
const BATCH: i64 = 5_000;

/// The index rows of up to `BATCH` records of `kind` with ids above `after`,
/// in id order, and the last id read (`None` when there are no more).
async fn docs_after(conn: &mut AnyConnection, kind: RecordKind, after: i64) -> StoreResult<(Vec<SearchDoc>, Option<i64>)> {
    use RecordKind::*;
    async fn plain<R: FromRow + Stored>(conn: &mut AnyConnection, after: i64) -> StoreResult<(Vec<SearchDoc>, Option<i64>)> {
        let sql = format!("SELECT {} FROM {} WHERE id > $1 ORDER BY id LIMIT $2", select_list(R::COLUMNS, None), R::KIND.table());
        let items: Vec<R> = all(&sqlx::query(&sql).bind(after).bind(BATCH).fetch_all(conn).await?)?;
        Ok((items.iter().filter_map(Stored::search_doc).collect(), items.last().map(Stored::id)))
    }
    match kind {
        Org => plain::<orgs::Org>(conn, after).await,
        User => plain::<users::User>(conn, after).await,
        Plan => plain::<plans::Plan>(conn, after).await,
        Exemplar => {
            let items = exemplars::batch_after(conn, after, BATCH).await?;
            Ok((items.iter().map(exemplars::search_doc).collect(), items.last().map(|e| e.id)))
        }
        CriteriaSet => {
            let sets = plans::criteria_sets_after(conn, after, BATCH).await?;
            Ok((sets.iter().map(plans::criteria_set_search_doc).collect(), sets.last().map(|s| s.id)))
        }
        Propaganda => {
            let items = crate::propaganda::batch_after(conn, after, BATCH).await?;
            Ok((items.iter().map(crate::propaganda::search_doc).collect(), items.last().map(|p| p.id)))
        }
        Story => {
            let items = crate::stories::batch_after(conn, after, BATCH).await?;
            Ok((items.iter().map(crate::stories::search_doc).collect(), items.last().map(|s| s.id)))
        }
        ApiToken | Field | Movement | Fostering | Evaluation | Replication | StudyVisit | AnnualModel | Attachment | DocumentRegister
        | CommendationForm | CommendationRound | Nomination | CouncilSession | CouncilVote | Ballot | CommendationOutcome | Review => Ok((vec![], None)),
    }
}

/// Indexes every record of every searchable kind, inside `tx`, into an
/// index that holds none of them.
pub(crate) async fn backfill(tx: &mut Tx, backend: Backend) -> StoreResult<u64> {
    let mut n = 0;
    for kind in RecordKind::searchable_kinds() {
        // A database brought only part of the way (`migrate_to`) may not
        // have the tables of kinds added by later migrations yet.
        if !table_exists(tx, backend, kind.table()).await? {
            continue;
        }
        let mut after = 0;
        loop {
            let (docs, last) = docs_after(tx, kind, after).await?;
            let Some(last) = last else { break };
            after = last;
            n += crate::search::insert_new(tx, backend, docs).await?;
        }
    }
    Ok(n)
}

async fn table_exists(tx: &mut Tx, backend: Backend, table: &str) -> StoreResult<bool> {
    let sql = match backend {
        Backend::Sqlite => "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = $1",
        Backend::Postgres => "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1",
    };
    Ok(col::<i64>(&sqlx::query(sql).bind(table).fetch_one(&mut **tx).await?, "n")? > 0)
}

/// The column a kind's `name_key` (`text::fold` of it: duplicate checks and
/// list filters) is derived from; `None` for kinds without one.
fn name_key_source(kind: RecordKind) -> Option<&'static str> {
    use RecordKind::*;
    match kind {
        Org | Exemplar => Some("name"),
        User => Some("full_name"),
        ApiToken | Plan | CriteriaSet | Field | Movement | Fostering | Evaluation | Replication | StudyVisit | AnnualModel | Attachment | DocumentRegister | Propaganda | Story
        | CommendationForm | CommendationRound | Nomination | CouncilSession | CouncilVote | Ballot | CommendationOutcome | Review => None,
    }
}

/// Keys written per `UPDATE` when re-keying (two bound values each).
const REKEY_BATCH: usize = 500;

/// Recomputes every `name_key` from its name with this binary's
/// `text::fold`, inside `tx`, writing only the keys that differ (one
/// `UPDATE … CASE id` per batch, on both backends). Derived data, so no
/// version, time or audit entry changes. Returns the number of keys changed.
async fn rekey_names(tx: &mut Tx) -> StoreResult<u64> {
    let mut changed_total = 0;
    for kind in RecordKind::ALL.iter().copied() {
        let Some(name) = name_key_source(kind) else { continue };
        let table = kind.table();
        let select = format!("SELECT id, {name} AS name, name_key FROM {table} WHERE id > $1 ORDER BY id LIMIT $2");
        let mut after = 0;
        loop {
            let rows = sqlx::query(&select).bind(after).bind(BATCH).fetch_all(&mut **tx).await?;
            let Some(last) = rows.last() else { break };
            after = col(last, "id")?;
            let mut changed: Vec<(i64, String)> = vec![];
            for r in &rows {
                let key = dienhinh_text::fold(&col::<String>(r, "name")?);
                if key != col::<String>(r, "name_key")? {
                    changed.push((col(r, "id")?, key));
                }
            }
            for chunk in changed.chunks(REKEY_BATCH) {
                let cases: String = (0..chunk.len()).map(|i| format!(" WHEN ${} THEN ${}", 2 * i + 1, 2 * i + 2)).collect();
                let ids = (0..chunk.len()).map(|i| format!("${}", 2 * i + 1)).collect::<Vec<_>>().join(", ");
                let sql = format!("UPDATE {table} SET name_key = CASE id{cases} END WHERE id IN ({ids})");
                let mut q = sqlx::query(&sql);
                for (id, key) in chunk {
                    q = q.bind(*id).bind(key.as_str());
                }
                q.execute(&mut **tx).await?;
            }
            changed_total += changed.len() as u64;
        }
    }
    Ok(changed_total)
}

/// Empties and rebuilds the search index from the records, and recomputes
/// the name keys, in one transaction (`dienhinh search rebuild`; a
/// migration that changes how records are indexed or folded does the same
/// through [`migrate`]).
pub async fn rebuild_search(db: &Db) -> StoreResult<u64> {
    let mut tx = db.begin().await?;
    let n = reindex(&mut tx, db.backend).await?;
    tx.commit().await?;
    Ok(n)
}

/// The node a record of `kind` lives at, read on `conn` (inside a write's
/// transaction when the path is to be copied); `NotFound` if there is no
/// such record or the kind lives at no node.
pub async fn org_path_of(conn: &mut AnyConnection, kind: RecordKind, id: i64) -> StoreResult<OrgPath> {
    let Some(column) = kind.own_path_column() else { return Err(StoreError::NotFound) };
    let row = sqlx::query(&format!("SELECT {column} AS p FROM {} WHERE id = $1", kind.table())).bind(id).fetch_optional(conn).await?;
    Ok(OrgPath(col(&row.ok_or(StoreError::NotFound)?, "p")?))
}

impl Db {
    /// Opens `url` (`postgres://…`), or the SQLite database `dienhinh.db`
    /// inside `data_dir` when no URL is given, and runs pending migrations
    /// (rebuilding the search index when one of them asks for it).
    pub async fn open(url: Option<&str>, data_dir: &std::path::Path) -> anyhow::Result<Db> {
        let db = Self::connect(url, data_dir).await?;
        migrate(&db).await?;
        Ok(db)
    }
}

/// Applies pending migrations, rebuilding the search index when one asks for it.
pub async fn migrate(db: &Db) -> anyhow::Result<()> {
    crate::migrate::run(db, reindex).await
}

/// Applies pending migrations up to `last` (tests of upgrades).
pub async fn migrate_to(db: &Db, last: i64) -> anyhow::Result<()> {
    crate::migrate::run_to(db, last, reindex).await
}

/// What a migration with `reindex` asks for, with this binary's code: every
/// `name_key` recomputed, then the search index rebuilt. Returns the number
/// of index rows.
fn reindex(tx: &mut Tx, backend: Backend) -> std::pin::Pin<Box<dyn std::future::Future<Output = StoreResult<u64>> + Send + '_>> {
    Box::pin(async move {
        let rekeyed = rekey_names(tx).await?;
        sqlx::query("DELETE FROM search_docs").execute(&mut **tx).await?;
        let indexed = backfill(tx, backend).await?;
        tracing::info!(rekeyed, indexed, "name keys recomputed and search index rebuilt");
        Ok(indexed)
    })
}

/// The nodes of the records of `kind` among `ids` (those that exist), in
/// one query: for checking ids a request body names against the caller's
/// scope.
pub async fn org_paths_of(db: &Db, kind: RecordKind, ids: &[i64]) -> StoreResult<std::collections::HashMap<i64, OrgPath>> {
    let Some(column) = kind.own_path_column() else { return Ok(Default::default()) };
    if ids.is_empty() {
        return Ok(Default::default());
    }
    let sql = format!("SELECT id, {column} AS p FROM {} WHERE id IN ({})", kind.table(), crate::db::placeholders(ids.len()));
    let mut q = sqlx::query(&sql);
    for id in ids {
        q = q.bind(*id);
    }
    q.fetch_all(db.reader()).await?.iter().map(|r| Ok((col(r, "id")?, OrgPath(col(r, "p")?)))).collect()
}
