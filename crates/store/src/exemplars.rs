//! Exemplars (điển hình): the records, their filters, and the steps of
//! their life, each step checked by `dienhinh_domain::exemplar::check`.

use crate::audit;
use crate::db::{build, col, within_subtrees, Tx};
use crate::page::{limit, paginate, Cursor, Page};
use crate::{now_ms, Actor, Db, StoreError, StoreResult};
use dienhinh_domain::exemplar::{self, ExemplarKind, Level, Stage, Status, Step};
use dienhinh_domain::{Assignment, Invalid, OrgPath};
use dienhinh_text as text;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Named {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Exemplar {
    pub id: i64,
    pub org_id: i64,
    pub org_path: String,
    /// `ca_nhan` (individual) or `tap_the` (collective).
    pub kind: String,
    pub name: String,
    /// Position (chức vụ) of an individual.
    pub position: String,
    /// Unit (đơn vị) the exemplar works in.
    pub unit_name: String,
    /// Size of a collective.
    pub member_count: Option<i64>,
    pub achievements: String,
    /// The model, good practice or initiative (mô hình, cách làm hay, sáng kiến).
    pub model: String,
    pub year_found: i64,
    /// phat_hien, boi_duong, cong_nhan, nhan_rong, dung
    pub status: String,
    /// co_so, khoi, tinh, toan_quoc
    pub level: String,
    pub consent_publish: bool,
    pub fields: Vec<Named>,
    pub movements: Vec<Named>,
    pub created_at: i64,
    pub updated_at: i64,
    pub version: i64,
}

impl Exemplar {
    pub fn path(&self) -> OrgPath {
        OrgPath(self.org_path.clone())
    }
    pub fn stage(&self) -> Stage {
        Stage {
            status: Status::from_code(&self.status).unwrap_or(Status::PhatHien),
            level: Level::from_code(&self.level).unwrap_or(Level::CoSo),
        }
    }
    pub fn kind_label(&self) -> &'static str {
        ExemplarKind::from_code(&self.kind).map(|k| k.label()).unwrap_or("")
    }
    pub fn status_label(&self) -> &'static str {
        self.stage().status.label()
    }
    pub fn level_label(&self) -> &'static str {
        self.stage().level.label()
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct ExemplarInput {
    pub org_id: i64,
    pub kind: String,
    pub name: String,
    #[serde(default)]
    pub position: String,
    #[serde(default)]
    pub unit_name: String,
    #[serde(default)]
    pub member_count: Option<i64>,
    #[serde(default)]
    pub achievements: String,
    #[serde(default)]
    pub model: String,
    pub year_found: i64,
    #[serde(default)]
    pub consent_publish: bool,
    #[serde(default)]
    pub field_ids: Vec<i64>,
    #[serde(default)]
    pub movement_ids: Vec<i64>,
}

pub const MIN_YEAR: i64 = 1945;

pub fn current_year() -> i64 {
    1970 + now_ms() / 1000 / 31_556_952
}

impl ExemplarInput {
    fn clean(&mut self) -> Result<(), Invalid> {
        self.name = text::normalize_line(&self.name);
        self.position = text::normalize_line(&self.position);
        self.unit_name = text::normalize_line(&self.unit_name);
        self.achievements = text::normalize(&self.achievements);
        self.model = text::normalize(&self.model);
        self.field_ids.sort_unstable();
        self.field_ids.dedup();
        self.movement_ids.sort_unstable();
        self.movement_ids.dedup();
        let mut inv = Invalid::new();
        if ExemplarKind::from_code(&self.kind).is_none() {
            inv.add("kind", "invalid", "Vui lòng chọn điển hình là cá nhân hay tập thể.");
        }
        let label = if self.kind == "tap_the" { "tên tập thể" } else { "họ và tên" };
        inv.required("name", label, &self.name, 300);
        inv.max_len("position", "Chức vụ", &self.position, 300);
        inv.max_len("unit_name", "Đơn vị", &self.unit_name, 300);
        inv.max_len("achievements", "Thành tích", &self.achievements, 20_000);
        inv.max_len("model", "Mô hình, cách làm hay", &self.model, 20_000);
        if !(MIN_YEAR..=current_year() + 1).contains(&self.year_found) {
            inv.add("year_found", "out_of_range", format!("Năm phát hiện phải từ {MIN_YEAR} đến {}.", current_year() + 1));
        }
        if let Some(n) = self.member_count {
            if !(1..=1_000_000).contains(&n) {
                inv.add("member_count", "out_of_range", "Số thành viên của tập thể phải từ 1 đến 1.000.000.");
            }
        }
        if self.field_ids.len() > 20 || self.movement_ids.len() > 20 {
            inv.add("field_ids", "too_many", "Chọn tối đa 20 lĩnh vực và 20 phong trào.");
        }
        inv.into_result()
    }
}

