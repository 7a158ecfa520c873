//! Multi-row INSERTs for bulk loading (the data generator `dienhinh gen`),
//! written once for both backends (`$N` placeholders on PostgreSQL, `?` on SQLite).
//!
//! On PostgreSQL the rows go through `COPY … FROM STDIN` instead ([`PgCopy`]).
//!
//! This bypasses the per-record functions (and so the audit log) on purpose:
//! it is for loading synthetic or imported data in large transactions, many
//! rows per statement. The caller must compute every derived column
//! (`org_path`, `name_key = text::fold(name)`, `sort_key = text::sort_key(name)`)
//! exactly as the record functions do.

use crate::db::{Backend, Tx};
use crate::StoreResult;

/// One bound value.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Int(i64),
    OptInt(Option<i64>),
    Text(String),
    OptText(Option<String>),
    Float(Option<f64>),
}

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

impl Val {
    /// Binds this value as the query's next parameter.
    pub fn bind_to(self, q: AnyQuery<'_>) -> AnyQuery<'_> {
        match self {
            Val::Int(i) => q.bind(i),
            Val::OptInt(i) => q.bind(i),
            Val::Text(s) => q.bind(s),
            Val::OptText(s) => q.bind(s),
            Val::Float(f) => q.bind(f),
        }
    }
}

impl From<i64> for Val {
    fn from(v: i64) -> Self {
        Val::Int(v)
    }
}
impl From<Option<i64>> for Val {
    fn from(v: Option<i64>) -> Self {
        Val::OptInt(v)
    }
}
impl From<String> for Val {
    fn from(v: String) -> Self {
        Val::Text(v)
    }
}
impl From<&str> for Val {
    fn from(v: &str) -> Self {
        Val::Text(v.to_string())
    }
}
impl From<Option<String>> for Val {
    fn from(v: Option<String>) -> Self {
        Val::OptText(v)
    }
}
impl From<Option<f64>> for Val {
    fn from(v: Option<f64>) -> Self {
        Val::Float(v)
    }
}

/// Most bound parameters one statement may carry on this backend
/// (SQLite's SQLITE_MAX_VARIABLE_NUMBER since 3.32; PostgreSQL's protocol limit).
pub fn max_params(backend: Backend) -> usize {
    match backend {
        Backend::Sqlite => 32_766,
        Backend::Postgres => 65_535,
    }
}

/// Rows per statement: at most 1,000, and never more parameters than allowed.
pub fn rows_per_statement(backend: Backend, columns: usize) -> usize {
    (max_params(backend) / columns.max(1)).clamp(1, 1000)
}

/// `INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4), …` for `rows` rows.
///
/// On SQLite the placeholders are plain `?` (bound in order): SQLite looks a
/// named placeholder such as `$1` up in a linear list while parsing, which is
/// quadratic in the number of parameters (a 13,000-parameter statement took
/// a second to prepare); `?` needs no lookup.
pub fn insert_sql(backend: Backend, table: &str, columns: &[&str], rows: usize) -> String {
    let n = columns.len();
    let mut sql = String::with_capacity(32 + rows * n * 6);
    sql.push_str("INSERT INTO ");
    sql.push_str(table);
    sql.push_str(" (");
    sql.push_str(&columns.join(", "));
    sql.push_str(") VALUES ");
    for r in 0..rows {
        if r > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for c in 0..n {
            if c > 0 {
                sql.push_str(", ");
            }
            match backend {
                Backend::Sqlite => sql.push('?'),
                Backend::Postgres => {
                    sql.push('$');
                    sql.push_str(&(r * n + c + 1).to_string());
                }
            }
        }
        sql.push(')');
    }
    sql
}

/// Buffers rows for one table and writes them as multi-row INSERTs.
pub struct Inserter {
    backend: Backend,
    table: &'static str,
    columns: &'static [&'static str],
    per_statement: usize,
    vals: Vec<Val>,
    /// Rows written so far (flushed).
    pub written: u64,
}

