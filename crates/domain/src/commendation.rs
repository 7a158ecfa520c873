//! Commendation rounds (plan 48-KH/ĐUK IV.3, V.2; PARTY-DOCUMENTS.md "Council
//! votes"): nomination with a dossier → screening by the Ban Tuyên giáo →
//! the council's vote (bình xét) → a decision within the bloc's authority or
//! a proposal upward → the recorded outcome.
//!
//! ```text
//! nháp ──► đã gửi ──► đã tiếp nhận ──► đã bình xét ──► đã quyết định
//!  │         │  ▲          (screening)        │    └──► đã đề nghị ──► được phê duyệt
//!  │         ▼  │                             │                    └──► không được phê duyệt
//!  │       bị trả lại ──► gửi lại             └──► không đạt (the vote failed)
//!  └─────────┴──────────────► đã rút (withdrawn, before screening)
//! ```
//!
//! Everything here is pure: who may do what, whether an exemplar is
//! eligible, who is recused, and the tally against quorum and threshold.
//!
//! **Recusal** (decided here, PARTY-DOCUMENTS.md leaves the detail open): a
//! member does not vote on a nomination when they hold a role at the
//! nominee's unit or at any unit above it that lies *below* the node where
//! the council sits (the round's node). A role at the council's own node (or
//! above it) is what makes someone a member of the bloc's bodies at all and
//! does not recuse, or every bloc officer would be recused from everything.
//!
//! **Tally** (settings of the round, the Quy chế named beside them):
//! - quorum: at least `quorum_num/quorum_den` of all members present at the
//!   session (default 2/3, Decree 98/2023 art. 47 for the central council);
//!   written votes of absent members do not make the quorum;
//! - threshold: agreeing votes, counted over the members entitled to vote on
//!   the nomination (all members less the recused), must be at least
//!   (`AtLeast`) or more than (`MoreThan`) `threshold_percent` % of them
//!   (defaults: more than 50 % for Bằng khen, at least 90 % and secret
//!   ballot for high titles, after Decree 91/2017 art. 45.8 as councils'
//!   Quy chế still say). Written votes count as votes; abstentions and
//!   members who did not vote count in the base but never as agreeing.

use crate::access::{allowed, Action, Assignment};
use crate::exemplar::{ExemplarKind, Level, Status};
use crate::org::OrgPath;
use crate::validate::Invalid;
use dienhinh_text as text;
use serde::{Deserialize, Serialize};

crate::coded_enum!(
    /// Whose authority a form of commendation is under: the bloc decides it
    /// itself, or proposes it upward.
    pub enum Authority {
        WithinBloc = "trong_khoi": "Thuộc thẩm quyền Đảng ủy Khối",
        Upward = "cap_tren": "Đề nghị cấp trên",
    }
);

/// A form of commendation shipped by default (the bloc adds its own).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DefaultForm {
    pub code: &'static str,
    pub name: &'static str,
    pub authority: Authority,
    /// The level an approved commendation of this form gives the exemplar.
    pub level: Option<Level>,
}

/// The forms named in the plan (IV.3), seeded by migration 10.
pub const DEFAULT_FORMS: [DefaultForm; 5] = [
    DefaultForm { code: "khen_thuong_khoi", name: "Khen thưởng của Ban Thường vụ Đảng ủy Khối", authority: Authority::WithinBloc, level: Some(Level::Khoi) },
    DefaultForm {
        code: "trien_lam_binh_di",
        name: "Triển lãm «Những tấm gương bình dị mà cao quý» (Ban Tuyên giáo Trung ương)",
        authority: Authority::Upward,
        level: Some(Level::ToanQuoc),
    },
    DefaultForm { code: "bang_khen_ubnd_tinh", name: "Bằng khen của Chủ tịch UBND tỉnh", authority: Authority::Upward, level: Some(Level::Tinh) },
    DefaultForm { code: "bang_khen_btgtw", name: "Bằng khen của Trưởng Ban Tuyên giáo Trung ương", authority: Authority::Upward, level: Some(Level::ToanQuoc) },
    DefaultForm { code: "bang_khen_ttg", name: "Bằng khen của Thủ tướng Chính phủ", authority: Authority::Upward, level: Some(Level::ToanQuoc) },
];

crate::coded_enum!(
    /// Where a nomination stands.
    pub enum NominationStatus {
        Draft = "nhap": "Đang soạn hồ sơ",
        Submitted = "da_gui": "Đã gửi, chờ thẩm định",
        Returned = "tra_lai": "Bị trả lại để bổ sung",
        Resubmitted = "gui_lai": "Đã gửi lại, chờ thẩm định",
        Accepted = "tiep_nhan": "Đã thẩm định, chờ bình xét",
        Voted = "dat": "Được Hội đồng bình xét đề nghị",
        NotPassed = "khong_dat": "Không đạt khi bình xét",
        Decided = "quyet_dinh": "Đã có quyết định khen thưởng",
        Proposed = "de_nghi": "Đã đề nghị cấp trên",
        Approved = "phe_duyet": "Được cấp trên khen thưởng",
        NotApproved = "khong_phe_duyet": "Cấp trên không khen thưởng",
        Withdrawn = "rut": "Đã rút hồ sơ",
    }
);

crate::coded_enum!(
    /// A step of a nomination's life. The vote itself is not a step: the
    /// session's close moves every nomination voted on to `dat` or
    /// `khong_dat` ([`after_vote`]).
    pub enum NominationStep {
        Submit = "gui": "Gửi hồ sơ",
        Withdraw = "rut": "Rút hồ sơ",
        Return = "tra_lai": "Trả lại để bổ sung",
        Resubmit = "gui_lai": "Gửi lại hồ sơ",
        Accept = "tiep_nhan": "Thẩm định đạt",
        Decide = "quyet_dinh": "Quyết định khen thưởng",
        Propose = "de_nghi": "Đề nghị cấp trên",
        Approve = "phe_duyet": "Ghi nhận cấp trên khen thưởng",
        NotApprove = "khong_phe_duyet": "Ghi nhận cấp trên không khen thưởng",
    }
);

