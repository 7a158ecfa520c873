//! The organisation tree.

use dienhinh_domain::AuditAction;
use crate::db::{build, col, within_subtrees};
use crate::page::{limit, Listing, Page, Position, SortKey};
use dienhinh_domain::order::OrgOrder;
use crate::row::{select_list, FromRow};
use crate::search::SearchDoc;
use crate::write::Write;
use crate::{now_ms, vals, Actor, Db, Found, StoreError, StoreResult};
use dienhinh_domain::org::{check_nesting, ValidOrg};
use dienhinh_domain::{OrgKind, OrgPath, RecordKind};
use dienhinh_text as text;
use serde::Serialize;
use sqlx::AnyConnection;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Org {
    pub id: i64,
    pub parent_id: Option<i64>,
    /// One of: tinh_uy, dang_uy_khoi, ban, tccs, chi_bo, don_vi, doan_the.
    #[schema(value_type = String)]
    pub kind: OrgKind,
    pub name: String,
    pub short_name: String,
    /// Materialised path of ids from the root, e.g. `/1/5/12/`.
    #[schema(value_type = String)]
    pub path: OrgPath,
    pub depth: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub version: i64,
    /// The years it has a model of its own approved, oldest first: read
    /// only where the write path counts the node (`Stored::load`,
    /// `fetch_counted`), empty elsewhere; so not in the JSON either.
    #[serde(skip)]
    pub approved_model_years: Vec<i64>,
}

crate::from_row!(Org { id, parent_id, kind, name, short_name, path, depth, created_at, updated_at, version }; approved_model_years = vec![]);

impl Org {
    /// The node's path (owned, for scope lists).
    pub fn org_path(&self) -> OrgPath {
        self.path.clone()
    }
    pub fn kind_label(&self) -> &'static str {
        self.kind.label()
    }
}

crate::stored!(Org: Org at path, summary r => r.name.clone(), load fetch_counted, search search_doc, tallies tallies);

fn tallies(o: &Org) -> Vec<dienhinh_domain::counter::Tally> {
    use dienhinh_domain::counter;
    let mut t = vec![counter::org(&o.path, o.kind)];
    t.extend(counter::tccs_approved_model(&o.path, o.kind, &o.approved_model_years));
    t
}

pub use dienhinh_domain::org::OrgInput;

/// `id, parent_id, …`: the columns of an `Org`, for queries of other modules.
pub(crate) fn from_row(r: &sqlx::any::AnyRow) -> StoreResult<Org> {
    Org::from_row(r)
}

pub(crate) fn columns() -> String {
    select_list(Org::COLUMNS, None)
}

/// The node's entry in the search index.
pub(crate) fn search_doc(o: &Org) -> SearchDoc {
    SearchDoc {
        kind: RecordKind::Org,
        record_id: o.id,
        link_id: None,
        org_path: o.path.as_str().to_string(),
        title: o.name.clone(),
        body: o.short_name.clone(),
        hidden_words: String::new(),
        year: None,
        field: None,
        public: false,
    }
}

/// The node as a connection (or a write's transaction) sees it.
pub(crate) async fn fetch(conn: &mut AnyConnection, id: i64) -> StoreResult<Org> {
    let row = sqlx::query(&format!("SELECT {} FROM orgs WHERE id = $1", columns())).bind(id).fetch_optional(conn).await?;
    Org::from_row(&row.ok_or(StoreError::NotFound)?)
}

/// The node as the write path counts it (`Stored::load`): with the years
/// of its approved models, which its tallies need.
pub(crate) async fn fetch_counted(conn: &mut AnyConnection, id: i64) -> StoreResult<Org> {
    let mut o = fetch(&mut *conn, id).await?;
    let approved = dienhinh_domain::annual_model::ModelStatus::DaDuyet.code();
    let sql = format!("SELECT DISTINCT year FROM annual_models WHERE org_id = $1 AND status = '{approved}' ORDER BY year");
    o.approved_model_years = crate::db::years_of(conn, &sql, id).await?;
    Ok(o)
}

pub async fn get(db: &Db, id: i64) -> StoreResult<Org> {
    fetch(&mut *db.reader().acquire().await?, id).await
}

fn edited_values(v: &ValidOrg) -> crate::Values {
    vals![
        ("kind", v.kind.code()),
        ("name", v.name.as_str()),
        ("short_name", v.short_name.as_str()),
        ("name_key", text::fold(&v.name)),
        ("sort_key", text::sort_key(&v.name)),
    ]
}

