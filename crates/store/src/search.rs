//! Full-text search over every searchable record, one interface for both
//! backends.
//!
//! # The index
//! `search_docs` holds one row per record (`kind`, `record_id`), with the
//! record's node (`org_path`, rewritten by org moves through
//! `RecordKind::all_path_columns`), its title and body as stored (normalised), the
//! filters (`year`, `field`, `public`) and `folded` = `text::fold(title +
//! body)`. SQLite indexes `folded` with FTS5 twice, kept in sync by
//! triggers: `search_fts`, newest first across the country, for the whole
//! tree, and `search_fts_by_province`, newest first within each province,
//! for everyone below it ([`sqlite_window`]); PostgreSQL with a generated
//! `tsvector` and a GIN index, and below the whole tree a GIN expression
//! index of the words rooted at each row's branch ([`postgres_window`]). Only where a window's
//! rows come from differs between them.
//!
//! # Keeping it up to date
//! A searchable record implements `Stored::search_doc`; the write path
//! ([`crate::write::Write::created`] / `changed`) then keeps its row up to
//! date in the SAME transaction as the record write, so the index never
//! disagrees with what was committed. A new kind marks itself searchable in
//! `RecordKind::searchable` and gives `kinds::docs_after` its rows for
//! rebuilds; the compiler names both places. Links and labels of hits come
//! from `RecordKind` too, and `search_docs.org_path` moves with the tree.
//!
//! # Queries
//! The query is cut to [`MAX_QUERY_CHARS`] characters, converted to Unicode
//! when typed in TCVN3 or VNI, and folded into at most [`MAX_TOKENS`] words
//! (`text::query`), as the index's text was (so `kĩ thuật` finds `Kỹ
//! thuật`). Every word must match (AND,
//! in any order, anywhere in title or body): all but the last as a whole
//! word, the last as a word prefix (search-as-you-type: `nguyen van a`
//! finds `Nguyễn Văn An`; `quy` finds `Quyết`, see `text::query::prefix_forms`). The backend query string is built only from
//! these folded words (letters and digits), each quoted, so operators
//! (`"`, `*`, `-`, `NEAR`, `OR`, SQL) are plain text and never an error.
//! An empty or all-punctuation query returns an empty page.
//!
//! Ranking: rank 0 when the title contains the query as typed (normalised,
//! case ignored: the exact diacritics), rank 1 when the folded title
//! contains the folded query, rank 2 when title or body contains it as a
//! phrase ignoring diacritics, rank 3 when the words are scattered; within a
//! rank by id. Ranking is done per window of [`WINDOW`] matches, newest
//! first: when a query matches more than that inside the caller's scope (a
//! common family name for a province or the whole country), the first pages
//! are "the most relevant of the newest [`WINDOW`] matches", then the next
//! older window is ranked, and so on, so every match is still reached by
//! paging and a page never costs more than a window. Pages are keyset-paged
//! on (window, rank, id).

use crate::bulk::{Inserter, Val};
use crate::db::{col, Backend, Tx};
use crate::page::{limit, Cursor, Page};
use crate::{now_ms, Db, StoreResult};
use dienhinh_domain::{OrgPath, RecordKind};
use dienhinh_text as text;
use serde::Serialize;
use sqlx::any::AnyRow;

/// Longest query considered (characters); the rest is ignored.
pub const MAX_QUERY_CHARS: usize = text::query::MAX_QUERY_CHARS;
/// Most words of a query considered; the rest are ignored.
pub const MAX_TOKENS: usize = text::query::MAX_TOKENS;

/// A record as the index sees it.
#[derive(Debug, Clone)]
pub struct SearchDoc {
    /// The record's kind (`RecordKind::searchable`).
    pub kind: RecordKind,
    pub record_id: i64,
    /// The record whose page shows this one, when not its own (criteria set → plan).
    pub link_id: Option<i64>,
    pub org_path: String,
    pub title: String,
    /// Shown as the hit's snippet.
    pub body: String,
    /// Words that find the record but are never shown (a person's login
    /// name: people are shown by their full names only).
    pub hidden_words: String,
    pub year: Option<i64>,
    pub field: Option<String>,
    /// Visible on the public portal.
    pub public: bool,
}

impl SearchDoc {
    /// A row with a title only; the other fields are set by struct update.
    pub fn new(kind: RecordKind, record_id: i64, org_path: &str, title: &str) -> Self {
        SearchDoc { kind, record_id, link_id: None, org_path: org_path.to_string(), title: title.to_string(), body: String::new(), hidden_words: String::new(), year: None, field: None, public: false }
    }
}

/// The stored columns of a record's index row, derived in one place for
/// [`index`] and [`insert_new`].
fn row_values(doc: &SearchDoc, now: i64) -> [Val; 13] {
    let title = text::normalize_line(&doc.title);
    let body = text::normalize(&doc.body);
    let folded = match doc.hidden_words.trim() {
        "" => text::fold(&format!("{title}\n{body}")),
        hidden => text::fold(&format!("{title}\n{body}\n{}", text::normalize(hidden))),
    };
    let title_lower = title.to_lowercase();
    let title_folded = text::fold(&title);
    [
        Val::Text(doc.kind.code().to_string()),
        Val::Int(doc.record_id),
        Val::OptInt(doc.link_id),
        Val::Text(doc.org_path.clone()),
        Val::Text(title),
        Val::Text(body),
        Val::OptInt(doc.year),
        Val::OptText(doc.field.clone()),
        Val::Int(doc.public as i64),
        Val::Text(folded),
        Val::Text(title_lower),
        Val::Text(title_folded),
        Val::Int(now),
    ]
}

const ROW_COLUMNS: [&str; 13] =
    ["kind", "record_id", "link_id", "org_path", "title", "body", "year", "field", "public", "folded", "title_lower", "title_folded", "updated_at"];

/// Inserts or replaces the index row of a record. Call it inside the
/// transaction that writes the record.
pub async fn index(tx: &mut Tx, doc: &SearchDoc) -> StoreResult<()> {
    let sql = format!(
        "INSERT INTO search_docs ({}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) \
         ON CONFLICT (kind, record_id) DO UPDATE SET link_id = excluded.link_id, org_path = excluded.org_path, title = excluded.title, \
         body = excluded.body, year = excluded.year, field = excluded.field, public = excluded.public, folded = excluded.folded, \
         title_lower = excluded.title_lower, title_folded = excluded.title_folded, updated_at = excluded.updated_at",
        ROW_COLUMNS.join(", ")
    );
    let mut q = sqlx::query(&sql);
    for v in row_values(doc, now_ms()) {
        q = v.bind_to(q);
    }
    q.execute(&mut **tx).await?;
    Ok(())
}