impl Inserter {
    pub fn new(backend: Backend, table: &'static str, columns: &'static [&'static str]) -> Self {
        let per_statement = rows_per_statement(backend, columns.len());
        Inserter { backend, table, columns, per_statement, vals: Vec::with_capacity(per_statement * columns.len()), written: 0 }
    }

    /// Buffers one row; it must have one value per column.
    pub fn push(&mut self, row: impl IntoIterator<Item = Val>) {
        let before = self.vals.len();
        self.vals.extend(row);
        assert_eq!(self.vals.len() - before, self.columns.len(), "row width for {}", self.table);
    }

    pub fn table(&self) -> &'static str {
        self.table
    }

    /// Rows buffered and not yet written.
    pub fn pending(&self) -> usize {
        self.vals.len() / self.columns.len()
    }

    /// True when a full statement's worth of rows is buffered.
    pub fn is_full(&self) -> bool {
        self.pending() >= self.per_statement
    }

    /// Writes every buffered row, `per_statement` rows per statement.
    pub async fn flush(&mut self, tx: &mut Tx) -> StoreResult<()> {
        let width = self.columns.len();
        let mut left = self.pending();
        let mut vals = std::mem::take(&mut self.vals).into_iter();
        while left > 0 {
            let rows = left.min(self.per_statement);
            let sql = insert_sql(self.backend, self.table, self.columns, rows);
            let mut q = sqlx::query(&sql);
            for v in vals.by_ref().take(rows * width) {
                q = v.bind_to(q);
            }
            q.execute(&mut **tx).await?;
            left -= rows;
            self.written += rows as u64;
        }
        self.vals = Vec::with_capacity(self.per_statement * width);
        Ok(())
    }
}

/// After rows were inserted with explicit ids, moves the table's id
/// generator past the largest id (PostgreSQL identity columns do not follow
/// explicit ids; SQLite's AUTOINCREMENT does by itself).
pub async fn reset_id_sequence(tx: &mut Tx, backend: Backend, table: &str) -> StoreResult<()> {
    if backend == Backend::Postgres {
        let sql = format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
        );
        sqlx::query(&sql).execute(&mut **tx).await?;
    }
    Ok(())
}

/// Prepares a transaction of a long bulk load (call it in each one). On
/// SQLite, a 512 MiB page cache for the write connection: indexes keyed by
/// path or name receive rows in random order, and with the default 32 MB
/// cache each insert into a large index went to disk. On PostgreSQL, commits
/// that do not wait for the WAL flush: a crash during the load may lose its
/// last transactions (never corrupt the database), and a load is redone
/// from the start anyway.
pub async fn prepare_for_load(tx: &mut Tx, backend: Backend) -> StoreResult<()> {
    let sql = match backend {
        Backend::Sqlite => "PRAGMA cache_size=-524288",
        Backend::Postgres => "SET LOCAL synchronous_commit = off",
    };
    sqlx::query(sql).execute(&mut **tx).await?;
    Ok(())
}

/// Drops the secondary indexes of `tables` and returns their `CREATE INDEX`
/// statements, for [`create_indexes`] once the load is done: one sorted
/// build per index is far cheaper than keeping indexes keyed by path or year
/// up to date while millions of rows arrive in random key order. Unique
/// indexes stay (inserts may rely on them). Only for loading into a database
/// nobody else is using: until the statements are run again, queries lose
/// those indexes.
pub async fn drop_secondary_indexes(tx: &mut Tx, backend: Backend, tables: &[&str]) -> StoreResult<Vec<String>> {
    let sql = match backend {
        Backend::Sqlite => {
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = $1 AND sql IS NOT NULL \
             AND sql NOT LIKE 'CREATE UNIQUE%' ORDER BY name"
        }
        Backend::Postgres => {
            "SELECT indexname::text AS name, indexdef AS sql FROM pg_indexes WHERE schemaname = current_schema() AND tablename = $1 \
             AND indexdef NOT LIKE 'CREATE UNIQUE%' ORDER BY indexname"
        }
    };
    let mut statements = Vec::new();
    for table in tables {
        let rows = sqlx::query(sql).bind(*table).fetch_all(&mut **tx).await?;
        for r in rows {
            let name: String = crate::db::col(&r, "name")?;
            statements.push(crate::db::col::<String>(&r, "sql")?);
            sqlx::query(&format!("DROP INDEX {name}")).execute(&mut **tx).await?;
        }
    }
    Ok(statements)
}

