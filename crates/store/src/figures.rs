//! Every figure shown anywhere (home page now; reports, dashboards and the
//! compliance board later) comes from this module, so a number means the
//! same thing on every page and in every document.
//!
//! What a record is counted as is kept in the node counters (`counters`,
//! rules in `domain::counter`): a subtree's figures are the rows of its
//! root, one query whatever its size. What a record lacks is a difference
//! of two counters: the evaluations due this year are the recognised
//! exemplars less those counted as evaluated in it, the TCCS without an
//! approved model every TCCS less those counted as having one. What
//! depends on today's date (overdue or due fostering) is counted from an
//! index and capped at [`COUNT_CAP`] rows, so its cost stops growing with
//! the subtree once the answer is "more than 999".

use crate::counters::{self, Counts};
use crate::db::{build, col, within_subtrees};
use crate::{Db, StoreResult};
use dienhinh_domain::annual_model::ModelStatus;
use dienhinh_domain::counter::{parse_exemplar_key, parse_model_key, parse_propaganda_key, Metric};
use dienhinh_domain::exemplar::{Level, Status};
use dienhinh_domain::fostering::FosteringStatus;
use dienhinh_domain::period::Period;
use dienhinh_domain::propaganda::{Channel, ItemType};
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

/// Subtrees as their figures read them (`orgs::as_queried`: the whole
/// tree for a role holding every root), resolved once per page: for a
/// province that is a query, and a home page asks five figures.
#[derive(Debug, Clone)]
pub struct Within(Vec<OrgPath>);

impl Within {
    pub async fn of(db: &Db, within: &[OrgPath]) -> StoreResult<Within> {
        Ok(Within(crate::orgs::as_queried(db, within).await?))
    }