crate::coded_enum!(
    /// A member's vote on a nomination.
    pub enum Choice {
        Agree = "dong_y": "Đồng ý",
        Disagree = "khong_dong_y": "Không đồng ý",
        Abstain = "khong_bieu_quyet": "Không biểu quyết",
    }
);

crate::coded_enum!(
    pub enum BallotKind {
        Secret = "bo_phieu_kin": "Bỏ phiếu kín",
        Open = "bieu_quyet_cong_khai": "Biểu quyết công khai",
    }
);

crate::coded_enum!(
    /// How the threshold compares.
    pub enum ThresholdRule {
        MoreThan = "tren": "Trên",
        AtLeast = "tu": "Từ",
    }
);

crate::coded_enum!(
    /// A member's place in the council (hội đồng thi đua, khen thưởng).
    pub enum CouncilRole {
        Chair = "chu_tich": "Chủ tịch Hội đồng",
        Secretary = "thu_ky": "Thư ký Hội đồng",
        Member = "uy_vien": "Ủy viên",
    }
);

crate::coded_enum!(
    pub enum SessionStatus {
        Open = "dang_hop": "Đang họp",
        Closed = "da_ket_thuc": "Đã kết thúc",
    }
);

crate::coded_enum!(
    /// What the bloc issues at the end of a round: its decision, or its
    /// proposal upward (tờ trình) with the list attached.
    pub enum OutcomeKind {
        Decision = "quyet_dinh": "Quyết định khen thưởng",
        Proposal = "to_trinh": "Tờ trình đề nghị khen thưởng",
    }
);

impl OutcomeKind {
    /// The register's type of the document: a decision is numbered as a
    /// QĐ, a proposal as a TTr.
    pub fn doc_type(self) -> crate::document::DocType {
        match self {
            OutcomeKind::Decision => crate::document::DocType::QuyetDinh,
            OutcomeKind::Proposal => crate::document::DocType::ToTrinh,
        }
    }

    /// The trích yếu the register keeps for the document.
    pub fn subject(self, form: &str, year: i64) -> String {
        match self {
            OutcomeKind::Decision => format!("Về việc tặng {form} năm {year}"),
            OutcomeKind::Proposal => format!("Về việc đề nghị tặng {form} năm {year}"),
        }
    }
}

/// The trích yếu of a council session's biên bản in the register.
pub fn minutes_subject(form: &str, year: i64) -> String {
    format!("Biên bản họp Hội đồng Thi đua, Khen thưởng xét tặng {form} năm {year}")
}

impl Authority {
    /// What the bloc issues for a form under this authority.
    pub fn outcome(self) -> OutcomeKind {
        match self {
            Authority::WithinBloc => OutcomeKind::Decision,
            Authority::Upward => OutcomeKind::Proposal,
        }
    }
    /// The step each nomination of the list takes.
    pub fn outcome_step(self) -> NominationStep {
        match self {
            Authority::WithinBloc => NominationStep::Decide,
            Authority::Upward => NominationStep::Propose,
        }
    }
}

/// The level an approved commendation leaves the exemplar at: the form's,
/// when higher than the one it has (never lowered).
pub fn level_after(current: Level, form: Option<Level>) -> Level {
    match form {
        Some(f) if level_rank(f) > level_rank(current) => f,
        _ => current,
    }
}

crate::coded_enum!(
    /// The items of a dossier a round may require.
    pub enum DossierItem {
        Report = "bao_cao_thanh_tich": "Báo cáo thành tích",
        Confirmation = "xac_nhan_cap_uy": "Xác nhận của cấp ủy",
        Evidence = "minh_chung": "Tài liệu minh chứng (tệp đính kèm)",
        Minutes = "bien_ban_co_so": "Biên bản bình xét của cơ sở",
    }
);

// ---------------------------------------------------------------- who may

/// A seat held in the council of one round: council membership is a role
/// held for a round, not at a node (see `access::council_allows`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CouncilSeat {
    pub round_id: i64,
    pub role: CouncilRole,
}

impl NominationStep {
    /// The permission the step needs: nominating at the nominee's node
    /// (TCCS), screening at the round's node (Ban Tuyên giáo), deciding and
    /// proposing at the round's node (Ban Thường vụ).
    pub fn needs(self) -> Action {
        match self {
            NominationStep::Submit | NominationStep::Withdraw | NominationStep::Resubmit => Action::EnterData,
            NominationStep::Return | NominationStep::Accept => Action::Guide,
            NominationStep::Decide | NominationStep::Propose | NominationStep::Approve | NominationStep::NotApprove => Action::ApproveBloc,
        }
    }

    /// Whether the step is judged at the nominee's node (else the round's).
    pub fn at_nominee(self) -> bool {
        self.needs() == Action::EnterData
    }

    pub fn who_may(self) -> &'static str {
        match self.needs() {
            Action::EnterData => "Chỉ cán bộ TCCS hoặc cấp ủy của đơn vị đề nghị mới thực hiện được bước này.",
            Action::Guide => "Chỉ Ban Tuyên giáo (cơ quan thẩm định) mới thực hiện được bước này.",
            _ => "Chỉ Ban Thường vụ Đảng ủy Khối mới thực hiện được bước này.",
        }
    }
}

/// Why something is refused: a stable code for the API, a message in Vietnamese.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub code: &'static str,
    pub message: String,
}

fn refuse<T>(code: &'static str, message: impl Into<String>) -> Result<T, Refusal> {
    Err(Refusal { code, message: message.into() })
}

impl From<Refusal> for Invalid {
    fn from(r: Refusal) -> Self {
        let mut inv = Invalid::new();
        inv.add("step", r.code, r.message);
        inv
    }
}

