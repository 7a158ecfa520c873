//! Review reports (sơ kết, tổng kết; plan 48-KH/ĐUK II.5, V): a TCCS
//! drafts its report for a period, the figures filled from the records;
//! the narrative parts are written by its people; it is sent to the bloc,
//! which returns it with comments or accepts it. Sent, its figures are
//! frozen: a later correction of a record shows as a difference
//! ([`differences`]), it never silently changes a sent report.
//!
//! Only the rules live here (no I/O); the store keeps the reports and the
//! web shows them.

use crate::access::{allowed, Action, Assignment};
use crate::period::Period;
use crate::validate::Invalid;
use crate::OrgPath;
use dienhinh_text as text;
use serde::{Deserialize, Serialize};

crate::coded_enum!(
    /// Where a review report stands.
    pub enum ReviewStatus {
        Draft = "nhap": "Đang soạn",
        Submitted = "da_gui": "Đã gửi, chờ Đảng ủy Khối xem xét",
        Returned = "tra_lai": "Bị trả lại để hoàn thiện",
        Accepted = "tiep_nhan": "Đã được tiếp nhận",
    }
);

crate::coded_enum!(
    /// What can be done to a review report.
    pub enum ReviewStep {
        Submit = "gui": "Gửi Đảng ủy Khối",
        Return = "tra_lai": "Trả lại kèm ý kiến",
        Accept = "tiep_nhan": "Tiếp nhận báo cáo",
    }
);

impl ReviewStatus {
    /// Its narrative may still be written (and its figures are live).
    pub fn editable(self) -> bool {
        matches!(self, ReviewStatus::Draft | ReviewStatus::Returned)
    }
    /// Its figures are the ones frozen when it was sent.
    pub fn frozen(self) -> bool {
        matches!(self, ReviewStatus::Submitted | ReviewStatus::Accepted)
    }
}

impl ReviewStep {
    /// The permission the step needs at the report's node: the TCCS's
    /// cấp ủy sends its report; the bloc's guiding bodies (Ban Tuyên giáo,
    /// Ban Thường vụ) receive it.
    pub fn needs(self) -> Action {
        match self {
            ReviewStep::Submit => Action::ApproveUnit,
            ReviewStep::Return | ReviewStep::Accept => Action::Guide,
        }
    }
}

/// Why a step cannot be taken, in the words shown to the person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// The caller does not hold the permission the step needs there.
    NotAllowed(Action),
    /// Not from the report's current state.
    NotNow(String),
    /// A return without its comments.
    CommentRequired,
    /// A comment longer than [`COMMENT_MAX`].
    CommentTooLong,
}

/// The longest comment on a step, in characters.
pub const COMMENT_MAX: usize = 5_000;

/// A step that may be taken: the state it leads to and its comment, normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allowed {
    pub to: ReviewStatus,
    pub comment: String,
}

/// Whether `step` may be taken by `who` on a report at `node` that is
/// `status` now, with `comment` as typed; the state it leads to and the
/// comment as kept.
pub fn check(status: ReviewStatus, step: ReviewStep, who: &[Assignment], node: &OrgPath, comment: &str) -> Result<Allowed, Refused> {
    use ReviewStatus as S;
    use ReviewStep as T;
    if !allowed(who, step.needs(), node) {
        return Err(Refused::NotAllowed(step.needs()));
    }
    let to = match (step, status) {
        (T::Submit, S::Draft | S::Returned) => S::Submitted,
        (T::Return | T::Accept, S::Submitted) => if step == T::Return { S::Returned } else { S::Accepted },
        (T::Submit, S::Submitted) => return Err(Refused::NotNow("Báo cáo đã được gửi, đang chờ Đảng ủy Khối xem xét; không gửi lại được.".into())),
        (_, S::Accepted) => return Err(Refused::NotNow("Báo cáo đã được tiếp nhận; không thay đổi được nữa.".into())),
        (_, s) => return Err(Refused::NotNow(format!("Báo cáo đang ở trạng thái “{}”: chưa được gửi nên chưa xem xét được.", s.label()))),
    };
    let comment = text::normalize(comment).trim().to_string();
    if step == T::Return && comment.is_empty() {
        return Err(Refused::CommentRequired);
    }
    if comment.chars().count() > COMMENT_MAX {
        return Err(Refused::CommentTooLong);
    }
    Ok(Allowed { to, comment })
}

/// The longest narrative part, in characters.
pub const PART_MAX: usize = 20_000;

