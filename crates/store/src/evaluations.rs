//! Evaluations (kiểm tra, đánh giá, plan II.4): periodic, by a named
//! evaluator, scored against the criteria set that applies to the
//! exemplar's node for that period; the evaluation keeps the set it used.

use crate::audit;
use crate::db::col;
use crate::exemplars::Exemplar;
use crate::{now_ms, Actor, Db, StoreError, StoreResult};
use dienhinh_domain::{Invalid, OrgPath};
use dienhinh_text as text;
use serde::{Deserialize, Serialize};

pub const RESULTS: &[(&str, &str)] = &[("dat", "Đạt"), ("dat_mot_phan", "Đạt một phần"), ("chua_dat", "Chưa đạt")];
pub const MAX_SCORE: f64 = 10.0;

#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
pub struct ScoreInput {
    pub criterion_id: i64,
    /// dat, dat_mot_phan, chua_dat
    pub result: String,
    /// Optional score from 0 to 10.
    #[serde(default)]
    pub score: Option<f64>,
    #[serde(default)]
    pub comment: String,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct EvaluationInput {
    pub criteria_set_id: i64,
    pub period_year: i64,
    /// ISO date `YYYY-MM-DD`.
    pub evaluated_on: String,
    pub evaluator: String,
    #[serde(default)]
    pub effect: String,
    #[serde(default)]
    pub effectiveness: String,
    #[serde(default)]
    pub potential: String,
    #[serde(default)]
    pub influence_unit: String,
    #[serde(default)]
    pub influence_society: String,
    #[serde(default)]
    pub difficulties: String,
    #[serde(default)]
    pub help_decided: String,
    #[serde(default)]
    pub scores: Vec<ScoreInput>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Score {
    pub criterion_id: i64,
    pub code: String,
    pub text: String,
    pub result: String,
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

pub async fn add(db: &Db, actor: &Actor, exemplar: &Exemplar, mut i: EvaluationInput) -> StoreResult<Evaluation> {
    i.evaluator = text::normalize_line(&i.evaluator);
    i.evaluated_on = i.evaluated_on.trim().to_string();
    for f in [&mut i.effect, &mut i.effectiveness, &mut i.potential, &mut i.influence_unit, &mut i.influence_society, &mut i.difficulties, &mut i.help_decided] {
        *f = text::normalize(f);
    }
    let mut inv = Invalid::new();
    inv.required("evaluator", "người đánh giá", &i.evaluator, 300);
    if !crate::fostering::valid_date(&i.evaluated_on) {
        inv.add("evaluated_on", "invalid", "Ngày đánh giá không hợp lệ.");
    }
    for (field, label, v) in [
        ("effect", "Tác dụng", &i.effect),
        ("effectiveness", "Hiệu quả", &i.effectiveness),
        ("potential", "Khả năng phát triển", &i.potential),
        ("influence_unit", "Ảnh hưởng trong đơn vị", &i.influence_unit),
        ("influence_society", "Ảnh hưởng trong xã hội", &i.influence_society),
        ("difficulties", "Khó khăn, hạn chế", &i.difficulties),
        ("help_decided", "Biện pháp giúp đỡ", &i.help_decided),
    ] {
        inv.max_len(field, label, v, 10_000);
    }
    let set = crate::plans::criteria_set(db, i.criteria_set_id).await.ok();
    match &set {
        None => inv.add("criteria_set_id", "not_found", "Không tìm thấy bộ tiêu chí."),
        Some(s) => {
            if !OrgPath(s.org_path.clone()).contains(&exemplar.path()) {
                inv.add("criteria_set_id", "not_applicable", "Bộ tiêu chí này không áp dụng cho đơn vị của điển hình.");
            }
            if !(s.period_from..=s.period_to).contains(&i.period_year) {
                inv.add(
                    "period_year",
                    "wrong_period",
                    format!("Bộ tiêu chí «{}» áp dụng cho giai đoạn {} – {}, không dùng để đánh giá năm {}.", s.name, s.period_from, s.period_to, i.period_year),
                );
            }
            for sc in &i.scores {
                if !s.criteria.iter().any(|c| c.id == sc.criterion_id) {
                    inv.add("scores", "unknown_criterion", "Có tiêu chí không thuộc bộ tiêu chí đã chọn.");
                    break;
                }
            }
        }
    }
    for sc in &i.scores {
        if crate::fostering::label(RESULTS, &sc.result).is_empty() {
            inv.add("scores", "invalid_result", "Kết quả của mỗi tiêu chí phải là Đạt, Đạt một phần hoặc Chưa đạt.");
            break;
        }
        if sc.score.is_some_and(|v| !(0.0..=MAX_SCORE).contains(&v) || v.is_nan()) {
            inv.add("scores", "out_of_range", format!("Điểm của mỗi tiêu chí phải từ 0 đến {MAX_SCORE}."));
            break;
        }
        if sc.comment.chars().count() > 5000 {
            inv.add("scores", "too_long", "Nhận xét của một tiêu chí dài quá 5000 ký tự.");
            break;
        }
    }
    inv.into_result()?;
    let mut tx = db.begin().await?;
    let id: i64 = col(
        &sqlx::query(
            "INSERT INTO evaluations (exemplar_id, org_path, criteria_set_id, period_year, evaluated_on, evaluator, effect, effectiveness, potential, \
             influence_unit, influence_society, difficulties, help_decided, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id",
        )
        .bind(exemplar.id)
        .bind(&exemplar.org_path)
        .bind(i.criteria_set_id)
        .bind(i.period_year)
        .bind(&i.evaluated_on)
        .bind(&i.evaluator)
        .bind(&i.effect)
        .bind(&i.effectiveness)
        .bind(&i.potential)
        .bind(&i.influence_unit)
        .bind(&i.influence_society)
        .bind(&i.difficulties)
        .bind(&i.help_decided)
        .bind(actor.user_id)
        .bind(now_ms())
        .fetch_one(&mut *tx)
        .await?,
        "id",
    )?;
    for sc in &i.scores {
        sqlx::query("INSERT INTO evaluation_scores (evaluation_id, criterion_id, result, score, comment) VALUES ($1, $2, $3, $4, $5)")
            .bind(id)
            .bind(sc.criterion_id)
            .bind(&sc.result)
            .bind(sc.score)
            .bind(text::normalize(&sc.comment))
            .execute(&mut *tx)
            .await
            .map_err(|e| {
                if crate::error::is_unique_violation(&e) {
                    StoreError::invalid("scores", "duplicate", "Mỗi tiêu chí chỉ được chấm một lần.")
                } else {
                    e.into()
                }
            })?;
    }
    audit::record(&mut tx, actor, "create", "evaluation", Some(id), Some(&exemplar.org_path), &format!("Đánh giá năm {}: {}", i.period_year, exemplar.name), None, serde_json::to_value(&i).ok().as_ref())
        .await?;
    tx.commit().await?;
    for_exemplar(db, exemplar.id).await?.into_iter().find(|e| e.id == id).ok_or(StoreError::NotFound)
}

/// Evaluations of an exemplar, oldest period first (a trend over the years).
pub async fn for_exemplar(db: &Db, exemplar_id: i64) -> StoreResult<Vec<Evaluation>> {
    let rows = sqlx::query(
        "SELECT e.*, s.name AS set_name FROM evaluations e JOIN criteria_sets s ON s.id = e.criteria_set_id WHERE e.exemplar_id = $1 ORDER BY e.period_year, e.id",
    )
    .bind(exemplar_id)
    .fetch_all(db.reader())
    .await?;
    // Every score of every evaluation in one query, grouped below.
    let mut scores_of: std::collections::HashMap<i64, Vec<Score>> = std::collections::HashMap::new();
    for s in sqlx::query(
        "SELECT s.evaluation_id, s.criterion_id, c.code, c.text, s.result, s.score, s.comment FROM evaluation_scores s \
         JOIN evaluations e ON e.id = s.evaluation_id JOIN criteria c ON c.id = s.criterion_id \
         WHERE e.exemplar_id = $1 ORDER BY s.evaluation_id, c.position",
    )
    .bind(exemplar_id)
    .fetch_all(db.reader())
    .await?
    {
        scores_of.entry(col(&s, "evaluation_id")?).or_default().push(Score {
            criterion_id: col(&s, "criterion_id")?,
            code: col(&s, "code")?,
            text: col(&s, "text")?,
            result: col(&s, "result")?,
            score: col(&s, "score")?,
            comment: col(&s, "comment")?,
        });
    }
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let id: i64 = col(r, "id")?;
        let scores = scores_of.remove(&id).unwrap_or_default();
        let points: i64 = scores.iter().map(|s| match s.result.as_str() { "dat" => 2, "dat_mot_phan" => 1, _ => 0 }).sum();
        let met_percent = if scores.is_empty() { 0 } else { points * 50 / scores.len() as i64 };
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
