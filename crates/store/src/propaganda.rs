//! The propaganda log (tin, bài tuyên truyền, plan II.3 and IV.2): what a
//! unit published about the exemplars, on which channel and when, and the
//! exemplars each item featured. Counted in `figures::propaganda`.

use crate::db::{col, within_subtrees};
use crate::exemplars::Named;
use crate::page::{limit, Listing, Page, Position, SortKey};
use dienhinh_domain::order::PropagandaOrder;
use crate::row::{all, FromRow};
use crate::search::SearchDoc;
use crate::write::Write;
use crate::{now_ms, vals, Actor, Db, Found, StoreError, StoreResult};
use dienhinh_domain::propaganda::{Channel, ItemType, ValidPropaganda};
use dienhinh_domain::{clock, AuditAction, OrgPath, RecordKind};
use serde::Serialize;
use sqlx::AnyConnection;

pub use dienhinh_domain::propaganda::PropagandaInput;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PropagandaItem {
    pub id: i64,
    /// The unit that made it.
    pub org_id: i64,
    pub org_name: String,
    #[schema(value_type = String)]
    pub org_path: OrgPath,
    /// tin, bai_viet, phong_su, chuyen_trang, chuyen_muc, chuyen_de, video, bai_dang_mxh
    #[schema(value_type = String)]
    pub item_type: ItemType,
    /// cong_thong_tin, trang_web, mang_xa_hoi, bao_chi, phat_thanh_truyen_hinh, ban_tin_noi_bo
    #[schema(value_type = String)]
    pub channel: Channel,
    pub title: String,
    /// An `http(s)` address, or empty.
    pub link: String,
    /// YYYY-MM-DD.
    pub published_on: String,
    pub year: i64,
    /// The exemplars it featured.
    pub exemplars: Vec<Named>,
    pub created_at: i64,
    pub updated_at: i64,
    pub version: i64,
}

crate::from_row!(PropagandaItem {
    id, org_id, org_name, org_path, item_type, channel, title, link, published_on, year, created_at, updated_at, version
}; exemplars = vec![]);
crate::row::coded_cols!(ItemType, Channel);

impl PropagandaItem {
    pub fn published_vn(&self) -> String {
        clock::iso_to_vn(&self.published_on)
    }
}

crate::stored!(PropagandaItem: Propaganda at org_path, summary r => r.title.clone(), load fetch, search search_doc, tallies tallies);

/// Counted per type, channel and year, so a period's figures read counters
/// rather than group the items.
fn tallies(p: &PropagandaItem) -> Vec<dienhinh_domain::counter::Tally> {
    vec![dienhinh_domain::counter::propaganda(&p.org_path, p.item_type, p.channel, p.year)]
}

/// Internal records: found by the people who may see the unit, never public
/// (the portal shows stories, which record their own items).
pub(crate) fn search_doc(p: &PropagandaItem) -> SearchDoc {
    let names: Vec<&str> = p.exemplars.iter().map(|e| e.name.as_str()).collect();
    SearchDoc {
        body: format!("{} · {}\n{}", p.item_type.label(), p.channel.label(), names.join("\n")),
        hidden_words: String::new(),
        year: Some(p.year),
        ..SearchDoc::new(RecordKind::Propaganda, p.id, p.org_path.as_str(), &p.title)
    }
}

/// `SELECT … FROM propaganda_items p JOIN orgs o` with the unit's name.
fn select() -> String {
    let cols: Vec<String> = PropagandaItem::COLUMNS.iter().map(|c| if *c == "org_name" { "o.name AS org_name".to_string() } else { format!("p.{c}") }).collect();
    format!("SELECT {} FROM propaganda_items p JOIN orgs o ON o.id = p.org_id", cols.join(", "))
}

