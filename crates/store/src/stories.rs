//! Stories for the public portal and their editorial steps, each decided by
//! `dienhinh_domain::story::check`. Publishing (now, or by the job when a
//! scheduled time comes) records a propaganda item in the same transaction.

use crate::db::{col, within_subtrees};
use crate::exemplars::Named;
use crate::page::{limit, Listing, Page, Position, SortKey};
use dienhinh_domain::order::StoryOrder;
use crate::row::{all, FromRow};
use crate::search::SearchDoc;
use crate::write::Write;
use crate::{now_ms, vals, Actor, Db, Found, StoreError, StoreResult};
use dienhinh_domain::story::{self, Checklist, StepContext, StoryInput, StoryStatus, StoryStep};
use dienhinh_domain::{clock, exemplar, Assignment, AuditAction, OrgPath, RecordKind};
use serde::Serialize;
use sqlx::AnyConnection;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Story {
    pub id: i64,
    pub org_id: i64,
    pub org_name: String,
    #[schema(value_type = String)]
    pub org_path: OrgPath,
    pub title: String,
    pub summary: String,
    /// Markdown as written (rendered through `story::render`).
    pub body: String,
    /// nhap, cho_duyet, tra_lai, hen_dang, da_dang, da_go
    #[schema(value_type = String)]
    pub status: StoryStatus,
    pub facts_match: bool,
    pub no_exaggeration: bool,
    pub consent: bool,
    pub images_allowed: bool,
    /// The editor's comments when returned.
    pub review_note: String,
    pub unpublish_reason: String,
    /// When a scheduled story is to be published (ms).
    pub publish_at: Option<i64>,
    pub published_at: Option<i64>,
    pub exemplars: Vec<Named>,
    pub created_at: i64,
    pub updated_at: i64,
    pub version: i64,
}

crate::from_row!(Story {
    id, org_id, org_name, org_path, title, summary, body, status, facts_match, no_exaggeration, consent, images_allowed,
    review_note, unpublish_reason, publish_at, published_at, created_at, updated_at, version
}; exemplars = vec![]);
crate::row::coded_cols!(StoryStatus);

impl Story {
    pub fn html(&self) -> String {
        story::render(&self.body)
    }
    pub fn checklist(&self) -> Checklist {
        Checklist { facts_match: self.facts_match, no_exaggeration: self.no_exaggeration, consent: self.consent, images_allowed: self.images_allowed }
    }
    pub fn publish_at_vn(&self) -> String {
        self.publish_at.map(clock::datetime_vn).unwrap_or_default()
    }
    pub fn published_at_vn(&self) -> String {
        self.published_at.map(clock::datetime_vn).unwrap_or_default()
    }
}

crate::stored!(Story: Story at org_path, summary r => r.title.clone(), load fetch, search search_doc);

/// Found by those who may see the unit; public once published.
pub(crate) fn search_doc(s: &Story) -> SearchDoc {
    SearchDoc {
        body: format!("{}\n{}", s.summary, s.body),
        hidden_words: String::new(),
        year: s.published_at.and_then(clock::year_of_ms),
        public: s.status.public(),
        ..SearchDoc::new(RecordKind::Story, s.id, s.org_path.as_str(), &s.title)
    }
}

fn select() -> String {
    let cols: Vec<String> = Story::COLUMNS.iter().map(|c| if *c == "org_name" { "o.name AS org_name".to_string() } else { format!("s.{c}") }).collect();
    format!("SELECT {} FROM stories s JOIN orgs o ON o.id = s.org_id", cols.join(", "))
}

async fn load_exemplars(conn: &mut AnyConnection, items: &mut [Story]) -> StoreResult<()> {
    if items.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "SELECT x.story_id, e.id, e.name FROM story_exemplars x JOIN exemplars e ON e.id = x.exemplar_id WHERE x.story_id IN ({}) ORDER BY e.id",
        crate::db::placeholders(items.len())
    );
    let mut q = sqlx::query(&sql);
    for s in items.iter() {
        q = q.bind(s.id);
    }
    let at: std::collections::HashMap<i64, usize> = items.iter().enumerate().map(|(i, s)| (s.id, i)).collect();
    for r in q.fetch_all(&mut *conn).await? {
        if let Some(&i) = at.get(&col::<i64>(&r, "story_id")?) {
            items[i].exemplars.push(Named::from_row(&r)?);
        }
    }
    Ok(())
}

