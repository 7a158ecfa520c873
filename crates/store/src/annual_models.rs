//! Annual models (mô hình tiêu biểu của năm, plan V.1): each TCCS builds at
//! least one a year; its cấp ủy must approve it before it counts.

use crate::audit;
use crate::db::{col, within_subtrees};
use crate::fostering::label;
use crate::{now_ms, Actor, Db, StoreError, StoreResult};
use dienhinh_domain::{Invalid, OrgPath};
use dienhinh_text as text;
use serde::{Deserialize, Serialize};

pub const STATUSES: &[(&str, &str)] = &[("dang_ky", "Chờ cấp ủy duyệt"), ("da_duyet", "Đã được cấp ủy duyệt"), ("khong_duyet", "Không được duyệt")];

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AnnualModel {
    pub id: i64,
    pub org_id: i64,
    pub org_name: String,
    pub org_path: String,
    pub year: i64,
    pub exemplar_id: Option<i64>,
    pub title: String,
    pub description: String,
    /// dang_ky, da_duyet, khong_duyet
    pub status: String,
    pub decision_note: String,
    pub decided_by: Option<String>,
    pub version: i64,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct AnnualModelInput {
    pub org_id: i64,
    pub year: i64,
    #[serde(default)]
    pub exemplar_id: Option<i64>,
    pub title: String,
    #[serde(default)]
    pub description: String,
}

const SELECT: &str = "SELECT m.id, m.org_id, o.name AS org_name, m.org_path, m.year, m.exemplar_id, m.title, m.description, m.status, \
    m.decision_note, m.decided_by, m.version FROM annual_models m JOIN orgs o ON o.id = m.org_id";

fn from_row(r: &sqlx::any::AnyRow) -> StoreResult<AnnualModel> {
    Ok(AnnualModel {
        id: col(r, "id")?,
        org_id: col(r, "org_id")?,
        org_name: col(r, "org_name")?,
        org_path: col(r, "org_path")?,
        year: col(r, "year")?,
        exemplar_id: col(r, "exemplar_id")?,
        title: col(r, "title")?,
        description: col(r, "description")?,
        status: col(r, "status")?,
        decision_note: col(r, "decision_note")?,
        decided_by: col(r, "decided_by")?,
        version: col(r, "version")?,
    })
}

pub async fn get(db: &Db, id: i64) -> StoreResult<AnnualModel> {
    from_row(&sqlx::query(&format!("{SELECT} WHERE m.id = $1")).bind(id).fetch_optional(db.reader()).await?.ok_or(StoreError::NotFound)?)
}

pub async fn register(db: &Db, actor: &Actor, mut i: AnnualModelInput) -> StoreResult<AnnualModel> {
    i.title = text::normalize_line(&i.title);
    i.description = text::normalize(&i.description);
    let mut inv = Invalid::new();
    inv.required("title", "tên mô hình", &i.title, 300);
    inv.max_len("description", "Mô tả", &i.description, 10_000);
    let this_year = crate::exemplars::current_year();
    if !(2000..=this_year + 1).contains(&i.year) {
        inv.add("year", "out_of_range", format!("Năm phải từ 2000 đến {}.", this_year + 1));
    }
    let org = crate::orgs::get(db, i.org_id).await.ok();
    if org.is_none() {
        inv.add("org_id", "not_found", "Không tìm thấy đơn vị.");
    }
    if let Some(eid) = i.exemplar_id {
        match crate::exemplars::get(db, eid).await {
            Ok(e) if org.as_ref().is_some_and(|o| o.org_path().contains(&e.path())) => {}
            _ => inv.add("exemplar_id", "not_found", "Điển hình gắn với mô hình phải thuộc đơn vị đăng ký."),
        }
    }
    inv.into_result()?;
    let org = org.expect("checked");
    let mut tx = db.begin().await?;
    let now = now_ms();
    let id: i64 = col(
        &sqlx::query(
            "INSERT INTO annual_models (org_id, org_path, year, exemplar_id, title, description, status, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, 'dang_ky', $7, $7) RETURNING id",
        )
        .bind(org.id)
        .bind(&org.path)
        .bind(i.year)
        .bind(i.exemplar_id)
        .bind(&i.title)
        .bind(&i.description)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?,
        "id",
    )?;
    audit::record(&mut tx, actor, "create", "annual_model", Some(id), Some(&org.path), &i.title, None, serde_json::to_value(&i).ok().as_ref()).await?;
    tx.commit().await?;
    get(db, id).await
}

/// The cấp ủy's decision (the caller checks the permission).
pub async fn decide(db: &Db, actor: &Actor, id: i64, version: i64, approve: bool, note: &str) -> StoreResult<AnnualModel> {
    let before = get(db, id).await?;
    if before.status != "dang_ky" {
        return Err(StoreError::invalid("status", "decided", "Mô hình này đã được xét duyệt."));
    }
    let status = if approve { "da_duyet" } else { "khong_duyet" };
    let note = text::normalize(note);
    if !approve && note.trim().is_empty() {
        return Err(StoreError::invalid("decision_note", "required", "Vui lòng ghi rõ lý do không duyệt."));
    }
    let mut tx = db.begin().await?;
    let done = sqlx::query(
        "UPDATE annual_models SET status = $1, decision_note = $2, decided_by = $3, decided_at = $4, updated_at = $4, version = version + 1 WHERE id = $5 AND version = $6",
    )
    .bind(status)
    .bind(&note)
    .bind(&actor.name)
    .bind(now_ms())
    .bind(id)
    .bind(version)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict { current: serde_json::to_value(&before).unwrap_or_default() });
    }
    audit::record(&mut tx, actor, "update", "annual_model", Some(id), Some(&before.org_path), &format!("{}: {}", label(STATUSES, status), before.title), serde_json::to_value(&before).ok().as_ref(), None)
        .await?;
    tx.commit().await?;
    get(db, id).await
}

