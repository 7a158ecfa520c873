//! Fostering (bồi dưỡng) of an exemplar: what drives it, the support
//! given, shortcomings and measures, who is responsible, by when.

use crate::audit;
use crate::db::col;
use crate::exemplars::Exemplar;
use crate::{now_ms, Actor, Db, StoreError, StoreResult};
use dienhinh_domain::Invalid;
use dienhinh_text as text;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;

pub const SUPPORT_KINDS: &[(&str, &str)] = &[
    ("vat_chat", "Vật chất"),
    ("tinh_than", "Tinh thần"),
    ("ky_thuat", "Kỹ thuật, chuyên môn"),
    ("khen_thuong", "Giải thưởng, khen thưởng"),
    ("chinh_sach", "Cơ chế, chính sách"),
];
pub const STATUSES: &[(&str, &str)] = &[("dang_thuc_hien", "Đang thực hiện"), ("hoan_thanh", "Hoàn thành"), ("huy", "Hủy")];

pub fn label(table: &[(&'static str, &'static str)], code: &str) -> &'static str {
    table.iter().find(|(c, _)| *c == code).map(|(_, l)| *l).unwrap_or("")
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FosteringItem {
    pub id: i64,
    pub exemplar_id: i64,
    pub motivation: String,
    /// vat_chat, tinh_than, ky_thuat, khen_thuong, chinh_sach
    pub support_kind: String,
    pub support: String,
    pub shortcomings: String,
    pub measures: String,
    pub responsible: String,
    /// ISO date `YYYY-MM-DD`.
    pub due_on: Option<String>,
    /// dang_thuc_hien, hoan_thanh, huy
    pub status: String,
    pub overdue: bool,
    pub version: i64,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct FosteringInput {
    #[serde(default)]
    pub motivation: String,
    pub support_kind: String,
    #[serde(default)]
    pub support: String,
    #[serde(default)]
    pub shortcomings: String,
    #[serde(default)]
    pub measures: String,
    #[serde(default)]
    pub responsible: String,
    #[serde(default)]
    pub due_on: Option<String>,
}

/// `YYYY-MM-DD` of today in Vietnam (UTC+7).
pub fn today() -> String {
    let days = (now_ms() / 1000 + 7 * 3600) / 86_400;
    civil_from_days(days)
}

/// Days since 1970-01-01 → `YYYY-MM-DD` (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> String {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
    format!("{y:04}-{m:02}-{d:02}")
}

/// A well-formed ISO date (`YYYY-MM-DD`, real month and day).
pub fn valid_date(s: &str) -> bool {
    let p: Vec<&str> = s.split('-').collect();
    if p.len() != 3 || p[0].len() != 4 || p[1].len() != 2 || p[2].len() != 2 {
        return false;
    }
    let (Ok(y), Ok(m), Ok(d)) = (p[0].parse::<i64>(), p[1].parse::<u32>(), p[2].parse::<u32>()) else { return false };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    (1900..=2200).contains(&y) && (1..=12).contains(&m) && d >= 1 && d <= days[(m - 1) as usize]
}

fn from_row(r: &AnyRow, today: &str) -> StoreResult<FosteringItem> {
    let due_on: Option<String> = col(r, "due_on")?;
    let status: String = col(r, "status")?;
    Ok(FosteringItem {
        id: col(r, "id")?,
        exemplar_id: col(r, "exemplar_id")?,
        motivation: col(r, "motivation")?,
        support_kind: col(r, "support_kind")?,
        support: col(r, "support")?,
        shortcomings: col(r, "shortcomings")?,
        measures: col(r, "measures")?,
        responsible: col(r, "responsible")?,
        overdue: status == "dang_thuc_hien" && due_on.as_deref().is_some_and(|d| d < today),
        due_on,
        status,
        version: col(r, "version")?,
    })
}

const COLUMNS: &str = "id, exemplar_id, motivation, support_kind, support, shortcomings, measures, responsible, due_on, status, version";

