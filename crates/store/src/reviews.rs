//! Review reports (sơ kết, tổng kết; plan 48-KH/ĐUK II.5, V): a TCCS's
//! report for a period. Its narrative is written while it is a draft (or
//! returned); sending it freezes the figures of `figures::for_period` and
//! issues its number from the register, in the same write; every step is
//! kept with its comment. The rules are `domain::review`.

use crate::db::{col, within_subtrees};
use crate::figures::PeriodFigures;
use crate::page::{Listing, Position, SortKey};
use crate::row::{all, FromRow};
use crate::write::{Stored, Write};
use crate::{now_ms, vals, Actor, Db, Found, StoreError, StoreResult};
use dienhinh_domain::access::Assignment;
use dienhinh_domain::document::DocType;
use dienhinh_domain::order::ReviewOrder;
use dienhinh_domain::period::Period;
use dienhinh_domain::review::{self, Difference, FigureKey, Refused, ReviewStatus, ReviewStep};
use dienhinh_domain::{clock, AuditAction, OrgKind, OrgPath};
use serde::Serialize;
use sqlx::AnyConnection;

pub use dienhinh_domain::review::ReviewInput;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = ReviewReport)]
pub struct Review {
    pub id: i64,
    /// The TCCS whose report it is.
    pub org_id: i64,
    pub org_name: String,
    #[schema(value_type = String)]
    pub org_path: OrgPath,
    pub period_from: i64,
    pub period_to: i64,
    /// nhap, da_gui, tra_lai, tiep_nhan
    #[schema(value_type = String)]
    pub status: ReviewStatus,
    pub results: String,
    pub shortcomings: String,
    pub lessons: String,
    pub tasks: String,
    /// The number in the register, issued when it was first sent.
    pub number_id: Option<i64>,
    /// Its number and symbol (`05-BC/ĐU`), once sent.
    pub symbol: Option<String>,
    /// When it was last sent (ms).
    pub submitted_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    pub version: i64,
}

crate::from_row!(Review {
    id, org_id, org_name, org_path, period_from, period_to, status, results, shortcomings, lessons, tasks, number_id, symbol, submitted_at,
    created_at, updated_at, version
});
crate::row::coded_cols!(ReviewStatus, ReviewStep);

impl Review {
    pub fn period(&self) -> Period {
        Period { from: self.period_from, to: self.period_to }
    }
    /// The narrative parts in report order: (field, heading, text).
    pub fn parts(&self) -> [(&'static str, &'static str, &str); 4] {
        let t = [&self.results, &self.shortcomings, &self.lessons, &self.tasks];
        let mut i = 0;
        review::PARTS.map(|(f, h)| {
            i += 1;
            (f, h, t[i - 1].as_str())
        })
    }
}

crate::stored!(Review: Review at org_path, summary r => format!("Báo cáo {} của {}", r.period().label(), r.org_name), load fetch);

/// Columns the table holds itself (`org_name` and `symbol` are joined).
fn own_columns() -> impl Iterator<Item = &'static str> {
    Review::COLUMNS.iter().copied().filter(|c| *c != "org_name" && *c != "symbol")
}

const ORG_NAME: &str = "(SELECT name FROM orgs WHERE orgs.id = review_reports.org_id)";
const SYMBOL: &str = "(SELECT symbol FROM document_numbers WHERE document_numbers.id = review_reports.number_id)";

pub(crate) async fn fetch(conn: &mut AnyConnection, id: i64) -> StoreResult<Review> {
    let cols: Vec<&str> = own_columns().collect();
    let sql = format!("SELECT {}, {ORG_NAME} AS org_name, {SYMBOL} AS symbol FROM review_reports WHERE id = $1", cols.join(", "));
    Review::from_row(&sqlx::query(&sql).bind(id).fetch_optional(conn).await?.ok_or(StoreError::NotFound)?)
}

pub async fn get(db: &Db, id: i64) -> StoreResult<Review> {
    fetch(&mut *db.reader().acquire().await?, id).await
}