/// Runs the statements [`drop_secondary_indexes`] returned (on PostgreSQL
/// with a larger sort memory for this transaction).
pub async fn create_indexes(tx: &mut Tx, backend: Backend, statements: &[String]) -> StoreResult<()> {
    if backend == Backend::Postgres {
        sqlx::query("SET LOCAL maintenance_work_mem = '512MB'").execute(&mut **tx).await?;
    }
    for s in statements {
        sqlx::query(s).execute(&mut **tx).await?;
    }
    Ok(())
}

/// Refreshes the planner's statistics after a bulk load. On PostgreSQL also
/// VACUUM, which marks the freshly written pages all-visible: until then
/// (autovacuum gets there minutes later) every count by subtree reads the
/// table rows instead of answering from the index alone.
///
/// On SQLite only the per-index row estimates (`sqlite_stat1`) are kept.
/// The bundled SQLite is built with STAT4, and with its samples present a
/// statement whose bound parameter meets an indexed column is expired at
/// every binding, so it is parsed and planned again on every execution
/// (perf: `sqlite3RunParser` on every request; 20–30 % of a list or detail
/// page's throughput, BENCHMARKS.md). The samples are dropped and the
/// statistics of the indexes kept.
pub async fn analyze(db: &crate::Db) -> StoreResult<()> {
    match db.backend {
        Backend::Sqlite => {
            let mut tx = db.begin().await?;
            sqlx::query("ANALYZE").execute(&mut *tx).await?;
            let stat4: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sqlite_master WHERE name = 'sqlite_stat4'").fetch_one(&mut *tx).await?;
            if stat4 > 0 {
                sqlx::query("DELETE FROM sqlite_stat4").execute(&mut *tx).await?;
            }
            // Connections opened from now on load the statistics without them.
            tx.commit().await?;
        }
        Backend::Postgres => {
            sqlx::query("VACUUM ANALYZE").execute(db.reader()).await?;
        }
    }
    Ok(())
}

/// PostgreSQL's `COPY … FROM STDIN` for bulk loading: far cheaper than
/// multi-row INSERTs (no parameters to bind and parse). sqlx's `Any`
/// driver cannot issue COPY, so this is a PostgreSQL connection of its own
/// (opened with the pool's URL), in transactions of its own: the loader
/// sends every row through it, in the order it would have inserted them,
/// and commits it with its own transaction.
pub struct PgCopy {
    conn: sqlx::PgConnection,
    in_tx: bool,
}

impl PgCopy {
    /// A COPY connection to the database of `db`, on PostgreSQL only (None on SQLite).
    pub async fn connect(db: &crate::Db) -> StoreResult<Option<PgCopy>> {
        use sqlx::Connection;
        if db.backend != Backend::Postgres {
            return Ok(None);
        }
        let url = db.reader().connect_options().database_url.clone();
        let mut conn = sqlx::PgConnection::connect(url.as_str()).await?;
        // As `prepare_for_load`: a crash may lose the last transactions, never corrupt.
        sqlx::query("SET synchronous_commit = off").execute(&mut conn).await?;
        // Foreign keys are checked by triggers, one lookup and row lock of
        // the referenced row per copied row: 76 % of the server's time in a
        // national load (perf: `AfterTriggerEndQuery`). The loader writes
        // parents before children by construction, so the copy skips them
        // where the role may (a superuser, or one granted SET on the
        // setting); `dienhinh check` finds any orphan, and the tests run it
        // on generated data. Elsewhere the copy is checked as usual.
        if sqlx::query("SET session_replication_role = replica").execute(&mut conn).await.is_err() {
            tracing::info!("bulk copy checks foreign keys (this role may not set session_replication_role)");
        }
        Ok(Some(PgCopy { conn, in_tx: false }))
    }

