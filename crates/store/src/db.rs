use crate::error::StoreResult;
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Executor};
use std::path::Path;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The backend a connection talks to (for code given a connection, not a `Db`).
    pub fn of(conn: &sqlx::AnyConnection) -> Backend {
        if conn.backend_name().eq_ignore_ascii_case("postgresql") { Backend::Postgres } else { Backend::Sqlite }
    }
}

/// A database handle. On SQLite all writes share one connection, so a write
/// transaction never has to upgrade a read lock (which SQLite refuses with
/// SQLITE_BUSY under concurrency); reads use a pool. On PostgreSQL both are
/// the same pool.
#[derive(Clone)]
pub struct Db {
    pub backend: Backend,
    read: AnyPool,
    write: AnyPool,
}

pub type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// SQLite reading connections (a pool; each holds its own page cache).
const READERS: u32 = 8;
/// Page cache of each SQLite reading connection, in KiB. Every connection
/// keeps its own cache and fills it under load, so the server's memory
/// grows to `READERS` × this: at 32 MiB each, searches at national scale
/// (which touch many index pages) took the server to 530–550 MB (issue 22).
/// The operating system caches the file as well, so a page missing here is
/// a memory copy away, not a disk read.
const READER_CACHE_KIB: u32 = 8 * 1024;
/// Page cache of the one writing connection, in KiB (a write transaction
/// keeps its changed pages here until it commits).
const WRITER_CACHE_KIB: u32 = 32 * 1024;

impl Db {
    /// Like [`Db::open`] but without running migrations (for `dienhinh check`,
    /// which must see the schema as it is).
    pub async fn connect(url: Option<&str>, data_dir: &Path) -> anyhow::Result<Db> {
        sqlx::any::install_default_drivers();
        let db = match url {
            Some(u) if u.starts_with("postgres://") || u.starts_with("postgresql://") => {
                let pool = AnyPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(10))
                    .after_connect(|conn, _| {
                        Box::pin(async move {
                            // Statements here take milliseconds; where PostgreSQL
                            // overestimates their rows (a province's search: 314,000
                            // guessed, 1,361 found) it compiled them with LLVM first,
                            // 250–315 ms instead of 6. No statement has a switch of
                            // its own for that.
                            conn.execute("SET jit = off").await?;
                            Ok(())
                        })
                    })
                    .connect(u)
                    .await?;
                Db { backend: Backend::Postgres, read: pool.clone(), write: pool }
            }
            Some(u) if u.starts_with("sqlite:") => Self::open_sqlite(u).await?,
            Some(u) => anyhow::bail!("unsupported database URL (expected postgres:// or sqlite:): {u}"),
            None => {
                std::fs::create_dir_all(data_dir)?;
                let file = data_dir.join("dienhinh.db");
                Self::open_sqlite(&format!("sqlite://{}?mode=rwc", file.display())).await?
            }
        };
        Ok(db)
    }

    async fn open_sqlite(url: &str) -> anyhow::Result<Db> {
        let opts = |max: u32, cache_kib: u32| {
            AnyPoolOptions::new()
                .max_connections(max)
                .acquire_timeout(Duration::from_secs(30))
                .after_connect(move |conn, _| {
                    Box::pin(async move {
                        // FULL: a commit is on disk before we acknowledge it,
                        // so neither a killed process nor a power cut loses it.
                        conn.execute(
                            format!(
                                "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; \
                                 PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON; \
                                 PRAGMA cache_size=-{cache_kib}; PRAGMA temp_store=MEMORY;"
                            )
                            .as_str(),
                        )
                        .await?;
                        Ok(())
                    })
                })
        };
        let write = opts(1, WRITER_CACHE_KIB).connect(url).await?;
        let read = opts(READERS, READER_CACHE_KIB).connect(url).await?;
        Ok(Db { backend: Backend::Sqlite, read, write })
    }

    pub fn reader(&self) -> &AnyPool {
        &self.read
    }

    /// Begins a write transaction.
    pub async fn begin(&self) -> StoreResult<Tx> {
        Ok(self.write.begin().await?)
    }

    /// True when the database answers a trivial query.
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").fetch_one(&self.read).await.is_ok()
    }

    pub async fn close(&self) {
        self.write.close().await;
        self.read.close().await;
    }
}

