//! The organisation tree.

use crate::audit;
use crate::db::{after_cursor, build, col, within_subtrees};
use crate::page::{limit, paginate, Cursor, Page};
use crate::search::{self, SearchDoc};
use crate::{now_ms, Actor, Db, StoreError, StoreResult};
use dienhinh_domain::{Invalid, OrgKind, OrgPath};
use dienhinh_text as text;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Org {
    pub id: i64,
    pub parent_id: Option<i64>,
    /// One of: tinh_uy, dang_uy_khoi, ban, tccs, chi_bo, don_vi, doan_the.
    pub kind: String,
    pub name: String,
    pub short_name: String,
    /// Materialised path of ids from the root, e.g. `/1/5/12/`.
    pub path: String,
    pub depth: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub version: i64,
}

impl Org {
    pub fn org_path(&self) -> OrgPath {
        OrgPath(self.path.clone())
    }
    pub fn kind_label(&self) -> &'static str {
        OrgKind::from_code(&self.kind).map(|k| k.label()).unwrap_or("")
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct OrgInput {
    pub parent_id: Option<i64>,
    pub kind: String,
    pub name: String,
    #[serde(default)]
    pub short_name: String,
}

pub(crate) const COLUMNS: &str = "id, parent_id, kind, name, short_name, path, depth, created_at, updated_at, version";

pub(crate) fn from_row(r: &AnyRow) -> StoreResult<Org> {
    Ok(Org {
        id: col(r, "id")?,
        parent_id: col(r, "parent_id")?,
        kind: col(r, "kind")?,
        name: col(r, "name")?,
        short_name: col(r, "short_name")?,
        path: col(r, "path")?,
        depth: col(r, "depth")?,
        created_at: col(r, "created_at")?,
        updated_at: col(r, "updated_at")?,
        version: col(r, "version")?,
    })
}

fn to_json(o: &Org) -> serde_json::Value {
    serde_json::to_value(o).unwrap_or_default()
}

impl OrgInput {
    /// Normalises text and checks the fields; returns the kind.
    fn clean(&mut self) -> Result<OrgKind, Invalid> {
        self.name = text::normalize_line(&self.name);
        self.short_name = text::normalize_line(&self.short_name);
        let mut inv = Invalid::new();
        inv.required("name", "tên tổ chức", &self.name, 300);
        inv.max_len("short_name", "Tên viết tắt", &self.short_name, 60);
        let kind = OrgKind::from_code(&self.kind);
        if kind.is_none() {
            inv.add("kind", "invalid", "Vui lòng chọn loại tổ chức.");
        }
        inv.into_result().map(|_| kind.unwrap_or(OrgKind::DonVi))
    }
}

/// The node's entry in the search index.
pub(crate) fn search_doc(o: &Org) -> SearchDoc {
    SearchDoc { kind: "org".into(), record_id: o.id, org_path: o.path.clone(), title: o.name.clone(), body: o.short_name.clone(), ..Default::default() }
}

/// The node as this transaction sees it (after its own writes).
async fn reread(tx: &mut crate::db::Tx, id: i64) -> StoreResult<Org> {
    from_row(&sqlx::query(&format!("SELECT {COLUMNS} FROM orgs WHERE id = $1")).bind(id).fetch_one(&mut **tx).await?)
}

pub async fn get(db: &Db, id: i64) -> StoreResult<Org> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM orgs WHERE id = $1"))
        .bind(id)
        .fetch_optional(db.reader())
        .await?
        .ok_or(StoreError::NotFound)?;
    from_row(&row)
}

pub async fn create(db: &Db, actor: &Actor, mut input: OrgInput) -> StoreResult<Org> {
    input.clean()?;
    let parent = match input.parent_id {
        Some(pid) => Some(get(db, pid).await.map_err(|e| match e {
            StoreError::NotFound => StoreError::invalid("parent_id", "not_found", "Không tìm thấy tổ chức cấp trên."),
            e => e,
        })?),
        None => None,
    };
    let now = now_ms();
    let mut tx = db.begin().await?;
    // Insert with a placeholder path, then set the real one from the new id.
    let id: i64 = col(
        &sqlx::query(
            "INSERT INTO orgs (parent_id, kind, name, short_name, name_key, sort_key, path, depth, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, '', 0, $7, $7) RETURNING id",
        )
        .bind(input.parent_id)
        .bind(&input.kind)
        .bind(&input.name)
        .bind(&input.short_name)
        .bind(text::fold(&input.name))
        .bind(text::sort_key(&input.name))
        .bind(now)
        .fetch_one(&mut *tx)
        .await?,
        "id",
    )?;
    let path = match &parent {
        Some(p) => p.org_path().child(id),
        None => OrgPath::root(id),
    };
    sqlx::query("UPDATE orgs SET path = $1, depth = $2 WHERE id = $3")
        .bind(path.as_str())
        .bind(path.depth() as i64)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let org = reread(&mut tx, id).await?;
    search::index(&mut tx, &search_doc(&org)).await?;
    audit::record(&mut tx, actor, "create", "org", Some(id), Some(path.as_str()), &org.name, None, Some(&to_json(&org)))
        .await?;
    tx.commit().await?;
    Ok(org)
}

