//! Every figure shown anywhere (home page now; reports, dashboards and the
//! compliance board later) comes from this module, so a number means the
//! same thing on every page and in every document.

use crate::db::{build, col, within_subtrees};
use crate::{Db, StoreResult};
use dienhinh_domain::exemplar::{Level, Status};
use dienhinh_domain::OrgPath;
use sea_query::{Alias, Expr, Func, Query};

/// Number of exemplars per status and per level inside the subtrees.
#[derive(Debug, Clone, Default, serde::Serialize, utoipa::ToSchema)]
pub struct ExemplarFigures {
    pub total: i64,
    /// (status code, label, count) in lifecycle order.
    pub by_status: Vec<(String, String, i64)>,
    /// (level code, label, count), excluding dropped exemplars.
    pub by_level: Vec<(String, String, i64)>,
    pub fostering_open: i64,
    pub fostering_overdue: i64,
    pub replications: i64,
}

/// Exemplars inside the subtrees per (status, level), from the covering
/// index `exemplars_status_level`: naming every status lets both databases
/// seek one range per status instead of reading the subtree's rows.
async fn by_status_and_level(db: &Db, within: &[OrgPath]) -> StoreResult<Vec<(String, String, i64)>> {
    let mut q = Query::select();
    q.columns([Alias::new("status"), Alias::new("level")])
        .expr_as(Func::count(Expr::col(Alias::new("status"))), Alias::new("n"))
        .from(Alias::new("exemplars"))
        .cond_where(within_subtrees("org_path", within))
        .and_where(Expr::col(Alias::new("status")).is_in(Status::ALL.iter().map(|s| s.code())))
        .group_by_col(Alias::new("status"))
        .group_by_col(Alias::new("level"));
    let (sql, values) = build(db.backend, &q);
    sqlx::query_with(&sql, values).fetch_all(db.reader()).await?.iter().map(|r| Ok((col(r, "status")?, col(r, "level")?, col(r, "n")?))).collect()
}

async fn count(db: &Db, table: &str, within: &[OrgPath], extra: Option<sea_query::SimpleExpr>) -> StoreResult<i64> {
    count_at(db, table, "org_path", within, extra).await
}

/// Rows of `table` whose node (the path in `path_column`) lies inside the subtrees.
async fn count_at(db: &Db, table: &str, path_column: &str, within: &[OrgPath], extra: Option<sea_query::SimpleExpr>) -> StoreResult<i64> {
    if within.is_empty() {
        return Ok(0);
    }
    let mut q = Query::select();
    // COUNT(*), not COUNT(id): the subtree indexes do not hold id on
    // PostgreSQL, and counting a column outside the index reads every row.
    q.expr_as(Expr::cust("COUNT(*)"), Alias::new("n")).from(Alias::new(table)).cond_where(within_subtrees(path_column, within));
    if let Some(e) = extra {
        q.and_where(e);
    }
    let (sql, values) = build(db.backend, &q);
    col(&sqlx::query_with(&sql, values).fetch_one(db.reader()).await?, "n")
}

/// Organisations (every node, the roots of the subtrees included) inside the subtrees.
pub async fn organisations(db: &Db, within: &[OrgPath]) -> StoreResult<i64> {
    count_at(db, "orgs", "path", within, None).await
}

/// People (accounts, active or not) working at a node inside the subtrees.
pub async fn people(db: &Db, within: &[OrgPath]) -> StoreResult<i64> {
    count_at(db, "users", "org_path", within, None).await
}

pub async fn exemplars(db: &Db, within: &[OrgPath]) -> StoreResult<ExemplarFigures> {
    if within.is_empty() {
        return Ok(ExemplarFigures::default());
    }
    let rows = by_status_and_level(db, within).await?;
    let status_n = |code: &str| rows.iter().filter(|(s, _, _)| s == code).map(|(_, _, n)| n).sum::<i64>();
    // Levels of exemplars still in the programme (dropped ones excluded).
    let level_n = |code: &str| rows.iter().filter(|(s, l, _)| l == code && s != Status::Dung.code()).map(|(_, _, n)| n).sum::<i64>();
    let today = dienhinh_domain::clock::today_iso();
    let open = Expr::col(Alias::new("status")).eq("dang_thuc_hien");
    Ok(ExemplarFigures {
        total: rows.iter().map(|(_, _, n)| n).sum(),
        by_status: Status::ALL.iter().map(|s| (s.code().to_string(), s.label().to_string(), status_n(s.code()))).collect(),
        by_level: Level::ALL.iter().map(|l| (l.code().to_string(), l.label().to_string(), level_n(l.code()))).collect(),
        fostering_open: count(db, "fostering_items", within, Some(open.clone())).await?,
        fostering_overdue: count(db, "fostering_items", within, Some(open.and(Expr::col(Alias::new("due_on")).lt(today)))).await?,
        replications: count(db, "replications", within, None).await?,
    })
}

/// What waits for someone's action now, inside the subtrees; each figure
/// is the length of the list its card opens (the same condition).
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ActionFigures {
    /// Models of `year` registered and not yet decided (`/models?status=dang_ky`).
    pub models_waiting: i64,
    /// Exemplars being fostered, waiting for recognition.
    pub awaiting_recognition: i64,
    /// Exemplars with an open fostering item overdue or due within 30 days.
    pub fostering_due: i64,
    /// Recognised exemplars with no evaluation for `year`.
    pub evaluations_due: i64,
}