/// Adds the rows of records not yet in the index, many per statement
/// (rebuilds and backfills, which start from an empty index).
pub(crate) async fn insert_new(tx: &mut Tx, backend: Backend, docs: impl IntoIterator<Item = SearchDoc>) -> StoreResult<u64> {
    let mut ins = Inserter::new(backend, "search_docs", &ROW_COLUMNS);
    let now = now_ms();
    for doc in docs {
        ins.push(row_values(&doc, now));
        if ins.is_full() {
            ins.flush(tx).await?;
        }
    }
    ins.flush(tx).await?;
    Ok(ins.written)
}

/// Removes a record from the index (inside the transaction that deletes it).
pub async fn remove(tx: &mut Tx, kind: RecordKind, record_id: i64) -> StoreResult<()> {
    sqlx::query("DELETE FROM search_docs WHERE kind = $1 AND record_id = $2").bind(kind.code()).bind(record_id).execute(&mut **tx).await?;
    Ok(())
}

#[derive(Debug, Clone, Default)]
pub struct SearchQuery {
    /// What the person typed.
    pub text: String,
    /// Subtrees the caller may see (required: an empty list finds nothing).
    pub within: Vec<OrgPath>,
    pub kind: Option<String>,
    pub field: Option<String>,
    pub year: Option<i64>,
    /// Only records shown on the public portal.
    pub public_only: bool,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
    /// How PostgreSQL matches (see `match_source`): `None` decides by the
    /// subtrees' size; `Some(true)` row by row, `Some(false)` through the
    /// GIN index. The tests run every query both ways.
    #[doc(hidden)]
    pub row_by_row: Option<bool>,
    /// Matches ranked together (default [`WINDOW`]); the tests make it small
    /// to page across windows.
    #[doc(hidden)]
    pub window: Option<i64>,
    /// Rows PostgreSQL tests before asking the GIN index (by default
    /// [`PROBE_ROWS`] for the whole tree, fewer below it, none for most
    /// searches in a bloc); the tests make it small to take both arms.
    #[doc(hidden)]
    pub probe: Option<i64>,
}

/// A piece of highlighted text: `mark` pieces matched a query word.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Segment {
    pub text: String,
    pub mark: bool,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SearchHit {
    #[schema(value_type = String)]
    pub kind: RecordKind,
    pub record_id: i64,
    /// The record whose page shows this hit (the hit itself when absent).
    pub link_id: Option<i64>,
    pub org_path: String,
    pub title: String,
    pub year: Option<i64>,
    pub field: Option<String>,
    /// 0: the title holds the query with its exact diacritics; 1: the title
    /// holds it ignoring diacritics; 2: the body holds it as a phrase; 3: the
    /// words are scattered.
    pub rank: i64,
    /// The title, with matched words marked.
    pub title_marks: Vec<Segment>,
    /// An excerpt of the body around the first match, with matched words marked.
    pub snippet: Vec<Segment>,
}

/// The words of a query as searched (see `dienhinh_text::query`).
pub fn query_tokens(q: &str) -> Vec<String> {
    text::query::query_tokens(q)
}

/// The backend's full-text query for the tokens inside the subtrees (built
/// in the text crate, where it is fuzzed). The subtree words only narrow
/// what the index returns, cheaply; the `org_path` range in the query stays
/// the rule of who sees what.
///
/// A caller who sees every tree of the database (a role at every province)
/// gets no subtree words (`everything`): they would narrow nothing, and
/// merging them costs the most (one list per province, or on PostgreSQL
/// the longest lists of the GIN index); on SQLite, neither does a whole
/// province read from its own stretch of the index ([`sqlite_window`]).
fn match_string(backend: Backend, tokens: &[String], within: &[OrgPath], everything: bool) -> String {
    let roots: Vec<i64> = if everything { vec![] } else { within.iter().filter_map(|p| p.ids().last().copied()).collect() };
    match backend {
        Backend::Sqlite => text::query::fts5_match(tokens, &roots),
        Backend::Postgres => text::query::tsquery(tokens, &roots),
    }
}

/// On PostgreSQL, a record's words in its branch's form
/// ([`text::query::rooted_word`]), as the expression index
/// `search_docs_branch_words` (migration 36) is built on; a query must
/// spell it the same for the planner to use that index (a unit test holds
/// the two together). A row's branch is the second node of its path ([`ROW_BRANCH`]).
/// Only an index: nothing is stored per row, and the probe and the
/// row-by-row tests keep reading the small `tsv`.
pub const ROOTED_VECTOR: &str = r"to_tsvector('simple', regexp_replace(d.folded, '(\S+)', 'r' || COALESCE(NULLIF(split_part(d.org_path, '/', 3), ''), split_part(d.org_path, '/', 2)) || 'w\1', 'g'))";

/// A row's branch: the second id of its path (a bloc, a district's
/// committee: about twelve per province), or its province's for the rows
/// of the province's own node.
pub const ROW_BRANCH: &str = "COALESCE(NULLIF(split_part(d.org_path, '/', 3), ''), split_part(d.org_path, '/', 2))";