/// The featured exemplars of a page of items: one query for the page.
async fn load_exemplars(conn: &mut AnyConnection, items: &mut [PropagandaItem]) -> StoreResult<()> {
    if items.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "SELECT x.item_id, e.id, e.name FROM propaganda_exemplars x JOIN exemplars e ON e.id = x.exemplar_id WHERE x.item_id IN ({}) ORDER BY e.id",
        crate::db::placeholders(items.len())
    );
    let mut q = sqlx::query(&sql);
    for p in items.iter() {
        q = q.bind(p.id);
    }
    let at: std::collections::HashMap<i64, usize> = items.iter().enumerate().map(|(i, p)| (p.id, i)).collect();
    for r in q.fetch_all(&mut *conn).await? {
        if let Some(&i) = at.get(&col::<i64>(&r, "item_id")?) {
            items[i].exemplars.push(Named::from_row(&r)?);
        }
    }
    Ok(())
}

pub(crate) async fn fetch(conn: &mut AnyConnection, id: i64) -> StoreResult<PropagandaItem> {
    let row = sqlx::query(&format!("{} WHERE p.id = $1", select())).bind(id).fetch_optional(&mut *conn).await?.ok_or(StoreError::NotFound)?;
    let mut items = vec![PropagandaItem::from_row(&row)?];
    load_exemplars(conn, &mut items).await?;
    Ok(items.pop().expect("one"))
}

pub async fn get(db: &Db, id: i64) -> StoreResult<PropagandaItem> {
    fetch(&mut *db.reader().acquire().await?, id).await
}

/// Up to `limit` items with ids above `after_id`, in id order (index rebuilds).
pub(crate) async fn batch_after(conn: &mut AnyConnection, after_id: i64, limit: i64) -> StoreResult<Vec<PropagandaItem>> {
    let rows = sqlx::query(&format!("{} WHERE p.id > $1 ORDER BY p.id LIMIT $2", select())).bind(after_id).bind(limit).fetch_all(&mut *conn).await?;
    let mut items: Vec<PropagandaItem> = all(&rows)?;
    load_exemplars(conn, &mut items).await?;
    Ok(items)
}

/// Records an item in `w`. The unit and every exemplar must exist (the
/// caller passes ids it may not see as `access::UNSEEN`, so they are
/// refused exactly as missing ones).
pub async fn create_in(w: &mut Write<'_>, i: &PropagandaInput) -> StoreResult<PropagandaItem> {
    let v = i.validate(clock::today())?;
    let org = crate::orgs::fetch(w.conn(), v.org_id).await.not_found_as("org_id", "Không tìm thấy đơn vị.")?;
    crate::exemplars::all_exist(w, &v.exemplar_ids).await?;
    let now = now_ms();
    let id = w
        .insert(
            "propaganda_items",
            [vals![("org_id", org.id), ("org_path", org.path.as_str())], written(&v), vals![("created_at", now), ("updated_at", now)]].concat(),
        )
        .await?;
    link_exemplars(w, id, &v.exemplar_ids).await?;
    let item: PropagandaItem = w.load(id).await?;
    w.created(&item).await?;
    Ok(item)
}

/// The columns an item's author writes, on creation and on correction alike.
fn written(v: &ValidPropaganda) -> Vec<(&'static str, sea_query::SimpleExpr)> {
    vals![
        ("item_type", v.item_type.code()),
        ("channel", v.channel.code()),
        ("title", v.title.as_str()),
        ("link", v.link.as_str()),
        ("published_on", v.published_on.as_str()),
        ("year", v.year),
    ]
}

/// The item's featured exemplars are exactly `ids`.
async fn link_exemplars(w: &mut Write<'_>, id: i64, ids: &[i64]) -> StoreResult<()> {
    sqlx::query("DELETE FROM propaganda_exemplars WHERE item_id = $1").bind(id).execute(w.conn()).await?;
    for exemplar_id in ids {
        w.insert_plain("propaganda_exemplars", vals![("item_id", id), ("exemplar_id", *exemplar_id)]).await?;
    }
    Ok(())
}

/// Corrects an item in `w` if it is still at `version` (else a `Conflict`
/// carrying the item as it is now). The unit that made it stays: the
/// caller's right was judged at its node (`i.org_id` is ignored).
pub async fn update_in(w: &mut Write<'_>, id: i64, version: i64, i: &PropagandaInput) -> StoreResult<PropagandaItem> {
    let before: PropagandaItem = w.load(id).await?;
    let v = PropagandaInput { org_id: before.org_id, ..i.clone() }.validate(clock::today())?;
    crate::exemplars::all_exist(w, &v.exemplar_ids).await?;
    w.update_versioned::<PropagandaItem>(
        id,
        version,
        written(&v),
    )
    .await?;
    link_exemplars(w, id, &v.exemplar_ids).await?;
    let after: PropagandaItem = w.load(id).await?;
    w.changed(AuditAction::Update, Some(&before), &after, &after.title.clone()).await?;
    Ok(after)
}