    /// Sends the inserter's buffered rows as one COPY (text format).
    pub async fn send(&mut self, ins: &mut Inserter) -> StoreResult<()> {
        let rows = ins.pending();
        if rows == 0 {
            return Ok(());
        }
        if !self.in_tx {
            sqlx::query("BEGIN").execute(&mut self.conn).await?;
            self.in_tx = true;
        }
        let mut data = String::with_capacity(rows * ins.columns.len() * 16);
        for row in std::mem::take(&mut ins.vals).chunks(ins.columns.len()) {
            for (i, v) in row.iter().enumerate() {
                if i > 0 {
                    data.push('\t');
                }
                copy_text(&mut data, v);
            }
            data.push('\n');
        }
        let statement = format!("COPY {} ({}) FROM STDIN", ins.table, ins.columns.join(", "));
        let mut copy = self.conn.copy_in_raw(&statement).await?;
        copy.send(data.into_bytes()).await?;
        copy.finish().await?;
        ins.written += rows as u64;
        ins.vals = Vec::with_capacity(ins.per_statement * ins.columns.len());
        Ok(())
    }

    /// Commits what was sent since the last commit.
    pub async fn commit(&mut self) -> StoreResult<()> {
        if self.in_tx {
            sqlx::query("COMMIT").execute(&mut self.conn).await?;
            self.in_tx = false;
        }
        Ok(())
    }
}

/// One value in COPY's text format: `\N` for NULL; backslash, tab, newline
/// and carriage return escaped.
fn copy_text(out: &mut String, v: &Val) {
    use std::fmt::Write;
    let text = |out: &mut String, s: &str| {
        for c in s.chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                '\t' => out.push_str("\\t"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                c => out.push(c),
            }
        }
    };
    match v {
        Val::Int(i) | Val::OptInt(Some(i)) => {
            let _ = write!(out, "{i}");
        }
        Val::Text(s) | Val::OptText(Some(s)) => text(out, s),
        Val::Float(Some(f)) => {
            let _ = write!(out, "{f:?}");
        }
        Val::OptInt(None) | Val::OptText(None) | Val::Float(None) => out.push_str("\\N"),
    }
}

impl From<dienhinh_domain::OrgPath> for Val {
    fn from(p: dienhinh_domain::OrgPath) -> Self {
        Val::Text(p.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sql_has_one_placeholder_per_value() {
        assert_eq!(insert_sql(Backend::Postgres, "t", &["a", "b"], 2), "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4)");
        assert_eq!(insert_sql(Backend::Postgres, "t", &["a"], 1), "INSERT INTO t (a) VALUES ($1)");
        assert_eq!(insert_sql(Backend::Sqlite, "t", &["a", "b"], 2), "INSERT INTO t (a, b) VALUES (?, ?), (?, ?)");
    }

    #[test]
    fn copy_text_escapes_what_the_format_reserves() {
        let mut out = String::new();
        for v in [Val::Text("a\tb\\c\nd\re".into()), Val::OptText(None), Val::Int(-3), Val::OptInt(None), Val::Float(Some(8.5)), Val::Float(Some(4.0)), Val::Text("Nguyễn".into())] {
            copy_text(&mut out, &v);
            out.push('|');
        }
        assert_eq!(out, "a\\tb\\\\c\\nd\\re|\\N|-3|\\N|8.5|4.0|Nguyễn|");
    }

    #[test]
    fn rows_per_statement_respects_parameter_limits() {
        assert_eq!(rows_per_statement(Backend::Sqlite, 3), 1000);
        assert_eq!(rows_per_statement(Backend::Sqlite, 40), 819);
        assert!(rows_per_statement(Backend::Sqlite, 40) * 40 <= 32_766);
        assert_eq!(rows_per_statement(Backend::Postgres, 100), 655);
        assert_eq!(rows_per_statement(Backend::Sqlite, 100_000), 1);
    }
}