const COLUMNS: &str = "id, org_id, org_path, kind, name, position, unit_name, member_count, achievements, model, year_found, \
    status, level, consent_publish, created_at, updated_at, version";

fn from_row(r: &AnyRow) -> StoreResult<Exemplar> {
    Ok(Exemplar {
        id: col(r, "id")?,
        org_id: col(r, "org_id")?,
        org_path: col(r, "org_path")?,
        kind: col(r, "kind")?,
        name: col(r, "name")?,
        position: col(r, "position")?,
        unit_name: col(r, "unit_name")?,
        member_count: col(r, "member_count")?,
        achievements: col(r, "achievements")?,
        model: col(r, "model")?,
        year_found: col(r, "year_found")?,
        status: col(r, "status")?,
        level: col(r, "level")?,
        consent_publish: col::<i64>(r, "consent_publish")? != 0,
        fields: vec![],
        movements: vec![],
        created_at: col(r, "created_at")?,
        updated_at: col(r, "updated_at")?,
        version: col(r, "version")?,
    })
}

/// The exemplar's entry in the search index. Public (for the portal) only
/// with consent and once recognised.
pub(crate) fn search_doc(e: &Exemplar) -> crate::search::SearchDoc {
    let recognised = matches!(e.stage().status, Status::CongNhan | Status::NhanRong);
    crate::search::SearchDoc {
        kind: "exemplar".into(),
        record_id: e.id,
        link_id: None,
        org_path: e.org_path.clone(),
        title: e.name.clone(),
        body: [e.position.as_str(), e.unit_name.as_str(), e.achievements.as_str(), e.model.as_str()].join("\n"),
        year: Some(e.year_found),
        field: e.fields.first().map(|f| f.id.to_string()),
        public: e.consent_publish && recognised,
    }
}

fn json(e: &Exemplar) -> serde_json::Value {
    serde_json::to_value(e).unwrap_or_default()
}

async fn load_links(exec: &mut sqlx::AnyConnection, e: &mut Exemplar) -> StoreResult<()> {
    load_links_many(exec, std::slice::from_mut(e)).await
}

/// Fields and movements of a page of exemplars: two queries for the page,
/// not two per row.
async fn load_links_many(exec: &mut sqlx::AnyConnection, items: &mut [Exemplar]) -> StoreResult<()> {
    if items.is_empty() {
        return Ok(());
    }
    let marks = crate::db::placeholders(items.len());
    let at: std::collections::HashMap<i64, usize> = items.iter().enumerate().map(|(i, e)| (e.id, i)).collect();
    for (sql, movements) in [
        ("SELECT x.exemplar_id, f.id, f.name FROM exemplar_fields x JOIN fields f ON f.id = x.field_id WHERE x.exemplar_id IN ({}) ORDER BY f.position, f.id", false),
        ("SELECT x.exemplar_id, m.id, m.name FROM exemplar_movements x JOIN movements m ON m.id = x.movement_id WHERE x.exemplar_id IN ({}) ORDER BY m.id", true),
    ] {
        let sql = sql.replace("{}", &marks);
        let mut q = sqlx::query(&sql);
        for e in items.iter() {
            q = q.bind(e.id);
        }
        for r in q.fetch_all(&mut *exec).await? {
            let Some(&i) = at.get(&col::<i64>(&r, "exemplar_id")?) else { continue };
            let n = Named { id: col(&r, "id")?, name: col(&r, "name")? };
            if movements {
                items[i].movements.push(n);
            } else {
                items[i].fields.push(n);
            }
        }
    }
    Ok(())
}