/// Creates a node under `parent_id` (none: a new tree), refused when its kind
/// may not stand under the parent's (`OrgKind::may_hold`), read inside `w`.
pub async fn create_in(w: &mut Write<'_>, input: &OrgInput) -> StoreResult<Org> {
    let v = input.validate()?;
    let parent = match v.parent_id {
        Some(pid) => Some(fetch(w.conn(), pid).await.not_found_as("parent_id", "Không tìm thấy tổ chức cấp trên.")?),
        None => None,
    };
    // Read inside the write, so the parent's kind is the one the new node sits under.
    check_nesting("kind", parent.as_ref().map(|p| p.kind), v.kind)?;
    let now = now_ms();
    // Insert with a placeholder path, then set the real one from the new id.
    let mut values = vals![("parent_id", v.parent_id), ("path", ""), ("depth", 0i64), ("created_at", now), ("updated_at", now)];
    values.extend(edited_values(&v));
    let id = w.insert("orgs", values).await?;
    let path = match &parent {
        Some(p) => p.path.child(id),
        None => OrgPath::root(id),
    };
    sqlx::query("UPDATE orgs SET path = $1, depth = $2 WHERE id = $3").bind(path.as_str()).bind(path.depth() as i64).bind(id).execute(w.conn()).await?;
    let org: Org = w.load(id).await?;
    w.created(&org).await?;
    Ok(org)
}

pub async fn create(db: &Db, actor: &Actor, input: OrgInput) -> StoreResult<Org> {
    let mut w = db.write(actor).await?;
    let org = create_in(&mut w, &input).await?;
    w.commit().await?;
    Ok(org)
}

/// Renames or re-kinds a node; refused with a conflict when `version` is
/// stale, and a new kind when it may not stand under the parent or hold the
/// node's children (`OrgKind::may_hold`).
pub async fn update(db: &Db, actor: &Actor, id: i64, version: i64, input: OrgInput) -> StoreResult<Org> {
    let v = input.validate()?;
    let mut w = db.write(actor).await?;
    let before: Org = w.load(id).await?;
    if v.kind != before.kind {
        // The new kind must fit under the parent and hold the children it has.
        let parent = match before.parent_id {
            Some(pid) => Some(fetch(w.conn(), pid).await?.kind),
            None => None,
        };
        check_nesting("kind", parent, v.kind)?;
        let rows = sqlx::query("SELECT DISTINCT kind FROM orgs WHERE parent_id = $1").bind(id).fetch_all(w.conn()).await?;
        for r in &rows {
            if let Some(child) = OrgKind::from_code(&col::<String>(r, "kind")?) {
                check_nesting("kind", Some(v.kind), child)?;
            }
        }
    }
    w.update_versioned::<Org>(id, version, edited_values(&v)).await?;
    let after: Org = w.load(id).await?;
    w.changed(AuditAction::Update, Some(&before), &after, &after.name).await?;
    w.commit().await?;
    Ok(after)
}