fn duplicate(p: Period) -> StoreError {
    StoreError::invalid("period_from", "duplicate", format!("Đơn vị đã có báo cáo {}; mở báo cáo đó trong danh sách để tiếp tục.", p.label()))
}

/// Drafts the report of a TCCS for a period, in `w`: one per TCCS and
/// period. The caller passes an `org_id` it may not see as
/// `access::UNSEEN`, refused exactly as a missing one.
pub async fn create_in(w: &mut Write<'_>, i: &ReviewInput) -> StoreResult<Review> {
    let v = i.validate(clock::current_year())?;
    let org = crate::orgs::fetch(w.conn(), v.org_id).await.not_found_as("org_id", "Không tìm thấy đơn vị.")?;
    if org.kind != OrgKind::Tccs {
        return Err(StoreError::invalid("org_id", "not_tccs", "Báo cáo sơ kết, tổng kết do tổ chức cơ sở đảng lập; hãy chọn một tổ chức cơ sở đảng."));
    }
    let taken = sqlx::query("SELECT id FROM review_reports WHERE org_id = $1 AND period_from = $2 AND period_to = $3")
        .bind(org.id)
        .bind(v.period.from)
        .bind(v.period.to)
        .fetch_optional(w.conn())
        .await?;
    if taken.is_some() {
        return Err(duplicate(v.period));
    }
    let now = now_ms();
    let id = w
        .insert(
            "review_reports",
            vals![
                ("org_id", org.id),
                ("org_path", org.path.as_str()),
                ("period_from", v.period.from),
                ("period_to", v.period.to),
                ("status", ReviewStatus::Draft.code()),
                ("results", v.results.as_str()),
                ("shortcomings", v.shortcomings.as_str()),
                ("lessons", v.lessons.as_str()),
                ("tasks", v.tasks.as_str()),
                ("created_at", now),
                ("updated_at", now),
            ],
        )
        .await
        .map_err(|e| match e {
            // Two drafts of the same report at once: the second is told as the first would be.
            StoreError::Db(ref d) if crate::error::is_unique_violation(d) => duplicate(v.period),
            e => e,
        })?;
    let r: Review = w.load(id).await?;
    w.created(&r).await?;
    Ok(r)
}

pub async fn create(db: &Db, actor: &Actor, i: ReviewInput) -> StoreResult<Review> {
    let mut w = db.write(actor).await?;
    let r = create_in(&mut w, &i).await?;
    w.commit().await?;
    Ok(r)
}

/// The narrative as typed (its unit and period are the report's own).
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct NarrativeInput {
    #[serde(default)]
    pub results: String,
    #[serde(default)]
    pub shortcomings: String,
    #[serde(default)]
    pub lessons: String,
    #[serde(default)]
    pub tasks: String,
}

fn not_editable(s: ReviewStatus) -> StoreError {
    StoreError::invalid("status", "not_editable", format!("Báo cáo đang ở trạng thái “{}”: không sửa được nữa.", s.label()))
}

/// Rewrites the narrative of a report that is still editable, if it is at `version`.
pub async fn edit_in(w: &mut Write<'_>, id: i64, version: i64, n: &NarrativeInput) -> StoreResult<Review> {
    let before: Review = w.load(id).await?;
    if before.version != version {
        return Err(StoreError::Conflict { current: serde_json::to_value(&before).unwrap_or_default() });
    }
    if !before.status.editable() {
        return Err(not_editable(before.status));
    }
    let input = ReviewInput {
        org_id: before.org_id,
        period_from: before.period_from,
        period_to: before.period_to,
        results: n.results.clone(),
        shortcomings: n.shortcomings.clone(),
        lessons: n.lessons.clone(),
        tasks: n.tasks.clone(),
    };
    // The report's own period is valid whatever year it is now.
    let v = input.validate(clock::current_year().max(before.period_to))?;
    w.update_versioned::<Review>(
        id,
        version,
        vals![("results", v.results.as_str()), ("shortcomings", v.shortcomings.as_str()), ("lessons", v.lessons.as_str()), ("tasks", v.tasks.as_str())],
    )
    .await?;
    let after: Review = w.load(id).await?;
    w.changed(AuditAction::Update, Some(&before), &after, &after.summary()).await?;
    Ok(after)
}

