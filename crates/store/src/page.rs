//! Keyset paging: a cursor names the last row seen by its sort key and id,
//! so a deep page costs the same as the first (no OFFSET).

use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Opaque cursor of the next page, when there is one.
    pub next: Option<String>,
}

impl<T> Page<T> {
    pub fn empty() -> Self {
        Page { items: vec![], next: None }
    }
}

/// Position after which the next page starts: (sort key, id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub key: String,
    pub id: i64,
}

impl Cursor {
    pub fn encode(&self) -> String {
        format!("{}.{}", hex::encode(self.key.as_bytes()), self.id)
    }

    /// Parses a cursor: exactly the strings of [`Cursor::PATTERN`] (a key
    /// that is not UTF-8 is read lossily: it only positions the page).
    /// The UI treats `None` as "from the start"; the API refuses it.
    pub fn decode(s: &str) -> Option<Cursor> {
        let (k, id) = s.split_once('.')?;
        if id.is_empty() || id.len() > 18 || !id.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let key = String::from_utf8_lossy(&hex::decode(k).ok()?).into_owned();
        // No stored key holds NUL, and PostgreSQL refuses it in a text value.
        if key.contains('\0') {
            return None;
        }
        Some(Cursor { key, id: id.parse().ok()? })
    }

    /// The syntax of a cursor (ECMA regular expression, as in OpenAPI).
    pub const PATTERN: &'static str = "^([0-9a-fA-F]{2})*\\.[0-9]{1,18}$";
}

/// Clamps a requested page size to something sane.
pub fn limit(requested: Option<i64>) -> i64 {
    requested.unwrap_or(50).clamp(1, 200)
}

/// Builds a page from `limit + 1` fetched rows.
pub fn paginate<T>(mut rows: Vec<T>, limit: i64, cursor_of: impl Fn(&T) -> Cursor) -> Page<T> {
    let next = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|r| cursor_of(r).encode())
    } else {
        None
    };
    Page { items: rows, next }
}

/// A list's count stops here: "more than 10 000" is all a person needs, and
/// counting a whole province's rows on every page would cost more than the
/// page (the count reads at most this many index entries).
pub const COUNT_CAP: i64 = 10_000;

/// How a list order sorts: its key (an expression selected as `list_key`),
/// whether the key is a number, and whether it runs downwards. Ties are
/// broken by id in the same direction, so (key, id) is a keyset cursor.
#[derive(Debug, Clone)]
pub struct SortKey {
    pub expr: sea_query::SimpleExpr,
    pub numeric: bool,
    pub down: bool,
}

impl SortKey {
    /// A column of the listed table.
    pub fn column(name: &str, numeric: bool, down: bool) -> Self {
        SortKey { expr: sea_query::Expr::col(sea_query::Alias::new(name)).into(), numeric, down }
    }

    /// The id alone: the order rows were created in.
    pub fn id(down: bool) -> Self {
        Self::column("id", true, down)
    }

    /// A code column in its table's display order ([`rank_sql`]), upwards.
    pub fn rank<T: dienhinh_domain::Coded>(column: &str) -> Self {
        SortKey { expr: sea_query::Expr::cust(rank_sql::<T>(column)), numeric: false, down: false }
    }
}

/// `CASE status WHEN 'a' THEN '0' … ELSE '9' END`: a code column's rank in
/// its table's display order, as one-character text (a table holds fewer
/// than ten codes). Literal SQL, not bound values, so that an index on the
/// same expression (migration 15) matches it on both databases.
pub fn rank_sql<T: dienhinh_domain::Coded>(column: &str) -> String {
    assert!(T::ALL.len() < 10, "a rank is one digit");
    let whens: String = T::ALL.iter().enumerate().map(|(r, v)| format!(" WHEN '{}' THEN '{r}'", v.code())).collect();
    format!("CASE {column}{whens} ELSE '9' END")
}

/// One page of a list in an order, with links both ways and the count.
#[derive(Debug, Clone)]
pub struct Listing<T> {
    pub items: Vec<T>,
    /// Cursor of the page after this one (pass as `cursor`).
    pub next: Option<String>,
    /// Cursor of the page before this one (pass as `before`).
    pub prev: Option<String>,
    /// How many the filters select, up to [`COUNT_CAP`]` + 1` (0 when not counted).
    pub total: i64,
    /// The position asked for could not be used (not a cursor, or not one
    /// of this order): the page is the first one.
    pub bad_position: bool,
}

impl<T> Listing<T> {
    pub fn empty() -> Self {
        Listing { items: vec![], next: None, prev: None, total: 0, bad_position: false }
    }

    /// Whether there are more than [`COUNT_CAP`] (the count stopped).
    pub fn more_than_cap(&self) -> bool {
        self.total > COUNT_CAP
    }