    pub fn paths(&self) -> &[OrgPath] {
        &self.0
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The counters of `metrics` for the subtrees, in one query: the rows of
/// each subtree's root (scope roots never overlap, so they add up; the
/// whole tree, `/` or roots holding every root, is the rows of
/// `counter::WHOLE_TREE`).
pub async fn counts(db: &Db, within: &Within, metrics: &[Metric]) -> StoreResult<Counts> {
    counters::read(&mut *db.reader().acquire().await?, &counter_roots(within.paths()), metrics).await
}

/// The counter nodes of subtrees as `orgs::as_queried` gives them: each
/// subtree's root, or the whole tree's node.
pub(crate) fn counter_roots(queried: &[OrgPath]) -> Vec<i64> {
    match queried {
        [whole] if whole.is_whole_tree() => vec![dienhinh_domain::counter::WHOLE_TREE],
        within => within.iter().filter_map(|p| p.ids().last().copied()).collect(),
    }
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
    let within = Within::of(db, within).await?;
    let c = counts(db, &within, &[Metric::Exemplars, Metric::Fostering, Metric::Replications]).await?;
    exemplar_figures(db, &within, &c).await
}

/// The exemplar figures from counters already read (with the exemplar,
/// fostering and replication metrics) plus the capped overdue count.
pub async fn exemplar_figures(db: &Db, within: &Within, c: &Counts) -> StoreResult<ExemplarFigures> {
    if within.is_empty() {
        return Ok(ExemplarFigures::default());
    }
    let rows = exemplar_counts(c);
    let status_n = |s: Status| rows.iter().filter(|r| r.0 == s).map(|r| r.2).sum::<i64>();
    // Levels of exemplars still in the programme (dropped ones excluded).
    let level_n = |l: Level| rows.iter().filter(|r| r.1 == l && r.0 != Status::Dung).map(|r| r.2).sum::<i64>();
    let today = dienhinh_domain::clock::today_iso();
    let overdue = open_fostering(within.paths()).and_where(Expr::col(Alias::new("due_on")).lt(today)).to_owned();
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
    /// Recognised exemplars with no evaluation for `year`.
    pub evaluations_due: i64,
}

/// Which of [`ActionFigures`] a page shows (the others stay 0): a card is
/// counted only for someone who can act on it. Fostering due depends on
/// today, so is counted from an index (capped), not paid by people who
/// never see it.
#[derive(Debug, Clone, Copy, Default)]
pub struct ActionsWanted {
    pub approvals: bool,
    pub fostering: bool,
    pub evaluations: bool,
}

/// The action figures, from counters already read (with the exemplar,
/// model and recognised-evaluated metrics) plus the capped count wanted.
pub async fn actions(db: &Db, within: &Within, c: &Counts, year: i64, want: ActionsWanted) -> StoreResult<ActionFigures> {
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
        let mut q = open_fostering(within.paths());
        q.and_where(due.clone().is_not_null()).and_where(due.lte(due_soon_until(dienhinh_domain::clock::today()))).distinct();
        a.fostering_due = capped_count(db, q).await?;
    }
    if want.evaluations {
        a.evaluations_due = evaluations_due(c, year);
    }
    Ok(a)
}

/// Recognised exemplars with no evaluation for `year` (the list
/// `exemplars::evaluation_due` selects): every recognised one, less those
/// counted as evaluated that year.
fn evaluations_due(c: &Counts, year: i64) -> i64 {
    let recognised: i64 = exemplar_counts(c).iter().filter(|r| r.0.is_recognised()).map(|r| r.2).sum();
    recognised - c.sum(Metric::RecognisedEvaluated, |key| key == year.to_string())
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
    propaganda_in(db, within, Period::year(year)).await
}

/// [`propaganda`] over the years of a period (`year` is its first).
async fn propaganda_in(db: &Db, within: &[OrgPath], period: Period) -> StoreResult<PropagandaFigures> {
    let mut f = PropagandaFigures { year: period.from, ..Default::default() };
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
            .cond_where(within_subtrees("org_path", &crate::orgs::as_queried(db, within).await?))
            .and_where(p("year").between(period.from, period.to))
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
    // Each name's sort key made once (not twice per comparison: thousands of units).
    f.by_unit.sort_by_cached_key(|u| (std::cmp::Reverse(u.count), dienhinh_text::sort_key(&u.org_name)));
    Ok(f)
}

/// TCCS đảng inside the subtrees with no approved model of their own for
/// `year` (the list `annual_models::tccs_without_approved` shows), from
/// counters already read (with the org and TCCS-approved-model metrics):
/// every TCCS less those counted as having one that year.
pub fn tccs_without_approved_model(c: &Counts, year: i64) -> i64 {
    let tccs = c.sum(Metric::Orgs, |kind| kind == dienhinh_domain::OrgKind::Tccs.code());
    tccs - c.sum(Metric::TccsApprovedModel, |key| key == year.to_string())
}

// ---------------------------------------------------------------------------
// Figures of one node over a period: the dashboard, the review report, the
// statistics workbook and `/api/v1/figures` all read this one function.
// ---------------------------------------------------------------------------

/// The list a figure opens, with the filter that selects exactly what it
/// counts (the web turns it into a link; a test follows every one).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Drill {
    /// The list's path (`/exemplars`).
    pub list: String,
    /// Its query parameters, in order.
    pub filter: Vec<(String, String)>,
}

impl Drill {
    /// The list's address with the filter (`/exemplars?org_id=5&status=…`).
    pub fn href(&self) -> String {
        let q = serde_urlencoded::to_string(&self.filter).unwrap_or_default();
        if q.is_empty() { self.list.clone() } else { format!("{}?{q}", self.list) }
    }
}

/// One figure: what it counts, how many, and the records it counts when a
/// list can show them.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Figure {
    /// The code of what is counted (a status, a field id, a year…).
    pub code: String,
    pub label: String,
    pub count: i64,
    pub drill: Option<Drill>,
}

/// A table of figures (one breakdown): a sheet of the workbook, a table of
/// the report, a chart of the dashboard.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct FigureTable {
    /// Stable name (`exemplars_by_status`).
    pub key: String,
    pub title: String,
    /// What the rows count (the column heading).
    pub counted: String,
    /// Counts what happened in the period (false: a state as of today).
    pub in_period: bool,
    pub rows: Vec<Figure>,
}

impl FigureTable {
    pub fn total(&self) -> i64 {
        self.rows.iter().map(|r| r.count).sum()
    }
    pub fn max(&self) -> i64 {
        self.rows.iter().map(|r| r.count).max().unwrap_or(0)
    }
}

