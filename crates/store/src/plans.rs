//! Plans (kế hoạch) and criteria sets (bộ tiêu chí), versioned by period.

use crate::audit;
use crate::db::{col, placeholders};
use crate::search::{self, SearchDoc};
use crate::{now_ms, Actor, Db, StoreError, StoreResult};
use dienhinh_domain::{Invalid, OrgPath};
use dienhinh_text as text;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use std::collections::HashMap;

#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Plan {
    #[serde(default)]
    pub id: i64,
    pub org_id: i64,
    #[serde(default)]
    pub org_path: String,
    pub parent_plan_id: Option<i64>,
    /// Number and symbol, e.g. `48-KH/ĐUK`.
    pub number: String,
    pub issuing_body: String,
    /// ISO date `YYYY-MM-DD`.
    pub issued_on: String,
    pub period_from: i64,
    pub period_to: i64,
    pub title: String,
    /// The documents it is based on (căn cứ).
    pub bases: String,
    pub body: String,
    pub signer_authority: String,
    pub signer_title: String,
    pub signer_name: String,
    /// Recipients (nơi nhận), one per line.
    pub recipients: String,
    #[serde(default)]
    pub version: i64,
}

pub(crate) const PLAN_COLUMNS: &str = "id, org_id, org_path, parent_plan_id, number, issuing_body, issued_on, period_from, period_to, title, bases, body, signer_authority, signer_title, signer_name, recipients, version";

pub(crate) fn plan_from_row(r: &AnyRow) -> StoreResult<Plan> {
    Ok(Plan {
        id: col(r, "id")?,
        org_id: col(r, "org_id")?,
        org_path: col(r, "org_path")?,
        parent_plan_id: col(r, "parent_plan_id")?,
        number: col(r, "number")?,
        issuing_body: col(r, "issuing_body")?,
        issued_on: col(r, "issued_on")?,
        period_from: col(r, "period_from")?,
        period_to: col(r, "period_to")?,
        title: col(r, "title")?,
        bases: col(r, "bases")?,
        body: col(r, "body")?,
        signer_authority: col(r, "signer_authority")?,
        signer_title: col(r, "signer_title")?,
        signer_name: col(r, "signer_name")?,
        recipients: col(r, "recipients")?,
        version: col(r, "version")?,
    })
}

/// A plan's entry in the search index: "Kế hoạch số N — title", bases and body.
pub(crate) fn plan_search_doc(p: &Plan) -> SearchDoc {
    SearchDoc {
        kind: "plan".into(),
        record_id: p.id,
        org_path: p.org_path.clone(),
        title: format!("Kế hoạch số {} — {}", p.number, p.title),
        body: format!("{}\n{}", p.bases, p.body),
        year: Some(p.period_from),
        ..Default::default()
    }
}

/// A criteria set's entry: its name and criteria, shown on its plan's page.
pub(crate) fn criteria_set_search_doc(s: &CriteriaSet) -> SearchDoc {
    SearchDoc {
        kind: "criteria_set".into(),
        record_id: s.id,
        link_id: s.plan_id,
        org_path: s.org_path.clone(),
        title: s.name.clone(),
        body: s.criteria.iter().map(|c| format!("{} {}", c.code, c.text)).collect::<Vec<_>>().join("\n"),
        year: Some(s.period_from),
        ..Default::default()
    }
}

pub async fn create_plan(db: &Db, actor: &Actor, mut p: Plan) -> StoreResult<Plan> {
    p.number = text::normalize_line(&p.number);
    p.issuing_body = text::normalize_line(&p.issuing_body);
    p.title = text::normalize_line(&p.title);
    p.bases = text::normalize(&p.bases);
    p.body = text::normalize(&p.body);
    p.recipients = text::normalize(&p.recipients);
    let mut inv = Invalid::new();
    inv.required("number", "số, ký hiệu", &p.number, 60);
    inv.required("title", "trích yếu", &p.title, 500);
    if p.period_to < p.period_from {
        inv.add("period_to", "invalid", "Năm kết thúc giai đoạn phải sau năm bắt đầu.");
    }
    inv.into_result()?;
    let org = crate::orgs::get(db, p.org_id).await?;
    let mut tx = db.begin().await?;
    let now = now_ms();
    let id: i64 = col(
        &sqlx::query(
            "INSERT INTO plans (org_id, org_path, parent_plan_id, number, issuing_body, issued_on, period_from, period_to, title, bases, body, \
             signer_authority, signer_title, signer_name, recipients, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16) RETURNING id",
        )
        .bind(org.id)
        .bind(&org.path)
        .bind(p.parent_plan_id)
        .bind(&p.number)
        .bind(&p.issuing_body)
        .bind(&p.issued_on)
        .bind(p.period_from)
        .bind(p.period_to)
        .bind(&p.title)
        .bind(&p.bases)
        .bind(&p.body)
        .bind(&p.signer_authority)
        .bind(&p.signer_title)
        .bind(&p.signer_name)
        .bind(&p.recipients)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?,
        "id",
    )?;
    let plan = plan_from_row(&sqlx::query(&format!("SELECT {PLAN_COLUMNS} FROM plans WHERE id = $1")).bind(id).fetch_one(&mut *tx).await?)?;
    search::index(&mut tx, &plan_search_doc(&plan)).await?;
    audit::record(&mut tx, actor, "create", "plan", Some(id), Some(&plan.org_path), &plan.number, None, serde_json::to_value(&plan).ok().as_ref())
        .await?;
    tx.commit().await?;
    Ok(plan)
}

