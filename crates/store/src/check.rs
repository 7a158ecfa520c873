//! `dienhinh check`: verifies a database as it is on disk, without changing
//! it. Every check is generic over the schema, so tables and foreign keys
//! added by later migrations are covered without editing this file.
//!
//! - SQLite: `PRAGMA integrity_check` and `PRAGMA foreign_key_check`.
//! - PostgreSQL: every foreign key found in `information_schema` is checked
//!   for orphan rows (the server enforces them, but a restore with triggers
//!   off or `session_replication_role = replica` can leave orphans).
//! - Both: the schema version equals what this binary expects, and the
//!   audit log really refuses UPDATE and DELETE (probed in a transaction
//!   that is always rolled back).
//! - Attachments: [`check_attachments`].
//! - Node counters: every counter equals a fresh count of the records
//!   (`counters::differences`).

use crate::db::{Backend, Db};
use dienhinh_domain::RecordKind;
use sha2::{Digest, Sha256};
use sqlx::Row;
use std::path::Path;

/// One thing found wrong, in plain words.
pub type Problem = String;

/// Runs every check; an empty list means the database is sound.
pub async fn run(db: &Db, data_dir: &Path) -> Vec<Problem> {
    let mut problems = vec![];
    for (what, result) in [
        ("integrity", integrity(db).await),
        ("foreign keys", foreign_keys(db).await),
        ("schema version", schema_version(db).await),
        ("audit log", audit_log_append_only(db).await),
        ("attachments", check_attachments(db, data_dir).await),
        ("node counters", node_counters(db).await),
    ] {
        match result {
            Ok(found) => problems.extend(found),
            Err(e) => problems.push(format!("{what}: the check itself failed: {e}")),
        }
    }
    problems
}

async fn node_counters(db: &Db) -> Result<Vec<Problem>, sqlx::Error> {
    crate::counters::differences(&mut *db.reader().acquire().await?).await.map_err(|e| sqlx::Error::Protocol(e.to_string()))
}

async fn integrity(db: &Db) -> Result<Vec<Problem>, sqlx::Error> {
    if db.backend != Backend::Sqlite {
        // PostgreSQL has no whole-database equivalent; page checksums and
        // amcheck are the server administrator's tools.
        return Ok(vec![]);
    }
    let rows = sqlx::query("PRAGMA integrity_check").fetch_all(db.reader()).await?;
    Ok(rows
        .iter()
        .filter_map(|r| r.try_get::<String, _>(0).ok())
        .filter(|msg| msg != "ok")
        .map(|msg| format!("SQLite integrity check: {msg}"))
        .collect())
}

async fn foreign_keys(db: &Db) -> Result<Vec<Problem>, sqlx::Error> {
    match db.backend {
        Backend::Sqlite => {
            let rows = sqlx::query("PRAGMA foreign_key_check").fetch_all(db.reader()).await?;
            let mut counts: std::collections::BTreeMap<(String, String), i64> = Default::default();
            for r in &rows {
                let table: String = r.try_get(0)?;
                let parent: String = r.try_get(2)?;
                *counts.entry((table, parent)).or_default() += 1;
            }
            Ok(counts
                .into_iter()
                .map(|((table, parent), n)| format!("foreign keys: {n} row(s) of `{table}` point to a missing row of `{parent}`"))
                .collect())
        }
        Backend::Postgres => {
            let fks = sqlx::query(
                "SELECT tc.table_name::text AS tbl, kcu.column_name::text AS col, \
                        ccu.table_name::text AS ftbl, ccu.column_name::text AS fcol \
                 FROM information_schema.table_constraints tc \
                 JOIN information_schema.key_column_usage kcu \
                   ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema \
                 JOIN information_schema.constraint_column_usage ccu \
                   ON ccu.constraint_name = tc.constraint_name AND ccu.table_schema = tc.table_schema \
                 WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = current_schema() \
                 ORDER BY 1, 2",
            )
            .fetch_all(db.reader())
            .await?;
            let mut out = vec![];
            for fk in &fks {
                let (t, c, ft, fc): (String, String, String, String) =
                    (fk.try_get("tbl")?, fk.try_get("col")?, fk.try_get("ftbl")?, fk.try_get("fcol")?);
                let sql = format!(
                    "SELECT COUNT(*) AS n FROM \"{t}\" c WHERE c.\"{c}\" IS NOT NULL \
                     AND NOT EXISTS (SELECT 1 FROM \"{ft}\" p WHERE p.\"{fc}\" = c.\"{c}\")"
                );
                let n: i64 = sqlx::query(&sql).fetch_one(db.reader()).await?.try_get("n")?;
                if n > 0 {
                    out.push(format!("foreign keys: {n} row(s) of `{t}`.`{c}` point to a missing row of `{ft}`"));
                }
            }
            Ok(out)
        }
    }
}

async fn schema_version(db: &Db) -> Result<Vec<Problem>, sqlx::Error> {
    let expected = crate::migrate::latest_version();
    let found = match sqlx::query("SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations").fetch_one(db.reader()).await {
        Ok(r) => r.try_get::<i64, _>("v")?,
        Err(_) => return Ok(vec!["schema version: no `schema_migrations` table; the database was never migrated".into()]),
    };
    Ok(match found.cmp(&expected) {
        std::cmp::Ordering::Equal => vec![],
        std::cmp::Ordering::Less => {
            vec![format!("schema version: database is at version {found}, this program expects {expected} (run `dienhinh migrate`)")]
        }
        std::cmp::Ordering::Greater => {
            vec![format!("schema version: database is at version {found}, newer than this program ({expected}); use a newer dienhinh")]
        }
    })
}