pub async fn add(db: &Db, actor: &Actor, exemplar: &Exemplar, mut i: FosteringInput) -> StoreResult<FosteringItem> {
    for f in [&mut i.motivation, &mut i.support, &mut i.shortcomings, &mut i.measures] {
        *f = text::normalize(f);
    }
    i.responsible = text::normalize_line(&i.responsible);
    i.due_on = i.due_on.map(|d| d.trim().to_string()).filter(|d| !d.is_empty());
    let mut inv = Invalid::new();
    if label(SUPPORT_KINDS, &i.support_kind).is_empty() {
        inv.add("support_kind", "invalid", "Vui lòng chọn hình thức hỗ trợ.");
    }
    inv.required("support", "nội dung hỗ trợ", &i.support, 5000);
    for (field, label, v) in [("motivation", "Động lực phấn đấu", &i.motivation), ("shortcomings", "Hạn chế", &i.shortcomings), ("measures", "Biện pháp khắc phục", &i.measures)] {
        inv.max_len(field, label, v, 5000);
    }
    inv.max_len("responsible", "Người phụ trách", &i.responsible, 300);
    if i.due_on.as_deref().is_some_and(|d| !valid_date(d)) {
        inv.add("due_on", "invalid", "Hạn hoàn thành không hợp lệ (ngày/tháng/năm).");
    }
    inv.into_result()?;
    let mut tx = db.begin().await?;
    let now = now_ms();
    let id: i64 = col(
        &sqlx::query(
            "INSERT INTO fostering_items (exemplar_id, org_path, motivation, support_kind, support, shortcomings, measures, responsible, due_on, status, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'dang_thuc_hien', $10, $10) RETURNING id",
        )
        .bind(exemplar.id)
        .bind(&exemplar.org_path)
        .bind(&i.motivation)
        .bind(&i.support_kind)
        .bind(&i.support)
        .bind(&i.shortcomings)
        .bind(&i.measures)
        .bind(&i.responsible)
        .bind(&i.due_on)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?,
        "id",
    )?;
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM fostering_items WHERE id = $1")).bind(id).fetch_one(&mut *tx).await?;
    let item = from_row(&row, &today())?;
    audit::record(&mut tx, actor, "create", "fostering", Some(id), Some(&exemplar.org_path), &format!("Bồi dưỡng: {}", exemplar.name), None, serde_json::to_value(&item).ok().as_ref())
        .await?;
    tx.commit().await?;
    Ok(item)
}

pub async fn for_exemplar(db: &Db, exemplar_id: i64) -> StoreResult<Vec<FosteringItem>> {
    let today = today();
    let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM fostering_items WHERE exemplar_id = $1 ORDER BY id"))
        .bind(exemplar_id)
        .fetch_all(db.reader())
        .await?;
    rows.iter().map(|r| from_row(r, &today)).collect()
}

pub async fn get(db: &Db, id: i64) -> StoreResult<FosteringItem> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM fostering_items WHERE id = $1")).bind(id).fetch_optional(db.reader()).await?.ok_or(StoreError::NotFound)?;
    from_row(&row, &today())
}

/// Marks an item done or cancelled (optimistic on `version`).
pub async fn set_status(db: &Db, actor: &Actor, exemplar: &Exemplar, id: i64, version: i64, status: &str) -> StoreResult<FosteringItem> {
    if label(STATUSES, status).is_empty() {
        return Err(StoreError::invalid("status", "invalid", "Trạng thái không hợp lệ."));
    }
    let before = get(db, id).await?;
    if before.exemplar_id != exemplar.id {
        return Err(StoreError::NotFound);
    }
    let mut tx = db.begin().await?;
    let done = sqlx::query("UPDATE fostering_items SET status = $1, updated_at = $2, version = version + 1 WHERE id = $3 AND version = $4")
        .bind(status)
        .bind(now_ms())
        .bind(id)
        .bind(version)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict { current: serde_json::to_value(&before).unwrap_or_default() });
    }
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM fostering_items WHERE id = $1")).bind(id).fetch_one(&mut *tx).await?;
    let after = from_row(&row, &today())?;
    audit::record(&mut tx, actor, "update", "fostering", Some(id), Some(&exemplar.org_path), &format!("Bồi dưỡng: {}", exemplar.name), serde_json::to_value(&before).ok().as_ref(), serde_json::to_value(&after).ok().as_ref())
        .await?;
    tx.commit().await?;
    Ok(after)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(civil_from_days(0), "1970-01-01");
        assert_eq!(civil_from_days(20_454), "2026-01-01");
        assert!(valid_date("2024-02-29"));
        assert!(!valid_date("2023-02-29"));
        assert!(!valid_date("2023-13-01"));
        assert!(!valid_date("20/11/2023"));
        assert!(!valid_date("2023-1-01"));
    }
}