/// Moves a node (and its subtree) under a new parent, refused when its kind
/// may not stand there (`OrgKind::may_hold`). The old position is
/// kept in `org_moves`, and every column that keeps a copy of the path
/// (`RecordKind::all_path_columns`) moves with it, in the same transaction.
pub async fn move_to(db: &Db, actor: &Actor, id: i64, version: i64, new_parent_id: i64) -> StoreResult<Org> {
    let mut w = db.write(actor).await?;
    let node: Org = w.load(id).await?;
    let parent = fetch(w.conn(), new_parent_id).await.not_found_as("parent_id", "Không tìm thấy tổ chức cấp trên mới.")?;
    dienhinh_domain::org::check_move(&node.path, &parent.path)?;
    check_nesting("parent_id", Some(parent.kind), node.kind)?;
    let old = node.path.clone();
    let new = parent.path.child(id);
    w.update_versioned::<Org>(id, version, vals![("parent_id", new_parent_id)]).await?;
    // The subtree's counts leave the old ancestors for the new ones.
    w.move_counts(id, &old, &new).await?;
    let depth_delta = new.depth() as i64 - old.depth() as i64;
    let upper = old.subtree_upper_bound();
    for c in RecordKind::all_path_columns() {
        let (table, column) = (c.table, c.column);
        let depth_set = if c.with_depth { format!(", depth = depth + {depth_delta}") } else { String::new() };
        let sql = format!("UPDATE {table} SET {column} = $1 || SUBSTR({column}, CAST($2 AS INTEGER)){depth_set} WHERE {column} >= $3 AND {column} < $4");
        sqlx::query(&sql).bind(new.as_str()).bind(old.as_str().chars().count() as i64 + 1).bind(old.as_str()).bind(&upper).execute(w.conn()).await?;
    }
    w.insert_plain(
        "org_moves",
        vals![
            ("org_id", id),
            ("from_parent_id", node.parent_id),
            ("to_parent_id", new_parent_id),
            ("from_path", old.as_str()),
            ("to_path", new.as_str()),
            ("moved_at", now_ms()),
            ("moved_by", actor.name.as_str()),
        ],
    )
    .await?;
    let after: Org = w.load(id).await?;
    // The path columns moved the index rows of the whole subtree; this refreshes the node's own.
    w.changed(AuditAction::Move, Some(&node), &after, &format!("{} → {}", node.name, parent.name)).await?;
    w.commit().await?;
    Ok(after)
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OrgMove {
    pub from_path: String,
    pub to_path: String,
    pub moved_at: i64,
    pub moved_by: String,
}

pub async fn moves(db: &Db, id: i64) -> StoreResult<Vec<OrgMove>> {
    let rows = sqlx::query("SELECT from_path, to_path, moved_at, moved_by FROM org_moves WHERE org_id = $1 ORDER BY id")
        .bind(id)
        .fetch_all(db.reader())
        .await?;
    rows.iter()
        .map(|r| Ok(OrgMove { from_path: col(r, "from_path")?, to_path: col(r, "to_path")?, moved_at: col(r, "moved_at")?, moved_by: col(r, "moved_by")? }))
        .collect()
}

pub async fn children(db: &Db, parent_id: i64) -> StoreResult<Vec<Org>> {
    let rows = sqlx::query(&format!("SELECT {} FROM orgs WHERE parent_id = $1 ORDER BY sort_key, id", columns()))
        .bind(parent_id)
        .fetch_all(db.reader())
        .await?;
    rows.iter().map(Org::from_row).collect()
}

/// The units of `ids` (a person's roles) in path order, and the units
/// directly under them when they are [`FEW_ROOTS`] or fewer: one query
/// whatever the number of roles.
pub async fn with_children(db: &Db, ids: &[i64]) -> StoreResult<(Vec<Org>, Vec<Org>)> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let parents: &[i64] = if ids.len() <= FEW_ROOTS { &ids } else { &[] };
    let (units, mut children) = units_and_children(db, &ids, parents, None).await?;
    // Grouped under their parents in the parents' order, by name within.
    children.sort_by_key(|c| units.iter().position(|u| Some(u.id) == c.parent_id));
    Ok((units, children))
}

/// The units of `ids` in path order and the units directly under
/// `parents` (by name, at most `limit`), read in one statement: the pickers
/// and the home page show both, and each statement is a round trip that
/// waits under load.
async fn units_and_children(db: &Db, ids: &[i64], parents: &[i64], limit: Option<u64>) -> StoreResult<(Vec<Org>, Vec<Org>)> {
    use crate::db::placeholders_from;
    let cols = columns();
    // Each part carries its order (`sk`): the compound's ORDER BY sorts
    // the units by path and the children by name, as separate queries did.
    let mut parts = vec![];
    if !ids.is_empty() {
        parts.push(format!("SELECT {cols}, 0 AS part, path AS sk FROM orgs WHERE id IN ({})", placeholders_from(1, ids.len())));
    }
    if !parents.is_empty() {
        let limit = limit.map(|l| format!(" LIMIT {l}")).unwrap_or_default();
        parts.push(format!(
            "SELECT {cols}, 1 AS part, sort_key AS sk FROM (SELECT {cols}, sort_key FROM orgs WHERE parent_id IN ({}) ORDER BY sort_key, id{limit}) c",
            placeholders_from(ids.len() + 1, parents.len())
        ));
    }
    if parts.is_empty() {
        return Ok((vec![], vec![]));
    }
    let sql = format!("{} ORDER BY part, sk, id", parts.join(" UNION ALL "));
    let mut q = sqlx::query(&sql);
    for id in ids.iter().chain(parents) {
        q = q.bind(*id);
    }
    let (mut units, mut children) = (vec![], vec![]);
    for r in q.fetch_all(db.reader()).await? {
        let o = Org::from_row(&r)?;
        if col::<i64>(&r, "part")? == 0 {
            units.push(o);
        } else {
            children.push(o);
        }
    }
    Ok((units, children))
}

/// Ancestors of a node from the root down (excluding the node itself).
pub async fn ancestors(db: &Db, org: &Org) -> StoreResult<Vec<Org>> {
    let ids: Vec<i64> = org.org_path().ids().into_iter().filter(|i| *i != org.id).collect();
    by_ids(db, &ids).await
}