/// One year of the trend.
#[derive(Debug, Clone, Default, serde::Serialize, utoipa::ToSchema)]
pub struct YearFigures {
    pub year: i64,
    /// Exemplars found that year (new factors).
    pub exemplars_found: i64,
    pub models_registered: i64,
    pub models_approved: i64,
    pub evaluations: i64,
    pub replications: i64,
    pub study_visits: i64,
}

/// A unit directly under the node, over the period.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct UnitFigures {
    pub org_id: i64,
    pub org_name: String,
    pub exemplars_found: i64,
    pub replications: i64,
    pub drill: Drill,
}

/// Every figure of a node over a period.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct PeriodFigures {
    pub org_id: i64,
    pub org_name: String,
    pub period: Period,
    /// New factors (exemplars found in the period).
    pub exemplars_found: i64,
    pub tables: Vec<FigureTable>,
    /// One entry per year of the period.
    pub trend: Vec<YearFigures>,
    /// The units directly under the node.
    pub units: Vec<UnitFigures>,
}

impl PeriodFigures {
    /// Nothing at all was recorded in the period (the report says so).
    pub fn is_empty(&self) -> bool {
        self.exemplars_found == 0 && self.tables.iter().filter(|t| t.in_period).all(|t| t.total() == 0)
    }
    pub fn table(&self, key: &str) -> Option<&FigureTable> {
        self.tables.iter().find(|t| t.key == key)
    }
}

/// The metrics a period's figures read from the counters.
const PERIOD_METRICS: &[Metric] = &[
    Metric::Exemplars,
    Metric::ExemplarFields,
    Metric::Models,
    Metric::Evaluations,
    Metric::Replications,
    Metric::StudyVisits,
    Metric::Fostering,
    Metric::Propaganda,
];

fn year_key(key: &str) -> Option<i64> {
    key.parse().ok()
}

/// The exemplar list of the node and period, narrowed by `more`.
fn exemplar_drill(org_id: i64, p: Period, more: &[(&str, String)]) -> Drill {
    let mut filter = vec![("org_id".to_string(), org_id.to_string())];
    filter.extend(more.iter().map(|(k, v)| (k.to_string(), v.clone())));
    filter.push(("year_from".into(), p.from.to_string()));
    filter.push(("year_to".into(), p.to.to_string()));
    Drill { list: "/exemplars".into(), filter }
}

fn table(key: &str, title: &str, counted: &str, rows: Vec<Figure>) -> FigureTable {
    FigureTable { key: key.into(), title: title.into(), counted: counted.into(), in_period: true, rows }
}