/// Renames or re-kinds a node; refused with a conflict when `version` is stale.
pub async fn update(db: &Db, actor: &Actor, id: i64, version: i64, mut input: OrgInput) -> StoreResult<Org> {
    input.clean()?;
    let before = get(db, id).await?;
    let mut tx = db.begin().await?;
    let done = sqlx::query(
        "UPDATE orgs SET kind = $1, name = $2, short_name = $3, name_key = $4, sort_key = $5, updated_at = $6, version = version + 1 \
         WHERE id = $7 AND version = $8",
    )
    .bind(&input.kind)
    .bind(&input.name)
    .bind(&input.short_name)
    .bind(text::fold(&input.name))
    .bind(text::sort_key(&input.name))
    .bind(now_ms())
    .bind(id)
    .bind(version)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict { current: to_json(&before) });
    }
    let after = reread(&mut tx, id).await?;
    search::index(&mut tx, &search_doc(&after)).await?;
    audit::record(&mut tx, actor, "update", "org", Some(id), Some(&after.path), &after.name, Some(&to_json(&before)), Some(&to_json(&after)))
        .await?;
    tx.commit().await?;
    Ok(after)
}

/// Moves a node (and its subtree) under a new parent. The old position is
/// kept in `org_moves`, and every record that carries a copy of the path
/// moves with it.
pub async fn move_to(db: &Db, actor: &Actor, id: i64, version: i64, new_parent_id: i64) -> StoreResult<Org> {
    let node = get(db, id).await?;
    let parent = get(db, new_parent_id).await.map_err(|_| {
        StoreError::invalid("parent_id", "not_found", "Không tìm thấy tổ chức cấp trên mới.")
    })?;
    if node.org_path().contains(&parent.org_path()) {
        return Err(StoreError::invalid("parent_id", "cycle", "Không thể chuyển một tổ chức vào chính nó hoặc tổ chức cấp dưới của nó."));
    }
    let old = node.org_path();
    let new = parent.org_path().child(id);
    let mut tx = db.begin().await?;
    let done = sqlx::query("UPDATE orgs SET parent_id = $1, version = version + 1, updated_at = $2 WHERE id = $3 AND version = $4")
        .bind(new_parent_id)
        .bind(now_ms())
        .bind(id)
        .bind(version)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict { current: to_json(&node) });
    }
    let depth_delta = new.depth() as i64 - old.depth() as i64;
    let upper = old.subtree_upper_bound();
    // Every table holding a copy of the path is rewritten in the same transaction.
    for (table, column, has_depth) in PATH_COLUMNS {
        let depth_set = if *has_depth { format!(", depth = depth + {depth_delta}") } else { String::new() };
        let sql = format!(
            "UPDATE {table} SET {column} = $1 || SUBSTR({column}, CAST($2 AS INTEGER)){depth_set} WHERE {column} >= $3 AND {column} < $4"
        );
        sqlx::query(&sql)
            .bind(new.as_str())
            .bind(old.as_str().chars().count() as i64 + 1)
            .bind(old.as_str())
            .bind(&upper)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query(
        "INSERT INTO org_moves (org_id, from_parent_id, to_parent_id, from_path, to_path, moved_at, moved_by) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id)
    .bind(node.parent_id)
    .bind(new_parent_id)
    .bind(old.as_str())
    .bind(new.as_str())
    .bind(now_ms())
    .bind(&actor.name)
    .execute(&mut *tx)
    .await?;
    let after = reread(&mut tx, id).await?;
    // PATH_COLUMNS moved the index rows of the whole subtree; this refreshes the node's own.
    search::index(&mut tx, &search_doc(&after)).await?;
    audit::record(&mut tx, actor, "move", "org", Some(id), Some(&after.path), &format!("{} → {}", node.name, parent.name), Some(&to_json(&node)), Some(&to_json(&after)))
        .await?;
    tx.commit().await?;
    Ok(after)
}

/// Tables that keep a copy of an org path (for subtree filters without a join).
/// Later tables that add an `org_path` column register here.
pub const PATH_COLUMNS: &[(&str, &str, bool)] = &[
    ("orgs", "path", true),
    ("users", "org_path", false),
    ("plans", "org_path", false),
    ("criteria_sets", "org_path", false),
    ("movements", "org_path", false),
    ("exemplars", "org_path", false),
    ("fostering_items", "org_path", false),
    ("evaluations", "org_path", false),
    ("replications", "org_path", false),
    ("replications", "adopter_org_path", false),
    ("study_visits", "org_path", false),
    ("annual_models", "org_path", false),
    ("attachments", "org_path", false),
    ("search_docs", "org_path", false),
];

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
    let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM orgs WHERE parent_id = $1 ORDER BY sort_key, id"))
        .bind(parent_id)
        .fetch_all(db.reader())
        .await?;
    rows.iter().map(from_row).collect()
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
    q.columns(COLUMNS.split(", ").map(Alias::new))
        .from(Alias::new("orgs"))
        .and_where(Expr::col(Alias::new("id")).is_in(ids.to_vec()))
        .order_by(Alias::new("path"), Order::Asc);
    let (sql, values) = build(db.backend, &q);
    sqlx::query_with(&sql, values).fetch_all(db.reader()).await?.iter().map(from_row).collect()
}

