//! Every figure shown anywhere (home page now; reports, dashboards and the
//! compliance board later) comes from this module, so a number means the
//! same thing on every page and in every document.
//!
//! What a record is counted as is kept in the node counters (`counters`,
//! rules in `domain::counter`): a subtree's figures are the rows of its
//! root, one query whatever its size. What depends on today (overdue or due
//! fostering, evaluations due, units still without an approved model) cannot
//! be a counter: it is counted from an index and capped at [`COUNT_CAP`]
//! rows, so its cost stops growing with the subtree once the answer is
//! "more than 999".

use crate::counters::{self, Counts};
use crate::db::{build, col, within_subtrees};
use crate::{Db, StoreResult};
use dienhinh_domain::annual_model::ModelStatus;
use dienhinh_domain::counter::{parse_exemplar_key, parse_model_key, Metric};
use dienhinh_domain::exemplar::{Level, Status};
use dienhinh_domain::fostering::FosteringStatus;
use dienhinh_domain::OrgPath;
use sea_query::{Alias, Expr, Query, SelectStatement};

/// A capped figure reaching this is shown as "more than `COUNT_CAP - 1`".
pub const COUNT_CAP: i64 = 1000;

/// Number of exemplars per status and per level inside the subtrees.
#[derive(Debug, Clone, Default, serde::Serialize, utoipa::ToSchema)]
pub struct ExemplarFigures {
    pub total: i64,
    /// (status code, label, count) in lifecycle order.
    pub by_status: Vec<(String, String, i64)>,
    /// (level code, label, count), excluding dropped exemplars.
    pub by_level: Vec<(String, String, i64)>,
    pub fostering_open: i64,
    /// Capped at [`COUNT_CAP`].
    pub fostering_overdue: i64,
    pub replications: i64,
}

/// The counters of `metrics` for the subtrees, in one query: the rows of
/// each subtree's root (scope roots never overlap, so they add up; the
/// path `/`, every tree, is the rows of every top node).
pub async fn counts(db: &Db, within: &[OrgPath], metrics: &[Metric]) -> StoreResult<Counts> {
    let mut conn = db.reader().acquire().await?;
    let mut roots = vec![];
    for p in within {
        match p.ids().last() {
            Some(id) => roots.push(*id),
            None if p.as_str() == "/" => {
                for r in sqlx::query("SELECT id FROM orgs WHERE parent_id IS NULL").fetch_all(&mut *conn).await? {
                    roots.push(col(&r, "id")?);
                }
            }
            None => {}
        }
    }
    counters::read(&mut conn, db.backend, &roots, metrics).await
}

/// Organisations (every node, the roots of the subtrees included) inside the subtrees.
pub fn organisations(c: &Counts) -> i64 {
    c.sum(Metric::Orgs, |_| true)
}

/// People (accounts, active or not) working at a node inside the subtrees.
pub fn people(c: &Counts) -> i64 {
    c.sum(Metric::Users, |_| true)
}

/// Exemplars of each status (and level) from the exemplar counters.
fn exemplar_counts(c: &Counts) -> Vec<(Status, Level, i64)> {
    c.of(Metric::Exemplars).filter_map(|(key, n)| parse_exemplar_key(key).map(|(_, s, l, _)| (s, l, n))).collect()
}

/// Models of `year` with `status`.
fn models(c: &Counts, status: ModelStatus, year: i64) -> i64 {
    c.sum(Metric::Models, |key| parse_model_key(key) == Some((status, year)))
}

pub async fn exemplars(db: &Db, within: &[OrgPath]) -> StoreResult<ExemplarFigures> {
    let c = counts(db, within, &[Metric::Exemplars, Metric::Fostering, Metric::Replications]).await?;
    exemplar_figures(db, within, &c).await
}