pub async fn update(db: &Db, actor: &Actor, id: i64, version: i64, i: PropagandaInput) -> StoreResult<PropagandaItem> {
    let mut w = db.write(actor).await?;
    let item = update_in(&mut w, id, version, &i).await?;
    w.commit().await?;
    Ok(item)
}

pub async fn create(db: &Db, actor: &Actor, i: PropagandaInput) -> StoreResult<PropagandaItem> {
    let mut w = db.write(actor).await?;
    let item = create_in(&mut w, &i).await?;
    w.commit().await?;
    Ok(item)
}

/// Which items a list shows.
#[derive(Debug, Clone, Default)]
pub struct PropagandaFilter {
    /// The caller's subtrees (nothing when empty).
    pub within: Vec<OrgPath>,
    /// Only the items of this unit and the units under it.
    pub org_id: Option<i64>,
    pub year: Option<i64>,
    pub channel: Option<Channel>,
    pub item_type: Option<ItemType>,
    /// Only the items featuring this exemplar.
    pub exemplar_id: Option<i64>,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

/// Newest first (by the day published, then id), keyset-paged, uncounted.
pub async fn list(db: &Db, f: &PropagandaFilter) -> StoreResult<Page<PropagandaItem>> {
    Ok(listing(db, f, PropagandaOrder::Newest, Position::after(f.cursor.as_deref(), limit(f.limit))).await?.page())
}

/// A page of the items `f` selects (its cursor aside) in `order` at `at`.
pub async fn listing(db: &Db, f: &PropagandaFilter, order: PropagandaOrder, at: Position<'_>) -> StoreResult<Listing<PropagandaItem>> {
    use sea_query::{Alias, Expr, Query};
    if f.within.is_empty() {
        return Ok(Listing::empty());
    }
    let c = |n: &str| Expr::col(Alias::new(n));
    let mut q = Query::select();
    q.from(Alias::new("propaganda_items")).cond_where(within_subtrees("org_path", &crate::orgs::as_queried(db, &f.within).await?));
    if let Some(org_id) = f.org_id {
        match crate::orgs::get(db, org_id).await.optional()? {
            Some(org) => {
                q.cond_where(within_subtrees("org_path", &[org.org_path()]));
            }
            None => return Ok(Listing::empty()),
        }
    }
    if let Some(y) = f.year {
        q.and_where(c("year").eq(y));
    }
    if let Some(ch) = f.channel {
        q.and_where(c("channel").eq(ch.code()));
    }
    if let Some(t) = f.item_type {
        q.and_where(c("item_type").eq(t.code()));
    }
    if let Some(eid) = f.exemplar_id {
        let sub = Query::select()
            .expr(Expr::val(1))
            .from(Alias::new("propaganda_exemplars"))
            .and_where(Expr::col((Alias::new("propaganda_exemplars"), Alias::new("item_id"))).equals((Alias::new("propaganda_items"), Alias::new("id"))))
            .and_where(Expr::col((Alias::new("propaganda_exemplars"), Alias::new("exemplar_id"))).eq(eid))
            .to_owned();
        q.and_where(Expr::exists(sub));
    }
    let columns = |q: &mut sea_query::SelectStatement| {
        q.columns(PropagandaItem::COLUMNS.iter().copied().filter(|c| *c != "org_name").map(Alias::new))
            .expr_as(Expr::cust("(SELECT name FROM orgs WHERE orgs.id = propaganda_items.org_id)"), Alias::new("org_name"));
    };
    let sort = SortKey::column("published_on", false, order == PropagandaOrder::Newest);
    let mut page = crate::page::listing(db, crate::page::Rows::of("propaganda_items", q), columns, sort, at, PropagandaItem::from_row).await?;
    load_exemplars(&mut *db.reader().acquire().await?, &mut page.items).await?;
    Ok(page)
}
