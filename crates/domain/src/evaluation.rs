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

/// One criterion of a set, as far as the rules need it.
pub struct CriterionFacts<'a> {
    pub id: i64,
    /// Its position in the plan, e.g. `III.2.1`, to name it in messages.
    pub code: &'a str,
    pub applies_to: AppliesTo,
}

/// The criteria set an evaluation is scored against, as far as the rules need it.
pub struct SetFacts<'a> {
    pub name: &'a str,
    pub org_path: &'a OrgPath,
    pub period: (i64, i64),
    pub criteria: &'a [CriterionFacts<'a>],
}

/// The year an evaluation form opens on with a set covering `period`, for an
/// exemplar that can be evaluated in `years` (from the year it was found to
/// this year): this year if the set covers it, else the last year of the
/// set that can be evaluated; `None` when the set covers no such year (a new
/// set is needed).
pub fn default_year(period: (i64, i64), years: (i64, i64)) -> Option<i64> {
    let (from, to) = (period.0.max(years.0), period.1.min(years.1));
    if from > to {
        None
    } else if (from..=to).contains(&years.1) {
        Some(years.1)
    } else {
        Some(to)
    }
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
    /// Checks the evaluation of an exemplar of `kind` at `exemplar_at`,
    /// found in `year_found`, against the set it names (`None`: no such set
    /// the caller may use). An exemplar is not evaluated for a year before
    /// it was found.
    /// Every criterion of the set that applies to the exemplar's kind needs
    /// an answer, and a criterion that does not apply takes none; each
    /// error names its criterion (and carries its id as `item`).
    pub fn validate(&self, exemplar_at: &OrgPath, kind: ExemplarKind, year_found: i64, set: Option<&SetFacts>) -> Result<ValidEvaluation, Invalid> {
        let mut inv = Invalid::new();
        if self.period_year < year_found {
            inv.add(
                "period_year",
                "before_found",
                format!("Năm đánh giá {} trước năm phát hiện điển hình ({year_found}); chỉ đánh giá từ năm {year_found} trở đi.", self.period_year),
            );
        }
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
        let criteria: &[CriterionFacts] = set.map(|s| s.criteria).unwrap_or_default();
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
                if self.scores.iter().any(|sc| !s.criteria.iter().any(|c| c.id == sc.criterion_id)) {
                    inv.add("scores", "unknown_criterion", "Có tiêu chí không thuộc bộ tiêu chí đã chọn.");
                }
                if !s.criteria.iter().any(|c| c.applies_to.covers(kind)) {
                    inv.add("scores", "no_criteria", format!("Bộ tiêu chí «{}» không có tiêu chí nào áp dụng cho điển hình {}.", s.name, kind.label().to_lowercase()));
                }
            }
        }
        let mut scores = Vec::with_capacity(self.scores.len());
        for c in criteria {
            let given: Vec<&ScoreInput> = self.scores.iter().filter(|sc| sc.criterion_id == c.id).collect();
            let name = format!("Tiêu chí {}", c.code);
            if !c.applies_to.covers(kind) {
                if !given.is_empty() {
                    inv.add_item(
                        "scores",
                        c.id,
                        "not_applicable",
                        format!("{name} chỉ áp dụng cho {}, không chấm cho điển hình {}.", c.applies_to.label().to_lowercase(), kind.label().to_lowercase()),
                    );
                }
                continue;
            }
            let Some(sc) = given.first() else {
                inv.add_item("scores", c.id, "required", format!("{name}: vui lòng chọn kết quả."));
                continue;
            };
            if given.len() > 1 {
                inv.add_item("scores", c.id, "duplicate", format!("{name}: mỗi tiêu chí chỉ được chấm một lần."));
                continue;
            }
            let comment = text::normalize(&sc.comment);
            let result = if sc.result.trim().is_empty() {
                inv.add_item("scores", c.id, "required", format!("{name}: vui lòng chọn kết quả."));
                None
            } else {
                let r = EvalResult::from_code(&sc.result);
                if r.is_none() {
                    inv.add_item("scores", c.id, "invalid_result", format!("{name}: kết quả phải là Đạt, Đạt một phần hoặc Chưa đạt."));
                }
                r
            };
            if sc.score.is_some_and(|v| !(0.0..=MAX_SCORE).contains(&v) || v.is_nan()) {
                inv.add_item("scores", c.id, "out_of_range", format!("{name}: điểm phải từ 0 đến {MAX_SCORE}."));
            }
            if comment.chars().count() > 5000 {
                inv.add_item("scores", c.id, "too_long", format!("{name}: nhận xét dài quá 5000 ký tự."));
            }
            if let Some(result) = result {
                scores.push(ValidScore { criterion_id: c.id, result, score: sc.score, comment });
            }
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
        let criteria = [
            CriterionFacts { id: 10, code: "III.2.1", applies_to: AppliesTo::Chung },
            CriterionFacts { id: 11, code: "III.2.2", applies_to: AppliesTo::Chung },
            CriterionFacts { id: 12, code: "III.3.1", applies_to: AppliesTo::TapThe },
        ];
        let set = SetFacts { name: "Bộ 2022–2025", org_path: &set_at, period: (2022, 2025), criteria: &criteria };
        let score = |id, r: &str| ScoreInput { criterion_id: id, result: r.into(), score: Some(8.0), comment: String::new() };
        let ok = EvaluationInput {
            criteria_set_id: 3,
            period_year: 2024,
            evaluated_on: "2024-11-02".into(),
            evaluator: "Trần Thị Hoa".into(),
            scores: vec![score(10, "dat"), score(11, "dat_mot_phan")],
            ..Default::default()
        };
        let v = ok.validate(&OrgPath("/1/2/7/".into()), ExemplarKind::CaNhan, 2020, Some(&set)).unwrap();
        assert_eq!(v.scores[1].result, EvalResult::DatMotPhan);
        let elsewhere = OrgPath("/1/3/".into());
        let wrong = EvaluationInput { period_year: 2026, scores: vec![score(10, "dat"), score(11, "dat"), score(13, "dat")], ..ok.clone() };
        let fields: Vec<_> = wrong.validate(&elsewhere, ExemplarKind::CaNhan, 2020, Some(&set)).unwrap_err().0.iter().map(|e| e.code).collect();
        assert_eq!(fields, ["not_applicable", "wrong_period", "unknown_criterion"]);
        let twice = EvaluationInput { scores: vec![score(10, "dat"), score(10, "chua_dat"), score(11, "dat")], ..ok.clone() };
        assert_eq!(twice.validate(&set_at, ExemplarKind::CaNhan, 2020, Some(&set)).unwrap_err().0[0].code, "duplicate");
        assert_eq!(ok.validate(&set_at, ExemplarKind::CaNhan, 2020, None).unwrap_err().0[0].field, "criteria_set_id");
    }

    #[test]
    fn every_applicable_criterion_is_answered_and_no_other() {
        let set_at = OrgPath("/1/".into());
        let criteria = [
            CriterionFacts { id: 1, code: "III.2.1", applies_to: AppliesTo::Chung },
            CriterionFacts { id: 2, code: "III.3.1", applies_to: AppliesTo::TapThe },
            CriterionFacts { id: 3, code: "III.3.2", applies_to: AppliesTo::CaNhan },
        ];
        let set = SetFacts { name: "Bộ", org_path: &set_at, period: (2022, 2025), criteria: &criteria };
        let score = |id, r: &str| ScoreInput { criterion_id: id, result: r.into(), score: None, comment: String::new() };
        let base = EvaluationInput { criteria_set_id: 1, period_year: 2024, evaluated_on: "2024-11-02".into(), evaluator: "Hoa".into(), ..Default::default() };
        // A collective answers the general and the collective criteria.
        let collective = EvaluationInput { scores: vec![score(1, "dat"), score(2, "chua_dat")], ..base.clone() };
        let v = collective.validate(&set_at, ExemplarKind::TapThe, 2020, Some(&set)).unwrap();
        assert_eq!(v.scores.iter().map(|s| s.criterion_id).collect::<Vec<_>>(), [1, 2]);
        // The same answers for an individual: III.3.1 does not apply, III.3.2 is unanswered.
        let errs = collective.validate(&set_at, ExemplarKind::CaNhan, 2020, Some(&set)).unwrap_err();
        let got: Vec<_> = errs.0.iter().map(|e| (e.code, e.item, e.message.as_str())).collect();
        assert_eq!(
            got,
            [
                ("not_applicable", Some(2), "Tiêu chí III.3.1 chỉ áp dụng cho tập thể, không chấm cho điển hình cá nhân."),
                ("required", Some(3), "Tiêu chí III.3.2: vui lòng chọn kết quả."),
            ]
        );
        // Unanswered (an empty result, as an unchecked form sends) and bad values: every error at once.
        let blank = EvaluationInput { scores: vec![score(1, ""), ScoreInput { score: Some(11.0), ..score(3, "tot") }], ..base.clone() };
        let errs = blank.validate(&set_at, ExemplarKind::CaNhan, 2020, Some(&set)).unwrap_err();
        assert_eq!(errs.0.iter().map(|e| (e.code, e.item)).collect::<Vec<_>>(), [("required", Some(1)), ("invalid_result", Some(3)), ("out_of_range", Some(3))]);
        assert_eq!(errs.for_item("scores", 1), Some("Tiêu chí III.2.1: vui lòng chọn kết quả."));
        // A set with nothing for this kind cannot evaluate it.
        let only = [CriterionFacts { id: 2, code: "III.3.1", applies_to: AppliesTo::TapThe }];
        let set2 = SetFacts { criteria: &only, ..set };
        assert_eq!(base.validate(&set_at, ExemplarKind::CaNhan, 2020, Some(&set2)).unwrap_err().0[0].code, "no_criteria");
    }

    #[test]
    fn no_evaluation_for_a_year_before_the_exemplar_was_found() {
        let at = OrgPath("/1/".into());
        let criteria = [CriterionFacts { id: 1, code: "III.2.1", applies_to: AppliesTo::Chung }];
        let set = SetFacts { name: "Bộ", org_path: &at, period: (2022, 2025), criteria: &criteria };
        let answered = vec![ScoreInput { criterion_id: 1, result: "dat".into(), score: None, comment: String::new() }];
        let i = EvaluationInput { criteria_set_id: 1, period_year: 2023, evaluated_on: "2024-11-02".into(), evaluator: "Hoa".into(), scores: answered, ..Default::default() };
        assert!(i.validate(&at, ExemplarKind::CaNhan, 2023, Some(&set)).is_ok(), "the year it was found");
        let errs = i.validate(&at, ExemplarKind::CaNhan, 2024, Some(&set)).unwrap_err();
        assert_eq!(errs.0.iter().map(|e| (e.field, e.code)).collect::<Vec<_>>(), [("period_year", "before_found")]);
        assert_eq!(errs.0[0].message, "Năm đánh giá 2023 trước năm phát hiện điển hình (2024); chỉ đánh giá từ năm 2024 trở đi.");
    }

    #[test]
    fn the_form_opens_on_a_year_the_set_covers() {
        // Found 2023, this year 2026.
        assert_eq!(default_year((2026, 2030), (2023, 2026)), Some(2026));
        assert_eq!(default_year((2022, 2025), (2023, 2026)), Some(2025));
        assert_eq!(default_year((2022, 2022), (2023, 2026)), None, "ended before the exemplar was found");
        assert_eq!(default_year((2027, 2030), (2023, 2026)), None, "not begun");
    }
}