/// The status after `step` from `from` (regardless of who asks).
pub fn next_status(step: NominationStep, from: NominationStatus, authority: Authority) -> Result<NominationStatus, Refusal> {
    use NominationStatus as S;
    use NominationStep as T;
    match (step, from) {
        (T::Submit, S::Draft) => Ok(S::Submitted),
        (T::Withdraw, S::Draft | S::Submitted | S::Returned | S::Resubmitted) => Ok(S::Withdrawn),
        (T::Withdraw, _) => refuse("illegal", "Chỉ rút được hồ sơ chưa được thẩm định."),
        (T::Return, S::Submitted | S::Resubmitted) => Ok(S::Returned),
        (T::Accept, S::Submitted | S::Resubmitted) => Ok(S::Accepted),
        (T::Return | T::Accept, _) => refuse("illegal", "Chỉ thẩm định hồ sơ đã gửi và đang chờ thẩm định."),
        (T::Resubmit, S::Returned) => Ok(S::Resubmitted),
        (T::Resubmit, _) => refuse("illegal", "Chỉ gửi lại hồ sơ đã bị trả lại."),
        (T::Submit, _) => refuse("illegal", "Hồ sơ này đã được gửi."),
        (T::Decide, S::Voted) if authority == Authority::WithinBloc => Ok(S::Decided),
        (T::Propose, S::Voted) if authority == Authority::Upward => Ok(S::Proposed),
        (T::Decide, S::Voted) => refuse("wrong_authority", "Hình thức này thuộc thẩm quyền cấp trên: hãy lập tờ trình đề nghị."),
        (T::Propose, S::Voted) => refuse("wrong_authority", "Hình thức này thuộc thẩm quyền Đảng ủy Khối: hãy ban hành quyết định."),
        (T::Decide | T::Propose, S::Draft | S::Submitted | S::Returned | S::Resubmitted | S::Accepted) => {
            refuse("not_voted", "Chưa thể quyết định hoặc đề nghị khi Hội đồng chưa bình xét, biểu quyết.")
        }
        (T::Decide | T::Propose, S::NotPassed) => refuse("not_passed", "Hồ sơ không đạt khi Hội đồng bình xét."),
        (T::Decide | T::Propose, _) => refuse("illegal", "Hồ sơ này đã có kết quả."),
        (T::Approve, S::Proposed) => Ok(S::Approved),
        (T::NotApprove, S::Proposed) => Ok(S::NotApproved),
        (T::Approve | T::NotApprove, _) => refuse("illegal", "Chỉ ghi nhận kết quả của hồ sơ đã đề nghị cấp trên."),
    }
}

/// Whether `who` may take `step`: the permission at the node the step is
/// judged at (`nominee_at` or `round_at`), then the state machine.
pub fn check_step(
    step: NominationStep,
    from: NominationStatus,
    authority: Authority,
    who: &[Assignment],
    nominee_at: &OrgPath,
    round_at: &OrgPath,
) -> Result<NominationStatus, Refusal> {
    let at = if step.at_nominee() { nominee_at } else { round_at };
    if !allowed(who, step.needs(), at) {
        return refuse("forbidden", step.who_may());
    }
    next_status(step, from, authority)
}

/// Whether a round still takes nominations on `today` (ISO dates compare
/// as text): up to and including its deadline.
pub fn check_deadline(deadline: &str, today: &str) -> Result<(), Refusal> {
    if today > deadline {
        return refuse("after_deadline", format!("Đã hết hạn nhận hồ sơ đề nghị của đợt này ({}).", crate::clock::iso_to_vn(deadline)));
    }
    Ok(())
}

/// The vote of a closed session, for its nominations: passed or not.
pub fn after_vote(passed: bool) -> NominationStatus {
    if passed {
        NominationStatus::Voted
    } else {
        NominationStatus::NotPassed
    }
}

/// Nothing of a closed session changes (PARTY-DOCUMENTS.md).
pub fn ensure_open(status: SessionStatus) -> Result<(), Refusal> {
    match status {
        SessionStatus::Open => Ok(()),
        SessionStatus::Closed => refuse("session_closed", "Phiên bình xét đã kết thúc: không thể thay đổi kết quả."),
    }
}

// ---------------------------------------------------------------- eligibility

/// What a round requires of a nominee.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Eligibility {
    /// Only individuals, only collectives, or both (`None`).
    #[schema(value_type = Option<String>)]
    pub kind: Option<ExemplarKind>,
    /// The lowest level the exemplar must have reached.
    #[schema(value_type = String)]
    pub min_level: Level,
    /// Evaluations on record in each of the N years before the round's year.
    pub evaluation_years: i64,
    /// Years since the exemplar was found, at least.
    pub years_as_exemplar: i64,
    /// The exemplar must still be followed (not dropped).
    pub must_be_active: bool,
}

impl Default for Eligibility {
    fn default() -> Self {
        Eligibility { kind: None, min_level: Level::CoSo, evaluation_years: 1, years_as_exemplar: 1, must_be_active: true }
    }
}

/// What the records say about an exemplar, for [`eligibility`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExemplarFacts {
    pub kind: ExemplarKind,
    pub level: Level,
    pub status: Status,
    pub year_found: i64,
    /// Years with at least one evaluation on record.
    pub evaluated_years: Vec<i64>,
}

/// One failed rule of eligibility.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FailedRule {
    pub rule: &'static str,
    pub message: String,
}

fn level_rank(l: Level) -> usize {
    Level::ALL.iter().position(|x| *x == l).unwrap_or(0)
}

