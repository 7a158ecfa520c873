//! What the public portal reads: only published stories and the exemplars
//! `exemplar::publishable` allows. Every read here filters by those rules in
//! SQL, so a page built from these functions cannot name anything else; a
//! record that exists but is not public is `NotFound`, like a missing one.

use crate::db::col;
use crate::exemplars::{self, Exemplar, ExemplarFilter, Named};
use crate::page::{limit, paginate, Cursor, Page};
use crate::row::{all, FromRow};
use crate::stories::Story;
use crate::{Db, StoreError, StoreResult};
use dienhinh_domain::story::StoryStatus;
use dienhinh_domain::OrgPath;

/// The whole tree: the portal shows public records of every unit.
pub fn everywhere() -> Vec<OrgPath> {
    vec![OrgPath("/".into())]
}

/// Public exemplars newest first (gallery filters: field, unit, year).
pub async fn exemplars(db: &Db, field_id: Option<i64>, org_id: Option<i64>, year: Option<i64>, cursor: Option<&str>, lim: i64) -> StoreResult<Page<Exemplar>> {
    let f = ExemplarFilter {
        within: everywhere(),
        field_id,
        org_id,
        year,
        public_only: true,
        cursor: cursor.map(str::to_string),
        limit: Some(lim),
        ..Default::default()
    };
    exemplars::list(db, &f).await
}

/// One exemplar, if it is public.
pub async fn exemplar(db: &Db, id: i64) -> StoreResult<Exemplar> {
    let e = exemplars::get(db, id).await?;
    if dienhinh_domain::exemplar::publishable(e.status, e.consent_publish) {
        Ok(e)
    } else {
        Err(StoreError::NotFound)
    }
}

fn story_select(extra: &str) -> String {
    let cols: Vec<String> = Story::COLUMNS.iter().map(|c| if *c == "org_name" { "o.name AS org_name".to_string() } else { format!("s.{c}") }).collect();
    format!("SELECT {} FROM stories s JOIN orgs o ON o.id = s.org_id {extra}", cols.join(", "))
}

/// The public exemplars each story names (an exemplar that withdrew its
/// consent since is not named): one query for the page.
async fn public_links(db: &Db, items: &mut [Story]) -> StoreResult<()> {
    if items.is_empty() {
        return Ok(());
    }
    use sea_query::{Alias, Expr, Order, Query};
    let mut q = Query::select();
    q.column((Alias::new("x"), Alias::new("story_id")))
        .column((Alias::new("e"), Alias::new("id")))
        .column((Alias::new("e"), Alias::new("name")))
        .from_as(Alias::new("story_exemplars"), Alias::new("x"))
        .join_as(
            sea_query::JoinType::InnerJoin,
            Alias::new("exemplars"),
            Alias::new("e"),
            Expr::col((Alias::new("e"), Alias::new("id"))).equals((Alias::new("x"), Alias::new("exemplar_id"))),
        )
        .and_where(Expr::col((Alias::new("x"), Alias::new("story_id"))).is_in(items.iter().map(|s| s.id)))
        .and_where(exemplars::public_condition(Some("e")))
        // In the link table's own key order: ordered by `e.id`, SQLite 3.46
        // drove the join from the public exemplars' index (every public
        // exemplar probed, 9 ms at province scale) instead of the page's stories.
        .order_by((Alias::new("x"), Alias::new("story_id")), Order::Asc)
        .order_by((Alias::new("x"), Alias::new("exemplar_id")), Order::Asc);
    let (sql, values) = crate::db::build(db.backend, &q);
    let at: std::collections::HashMap<i64, usize> = items.iter().enumerate().map(|(i, s)| (s.id, i)).collect();
    for s in items.iter_mut() {
        s.exemplars.clear();
    }
    for r in sqlx::query_with(&sql, values).fetch_all(db.reader()).await? {
        if let Some(&i) = at.get(&col::<i64>(&r, "story_id")?) {
            items[i].exemplars.push(Named::from_row(&r)?);
        }
    }
    Ok(())
}

/// Published stories, newest first, keyset-paged on id.
pub async fn stories(db: &Db, cursor: Option<&str>, lim: i64) -> StoreResult<Page<Story>> {
    let lim = limit(Some(lim));
    let after = cursor.and_then(Cursor::decode).map(|c| c.id).unwrap_or(i64::MAX);
    let rows = sqlx::query(&story_select("WHERE s.status = $1 AND s.id < $2 ORDER BY s.id DESC LIMIT $3"))
        .bind(StoryStatus::DaDang.code())
        .bind(after)
        .bind(lim + 1)
        .fetch_all(db.reader())
        .await?;
    let mut page = paginate(all::<Story>(&rows)?, lim, |s| Cursor { key: String::new(), id: s.id });
    public_links(db, &mut page.items).await?;
    Ok(page)
}

/// One story, if it is published.
pub async fn story(db: &Db, id: i64) -> StoreResult<Story> {
    let row = sqlx::query(&story_select("WHERE s.id = $1 AND s.status = $2"))
        .bind(id)
        .bind(StoryStatus::DaDang.code())
        .fetch_optional(db.reader())
        .await?
        .ok_or(StoreError::NotFound)?;
    let mut items = vec![Story::from_row(&row)?];
    public_links(db, &mut items).await?;
    Ok(items.pop().expect("one"))
}