/// Reads a column, mapping a decode failure into a store error.
pub fn col<'r, T>(row: &'r AnyRow, name: &str) -> StoreResult<T>
where
    T: sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any>,
{
    use sqlx::Row;
    Ok(row.try_get::<T, _>(name)?)
}

/// The years `sql` (one `year` column, a record's id as `$1`) returns, in
/// its order: what a record's tallies count once per year (the write
/// path's load of exemplars and of units).
pub(crate) async fn years_of(conn: &mut sqlx::AnyConnection, sql: &str, id: i64) -> StoreResult<Vec<i64>> {
    sqlx::query(sql).bind(id).fetch_all(conn).await?.iter().map(|r| col(r, "year")).collect()
}

/// Renders a sea-query statement for this backend, with its bound values.
pub fn build<S: sea_query_binder::SqlxBinder>(
    backend: Backend,
    stmt: &S,
) -> (String, sea_query_binder::SqlxValues) {
    match backend {
        Backend::Sqlite => stmt.build_any_sqlx(&sea_query::SqliteQueryBuilder),
        Backend::Postgres => stmt.build_any_sqlx(&sea_query::PostgresQueryBuilder),
    }
}

/// `path >= root AND path < upper` for each root, OR-ed: the subtree filter
/// used by every scoped list.
pub fn within_subtrees(column: &str, roots: &[dienhinh_domain::OrgPath]) -> sea_query::Condition {
    use sea_query::{Alias, Cond, Expr};
    // The empty path is no node; its range would cover the whole tree.
    let roots: Vec<_> = roots.iter().filter(|p| !p.as_str().is_empty()).collect();
    if roots.is_empty() {
        // No subtree matches nothing (never "no condition").
        return Cond::all().add(Expr::cust("1 = 0"));
    }
    if roots.iter().any(|p| p.is_whole_tree()) {
        return whole_tree();
    }
    // Only the ranges: a constant false term ORed in (`? = ?` once bound)
    // kept SQLite from seeking the range in any index, so every subtree
    // query read its whole table (or the whole of a status): the home
    // page's fostering count read every open item of the province.
    let mut any = Cond::any();
    for p in roots {
        any = any.add(
            Cond::all()
                .add(Expr::col(Alias::new(column)).gte(p.as_str()))
                .add(Expr::col(Alias::new(column)).lt(p.subtree_upper_bound())),
        );
    }
    any
}

/// The whole tree (`/`): every row, as a literal true term that both
/// planners drop, so that the query reads the table in whatever order it
/// wants (by primary key for the newest) instead of a range over all of
/// it. Not an empty condition, which sea-query would drop from an `OR`
/// and so narrow it; an `OR` itself, like the ranges, so that a caller
/// adding another alternative (the audit log's entries of no node) keeps
/// every row.
fn whole_tree() -> sea_query::Condition {
    sea_query::Cond::any().add(sea_query::Expr::cust("1 = 1"))
}

/// The same rows as [`within_subtrees`], in a form no index on `column`
/// answers (`substr(column, 1, n) = path`): for a large subtree read in
/// another order, the planner then walks that order's index, which holds
/// `column`, and checks each entry, instead of sorting the whole subtree.
pub fn within_subtrees_scanned(column: &str, roots: &[dienhinh_domain::OrgPath]) -> sea_query::Condition {
    use sea_query::{Alias, Cond, Expr, Func};
    let roots: Vec<_> = roots.iter().filter(|p| !p.as_str().is_empty()).collect();
    if roots.is_empty() {
        return Cond::all().add(Expr::cust("1 = 0"));
    }
    if roots.iter().any(|p| p.is_whole_tree()) {
        return whole_tree();
    }
    roots.iter().fold(Cond::any(), |any, p| {
        // Literal lengths: PostgreSQL has no substr(text, bigint, bigint).
        let start = Func::cust(Alias::new("substr")).arg(Expr::col(Alias::new(column))).arg(Expr::cust("1")).arg(Expr::cust(p.as_str().len().to_string()));
        any.add(Expr::expr(start).eq(p.as_str()))
    })
}

/// `$1, $2, …, $n`: the placeholders of an `IN (…)` over a page of ids
/// (related rows loaded per page, never per row).
pub fn placeholders(n: usize) -> String {
    placeholders_from(1, n)
}