/// The branches ([`ROW_BRANCH`]) that hold the subtrees' rows: a subtree
/// below a province's own node lies in one branch; a whole province spans
/// its own node and each of its `children` (`(parent, child)` pairs).
fn branches(within: &[OrgPath], children: &[(i64, i64)]) -> Vec<i64> {
    let mut out = vec![];
    for p in within {
        match p.ids()[..] {
            [] => {}
            [root] => {
                out.push(root);
                out.extend(children.iter().filter(|(parent, _)| *parent == root).map(|(_, child)| *child));
            }
            [_, branch, ..] => out.push(branch),
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// [`branches`], with the children of the whole provinces among the
/// subtrees read from `orgs` (none read when there are none).
async fn branches_within(db: &Db, within: &[OrgPath]) -> StoreResult<Vec<i64>> {
    let roots: Vec<i64> = within.iter().filter(|p| p.ids().len() == 1).map(|p| p.ids()[0]).collect();
    let mut children = vec![];
    if !roots.is_empty() {
        let sql = format!("SELECT parent_id, id FROM orgs WHERE parent_id IN ({})", crate::db::placeholders(roots.len()));
        let mut q = sqlx::query(&sql);
        for r in &roots {
            q = q.bind(*r);
        }
        for r in q.fetch_all(db.reader()).await? {
            children.push((col(&r, "parent_id")?, col(&r, "id")?));
        }
    }
    Ok(branches(within, &children))
}

/// The PostgreSQL GIN condition below the whole tree: the words in the
/// forms of the callers' branches ([`branches`]), so the index gathers one
/// bloc's matches of `nguyen` or `van:*` (135 entries at national scale),
/// or one province's (1,361), before the `org_path` ranges keep the
/// caller's, instead of the country's. `None` without branches (a caller
/// who sees every tree, or a search row by row).
fn rooted_match(tokens: &[String], branches: &[i64]) -> Option<String> {
    Some(text::query::rooted_tsquery(tokens, branches)).filter(|q| !q.is_empty())
}

/// The depth of a province's node in its path, and of a branch's ([`ROW_BRANCH`]).
const PROVINCE: usize = 1;
const BRANCH: usize = 2;

/// On PostgreSQL above the small subtrees, the nodes' ids when every
/// subtree of the caller is a whole node at `depth` ([`PROVINCE`]: a
/// province's officers; [`BRANCH`]: a bloc's): their scope is then those
/// ids ([`ids_in`] of [`ROW_ROOT`] or [`ROW_BRANCH`]), the same rows as
/// their `org_path` ranges, which PostgreSQL can read newest first
/// (`search_docs_root_id`, migration 28; `search_docs_branch_id`, 36)
/// instead of by `org_path` range and sorted by id (21,000 rows of a
/// province at national scale, for every search).
fn whole_nodes_within(small_scope: bool, within: &[OrgPath], depth: usize) -> Option<Vec<i64>> {
    if small_scope || within.is_empty() {
        return None;
    }
    let node = |p: &OrgPath| {
        let ids = p.ids();
        (ids.len() == depth && p.lineage().last() == Some(p)).then(|| ids[depth - 1])
    };
    within.iter().map(node).collect()
}

/// On PostgreSQL, the root of a row's tree as the index
/// `search_docs_root_id` (migration 28) holds it beside the row id, so that
/// a province's rows are read newest first (a test holds the two together).
pub const ROW_ROOT: &str = "split_part(d.org_path, '/', 2)";

/// `key IN (…)` of the ids, written as literals so that the planner sees
/// how few rows one province or one bloc holds.
fn ids_in(key: &str, ids: &[i64]) -> String {
    let list = ids.iter().map(|r| format!("'{r}'")).collect::<Vec<_>>().join(", ");
    format!("{key} IN ({list})")
}

/// Where PostgreSQL's rows matching the full-text query `$n` come from:
/// the match `condition` and the expression `key` of their index row id.
struct MatchSource {
    condition: String,
    key: &'static str,
}

/// On PostgreSQL, a caller whose subtrees hold few records (`small_scope`)
/// gets the same test as a function call, which the planner cannot answer
/// from the GIN index: it reads the subtree's rows by `org_path` and tests
/// each one (the key `d.id + 0` keeps the planner from walking the whole
/// table backwards by primary key instead). Through the index, a prefix such
/// as `van:*` first gathers every record of the country under every word
/// starting with `van` (80 ms at national scale) to keep the 46 inside one
/// bloc. The results are the same either way (the same tsquery against the
/// same tsvector).
fn match_source(n: usize, small_scope: bool) -> MatchSource {
    if small_scope {
        MatchSource { condition: format!("ts_match_vq(d.tsv, to_tsquery('simple', ${n}))"), key: "(d.id + 0)" }
    } else {
        MatchSource { condition: format!("d.tsv @@ to_tsquery('simple', ${n})"), key: "d.id" }
    }
}

/// On PostgreSQL, a subtree holding fewer index rows than this is searched
/// row by row (see [`match_source`]). Measured with `EXPLAIN ANALYZE` at
/// national scale: a row tested one by one costs about 3 µs (a bloc's
/// 1,804 rows, 5 ms for `nguyen`), a match gathered from its branch's
/// words ([`rooted_match`]) about 3.5 µs (the same bloc's 135 matches of
/// `nguyen`, 0.5 ms). Below 1,000 rows testing every row (3 ms at most)
/// costs no more than gathering a branch's matches of a short prefix: a
/// TCCS (200 rows) goes row by row, a bloc through its branch's words.
const ROW_BY_ROW_ROWS: u64 = 1000;

/// True when the subtrees hold fewer than [`ROW_BY_ROW_ROWS`] index rows
/// (counting stops at that bound, so it stays cheap for a province).
async fn is_small_scope(db: &Db, within: &[OrgPath]) -> StoreResult<bool> {
    use sea_query::{Alias, Expr, Query};
    let mut q = Query::select();
    q.expr(Expr::val(1)).from(Alias::new("search_docs")).cond_where(crate::db::within_subtrees("org_path", within)).limit(ROW_BY_ROW_ROWS);
    let (inner, values) = crate::db::build(db.backend, &q);
    let n: i64 = col(&sqlx::query_with(&format!("SELECT COUNT(*) AS n FROM ({inner}) x"), values).fetch_one(db.reader()).await?, "n")?;
    Ok((n as u64) < ROW_BY_ROW_ROWS)
}

fn position_fn(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "instr",
        Backend::Postgres => "strpos",
    }
}

/// Matches ranked together: a page's hits come from the [`WINDOW`] newest
/// matches (by index row id) inside the caller's scope and filters, the most
/// relevant first; past them, the next older [`WINDOW`], and so on. A search
/// with fewer matches (most searches inside a bloc or a TCCS) is one window:
/// every match ranked. Bounded windows keep the cost of a page at a few
/// hundred rows read, whether the caller sees one TCCS or the whole country
/// and whether the query matches 40 records or 400,000 (a common family name,
/// a one-letter prefix).
pub const WINDOW: i64 = 200;

/// The window a page reads: index row ids in `[floor, ceil)`; `floor` is
/// `None` until the window's first query has found it, and 0 for the last
/// (oldest) window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Window {
    ceil: Option<i64>,
    floor: Option<i64>,
}

/// Where a page starts: its window, and the last hit (rank, id) seen in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Position {
    window: Window,
    after: Option<(i64, i64)>,
}

impl Position {
    const START: Position = Position { window: Window { ceil: None, floor: None }, after: None };

    /// The cursor key is `rank:floor:ceil` (its id is the last hit's id).
    fn decode(cursor: Option<&str>) -> Position {
        let parse = || -> Option<Position> {
            let c = Cursor::decode(cursor?)?;
            let mut parts = c.key.split(':').map(|p| p.parse::<i64>().ok());
            let (rank, floor, ceil) = (parts.next()??, parts.next()??, parts.next()??);
            Some(Position { window: Window { ceil: Some(ceil), floor: Some(floor) }, after: Some((rank, c.id)) })
        };
        parse().unwrap_or(Position::START)
    }

    fn cursor(window: Window, rank: i64, id: i64) -> String {
        let (floor, ceil) = (window.floor.unwrap_or(0), window.ceil.unwrap_or(i64::MAX));
        Cursor { key: format!("{rank}:{floor}:{ceil}"), id }.encode()
    }
}