/// Up to `limit` exemplars with ids above `after_id`, in id order, with
/// their links (for rebuilding the search index batch by batch).
pub(crate) async fn batch_after(exec: &mut sqlx::AnyConnection, after_id: i64, limit: i64) -> StoreResult<Vec<Exemplar>> {
    let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM exemplars WHERE id > $1 ORDER BY id LIMIT $2"))
        .bind(after_id)
        .bind(limit)
        .fetch_all(&mut *exec)
        .await?;
    let mut items = rows.iter().map(from_row).collect::<StoreResult<Vec<_>>>()?;
    load_links_many(exec, &mut items).await?;
    Ok(items)
}

pub(crate) async fn fetch(exec: &mut sqlx::AnyConnection, id: i64) -> StoreResult<Exemplar> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM exemplars WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *exec)
        .await?
        .ok_or(StoreError::NotFound)?;
    let mut e = from_row(&row)?;
    load_links(exec, &mut e).await?;
    Ok(e)
}

pub async fn get(db: &Db, id: i64) -> StoreResult<Exemplar> {
    let mut conn = db.reader().acquire().await?;
    fetch(&mut conn, id).await
}

/// Existing exemplars of the same unit whose name matches, ignoring
/// diacritics, case and tone placement.
pub async fn possible_duplicates(db: &Db, org_id: i64, name: &str, except: Option<i64>) -> StoreResult<Vec<Named>> {
    let rows = sqlx::query("SELECT id, name FROM exemplars WHERE org_id = $1 AND name_key = $2 AND id <> $3 ORDER BY id")
        .bind(org_id)
        .bind(text::fold(name))
        .bind(except.unwrap_or(-1))
        .fetch_all(db.reader())
        .await?;
    rows.iter().map(|r| Ok(Named { id: col(r, "id")?, name: col(r, "name")? })).collect()
}

async fn check_links(tx: &mut Tx, input: &ExemplarInput) -> StoreResult<()> {
    for (table, ids, field, msg) in [
        ("fields", &input.field_ids, "field_ids", "Lĩnh vực không tồn tại."),
        ("movements", &input.movement_ids, "movement_ids", "Phong trào không tồn tại."),
    ] {
        for id in ids {
            let found = sqlx::query(&format!("SELECT id FROM {table} WHERE id = $1")).bind(*id).fetch_optional(&mut **tx).await?;
            if found.is_none() {
                return Err(StoreError::invalid(field, "not_found", msg));
            }
        }
    }
    Ok(())
}

async fn write_links(tx: &mut Tx, id: i64, input: &ExemplarInput) -> StoreResult<()> {
    sqlx::query("DELETE FROM exemplar_fields WHERE exemplar_id = $1").bind(id).execute(&mut **tx).await?;
    sqlx::query("DELETE FROM exemplar_movements WHERE exemplar_id = $1").bind(id).execute(&mut **tx).await?;
    for f in &input.field_ids {
        sqlx::query("INSERT INTO exemplar_fields (exemplar_id, field_id) VALUES ($1, $2)").bind(id).bind(*f).execute(&mut **tx).await?;
    }
    for m in &input.movement_ids {
        sqlx::query("INSERT INTO exemplar_movements (exemplar_id, movement_id) VALUES ($1, $2)").bind(id).bind(*m).execute(&mut **tx).await?;
    }
    Ok(())
}

pub async fn create(db: &Db, actor: &Actor, mut input: ExemplarInput) -> StoreResult<Exemplar> {
    input.clean()?;
    let org = crate::orgs::get(db, input.org_id)
        .await
        .map_err(|_| StoreError::invalid("org_id", "not_found", "Không tìm thấy đơn vị."))?;
    let now = now_ms();
    let mut tx = db.begin().await?;
    check_links(&mut tx, &input).await?;
    let id: i64 = col(
        &sqlx::query(
            "INSERT INTO exemplars (org_id, org_path, kind, name, name_key, sort_key, position, unit_name, member_count, achievements, model, \
             year_found, status, level, consent_publish, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17) RETURNING id",
        )
        .bind(org.id)
        .bind(&org.path)
        .bind(&input.kind)
        .bind(&input.name)
        .bind(text::fold(&input.name))
        .bind(text::sort_key(&input.name))
        .bind(&input.position)
        .bind(&input.unit_name)
        .bind(input.member_count)
        .bind(&input.achievements)
        .bind(&input.model)
        .bind(input.year_found)
        .bind(Status::PhatHien.code())
        .bind(Level::CoSo.code())
        .bind(input.consent_publish as i64)
        .bind(actor.user_id)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?,
        "id",
    )?;
    write_links(&mut tx, id, &input).await?;
    let e = fetch(&mut tx, id).await?;
    crate::search::index(&mut tx, &search_doc(&e)).await?;
    audit::record(&mut tx, actor, "create", "exemplar", Some(id), Some(&e.org_path), &e.name, None, Some(&json(&e))).await?;
    tx.commit().await?;
    Ok(e)
}