pub async fn get_plan(db: &Db, id: i64) -> StoreResult<Plan> {
    let row = sqlx::query(&format!("SELECT {PLAN_COLUMNS} FROM plans WHERE id = $1"))
        .bind(id)
        .fetch_optional(db.reader())
        .await?
        .ok_or(StoreError::NotFound)?;
    plan_from_row(&row)
}

/// Plans issued at the given node or above it (those that bind it): the
/// root's first, each node's newest first.
pub async fn plans_for(db: &Db, org_path: &str) -> StoreResult<Vec<Plan>> {
    let lineage = OrgPath(org_path.to_string()).lineage();
    if lineage.is_empty() {
        return Ok(vec![]);
    }
    let sql = format!("SELECT {PLAN_COLUMNS} FROM plans WHERE org_path IN ({}) ORDER BY issued_on DESC, id DESC", placeholders(lineage.len()));
    let mut q = sqlx::query(&sql);
    for p in &lineage {
        q = q.bind(p.as_str());
    }
    let mut plans = q.fetch_all(db.reader()).await?.iter().map(plan_from_row).collect::<StoreResult<Vec<_>>>()?;
    plans.sort_by_key(|p| p.org_path.len()); // stable: keeps the order within a node
    Ok(plans)
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Criterion {
    #[serde(default)]
    pub id: i64,
    /// Position in the plan, e.g. `III.2.1`.
    pub code: String,
    /// `chung` (general), `tap_the` (collectives) or `ca_nhan` (individuals).
    pub applies_to: String,
    pub text: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CriteriaSet {
    pub id: i64,
    pub org_id: i64,
    pub org_path: String,
    pub plan_id: Option<i64>,
    pub name: String,
    pub period_from: i64,
    pub period_to: i64,
    pub criteria: Vec<Criterion>,
}

pub async fn create_criteria_set(
    db: &Db,
    actor: &Actor,
    org_id: i64,
    plan_id: Option<i64>,
    name: &str,
    period: (i64, i64),
    criteria: &[Criterion],
) -> StoreResult<CriteriaSet> {
    let org = crate::orgs::get(db, org_id).await?;
    let name = text::normalize_line(name);
    let mut inv = Invalid::new();
    inv.required("name", "tên bộ tiêu chí", &name, 300);
    if period.1 < period.0 || !(2000..=2100).contains(&period.0) {
        inv.add("period_to", "invalid", "Giai đoạn áp dụng không hợp lệ (năm kết thúc phải sau năm bắt đầu).");
    }
    if criteria.is_empty() {
        inv.add("criteria", "required", "Vui lòng nhập ít nhất một tiêu chí.");
    }
    if criteria.len() > 100 || criteria.iter().any(|c| c.text.chars().count() > 5000 || !["chung", "tap_the", "ca_nhan"].contains(&c.applies_to.as_str())) {
        inv.add("criteria", "invalid", "Mỗi tiêu chí dài tối đa 5000 ký tự, tối đa 100 tiêu chí, áp dụng cho chung, tập thể hoặc cá nhân.");
    }
    inv.into_result()?;
    let mut tx = db.begin().await?;
    let now = now_ms();
    let id: i64 = col(
        &sqlx::query(
            "INSERT INTO criteria_sets (org_id, org_path, plan_id, name, period_from, period_to, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
        )
        .bind(org.id)
        .bind(&org.path)
        .bind(plan_id)
        .bind(&name)
        .bind(period.0)
        .bind(period.1)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?,
        "id",
    )?;
    let mut kept = Vec::with_capacity(criteria.len());
    for (i, c) in criteria.iter().enumerate() {
        let mut c = Criterion { id: 0, code: text::normalize_line(&c.code), applies_to: c.applies_to.clone(), text: text::normalize(&c.text) };
        c.id = col(&sqlx::query("INSERT INTO criteria (set_id, code, applies_to, text, position) VALUES ($1, $2, $3, $4, $5) RETURNING id")
            .bind(id)
            .bind(&c.code)
            .bind(&c.applies_to)
            .bind(&c.text)
            .bind(i as i64)
            .fetch_one(&mut *tx)
            .await?, "id")?;
        kept.push(c);
    }
    let set = CriteriaSet { id, org_id: org.id, org_path: org.path.clone(), plan_id, name, period_from: period.0, period_to: period.1, criteria: kept };
    search::index(&mut tx, &criteria_set_search_doc(&set)).await?;
    audit::record(&mut tx, actor, "create", "criteria_set", Some(id), Some(&org.path), &set.name, None, serde_json::to_value(&set).ok().as_ref())
        .await?;
    tx.commit().await?;
    Ok(set)
}

const SET_COLUMNS: &str = "id, org_id, org_path, plan_id, name, period_from, period_to";

/// Sets from their rows, each with its criteria (one more query for all).
async fn sets_from_rows(db: &Db, rows: &[AnyRow]) -> StoreResult<Vec<CriteriaSet>> {
    let ids = rows.iter().map(|r| col(r, "id")).collect::<StoreResult<Vec<i64>>>()?;
    let mut criteria = criteria_of_sets(db, &ids).await?;
    rows.iter()
        .map(|r| {
            let id: i64 = col(r, "id")?;
            Ok(CriteriaSet {
                id,
                org_id: col(r, "org_id")?,
                org_path: col(r, "org_path")?,
                plan_id: col(r, "plan_id")?,
                name: col(r, "name")?,
                period_from: col(r, "period_from")?,
                period_to: col(r, "period_to")?,
                criteria: criteria.remove(&id).unwrap_or_default(),
            })
        })
        .collect()
}

pub async fn criteria_set(db: &Db, id: i64) -> StoreResult<CriteriaSet> {
    let row = sqlx::query(&format!("SELECT {SET_COLUMNS} FROM criteria_sets WHERE id = $1")).bind(id).fetch_optional(db.reader()).await?.ok_or(StoreError::NotFound)?;
    sets_from_rows(db, &[row]).await?.pop().ok_or(StoreError::NotFound)
}

/// Criteria sets that apply at a node: its own and those of its ancestors,
/// the root's first, each node's newest period first.
pub async fn criteria_sets_for(db: &Db, org_path: &str) -> StoreResult<Vec<CriteriaSet>> {
    let lineage = OrgPath(org_path.to_string()).lineage();
    if lineage.is_empty() {
        return Ok(vec![]);
    }
    let sql = format!("SELECT {SET_COLUMNS} FROM criteria_sets WHERE org_path IN ({}) ORDER BY period_from DESC, id", placeholders(lineage.len()));
    let mut q = sqlx::query(&sql);
    for p in &lineage {
        q = q.bind(p.as_str());
    }
    let mut rows = q.fetch_all(db.reader()).await?;
    rows.sort_by_cached_key(|r| col::<String>(r, "org_path").map(|p| p.len()).unwrap_or(0)); // stable, as above
    sets_from_rows(db, &rows).await
}

/// The criteria of many sets in one query, each set's in plan order.
pub async fn criteria_of_sets(db: &Db, set_ids: &[i64]) -> StoreResult<HashMap<i64, Vec<Criterion>>> {
    let mut out: HashMap<i64, Vec<Criterion>> = HashMap::new();
    if set_ids.is_empty() {
        return Ok(out);
    }
    let sql = format!("SELECT set_id, id, code, applies_to, text FROM criteria WHERE set_id IN ({}) ORDER BY set_id, position", placeholders(set_ids.len()));
    let mut q = sqlx::query(&sql);
    for id in set_ids {
        q = q.bind(*id);
    }
    for c in q.fetch_all(db.reader()).await? {
        let criterion = Criterion { id: col(&c, "id")?, code: col(&c, "code")?, applies_to: col(&c, "applies_to")?, text: col(&c, "text")? };
        out.entry(col(&c, "set_id")?).or_default().push(criterion);
    }
    Ok(out)
}