pub(crate) async fn fetch(conn: &mut AnyConnection, id: i64) -> StoreResult<Story> {
    let row = sqlx::query(&format!("{} WHERE s.id = $1", select())).bind(id).fetch_optional(&mut *conn).await?.ok_or(StoreError::NotFound)?;
    let mut items = vec![Story::from_row(&row)?];
    load_exemplars(conn, &mut items).await?;
    Ok(items.pop().expect("one"))
}

pub async fn get(db: &Db, id: i64) -> StoreResult<Story> {
    fetch(&mut *db.reader().acquire().await?, id).await
}

pub(crate) async fn batch_after(conn: &mut AnyConnection, after_id: i64, limit: i64) -> StoreResult<Vec<Story>> {
    let rows = sqlx::query(&format!("{} WHERE s.id > $1 ORDER BY s.id LIMIT $2", select())).bind(after_id).bind(limit).fetch_all(&mut *conn).await?;
    let mut items: Vec<Story> = all(&rows)?;
    load_exemplars(conn, &mut items).await?;
    Ok(items)
}

/// Every exemplar id must exist (unseen ones arrive as `access::UNSEEN`).
async fn link_exemplars(w: &mut Write<'_>, id: i64, ids: &[i64]) -> StoreResult<()> {
    sqlx::query("DELETE FROM story_exemplars WHERE story_id = $1").bind(id).execute(w.conn()).await?;
    for e in ids {
        w.insert_plain("story_exemplars", vals![("story_id", id), ("exemplar_id", *e)]).await?;
    }
    Ok(())
}

/// A new draft, in `w`.
pub async fn create_in(w: &mut Write<'_>, i: &StoryInput) -> StoreResult<Story> {
    let v = i.validate()?;
    let org = crate::orgs::fetch(w.conn(), v.org_id).await.not_found_as("org_id", "Không tìm thấy đơn vị.")?;
    crate::exemplars::all_exist(w, &v.exemplar_ids).await?;
    let now = now_ms();
    let id = w
        .insert(
            "stories",
            vals![
                ("org_id", org.id),
                ("org_path", org.path.as_str()),
                ("title", v.title.as_str()),
                ("summary", v.summary.as_str()),
                ("body", v.body.as_str()),
                ("status", StoryStatus::Nhap.code()),
                ("created_at", now),
                ("updated_at", now),
            ],
        )
        .await?;
    link_exemplars(w, id, &v.exemplar_ids).await?;
    let s: Story = w.load(id).await?;
    w.created(&s).await?;
    Ok(s)
}

pub async fn create(db: &Db, actor: &Actor, i: StoryInput) -> StoreResult<Story> {
    let mut w = db.write(actor).await?;
    let s = create_in(&mut w, &i).await?;
    w.commit().await?;
    Ok(s)
}

/// The writer's edit of a draft (or a returned or unpublished story); the
/// unit stays. A stale version is a conflict.
pub async fn update(db: &Db, actor: &Actor, id: i64, version: i64, i: StoryInput) -> StoreResult<Story> {
    let v = i.validate()?;
    let mut w = db.write(actor).await?;
    let before: Story = w.load(id).await?;
    if !before.status.editable() {
        return Err(StoreError::invalid("status", "not_editable", format!("Bài đang «{}», không sửa được nội dung.", before.status.label())));
    }
    crate::exemplars::all_exist(&mut w, &v.exemplar_ids).await?;
    w.update_versioned::<Story>(id, version, vals![("title", v.title.as_str()), ("summary", v.summary.as_str()), ("body", v.body.as_str())]).await?;
    link_exemplars(&mut w, id, &v.exemplar_ids).await?;
    let after: Story = w.load(id).await?;
    w.changed(AuditAction::Update, Some(&before), &after, &after.title.clone()).await?;
    w.commit().await?;
    Ok(after)
}

