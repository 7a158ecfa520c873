//! The node counters (`node_counts`; the rules in `domain::counter`): what
//! the write path adds and takes away (`apply`, called by `Write` only),
//! what the figures read (`read`, `read_period`, `sums_in_period`), and the
//! fresh count from the records that fills them after a migration or a
//! bulk load (`rebuild`) and that `dienhinh check` compares them with
//! (`differences`). Each row keeps the year its key counts in
//! (`Metric::year_of`) beside the key, so a period is a range in SQL.

use crate::bulk::{insert_sql, rows_per_statement, Inserter, Val};
use crate::db::{col, Backend, Tx};
use crate::StoreResult;
use dienhinh_domain::counter::{roll_up, Delta, Metric};
use dienhinh_domain::period::Period;
use dienhinh_domain::OrgPath;
use sqlx::AnyConnection;
use std::collections::{BTreeMap, HashMap};

const COLUMNS: &[&str] = &["org_id", "metric", "code", "year", "n"];

/// How each metric is counted afresh at the nodes themselves (not rolled
/// up), each code spelled as `domain::counter` spells it.
const FRESH: &[(Metric, &str)] = &[
    (Metric::Orgs, "SELECT path AS org_path, kind AS code, COUNT(*) AS n FROM orgs GROUP BY path, kind"),
    (Metric::Users, "SELECT org_path, CAST('' AS TEXT) AS code, COUNT(*) AS n FROM users GROUP BY org_path"),
    (
        Metric::Exemplars,
        "SELECT org_path, kind || '/' || status || '/' || level || '/' || CAST(year_found AS TEXT) AS code, COUNT(*) AS n \
         FROM exemplars GROUP BY org_path, kind, status, level, year_found",
    ),
    (Metric::Fostering, "SELECT org_path, status AS code, COUNT(*) AS n FROM fostering_items GROUP BY org_path, status"),
    (Metric::Evaluations, "SELECT org_path, CAST(period_year AS TEXT) AS code, COUNT(*) AS n FROM evaluations GROUP BY org_path, period_year"),
    (
        // The recognised statuses of `Status::is_recognised`.
        Metric::RecognisedEvaluated,
        // (Not a DISTINCT of every exemplar and year first: PostgreSQL
        // hashed the national 3,000,000 pairs for minutes.)
        "SELECT e.org_path, CAST(v.period_year AS TEXT) AS code, COUNT(DISTINCT v.exemplar_id) AS n \
         FROM evaluations v JOIN exemplars e ON e.id = v.exemplar_id \
         WHERE e.status IN ('cong_nhan', 'nhan_rong') GROUP BY e.org_path, v.period_year",
    ),
    (
        Metric::Replications,
        "SELECT org_path, SUBSTR(adopted_on, 1, 4) AS code, COUNT(*) AS n FROM replications GROUP BY org_path, SUBSTR(adopted_on, 1, 4)",
    ),
    (
        Metric::StudyVisits,
        "SELECT org_path, SUBSTR(visited_on, 1, 4) AS code, COUNT(*) AS n FROM study_visits GROUP BY org_path, SUBSTR(visited_on, 1, 4)",
    ),
    (
        Metric::ExemplarFields,
        "SELECT e.org_path, CAST(x.field_id AS TEXT) || '/' || e.status || '/' || CAST(e.year_found AS TEXT) AS code, COUNT(*) AS n \
         FROM exemplar_fields x JOIN exemplars e ON e.id = x.exemplar_id GROUP BY e.org_path, x.field_id, e.status, e.year_found",
    ),
    (
        Metric::Models,
        "SELECT org_path, status || '/' || CAST(year AS TEXT) AS code, COUNT(*) AS n FROM annual_models GROUP BY org_path, status, year",
    ),
    (
        // `OrgKind::Tccs`, `ModelStatus::DaDuyet`.
        Metric::TccsApprovedModel,
        "SELECT o.path AS org_path, CAST(m.year AS TEXT) AS code, COUNT(DISTINCT o.id) AS n \
         FROM annual_models m JOIN orgs o ON o.id = m.org_id WHERE o.kind = 'tccs' AND m.status = 'da_duyet' GROUP BY o.path, m.year",
    ),
    (
        Metric::Propaganda,
        "SELECT org_path, item_type || '/' || channel || '/' || CAST(year AS TEXT) AS code, COUNT(*) AS n \
         FROM propaganda_items GROUP BY org_path, item_type, channel, year",
    ),
];

