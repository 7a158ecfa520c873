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
    vec![OrgPath::whole_tree()]
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

/// A stamp of what a cached public page is made of: every row of `parts`
/// (each `(k, a, b)`: which part, then two numbers, typically an id and a
/// version), hashed. A page kept under a stamp is current while the stamp
/// is: a request the cache answers costs this one read, nothing else.
/// Written as one `UNION ALL` folded into one ordered string by the
/// database (`string_agg … ORDER BY`, on both: SQLite from 3.44), so that
/// it is one round trip answering one row: the SQLite driver hands every
/// row over between threads, and four rows made a cached page cost twice
/// what one did. `None` when no part has a row.
async fn stamp(db: &Db, parts: &[String], id: Option<i64>) -> StoreResult<Option<String>> {
    let sql = format!(
        "SELECT string_agg(CAST(u.k AS TEXT) || ':' || CAST(u.a AS TEXT) || ':' || CAST(u.b AS TEXT), ';' ORDER BY u.k, u.a, u.b) AS s FROM ({}) u",
        parts.join(" UNION ALL ")
    );
    let mut q = sqlx::query_scalar::<_, Option<String>>(&sql);
    if let Some(id) = id {
        q = q.bind(id);
    }
    Ok(q.fetch_one(db.reader()).await?)
}

fn digest(rows: &str) -> String {
    use sha2::Digest;
    hex::encode(&sha2::Sha256::digest(rows.as_bytes())[..16])
}

/// A part of a stamp: `k` literal, `a` and `b` as BIGINT on both backends.
fn part(k: i64, a: &str, b: &str, rest: &str) -> String {
    format!("SELECT CAST({k} AS BIGINT) AS k, CAST({a} AS BIGINT) AS a, CAST({b} AS BIGINT) AS b {rest}")
}

/// The bloc (the root unit, whose name is in every page's banner): its
/// version. Found as `bloc_name` finds it (walking ids from the first:
/// `MIN(id) … WHERE parent_id IS NULL` read every unit on SQLite).
fn bloc_part() -> String {
    part(9, "r.id", "r.version", "FROM orgs r WHERE r.id = (SELECT id FROM orgs WHERE parent_id IS NULL ORDER BY id LIMIT 1)")
}

/// The images a story shows are its own attachments marked public (the
/// Markdown names them; the flag decides): each with its flag.
fn images_part(stories: &str) -> String {
    part(2, "a.id", "a.public", &format!("FROM attachments a WHERE a.record_kind = '{}' AND a.record_id IN ({stories})", dienhinh_domain::RecordKind::Story.code()))
}

/// What a public record page is made of: the record's version (which every
/// edit and every step moves: status, consent, text), its unit's version,
/// the id and version of every record it names through `link` (a story's
/// exemplars, an exemplar's stories: which are public and their names), the
/// `extra` parts (which name the record's id as `{record}`, a subquery),
/// and the bloc. `None` when the record does not exist.
async fn record_stamp(db: &Db, id: i64, table: &str, link: (&str, &str, &str, &str), extra: &[String]) -> StoreResult<Option<String>> {
    let (link_table, own, other, other_table) = link;
    // The parameter is compared with a primary key only: SQLite (built
    // with STAT4, and analysed) prepares a statement again at every new
    // binding of a parameter compared with an indexed column, and that
    // parse and plan was most of a cached page's cost.
    let record = format!("SELECT r1.id FROM {table} r1 WHERE r1.id = $1");
    let extra: Vec<String> = extra.iter().map(|e| e.replace("{record}", &record)).collect();
    let mut parts = vec![
        part(0, "r.version", "o.version", &format!("FROM {table} r JOIN orgs o ON o.id = r.org_id WHERE r.id = $1")),
        part(1, "t.id", "t.version", &format!("FROM {link_table} x JOIN {other_table} t ON t.id = x.{other} WHERE x.{own} = ({record})")),
        bloc_part(),
    ];
    parts.extend(extra);
    // Part 0 (the record) sorts first: without it the record does not exist.
    Ok(stamp(db, &parts, Some(id)).await?.filter(|rows| rows.starts_with("0:")).map(|rows| digest(&rows)))
}

/// The stamp of a public story page: the story, its unit, the exemplars it
/// names, its images and their public flags, the bloc.
pub async fn story_stamp(db: &Db, id: i64) -> StoreResult<Option<String>> {
    record_stamp(db, id, "stories", ("story_exemplars", "story_id", "exemplar_id", "exemplars"), &[images_part("{record}")]).await
}

/// The stamp of a public exemplar page: the exemplar, its unit, the
/// stories about it, the bloc. (Its fields and movements are catalogue
/// names, never renamed; which it has is the exemplar's own version.)
pub async fn exemplar_stamp(db: &Db, id: i64) -> StoreResult<Option<String>> {
    record_stamp(db, id, "exemplars", ("story_exemplars", "exemplar_id", "story_id", "stories"), &[]).await
}

/// Stories in the feed.
pub const FEED_SIZE: i64 = 30;

/// The stamp of the Atom feed: which stories are the newest published and
/// their versions, their units' versions, their images' public flags, the
/// bloc's version.
pub async fn feed_stamp(db: &Db) -> StoreResult<String> {
    let newest = format!("SELECT f.id FROM (SELECT id FROM stories WHERE status = {} ORDER BY id DESC LIMIT {FEED_SIZE}) f", published());
    let parts = [
        part(0, "s.id", "s.version", &format!("FROM stories s WHERE s.id IN ({newest})")),
        part(1, "o.id", "o.version", &format!("FROM orgs o WHERE o.id IN (SELECT s.org_id FROM stories s WHERE s.id IN ({newest}))")),
        images_part(&newest),
        bloc_part(),
    ];
    Ok(digest(&stamp(db, &parts, None).await?.unwrap_or_default()))
}

/// `status = 'da_dang'` as a literal, like `exemplars::public_condition`.
fn published() -> String {
    format!("'{}'", StoryStatus::DaDang.code())
}

/// The stamp of the sitemap: the newest entry of the audit log. Every write
/// of every record goes through the one write path, which appends an entry
/// in the same transaction, so a sitemap kept under this stamp is never
/// stale; it is read by primary key. The stamp it replaces counted the
/// public records (200,000 exemplars at national scale: 150 ms of CPU on
/// every request, cached or not). A write of anything (a sign-in too)
/// makes the next request rebuild it, once (`PageCache`): search engines
/// ask for it seldom, and it costs what one build costs.
pub async fn sitemap_stamp(db: &Db) -> StoreResult<String> {
    let newest: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM audit_log").fetch_one(db.reader()).await?;
    Ok(format!("audit-{newest}"))
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