/// Searches the index. See the module comment for the rules.
pub async fn query(db: &Db, q: &SearchQuery) -> StoreResult<Page<SearchHit>> {
    let empty = Page { items: vec![], next: None };
    let tokens = query_tokens(&q.text);
    // A NUL cannot be bound on PostgreSQL, and no kind or field holds one.
    let has_nul = [&q.kind, &q.field].into_iter().flatten().any(|s| s.contains('\0'));
    if tokens.is_empty() || q.within.is_empty() || has_nul {
        return Ok(empty);
    }
    let lim = limit(q.limit.or(Some(20)));
    let everything = crate::orgs::covers_everything(db, &q.within).await?;
    // The whole tree is never small: not counted (for 63 roots, counting up
    // to the bound cost 55 ms).
    let small_scope = match (db.backend, q.row_by_row) {
        (Backend::Sqlite, _) => false,
        (Backend::Postgres, Some(forced)) => forced,
        (Backend::Postgres, None) => !everything && is_small_scope(db, &q.within).await?,
    };
    // Branches only where PostgreSQL asks its GIN index below the whole tree.
    let branches = match db.backend {
        Backend::Postgres if !small_scope && !everything && !q.within.iter().any(OrgPath::is_whole_tree) => branches_within(db, &q.within).await?,
        _ => vec![],
    };
    let reach = Reach { small_scope, everything, branches };
    let window_size = q.window.unwrap_or(WINDOW).max(1);
    let mut at = Position::decode(q.cursor.as_deref());
    // Each hit with the window it came from (its cursor names that window).
    let mut hits: Vec<(Window, i64, SearchHit)> = vec![];
    // Each turn reads one window from `at`; a page that the window cannot
    // fill goes on in the next older one.
    loop {
        let want = lim + 1 - hits.len() as i64;
        let (rows, found) = window_page(db, q, &tokens, &reach, window_size, at, want).await?;
        let mut window = at.window;
        if let Some(f) = found {
            window.ceil = window.ceil.or(Some(f.newest + 1));
            window.floor = Some(if f.count >= window_size { f.oldest } else { 0 });
        }
        hits.extend(rows.into_iter().map(|(id, h)| (window, id, h)));
        if hits.len() as i64 > lim {
            hits.truncate(lim as usize);
            let (window, id, last) = hits.last().expect("more than lim");
            let next = Position::cursor(*window, last.rank, *id);
            return Ok(Page { items: hits.into_iter().map(|(_, _, h)| h).collect(), next: Some(next) });
        }
        match window.floor {
            // The oldest window is done, or the window was empty.
            Some(0) | None => return Ok(Page { items: hits.into_iter().map(|(_, _, h)| h).collect(), next: None }),
            Some(floor) => at = Position { window: Window { ceil: Some(floor), floor: None }, after: None },
        }
    }
}

/// What the first query of a window learnt about it.
struct Found {
    count: i64,
    oldest: i64,
    newest: i64,
}

/// How a search reads the caller's scope, decided once per search.
struct Reach {
    /// PostgreSQL: the subtrees are tested row by row ([`is_small_scope`]).
    small_scope: bool,
    /// The subtrees hold every root of the tree ([`crate::orgs::covers_everything`]).
    everything: bool,
    /// PostgreSQL below the whole tree, not row by row: the branches
    /// holding the subtrees ([`branches`]), whose words the GIN index is asked for.
    branches: Vec<i64>,
}

/// Numbers each bound value (`$n`) of a statement in the order bound.
type Bind<'b> = &'b mut dyn FnMut(BindValue) -> usize;

/// Up to `want` hits of one window after `at.after`, in (rank, id) order;
/// with the window's size and bounds when its floor was not known yet.
async fn window_page(db: &Db, q: &SearchQuery, tokens: &[String], reach: &Reach, window_size: i64, at: Position, want: i64) -> StoreResult<(Vec<(i64, SearchHit)>, Option<Found>)> {
    let exact = text::normalize_line(&text::query::typed(&q.text)).to_lowercase();
    let folded = tokens.join(" ");
    // Written once for both backends; only where the window's rows come
    // from and the name of the substring function differ. Values are all
    // bound.
    let mut binds: Vec<BindValue> = vec![];
    let mut push = |v: BindValue| {
        binds.push(v);
        binds.len()
    };
    let bind: Bind = &mut push;
    let e = bind(BindValue::Text(exact));
    let f = bind(BindValue::Text(folded));
    let pos = position_fn(db.backend);
    // A caller whose roots cover the whole tree (a country-wide role holds
    // all 63 provinces) gets the one whole tree, not 63 subtrees: on
    // PostgreSQL those made every window gather and sort the whole index.
    let whole = [OrgPath::whole_tree()];
    let within: &[OrgPath] = if reach.everything { &whole } else { &q.within };
    let filters = filter_conditions(q, bind);
    let w = bind(BindValue::Int(window_size));
    let window_cte = match db.backend {
        Backend::Sqlite => sqlite_window(tokens, within, (&filters, at.window), w, bind),
        Backend::Postgres => postgres_window(q, tokens, within, reach, (&filters, at.window), w, bind),
    };
    let mut outer = String::new();
    if let Some((rank, id)) = at.after {
        let r = bind(BindValue::Int(rank));
        let i = bind(BindValue::Int(id));
        outer = format!("WHERE s.rnk > ${r} OR (s.rnk = ${r} AND s.id > ${i})");
    }
    let l = bind(BindValue::Int(want));
    let sql = format!(
        "WITH {window_cte} \
         SELECT s.*, (SELECT COUNT(*) FROM w) AS w_count, (SELECT MIN(id) FROM w) AS w_oldest, (SELECT MAX(id) FROM w) AS w_newest \
         FROM (SELECT d.id, d.kind, d.record_id, d.link_id, d.org_path, d.title, d.body, d.year, d.field, \
         CASE WHEN {pos}(d.title_lower, ${e}) > 0 THEN 0 WHEN {pos}(d.title_folded, ${f}) > 0 THEN 1 \
         WHEN {pos}(d.folded, ${f}) > 0 THEN 2 ELSE 3 END AS rnk \
         FROM search_docs d WHERE d.id IN (SELECT id FROM w)) s {outer} ORDER BY s.rnk, s.id LIMIT ${l}",
    );
    let mut query = sqlx::query(&sql);
    for b in binds {
        query = match b {
            BindValue::Text(s) => query.bind(s),
            BindValue::Int(i) => query.bind(i),
        };
    }
    let rows = query.fetch_all(db.reader()).await?;
    let found = match (at.window.floor, rows.first()) {
        (None, Some(r)) => Some(Found { count: col(r, "w_count")?, oldest: col(r, "w_oldest")?, newest: col(r, "w_newest")? }),
        _ => None,
    };
    let mut marker = WordMarker::new(tokens);
    let hits = rows.iter().map(|r| hit_from_row(r, &mut marker)).collect::<StoreResult<Vec<_>>>()?;
    Ok((hits, found))
}

/// The filters a caller chose (kind, field, year, public only), as
/// conditions on the index row `d`.
fn filter_conditions(q: &SearchQuery, bind: Bind) -> Vec<String> {
    let mut conds = vec![];
    if let Some(k) = q.kind.as_deref().filter(|k| !k.is_empty()) {
        conds.push(format!("d.kind = ${}", bind(BindValue::Text(k.to_string()))));
    }
    if let Some(fl) = q.field.as_deref().filter(|k| !k.is_empty()) {
        conds.push(format!("d.field = ${}", bind(BindValue::Text(fl.to_string()))));
    }
    if let Some(y) = q.year {
        conds.push(format!("d.year = ${}", bind(BindValue::Int(y))));
    }
    if q.public_only {
        conds.push("d.public = 1".into());
    }
    conds
}