/// What a step asks for, beyond the step itself.
#[derive(Debug, Clone, Default)]
pub struct StepRequest {
    pub version: i64,
    pub checklist: Checklist,
    pub note: String,
    pub publish_at: Option<i64>,
}

/// The exemplars of a story, each with whether it may be shown publicly.
async fn exemplars_publishable(conn: &mut AnyConnection, story_id: i64) -> StoreResult<Vec<(String, bool)>> {
    let rows = sqlx::query("SELECT e.name, e.status, e.consent_publish FROM story_exemplars x JOIN exemplars e ON e.id = x.exemplar_id WHERE x.story_id = $1 ORDER BY e.id")
        .bind(story_id)
        .fetch_all(conn)
        .await?;
    rows.iter()
        .map(|r| {
            let status: exemplar::Status = crate::row::code(r, "status")?;
            Ok((col(r, "name")?, exemplar::publishable(status, col::<i64>(r, "consent_publish")? != 0)))
        })
        .collect()
}

/// Takes an editorial step, in `w`, as someone holding `who`.
pub async fn step_in(w: &mut Write<'_>, who: &[Assignment], id: i64, step: StoryStep, r: &StepRequest) -> StoreResult<Story> {
    let before: Story = w.load(id).await?;
    if before.version != r.version {
        // Someone acted on the story meanwhile: say so, rather than judge the step on a state the caller has not seen.
        return Err(StoreError::Conflict { current: serde_json::to_value(&before).unwrap_or_default() });
    }
    let now = now_ms();
    let cx = StepContext { checklist: r.checklist, note: r.note.clone(), publish_at: r.publish_at, now, exemplars: exemplars_publishable(w.conn(), id).await? };
    let to = story::check(step, before.status, who, &before.org_path, &cx)?;
    let note = dienhinh_text::normalize(&r.note);
    let mut values = vals![("status", to.code())];
    match step {
        StoryStep::GuiDuyet => {}
        StoryStep::TraLai => values.extend(vals![("review_note", note.as_str()), ("publish_at", None::<i64>)]),
        StoryStep::Dang | StoryStep::HenDang => {
            let c = r.checklist;
            values.extend(vals![
                ("facts_match", c.facts_match as i64),
                ("no_exaggeration", c.no_exaggeration as i64),
                ("consent", c.consent as i64),
                ("images_allowed", c.images_allowed as i64),
                ("review_note", note.as_str()),
            ]);
            if step == StoryStep::HenDang {
                values.extend(vals![("publish_at", r.publish_at)]);
            } else {
                values.extend(vals![("published_at", now), ("publish_at", None::<i64>), ("unpublish_reason", "")]);
            }
        }
        StoryStep::Go => values.extend(vals![("unpublish_reason", note.as_str())]),
    }
    w.update_versioned::<Story>(id, r.version, values).await?;
    if to == StoryStatus::DaDang {
        record_propaganda(w, &before).await?;
    }
    // The story's images are public exactly while it is published (the
    // editor ticked "images allowed" to publish it).
    if to.public() != before.status.public() {
        crate::files::set_public_in(w, RecordKind::Story, id, to.public()).await?;
    }
    let after: Story = w.load(id).await?;
    w.changed(AuditAction::Transition, Some(&before), &after, &format!("{}: {}", step.label(), after.title)).await?;
    Ok(after)
}

pub async fn step(db: &Db, actor: &Actor, who: &[Assignment], id: i64, step: StoryStep, r: &StepRequest) -> StoreResult<Story> {
    let mut w = db.write(actor).await?;
    let s = step_in(&mut w, who, id, step, r).await?;
    w.commit().await?;
    Ok(s)
}

/// Publishing on the portal is a propaganda item of the story's unit.
async fn record_propaganda(w: &mut Write<'_>, s: &Story) -> StoreResult<()> {
    let input = crate::propaganda::PropagandaInput {
        org_id: s.org_id,
        item_type: dienhinh_domain::propaganda::ItemType::BaiViet.code().into(),
        channel: dienhinh_domain::propaganda::Channel::CongThongTin.code().into(),
        title: s.title.clone(),
        link: String::new(),
        published_on: clock::today_iso(),
        exemplar_ids: s.exemplars.iter().map(|e| e.id).collect(),
    };
    crate::propaganda::create_in(w, &input).await?;
    Ok(())
}