pub async fn edit(db: &Db, actor: &Actor, id: i64, version: i64, n: &NarrativeInput) -> StoreResult<Review> {
    let mut w = db.write(actor).await?;
    let r = edit_in(&mut w, id, version, n).await?;
    w.commit().await?;
    Ok(r)
}

pub use review::COMMENT_MAX;

/// The trích yếu of a report's number in the register.
pub fn subject(p: Period) -> String {
    let kind = if p.is_single_year() { "Sơ kết" } else { "Tổng kết" };
    format!("{kind} công tác phát hiện, bồi dưỡng, nhân rộng điển hình tiên tiến {}", p.label())
}

fn refused(r: Refused) -> StoreError {
    match r {
        Refused::NotAllowed(_) => StoreError::invalid("step", "not_allowed", "Anh/chị không có quyền thực hiện bước này với báo cáo của đơn vị."),
        Refused::NotNow(m) => StoreError::invalid("step", "not_now", m),
        Refused::CommentRequired => StoreError::invalid("comment", "required", "Trả lại báo cáo cần ghi rõ ý kiến để đơn vị hoàn thiện."),
        Refused::CommentTooLong => StoreError::invalid("comment", "too_long", format!("Ý kiến dài quá {} ký tự.", review::COMMENT_MAX)),
    }
}

/// Takes a step (`review::check`) by `who` on the report at `version`.
/// Sending freezes `figures` (the report's node and period, counted just
/// before the write) in place of any frozen earlier and, the first time,
/// issues the report's number from its unit's register: all in `w`.
pub async fn step_in(
    w: &mut Write<'_>,
    who: &[Assignment],
    id: i64,
    version: i64,
    step: ReviewStep,
    comment: &str,
    figures: Option<&PeriodFigures>,
) -> StoreResult<Review> {
    let before: Review = w.load(id).await?;
    if before.version != version {
        return Err(StoreError::Conflict { current: serde_json::to_value(&before).unwrap_or_default() });
    }
    let review::Allowed { to, comment } = review::check(before.status, step, who, &before.org_path, comment).map_err(refused)?;
    let now = now_ms();
    let mut values = vals![("status", to.code())];
    if step == ReviewStep::Submit {
        let f = figures.ok_or_else(|| StoreError::Other(anyhow::anyhow!("sending a report needs its figures")))?;
        freeze(w, id, f).await?;
        if before.number_id.is_none() {
            let n = crate::register::issue_in(w, before.org_id, DocType::BaoCao, &subject(before.period())).await?;
            values.extend(vals![("number_id", n.id)]);
        }
        values.extend(vals![("submitted_at", now)]);
    }
    w.update_versioned::<Review>(id, version, values).await?;
    w.insert_plain(
        "review_steps",
        vals![
            ("report_id", id),
            ("step", step.code()),
            ("from_status", before.status.code()),
            ("to_status", to.code()),
            ("comment", comment.as_str()),
            ("actor_id", w.actor.user_id),
            ("actor", w.actor.name.as_str()),
            ("at", now),
        ],
    )
    .await?;
    let after: Review = w.load(id).await?;
    w.changed(AuditAction::Transition, Some(&before), &after, &format!("{}: {}", step.label(), after.summary())).await?;
    Ok(after)
}