/// The subtree filter, the rule of who sees what: the same range rule as
/// `db::within_subtrees`, the ranges bound.
fn bound_ranges(paths: &[OrgPath], bind: Bind) -> String {
    let ranges: Vec<String> = paths
        .iter()
        .map(|p| {
            let lo = bind(BindValue::Text(p.as_str().to_string()));
            let hi = bind(BindValue::Text(p.subtree_upper_bound()));
            format!("(d.org_path >= ${lo} AND d.org_path < ${hi})")
        })
        .collect();
    format!("({})", ranges.join(" OR "))
}

/// On SQLite, the row id of an index row in `search_fts_by_province` is
/// `root * FTS_STRETCH - id` (migration 34; `root` is the first id of its
/// `org_path`): each province's rows are one stretch of every word's list,
/// newest first within it. Index row ids stay below 2^36 and root ids
/// below 2^27. In `search_fts` it is `-id` (migration 29): a base of 0.
pub const FTS_STRETCH: i64 = 1 << 36;

/// The FTS5 row ids of the rows whose ids are in the window `[floor,
/// ceil)`, in an index whose row ids are `base - id`: `(first, last)`,
/// empty (`first > last`) when the window holds none.
fn fts_stretch(base: i64, window: Window) -> (i64, i64) {
    let newest = window.ceil.map_or(FTS_STRETCH - 1, |c| c - 1).min(FTS_STRETCH - 1);
    let oldest = window.floor.unwrap_or(0).max(1);
    (base - newest, base - oldest)
}

/// The window on SQLite, read from FTS5 newest first (no sort, and a
/// common word costs what the window holds, not what the country holds).
/// The whole tree reads `search_fts`, newest first across the country.
/// Below it, each province of the caller's subtrees reads its own stretch
/// of `search_fts_by_province` ([`FTS_STRETCH`]), narrowed by the
/// subtrees' words (`scope`) unless they are the whole province, and the
/// newest `$w` of them all are kept: a province's rare name (`khong thi
/// thuo*`, about 70 matches) had intersected the country's lists of its
/// words with the province's word to the end, 10 ms, now 0.7.
///
/// FTS5 reads its lists forwards several times faster than backwards
/// (migration 29: `perf` showed 31 % of a TCCS's search for `n` in
/// `fts5DlidxIterPrevR`), hence newest first as ascending row ids.
fn sqlite_window(tokens: &[String], within: &[OrgPath], (filters, window): (&[String], Window), w: usize, bind: Bind) -> String {
    let mut arm = |table: &str, base: i64, matched: String, paths: &[OrgPath]| {
        let m = bind(BindValue::Text(matched));
        let (first, last) = fts_stretch(base, window);
        let (b, lo, hi) = (bind(BindValue::Int(base)), bind(BindValue::Int(first)), bind(BindValue::Int(last)));
        let mut conds = vec![format!("{table} MATCH ${m}"), format!("f.rowid >= ${lo}"), format!("f.rowid <= ${hi}"), bound_ranges(paths, bind)];
        conds.extend(filters.iter().cloned());
        format!("SELECT d.id FROM {table} f JOIN search_docs d ON d.id = ${b} - f.rowid WHERE {} ORDER BY f.rowid LIMIT ${w}", conds.join(" AND "))
    };
    if within.iter().any(OrgPath::is_whole_tree) {
        let matched = match_string(Backend::Sqlite, tokens, within, true);
        return format!("w AS ({})", arm("search_fts", 0, matched, &[OrgPath::whole_tree()]));
    }
    let mut provinces: std::collections::BTreeMap<i64, Vec<OrgPath>> = Default::default();
    for p in within {
        provinces.entry(p.ids().first().copied().unwrap_or(0)).or_default().push(p.clone());
    }
    let arms: Vec<String> = provinces
        .iter()
        .map(|(root, paths)| {
            let whole = paths.contains(&OrgPath::root(*root));
            let matched = match_string(Backend::Sqlite, tokens, paths, whole);
            format!("SELECT id FROM ({})", arm("search_fts_by_province", root * FTS_STRETCH, matched, paths))
        })
        .collect();
    format!("w AS (SELECT id FROM ({}) ORDER BY id DESC LIMIT ${w})", union_all(arms))
}

/// `SELECT`s of one column `id` as one; SQLite takes at most 500 terms in
/// one compound `SELECT`, so more are nested by the hundred.
fn union_all(mut selects: Vec<String>) -> String {
    if selects.is_empty() {
        return "SELECT 0 AS id WHERE 0 = 1".into();
    }
    while selects.len() > 100 {
        selects = selects.chunks(100).map(|c| format!("SELECT id FROM ({})", c.join(" UNION ALL "))).collect();
    }
    selects.join(" UNION ALL ")
}

/// The window on PostgreSQL: row by row for small subtrees, else probed
/// newest first and then asked of the GIN index ([`probed_window`]).
fn postgres_window(q: &SearchQuery, tokens: &[String], within: &[OrgPath], reach: &Reach, (filters, window): (&[String], Window), w: usize, bind: Bind) -> String {
    let m = bind(BindValue::Text(match_string(Backend::Postgres, tokens, &q.within, reach.everything)));
    let source = match_source(m, reach.small_scope);
    let roots = whole_nodes_within(reach.small_scope, within, PROVINCE);
    let blocs = if roots.is_some() { None } else { whole_nodes_within(reach.small_scope, within, BRANCH) };
    let scope = match (&roots, &blocs) {
        (Some(roots), _) => ids_in(ROW_ROOT, roots),
        (None, Some(blocs)) => ids_in(ROW_BRANCH, blocs),
        // The whole tree (the portal, a country-wide role) in literals:
        // bound, the range looked narrow to PostgreSQL's generic plan,
        // which intersected every row's id from `search_docs_org_path`
        // with the text index's matches (half the time of public search).
        _ if within.iter().all(OrgPath::is_whole_tree) => format!("(d.org_path >= '/' AND d.org_path < '{}')", OrgPath::whole_tree().subtree_upper_bound().replace('\'', "")),
        _ => bound_ranges(within, bind),
    };
    let mut conds = vec![source.condition.clone(), scope];
    conds.extend(filters.iter().cloned());
    if let Some(ceil) = window.ceil {
        conds.push(format!("{} < ${}", source.key, bind(BindValue::Int(ceil))));
    }
    if let Some(floor) = window.floor {
        conds.push(format!("{} >= ${}", source.key, bind(BindValue::Int(floor))));
    }
    let order = format!("{} DESC", source.key);
    if reach.small_scope {
        return format!("w AS (SELECT d.id FROM search_docs d WHERE {} ORDER BY {order} LIMIT ${w})", conds.join(" AND "));
    }
    // Whole trees (the country, the portal, a province's officers) and
    // whole branches (a bloc's) are read newest first from an index; their
    // rows are tested as read.
    let newest_first = reach.everything || roots.is_some() || blocs.is_some() || within.iter().all(OrgPath::is_whole_tree);
    let (gin, probe_rows) = match rooted_match(tokens, &reach.branches) {
        Some(rooted) => {
            let gin = format!("{ROOTED_VECTOR} @@ to_tsquery('simple', ${})", bind(BindValue::Text(rooted)));
            let probe_rows = match roots {
                Some(_) => Some(PROBE_ROWS_BELOW_COUNTRY),
                None if most_rows_match(tokens) => Some(PROBE_ROWS_IN_BRANCH),
                None => None,
            };
            (Gin { condition: gin, fenced: true }, probe_rows)
        }
        None => (Gin { condition: conds[0].clone(), fenced: false }, Some(PROBE_ROWS)),
    };
    let probe = Probe { rows: q.probe.or(probe_rows).map(|r| r.max(1)), newest_first };
    probed_window(m, w, (&gin, &conds[1..]), &order, probe)
}

