//! Evaluations (kiểm tra, đánh giá, plan II.4): periodic, by a named
//! evaluator, scored against the criteria set that applies to the
//! exemplar's node for that period.

use crate::clock;
use crate::exemplar::ExemplarKind;
use crate::org::OrgPath;
use crate::validate::Invalid;
use dienhinh_text as text;
use serde::{Deserialize, Serialize};

crate::coded_enum!(
    /// The result of one criterion.
    pub enum EvalResult {
        Dat = "dat": "Đạt",
        DatMotPhan = "dat_mot_phan": "Đạt một phần",
        ChuaDat = "chua_dat": "Chưa đạt",
    }
);

crate::coded_enum!(
    /// Whom a criterion of the plan applies to.
    pub enum AppliesTo {
        Chung = "chung": "Chung",
        TapThe = "tap_the": "Tập thể",
        CaNhan = "ca_nhan": "Cá nhân",
    }
);

impl AppliesTo {
    /// Whether a criterion applies to an exemplar of this kind.
    pub fn covers(self, kind: ExemplarKind) -> bool {
        match self {
            AppliesTo::Chung => true,
            AppliesTo::TapThe => kind == ExemplarKind::TapThe,
            AppliesTo::CaNhan => kind == ExemplarKind::CaNhan,
        }
    }
}

/// Highest score of one criterion.
pub const MAX_SCORE: f64 = 10.0;

/// Share of criteria met, 0–100: met counts whole, partly met half.
pub fn met_percent(results: &[EvalResult]) -> i64 {
    if results.is_empty() {
        return 0;
    }
    let points: i64 = results.iter().map(|r| match r { EvalResult::Dat => 2, EvalResult::DatMotPhan => 1, EvalResult::ChuaDat => 0 }).sum();
    points * 50 / results.len() as i64
}

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

/// The criteria set an evaluation is scored against, as far as the rules need it.
pub struct SetFacts<'a> {
    pub name: &'a str,
    pub org_path: &'a OrgPath,
    pub period: (i64, i64),
    pub criterion_ids: &'a [i64],
}