/// Every rule of `rules` the exemplar fails in a round of `year` (empty: eligible).
pub fn eligibility(rules: &Eligibility, year: i64, e: &ExemplarFacts) -> Vec<FailedRule> {
    let mut failed = vec![];
    let mut fail = |rule, message: String| failed.push(FailedRule { rule, message });
    if let Some(kind) = rules.kind {
        if kind != e.kind {
            fail("kind", format!("Đợt này chỉ xét điển hình {}.", kind.label().to_lowercase()));
        }
    }
    if level_rank(e.level) < level_rank(rules.min_level) {
        fail("min_level", format!("Điển hình phải đạt từ cấp {} trở lên (hiện ở cấp {}).", rules.min_level.label(), e.level.label()));
    }
    let missing: Vec<String> =
        (year - rules.evaluation_years..year).filter(|y| !e.evaluated_years.contains(y)).map(|y| y.to_string()).collect();
    if !missing.is_empty() {
        fail("evaluation_years", format!("Chưa có kết quả kiểm tra, đánh giá năm {}.", missing.join(", ")));
    }
    if year - e.year_found < rules.years_as_exemplar {
        fail("years_as_exemplar", format!("Điển hình phải được theo dõi ít nhất {} năm (phát hiện năm {}).", rules.years_as_exemplar, e.year_found));
    }
    if rules.must_be_active && e.status == Status::Dung {
        fail("active", "Điển hình đã dừng theo dõi.".into());
    }
    failed
}

/// The refusal of an ineligible exemplar, every failed rule named.
pub fn ineligible(failed: &[FailedRule]) -> Invalid {
    let mut inv = Invalid::new();
    let all: Vec<&str> = failed.iter().map(|f| f.message.as_str()).collect();
    inv.add("exemplar_id", "ineligible", format!("Điển hình chưa đủ điều kiện: {}", all.join(" ")));
    inv
}

// ---------------------------------------------------------------- recusal

/// Whether a member holding `roles` is recused from a nomination of the unit
/// at `nominee_at` in a council sitting at `council_at` (module comment).
pub fn recused(roles: &[Assignment], nominee_at: &OrgPath, council_at: &OrgPath) -> bool {
    roles.iter().any(|a| a.org_path.contains(nominee_at) && a.org_path != *council_at && !a.org_path.contains(council_at))
}

// ---------------------------------------------------------------- tally

/// A round's council rules, with the Quy chế that sets them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct VoteRules {
    pub quorum_num: i64,
    pub quorum_den: i64,
    pub threshold_percent: i64,
    #[schema(value_type = String)]
    pub threshold_rule: ThresholdRule,
    #[schema(value_type = String)]
    pub ballot: BallotKind,
    /// The Quy chế hoạt động (or decree) that sets these values.
    pub basis: String,
}

impl Default for VoteRules {
    /// Bằng khen and the bloc's own commendation: quorum 2/3, more than 50 %, secret ballot.
    fn default() -> VoteRules {
        VoteRules {
            quorum_num: 2,
            quorum_den: 3,
            threshold_percent: 50,
            threshold_rule: ThresholdRule::MoreThan,
            ballot: BallotKind::Secret,
            basis: "Quy chế hoạt động của Hội đồng Thi đua - Khen thưởng (Nghị định 98/2023/NĐ-CP, sửa đổi bởi Nghị định 152/2025/NĐ-CP)".into(),
        }
    }
}

impl VoteRules {
    /// The rules as one line: `Có mặt từ 2/3 thành viên; đồng ý trên 50 %`.
    pub fn describe(&self) -> String {
        format!(
            "Có mặt từ {}/{} tổng số thành viên; số phiếu đồng ý {} {} % số thành viên được biểu quyết; {}.",
            self.quorum_num,
            self.quorum_den,
            self.threshold_rule.label().to_lowercase(),
            self.threshold_percent,
            self.ballot.label().to_lowercase()
        )
    }

    pub fn validate(&self) -> Result<(), Invalid> {
        let mut inv = Invalid::new();
        if !(1..=100).contains(&self.quorum_den) || !(1..=self.quorum_den).contains(&self.quorum_num) {
            inv.add("quorum_num", "out_of_range", "Tỷ lệ có mặt tối thiểu phải là một phân số từ 1/100 đến 1/1.");
        }
        let max = if self.threshold_rule == ThresholdRule::MoreThan { 99 } else { 100 };
        if !(1..=max).contains(&self.threshold_percent) {
            inv.add("threshold_percent", "out_of_range", format!("Ngưỡng đồng ý phải từ 1 đến {max} %."));
        }
        let basis = text::normalize_line(&self.basis);
        inv.required("basis", "căn cứ (Quy chế hoạt động của Hội đồng)", &basis, 500);
        inv.into_result()
    }
}

/// Whether enough members are present: `present ≥ num/den × members`.
pub fn quorum_met(rules: &VoteRules, members: i64, present: i64) -> bool {
    members > 0 && present * rules.quorum_den >= rules.quorum_num * members
}

/// The refusal when the quorum is not met.
pub fn check_quorum(rules: &VoteRules, members: i64, present: i64) -> Result<(), Refusal> {
    if quorum_met(rules, members, present) {
        return Ok(());
    }
    refuse(
        "quorum_not_met",
        format!("Chưa đủ số thành viên có mặt: {present}/{members}, cần từ {}/{} tổng số thành viên.", rules.quorum_num, rules.quorum_den),
    )
}

/// The votes counted on one nomination.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Votes {
    pub agree: i64,
    pub disagree: i64,
    pub abstain: i64,
    /// Of those, the written votes of absent members.
    pub written: i64,
}

impl Votes {
    pub fn cast(&self) -> i64 {
        self.agree + self.disagree + self.abstain
    }
    pub fn add(&mut self, c: Choice, written: bool) {
        match c {
            Choice::Agree => self.agree += 1,
            Choice::Disagree => self.disagree += 1,
            Choice::Abstain => self.abstain += 1,
        }
        self.written += i64::from(written);
    }
}

/// The result of one nomination's vote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Tally {
    /// Members entitled to vote on it: all members less the recused.
    pub base: i64,
    pub votes: Votes,
    pub recused: i64,
    pub quorum_met: bool,
    /// The fewest agreeing votes that pass.
    pub needed: i64,
    pub passed: bool,
}