/// Rows a PostgreSQL window first tests one by one, newest first.
pub const PROBE_ROWS: i64 = 4000;

/// The same for whole provinces, where the GIN index answers from their
/// branches' words ([`rooted_match`]): only a word most records of the
/// scope hold (a one- or two-letter prefix) is cheaper probed; for the
/// rest, testing 4,000 rows cost 9 of a province's 16 ms (`nguyen van`)
/// before the index answered in 2.
pub const PROBE_ROWS_BELOW_COUNTRY: i64 = 1000;

/// The same for subtrees inside branches (a bloc), only where most rows
/// match ([`most_rows_match`]): a branch's words gather at most a
/// branch's rows (about 2 µs a match), so the probe only pays where it
/// stops early (a whole bloc's rows are read newest first, about 3 µs a
/// row, [`whole_nodes_within`]; a part of a bloc's have their ids
/// sorted and are read again). At national scale, of a bloc's 1,804 rows,
/// `n` is held by 84 %, `ng` by 65 % (but by 48 % of its newest 400), `ngu`
/// by 43 %, `nguyen` by 7 %: its probe found the window of `n` in 1.5 ms
/// (the index alone 6.9) and of `ng` in 1.3 (4.7); `nguyen` is not
/// probed (the index alone 0.8 ms, with a probe 2.6).
pub const PROBE_ROWS_IN_BRANCH: i64 = 800;

/// A query that most rows of a bloc match: one word of one or two letters
/// (a prefix as typed). Longer words and several words are held by fewer
/// than half of a bloc's rows (see [`PROBE_ROWS_IN_BRANCH`]).
fn most_rows_match(tokens: &[String]) -> bool {
    matches!(tokens, [only] if only.chars().count() <= 2)
}

/// The window on PostgreSQL through the GIN index, tried first row by row:
/// the index cannot give matches newest first, so a common word (`nguyen`,
/// held by 40 % of records) gathered and sorted every match of a province
/// or the country (p99 0.4–0.9 s). The newest [`PROBE_ROWS`] rows of the
/// scope (and filters and window bounds: `rest`) are tested in id order
/// against `tsv` (query `$m`); when `$w` of them match, they are the window
/// exactly (any newer match would have been met first). Otherwise, a rare
/// word, the GIN index answers (`gin` and `rest`, `newest_first`: below the
/// whole tree `gin` asks for the words of the scope's branches,
/// [`rooted_match`], for the same rows), and the probe cost its tests.
/// Subtrees of fewer than [`ROW_BY_ROW_ROWS`] rows are tested row by row
/// without it ([`is_small_scope`]). PostgreSQL runs only the arm whose
/// one-time condition holds.
fn probed_window(m: usize, w: usize, (gin, rest): (&Gin, &[String]), newest_first: &str, probe: Probe) -> String {
    let rest = if rest.is_empty() { "TRUE".into() } else { rest.join(" AND ") };
    let condition = &gin.condition;
    // `current_schema()` is marked parallel unsafe, so the statement is
    // never planned with workers: PostgreSQL guesses the matches of a
    // branch's words from no statistics (a province's `nguyen`: 130,000
    // guessed, 1,361 found) and planned a parallel scan, 94 ms instead of 6.
    let gathered = if gin.fenced {
        format!("(SELECT d.id, d.org_path, d.kind, d.field, d.year, d.public FROM search_docs d WHERE {condition} AND current_schema() IS NOT NULL OFFSET 0) d WHERE {rest}")
    } else {
        format!("search_docs d WHERE {condition} AND {rest} AND current_schema() IS NOT NULL")
    };
    let gather = format!("SELECT id FROM (SELECT d.id FROM {gathered} ORDER BY {newest_first} LIMIT ${w}) g");
    let Some(rows) = probe.rows else { return format!("w AS ({gather})") };
    // Read in order, a row is tested as read; otherwise only the newest
    // ids are sorted, and their rows read again to test.
    let (read, tested) = if probe.newest_first { ("d.id, d.tsv", "c") } else { ("d.id", "t") };
    let again = if probe.newest_first { "" } else { " JOIN search_docs t ON t.id = c.id" };
    let probe = format!(
        "SELECT c.id FROM (SELECT {read} FROM search_docs d WHERE {rest} ORDER BY d.id DESC LIMIT {rows}) c{again} \
         WHERE ts_match_vq({tested}.tsv, to_tsquery('simple', ${m})) ORDER BY c.id DESC LIMIT ${w}"
    );
    format!(
        "probe AS ({probe}), \
         w AS (SELECT id FROM probe WHERE (SELECT COUNT(*) FROM probe) >= ${w} \
         UNION ALL {gather} WHERE (SELECT COUNT(*) FROM probe) < ${w})",
    )
}

/// How a PostgreSQL window asks a GIN index for its matches: `condition`;
/// `fenced` when it alone bounds the rows near the scope (the words of the
/// scope's branches), so the other conditions only filter what it returns
/// and PostgreSQL does not intersect it with a province's 21,000 entries of
/// another index (it misjudges the two as independent).
struct Gin {
    condition: String,
    fenced: bool,
}

/// The rows a PostgreSQL window tests first: the newest `rows` of the scope.
/// `newest_first` when an index gives them in that order (the whole tree by
/// the primary key, whole provinces by `search_docs_root_id`): each row is
/// tested as it is read. Otherwise the subtree's ids are read from the
/// `org_path` index and sorted, and only the newest are read again to test.
struct Probe {
    /// `None`: no probe, the GIN index answers at once.
    rows: Option<i64>,
    newest_first: bool,
}

enum BindValue {
    Text(String),
    Int(i64),
}

