//! Evaluations (kiểm tra, đánh giá, plan II.4): periodic, by a named
//! evaluator, scored against the criteria set that applies to the
//! exemplar's node for that period; the evaluation keeps the set it used.

use dienhinh_domain::AuditAction;
use crate::db::col;
use crate::exemplars::Exemplar;
use crate::write::{Stored, Write};
use crate::{now_ms, vals, Actor, Db, Found, StoreError, StoreResult};
use dienhinh_domain::evaluation::{met_percent, CriterionFacts, EvalResult, SetFacts};
use dienhinh_domain::RecordKind;
use serde::Serialize;

pub use dienhinh_domain::evaluation::{EvaluationInput, ScoreInput, MAX_SCORE};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Score {
    pub criterion_id: i64,
    pub code: String,
    pub text: String,
    #[schema(value_type = String)]
    pub result: EvalResult,
    pub score: Option<f64>,
    pub comment: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Evaluation {
    pub id: i64,
    pub exemplar_id: i64,
    pub criteria_set_id: i64,
    pub criteria_set_name: String,
    pub period_year: i64,
    pub evaluated_on: String,
    pub evaluator: String,
    pub effect: String,
    pub effectiveness: String,
    pub potential: String,
    pub influence_unit: String,
    pub influence_society: String,
    pub difficulties: String,
    pub help_decided: String,
    pub scores: Vec<Score>,
    /// Share of criteria met (partly met counts half), 0–100.
    pub met_percent: i64,
}

/// Records an evaluation of the exemplar against a criteria set that
/// applies to its node for the period, in `w`.
pub async fn add_in(w: &mut Write<'_>, exemplar_id: i64, i: &EvaluationInput) -> StoreResult<Evaluation> {
    let exemplar: Exemplar = w.load(exemplar_id).await?;
    let set = crate::plans::criteria_set_in(w.conn(), i.criteria_set_id).await.optional()?;
    let criteria: Vec<CriterionFacts> =
        set.iter().flat_map(|s| s.criteria.iter().map(|c| CriterionFacts { id: c.id, code: &c.code, applies_to: c.applies_to })).collect();
    let facts = set.as_ref().map(|s| SetFacts { name: &s.name, org_path: &s.org_path, period: (s.period_from, s.period_to), criteria: &criteria });
    let v = i.validate(&exemplar.org_path, exemplar.kind, exemplar.year_found, facts.as_ref())?;
    let id = w
        .insert(
            "evaluations",
            vals![
                ("exemplar_id", exemplar.id),
                ("org_path", exemplar.org_path.as_str()),
                ("criteria_set_id", v.criteria_set_id),
                ("period_year", v.period_year),
                ("evaluated_on", v.evaluated_on.as_str()),
                ("evaluator", v.evaluator.as_str()),
                ("effect", v.effect.as_str()),
                ("effectiveness", v.effectiveness.as_str()),
                ("potential", v.potential.as_str()),
                ("influence_unit", v.influence_unit.as_str()),
                ("influence_society", v.influence_society.as_str()),
                ("difficulties", v.difficulties.as_str()),
                ("help_decided", v.help_decided.as_str()),
                ("created_by", w.actor.user_id),
                ("created_at", now_ms()),
            ],
        )
        .await?;
    for sc in &v.scores {
        w.insert_plain(
            "evaluation_scores",
            vals![("evaluation_id", id), ("criterion_id", sc.criterion_id), ("result", sc.result.code()), ("score", sc.score), ("comment", sc.comment.as_str())],
        )
        .await?;
    }
    // Not a `Stored` record (it has no node of its own in its JSON): counted
    // here, with what its exemplar is counted as now (a recognised
    // exemplar's first evaluation of a year: `Metric::RecognisedEvaluated`).
    let now: Exemplar = w.load(exemplar_id).await?;
    let mut after = now.tallies();
    after.push(dienhinh_domain::counter::evaluation(&exemplar.org_path, v.period_year));
    w.count(&exemplar.tallies(), &after).await?;
    let stored = of_exemplar(w.conn(), exemplar_id).await?.into_iter().find(|e| e.id == id).ok_or(StoreError::NotFound)?;
    w.audit(crate::audit::Entry {
        action: AuditAction::Create,
        kind: RecordKind::Evaluation,
        id: Some(id),
        org_path: Some(&exemplar.org_path),
        summary: &format!("Đánh giá năm {}: {}", v.period_year, exemplar.name),
        before: None,
        after: serde_json::to_value(&stored).ok(),
    })
    .await?;
    Ok(stored)
}

pub async fn add(db: &Db, actor: &Actor, exemplar_id: i64, i: EvaluationInput) -> StoreResult<Evaluation> {
    let mut w = db.write(actor).await?;
    let e = add_in(&mut w, exemplar_id, &i).await?;
    w.commit().await?;
    Ok(e)
}

/// Evaluations of an exemplar, oldest period first (a trend over the years).
pub async fn for_exemplar(db: &Db, exemplar_id: i64) -> StoreResult<Vec<Evaluation>> {
    of_exemplar(&mut *db.reader().acquire().await?, exemplar_id).await
}

async fn of_exemplar(conn: &mut sqlx::AnyConnection, exemplar_id: i64) -> StoreResult<Vec<Evaluation>> {
    let rows = sqlx::query(
        "SELECT e.*, s.name AS set_name FROM evaluations e JOIN criteria_sets s ON s.id = e.criteria_set_id WHERE e.exemplar_id = $1 ORDER BY e.period_year, e.id",
    )
    .bind(exemplar_id)
    .fetch_all(&mut *conn)
    .await?;
    // Every score of every evaluation in one query, grouped below.
    let mut scores_of: std::collections::HashMap<i64, Vec<Score>> = std::collections::HashMap::new();
    for s in sqlx::query(
        "SELECT s.evaluation_id, s.criterion_id, c.code, c.text, s.result, s.score, s.comment FROM evaluation_scores s \
         JOIN evaluations e ON e.id = s.evaluation_id JOIN criteria c ON c.id = s.criterion_id \
         WHERE e.exemplar_id = $1 ORDER BY s.evaluation_id, c.position",
    )
    .bind(exemplar_id)
    .fetch_all(&mut *conn)
    .await?
    {
        scores_of.entry(col(&s, "evaluation_id")?).or_default().push(Score {
            criterion_id: col(&s, "criterion_id")?,
            code: col(&s, "code")?,
            text: col(&s, "text")?,
            result: crate::row::code(&s, "result")?,
            score: col(&s, "score")?,
            comment: col(&s, "comment")?,
        });
    }
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let id: i64 = col(r, "id")?;
        let scores = scores_of.remove(&id).unwrap_or_default();
        let met_percent = met_percent(&scores.iter().map(|s| s.result).collect::<Vec<_>>());
        out.push(Evaluation {
            id,
            exemplar_id,
            criteria_set_id: col(r, "criteria_set_id")?,
            criteria_set_name: col(r, "set_name")?,
            period_year: col(r, "period_year")?,
            evaluated_on: col(r, "evaluated_on")?,
            evaluator: col(r, "evaluator")?,
            effect: col(r, "effect")?,
            effectiveness: col(r, "effectiveness")?,
            potential: col(r, "potential")?,
            influence_unit: col(r, "influence_unit")?,
            influence_society: col(r, "influence_society")?,
            difficulties: col(r, "difficulties")?,
            help_decided: col(r, "help_decided")?,
            scores,
            met_percent,
        });
    }
    Ok(out)
}