/// The tally of one nomination: `members` in the council, `present` at the
/// session, `recused` from this nomination, `votes` as counted.
pub fn tally(rules: &VoteRules, members: i64, present: i64, recused: i64, votes: Votes) -> Tally {
    let base = (members - recused).max(0);
    let p = rules.threshold_percent;
    // Fewest agreeing votes a with a·100 ≥ p·base (at least) or > p·base (more than).
    let needed = match rules.threshold_rule {
        ThresholdRule::AtLeast => (p * base + 99) / 100,
        ThresholdRule::MoreThan => p * base / 100 + 1,
    };
    let quorum_met = quorum_met(rules, members, present);
    let passed = quorum_met && base > 0 && votes.agree >= needed;
    Tally { base, votes, recused, quorum_met, needed, passed }
}

/// Whether `member` may vote on a nomination: not recused, not yet voted,
/// present (or a written vote entered by the secretary for an absent one).
pub fn check_vote(is_recused: bool, already_voted: bool, present: bool, written: bool) -> Result<(), Refusal> {
    if is_recused {
        return refuse("recused", "Thành viên này giữ chức vụ tại đơn vị có hồ sơ nên không biểu quyết hồ sơ này.");
    }
    if already_voted {
        return refuse("already_voted", "Thành viên này đã biểu quyết hồ sơ này.");
    }
    match (present, written) {
        (true, true) => refuse("present_member", "Thành viên có mặt tự biểu quyết; phiếu bằng văn bản chỉ dành cho thành viên vắng mặt."),
        (false, false) => refuse("absent_member", "Thành viên vắng mặt chỉ gửi phiếu bằng văn bản, do Thư ký Hội đồng nhập."),
        _ => Ok(()),
    }
}

// ---------------------------------------------------------------- inputs

// A commendation round as typed (API body or form).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct RoundInput {
    // The node the round belongs to (the bloc).
    pub org_id: i64,
    pub year: i64,
    // Id of the form of commendation.
    pub form_id: i64,
    // Last day to nominate, `YYYY-MM-DD`.
    pub deadline: String,
    #[serde(default)]
    pub eligibility: Option<Eligibility>,
    // Codes of the dossier items required (bao_cao_thanh_tich, xac_nhan_cap_uy, minh_chung, bien_ban_co_so).
    #[serde(default)]
    pub required_items: Vec<String>,
    pub rules: VoteRules,
    // Ids of the council's members (users) with their role in it.
    #[serde(default)]
    pub council: Vec<CouncilMemberInput>,
}

#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
pub struct CouncilMemberInput {
    pub user_id: i64,
    // chu_tich, thu_ky or uy_vien.
    pub role: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ValidRound {
    pub org_id: i64,
    pub year: i64,
    pub form_id: i64,
    pub deadline: String,
    pub eligibility: Eligibility,
    pub required_items: Vec<DossierItem>,
    pub rules: VoteRules,
    pub council: Vec<(i64, CouncilRole)>,
}

impl RoundInput {
    pub fn validate(&self, this_year: i64) -> Result<ValidRound, Invalid> {
        let mut inv = Invalid::new();
        if !(2000..=this_year + 1).contains(&self.year) {
            inv.add("year", "out_of_range", format!("Năm phải từ 2000 đến {}.", this_year + 1));
        }
        let deadline = crate::clock::parse_date(self.deadline.trim());
        if deadline.is_none() {
            inv.add("deadline", "invalid", "Vui lòng nhập hạn nộp hồ sơ hợp lệ.");
        }
        let mut items = vec![];
        for c in &self.required_items {
            match DossierItem::from_code(c) {
                Some(i) if !items.contains(&i) => items.push(i),
                Some(_) => {}
                None => inv.add("required_items", "unknown", "Thành phần hồ sơ không có trong danh mục."),
            }
        }
        let e = self.eligibility.unwrap_or_default();
        if !(0..=10).contains(&e.evaluation_years) || !(0..=50).contains(&e.years_as_exemplar) {
            inv.add("eligibility", "out_of_range", "Số năm trong điều kiện xét phải từ 0 đến 10 (đánh giá) và 0 đến 50 (theo dõi).");
        }
        let mut rules = self.rules.clone();
        rules.basis = text::normalize_line(&rules.basis);
        if let Err(e) = rules.validate() {
            inv.0.extend(e.0);
        }
        let mut council = vec![];
        for m in &self.council {
            match CouncilRole::from_code(&m.role) {
                Some(_) if council.iter().any(|(u, _)| *u == m.user_id) => inv.add("council", "duplicate", "Một người chỉ giữ một vị trí trong Hội đồng."),
                Some(r) => council.push((m.user_id, r)),
                None => inv.add("council", "unknown", "Vị trí trong Hội đồng không có trong danh mục."),
            }
        }
        if council.is_empty() {
            inv.add("council", "required", "Vui lòng chọn các thành viên Hội đồng.");
        } else if council.iter().filter(|(_, r)| *r == CouncilRole::Secretary).count() != 1 {
            inv.add("council", "secretary", "Hội đồng cần đúng một Thư ký.");
        }
        inv.into_result()?;
        Ok(ValidRound {
            org_id: self.org_id,
            year: self.year,
            form_id: self.form_id,
            deadline: crate::clock::iso(deadline.expect("checked")),
            eligibility: e,
            required_items: items,
            rules,
            council,
        })
    }
}

// A nomination's dossier as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct DossierInput {
    // Báo cáo thành tích (pre-filled from the records, then edited).
    #[serde(default)]
    pub report: String,
    // Xác nhận của cấp ủy: who confirmed and what they wrote.
    #[serde(default)]
    pub confirmation: String,
    pub version: i64,
}

pub struct ValidDossier {
    pub report: String,
    pub confirmation: String,
}

impl DossierInput {
    pub fn validate(&self) -> Result<ValidDossier, Invalid> {
        let report = text::normalize(&self.report);
        let confirmation = text::normalize(&self.confirmation);
        let mut inv = Invalid::new();
        inv.max_len("report", "Báo cáo thành tích", &report, 50_000);
        inv.max_len("confirmation", "Xác nhận của cấp ủy", &confirmation, 5_000);
        inv.into_result()?;
        Ok(ValidDossier { report, confirmation })
    }
}

