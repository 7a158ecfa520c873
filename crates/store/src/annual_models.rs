//! Annual models (mô hình tiêu biểu của năm, plan V.1): each TCCS builds at
//! least one a year; its cấp ủy must approve it before it counts.

use dienhinh_domain::AuditAction;
use crate::db::within_subtrees;
use crate::row::{all, FromRow};
use crate::write::{Stored, Write};
use crate::{now_ms, vals, Actor, Db, Found, StoreError, StoreResult};
use dienhinh_domain::annual_model::ModelStatus;
use dienhinh_domain::{clock, OrgPath, RecordKind};
use serde::Serialize;
use sqlx::AnyConnection;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AnnualModel {
    pub id: i64,
    pub org_id: i64,
    pub org_name: String,
    #[schema(value_type = String)]
    pub org_path: OrgPath,
    pub year: i64,
    pub exemplar_id: Option<i64>,
    pub title: String,
    pub description: String,
    /// dang_ky, da_duyet, khong_duyet
    #[schema(value_type = String)]
    pub status: ModelStatus,
    pub decision_note: String,
    pub decided_by: Option<String>,
    pub version: i64,
}

crate::from_row!(AnnualModel { id, org_id, org_name, org_path, year, exemplar_id, title, description, status, decision_note, decided_by, version });
crate::row::coded_cols!(ModelStatus);

pub use dienhinh_domain::annual_model::AnnualModelInput;

/// The model's own columns (`org_name` comes from its unit, `decided_by`
/// from [`DECIDED_BY`]).
fn own_columns() -> impl Iterator<Item = &'static str> {
    AnnualModel::COLUMNS.iter().copied().filter(|c| *c != "org_name" && *c != "decided_by")
}

/// Who decided, as a person's full name: decisions are recorded with the
/// decider's name; those recorded before with a login name show the name of
/// the user who has it (history is read, never rewritten).
const DECIDED_BY: &str = "COALESCE((SELECT full_name FROM users WHERE users.username = annual_models.decided_by), annual_models.decided_by)";

async fn load_annual_model(conn: &mut AnyConnection, id: i64) -> StoreResult<AnnualModel> {
    let cols: Vec<String> = own_columns().map(|c| format!("annual_models.{c}")).collect();
    let sql = format!(
        "SELECT {}, o.name AS org_name, {DECIDED_BY} AS decided_by FROM annual_models JOIN orgs o ON o.id = annual_models.org_id WHERE annual_models.id = $1",
        cols.join(", ")
    );
    AnnualModel::from_row(&sqlx::query(&sql).bind(id).fetch_optional(conn).await?.ok_or(StoreError::NotFound)?)
}

crate::stored!(AnnualModel: AnnualModel at org_path, summary r => r.title.clone(), load load_annual_model, tallies tallies);

fn tallies(m: &AnnualModel) -> Vec<dienhinh_domain::counter::Tally> {
    vec![dienhinh_domain::counter::model(&m.org_path, m.status, m.year)]
}

pub async fn get(db: &Db, id: i64) -> StoreResult<AnnualModel> {
    AnnualModel::load(&mut *db.reader().acquire().await?, id).await
}

/// Registers a unit's model for a year, in `w`.
pub async fn register_in(w: &mut Write<'_>, i: &AnnualModelInput) -> StoreResult<AnnualModel> {
    let v = i.validate(clock::current_year())?;
    let org = crate::orgs::fetch(w.conn(), v.org_id).await.not_found_as("org_id", "Không tìm thấy đơn vị.")?;
    if let Some(eid) = v.exemplar_id {
        let at = crate::kinds::org_path_of(w.conn(), RecordKind::Exemplar, eid).await.optional()?;
        if !at.is_some_and(|p| org.path.contains(&p)) {
            return Err(StoreError::invalid("exemplar_id", "not_found", "Điển hình gắn với mô hình phải thuộc đơn vị đăng ký."));
        }
    }
    let now = now_ms();
    let id = w
        .insert(
            "annual_models",
            vals![
                ("org_id", org.id),
                ("org_path", org.path.as_str()),
                ("year", v.year),
                ("exemplar_id", v.exemplar_id),
                ("title", v.title.as_str()),
                ("description", v.description.as_str()),
                ("status", ModelStatus::DangKy.code()),
                ("created_at", now),
                ("updated_at", now),
            ],
        )
        .await?;
    let m: AnnualModel = w.load(id).await?;
    w.created(&m).await?;
    Ok(m)
}

pub async fn register(db: &Db, actor: &Actor, i: AnnualModelInput) -> StoreResult<AnnualModel> {
    let mut w = db.write(actor).await?;
    let m = register_in(&mut w, &i).await?;
    w.commit().await?;
    Ok(m)
}