/// Most children one picker level shows.
const PICKER_CHILDREN: u64 = 500;

/// One choice of a unit picker, `indent` levels below the picker's top.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PickerChoice {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub path: String,
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
/// of the roots. Choosing a node and submitting shows the next level, so
/// every node is reachable without listing thousands of options (and
/// without JavaScript). A `selected` outside the roots counts as none.
pub async fn picker(db: &Db, roots: &[OrgPath], selected: Option<i64>) -> StoreResult<Vec<PickerChoice>> {
    use sea_query::{Alias, Expr, Order, Query};
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
    let mut top = by_ids(db, &wanted).await?;
    top.sort_by(|a, b| (a.depth, &a.name).cmp(&(b.depth, &b.name)));
    let parents: Vec<i64> = match &selected {
        Some(o) => vec![o.id],
        None => root_ids.clone(),
    };
    let mut q = Query::select();
    q.columns(COLUMNS.split(", ").map(Alias::new))
        .from(Alias::new("orgs"))
        .and_where(Expr::col(Alias::new("parent_id")).is_in(parents))
        .order_by(Alias::new("sort_key"), Order::Asc)
        .order_by(Alias::new("id"), Order::Asc)
        .limit(PICKER_CHILDREN);
    let (sql, values) = build(db.backend, &q);
    let children = sqlx::query_with(&sql, values).fetch_all(db.reader()).await?.iter().map(from_row).collect::<StoreResult<Vec<_>>>()?;
    let mut out = Vec::new();
    let push = |out: &mut Vec<PickerChoice>, o: &Org, indent: usize| {
        if out.iter().all(|c: &PickerChoice| c.id != o.id) {
            out.push(PickerChoice { id: o.id, name: o.name.clone(), kind: o.kind.clone(), path: o.path.clone(), indent });
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
    use sea_query::{Alias, Expr, Order, Query};
    let lim = limit(f.limit);
    if f.within.is_empty() {
        return Ok(Page::empty());
    }
    let mut q = Query::select();
    q.columns(COLUMNS.split(", ").map(Alias::new)).from(Alias::new("orgs"));
    q.cond_where(within_subtrees("path", &f.within));
    if let Some(k) = f.kind.as_deref().filter(|k| !k.is_empty()) {
        q.and_where(Expr::col(Alias::new("kind")).eq(k));
    }
    if let Some(pat) = crate::db::folded_contains(f.q.as_deref()) {
        q.and_where(Expr::col(Alias::new("name_key")).like(pat));
    }
    if let Some(c) = f.cursor.as_deref().and_then(Cursor::decode) {
        q.cond_where(after_cursor("sort_key", &c));
    }
    q.column(Alias::new("sort_key"));
    q.order_by(Alias::new("sort_key"), Order::Asc).order_by(Alias::new("id"), Order::Asc).limit((lim + 1) as u64);
    let (sql, values) = build(db.backend, &q);
    let rows = sqlx::query_with(&sql, values).fetch_all(db.reader()).await?;
    let items = rows.iter().map(|r| Ok((col::<String>(r, "sort_key")?, from_row(r)?))).collect::<StoreResult<Vec<_>>>()?;
    let page = paginate(items, lim, |(k, o)| Cursor { key: k.clone(), id: o.id });
    Ok(Page { items: page.items.into_iter().map(|(_, o)| o).collect(), next: page.next })
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