/// What a dossier lacks of the round's required items before it is sent:
/// `has` answers whether an item is there.
pub fn missing_items(required: &[DossierItem], has: impl Fn(DossierItem) -> bool) -> Option<Invalid> {
    let missing: Vec<&str> = required.iter().filter(|i| !has(**i)).map(|i| i.label()).collect();
    if missing.is_empty() {
        return None;
    }
    let mut inv = Invalid::new();
    inv.add("dossier", "incomplete", format!("Hồ sơ còn thiếu: {}.", missing.join("; ")));
    Some(inv)
}

// The outcome as typed: a decision (số/ký hiệu, date, signer) or a proposal (tờ trình).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct OutcomeInput {
    // Empty: the register issues the next number of the term. Typed (`15` or
    // `15-QĐ/ĐUK`): a number already given on paper, recorded in the
    // register and refused when the term has used it.
    #[serde(default)]
    pub number: String,
    // `YYYY-MM-DD`.
    pub date: String,
    #[serde(default)]
    pub signer: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ValidOutcome {
    pub number: String,
    pub date: String,
    pub year: i64,
    pub signer: String,
    pub note: String,
}

impl OutcomeInput {
    /// A document's number, its date (not after today) and, for a decision
    /// of the bloc or a proposal, its signer.
    pub fn validate(&self, today: time::Date, signer_required: bool) -> Result<ValidOutcome, Invalid> {
        let number = text::normalize_line(&self.number);
        let signer = text::normalize_line(&self.signer);
        let note = text::normalize(&self.note);
        let mut inv = Invalid::new();
        inv.max_len("number", "Số, ký hiệu", &number, 40);
        let date = crate::clock::parse_date(self.date.trim());
        match date {
            None => inv.add("date", "invalid", "Vui lòng nhập ngày ban hành hợp lệ."),
            Some(d) if d > today => inv.add("date", "in_future", "Ngày ban hành không được sau ngày hôm nay."),
            Some(_) => {}
        }
        if signer_required {
            inv.required("signer", "người ký", &signer, 200);
        } else {
            inv.max_len("signer", "Người ký", &signer, 200);
        }
        inv.max_len("note", "Ghi chú", &note, 5000);
        inv.into_result()?;
        let d = date.expect("checked");
        Ok(ValidOutcome { number, date: crate::clock::iso(d), year: i64::from(d.year()), signer, note })
    }
}