/// The exemplar figures from counters already read (with the exemplar,
/// fostering and replication metrics) plus the capped overdue count.
pub async fn exemplar_figures(db: &Db, within: &[OrgPath], c: &Counts) -> StoreResult<ExemplarFigures> {
    if within.is_empty() {
        return Ok(ExemplarFigures::default());
    }
    let rows = exemplar_counts(c);
    let status_n = |s: Status| rows.iter().filter(|r| r.0 == s).map(|r| r.2).sum::<i64>();
    // Levels of exemplars still in the programme (dropped ones excluded).
    let level_n = |l: Level| rows.iter().filter(|r| r.1 == l && r.0 != Status::Dung).map(|r| r.2).sum::<i64>();
    let today = dienhinh_domain::clock::today_iso();
    let overdue = open_fostering(within).and_where(Expr::col(Alias::new("due_on")).lt(today)).to_owned();
    Ok(ExemplarFigures {
        total: rows.iter().map(|r| r.2).sum(),
        by_status: Status::ALL.iter().map(|s| (s.code().to_string(), s.label().to_string(), status_n(*s))).collect(),
        by_level: Level::ALL.iter().map(|l| (l.code().to_string(), l.label().to_string(), level_n(*l))).collect(),
        fostering_open: c.sum(Metric::Fostering, |k| k == FosteringStatus::DangThucHien.code()),
        fostering_overdue: capped_count(db, overdue).await?,
        replications: c.sum(Metric::Replications, |_| true),
    })
}

/// Open fostering items inside the subtrees (index `fostering_open_due`).
fn open_fostering(within: &[OrgPath]) -> SelectStatement {
    Query::select()
        .expr(Expr::col(Alias::new("exemplar_id")))
        .from(Alias::new("fostering_items"))
        .and_where(Expr::col(Alias::new("status")).eq(FosteringStatus::DangThucHien.code()))
        .cond_where(within_subtrees("org_path", within))
        .to_owned()
}

/// The rows of `q`, counted up to [`COUNT_CAP`].
async fn capped_count(db: &Db, mut q: SelectStatement) -> StoreResult<i64> {
    q.limit(COUNT_CAP as u64);
    let outer = Query::select().expr_as(Expr::cust("COUNT(*)"), Alias::new("n")).from_subquery(q, Alias::new("capped")).to_owned();
    let (sql, values) = build(db.backend, &outer);
    col(&sqlx::query_with(&sql, values).fetch_one(db.reader()).await?, "n")
}

/// What waits for someone's action now, inside the subtrees; each figure
/// is the length of the list its card opens (the same condition).
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ActionFigures {
    /// Models of `year` registered and not yet decided (`/models?status=dang_ky`).
    pub models_waiting: i64,
    /// Exemplars being fostered, waiting for recognition.
    pub awaiting_recognition: i64,
    /// Exemplars with an open fostering item overdue or due within 30 days
    /// (capped at [`COUNT_CAP`]).
    pub fostering_due: i64,
    /// Recognised exemplars with no evaluation for `year` (capped at [`COUNT_CAP`]).
    pub evaluations_due: i64,
}

/// Which of [`ActionFigures`] a page shows (the others stay 0): a card is
/// counted only for someone who can act on it. The two that depend on
/// today are counted from indexes (capped), so not paid by people who
/// never see them.
#[derive(Debug, Clone, Copy, Default)]
pub struct ActionsWanted {
    pub approvals: bool,
    pub fostering: bool,
    pub evaluations: bool,
}

/// The action figures, from counters already read (with the exemplar and
/// model metrics) plus the capped counts wanted.
pub async fn actions(db: &Db, within: &[OrgPath], c: &Counts, year: i64, want: ActionsWanted) -> StoreResult<ActionFigures> {
    let mut a = ActionFigures::default();
    if within.is_empty() {
        return Ok(a);
    }
    if want.approvals {
        a.models_waiting = models(c, ModelStatus::DangKy, year);
        a.awaiting_recognition = exemplar_counts(c).iter().filter(|r| r.0 == Status::BoiDuong).map(|r| r.2).sum();
    }
    if want.fostering {
        use dienhinh_domain::fostering::due_soon_until;
        let due = Expr::col(Alias::new("due_on"));
        let mut q = open_fostering(within);
        q.and_where(due.clone().is_not_null()).and_where(due.lte(due_soon_until(dienhinh_domain::clock::today()))).distinct();
        a.fostering_due = capped_count(db, q).await?;
    }
    if want.evaluations {
        let q = Query::select()
            .expr(Expr::col(Alias::new("id")))
            .from(Alias::new("exemplars"))
            .cond_where(within_subtrees("org_path", within))
            .and_where(crate::exemplars::evaluation_due(year))
            .to_owned();
        a.evaluations_due = capped_count(db, q).await?;
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

/// TCCS đảng inside the subtrees with no approved model for `year`
/// (capped at [`COUNT_CAP`]).
pub async fn tccs_without_approved_model(db: &Db, within: &[OrgPath], year: i64) -> StoreResult<i64> {
    if within.is_empty() {
        return Ok(0);
    }
    capped_count(db, crate::annual_models::tccs_without_approved_query(within, year)).await
}