/// [`step_in`] in a write of its own; a send counts the figures first.
pub async fn step(db: &Db, actor: &Actor, who: &[Assignment], id: i64, version: i64, step: ReviewStep, comment: &str) -> StoreResult<Review> {
    let figures = if step == ReviewStep::Submit {
        let r = get(db, id).await?;
        let org = crate::orgs::get(db, r.org_id).await?;
        Some(crate::figures::for_period(db, &org, r.period()).await?)
    } else {
        None
    };
    let mut w = db.write(actor).await?;
    let r = step_in(&mut w, who, id, version, step, comment, figures.as_ref()).await?;
    w.commit().await?;
    Ok(r)
}

async fn freeze(w: &mut Write<'_>, id: i64, f: &PeriodFigures) -> StoreResult<()> {
    sqlx::query("DELETE FROM review_figures WHERE report_id = $1").bind(id).execute(w.conn()).await?;
    let mut position = 0i64;
    for t in &f.tables {
        for r in &t.rows {
            position += 1;
            w.insert_plain(
                "review_figures",
                vals![
                    ("report_id", id),
                    ("position", position),
                    ("table_key", t.key.as_str()),
                    ("table_title", t.title.as_str()),
                    ("row_code", r.code.as_str()),
                    ("label", r.label.as_str()),
                    ("count", r.count),
                ],
            )
            .await?;
        }
    }
    Ok(())
}

/// A figure as frozen in a sent report.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FrozenFigure {
    pub table_key: String,
    pub table_title: String,
    pub row_code: String,
    pub label: String,
    pub count: i64,
}

crate::from_row!(FrozenFigure { table_key, table_title, row_code, label, count });

/// The figures frozen when the report was last sent, in report order
/// (none for a report never sent).
pub async fn frozen(db: &Db, id: i64) -> StoreResult<Vec<FrozenFigure>> {
    let sql = "SELECT table_key, table_title, row_code, label, count FROM review_figures WHERE report_id = $1 ORDER BY position";
    all(&sqlx::query(sql).bind(id).fetch_all(db.reader()).await?)
}

/// The frozen figures as tables (the shape of [`PeriodFigures::tables`],
/// without drill-downs: they are what was sent, not a list of today).
pub fn frozen_tables(frozen: &[FrozenFigure]) -> Vec<crate::figures::FigureTable> {
    let mut out: Vec<crate::figures::FigureTable> = vec![];
    for f in frozen {
        if out.last().is_none_or(|t| t.key != f.table_key) {
            out.push(crate::figures::FigureTable {
                key: f.table_key.clone(),
                title: f.table_title.clone(),
                counted: String::new(),
                in_period: true,
                rows: vec![],
            });
        }
        let t = out.last_mut().expect("pushed");
        t.rows.push(crate::figures::Figure { code: f.row_code.clone(), label: f.label.clone(), count: f.count, drill: None });
    }
    out
}

/// A difference between a sent report and the records now, with its labels.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ShownDifference {
    #[serde(flatten)]
    pub difference: Difference,
    pub table_title: String,
    pub label: String,
}

/// What changed since the report was sent (`review::differences` between
/// its frozen figures and `now`, the same node and period counted today).
pub fn differences(frozen: &[FrozenFigure], now: &PeriodFigures) -> Vec<ShownDifference> {
    let f: Vec<(FigureKey, i64)> = frozen.iter().map(|x| ((x.table_key.clone(), x.row_code.clone()), x.count)).collect();
    let n: Vec<(FigureKey, i64)> = now.tables.iter().flat_map(|t| t.rows.iter().map(|r| ((t.key.clone(), r.code.clone()), r.count))).collect();
    review::differences(&f, &n)
        .into_iter()
        .map(|d| {
            let from_frozen = frozen.iter().find(|x| x.table_key == d.table && x.row_code == d.code).map(|x| (x.table_title.clone(), x.label.clone()));
            let from_now = || {
                let t = now.table(&d.table)?;
                Some((t.title.clone(), t.rows.iter().find(|r| r.code == d.code)?.label.clone()))
            };
            let (table_title, label) = from_frozen.or_else(from_now).unwrap_or_else(|| (d.table.clone(), d.code.clone()));
            ShownDifference { difference: d, table_title, label }
        })
        .collect()
}