fn hit_from_row(r: &AnyRow, marker: &mut WordMarker) -> StoreResult<(i64, SearchHit)> {
    let title: String = col(r, "title")?;
    let body: String = col(r, "body")?;
    Ok((
        col(r, "id")?,
        SearchHit {
            kind: crate::row::code(r, "kind")?,
            record_id: col(r, "record_id")?,
            link_id: col(r, "link_id")?,
            org_path: col(r, "org_path")?,
            year: col(r, "year")?,
            field: col(r, "field")?,
            rank: col::<i64>(r, "rnk")?,
            title_marks: highlight(&title, marker),
            snippet: snippet(&body, marker, SNIPPET_WORDS),
            title,
        },
    ))
}

/// Words of body shown in a snippet.
const SNIPPET_WORDS: usize = 30;

/// Splits text into runs of word characters and of the rest: (text, is_word).
fn pieces(s: &str) -> Vec<(&str, bool)> {
    let is_word = |c: char| c.is_alphanumeric() || unicode_mark(c);
    let mut out: Vec<(&str, bool)> = vec![];
    let mut start = 0;
    let mut cur: Option<bool> = None;
    for (i, c) in s.char_indices() {
        let w = is_word(c);
        match cur {
            Some(x) if x == w => {}
            Some(x) => {
                out.push((&s[start..i], x));
                start = i;
                cur = Some(w);
            }
            None => cur = Some(w),
        }
    }
    if let Some(x) = cur {
        out.push((&s[start..], x));
    }
    out
}

/// Combining marks (decomposed text pasted from elsewhere) belong to their word.
fn unicode_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}')
}

/// Which words of the hits' texts match the query words (the search's
/// own rule: a whole word, or a prefix for the last query word),
/// remembering each distinct word for the page: its titles and snippets
/// repeat the same syllables (`Nguyễn`, `Văn`, `và`), and folding a word
/// costs a Unicode normalisation (`perf` of a search page under load:
/// folding and normalising words for the marks about 15 % of the CPU).
struct WordMarker<'t> {
    /// All but the last query word: whole words.
    whole: &'t [String],
    /// The last query word's forms (`text::query::prefix_forms`): prefixes.
    prefixes: Vec<String>,
    seen: std::collections::HashMap<String, bool>,
}

impl<'t> WordMarker<'t> {
    fn new(tokens: &'t [String]) -> Self {
        let (prefixes, whole) = match tokens.split_last() {
            Some((last, rest)) => (text::query::prefix_forms(last), rest),
            None => (vec![], tokens),
        };
        WordMarker { whole, prefixes, seen: Default::default() }
    }

    fn matches(&mut self, word: &str) -> bool {
        if let Some(m) = self.seen.get(word) {
            return *m;
        }
        let m = !self.prefixes.is_empty() && text::tokens(word).iter().any(|w| self.prefixes.iter().any(|l| w.starts_with(l.as_str())) || self.whole.contains(w));
        self.seen.insert(word.to_string(), m);
        m
    }
}

fn push(out: &mut Vec<Segment>, s: &str, mark: bool) {
    if s.is_empty() {
        return;
    }
    match out.last_mut() {
        Some(last) if last.mark == mark => last.text.push_str(s),
        _ => out.push(Segment { text: s.to_string(), mark }),
    }
}

/// Joins marked words separated only by spaces into one mark
/// (`<mark>Điện lực</mark>`, not two).
fn join_marks(segs: Vec<Segment>) -> Vec<Segment> {
    let mut out: Vec<Segment> = Vec::with_capacity(segs.len());
    let mut it = segs.into_iter().peekable();
    while let Some(seg) = it.next() {
        let between = !seg.mark
            && !seg.text.is_empty()
            && seg.text.chars().all(|c| c == ' ')
            && out.last().is_some_and(|l| l.mark)
            && it.peek().is_some_and(|n| n.mark);
        if between {
            let next = it.next().expect("peeked");
            let last = out.last_mut().expect("checked");
            last.text.push_str(&seg.text);
            last.text.push_str(&next.text);
        } else {
            out.push(seg);
        }
    }
    out
}

/// The text cut into marked (matching) and unmarked segments.
fn highlight(s: &str, marker: &mut WordMarker) -> Vec<Segment> {
    let mut out = vec![];
    for (p, w) in pieces(s) {
        push(&mut out, p, w && marker.matches(p));
    }
    join_marks(out)
}