/// The nodes with these ids, in path order (a chain comes root first).
async fn by_ids(db: &Db, ids: &[i64]) -> StoreResult<Vec<Org>> {
    use sea_query::{Alias, Expr, Order, Query};
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let mut q = Query::select();
    q.columns(Org::COLUMNS.iter().copied().map(Alias::new))
        .from(Alias::new("orgs"))
        .and_where(Expr::col(Alias::new("id")).is_in(ids.to_vec()))
        .order_by(Alias::new("path"), Order::Asc);
    let (sql, values) = build(db.backend, &q);
    sqlx::query_with(&sql, values).fetch_all(db.reader()).await?.iter().map(Org::from_row).collect()
}

/// Most children one picker level shows.
const PICKER_CHILDREN: u64 = 500;

/// Up to this many roots, a picker with nothing chosen (and the home
/// page) also shows the roots' children; past it (a country-wide role
/// holds 63 provinces) only the roots: their children were hundreds of
/// options on every list page (9 ms of query and a long `<select>` per
/// view).
pub const FEW_ROOTS: usize = 8;

/// One choice of a unit picker, `indent` levels below the picker's top.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PickerChoice {
    pub id: i64,
    pub name: String,
    pub kind: OrgKind,
    pub path: OrgPath,
    pub indent: usize,
}

impl PickerChoice {
    /// The name indented with no-break spaces (they show inside `<option>`).
    pub fn label(&self) -> String {
        format!("{}{}", "\u{a0}\u{a0}\u{a0}".repeat(self.indent), self.name)
    }
}

/// A unit picker that stays small in a tree of any size (a whole country):
/// the caller's subtree roots; under the root that holds `selected`, the
/// chain down to it and its children; with nothing selected, the children
/// of the roots when they are few ([`FEW_ROOTS`]). Choosing a node and submitting shows the next level, so
/// every node is reachable without listing thousands of options (and
/// without JavaScript). A `selected` outside the roots counts as none.
pub async fn picker(db: &Db, roots: &[OrgPath], selected: Option<i64>) -> StoreResult<Vec<PickerChoice>> {
    let root_ids: Vec<i64> = roots.iter().filter_map(|p| p.ids().last().copied()).collect();
    let selected = match selected {
        Some(id) => get(db, id).await.ok().filter(|o| roots.iter().any(|r| r.contains(&o.org_path()))),
        None => None,
    };
    // The chain from the covering root down to the selected node.
    let chain_ids: Vec<i64> = match &selected {
        Some(o) => {
            let ids = o.org_path().ids();
            let from = ids.iter().position(|i| root_ids.contains(i)).unwrap_or(0);
            ids[from..].to_vec()
        }
        None => vec![],
    };
    let mut wanted = root_ids.clone();
    wanted.extend(chain_ids.iter().copied());
    wanted.sort_unstable();
    wanted.dedup();
    let parents: Vec<i64> = match &selected {
        Some(o) => vec![o.id],
        None if root_ids.len() <= FEW_ROOTS => root_ids.clone(),
        None => vec![],
    };
    let (mut top, children) = units_and_children(db, &wanted, &parents, Some(PICKER_CHILDREN)).await?;
    top.sort_by(|a, b| (a.depth, &a.name).cmp(&(b.depth, &b.name)));
    let mut out = Vec::new();
    let push = |out: &mut Vec<PickerChoice>, o: &Org, indent: usize| {
        if out.iter().all(|c: &PickerChoice| c.id != o.id) {
            out.push(PickerChoice { id: o.id, name: o.name.clone(), kind: o.kind, path: o.path.clone(), indent });
        }
    };
    for root in top.iter().filter(|o| root_ids.contains(&o.id)) {
        push(&mut out, root, 0);
        let holds_selection = chain_ids.first() == Some(&root.id);
        let mut indent = 1;
        if holds_selection {
            for o in top.iter().filter(|o| chain_ids[1..].contains(&o.id)) {
                push(&mut out, o, indent);
                indent += 1;
            }
        }
        if holds_selection || selected.is_none() {
            let parent = if holds_selection { selected.as_ref().map(|s| s.id) } else { Some(root.id) };
            for c in children.iter().filter(|c| c.parent_id == parent) {
                push(&mut out, c, indent);
            }
        }
    }
    Ok(out)
}