/// A step in a report's history.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReviewStepRecord {
    pub id: i64,
    #[schema(value_type = String)]
    pub step: ReviewStep,
    #[schema(value_type = String)]
    pub from_status: ReviewStatus,
    #[schema(value_type = String)]
    pub to_status: ReviewStatus,
    pub comment: String,
    pub actor: String,
    pub at: i64,
}

crate::from_row!(ReviewStepRecord { id, step, from_status, to_status, comment, actor, at });

pub async fn steps(db: &Db, id: i64) -> StoreResult<Vec<ReviewStepRecord>> {
    let sql = "SELECT s.id, s.step, s.from_status, s.to_status, s.comment, COALESCE(u.full_name, s.actor) AS actor, s.at \
               FROM review_steps s LEFT JOIN users u ON u.id = s.actor_id WHERE s.report_id = $1 ORDER BY s.id";
    all(&sqlx::query(sql).bind(id).fetch_all(db.reader()).await?)
}

/// Which reports a list shows.
#[derive(Debug, Clone, Default)]
pub struct ReviewFilter {
    /// The caller's subtrees (nothing when empty).
    pub within: Vec<OrgPath>,
    /// Only the reports of this node's subtree.
    pub org_id: Option<i64>,
    /// Only the reports of exactly this period.
    pub period: Option<Period>,
    pub status: Option<ReviewStatus>,
}

/// A page of the reports `f` selects in `order` at `at`.
pub async fn listing(db: &Db, f: &ReviewFilter, order: ReviewOrder, at: Position<'_>) -> StoreResult<Listing<Review>> {
    use sea_query::{Alias, Expr, Query};
    if f.within.is_empty() {
        return Ok(Listing::empty());
    }
    let c = |n: &str| Expr::col(Alias::new(n));
    let mut q = Query::select();
    q.from(Alias::new("review_reports")).cond_where(within_subtrees("org_path", &crate::orgs::as_queried(db, &f.within).await?));
    if let Some(org_id) = f.org_id {
        match crate::orgs::get(db, org_id).await.optional()? {
            Some(org) => {
                q.cond_where(within_subtrees("org_path", &[org.org_path()]));
            }
            None => return Ok(Listing::empty()),
        }
    }
    if let Some(p) = f.period {
        q.and_where(c("period_from").eq(p.from)).and_where(c("period_to").eq(p.to));
    }
    if let Some(s) = f.status {
        q.and_where(c("status").eq(s.code()));
    }
    let columns = |q: &mut sea_query::SelectStatement| {
        q.columns(own_columns().map(Alias::new))
            .expr_as(Expr::cust(ORG_NAME), Alias::new("org_name"))
            .expr_as(Expr::cust(SYMBOL), Alias::new("symbol"));
    };
    let sort = match order {
        ReviewOrder::Newest => SortKey::column("period_to", true, true),
        ReviewOrder::Status => SortKey::rank::<ReviewStatus>("status"),
    };
    crate::page::listing(db, crate::page::Rows::of("review_reports", q), columns, sort, at, Review::from_row).await
}

// ---------------------------------------------------------------------------
// The aggregate of a node above the TCCS (a bloc): who reported, its figures
// and those of the period before.
// ---------------------------------------------------------------------------

/// Most TCCS named one by one in an aggregate (the counts cover them all).
pub const AGGREGATE_UNITS_MAX: i64 = 1_000;

/// A TCCS under the node and its report for the period, if any.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UnitReport {
    pub org_id: i64,
    pub org_name: String,
    pub report_id: Option<i64>,
    /// Its report's status; none: no report at all.
    #[schema(value_type = Option<String>)]
    pub status: Option<ReviewStatus>,
    pub symbol: Option<String>,
}