/// About `words` words of `body` around its first match (its start when
/// nothing in it matches), marked, with `…` where text was cut. Lines are
/// joined by spaces.
fn snippet(body: &str, marker: &mut WordMarker, words: usize) -> Vec<Segment> {
    let flat = body.split_whitespace().collect::<Vec<_>>().join(" ");
    let ps = pieces(&flat);
    let word_idx: Vec<usize> = ps.iter().enumerate().filter(|(_, p)| p.1).map(|(i, _)| i).collect();
    if word_idx.is_empty() {
        return vec![];
    }
    let first = word_idx.iter().position(|&i| marker.matches(ps[i].0)).unwrap_or(0);
    let from_w = first.saturating_sub(words / 3);
    let to_w = (from_w + words).min(word_idx.len());
    let from = if from_w == 0 { 0 } else { word_idx[from_w] };
    let to = if to_w == word_idx.len() { ps.len() } else { word_idx[to_w] };
    let mut out = vec![];
    if from > 0 {
        push(&mut out, "… ", false);
    }
    for (p, w) in &ps[from..to] {
        push(&mut out, p, *w && marker.matches(p));
    }
    if to < ps.len() {
        if let Some(last) = out.last_mut().filter(|l| !l.mark) {
            let trimmed = last.text.trim_end().to_string();
            last.text = trimmed;
        }
        push(&mut out, " …", false);
    }
    join_marks(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(q: &str) -> Vec<String> {
        query_tokens(q)
    }

    #[test]
    fn match_strings_are_only_quoted_words() {
        let t = toks(r#"Nguyễn "văn" a* -b NEAR(x y) ' OR 1=1 --"#);
        assert_eq!(t, ["nguyen", "van", "a", "b", "near", "x", "y", "or", "1", "1"]);
        let bloc = [OrgPath("/1/2/".into())];
        assert_eq!(match_string(Backend::Sqlite, &toks("hoà bình"), &bloc, false), r#"folded : ("hoa" AND "binh"*) AND scope : ("o2")"#);
        assert_eq!(match_string(Backend::Postgres, &toks("hoà bình"), &bloc, false), "('hoa':A & 'binh':*A) & ('o2':D)");
        assert_eq!(match_string(Backend::Sqlite, &toks("hoà bình"), &bloc, true), r#"folded : ("hoa" AND "binh"*)"#);
        assert_eq!(match_string(Backend::Postgres, &toks("hoà bình"), &bloc, true), "'hoa':A & 'binh':*A");
        assert!(toks("\"*-'%_ 🙂\u{0}").is_empty());
        assert_eq!(toks(&"a ".repeat(5000)).len(), MAX_TOKENS);
    }

    #[test]
    fn the_rooted_vector_is_the_index_expression() {
        let migration = include_str!("../migrations/0036_search_words_by_branch.postgres.sql");
        assert!(migration.contains(&format!("USING GIN ({})", ROOTED_VECTOR.replace("d.", ""))), "{ROOTED_VECTOR}");
        assert!(ROOTED_VECTOR.contains(&format!("'r' || {ROW_BRANCH} || 'w")), "the words are rooted at the row's branch");
        let t = toks("nguyen van");
        assert_eq!(rooted_match(&t, &[2, 12]).as_deref(), Some("('r2wnguyen' & 'r2wvan':*) | ('r12wnguyen' & 'r12wvan':*)"));
        assert_eq!(rooted_match(&t, &[]), None);
        assert_eq!(rooted_match(&[], &[2]), None);
    }

    #[test]
    fn only_whole_blocs_are_scoped_by_their_branches() {
        let migration = include_str!("../migrations/0036_search_words_by_branch.postgres.sql");
        assert!(migration.contains(&format!("(({}), id)", ROW_BRANCH.replace("d.", ""))), "{ROW_BRANCH}");
        let p = |s: &str| OrgPath(s.into());
        assert_eq!(whole_nodes_within(false, &[p("/1/2/"), p("/12/13/")], BRANCH), Some(vec![2, 13]));
        assert_eq!(whole_nodes_within(true, &[p("/1/2/")], BRANCH), None, "small subtrees are tested row by row");
        assert_eq!(whole_nodes_within(false, &[p("/1/2/"), p("/1/2/5/")], BRANCH), None, "a TCCS is not a whole branch");
        assert_eq!(whole_nodes_within(false, &[p("/1/")], BRANCH), None, "a province is more than a branch");
        assert_eq!(ids_in(ROW_BRANCH, &[2, 13]), format!("{ROW_BRANCH} IN ('2', '13')"));
    }

    #[test]
    fn a_province_spans_its_own_node_and_its_branches() {
        let children = [(1, 2), (1, 3), (12, 13), (2, 5)];
        let p = |s: &str| OrgPath(s.into());
        assert_eq!(branches(&[p("/1/")], &children), vec![1, 2, 3], "the province's own rows, then each branch; not a grandchild");
        assert_eq!(branches(&[p("/1/2/5/"), p("/1/2/")], &children), vec![2], "a bloc and a TCCS inside it");
        assert_eq!(branches(&[p("/12/13/"), p("/1/")], &children), vec![1, 2, 3, 13]);
        assert_eq!(branches(&[p("/9/")], &children), vec![9], "a province without branches");
        assert!(branches(&[OrgPath::whole_tree()], &children).is_empty());
    }

    #[test]
    fn the_row_root_is_the_index_expression() {
        let migration = include_str!("../migrations/0028_search_root_order.postgres.sql");
        assert!(migration.contains(&format!("(({}), id)", ROW_ROOT.replace("d.", ""))), "{ROW_ROOT}");
        assert!(ROOTED_VECTOR.contains(ROW_ROOT), "the rooted words and the probe name the same root");
        assert_eq!(ids_in(ROW_ROOT, &[1, 12]), "split_part(d.org_path, '/', 2) IN ('1', '12')");
    }

    #[test]
    fn only_whole_provinces_are_scoped_by_their_roots() {
        let provinces = [OrgPath::root(1), OrgPath::root(12)];
        assert_eq!(whole_nodes_within(false, &provinces, PROVINCE), Some(vec![1, 12]));
        assert_eq!(whole_nodes_within(true, &provinces, PROVINCE), None, "small subtrees are tested row by row");
        let with_a_bloc = [OrgPath::root(1), OrgPath("/12/3/".into())];
        assert_eq!(whole_nodes_within(false, &with_a_bloc, PROVINCE), None);
        assert_eq!(whole_nodes_within(false, &[OrgPath::whole_tree()], PROVINCE), None);
        assert_eq!(whole_nodes_within(false, &[OrgPath("/1".into())], PROVINCE), None, "not a path of the tree");
        assert_eq!(whole_nodes_within(false, &[], PROVINCE), None);
    }

    #[test]
    fn a_province_stretch_holds_the_window_s_ids_and_the_migration_spells_it() {
        let migration = include_str!("../migrations/0034_search_by_province.sqlite.sql");
        assert!(migration.contains(&format!("AS INTEGER) * {FTS_STRETCH} - id")), "the row id of migration 34");
        let base = 12 * FTS_STRETCH;
        let whole = Window { ceil: None, floor: None };
        assert_eq!(fts_stretch(base, whole), (11 * FTS_STRETCH + 1, base - 1), "every id of province 12, and only them");
        // Ids 50..=100, newest (100) first.
        assert_eq!(fts_stretch(base, Window { ceil: Some(101), floor: Some(50) }), (base - 100, base - 50));
        assert_eq!(fts_stretch(0, Window { ceil: Some(101), floor: Some(0) }), (-100, -1), "search_fts: minus the id");
        let (first, last) = fts_stretch(base, Window { ceil: Some(1), floor: None });
        assert!(first > last, "no id below 1");
    }

    #[test]
    fn many_selects_nest_below_sqlite_s_compound_limit() {
        let selects: Vec<String> = (0..250).map(|i| format!("SELECT {i} AS id")).collect();
        let sql = union_all(selects);
        assert_eq!(sql.matches("UNION ALL").count(), 249);
        // Three nested compounds of 100, 100 and 50 at the top.
        assert_eq!(sql.matches("SELECT id FROM (").count(), 3);
        assert!(union_all(vec![]).contains("WHERE 0 = 1"));
    }

    #[test]
    fn highlight_marks_whole_words_and_the_last_prefix() {
        let h = highlight("Nguyễn Văn Anh, Văn phòng", &mut WordMarker::new(&toks("van a")));
        let marked: Vec<&str> = h.iter().filter(|s| s.mark).map(|s| s.text.as_str()).collect();
        assert_eq!(marked, ["Văn Anh", "Văn"]);
        assert_eq!(h.iter().map(|s| s.text.as_str()).collect::<String>(), "Nguyễn Văn Anh, Văn phòng");
    }

    #[test]
    fn snippet_is_a_window_around_the_first_match() {
        let body = (0..100).map(|i| format!("từ{i}")).collect::<Vec<_>>().join(" ") + " Điện lực cuối";
        let s = snippet(&body, &mut WordMarker::new(&toks("dien luc")), 10);
        let text: String = s.iter().map(|x| x.text.as_str()).collect();
        assert!(text.starts_with("… "), "{text}");
        assert!(text.contains("Điện lực"));
        let marked: Vec<&str> = s.iter().filter(|x| x.mark).map(|x| x.text.as_str()).collect();
        assert_eq!(marked, ["Điện lực"]);
        assert!(snippet("", &mut WordMarker::new(&toks("x")), 10).is_empty());
        let short = snippet("Một hai ba", &mut WordMarker::new(&toks("zz")), 10);
        assert_eq!(short, vec![Segment { text: "Một hai ba".into(), mark: false }]);
    }
}
