//! The spread (sức lan tỏa) of an exemplar: units that adopted its model
//! (nhân rộng) and study visits to it (tham quan học tập, plan II.6).

use crate::audit;
use crate::db::col;
use crate::exemplars::Exemplar;
use crate::fostering::{label, valid_date};
use crate::{now_ms, Actor, Db, StoreError, StoreResult};
use dienhinh_domain::Invalid;
use dienhinh_text as text;
use serde::{Deserialize, Serialize};

pub const HOW: &[(&str, &str)] = &[
    ("tham_quan", "Sau chuyến tham quan học tập"),
    ("tuyen_truyen", "Qua tin, bài tuyên truyền"),
    ("hoi_nghi", "Qua hội nghị, tọa đàm"),
    ("huong_dan", "Theo hướng dẫn của cấp trên"),
    ("khac", "Hình thức khác"),
];

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Replication {
    pub id: i64,
    pub exemplar_id: i64,
    pub adopter_org_id: i64,
    pub adopter_name: String,
    pub adopted_on: String,
    /// tham_quan, tuyen_truyen, hoi_nghi, huong_dan, khac
    pub how: String,
    pub note: String,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct ReplicationInput {
    pub adopter_org_id: i64,
    pub adopted_on: String,
    pub how: String,
    #[serde(default)]
    pub note: String,
}

pub async fn add_replication(db: &Db, actor: &Actor, exemplar: &Exemplar, i: ReplicationInput) -> StoreResult<Replication> {
    let note = text::normalize(&i.note);
    let adopted_on = i.adopted_on.trim().to_string();
    let mut inv = Invalid::new();
    let adopter = crate::orgs::get(db, i.adopter_org_id).await.ok();
    if adopter.is_none() {
        inv.add("adopter_org_id", "not_found", "Vui lòng chọn đơn vị học tập, nhân rộng.");
    }
    if adopter.as_ref().is_some_and(|a| a.id == exemplar.org_id) {
        inv.add("adopter_org_id", "same_unit", "Đơn vị nhân rộng phải khác đơn vị của điển hình.");
    }
    if !valid_date(&adopted_on) {
        inv.add("adopted_on", "invalid", "Ngày áp dụng không hợp lệ.");
    }
    if label(HOW, &i.how).is_empty() {
        inv.add("how", "invalid", "Vui lòng chọn hình thức học tập.");
    }
    inv.max_len("note", "Ghi chú", &note, 5000);
    inv.into_result()?;
    let adopter = adopter.expect("checked");
    let mut tx = db.begin().await?;
    let id: i64 = col(
        &sqlx::query(
            "INSERT INTO replications (exemplar_id, org_path, adopter_org_id, adopter_org_path, adopted_on, how, note, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(exemplar.id)
        .bind(&exemplar.org_path)
        .bind(adopter.id)
        .bind(&adopter.path)
        .bind(&adopted_on)
        .bind(&i.how)
        .bind(&note)
        .bind(actor.user_id)
        .bind(now_ms())
        .fetch_one(&mut *tx)
        .await?,
        "id",
    )?;
    let r = Replication { id, exemplar_id: exemplar.id, adopter_org_id: adopter.id, adopter_name: adopter.name.clone(), adopted_on, how: i.how, note };
    audit::record(&mut tx, actor, "create", "replication", Some(id), Some(&exemplar.org_path), &format!("{} học tập {}", adopter.name, exemplar.name), None, serde_json::to_value(&r).ok().as_ref())
        .await?;
    tx.commit().await?;
    Ok(r)
}

pub async fn replications(db: &Db, exemplar_id: i64) -> StoreResult<Vec<Replication>> {
    let rows = sqlx::query(
        "SELECT r.id, r.exemplar_id, r.adopter_org_id, o.name AS adopter_name, r.adopted_on, r.how, r.note \
         FROM replications r JOIN orgs o ON o.id = r.adopter_org_id WHERE r.exemplar_id = $1 ORDER BY r.adopted_on, r.id",
    )
    .bind(exemplar_id)
    .fetch_all(db.reader())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Replication {
                id: col(r, "id")?,
                exemplar_id: col(r, "exemplar_id")?,
                adopter_org_id: col(r, "adopter_org_id")?,
                adopter_name: col(r, "adopter_name")?,
                adopted_on: col(r, "adopted_on")?,
                how: col(r, "how")?,
                note: col(r, "note")?,
            })
        })
        .collect()
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StudyVisit {
    pub id: i64,
    pub exemplar_id: i64,
    pub visited_on: String,
    pub visiting_units: String,
    pub participants: i64,
    pub lessons: String,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct StudyVisitInput {
    pub visited_on: String,
    /// The visiting units, as written (one per line).
    pub visiting_units: String,
    pub participants: i64,
    #[serde(default)]
    pub lessons: String,
}

pub async fn add_visit(db: &Db, actor: &Actor, exemplar: &Exemplar, i: StudyVisitInput) -> StoreResult<StudyVisit> {
    let units = text::normalize(&i.visiting_units);
    let lessons = text::normalize(&i.lessons);
    let visited_on = i.visited_on.trim().to_string();
    let mut inv = Invalid::new();
    if !valid_date(&visited_on) {
        inv.add("visited_on", "invalid", "Ngày tham quan không hợp lệ.");
    }
    inv.required("visiting_units", "các đơn vị tham quan", &units, 5000);
    if !(1..=100_000).contains(&i.participants) {
        inv.add("participants", "out_of_range", "Số người tham gia phải từ 1 đến 100.000.");
    }
    inv.max_len("lessons", "Bài học kinh nghiệm", &lessons, 10_000);
    inv.into_result()?;
    let mut tx = db.begin().await?;
    let id: i64 = col(
        &sqlx::query(
            "INSERT INTO study_visits (exemplar_id, org_path, visited_on, visiting_units, participants, lessons, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(exemplar.id)
        .bind(&exemplar.org_path)
        .bind(&visited_on)
        .bind(&units)
        .bind(i.participants)
        .bind(&lessons)
        .bind(actor.user_id)
        .bind(now_ms())
        .fetch_one(&mut *tx)
        .await?,
        "id",
    )?;
    let v = StudyVisit { id, exemplar_id: exemplar.id, visited_on, visiting_units: units, participants: i.participants, lessons };
    audit::record(&mut tx, actor, "create", "study_visit", Some(id), Some(&exemplar.org_path), &format!("Tham quan: {}", exemplar.name), None, serde_json::to_value(&v).ok().as_ref())
        .await?;
    tx.commit().await?;
    Ok(v)
}

pub async fn visits(db: &Db, exemplar_id: i64) -> StoreResult<Vec<StudyVisit>> {
    let rows = sqlx::query("SELECT id, exemplar_id, visited_on, visiting_units, participants, lessons FROM study_visits WHERE exemplar_id = $1 ORDER BY visited_on, id")
        .bind(exemplar_id)
        .fetch_all(db.reader())
        .await?;
    rows.iter()
        .map(|r| {
            Ok(StudyVisit {
                id: col(r, "id")?,
                exemplar_id: col(r, "exemplar_id")?,
                visited_on: col(r, "visited_on")?,
                visiting_units: col(r, "visiting_units")?,
                participants: col(r, "participants")?,
                lessons: col(r, "lessons")?,
            })
        })
        .collect()
}

/// Not found unless the record belongs to that exemplar.
pub fn ensure_belongs(exemplar_id: i64, owner: i64) -> StoreResult<()> {
    if exemplar_id == owner { Ok(()) } else { Err(StoreError::NotFound) }
}