/// Publishes every scheduled story due by `now` (the job `publish_stories`,
/// claimed once across servers): each in its own transaction, through the
/// same rule as an editor's "publish now", acting for the bloc. A story
/// that may no longer be published (an exemplar withdrew consent) is
/// returned to its writer with the reason.
pub async fn publish_due(db: &Db, now: i64) -> StoreResult<u64> {
    let due: Vec<(i64, i64, String)> = sqlx::query("SELECT id, version, org_path FROM stories WHERE status = $1 AND publish_at <= $2 ORDER BY publish_at, id LIMIT 200")
        .bind(StoryStatus::HenDang.code())
        .bind(now)
        .fetch_all(db.reader())
        .await?
        .iter()
        .map(|r| Ok((col(r, "id")?, col(r, "version")?, col(r, "org_path")?)))
        .collect::<StoreResult<_>>()?;
    let actor = Actor::system("đăng bài theo lịch");
    let mut n = 0;
    for (id, version, path) in due {
        // The schedule was decided by an editor of the node: the job acts with that authority.
        let who = [Assignment { role: dienhinh_domain::Role::BanTuyenGiao, org_id: 0, org_path: OrgPath(path) }];
        let s = get(db, id).await?;
        let req = StepRequest { version, checklist: s.checklist(), note: s.review_note.clone(), publish_at: None };
        let mut w = db.write(&actor).await?;
        match step_in(&mut w, &who, id, StoryStep::Dang, &req).await {
            Ok(_) => {
                w.commit().await?;
                n += 1;
            }
            Err(StoreError::Invalid(why)) => {
                drop(w);
                let note = format!("Không đăng được theo lịch: {}", why.0.iter().map(|f| f.message.as_str()).collect::<Vec<_>>().join(" "));
                let req = StepRequest { version, note, ..Default::default() };
                step(db, &actor, &who, id, StoryStep::TraLai, &req).await?;
            }
            Err(StoreError::Conflict { .. }) => {} // changed meanwhile: the next run sees it as it is
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// Stories inside the subtrees, newest first, keyset-paged on id, uncounted.
pub async fn list(db: &Db, within: &[OrgPath], status: Option<StoryStatus>, cursor: Option<&str>, lim: Option<i64>) -> StoreResult<Page<Story>> {
    Ok(listing(db, within, status, StoryOrder::Newest, Position::after(cursor, limit(lim))).await?.page())
}

/// A page of the stories inside the subtrees (of one status if given) in
/// `order` at `at`.
pub async fn listing(db: &Db, within: &[OrgPath], status: Option<StoryStatus>, order: StoryOrder, at: Position<'_>) -> StoreResult<Listing<Story>> {
    use sea_query::{Alias, Expr, Query};
    if within.is_empty() {
        return Ok(Listing::empty());
    }
    let mut q = Query::select();
    q.from(Alias::new("stories")).cond_where(within_subtrees("org_path", &crate::orgs::as_queried(db, within).await?));
    if let Some(s) = status {
        q.and_where(Expr::col(Alias::new("status")).eq(s.code()));
    }
    let columns = |q: &mut sea_query::SelectStatement| {
        q.columns(Story::COLUMNS.iter().copied().filter(|c| *c != "org_name").map(Alias::new))
            .expr_as(Expr::cust("(SELECT name FROM orgs WHERE orgs.id = stories.org_id)"), Alias::new("org_name"));
    };
    let sort = match order {
        StoryOrder::Newest => SortKey::id(true),
        StoryOrder::Status => SortKey::rank::<StoryStatus>("status"),
    };
    let mut page = crate::page::listing(db, crate::page::Rows::of("stories", q), columns, sort, at, Story::from_row).await?;
    load_exemplars(&mut *db.reader().acquire().await?, &mut page.items).await?;
    Ok(page)
}