/// Adds the deltas to the counters, in the caller's transaction (the
/// write path's; see `Write::changed`).
pub(crate) async fn apply(conn: &mut AnyConnection, backend: Backend, deltas: &[Delta]) -> StoreResult<()> {
    for chunk in deltas.chunks(rows_per_statement(backend, COLUMNS.len())) {
        let sql = format!(
            "{} ON CONFLICT (org_id, metric, code) DO UPDATE SET n = node_counts.n + excluded.n",
            insert_sql(backend, "node_counts", COLUMNS, chunk.len())
        );
        let mut q = sqlx::query(&sql);
        for d in chunk {
            q = q.bind(d.org_id).bind(d.metric.code()).bind(d.key.clone()).bind(d.metric.year_of(&d.key)).bind(d.n);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// The counters of `metrics` at the nodes `ids`, summed over the nodes per
/// (metric, code). The nodes must not overlap (scope roots never do).
pub async fn read(conn: &mut AnyConnection, ids: &[i64], metrics: &[Metric]) -> StoreResult<Counts> {
    let mut counts = Counts::default();
    if ids.is_empty() || metrics.is_empty() {
        return Ok(counts);
    }
    // Summed in SQL: a node has a row per code and year, so a country-wide
    // role (63 roots) read 16,000 rows to fold them into a hundred here
    // (27 ms of a 100 ms home page).
    let sql = format!(
        "SELECT metric, code, CAST(SUM(n) AS BIGINT) AS n FROM node_counts WHERE org_id IN ({}) AND metric IN ({}) GROUP BY metric, code",
        numbered(1, ids.len()),
        numbered(1 + ids.len(), metrics.len())
    );
    let mut q = sqlx::query(&sql);
    for id in ids {
        q = q.bind(*id);
    }
    for m in metrics {
        q = q.bind(m.code());
    }
    for r in q.fetch_all(conn).await? {
        if let Some(m) = Metric::from_code(&col::<String>(&r, "metric")?) {
            *counts.0.entry((m, col(&r, "code")?)).or_default() += col::<i64>(&r, "n")?;
        }
    }
    Ok(counts)
}

/// One figure: the sum of the counters of `metric` at the nodes `ids`
/// whose key is `LIKE` `pattern` (escape `\`) and whose year is within
/// `from..=to`, summed in SQL; a subtree's few hundred keys never leave
/// the database.
pub async fn sum_like(conn: &mut AnyConnection, ids: &[i64], metric: Metric, pattern: &str, from: Option<i64>, to: Option<i64>) -> StoreResult<i64> {
    if ids.is_empty() {
        return Ok(0);
    }
    // CAST: PostgreSQL's SUM of BIGINT is NUMERIC.
    let sql = format!(
        "SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) AS n FROM node_counts \
         WHERE org_id IN ({}) AND metric = $1 AND code LIKE $2 ESCAPE '\\' AND year >= $3 AND year <= $4",
        numbered(5, ids.len())
    );
    let mut q = sqlx::query(&sql).bind(metric.code()).bind(pattern).bind(from.unwrap_or(i64::MIN)).bind(to.unwrap_or(i64::MAX));
    for id in ids {
        q = q.bind(*id);
    }
    col(&q.fetch_one(conn).await?, "n")
}

/// The counters of `metrics` at node `id` that count in a year of
/// `period`, and those that count in no year (a state such as fostering's):
/// what one node's figures over a period read.
pub async fn read_period(conn: &mut AnyConnection, id: i64, metrics: &[Metric], period: Period) -> StoreResult<Counts> {
    let mut counts = Counts::default();
    if metrics.is_empty() {
        return Ok(counts);
    }
    let sql = format!(
        "SELECT metric, code, n FROM node_counts WHERE org_id = $1 AND metric IN ({}) AND (year IS NULL OR (year >= $2 AND year <= $3)) AND n <> 0",
        numbered(4, metrics.len())
    );
    let mut q = sqlx::query(&sql).bind(id).bind(period.from).bind(period.to);
    for m in metrics {
        q = q.bind(m.code());
    }
    for r in q.fetch_all(conn).await? {
        if let Some(m) = Metric::from_code(&col::<String>(&r, "metric")?) {
            *counts.0.entry((m, col(&r, "code")?)).or_default() += col::<i64>(&r, "n")?;
        }
    }
    Ok(counts)
}

/// For each node of `ids`, the sum of its counters of each of `metrics`
/// that count in a year of `period`, summed in SQL: one row per node and
/// metric, whatever the number of keys. Nodes without any are left out.
pub async fn sums_in_period(conn: &mut AnyConnection, ids: &[i64], metrics: &[Metric], period: Period) -> StoreResult<HashMap<(i64, Metric), i64>> {
    let mut sums = HashMap::new();
    if ids.is_empty() || metrics.is_empty() {
        return Ok(sums);
    }
    // CAST: PostgreSQL's SUM of BIGINT is NUMERIC.
    let sql = format!(
        "SELECT org_id, metric, CAST(SUM(n) AS BIGINT) AS n FROM node_counts \
         WHERE metric IN ({}) AND org_id IN ({}) AND year >= $1 AND year <= $2 GROUP BY org_id, metric",
        numbered(3, metrics.len()),
        numbered(3 + metrics.len(), ids.len())
    );
    let mut q = sqlx::query(&sql).bind(period.from).bind(period.to);
    for m in metrics {
        q = q.bind(m.code());
    }
    for id in ids {
        q = q.bind(*id);
    }
    for r in q.fetch_all(conn).await? {
        if let Some(m) = Metric::from_code(&col::<String>(&r, "metric")?) {
            sums.insert((col(&r, "org_id")?, m), col(&r, "n")?);
        }
    }
    Ok(sums)
}

/// `$first, …` for `n` parameters.
fn numbered(first: usize, n: usize) -> String {
    (first..first + n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

/// Counters read for a set of nodes: (metric, code) → n.
#[derive(Debug, Clone, Default)]
pub struct Counts(pub HashMap<(Metric, String), i64>);

impl Counts {
    /// Every (code, n) of a metric.
    pub fn of(&self, metric: Metric) -> impl Iterator<Item = (&str, i64)> {
        self.0.iter().filter(move |((m, _), _)| *m == metric).map(|((_, code), n)| (code.as_str(), *n))
    }

    /// The sum of a metric over the codes that `pick` keeps.
    pub fn sum(&self, metric: Metric, pick: impl Fn(&str) -> bool) -> i64 {
        self.of(metric).filter(|(code, _)| pick(code)).map(|(_, n)| n).sum()
    }
}

/// The rows of one node, for moving its subtree's counts (`Write::move_counts`).
pub(crate) async fn at_node(conn: &mut AnyConnection, id: i64) -> StoreResult<Vec<(Metric, String, i64)>> {
    let rows = sqlx::query("SELECT metric, code, n FROM node_counts WHERE org_id = $1 AND n <> 0").bind(id).fetch_all(conn).await?;
    let mut out = vec![];
    for r in rows {
        if let Some(m) = Metric::from_code(&col::<String>(&r, "metric")?) {
            out.push((m, col(&r, "code")?, col(&r, "n")?));
        }
    }
    Ok(out)
}

/// Every counter counted afresh from the records, rolled up to every ancestor.
pub async fn fresh(conn: &mut AnyConnection) -> StoreResult<BTreeMap<(i64, Metric, String), i64>> {
    let mut all = BTreeMap::new();
    for (metric, sql) in FRESH {
        let rows = sqlx::query(sql).fetch_all(&mut *conn).await?;
        let mut at_node = Vec::with_capacity(rows.len());
        for r in &rows {
            at_node.push((OrgPath(col(r, "org_path")?), *metric, col::<String>(r, "code")?, col::<i64>(r, "n")?));
        }
        drop(rows);
        all.extend(roll_up(at_node));
    }
    Ok(all)
}

/// Replaces every counter with a fresh count (after a migration that
/// creates them, and after a bulk load, which bypasses the write path).
pub async fn rebuild(tx: &mut Tx, backend: Backend) -> StoreResult<u64> {
    let counts = fresh(tx).await?;
    sqlx::query("DELETE FROM node_counts").execute(&mut **tx).await?;
    let mut ins = Inserter::new(backend, "node_counts", COLUMNS);
    for ((org_id, metric, code), n) in counts {
        let year = metric.year_of(&code);
        ins.push([Val::Int(org_id), Val::from(metric.code()), Val::Text(code), Val::OptInt(year), Val::Int(n)]);
        if ins.is_full() {
            ins.flush(tx).await?;
        }
    }
    ins.flush(tx).await?;
    Ok(ins.written)
}

/// Where the counters differ from a fresh count, in plain words (at most
/// ten, then how many more).
pub async fn differences(conn: &mut AnyConnection) -> StoreResult<Vec<String>> {
    let fresh = fresh(&mut *conn).await?;
    let mut stored: BTreeMap<(i64, Metric, String), i64> = BTreeMap::new();
    let mut problems = vec![];
    let mut misdated = vec![];
    // Rows at zero too: a later write adds to the row as it is, year included.
    for r in sqlx::query("SELECT org_id, metric, code, year, n FROM node_counts").fetch_all(&mut *conn).await? {
        let code: String = col(&r, "metric")?;
        match Metric::from_code(&code) {
            Some(m) => {
                let (org_id, key, year, n): (i64, String, Option<i64>, i64) = (col(&r, "org_id")?, col(&r, "code")?, col(&r, "year")?, col(&r, "n")?);
                if year != m.year_of(&key) {
                    misdated.push(format!("node counters: org {org_id} {} {key:?} is counted in year {year:?}, its key says {:?}", m.code(), m.year_of(&key)));
                }
                if n != 0 {
                    stored.insert((org_id, m, key), n);
                }
            }
            None => problems.push(format!("node counters: unknown metric {code:?}")),
        }
    }
    let keys: std::collections::BTreeSet<_> = fresh.keys().chain(stored.keys()).collect();
    let wrong: Vec<String> = keys
        .into_iter()
        .filter_map(|k| {
            let (s, f) = (stored.get(k).copied().unwrap_or(0), fresh.get(k).copied().unwrap_or(0));
            (s != f).then(|| format!("node counters: org {} {} {:?} is {s}, the records count {f}", k.0, k.1.code(), k.2))
        })
        .chain(misdated)
        .collect();
    let more = wrong.len().saturating_sub(10);
    problems.extend(wrong.into_iter().take(10));
    if more > 0 {
        problems.push(format!("node counters: {more} more counter(s) differ"));
    }
    Ok(problems)
}