/// How many TCCS under the node stand where.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct ReportedCounts {
    pub tccs: i64,
    /// Sent and waiting for the bloc.
    pub submitted: i64,
    pub accepted: i64,
    pub returned: i64,
    /// Being drafted.
    pub draft: i64,
    /// No report begun.
    pub none: i64,
}

impl ReportedCounts {
    /// Those whose report has not reached the bloc (draft, returned, none).
    pub fn not_sent(&self) -> i64 {
        self.draft + self.returned + self.none
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Aggregate {
    pub org_id: i64,
    pub org_name: String,
    pub period: Period,
    pub counts: ReportedCounts,
    /// The TCCS by name (at most [`AGGREGATE_UNITS_MAX`]).
    pub units: Vec<UnitReport>,
    /// More TCCS than listed.
    pub units_truncated: bool,
    /// The node's figures over the period.
    pub figures: PeriodFigures,
    /// The same figures over the period of the same length just before.
    pub earlier: PeriodFigures,
}

/// The period of the same length just before `p` (2024 for 2025; 2018–2021 for 2022–2025).
pub fn earlier(p: Period) -> Period {
    let len = p.to - p.from + 1;
    Period { from: p.from - len, to: p.to - len }
}

/// The aggregate of `node` (which the caller may see) for `period`: the
/// TCCS under it and where their reports stand (a grouped count and one
/// page of names), its figures and those of the period before.
pub async fn aggregate(db: &Db, node: &crate::orgs::Org, period: Period) -> StoreResult<Aggregate> {
    let (lo, hi) = (node.path.as_str().to_string(), node.path.subtree_upper_bound());
    let join = "FROM orgs o LEFT JOIN review_reports r ON r.org_id = o.id AND r.period_from = $3 AND r.period_to = $4 \
                WHERE o.path >= $1 AND o.path < $2 AND o.kind = $5";
    let grouped = sqlx::query(&format!("SELECT COALESCE(r.status, '') AS status, COUNT(*) AS n {join} GROUP BY COALESCE(r.status, '')"))
        .bind(&lo)
        .bind(&hi)
        .bind(period.from)
        .bind(period.to)
        .bind(OrgKind::Tccs.code())
        .fetch_all(db.reader())
        .await?;
    let mut counts = ReportedCounts::default();
    for r in &grouped {
        let (s, n): (String, i64) = (col(r, "status")?, col(r, "n")?);
        counts.tccs += n;
        match ReviewStatus::from_code(&s) {
            Some(ReviewStatus::Draft) => counts.draft += n,
            Some(ReviewStatus::Submitted) => counts.submitted += n,
            Some(ReviewStatus::Returned) => counts.returned += n,
            Some(ReviewStatus::Accepted) => counts.accepted += n,
            None => counts.none += n,
        }
    }
    let rows = sqlx::query(&format!(
        "SELECT o.id AS org_id, o.name AS org_name, r.id AS report_id, r.status AS status, \
         (SELECT symbol FROM document_numbers d WHERE d.id = r.number_id) AS symbol {join} ORDER BY o.sort_key, o.id LIMIT $6"
    ))
    .bind(&lo)
    .bind(&hi)
    .bind(period.from)
    .bind(period.to)
    .bind(OrgKind::Tccs.code())
    .bind(AGGREGATE_UNITS_MAX)
    .fetch_all(db.reader())
    .await?;
    let units = rows
        .iter()
        .map(|r| {
            Ok(UnitReport {
                org_id: col(r, "org_id")?,
                org_name: col(r, "org_name")?,
                report_id: col(r, "report_id")?,
                status: FromCol::from_col(r, "status")?,
                symbol: col(r, "symbol")?,
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
    let figures = crate::figures::for_period(db, node, period).await?;
    let earlier = crate::figures::for_period(db, node, earlier(period)).await?;
    Ok(Aggregate {
        org_id: node.id,
        org_name: node.name.clone(),
        period,
        units_truncated: counts.tccs > units.len() as i64,
        counts,
        units,
        figures,
        earlier,
    })
}

use crate::row::FromCol;