/// Published stories about an exemplar, newest first (at most `lim`).
pub async fn stories_about(db: &Db, exemplar_id: i64, lim: i64) -> StoreResult<Vec<Named>> {
    let rows = sqlx::query(
        "SELECT s.id, s.title AS name FROM story_exemplars x JOIN stories s ON s.id = x.story_id \
         WHERE x.exemplar_id = $1 AND s.status = $2 ORDER BY s.id DESC LIMIT $3",
    )
    .bind(exemplar_id)
    .bind(StoryStatus::DaDang.code())
    .bind(lim)
    .fetch_all(db.reader())
    .await?;
    all(&rows)
}

/// An entry of the sitemap: what, which, last changed (ms).
#[derive(Debug, Clone)]
pub struct Entry {
    pub story: bool,
    pub id: i64,
    pub title: String,
    pub updated_at: i64,
}

/// A sitemap file holds at most 50,000 addresses; the newest of each kind
/// are listed up to half of that each.
pub const SITEMAP_MAX: i64 = 25_000;

/// Every public page of a record, newest first, up to [`SITEMAP_MAX`] of each kind.
pub async fn entries(db: &Db) -> StoreResult<Vec<Entry>> {
    let mut out = vec![];
    let rows = sqlx::query("SELECT id, title, updated_at FROM stories WHERE status = $1 ORDER BY id DESC LIMIT $2")
        .bind(StoryStatus::DaDang.code())
        .bind(SITEMAP_MAX)
        .fetch_all(db.reader())
        .await?;
    for r in rows {
        out.push(Entry { story: true, id: col(&r, "id")?, title: col(&r, "title")?, updated_at: col(&r, "updated_at")? });
    }
    use sea_query::{Alias, Order, Query};
    let mut q = Query::select();
    q.columns(["id", "name", "updated_at"].map(Alias::new))
        .from(Alias::new("exemplars"))
        .and_where(exemplars::public_condition(None))
        .order_by(Alias::new("id"), Order::Desc)
        .limit(SITEMAP_MAX as u64);
    let (sql, values) = crate::db::build(db.backend, &q);
    for r in sqlx::query_with(&sql, values).fetch_all(db.reader()).await? {
        out.push(Entry { story: false, id: col(&r, "id")?, title: col(&r, "name")?, updated_at: col(&r, "updated_at")? });
    }
    Ok(out)
}

/// What a public story page is made of changes only when one of these does:
/// the story's version, its unit's version, the versions of the exemplars
/// it names, and the version of the bloc (the root unit, whose name is in
/// the banner). A page cached under this stamp is current while the stamp
/// is: a request the cache answers costs this one indexed read, nothing else.
pub async fn story_stamp(db: &Db, id: i64) -> StoreResult<Option<String>> {
    stamp(
        db,
        "SELECT s.status AS st, s.version AS v, o.version AS ov, \
         (SELECT CAST(COALESCE(SUM(e.version), 0) + COUNT(*) AS BIGINT) FROM story_exemplars x JOIN exemplars e ON e.id = x.exemplar_id WHERE x.story_id = s.id) AS xv, \
         (SELECT r.version FROM orgs r WHERE r.parent_id IS NULL ORDER BY r.id LIMIT 1) AS bv \
         FROM stories s JOIN orgs o ON o.id = s.org_id WHERE s.id = $1",
        id,
    )
    .await
}

/// Likewise for a public exemplar page: the exemplar, its unit, the
/// stories about it (their number and versions) and the bloc.
pub async fn exemplar_stamp(db: &Db, id: i64) -> StoreResult<Option<String>> {
    stamp(
        db,
        "SELECT e.status AS st, e.version AS v, o.version AS ov, \
         (SELECT CAST(COALESCE(SUM(s.version), 0) + COUNT(*) AS BIGINT) FROM story_exemplars x JOIN stories s ON s.id = x.story_id WHERE x.exemplar_id = e.id) AS xv, \
         (SELECT r.version FROM orgs r WHERE r.parent_id IS NULL ORDER BY r.id LIMIT 1) AS bv \
         FROM exemplars e JOIN orgs o ON o.id = e.org_id WHERE e.id = $1",
        id,
    )
    .await
}

async fn stamp(db: &Db, sql: &str, id: i64) -> StoreResult<Option<String>> {
    let Some(r) = sqlx::query(sql).bind(id).fetch_optional(db.reader()).await? else {
        return Ok(None);
    };
    let bloc = col::<Option<i64>>(&r, "bv")?.unwrap_or(0);
    Ok(Some(format!("{}-{}-{}-{}-{bloc}", col::<String>(&r, "st")?, col::<i64>(&r, "v")?, col::<i64>(&r, "ov")?, col::<i64>(&r, "xv")?)))
}

/// The bloc's name (the root unit), shown in the portal's banner.
pub async fn bloc_name(db: &Db) -> StoreResult<Option<String>> {
    Ok(sqlx::query_scalar::<_, String>("SELECT name FROM orgs WHERE parent_id IS NULL ORDER BY id LIMIT 1").fetch_optional(db.reader()).await?)
}

/// The units a visitor may narrow the gallery to: the first level under
/// the bloc (a unit's exemplars include those of its subtree).
pub async fn units(db: &Db) -> StoreResult<Vec<Named>> {
    let rows = sqlx::query("SELECT c.id, c.name FROM orgs c JOIN orgs r ON r.id = c.parent_id WHERE r.parent_id IS NULL ORDER BY c.sort_key, c.id LIMIT 200")
        .fetch_all(db.reader())
        .await?;
    all(&rows)
}
