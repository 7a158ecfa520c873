//! Plans (kế hoạch) and criteria sets (bộ tiêu chí), versioned by period.

use dienhinh_domain::AuditAction;
use crate::db::{col, placeholders, within_subtrees};
use crate::page::{limit, Listing, Page, Position, SortKey};
use dienhinh_domain::order::PlanOrder;
use crate::row::{select_list, FromRow};
use crate::search::SearchDoc;
use crate::write::Stored;
use crate::{now_ms, vals, Actor, Db, StoreError, StoreResult};
use dienhinh_domain::evaluation::AppliesTo;
use dienhinh_domain::{Invalid, OrgPath, RecordKind};
use sqlx::AnyConnection;
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
    #[schema(value_type = String)]
    pub org_path: OrgPath,
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

crate::from_row!(Plan {
    id, org_id, org_path, parent_plan_id, number, issuing_body, issued_on, period_from, period_to, title, bases, body,
    signer_authority, signer_title, signer_name, recipients, version
});


fn plan_select() -> String {
    format!("SELECT {} FROM plans", select_list(Plan::COLUMNS, None))
}

async fn load_plan(conn: &mut AnyConnection, id: i64) -> StoreResult<Plan> {
    Plan::from_row(&sqlx::query(&format!("{} WHERE id = $1", plan_select())).bind(id).fetch_optional(conn).await?.ok_or(StoreError::NotFound)?)
}

crate::stored!(Plan: Plan at org_path, summary r => r.number.clone(), load load_plan, search plan_search_doc);

/// A plan's entry in the search index: "Kế hoạch số N — title", bases and body.
pub(crate) fn plan_search_doc(p: &Plan) -> SearchDoc {
    SearchDoc {
        kind: RecordKind::Plan,
        record_id: p.id,
        link_id: None,
        org_path: p.org_path.as_str().to_string(),
        title: format!("Kế hoạch số {} — {}", p.number, p.title),
        body: format!("{}\n{}", p.bases, p.body),
        hidden_words: String::new(),
        year: Some(p.period_from),
        field: None,
        public: false,
    }
}