#[derive(Debug, Clone, Default)]
pub struct OrgFilter {
    /// Subtrees the caller may see (required: an empty list sees nothing).
    pub within: Vec<OrgPath>,
    pub kind: Option<String>,
    /// Folded text to match in the name.
    pub q: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

/// Nodes inside the caller's subtrees, in Vietnamese name order, keyset-paged.
pub async fn list(db: &Db, f: &OrgFilter) -> StoreResult<Page<Org>> {
    Ok(listing(db, f, OrgOrder::Name, Position::after(f.cursor.as_deref(), limit(f.limit))).await?.page())
}

/// A page of the nodes `f` selects (its cursor aside) in `order` at `at`.
pub async fn listing(db: &Db, f: &OrgFilter, order: OrgOrder, at: Position<'_>) -> StoreResult<Listing<Org>> {
    use sea_query::{Alias, Expr, Query};
    if f.within.is_empty() {
        return Ok(Listing::empty());
    }
    let mut q = Query::select();
    let within = as_queried(db, &f.within).await?;
    q.from(Alias::new("orgs")).cond_where(within_subtrees("path", &within));
    if let Some(k) = f.kind.as_deref().filter(|k| !k.is_empty()) {
        q.and_where(Expr::col(Alias::new("kind")).eq(k));
    }
    if let Some(words) = crate::db::folded_contains(f.q.as_deref(), &["name_key"]) {
        q.cond_where(words);
    }
    let sort = match order {
        OrgOrder::Name => SortKey::column("sort_key", false, false),
        OrgOrder::Newest => SortKey::id(true),
    };
    let columns = |q: &mut sea_query::SelectStatement| {
        q.columns(Org::COLUMNS.iter().copied().map(Alias::new));
    };
    crate::page::listing(db, crate::page::Rows::of("orgs", q), columns, sort, at, Org::from_row).await
}

/// Names of the given nodes, for showing parents beside a page of nodes.
pub async fn names(db: &Db, ids: &[i64]) -> StoreResult<std::collections::HashMap<i64, String>> {
    use sea_query::{Alias, Expr, Query};
    let mut out = std::collections::HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let mut q = Query::select();
    q.columns([Alias::new("id"), Alias::new("name")]).from(Alias::new("orgs")).and_where(Expr::col(Alias::new("id")).is_in(ids.to_vec()));
    let (sql, values) = build(db.backend, &q);
    for r in sqlx::query_with(&sql, values).fetch_all(db.reader()).await? {
        out.insert(col(&r, "id")?, col(&r, "name")?);
    }
    Ok(out)
}

pub async fn count(db: &Db) -> StoreResult<i64> {
    col(&sqlx::query("SELECT COUNT(*) AS n FROM orgs").fetch_one(db.reader()).await?, "n")
}

/// True when the subtrees hold every root of the tree, so every record: a
/// role at every province (one query on `orgs_parent`: a root the caller
/// does not hold). A list or a search can then leave out the subtree
/// condition, which narrows nothing and costs the most for such a caller.
/// The path `/` (`portal::everywhere`, the public portal's scope) is the
/// whole tree by itself.
pub async fn covers_everything(db: &Db, within: &[OrgPath]) -> StoreResult<bool> {
    use sea_query::{Alias, Expr, Query};
    if within.iter().any(OrgPath::is_whole_tree) {
        return Ok(true);
    }
    let held: Vec<i64> = within.iter().filter(|p| p.ids().len() == 1).filter_map(|p| p.ids().last().copied()).collect();
    if held.is_empty() {
        return Ok(false);
    }
    let mut q = Query::select();
    q.expr(Expr::col(Alias::new("id")))
        .from(Alias::new("orgs"))
        .and_where(Expr::col(Alias::new("parent_id")).is_null())
        .and_where(Expr::col(Alias::new("id")).is_not_in(held))
        .limit(1);
    let (sql, values) = crate::db::build(db.backend, &q);
    Ok(sqlx::query_with(&sql, values).fetch_optional(db.reader()).await?.is_none())
}

/// The subtrees as a query should read them: the whole tree (`/`, no
/// range: `db::within_subtrees`) when they hold every root of the tree,
/// else as given. A country-wide role's 63 provinces as 63 ranges made
/// each of its counts and lists merge 63 index ranges (the home page's
/// counts 7–47 ms each on PostgreSQL); the whole table reads in any order.
pub async fn as_queried(db: &Db, within: &[OrgPath]) -> StoreResult<Vec<OrgPath>> {
    Ok(if !within.is_empty() && covers_everything(db, within).await? { vec![OrgPath::whole_tree()] } else { within.to_vec() })
}