/// Every figure of node `node` (which the caller must be allowed to see:
/// the web checks it first) over `period`: the node's counters of the
/// period, its children's sums of the period (summed in SQL), the field
/// names, the commendation grouping and the capped overdue count. What it
/// reads grows with what it shows (keys, years, units directly below), not
/// with the records of the subtree.
pub async fn for_period(db: &Db, node: &crate::orgs::Org, period: Period) -> StoreResult<PeriodFigures> {
    use dienhinh_domain::exemplar::ExemplarKind;
    let within = [node.path.clone()];
    let c = counters::read_period(&mut *db.reader().acquire().await?, node.id, PERIOD_METRICS, period).await?;
    let ex: Vec<_> = c.of(Metric::Exemplars).filter_map(|(k, n)| parse_exemplar_key(k).map(|e| (e, n))).filter(|((_, _, _, y), _)| period.contains(*y)).collect();
    let sum_ex = |pick: &dyn Fn(ExemplarKind, Status, Level) -> bool| ex.iter().filter(|((k, s, l, _), _)| pick(*k, *s, *l)).map(|(_, n)| n).sum::<i64>();
    let drill = |more: &[(&str, String)]| Some(exemplar_drill(node.id, period, more));
    let mut tables = vec![];
    tables.push(table(
        "exemplars_by_status",
        "Điển hình phát hiện trong kỳ, theo giai đoạn",
        "Số điển hình",
        Status::ALL.iter().map(|s| Figure { code: s.code().into(), label: s.label().into(), count: sum_ex(&|_, st, _| st == *s), drill: drill(&[("status", s.code().into())]) }).collect(),
    ));
    tables.push(table(
        "exemplars_by_kind",
        "Điển hình phát hiện trong kỳ, theo loại",
        "Số điển hình",
        ExemplarKind::ALL.iter().map(|k| Figure { code: k.code().into(), label: k.label().into(), count: sum_ex(&|kk, _, _| kk == *k), drill: drill(&[("kind", k.code().into())]) }).collect(),
    ));
    tables.push(table(
        "exemplars_by_level",
        "Điển hình phát hiện trong kỳ, theo cấp",
        "Số điển hình",
        Level::ALL.iter().map(|l| Figure { code: l.code().into(), label: format!("Cấp {}", l.label()), count: sum_ex(&|_, _, ll| ll == *l), drill: drill(&[("level", l.code().into())]) }).collect(),
    ));
    let mut by_field: std::collections::HashMap<i64, i64> = std::collections::HashMap::new();
    for (k, n) in c.of(Metric::ExemplarFields) {
        if let Some((f, _, y)) = dienhinh_domain::counter::parse_exemplar_field_key(k) {
            if period.contains(y) {
                *by_field.entry(f).or_default() += n;
            }
        }
    }
    tables.push(table(
        "exemplars_by_field",
        "Điển hình phát hiện trong kỳ, theo lĩnh vực",
        "Số điển hình",
        crate::exemplars::fields(db)
            .await?
            .into_iter()
            .map(|f| Figure { code: f.id.to_string(), count: by_field.get(&f.id).copied().unwrap_or(0), drill: drill(&[("field_id", f.id.to_string())]), label: f.name })
            .collect(),
    ));
    let in_period_models = |st: ModelStatus| c.sum(Metric::Models, |k| parse_model_key(k).is_some_and(|(s, y)| s == st && period.contains(y)));
    tables.push(table(
        "models",
        "Mô hình “Dân vận khéo” hằng năm đăng ký trong kỳ",
        "Số mô hình",
        ModelStatus::ALL.iter().map(|s| Figure { code: s.code().into(), label: s.label().into(), count: in_period_models(*s), drill: None }).collect(),
    ));
    let per_year = |m: Metric| -> Vec<Figure> {
        period
            .years()
            .map(|y| Figure { code: y.to_string(), label: format!("Năm {y}"), count: c.sum(m, |k| year_key(k) == Some(y)), drill: None })
            .collect()
    };
    tables.push(table("evaluations", "Lượt kiểm tra, đánh giá điển hình", "Số lượt đánh giá", per_year(Metric::Evaluations)));
    tables.push(table("replications", "Lượt nhân rộng điển hình", "Số lượt nhân rộng", per_year(Metric::Replications)));
    tables.push(table("study_visits", "Lượt tham quan, học tập điển hình", "Số lượt tham quan", per_year(Metric::StudyVisits)));
    // Fostering is a state (open now, done, cancelled), not an event of a year.
    let today = dienhinh_domain::clock::today_iso();
    let overdue = capped_count(db, open_fostering(&within).and_where(Expr::col(Alias::new("due_on")).lt(today)).to_owned()).await?;
    let mut fostering: Vec<Figure> = FosteringStatus::ALL
        .iter()
        .map(|s| Figure { code: s.code().into(), label: s.label().into(), count: c.sum(Metric::Fostering, |k| k == s.code()), drill: None })
        .collect();
    fostering.push(Figure { code: "qua_han".into(), label: "Trong đó đang thực hiện đã quá hạn".into(), count: overdue, drill: None });
    tables.push(FigureTable { in_period: false, ..table("fostering", "Nội dung bồi dưỡng điển hình (đến nay)", "Số nội dung", fostering) });
    let pr: Vec<_> = c.of(Metric::Propaganda).filter_map(|(k, n)| parse_propaganda_key(k).map(|p| (p, n))).filter(|((_, _, y), _)| period.contains(*y)).collect();
    tables.push(table(
        "propaganda_by_type",
        "Tin, bài tuyên truyền trong kỳ, theo loại",
        "Số tin, bài",
        ItemType::ALL
            .iter()
            .map(|t| Figure { code: t.code().into(), label: t.label().into(), count: pr.iter().filter(|((tt, _, _), _)| tt == t).map(|(_, n)| n).sum(), drill: None })
            .collect(),
    ));
    tables.push(table(
        "propaganda_by_channel",
        "Tin, bài tuyên truyền trong kỳ, theo kênh",
        "Số tin, bài",
        Channel::ALL
            .iter()
            .map(|ch| Figure { code: ch.code().into(), label: ch.label().into(), count: pr.iter().filter(|((_, cc, _), _)| cc == ch).map(|(_, n)| n).sum(), drill: None })
            .collect(),
    ));
    tables.push(table("commendations", "Khen thưởng điển hình đã quyết định trong kỳ, theo hình thức", "Số điển hình được khen", commendations(db, &node.path, period).await?));

    let trend = period
        .years()
        .map(|y| YearFigures {
            year: y,
            exemplars_found: ex.iter().filter(|((_, _, _, yy), _)| *yy == y).map(|(_, n)| n).sum(),
            models_registered: c.sum(Metric::Models, |k| parse_model_key(k).is_some_and(|(_, yy)| yy == y)),
            models_approved: c.sum(Metric::Models, |k| parse_model_key(k) == Some((ModelStatus::DaDuyet, y))),
            evaluations: c.sum(Metric::Evaluations, |k| year_key(k) == Some(y)),
            replications: c.sum(Metric::Replications, |k| year_key(k) == Some(y)),
            study_visits: c.sum(Metric::StudyVisits, |k| year_key(k) == Some(y)),
        })
        .collect();
    let units = units(db, node, period).await?;
    Ok(PeriodFigures {
        org_id: node.id,
        org_name: node.name.clone(),
        period,
        exemplars_found: ex.iter().map(|(_, n)| n).sum(),
        tables,
        trend,
        units,
    })
}