/// `n` placeholders numbered from `$first` (for a statement that binds
/// other values before them).
pub fn placeholders_from(first: usize, n: usize) -> String {
    (first..first + n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

/// Rows whose folded `columns` (`name_key`) hold every word typed, each
/// anywhere and in any order (`ky thuat dien luc` finds `Phòng Kỹ thuật
/// Công ty Điện lực`): one `LIKE '%word%'` per word, AND-ed, a word matching
/// in any of the columns. The words are the search's (`text::query`: legacy
/// encodings converted, folded, letters and digits only, capped), each in
/// its prefix forms, as a word may be the start of a longer one (`quy` of
/// `quyết`). `None` when nothing searchable was typed.
pub fn folded_contains(typed: Option<&str>, columns: &[&str]) -> Option<sea_query::Condition> {
    use sea_query::{Alias, Cond, Expr};
    let words = dienhinh_text::query::query_tokens(typed?);
    (!words.is_empty()).then(|| {
        words.iter().fold(Cond::all(), |all, word| {
            let forms = dienhinh_text::query::prefix_forms(word);
            all.add(columns.iter().flat_map(|c| forms.iter().map(move |f| Expr::col(Alias::new(*c)).like(format!("%{f}%")))).fold(Cond::any(), Cond::add))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use dienhinh_domain::OrgPath;
    use sea_query::{Alias, Query, SqliteQueryBuilder};

    fn sql(roots: &[OrgPath]) -> String {
        Query::select().expr(sea_query::Expr::val(1)).from(Alias::new("t")).cond_where(within_subtrees("p", roots)).to_string(SqliteQueryBuilder)
    }

    #[test]
    fn one_subtree_is_a_plain_range_the_planner_can_seek() {
        let one = sql(&[OrgPath("/1/2/".into())]);
        assert!(one.ends_with(r#"WHERE "p" >= '/1/2/' AND "p" < '/1/20'"#), "{one}");
        let two = sql(&[OrgPath("/1/2/".into()), OrgPath("/1/3/".into())]);
        assert!(!two.contains("1 = 0") && two.contains(" OR "), "{two}");
    }

    #[test]
    fn the_whole_tree_is_no_range_and_stays_true_inside_an_or() {
        use sea_query::{Cond, Expr};
        for roots in [vec![OrgPath::whole_tree()], vec![OrgPath("/1/".into()), OrgPath::whole_tree()]] {
            let whole = sql(&roots);
            assert!(whole.ends_with("WHERE 1 = 1"), "{whole}");
            let either = Query::select()
                .expr(Expr::val(1))
                .from(Alias::new("t"))
                .cond_where(Cond::any().add(within_subtrees("p", &roots)).add(Expr::col(Alias::new("q")).eq(2)))
                .to_string(SqliteQueryBuilder);
            assert!(either.ends_with(r#"WHERE (1 = 1) OR "q" = 2"#), "{either}");
            let added = Query::select().expr(Expr::val(1)).from(Alias::new("t")).cond_where(within_subtrees("p", &roots).add(Expr::col(Alias::new("q")).is_null())).to_string(SqliteQueryBuilder);
            assert!(added.ends_with(r#"WHERE (1 = 1) OR "q" IS NULL"#), "{added}");
            let scanned = Query::select().expr(Expr::val(1)).from(Alias::new("t")).cond_where(within_subtrees_scanned("p", &roots)).to_string(SqliteQueryBuilder);
            assert!(scanned.ends_with("WHERE 1 = 1"), "{scanned}");
        }
    }

    #[test]
    fn no_subtree_matches_nothing() {
        for roots in [vec![], vec![OrgPath(String::new())]] {
            assert!(sql(&roots).ends_with("WHERE 1 = 0"), "{}", sql(&roots));
        }
    }
}

#[cfg(test)]
mod scanned_tests {
    use super::*;

    #[test]
    fn the_scanned_scope_binds_the_path_on_both_backends() {
        use sea_query::{Alias, Query};
        let q = Query::select().column(Alias::new("id")).from(Alias::new("exemplars")).cond_where(within_subtrees_scanned("org_path", &[dienhinh_domain::OrgPath("/1/2/".into())])).to_owned();
        for backend in [Backend::Sqlite, Backend::Postgres] {
            let (sql, values) = build(backend, &q);
            assert!(sql.contains("substr(\"org_path\", 1, 5) = "), "{sql}");
            assert_eq!(values.0 .0.len(), 1, "{sql}");
        }
    }
}