#[derive(Debug, Clone, PartialEq)]
pub struct ValidScore {
    pub criterion_id: i64,
    pub result: EvalResult,
    pub score: Option<f64>,
    pub comment: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ValidEvaluation {
    pub criteria_set_id: i64,
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
    pub scores: Vec<ValidScore>,
}

impl EvaluationInput {
    /// Checks the evaluation of an exemplar at `exemplar_at` against the set
    /// it names (`None`: no such set the caller may use).
    pub fn validate(&self, exemplar_at: &OrgPath, set: Option<&SetFacts>) -> Result<ValidEvaluation, Invalid> {
        let mut inv = Invalid::new();
        let evaluator = text::normalize_line(&self.evaluator);
        inv.required("evaluator", "người đánh giá", &evaluator, 300);
        let evaluated_on = clock::parse_date(&self.evaluated_on);
        if evaluated_on.is_none() {
            inv.add("evaluated_on", "invalid", "Ngày đánh giá không hợp lệ.");
        }
        let [effect, effectiveness, potential, influence_unit, influence_society, difficulties, help_decided] = [
            ("effect", "Tác dụng", &self.effect),
            ("effectiveness", "Hiệu quả", &self.effectiveness),
            ("potential", "Khả năng phát triển", &self.potential),
            ("influence_unit", "Ảnh hưởng trong đơn vị", &self.influence_unit),
            ("influence_society", "Ảnh hưởng trong xã hội", &self.influence_society),
            ("difficulties", "Khó khăn, hạn chế", &self.difficulties),
            ("help_decided", "Biện pháp giúp đỡ", &self.help_decided),
        ]
        .map(|(field, label, v)| {
            let v = text::normalize(v);
            inv.max_len(field, label, &v, 10_000);
            v
        });
        match set {
            None => inv.add("criteria_set_id", "not_found", "Không tìm thấy bộ tiêu chí."),
            Some(s) => {
                if !s.org_path.contains(exemplar_at) {
                    inv.add("criteria_set_id", "not_applicable", "Bộ tiêu chí này không áp dụng cho đơn vị của điển hình.");
                }
                if !(s.period.0..=s.period.1).contains(&self.period_year) {
                    inv.add(
                        "period_year",
                        "wrong_period",
                        format!("Bộ tiêu chí «{}» áp dụng cho giai đoạn {} – {}, không dùng để đánh giá năm {}.", s.name, s.period.0, s.period.1, self.period_year),
                    );
                }
                if self.scores.iter().any(|sc| !s.criterion_ids.contains(&sc.criterion_id)) {
                    inv.add("scores", "unknown_criterion", "Có tiêu chí không thuộc bộ tiêu chí đã chọn.");
                }
            }
        }
        let mut scores = Vec::with_capacity(self.scores.len());
        for sc in &self.scores {
            let comment = text::normalize(&sc.comment);
            let Some(result) = EvalResult::from_code(&sc.result) else {
                inv.add("scores", "invalid_result", "Kết quả của mỗi tiêu chí phải là Đạt, Đạt một phần hoặc Chưa đạt.");
                break;
            };
            if sc.score.is_some_and(|v| !(0.0..=MAX_SCORE).contains(&v) || v.is_nan()) {
                inv.add("scores", "out_of_range", format!("Điểm của mỗi tiêu chí phải từ 0 đến {MAX_SCORE}."));
                break;
            }
            if comment.chars().count() > 5000 {
                inv.add("scores", "too_long", "Nhận xét của một tiêu chí dài quá 5000 ký tự.");
                break;
            }
            if scores.iter().any(|s: &ValidScore| s.criterion_id == sc.criterion_id) {
                inv.add("scores", "duplicate", "Mỗi tiêu chí chỉ được chấm một lần.");
                break;
            }
            scores.push(ValidScore { criterion_id: sc.criterion_id, result, score: sc.score, comment });
        }
        inv.into_result()?;
        Ok(ValidEvaluation {
            criteria_set_id: self.criteria_set_id,
            period_year: self.period_year,
            evaluated_on: clock::iso(evaluated_on.expect("checked")),
            evaluator,
            effect,
            effectiveness,
            potential,
            influence_unit,
            influence_society,
            difficulties,
            help_decided,
            scores,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables() {
        crate::code::assert_table::<EvalResult>();
        crate::code::assert_table::<AppliesTo>();
    }

    #[test]
    fn partly_met_counts_half() {
        use EvalResult::*;
        assert_eq!(met_percent(&[]), 0);
        assert_eq!(met_percent(&[Dat, Dat]), 100);
        assert_eq!(met_percent(&[Dat, DatMotPhan, ChuaDat, ChuaDat]), 37);
        assert_eq!(met_percent(&[DatMotPhan]), 50);
    }

    #[test]
    fn criteria_apply_by_kind() {
        use ExemplarKind::*;
        assert!(AppliesTo::Chung.covers(CaNhan) && AppliesTo::Chung.covers(TapThe));
        assert!(AppliesTo::CaNhan.covers(CaNhan) && !AppliesTo::CaNhan.covers(TapThe));
        assert!(AppliesTo::TapThe.covers(TapThe) && !AppliesTo::TapThe.covers(CaNhan));
    }

    #[test]
    fn checked_against_its_set() {
        let set_at = OrgPath("/1/2/".into());
        let set = SetFacts { name: "Bộ 2022–2025", org_path: &set_at, period: (2022, 2025), criterion_ids: &[10, 11] };
        let score = |id, r: &str| ScoreInput { criterion_id: id, result: r.into(), score: Some(8.0), comment: String::new() };
        let ok = EvaluationInput {
            criteria_set_id: 3,
            period_year: 2024,
            evaluated_on: "2024-11-02".into(),
            evaluator: "Trần Thị Hoa".into(),
            scores: vec![score(10, "dat"), score(11, "dat_mot_phan")],
            ..Default::default()
        };
        let v = ok.validate(&OrgPath("/1/2/7/".into()), Some(&set)).unwrap();
        assert_eq!(v.scores[1].result, EvalResult::DatMotPhan);
        let elsewhere = OrgPath("/1/3/".into());
        let wrong = EvaluationInput { period_year: 2026, scores: vec![score(12, "dat")], ..ok.clone() };
        let fields: Vec<_> = wrong.validate(&elsewhere, Some(&set)).unwrap_err().0.iter().map(|e| e.code).collect();
        assert_eq!(fields, ["not_applicable", "wrong_period", "unknown_criterion"]);
        let twice = EvaluationInput { scores: vec![score(10, "dat"), score(10, "chua_dat")], ..ok.clone() };
        assert_eq!(twice.validate(&set_at, Some(&set)).unwrap_err().0[0].code, "duplicate");
        assert_eq!(ok.validate(&set_at, None).unwrap_err().0[0].field, "criteria_set_id");
    }
}