/// The units directly under `node`: exemplars found and replications in
/// the period, their own counters summed in SQL (one query for all of
/// them, one row per unit and metric).
async fn units(db: &Db, node: &crate::orgs::Org, period: Period) -> StoreResult<Vec<UnitFigures>> {
    let children = crate::orgs::children(db, node.id).await?;
    let ids: Vec<i64> = children.iter().map(|o| o.id).collect();
    let sums = counters::sums_in_period(&mut *db.reader().acquire().await?, &ids, &[Metric::Exemplars, Metric::Replications], period).await?;
    let sum = |id: i64, m: Metric| sums.get(&(id, m)).copied().unwrap_or(0);
    Ok(children
        .into_iter()
        .map(|o| UnitFigures {
            exemplars_found: sum(o.id, Metric::Exemplars),
            replications: sum(o.id, Metric::Replications),
            drill: exemplar_drill(o.id, period, &[]),
            org_id: o.id,
            org_name: o.name,
        })
        .collect())
}

/// Nominations decided (commended) in rounds of the period's years, per
/// form, every form listed: one grouped query.
async fn commendations(db: &Db, node: &OrgPath, period: Period) -> StoreResult<Vec<Figure>> {
    use dienhinh_domain::commendation::NominationStatus;
    let rows = sqlx::query(
        "SELECT r.form_id, COUNT(*) AS n FROM nominations x JOIN commendation_rounds r ON r.id = x.round_id \
         WHERE x.org_path >= $1 AND x.org_path < $2 AND x.status = $3 AND r.year >= $4 AND r.year <= $5 GROUP BY r.form_id",
    )
    .bind(node.as_str())
    .bind(node.subtree_upper_bound())
    .bind(NominationStatus::Decided.code())
    .bind(period.from)
    .bind(period.to)
    .fetch_all(db.reader())
    .await?;
    let mut n: std::collections::HashMap<i64, i64> = std::collections::HashMap::new();
    for r in rows {
        n.insert(col(&r, "form_id")?, col(&r, "n")?);
    }
    let forms = sqlx::query("SELECT id, code, name FROM commendation_forms ORDER BY position, id").fetch_all(db.reader()).await?;
    forms
        .iter()
        .map(|r| {
            let id: i64 = col(r, "id")?;
            Ok(Figure { code: col(r, "code")?, label: col(r, "name")?, count: n.get(&id).copied().unwrap_or(0), drill: None })
        })
        .collect()
}