/// Models of a year inside the given subtrees.
pub async fn for_year(db: &Db, within: &[OrgPath], year: i64) -> StoreResult<Vec<AnnualModel>> {
    use sea_query::{Alias, Expr, Order, Query};
    if within.is_empty() {
        return Ok(vec![]);
    }
    let mut q = Query::select();
    q.columns(["id", "org_id", "org_path", "year", "exemplar_id", "title", "description", "status", "decision_note", "decided_by", "version"].map(Alias::new))
        .expr_as(Expr::cust("(SELECT name FROM orgs WHERE orgs.id = annual_models.org_id)"), Alias::new("org_name"))
        .from(Alias::new("annual_models"))
        .cond_where(within_subtrees("org_path", within))
        .and_where(Expr::col(Alias::new("year")).eq(year))
        .order_by(Alias::new("org_path"), Order::Asc)
        .order_by(Alias::new("id"), Order::Asc);
    let (sql, values) = crate::db::build(db.backend, &q);
    sqlx::query_with(&sql, values).fetch_all(db.reader()).await?.iter().map(from_row).collect()
}

/// Most TCCS listed as lacking an approved model.
const MISSING_MAX: u64 = 500;

/// TCCS đảng inside the subtrees with no approved model for the year, by
/// name (at most 500). One query whatever the size of the subtrees.
pub async fn tccs_without_approved(db: &Db, within: &[OrgPath], year: i64) -> StoreResult<Vec<crate::orgs::Org>> {
    use sea_query::{Alias, Expr, Order, Query};
    if within.is_empty() {
        return Ok(vec![]);
    }
    let approved = Query::select()
        .expr(Expr::val(1))
        .from(Alias::new("annual_models"))
        .and_where(Expr::col((Alias::new("annual_models"), Alias::new("org_id"))).equals((Alias::new("orgs"), Alias::new("id"))))
        .and_where(Expr::col((Alias::new("annual_models"), Alias::new("year"))).eq(year))
        .and_where(Expr::col((Alias::new("annual_models"), Alias::new("status"))).eq("da_duyet"))
        .to_owned();
    let mut q = Query::select();
    q.columns(crate::orgs::COLUMNS.split(", ").map(Alias::new))
        .from(Alias::new("orgs"))
        .cond_where(within_subtrees("path", within))
        .and_where(Expr::col(Alias::new("kind")).eq("tccs"))
        .and_where(Expr::exists(approved).not())
        .order_by(Alias::new("sort_key"), Order::Asc)
        .order_by(Alias::new("id"), Order::Asc)
        .limit(MISSING_MAX);
    let (sql, values) = crate::db::build(db.backend, &q);
    sqlx::query_with(&sql, values).fetch_all(db.reader()).await?.iter().map(crate::orgs::from_row).collect()
}