/// A criteria set's entry: its name and criteria, shown on its plan's page.
pub(crate) fn criteria_set_search_doc(s: &CriteriaSet) -> SearchDoc {
    SearchDoc {
        kind: RecordKind::CriteriaSet,
        record_id: s.id,
        link_id: s.plan_id,
        org_path: s.org_path.as_str().to_string(),
        title: s.name.clone(),
        body: s.criteria.iter().map(|c| format!("{} {}", c.code, c.text)).collect::<Vec<_>>().join("\n"),
        hidden_words: String::new(),
        year: Some(s.period_from),
        field: None,
        public: false,
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
    let mut w = db.write(actor).await?;
    let org = crate::orgs::fetch(w.conn(), p.org_id).await?;
    let now = now_ms();
    let id = w
        .insert(
            "plans",
            vals![
                ("org_id", org.id),
                ("org_path", org.path.as_str()),
                ("parent_plan_id", p.parent_plan_id),
                ("number", p.number.as_str()),
                ("issuing_body", p.issuing_body.as_str()),
                ("issued_on", p.issued_on.as_str()),
                ("period_from", p.period_from),
                ("period_to", p.period_to),
                ("title", p.title.as_str()),
                ("bases", p.bases.as_str()),
                ("body", p.body.as_str()),
                ("signer_authority", p.signer_authority.as_str()),
                ("signer_title", p.signer_title.as_str()),
                ("signer_name", p.signer_name.as_str()),
                ("recipients", p.recipients.as_str()),
                ("created_at", now),
                ("updated_at", now),
            ],
        )
        .await?;
    let plan: Plan = w.load(id).await?;
    w.created(&plan).await?;
    w.commit().await?;
    Ok(plan)
}

pub async fn get_plan(db: &Db, id: i64) -> StoreResult<Plan> {
    Plan::load(&mut *db.reader().acquire().await?, id).await
}

/// Plans issued at the given node or above it (those that bind it): the
/// root's first, each node's newest first.
pub async fn plans_for(db: &Db, at: &OrgPath) -> StoreResult<Vec<Plan>> {
    let lineage = at.lineage();
    if lineage.is_empty() {
        return Ok(vec![]);
    }
    let sql = format!("{} WHERE org_path IN ({}) ORDER BY issued_on DESC, id DESC", plan_select(), placeholders(lineage.len()));
    let mut q = sqlx::query(&sql);
    for p in &lineage {
        q = q.bind(p.as_str());
    }
    let mut plans: Vec<Plan> = crate::row::all(&q.fetch_all(db.reader()).await?)?;
    plans.sort_by_key(|p| p.org_path.as_str().len()); // stable: keeps the order within a node
    Ok(plans)
}

/// Which plans a caller's list holds.
#[derive(Debug, Clone, Default)]
pub struct PlanFilter {
    /// The caller's node: the plans issued there or above bind it.
    pub at: OrgPath,
    /// Subtrees the caller may view: every plan issued inside them (a bloc
    /// sees its TCCS's implementation plans, the province the bloc's).
    pub within: Vec<OrgPath>,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

/// The plans a caller may read (those that bind their node and those issued
/// in the subtrees they view, as `access` lets them open each), newest
/// issued first, keyset-paged on (issued_on, id) descending: one query a page.
pub async fn list(db: &Db, f: &PlanFilter) -> StoreResult<Page<Plan>> {
    Ok(listing(db, f, PlanOrder::Newest, Position::after(f.cursor.as_deref(), limit(f.limit))).await?.page())
}

/// A page of the plans `f` selects (its cursor aside) in `order` at `at`.
pub async fn listing(db: &Db, f: &PlanFilter, order: PlanOrder, at: Position<'_>) -> StoreResult<Listing<Plan>> {
    use sea_query::{Alias, Cond, Expr, Query};
    let lineage: Vec<String> = f.at.lineage().iter().map(|p| p.as_str().to_string()).collect();
    let mut reads = Cond::any().add(within_subtrees("org_path", &crate::orgs::as_queried(db, &f.within).await?));
    if !lineage.is_empty() {
        reads = reads.add(Expr::col(Alias::new("org_path")).is_in(lineage));
    }
    let mut q = Query::select();
    q.from(Alias::new("plans")).cond_where(reads);
    let columns = |q: &mut sea_query::SelectStatement| {
        q.columns(Plan::COLUMNS.iter().copied().map(Alias::new));
    };
    let sort = SortKey::column("issued_on", false, order == PlanOrder::Newest);
    crate::page::listing(db, crate::page::Rows::of("plans", q), columns, sort, at, Plan::from_row).await
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Criterion {
    #[serde(default)]
    pub id: i64,
    /// Position in the plan, e.g. `III.2.1`.
    pub code: String,
    /// `chung` (general), `tap_the` (collectives) or `ca_nhan` (individuals).
    #[schema(value_type = String)]
    pub applies_to: AppliesTo,
    pub text: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CriteriaSet {
    pub id: i64,
    pub org_id: i64,
    #[schema(value_type = String)]
    pub org_path: OrgPath,
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
    let name = text::normalize_line(name);
    let mut inv = Invalid::new();
    inv.required("name", "tên bộ tiêu chí", &name, 300);
    if period.1 < period.0 || !(2000..=2100).contains(&period.0) {
        inv.add("period_to", "invalid", "Giai đoạn áp dụng không hợp lệ (năm kết thúc phải sau năm bắt đầu).");
    }
    if criteria.is_empty() {
        inv.add("criteria", "required", "Vui lòng nhập ít nhất một tiêu chí.");
    }
    if criteria.len() > 100 || criteria.iter().any(|c| c.text.chars().count() > 5000) {
        inv.add("criteria", "invalid", "Mỗi tiêu chí dài tối đa 5000 ký tự, tối đa 100 tiêu chí.");
    }
    inv.into_result()?;
    let mut w = db.write(actor).await?;
    let org = crate::orgs::fetch(w.conn(), org_id).await?;
    let now = now_ms();
    let id = w
        .insert(
            "criteria_sets",
            vals![
                ("org_id", org.id),
                ("org_path", org.path.as_str()),
                ("plan_id", plan_id),
                ("name", name.as_str()),
                ("period_from", period.0),
                ("period_to", period.1),
                ("created_at", now),
                ("updated_at", now),
            ],
        )
        .await?;
    let mut kept = Vec::with_capacity(criteria.len());
    for (i, c) in criteria.iter().enumerate() {
        let mut c = Criterion { id: 0, code: text::normalize_line(&c.code), applies_to: c.applies_to, text: text::normalize(&c.text) };
        c.id = w
            .insert("criteria", vals![("set_id", id), ("code", c.code.as_str()), ("applies_to", c.applies_to.code()), ("text", c.text.as_str()), ("position", i as i64)])
            .await?;
        kept.push(c);
    }
    let set = CriteriaSet { id, org_id: org.id, org_path: org.path.clone(), plan_id, name, period_from: period.0, period_to: period.1, criteria: kept };
    w.changed(AuditAction::Create, None, &set, &set.name).await?;
    w.commit().await?;
    Ok(set)
}

crate::stored!(CriteriaSet: CriteriaSet at org_path, summary r => r.name.clone(), load criteria_set_in, search criteria_set_search_doc);

crate::from_row!(CriteriaSet { id, org_id, org_path, plan_id, name, period_from, period_to }; criteria = vec![]);
crate::from_row!(Criterion { id, code, applies_to, text });
crate::row::coded_cols!(AppliesTo);

const SET_COLUMNS: &str = "id, org_id, org_path, plan_id, name, period_from, period_to";

/// Sets read from `rows`, with their criteria in one more query.
async fn sets_with_criteria(conn: &mut AnyConnection, rows: &[AnyRow]) -> StoreResult<Vec<CriteriaSet>> {
    let mut sets: Vec<CriteriaSet> = crate::row::all(rows)?;
    let mut criteria = criteria_of(conn, &sets.iter().map(|s| s.id).collect::<Vec<_>>()).await?;
    for s in &mut sets {
        s.criteria = criteria.remove(&s.id).unwrap_or_default();
    }
    Ok(sets)
}

/// The criteria of many sets in one query, each set's in plan order.
async fn criteria_of(conn: &mut AnyConnection, set_ids: &[i64]) -> StoreResult<HashMap<i64, Vec<Criterion>>> {
    let mut out: HashMap<i64, Vec<Criterion>> = HashMap::new();
    if set_ids.is_empty() {
        return Ok(out);
    }
    let sql = format!("SELECT set_id, id, code, applies_to, text FROM criteria WHERE set_id IN ({}) ORDER BY set_id, position", placeholders(set_ids.len()));
    let mut q = sqlx::query(&sql);
    for id in set_ids {
        q = q.bind(*id);
    }
    for r in q.fetch_all(&mut *conn).await? {
        out.entry(col(&r, "set_id")?).or_default().push(Criterion::from_row(&r)?);
    }
    Ok(out)
}

/// The criteria of many sets in one query (see `criteria_of`).
pub async fn criteria_of_sets(db: &Db, set_ids: &[i64]) -> StoreResult<HashMap<i64, Vec<Criterion>>> {
    criteria_of(&mut *db.reader().acquire().await?, set_ids).await
}

/// One criteria set with its criteria, read on `conn`.
pub(crate) async fn criteria_set_in(conn: &mut AnyConnection, id: i64) -> StoreResult<CriteriaSet> {
    let rows = sqlx::query(&format!("SELECT {SET_COLUMNS} FROM criteria_sets WHERE id = $1")).bind(id).fetch_all(&mut *conn).await?;
    sets_with_criteria(conn, &rows).await?.pop().ok_or(StoreError::NotFound)
}

/// Up to `limit` sets with ids above `after`, in id order (index rebuilds).
pub(crate) async fn criteria_sets_after(conn: &mut AnyConnection, after: i64, limit: i64) -> StoreResult<Vec<CriteriaSet>> {
    let rows = sqlx::query(&format!("SELECT {SET_COLUMNS} FROM criteria_sets WHERE id > $1 ORDER BY id LIMIT $2")).bind(after).bind(limit).fetch_all(&mut *conn).await?;
    sets_with_criteria(conn, &rows).await
}

pub async fn criteria_set(db: &Db, id: i64) -> StoreResult<CriteriaSet> {
    criteria_set_in(&mut *db.reader().acquire().await?, id).await
}

/// Criteria sets that apply at a node: its own and those of its ancestors,
/// the root's first, each node's newest period first.
pub async fn criteria_sets_for(db: &Db, at: &OrgPath) -> StoreResult<Vec<CriteriaSet>> {
    let lineage = at.lineage();
    if lineage.is_empty() {
        return Ok(vec![]);
    }
    let sql = format!("SELECT {SET_COLUMNS} FROM criteria_sets WHERE org_path IN ({}) ORDER BY period_from DESC, id", placeholders(lineage.len()));
    let mut q = sqlx::query(&sql);
    for p in &lineage {
        q = q.bind(p.as_str());
    }
    let mut conn = db.reader().acquire().await?;
    let mut rows = q.fetch_all(&mut *conn).await?;
    rows.sort_by_cached_key(|r| col::<String>(r, "org_path").map(|p| p.len()).unwrap_or(0)); // stable, as above
    sets_with_criteria(&mut conn, &rows).await
}