// A review report as typed (API body or form).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct ReviewInput {
    /// The TCCS whose report it is (inside the caller's scope).
    pub org_id: i64,
    /// First year of the period.
    pub period_from: i64,
    /// Last year of the period (not before the first).
    pub period_to: i64,
    /// Kết quả đạt được.
    #[serde(default)]
    pub results: String,
    /// Hạn chế và nguyên nhân.
    #[serde(default)]
    pub shortcomings: String,
    /// Bài học kinh nghiệm.
    #[serde(default)]
    pub lessons: String,
    /// Phương hướng, nhiệm vụ.
    #[serde(default)]
    pub tasks: String,
}

/// A review report's input once validated: normalised text, a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidReview {
    pub org_id: i64,
    pub period: Period,
    pub results: String,
    pub shortcomings: String,
    pub lessons: String,
    pub tasks: String,
}

/// The narrative parts: (field, heading in the report).
pub const PARTS: [(&str, &str); 4] = [
    ("results", "Kết quả đạt được"),
    ("shortcomings", "Hạn chế và nguyên nhân"),
    ("lessons", "Bài học kinh nghiệm"),
    ("tasks", "Phương hướng, nhiệm vụ"),
];

impl ReviewInput {
    /// Every failed field at once; the text normalised.
    pub fn validate(&self, this_year: i64) -> Result<ValidReview, Invalid> {
        let mut inv = Invalid::new();
        let period = match Period::parse(&self.period_from.to_string(), &self.period_to.to_string(), Period::programme(), this_year) {
            Ok(p) => Some(p),
            Err(e) => {
                for f in e.0 {
                    // The period's fields are named as the body names them.
                    let field = if f.field == "from" { "period_from" } else { "period_to" };
                    inv.add(field, f.code, f.message);
                }
                None
            }
        };
        let parts = [&self.results, &self.shortcomings, &self.lessons, &self.tasks].map(|s| text::normalize(s));
        for ((field, label), value) in PARTS.iter().zip(&parts) {
            inv.max_len(field, label, value, PART_MAX);
        }
        inv.into_result()?;
        let [results, shortcomings, lessons, tasks] = parts;
        Ok(ValidReview { org_id: self.org_id, period: period.expect("checked"), results, shortcomings, lessons, tasks })
    }
}

/// A figure frozen in a sent report, or counted now: (table key, row code) → count.
pub type FigureKey = (String, String);

/// A figure whose count now differs from the one frozen in the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Difference {
    pub table: String,
    pub code: String,
    pub frozen: i64,
    pub now: i64,
}