/// Proves the audit log refuses UPDATE and DELETE by trying both on a probe
/// row inside transactions that are rolled back.
async fn audit_log_append_only(db: &Db) -> Result<Vec<Problem>, sqlx::Error> {
    let mut out = vec![];
    for (verb, sql) in [
        ("UPDATE", "UPDATE audit_log SET summary = 'probe' WHERE id = $1"),
        ("DELETE", "DELETE FROM audit_log WHERE id = $1"),
    ] {
        let mut tx = db.begin().await.map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
        let id: i64 = sqlx::query(
            "INSERT INTO audit_log (at, actor, action, entity, summary) \
             VALUES (0, 'dienhinh check', 'probe', 'probe', 'probe') RETURNING id",
        )
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        let refused = sqlx::query(sql).bind(id).execute(&mut *tx).await.is_err();
        tx.rollback().await?;
        if !refused {
            out.push(format!("audit log: {verb} on `audit_log` was allowed; the append-only trigger is missing or disabled"));
        }
    }
    Ok(out)
}

async fn table_exists(db: &Db, table: &str) -> Result<bool, sqlx::Error> {
    let sql = match db.backend {
        Backend::Sqlite => "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = $1",
        Backend::Postgres => {
            "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1"
        }
    };
    Ok(sqlx::query(sql).bind(table).fetch_one(db.reader()).await?.try_get::<i64, _>("n")? > 0)
}

async fn column_exists(db: &Db, table: &str, column: &str) -> Result<bool, sqlx::Error> {
    let sql = match db.backend {
        Backend::Sqlite => "SELECT COUNT(*) AS n FROM pragma_table_info($1) WHERE name = $2",
        Backend::Postgres => {
            "SELECT COUNT(*) AS n FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 AND column_name = $2"
        }
    };
    Ok(sqlx::query(sql).bind(table).bind(column).fetch_one(db.reader()).await?.try_get::<i64, _>("n")? > 0)
}

/// Every row of `attachments(storage_key, sha256)` must have its file at
/// `DATA/attachments/<storage_key>` with that SHA-256 (hex), and its owner
/// ([`attachment_owners`]). Skipped while the table does not exist; when the
/// attachments feature changes its columns, only these functions need to know.
pub async fn check_attachments(db: &Db, data_dir: &Path) -> Result<Vec<Problem>, sqlx::Error> {
    if !table_exists(db, "attachments").await? {
        return Ok(vec![]);
    }
    let dir = data_dir.join("attachments");
    let rows = sqlx::query("SELECT storage_key, sha256 FROM attachments").fetch_all(db.reader()).await?;
    let mut out = vec![];
    for r in &rows {
        let key: String = r.try_get("storage_key")?;
        let want: String = r.try_get("sha256")?;
        // Generated keys look like `exemplar/12/<hex>.pdf` (`ex/12/…` before
        // schema 5): plain segments, none of them `.` or `..`.
        let safe = !key.is_empty()
            && key.split('/').all(|seg| !seg.is_empty() && !seg.starts_with('.') && seg.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)));
        if !safe {
            out.push(format!("attachments: storage key {key:?} is not a plain generated name"));
            continue;
        }
        let path = dir.join(&key);
        match std::fs::read(&path) {
            Ok(bytes) => {
                let got = hex::encode(Sha256::digest(&bytes));
                if !got.eq_ignore_ascii_case(want.trim()) {
                    out.push(format!("attachments: {} does not match its stored hash (stored {want}, file {got})", path.display()));
                }
            }
            Err(e) => out.push(format!("attachments: {} is missing or unreadable ({e})", path.display())),
        }
    }
    out.extend(attachment_owners(db).await?);
    Ok(out)
}

/// An attachment names its owner by `(record_kind, record_id)`, which no
/// foreign key can check: the owner must exist, and the node copied with the
/// file (by which downloads are allowed) must still be the owner's.
/// Skipped before schema 5, when attachments had `exemplar_id` instead.
async fn attachment_owners(db: &Db) -> Result<Vec<Problem>, sqlx::Error> {
    if !column_exists(db, "attachments", "record_kind").await? {
        return Ok(vec![]);
    }
    let mut out = vec![];
    let kinds = sqlx::query("SELECT record_kind, COUNT(*) AS n FROM attachments GROUP BY record_kind ORDER BY record_kind").fetch_all(db.reader()).await?;
    for r in &kinds {
        let code: String = r.try_get("record_kind")?;
        let column = RecordKind::from_code(&code).and_then(|k| crate::files::owner_path_column(k).map(|c| (k.table(), c)));
        let Some((table, column)) = column else {
            let n: i64 = r.try_get("n")?;
            out.push(format!("attachments: {n} row(s) belong to {code:?}, not a kind of record that can own files"));
            continue;
        };
        let count = |sql: String| {
            let code = code.clone();
            async move { sqlx::query(&sql).bind(code).fetch_one(db.reader()).await?.try_get::<i64, _>("n") }
        };
        let missing = count(format!(
            "SELECT COUNT(*) AS n FROM attachments a WHERE a.record_kind = $1 AND NOT EXISTS (SELECT 1 FROM {table} o WHERE o.id = a.record_id)"
        ))
        .await?;
        if missing > 0 {
            out.push(format!("attachments: {missing} row(s) belong to a missing row of `{table}`"));
        }
        let moved = count(format!(
            "SELECT COUNT(*) AS n FROM attachments a JOIN {table} o ON o.id = a.record_id WHERE a.record_kind = $1 AND o.{column} <> a.org_path"
        ))
        .await?;
        if moved > 0 {
            out.push(format!("attachments: {moved} row(s) keep a node other than their owner's (`{table}`.`{column}`)"));
        }
    }
    Ok(out)
}