/// Edits the record (not its stage); refused with a conflict on a stale version.
pub async fn update(db: &Db, actor: &Actor, id: i64, version: i64, mut input: ExemplarInput) -> StoreResult<Exemplar> {
    input.clean()?;
    let mut tx = db.begin().await?;
    let before = fetch(&mut tx, id).await?;
    check_links(&mut tx, &input).await?;
    let done = sqlx::query(
        "UPDATE exemplars SET kind = $1, name = $2, name_key = $3, sort_key = $4, position = $5, unit_name = $6, member_count = $7, \
         achievements = $8, model = $9, year_found = $10, consent_publish = $11, updated_at = $12, version = version + 1 \
         WHERE id = $13 AND version = $14",
    )
    .bind(&input.kind)
    .bind(&input.name)
    .bind(text::fold(&input.name))
    .bind(text::sort_key(&input.name))
    .bind(&input.position)
    .bind(&input.unit_name)
    .bind(input.member_count)
    .bind(&input.achievements)
    .bind(&input.model)
    .bind(input.year_found)
    .bind(input.consent_publish as i64)
    .bind(now_ms())
    .bind(id)
    .bind(version)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict { current: json(&before) });
    }
    write_links(&mut tx, id, &input).await?;
    let after = fetch(&mut tx, id).await?;
    crate::search::index(&mut tx, &search_doc(&after)).await?;
    audit::record(&mut tx, actor, "update", "exemplar", Some(id), Some(&after.org_path), &after.name, Some(&json(&before)), Some(&json(&after)))
        .await?;
    tx.commit().await?;
    Ok(after)
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StepRecord {
    pub id: i64,
    pub step: String,
    pub from_status: String,
    pub to_status: String,
    pub from_level: String,
    pub to_level: String,
    pub reason: String,
    pub actor: String,
    pub at: i64,
}

/// Takes a step of the exemplar's life. Refused (as `Invalid` with the
/// domain's reason) when illegal or not the caller's to take, and with a
/// conflict when someone else changed the exemplar since `version`.
pub async fn take_step(
    db: &Db,
    actor: &Actor,
    who: &[Assignment],
    id: i64,
    version: i64,
    step: Step,
    reason: &str,
) -> StoreResult<Exemplar> {
    let reason = text::normalize(reason);
    let mut tx = db.begin().await?;
    let before = fetch(&mut tx, id).await?;
    if before.version != version {
        return Err(StoreError::Conflict { current: json(&before) });
    }
    let from = before.stage();
    let to = exemplar::check(step, from, who, &before.path(), &reason)
        .map_err(|r| StoreError::invalid("step", r.code, r.message))?;
    if reason.chars().count() > 5000 {
        return Err(StoreError::invalid("reason", "too_long", "Lý do dài quá 5000 ký tự."));
    }
    let done = sqlx::query("UPDATE exemplars SET status = $1, level = $2, updated_at = $3, version = version + 1 WHERE id = $4 AND version = $5")
        .bind(to.status.code())
        .bind(to.level.code())
        .bind(now_ms())
        .bind(id)
        .bind(version)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict { current: json(&before) });
    }
    sqlx::query(
        "INSERT INTO exemplar_steps (exemplar_id, step, from_status, to_status, from_level, to_level, reason, actor_id, actor, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(id)
    .bind(step.code())
    .bind(from.status.code())
    .bind(to.status.code())
    .bind(from.level.code())
    .bind(to.level.code())
    .bind(&reason)
    .bind(actor.user_id)
    .bind(&actor.name)
    .bind(now_ms())
    .execute(&mut *tx)
    .await?;
    let after = fetch(&mut tx, id).await?;
    crate::search::index(&mut tx, &search_doc(&after)).await?;
    audit::record(&mut tx, actor, "transition", "exemplar", Some(id), Some(&after.org_path), &format!("{}: {}", step.label(), after.name), Some(&json(&before)), Some(&json(&after)))
        .await?;
    tx.commit().await?;
    Ok(after)
}

