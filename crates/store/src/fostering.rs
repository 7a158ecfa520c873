//! Fostering (bồi dưỡng) of an exemplar: what drives it, the support
//! given, shortcomings and measures, who is responsible, by when. The rules
//! are `dienhinh_domain::fostering`.

use dienhinh_domain::AuditAction;
use crate::exemplars::Exemplar;
use crate::row::{all, select_list, FromRow};
use crate::write::{Stored, Write};
use crate::{now_ms, vals, Actor, Db, StoreError, StoreResult};
use dienhinh_domain::clock;
pub use dienhinh_domain::fostering::FosteringInput;
use dienhinh_domain::fostering::{is_overdue, FosteringStatus, SupportKind};
use dienhinh_domain::OrgPath;
use serde::Serialize;
use sqlx::AnyConnection;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FosteringItem {
    pub id: i64,
    pub exemplar_id: i64,
    #[serde(skip)]
    pub org_path: OrgPath,
    pub motivation: String,
    /// vat_chat, tinh_than, ky_thuat, khen_thuong, chinh_sach
    #[schema(value_type = String)]
    pub support_kind: SupportKind,
    pub support: String,
    pub shortcomings: String,
    pub measures: String,
    pub responsible: String,
    /// ISO date `YYYY-MM-DD`.
    pub due_on: Option<String>,
    /// dang_thuc_hien, hoan_thanh, huy
    #[schema(value_type = String)]
    pub status: FosteringStatus,
    // Still in progress after its due date (Vietnam's today).
    pub overdue: bool,
    pub version: i64,
}

crate::from_row!(FosteringItem {
    id, exemplar_id, org_path, motivation, support_kind, support, shortcomings, measures, responsible, due_on, status, version
}; overdue = false);
crate::row::coded_cols!(SupportKind, FosteringStatus);

impl FosteringItem {
    /// Still being carried out (its status can be closed).
    pub fn is_open(&self) -> bool {
        self.status == FosteringStatus::DangThucHien
    }
}

/// Items read from rows, "overdue" decided against today.
fn read(rows: &[sqlx::any::AnyRow]) -> StoreResult<Vec<FosteringItem>> {
    let today = clock::today();
    let mut items: Vec<FosteringItem> = all(rows)?;
    for i in &mut items {
        i.overdue = is_overdue(i.status, i.due_on.as_deref(), today);
    }
    Ok(items)
}

fn select() -> String {
    format!("SELECT {} FROM fostering_items", select_list(FosteringItem::COLUMNS, None))
}

async fn load_fostering_item(conn: &mut AnyConnection, id: i64) -> StoreResult<FosteringItem> {
    let rows = sqlx::query(&format!("{} WHERE id = $1", select())).bind(id).fetch_all(conn).await?;
    read(&rows)?.pop().ok_or(StoreError::NotFound)
}

crate::stored!(FosteringItem: Fostering at org_path, summary r => format!("Bồi dưỡng: {}", r.support), load load_fostering_item, tallies tallies);

fn tallies(f: &FosteringItem) -> Vec<dienhinh_domain::counter::Tally> {
    vec![dienhinh_domain::counter::fostering(&f.org_path, f.status)]
}

/// Adds an item written down on `today` (its due date is today or later).
pub async fn add_in(w: &mut Write<'_>, exemplar_id: i64, i: &FosteringInput, today: time::Date) -> StoreResult<FosteringItem> {
    let v = i.validate(today)?;
    let exemplar: Exemplar = w.load(exemplar_id).await?;
    let now = now_ms();
    let id = w
        .insert(
            "fostering_items",
            vals![
                ("exemplar_id", exemplar.id),
                ("org_path", exemplar.org_path.as_str()),
                ("motivation", v.motivation.as_str()),
                ("support_kind", v.support_kind.code()),
                ("support", v.support.as_str()),
                ("shortcomings", v.shortcomings.as_str()),
                ("measures", v.measures.as_str()),
                ("responsible", v.responsible.as_str()),
                ("due_on", v.due_on.clone()),
                ("status", FosteringStatus::DangThucHien.code()),
                ("created_at", now),
                ("updated_at", now),
            ],
        )
        .await?;
    let item: FosteringItem = w.load(id).await?;
    w.changed(AuditAction::Create, None, &item, &format!("Bồi dưỡng: {}", exemplar.name)).await?;
    Ok(item)
}

pub async fn add(db: &Db, actor: &Actor, exemplar_id: i64, i: FosteringInput) -> StoreResult<FosteringItem> {
    add_as_of(db, actor, exemplar_id, i, dienhinh_domain::clock::today()).await
}

/// Adds an item as written down on `today` (the demo data records plans
/// made in past years).
pub async fn add_as_of(db: &Db, actor: &Actor, exemplar_id: i64, i: FosteringInput, today: time::Date) -> StoreResult<FosteringItem> {
    let mut w = db.write(actor).await?;
    let item = add_in(&mut w, exemplar_id, &i, today).await?;
    w.commit().await?;
    Ok(item)
}

pub async fn for_exemplar(db: &Db, exemplar_id: i64) -> StoreResult<Vec<FosteringItem>> {
    read(&sqlx::query(&format!("{} WHERE exemplar_id = $1 ORDER BY id", select())).bind(exemplar_id).fetch_all(db.reader()).await?)
}

pub async fn get(db: &Db, id: i64) -> StoreResult<FosteringItem> {
    FosteringItem::load(&mut *db.reader().acquire().await?, id).await
}

/// Marks an item of that exemplar done or cancelled (optimistic on `version`).
pub async fn set_status(db: &Db, actor: &Actor, exemplar_id: i64, id: i64, version: i64, status: &str) -> StoreResult<FosteringItem> {
    let status = FosteringStatus::from_code(status).ok_or_else(|| StoreError::invalid("status", "invalid", "Trạng thái không hợp lệ."))?;
    let mut w = db.write(actor).await?;
    let before: FosteringItem = w.load(id).await?;
    if before.exemplar_id != exemplar_id {
        return Err(StoreError::NotFound);
    }
    let exemplar: Exemplar = w.load(exemplar_id).await?;
    w.update_versioned::<FosteringItem>(id, version, vals![("status", status.code())]).await?;
    let after: FosteringItem = w.load(id).await?;
    w.changed(AuditAction::Update, Some(&before), &after, &format!("Bồi dưỡng: {}", exemplar.name)).await?;
    w.commit().await?;
    Ok(after)
}