    /// The page as the plain `{items, next}` of the first lists.
    pub fn page(self) -> Page<T> {
        Page { items: self.items, next: self.next }
    }

    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Listing<U> {
        Listing { items: self.items.into_iter().map(f).collect(), next: self.next, prev: self.prev, total: self.total, bad_position: self.bad_position }
    }
}

/// Where a page starts: after `after` (the next page), or before `before`
/// (the previous one; it wins when both are given); `limit` rows; `count`:
/// whether the total is wanted (a list page shows it, a short list of the
/// latest few does not).
#[derive(Debug, Clone, Copy)]
pub struct Position<'a> {
    pub after: Option<&'a str>,
    pub before: Option<&'a str>,
    pub limit: i64,
    pub count: bool,
}

impl<'a> Position<'a> {
    /// The page after `cursor`, uncounted: what the plain `list` of a kind reads.
    pub fn after(cursor: Option<&'a str>, limit: i64) -> Self {
        Position { after: cursor, before: None, limit, count: false }
    }
}

/// A subtree holding more rows than this, read in an order other than its
/// scope index's, is read through that order's index (see [`listing`]).
pub const WIDE: i64 = 2_000;

/// The rows a list pages through: `base` selects them from `table` (its
/// scope and filters; no columns, order or limit). `wide`, when given,
/// selects the same rows with the scope in a form no scope index answers
/// (`db::within_subtrees_scanned`); it is read instead when the count
/// passes [`WIDE`]: a page then walks the order's index from the cursor,
/// where the scope index would sort the whole subtree. `counted`, when
/// given, is how many rows `base` selects, known without counting them
/// (from the node counters).
pub struct Rows {
    pub table: &'static str,
    pub base: sea_query::SelectStatement,
    pub wide: Option<sea_query::SelectStatement>,
    pub counted: Option<i64>,
}

impl Rows {
    /// The rows `base` selects from `table`, read through its own indexes.
    pub fn of(table: &'static str, base: sea_query::SelectStatement) -> Self {
        Rows { table, base, wide: None, counted: None }
    }
}