pub async fn steps(db: &Db, id: i64) -> StoreResult<Vec<StepRecord>> {
    let rows = sqlx::query("SELECT id, step, from_status, to_status, from_level, to_level, reason, actor, at FROM exemplar_steps WHERE exemplar_id = $1 ORDER BY id")
        .bind(id)
        .fetch_all(db.reader())
        .await?;
    rows.iter()
        .map(|r| {
            Ok(StepRecord {
                id: col(r, "id")?,
                step: col(r, "step")?,
                from_status: col(r, "from_status")?,
                to_status: col(r, "to_status")?,
                from_level: col(r, "from_level")?,
                to_level: col(r, "to_level")?,
                reason: col(r, "reason")?,
                actor: col(r, "actor")?,
                at: col(r, "at")?,
            })
        })
        .collect()
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct ExemplarFilter {
    /// Subtrees the caller may see (set by the server; empty sees nothing).
    #[serde(skip)]
    #[param(ignore)]
    pub within: Vec<OrgPath>,
    /// Restrict to one node's subtree (inside the caller's scope).
    pub org_id: Option<i64>,
    pub kind: Option<String>,
    pub field_id: Option<i64>,
    pub movement_id: Option<i64>,
    pub status: Option<String>,
    pub level: Option<String>,
    pub year: Option<i64>,
    /// Text in the name (diacritics and case ignored).
    pub q: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

/// Newest first, keyset-paged on id.
pub async fn list(db: &Db, f: &ExemplarFilter) -> StoreResult<Page<Exemplar>> {
    use sea_query::{Alias, Expr, Order, Query};
    let lim = limit(f.limit);
    if f.within.is_empty() {
        return Ok(Page::empty());
    }
    let c = |n: &str| Expr::col(Alias::new(n));
    let mut q = Query::select();
    q.columns(COLUMNS.split(", ").map(Alias::new)).from(Alias::new("exemplars"));
    q.cond_where(within_subtrees("org_path", &f.within));
    if let Some(org_id) = f.org_id {
        if let Ok(org) = crate::orgs::get(db, org_id).await {
            q.cond_where(within_subtrees("org_path", &[org.org_path()]));
        } else {
            return Ok(Page::empty());
        }
    }
    for (column, value) in [("kind", &f.kind), ("status", &f.status), ("level", &f.level)] {
        if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
            q.and_where(c(column).eq(v));
        }
    }
    if let Some(y) = f.year {
        q.and_where(c("year_found").eq(y));
    }
    if let Some(pat) = crate::db::folded_contains(f.q.as_deref()) {
        q.and_where(c("name_key").like(pat));
    }
    for (table, column, value) in [("exemplar_fields", "field_id", f.field_id), ("exemplar_movements", "movement_id", f.movement_id)] {
        if let Some(v) = value {
            // EXISTS, not `id IN (…)`: with IN, SQLite drove the query from
            // every exemplar of the field and looked each up (29 ms at
            // province scale); EXISTS keeps the scope/status/year index in
            // front and probes the link's primary key per row (0.5 ms).
            let sub = Query::select()
                .expr(Expr::val(1))
                .from(Alias::new(table))
                .and_where(Expr::col((Alias::new(table), Alias::new("exemplar_id"))).equals((Alias::new("exemplars"), Alias::new("id"))))
                .and_where(Expr::col((Alias::new(table), Alias::new(column))).eq(v))
                .to_owned();
            q.and_where(Expr::exists(sub));
        }
    }
    if let Some(cur) = f.cursor.as_deref().and_then(Cursor::decode) {
        q.and_where(c("id").lt(cur.id));
    }
    q.order_by(Alias::new("id"), Order::Desc).limit((lim + 1) as u64);
    let (sql, values) = build(db.backend, &q);
    let rows = sqlx::query_with(&sql, values).fetch_all(db.reader()).await?;
    let items = rows.iter().map(from_row).collect::<StoreResult<Vec<_>>>()?;
    let mut page = paginate(items, lim, |e| Cursor { key: String::new(), id: e.id });
    load_links_many(&mut *db.reader().acquire().await?, &mut page.items).await?;
    Ok(page)
}

pub async fn fields(db: &Db) -> StoreResult<Vec<Named>> {
    let rows = sqlx::query("SELECT id, name FROM fields WHERE active = 1 ORDER BY position").fetch_all(db.reader()).await?;
    rows.iter().map(|r| Ok(Named { id: col(r, "id")?, name: col(r, "name")? })).collect()
}

/// Adds a field (lĩnh vực) to the bloc's list.
pub async fn create_field(db: &Db, actor: &Actor, name: &str) -> StoreResult<Named> {
    let name = text::normalize_line(name);
    let mut inv = Invalid::new();
    inv.required("name", "tên lĩnh vực", &name, 200);
    inv.into_result()?;
    let code = text::fold(&name).replace(' ', "_");
    let mut tx = db.begin().await?;
    let position: i64 = col(&sqlx::query("SELECT COALESCE(MAX(position), 0) + 1 AS p FROM fields").fetch_one(&mut *tx).await?, "p")?;
    let id: i64 = match sqlx::query("INSERT INTO fields (code, name, position) VALUES ($1, $2, $3) RETURNING id").bind(&code).bind(&name).bind(position).fetch_one(&mut *tx).await {
        Ok(r) => col(&r, "id")?,
        Err(e) if crate::error::is_unique_violation(&e) => return Err(StoreError::invalid("name", "taken", "Lĩnh vực này đã có.")),
        Err(e) => return Err(e.into()),
    };
    audit::record(&mut tx, actor, "create", "field", Some(id), None, &name, None, None).await?;
    tx.commit().await?;
    Ok(Named { id, name })
}

pub async fn field_ids_by_code(db: &Db) -> StoreResult<std::collections::HashMap<String, i64>> {
    let rows = sqlx::query("SELECT id, code FROM fields").fetch_all(db.reader()).await?;
    rows.iter().map(|r| Ok((col(r, "code")?, col(r, "id")?))).collect()
}

/// Movements launched at a node or above it (those its exemplars can join):
/// the root's first, each node's newest first.
pub async fn movements_for(db: &Db, org_path: &OrgPath) -> StoreResult<Vec<Named>> {
    let lineage = org_path.lineage();
    if lineage.is_empty() {
        return Ok(vec![]);
    }
    let sql = format!("SELECT id, name, org_path FROM movements WHERE org_path IN ({}) ORDER BY year_from DESC, id", crate::db::placeholders(lineage.len()));
    let mut q = sqlx::query(&sql);
    for p in &lineage {
        q = q.bind(p.as_str());
    }
    let mut rows = q.fetch_all(db.reader()).await?;
    rows.sort_by_cached_key(|r| col::<String>(r, "org_path").map(|p| p.len()).unwrap_or(0)); // stable: keeps the order within a node
    rows.iter().map(|r| Ok(Named { id: col(r, "id")?, name: col(r, "name")? })).collect()
}

pub async fn create_movement(db: &Db, actor: &Actor, org_id: i64, name: &str, launched_by: &str, years: (i64, Option<i64>)) -> StoreResult<Named> {
    let name = text::normalize_line(name);
    let mut inv = Invalid::new();
    inv.required("name", "tên phong trào", &name, 300);
    inv.max_len("launched_by", "Cơ quan phát động", launched_by, 300);
    if !(2000..=current_year() + 5).contains(&years.0) || years.1.is_some_and(|to| to < years.0) {
        inv.add("year_from", "out_of_range", "Năm bắt đầu, kết thúc của phong trào không hợp lệ.");
    }
    inv.into_result()?;
    let org = crate::orgs::get(db, org_id).await?;
    let mut tx = db.begin().await?;
    let now = now_ms();
    let id: i64 = col(
        &sqlx::query("INSERT INTO movements (org_id, org_path, name, launched_by, year_from, year_to, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id")
            .bind(org.id)
            .bind(&org.path)
            .bind(&name)
            .bind(text::normalize_line(launched_by))
            .bind(years.0)
            .bind(years.1)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?,
        "id",
    )?;
    audit::record(&mut tx, actor, "create", "movement", Some(id), Some(&org.path), &name, None, None).await?;
    tx.commit().await?;
    Ok(Named { id, name })
}