/// The figures that changed since the report was sent (a record corrected
/// later): every key of either side whose counts differ, in key order.
pub fn differences(frozen: &[(FigureKey, i64)], now: &[(FigureKey, i64)]) -> Vec<Difference> {
    use std::collections::BTreeMap;
    let mut all: BTreeMap<&FigureKey, (i64, i64)> = BTreeMap::new();
    for (k, n) in frozen {
        all.entry(k).or_default().0 += n;
    }
    for (k, n) in now {
        all.entry(k).or_default().1 += n;
    }
    all.into_iter()
        .filter(|(_, (a, b))| a != b)
        .map(|((table, code), (frozen, now))| Difference { table: table.clone(), code: code.clone(), frozen, now })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Role;

    fn at(role: Role, path: &str) -> Vec<Assignment> {
        vec![Assignment { role, org_id: 0, org_path: OrgPath(path.into()) }]
    }

    const TCCS: &str = "/1/2/7/";

    #[test]
    fn the_tccs_sends_and_the_bloc_returns_or_accepts() {
        let tccs = OrgPath(TCCS.into());
        let capuy = at(Role::CapUy, TCCS);
        let bloc = at(Role::BanTuyenGiao, "/1/2/");
        assert_eq!(check(ReviewStatus::Draft, ReviewStep::Submit, &capuy, &tccs, "").map(|a| a.to), Ok(ReviewStatus::Submitted));
        assert_eq!(check(ReviewStatus::Returned, ReviewStep::Submit, &capuy, &tccs, "").map(|a| a.to), Ok(ReviewStatus::Submitted));
        assert_eq!(check(ReviewStatus::Submitted, ReviewStep::Return, &bloc, &tccs, "Bổ sung số liệu").map(|a| a.to), Ok(ReviewStatus::Returned));
        assert_eq!(check(ReviewStatus::Submitted, ReviewStep::Accept, &bloc, &tccs, "").map(|a| a.to), Ok(ReviewStatus::Accepted));
        // The TCCS cannot accept its own report; the bloc does not send it.
        assert_eq!(check(ReviewStatus::Submitted, ReviewStep::Accept, &capuy, &tccs, ""), Err(Refused::NotAllowed(Action::Guide)));
        assert_eq!(check(ReviewStatus::Draft, ReviewStep::Submit, &bloc, &tccs, ""), Err(Refused::NotAllowed(Action::ApproveUnit)));
        // A cán bộ drafts but the cấp ủy sends.
        assert!(matches!(check(ReviewStatus::Draft, ReviewStep::Submit, &at(Role::CanBoTccs, TCCS), &tccs, ""), Err(Refused::NotAllowed(_))));
        // Another TCCS's cấp ủy reaches nothing here.
        assert!(check(ReviewStatus::Draft, ReviewStep::Submit, &at(Role::CapUy, "/1/2/8/"), &tccs, "").is_err());
    }

    #[test]
    fn sending_twice_returning_without_comments_and_touching_an_accepted_report_are_refused() {
        let tccs = OrgPath(TCCS.into());
        let capuy = at(Role::CapUy, TCCS);
        let bloc = at(Role::BanThuongVu, "/1/2/");
        assert!(matches!(check(ReviewStatus::Submitted, ReviewStep::Submit, &capuy, &tccs, ""), Err(Refused::NotNow(m)) if m.contains("đã được gửi")));
        assert_eq!(check(ReviewStatus::Submitted, ReviewStep::Return, &bloc, &tccs, " \u{200b} "), Err(Refused::CommentRequired));
        // The comment is kept normalised; one too long is refused.
        let kept = check(ReviewStatus::Submitted, ReviewStep::Return, &bloc, &tccs, "  Bo\u{0302}\u{0309} sung\u{202e} ").unwrap();
        assert_eq!(kept.comment, text::normalize("Bổ sung"));
        let long = "ý".repeat(COMMENT_MAX + 1);
        assert_eq!(check(ReviewStatus::Submitted, ReviewStep::Return, &bloc, &tccs, &long), Err(Refused::CommentTooLong));
        assert!(check(ReviewStatus::Submitted, ReviewStep::Return, &bloc, &tccs, &long[..long.len() - "ý".len()]).is_ok());
        for step in ReviewStep::ALL {
            assert!(check(ReviewStatus::Accepted, *step, &[capuy.clone(), bloc.clone()].concat(), &tccs, "x").is_err());
        }
        assert!(matches!(check(ReviewStatus::Draft, ReviewStep::Accept, &bloc, &tccs, ""), Err(Refused::NotNow(_))));
        assert!(ReviewStatus::Draft.editable() && ReviewStatus::Returned.editable());
        assert!(!ReviewStatus::Submitted.editable() && !ReviewStatus::Accepted.editable());
        assert!(ReviewStatus::Submitted.frozen() && !ReviewStatus::Returned.frozen());
    }

    #[test]
    fn input_reports_every_field_and_normalises_text() {
        let i = ReviewInput { org_id: 7, period_from: 2025, period_to: 2022, results: "x".repeat(PART_MAX + 1), ..Default::default() };
        let e = i.validate(2026).unwrap_err();
        assert!(e.for_field("period_to").unwrap().contains("trước năm bắt đầu"));
        assert!(e.for_field("results").is_some());
        let ok = ReviewInput { org_id: 7, period_from: 2022, period_to: 2025, lessons: "Ho\u{0300}a\u{202e}".into(), ..Default::default() }.validate(2026).unwrap();
        assert_eq!(ok.period, Period::programme());
        assert_eq!(ok.lessons, text::normalize("Ho\u{0300}a\u{202e}"));
    }

    #[test]
    fn differences_name_each_figure_that_changed_since_it_was_frozen() {
        let k = |t: &str, c: &str| (t.to_string(), c.to_string());
        let frozen = vec![(k("exemplars_by_status", "cong_nhan"), 3), (k("models", "da_duyet"), 2)];
        let now = vec![(k("exemplars_by_status", "cong_nhan"), 4), (k("models", "da_duyet"), 2), (k("replications", "2025"), 1)];
        let d = differences(&frozen, &now);
        assert_eq!(
            d,
            vec![
                Difference { table: "exemplars_by_status".into(), code: "cong_nhan".into(), frozen: 3, now: 4 },
                Difference { table: "replications".into(), code: "2025".into(), frozen: 0, now: 1 },
            ]
        );
        assert!(differences(&frozen, &frozen).is_empty());
    }
}