/// A page of `rows` in `sort`, at `at`, with the capped count if asked.
/// `columns` adds what `map` reads. Two queries whatever the page.
///
/// The page is found on ids and keys alone, and only its rows are read
/// whole (a deferred join): a bloc's list by name sorted its 1,282 rows with
/// every column, long texts included, where the ids and names of its index
/// entries suffice (see BENCHMARKS.md).
pub async fn listing<T>(
    db: &crate::Db,
    rows: Rows,
    columns: impl FnOnce(&mut sea_query::SelectStatement),
    sort: SortKey,
    at: Position<'_>,
    map: impl Fn(&sqlx::any::AnyRow) -> crate::StoreResult<T>,
) -> crate::StoreResult<Listing<T>> {
    use crate::db::{build, col};
    use sea_query::{Alias, Expr, Order, Query, SimpleExpr};
    let Rows { table, base, wide, counted } = rows;
    let lim = at.limit.clamp(1, 200);
    let total = if let (true, Some(n)) = (at.count, counted) {
        n.min(COUNT_CAP + 1)
    } else if at.count {
        let mut capped = base.clone();
        capped.expr(Expr::val(1)).limit((COUNT_CAP + 1) as u64);
        let count = Query::select().expr(Expr::cust("COUNT(*)")).from_subquery(capped, Alias::new("t")).to_owned();
        let (sql, values) = build(db.backend, &count);
        sqlx::query_scalar_with(&sql, values).fetch_one(db.reader()).await?
    } else {
        0
    };

    let SortKey { expr: key, numeric, down } = sort;
    // A cursor fits this order when it decodes and its key is of the key's type.
    let fits = |s: &str| Cursor::decode(s).filter(|c| !numeric || c.key.parse::<i64>().is_ok());
    let (before, after) = (at.before.filter(|s| !s.is_empty()), at.after.filter(|s| !s.is_empty()));
    let backwards = before.and_then(fits);
    let forwards = if before.is_some() { None } else { after.and_then(fits) };
    let bad_position = before.is_some() && backwards.is_none() || before.is_none() && after.is_some() && forwards.is_none();
    // Going back reads the other way from the first row of the page, then turns round.
    let (cursor, down_now) = match (&backwards, &forwards) {
        (Some(b), _) => (Some(b), !down),
        (None, a) => (a.as_ref(), down),
    };
    let mut found = match wide {
        Some(w) if at.count && total > WIDE => w,
        _ => base,
    };
    // A counted subtree of at most WIDE rows is sorted, never found by
    // walking the order's index over the whole table: SQLite, which knows
    // only rows per index value (STAT1), walked the stage index from its
    // start until a bloc's page turned up (about 24,000 entries, 60 ms p99
    // under load). The key in a form no index holds leaves it the scope's.
    let key = match (at.count && total <= WIDE, numeric) {
        (false, _) => key,
        (true, true) => key.binary(sea_query::BinOper::Add, Expr::cust("0")),
        (true, false) => key.binary(sea_query::BinOper::Custom("||"), Expr::cust("''")),
    };
    found.expr_as(Expr::col(Alias::new("id")), Alias::new("page_id")).expr_as(key.clone(), Alias::new("list_key"));
    if let Some(cur) = cursor {
        let value: SimpleExpr = if numeric { Expr::val(cur.key.parse::<i64>().unwrap_or(0)).into() } else { Expr::val(cur.key.clone()).into() };
        // A row value, `(key, id) > (k, i)`: both planners seek it in an
        // index on (key, id), where `key > k OR (key = k AND id > i)` made
        // SQLite read the index from its start to the cursor.
        let here = Expr::tuple([key.clone(), Expr::col(Alias::new("id")).into()]);
        let there = Expr::tuple([value, Expr::val(cur.id).into()]);
        found.and_where(if down_now { here.lt(there) } else { here.gt(there) });
    }
    let dir = if down_now { Order::Desc } else { Order::Asc };
    found.order_by_expr(key, dir.clone()).order_by(Alias::new("id"), dir.clone()).limit((lim + 1) as u64);
    let page = Alias::new("page");
    let mut q = Query::select();
    columns(&mut q);
    q.column((page.clone(), Alias::new("list_key")))
        .from(Alias::new(table))
        .join_subquery(sea_query::JoinType::InnerJoin, found, page.clone(), Expr::col((Alias::new(table), Alias::new("id"))).equals((page.clone(), Alias::new("page_id"))))
        .order_by((page.clone(), Alias::new("list_key")), dir.clone())
        .order_by((page, Alias::new("page_id")), dir);
    let (sql, values) = build(db.backend, &q);
    let rows = sqlx::query_with(&sql, values).fetch_all(db.reader()).await?;
    let mut items = rows
        .iter()
        .map(|r| {
            let k = if numeric { col::<i64>(r, "list_key")?.to_string() } else { col::<String>(r, "list_key")? };
            Ok((Cursor { key: k, id: col::<i64>(r, "id")? }, map(r)?))
        })
        .collect::<crate::StoreResult<Vec<_>>>()?;
    let more = items.len() as i64 > lim;
    items.truncate(lim as usize);
    if backwards.is_some() {
        items.reverse();
    }
    let first = items.first().map(|(c, _)| c.encode());
    let last = items.last().map(|(c, _)| c.encode());
    let (next, prev) = match (backwards.is_some(), cursor.is_some()) {
        // Came back from the page after: it is there; one before only if more.
        (true, _) => (last, if more { first } else { None }),
        (false, came_from_before) => (if more { last } else { None }, if came_from_before { first } else { None }),
    };
    Ok(Listing { items: items.into_iter().map(|(_, t)| t).collect(), next, prev, total, bad_position })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_round_trip() {
        let c = Cursor { key: "đảng ủy khối".into(), id: 42 };
        assert_eq!(Cursor::decode(&c.encode()), Some(c));
        assert_eq!(Cursor::decode("zz.1"), None);
        assert_eq!(Cursor::decode("garbage"), None);
        assert_eq!(Cursor::decode("00.+5"), None);
        assert_eq!(Cursor::decode("00.1234567890123456789"), None);
        assert_eq!(Cursor::decode("ff.7").map(|c| c.id), Some(7));
        assert_eq!(Cursor::decode("00.1"), None, "a NUL key would be a 500 on PostgreSQL");
    }

    #[test]
    fn the_rank_indexes_are_the_rank_expressions() {
        use dienhinh_domain::{exemplar::Status, story::StoryStatus};
        let migration = include_str!("../migrations/0015_list_orders.sql");
        for rank in [rank_sql::<Status>("status"), rank_sql::<StoryStatus>("status")] {
            assert!(migration.contains(&format!("(({rank}), id, org_path)")), "migration 15 indexes {rank}");
        }
    }

    #[test]
    fn paginate_sets_next_only_when_more() {
        let p = paginate(vec![1, 2, 3], 2, |i| Cursor { key: String::new(), id: *i });
        assert_eq!(p.items, vec![1, 2]);
        assert_eq!(Cursor::decode(p.next.as_deref().unwrap()).unwrap().id, 2);
        let p = paginate(vec![1, 2], 2, |i| Cursor { key: String::new(), id: *i });
        assert!(p.next.is_none());
    }
}