/// Which of [`ActionFigures`] a page shows (the others stay 0): a card is
/// counted only for someone who can act on it. The fostering count probes
/// each exemplar of the subtree (17 ms for a bloc of 4,000 exemplars at
/// province scale), so it is not paid by people who never see it.
#[derive(Debug, Clone, Copy, Default)]
pub struct ActionsWanted {
    pub approvals: bool,
    pub fostering: bool,
    pub evaluations: bool,
}

pub async fn actions(db: &Db, within: &[OrgPath], year: i64, want: ActionsWanted) -> StoreResult<ActionFigures> {
    use dienhinh_domain::annual_model::ModelStatus;
    let status = |s: &'static str| Expr::col(Alias::new("status")).eq(s);
    let mut a = ActionFigures::default();
    if want.approvals {
        a.models_waiting = count(db, "annual_models", within, Some(status(ModelStatus::DangKy.code()).and(Expr::col(Alias::new("year")).eq(year)))).await?;
        a.awaiting_recognition = count(db, "exemplars", within, Some(status(Status::BoiDuong.code()))).await?;
    }
    if want.fostering {
        a.fostering_due = count(db, "exemplars", within, Some(crate::exemplars::fostering_due())).await?;
    }
    if want.evaluations {
        a.evaluations_due = count(db, "exemplars", within, Some(crate::exemplars::evaluation_due(year))).await?;
    }
    Ok(a)
}

/// A unit's count of something in a year.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct UnitCount {
    pub org_id: i64,
    pub org_name: String,
    pub count: i64,
}

/// The propaganda items of a year inside the subtrees (plan II.3, IV.2).
#[derive(Debug, Clone, Default, serde::Serialize, utoipa::ToSchema)]
pub struct PropagandaFigures {
    pub year: i64,
    pub total: i64,
    /// (channel code, label, count), every channel in display order.
    pub by_channel: Vec<(String, String, i64)>,
    /// (type code, label, count), every type in display order.
    pub by_type: Vec<(String, String, i64)>,
    /// The units that made items, most first (then by name).
    pub by_unit: Vec<UnitCount>,
}

/// Propaganda items of `year` inside the subtrees, per unit, channel and
/// type: one grouped query on the index `propaganda_items_year`.
pub async fn propaganda(db: &Db, within: &[OrgPath], year: i64) -> StoreResult<PropagandaFigures> {
    use dienhinh_domain::propaganda::{Channel, ItemType};
    let mut f = PropagandaFigures { year, ..Default::default() };
    let mut rows: Vec<(i64, String, String, String, i64)> = vec![];
    if !within.is_empty() {
        let p = |c: &str| Expr::col((Alias::new("propaganda_items"), Alias::new(c)));
        let mut q = Query::select();
        q.expr_as(p("org_id"), Alias::new("org_id"))
            .expr_as(Expr::col((Alias::new("orgs"), Alias::new("name"))), Alias::new("org_name"))
            .expr_as(p("channel"), Alias::new("channel"))
            .expr_as(p("item_type"), Alias::new("item_type"))
            .expr_as(Expr::cust("COUNT(*)"), Alias::new("n"))
            .from(Alias::new("propaganda_items"))
            .inner_join(Alias::new("orgs"), Expr::col((Alias::new("orgs"), Alias::new("id"))).equals((Alias::new("propaganda_items"), Alias::new("org_id"))))
            .cond_where(within_subtrees("org_path", within))
            .and_where(p("year").eq(year))
            .group_by_columns([
                (Alias::new("propaganda_items"), Alias::new("org_id")),
                (Alias::new("orgs"), Alias::new("name")),
                (Alias::new("propaganda_items"), Alias::new("channel")),
                (Alias::new("propaganda_items"), Alias::new("item_type")),
            ]);
        let (sql, values) = build(db.backend, &q);
        for r in sqlx::query_with(&sql, values).fetch_all(db.reader()).await? {
            rows.push((col(&r, "org_id")?, col(&r, "org_name")?, col(&r, "channel")?, col(&r, "item_type")?, col(&r, "n")?));
        }
    }
    f.total = rows.iter().map(|r| r.4).sum();
    f.by_channel = Channel::ALL.iter().map(|c| (c.code().into(), c.label().into(), rows.iter().filter(|r| r.2 == c.code()).map(|r| r.4).sum())).collect();
    f.by_type = ItemType::ALL.iter().map(|t| (t.code().into(), t.label().into(), rows.iter().filter(|r| r.3 == t.code()).map(|r| r.4).sum())).collect();
    let mut units: std::collections::BTreeMap<i64, UnitCount> = std::collections::BTreeMap::new();
    for (org_id, org_name, _, _, n) in rows {
        units.entry(org_id).or_insert(UnitCount { org_id, org_name, count: 0 }).count += n;
    }
    f.by_unit = units.into_values().collect();
    f.by_unit.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| dienhinh_text::sort_key(&a.org_name).cmp(&dienhinh_text::sort_key(&b.org_name))));
    Ok(f)
}