/// Comments of a screening, one per dossier item (`None`: no comment).
pub fn validate_comments(comments: &[(DossierItem, String)], returning: bool) -> Result<Vec<(DossierItem, String)>, Invalid> {
    let mut inv = Invalid::new();
    let kept: Vec<(DossierItem, String)> =
        comments.iter().map(|(i, c)| (*i, text::normalize(c))).filter(|(_, c)| !c.trim().is_empty()).collect();
    for (_, c) in &kept {
        inv.max_len("comments", "Ý kiến", c, 5000);
    }
    if returning && kept.is_empty() {
        inv.add("comments", "required", "Vui lòng ghi ý kiến cho ít nhất một thành phần hồ sơ cần bổ sung.");
    }
    inv.into_result()?;
    Ok(kept)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::Role;

    #[test]
    fn tables() {
        crate::code::assert_table::<Authority>();
        crate::code::assert_table::<NominationStatus>();
        crate::code::assert_table::<NominationStep>();
        crate::code::assert_table::<Choice>();
        crate::code::assert_table::<BallotKind>();
        crate::code::assert_table::<ThresholdRule>();
        crate::code::assert_table::<CouncilRole>();
        crate::code::assert_table::<SessionStatus>();
        crate::code::assert_table::<DossierItem>();
        crate::code::assert_table::<OutcomeKind>();
        assert_eq!(level_after(Level::CoSo, Some(Level::Tinh)), Level::Tinh);
        assert_eq!(level_after(Level::ToanQuoc, Some(Level::Khoi)), Level::ToanQuoc);
        assert_eq!(level_after(Level::Khoi, None), Level::Khoi);
    }

    fn rules(pct: i64, rule: ThresholdRule) -> VoteRules {
        VoteRules { threshold_percent: pct, threshold_rule: rule, ..VoteRules::default() }
    }

    fn agree(n: i64) -> Votes {
        Votes { agree: n, ..Default::default() }
    }

    #[test]
    fn quorum_at_exactly_two_thirds() {
        let r = rules(50, ThresholdRule::MoreThan);
        assert!(quorum_met(&r, 9, 6), "6 of 9 is exactly two thirds");
        assert!(!quorum_met(&r, 9, 5));
        assert!(quorum_met(&r, 10, 7));
        assert!(!quorum_met(&r, 10, 6), "6 of 10 is under two thirds");
        assert!(!quorum_met(&r, 0, 0));
        assert_eq!(check_quorum(&r, 9, 5).unwrap_err().code, "quorum_not_met");
        // Without quorum nothing passes, whatever the votes.
        assert!(!tally(&r, 9, 5, 0, agree(9)).passed);
    }

    #[test]
    fn more_than_half_and_ties() {
        let r = rules(50, ThresholdRule::MoreThan);
        // 10 members: 5 is a tie (exactly half), not more than half.
        assert!(!tally(&r, 10, 10, 0, Votes { agree: 5, disagree: 5, ..Default::default() }).passed);
        assert!(tally(&r, 10, 10, 0, agree(6)).passed);
        assert_eq!(tally(&r, 10, 10, 0, agree(6)).needed, 6);
        assert_eq!(tally(&r, 9, 9, 0, agree(5)).needed, 5);
    }

    #[test]
    fn at_least_ninety_percent_at_the_edge() {
        let r = rules(90, ThresholdRule::AtLeast);
        assert!(tally(&r, 10, 10, 0, agree(9)).passed, "9 of 10 is exactly 90 %");
        assert!(!tally(&r, 10, 10, 0, agree(8)).passed);
        // 11 members: 9.9 needed → 10.
        assert_eq!(tally(&r, 11, 11, 0, agree(9)).needed, 10);
        assert!(!tally(&r, 11, 11, 0, agree(9)).passed);
        // More than 90 %: exactly 90 % is not enough.
        assert!(!tally(&rules(90, ThresholdRule::MoreThan), 10, 10, 0, agree(9)).passed);
        // At least two thirds.
        let t = rules(67, ThresholdRule::AtLeast);
        assert_eq!(tally(&t, 9, 9, 0, agree(6)).needed, 7, "67 % of 9 rounds up");
    }

    #[test]
    fn abstentions_and_absentees_count_in_the_base() {
        let r = rules(50, ThresholdRule::MoreThan);
        // 9 members, 7 present: 4 agree, 3 abstain, 2 did not vote → base 9, need 5.
        let t = tally(&r, 9, 7, 0, Votes { agree: 4, abstain: 3, ..Default::default() });
        assert_eq!((t.base, t.needed, t.passed), (9, 5, false));
        // A written vote of an absent member counts as a vote.
        let t = tally(&r, 9, 7, 0, Votes { agree: 5, abstain: 3, written: 1, ..Default::default() });
        assert!(t.passed);
        assert_eq!(t.votes.cast(), 8);
    }

    #[test]
    fn recused_members_are_not_in_the_base() {
        let r = rules(90, ThresholdRule::AtLeast);
        // 10 members, one recused: base 9, 9 × 90 % = 8.1 → 9 needed.
        let t = tally(&r, 10, 10, 1, agree(9));
        assert_eq!((t.base, t.needed, t.passed), (9, 9, true));
        assert!(!tally(&r, 10, 10, 1, agree(8)).passed);
        // More than half of 9 after one of 10 is recused: 5.
        assert_eq!(tally(&rules(50, ThresholdRule::MoreThan), 10, 10, 1, agree(5)).needed, 5);
        // Everyone recused: nothing passes.
        assert!(!tally(&r, 3, 3, 3, Votes::default()).passed);
    }

    fn role(role: Role, path: &str) -> Assignment {
        Assignment { role, org_id: 0, org_path: OrgPath(path.into()) }
    }

    #[test]
    fn recusal() {
        let council = OrgPath("/1/2/".into());
        let nominee = OrgPath("/1/2/5/9/".into());
        // A role at the nominee's unit or at a unit above it below the council: recused.
        assert!(recused(&[role(Role::CapUy, "/1/2/5/9/")], &nominee, &council));
        assert!(recused(&[role(Role::CapUy, "/1/2/5/")], &nominee, &council));
        // Roles at the council's node or above, at siblings or below the nominee: not recused.
        assert!(!recused(&[role(Role::BanThuongVu, "/1/2/")], &nominee, &council));
        assert!(!recused(&[role(Role::NguoiXem, "/1/")], &nominee, &council));
        assert!(!recused(&[role(Role::CapUy, "/1/2/6/")], &nominee, &council));
        assert!(!recused(&[role(Role::CapUy, "/1/2/5/9/11/")], &nominee, &council));
        assert!(!recused(&[], &nominee, &council));
        // One recusing role among others is enough.
        assert!(recused(&[role(Role::BanThuongVu, "/1/2/"), role(Role::CapUy, "/1/2/5/")], &nominee, &council));
    }

    #[test]
    fn votes_refused() {
        assert_eq!(check_vote(true, false, true, false).unwrap_err().code, "recused");
        assert_eq!(check_vote(false, true, true, false).unwrap_err().code, "already_voted");
        assert_eq!(check_vote(false, false, true, true).unwrap_err().code, "present_member");
        assert_eq!(check_vote(false, false, false, false).unwrap_err().code, "absent_member");
        assert!(check_vote(false, false, true, false).is_ok());
        assert!(check_vote(false, false, false, true).is_ok());
        assert_eq!(ensure_open(SessionStatus::Closed).unwrap_err().code, "session_closed");
        assert!(ensure_open(SessionStatus::Open).is_ok());
    }

    fn facts() -> ExemplarFacts {
        ExemplarFacts { kind: ExemplarKind::CaNhan, level: Level::CoSo, status: Status::CongNhan, year_found: 2022, evaluated_years: vec![2023, 2024, 2025] }
    }

    #[test]
    fn eligibility_names_every_failed_rule() {
        let rules = Eligibility { kind: Some(ExemplarKind::TapThe), min_level: Level::Khoi, evaluation_years: 2, years_as_exemplar: 5, must_be_active: true };
        let f = ExemplarFacts { status: Status::Dung, evaluated_years: vec![2025], ..facts() };
        let failed: Vec<&str> = eligibility(&rules, 2026, &f).iter().map(|r| r.rule).collect();
        assert_eq!(failed, ["kind", "min_level", "evaluation_years", "years_as_exemplar", "active"]);
        let msg = &eligibility(&rules, 2026, &f)[2].message;
        assert!(msg.contains("2024") && !msg.contains("2025"), "{msg}");
        assert!(ineligible(&eligibility(&rules, 2026, &f)).0[0].message.contains("cấp Khối"));
    }

    #[test]
    fn eligibility_edges() {
        let rules = Eligibility { kind: Some(ExemplarKind::CaNhan), min_level: Level::CoSo, evaluation_years: 3, years_as_exemplar: 4, must_be_active: true };
        assert!(eligibility(&rules, 2026, &facts()).is_empty(), "evaluated 2023-2025, found 4 years before");
        assert_eq!(eligibility(&rules, 2027, &facts())[0].rule, "evaluation_years");
        assert_eq!(eligibility(&Eligibility { years_as_exemplar: 5, ..rules }, 2026, &facts())[0].rule, "years_as_exemplar");
        let higher = ExemplarFacts { level: Level::Tinh, ..facts() };
        assert!(eligibility(&Eligibility { min_level: Level::Khoi, ..rules }, 2026, &higher).is_empty());
        let none = Eligibility { kind: None, evaluation_years: 0, years_as_exemplar: 0, must_be_active: false, min_level: Level::CoSo };
        assert!(eligibility(&none, 2026, &ExemplarFacts { status: Status::Dung, evaluated_years: vec![], ..facts() }).is_empty());
    }

    #[test]
    fn lifecycle() {
        use NominationStatus as S;
        use NominationStep as T;
        let w = Authority::WithinBloc;
        let up = Authority::Upward;
        assert_eq!(next_status(T::Submit, S::Draft, w), Ok(S::Submitted));
        assert_eq!(next_status(T::Return, S::Submitted, w), Ok(S::Returned));
        assert_eq!(next_status(T::Resubmit, S::Returned, w), Ok(S::Resubmitted));
        assert_eq!(next_status(T::Return, S::Resubmitted, w), Ok(S::Returned));
        assert_eq!(next_status(T::Accept, S::Resubmitted, w), Ok(S::Accepted));
        assert_eq!(next_status(T::Withdraw, S::Returned, w), Ok(S::Withdrawn));
        assert_eq!(next_status(T::Withdraw, S::Accepted, w).unwrap_err().code, "illegal");
        assert_eq!(next_status(T::Decide, S::Accepted, w).unwrap_err().code, "not_voted");
        assert_eq!(next_status(T::Decide, S::NotPassed, w).unwrap_err().code, "not_passed");
        assert_eq!(next_status(T::Decide, S::Voted, w), Ok(S::Decided));
        assert_eq!(next_status(T::Decide, S::Voted, up).unwrap_err().code, "wrong_authority");
        assert_eq!(next_status(T::Propose, S::Voted, up), Ok(S::Proposed));
        assert_eq!(next_status(T::Approve, S::Proposed, up), Ok(S::Approved));
        assert_eq!(next_status(T::NotApprove, S::Proposed, up), Ok(S::NotApproved));
        assert_eq!(next_status(T::Approve, S::Decided, w).unwrap_err().code, "illegal");
        assert_eq!(after_vote(true), S::Voted);
        assert_eq!(after_vote(false), S::NotPassed);
    }

    #[test]
    fn who_takes_each_step() {
        use NominationStatus as S;
        use NominationStep as T;
        let bloc = OrgPath("/1/2/".into());
        let unit = OrgPath("/1/2/5/".into());
        let tccs = [role(Role::CanBoTccs, "/1/2/5/")];
        let btg = [role(Role::BanTuyenGiao, "/1/2/")];
        let btv = [role(Role::BanThuongVu, "/1/2/")];
        let a = Authority::WithinBloc;
        assert!(check_step(T::Submit, S::Draft, a, &tccs, &unit, &bloc).is_ok());
        assert_eq!(check_step(T::Submit, S::Draft, a, &btg, &unit, &bloc).unwrap_err().code, "forbidden");
        assert!(check_step(T::Accept, S::Submitted, a, &btg, &unit, &bloc).is_ok());
        assert_eq!(check_step(T::Accept, S::Submitted, a, &tccs, &unit, &bloc).unwrap_err().code, "forbidden");
        assert!(check_step(T::Decide, S::Voted, a, &btv, &unit, &bloc).is_ok());
        assert_eq!(check_step(T::Decide, S::Voted, a, &btg, &unit, &bloc).unwrap_err().code, "forbidden");
    }

    #[test]
    fn deadline_is_inclusive() {
        assert!(check_deadline("2026-10-31", "2026-10-31").is_ok());
        assert_eq!(check_deadline("2026-10-31", "2026-11-01").unwrap_err().code, "after_deadline");
    }

    #[test]
    fn document_numbers() {
        // The number itself is judged by the register (`document::parse_number`).
        let today = time::macros::date!(2026 - 12 - 02);
        let o = OutcomeInput { number: " 15-QĐ/ĐUK ".into(), date: "2026-12-01".into(), signer: "Nguyễn Văn An".into(), note: String::new() };
        assert_eq!(o.validate(today, true).unwrap().year, 2026);
        let issued = OutcomeInput { number: String::new(), date: "2026-12-01".into(), signer: "Nguyễn Văn An".into(), note: String::new() };
        assert_eq!(issued.validate(today, true).unwrap().number, "", "an empty number is issued by the register");
        let bad = OutcomeInput { number: "1".repeat(41), date: "2027-01-01".into(), ..Default::default() };
        let fields: Vec<&str> = bad.validate(today, true).unwrap_err().0.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["number", "date", "signer"]);
    }

    #[test]
    fn round_input() {
        let mut r = RoundInput {
            org_id: 2,
            year: 2026,
            form_id: 1,
            deadline: "2026-10-31".into(),
            eligibility: None,
            required_items: vec!["bao_cao_thanh_tich".into()],
            rules: VoteRules::default(),
            council: vec![CouncilMemberInput { user_id: 5, role: "chu_tich".into() }, CouncilMemberInput { user_id: 6, role: "thu_ky".into() }],
        };
        assert!(r.validate(2026).is_ok());
        r.council.push(CouncilMemberInput { user_id: 6, role: "uy_vien".into() });
        r.rules.threshold_percent = 0;
        r.rules.basis = " ".into();
        r.deadline = "31/13/2026".into();
        let fields: Vec<&str> = r.validate(2026).unwrap_err().0.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["deadline", "threshold_percent", "basis", "council"]);
    }

    #[test]
    fn screening_comments() {
        assert_eq!(validate_comments(&[(DossierItem::Report, "  ".into())], true).unwrap_err().0[0].code, "required");
        let kept = validate_comments(&[(DossierItem::Report, " Bổ sung số liệu ".into()), (DossierItem::Evidence, String::new())], true).unwrap();
        assert_eq!(kept, vec![(DossierItem::Report, "Bổ sung số liệu".to_string())]);
        assert!(validate_comments(&[], false).unwrap().is_empty());
        assert!(missing_items(&[DossierItem::Report, DossierItem::Confirmation], |i| i == DossierItem::Report).unwrap().0[0].message.contains("cấp ủy"));
    }
}