/// The cấp ủy's decision (`annual_model::decide`; the route checks who asks).
pub async fn decide(db: &Db, actor: &Actor, id: i64, version: i64, approve: bool, note: &str) -> StoreResult<AnnualModel> {
    let mut w = db.write(actor).await?;
    let before: AnnualModel = w.load(id).await?;
    let (status, note) = dienhinh_domain::annual_model::decide(before.status, approve, note)?;
    // What the unit is counted as follows its approved models
    // (`Metric::TccsApprovedModel`): read before and after.
    let unit_before = crate::orgs::fetch_counted(w.conn(), before.org_id).await?;
    w.update_versioned::<AnnualModel>(
        id,
        version,
        vals![("status", status.code()), ("decision_note", note.as_str()), ("decided_by", actor.name.as_str()), ("decided_at", now_ms())],
    )
    .await?;
    let after: AnnualModel = w.load(id).await?;
    w.changed(AuditAction::Update, Some(&before), &after, &format!("{}: {}", status.label(), after.title)).await?;
    let unit_after = crate::orgs::fetch_counted(w.conn(), after.org_id).await?;
    w.count(&unit_before.tallies(), &unit_after.tallies()).await?;
    w.commit().await?;
    Ok(after)
}

/// Models of a year inside the given subtrees.
pub async fn for_year(db: &Db, within: &[OrgPath], year: i64) -> StoreResult<Vec<AnnualModel>> {
    use sea_query::{Alias, Expr, Order, Query};
    if within.is_empty() {
        return Ok(vec![]);
    }
    let mut q = Query::select();
    q.columns(own_columns().map(Alias::new))
        .expr_as(Expr::cust("(SELECT name FROM orgs WHERE orgs.id = annual_models.org_id)"), Alias::new("org_name"))
        .expr_as(Expr::cust(DECIDED_BY), Alias::new("decided_by"))
        .from(Alias::new("annual_models"))
        .cond_where(within_subtrees("org_path", &crate::orgs::as_queried(db, within).await?))
        .and_where(Expr::col(Alias::new("year")).eq(year))
        .order_by(Alias::new("org_path"), Order::Asc)
        .order_by(Alias::new("id"), Order::Asc);
    let (sql, values) = crate::db::build(db.backend, &q);
    all(&sqlx::query_with(&sql, values).fetch_all(db.reader()).await?)
}

/// Most TCCS listed as lacking an approved model.
const MISSING_MAX: u64 = 500;

/// TCCS đảng inside the subtrees with no approved model for the year
/// (columns of an `Org`, unordered): the list below, whose length the
/// counters give (`figures::tccs_without_approved_model`).
fn tccs_without_approved_query(within: &[OrgPath], year: i64) -> sea_query::SelectStatement {
    use sea_query::{Alias, Expr, Query};
    let approved = Query::select()
        .expr(Expr::val(1))
        .from(Alias::new("annual_models"))
        .and_where(Expr::col((Alias::new("annual_models"), Alias::new("org_id"))).equals((Alias::new("orgs"), Alias::new("id"))))
        .and_where(Expr::col((Alias::new("annual_models"), Alias::new("year"))).eq(year))
        .and_where(Expr::col((Alias::new("annual_models"), Alias::new("status"))).eq(ModelStatus::DaDuyet.code()))
        .to_owned();
    Query::select()
        .columns(<crate::orgs::Org as FromRow>::COLUMNS.iter().copied().map(Alias::new))
        .from(Alias::new("orgs"))
        .cond_where(within_subtrees("path", within))
        .and_where(Expr::col(Alias::new("kind")).eq(dienhinh_domain::OrgKind::Tccs.code()))
        .and_where(Expr::exists(approved).not())
        .to_owned()
}

/// TCCS đảng inside the subtrees with no approved model for the year, by
/// name (at most 500). One query whatever the size of the subtrees.
pub async fn tccs_without_approved(db: &Db, within: &[OrgPath], year: i64) -> StoreResult<Vec<crate::orgs::Org>> {
    use sea_query::{Alias, Order};
    if within.is_empty() {
        return Ok(vec![]);
    }
    let mut q = tccs_without_approved_query(within, year);
    q.order_by(Alias::new("sort_key"), Order::Asc).order_by(Alias::new("id"), Order::Asc).limit(MISSING_MAX);
    let (sql, values) = crate::db::build(db.backend, &q);
    sqlx::query_with(&sql, values).fetch_all(db.reader()).await?.iter().map(crate::orgs::from_row).collect()
}
