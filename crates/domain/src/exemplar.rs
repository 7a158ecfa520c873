//! An exemplar's life (DOMAIN.md, plan 48-KH/ĐUK sections II and IV.1):
//!
//! ```text
//! phát hiện ──► bồi dưỡng ──► công nhận ──► nhân rộng        (status)
//!     └──────────┴──────────────┴─────────────┴──► dừng (with reason)
//! cơ sở ──► Khối ──► tỉnh ──► toàn quốc                      (level, raised
//!                                                             once recognised)
//! ```
//! Every step names who may take it; the check below is the only place that
//! decides whether a step is legal.
//!
//! A level above cơ sở was granted by a body above the unit (plan II.2, IV.2:
//! the Ban Thường vụ Đảng ủy Khối approves and commends at bloc level and
//! proposes the province's and the nation's forms upward), and "a level
//! granted by a higher body is withdrawn only by that body" (DOMAIN.md): so
//! dropping an exemplar above cơ sở needs the bloc's approval right
//! ([`Action::ApproveBloc`]), not the TCCS cấp ủy's. The bloc is the highest
//! body that acts in this application; a province or national title is
//! recorded by it (it proposed the title and carries the decision), so it is
//! also the one that records its withdrawal.
//!
//! Reopening a dropped exemplar makes it a newly found factor again (phát
//! hiện) at level cơ sở: a level is a recognition of what the exemplar had
//! achieved until it was dropped, and every level is reached only by
//! recognition then raising (plan II.1–II.3: phát hiện → bồi dưỡng → công
//! nhận → nhân rộng, "từ thấp đến cao"). A factor found again is fostered and
//! recognised again, and raised again by the body that grants the level; its
//! former levels stay in its history. Reopening is the TCCS cấp ủy's, as is
//! finding a new factor.

use crate::access::{allowed, Action, Assignment};
use crate::org::OrgPath;


crate::coded_enum!(
    pub enum ExemplarKind {
    CaNhan = "ca_nhan": "Cá nhân",
    TapThe = "tap_the": "Tập thể",
});

crate::coded_enum!(
    pub enum Status {
    PhatHien = "phat_hien": "Nhân tố mới được phát hiện",
    BoiDuong = "boi_duong": "Đang bồi dưỡng",
    CongNhan = "cong_nhan": "Đã được đơn vị công nhận",
    NhanRong = "nhan_rong": "Đang nhân rộng",
    Dung = "dung": "Đã dừng",
});

crate::coded_enum!(
    pub enum Level {
    CoSo = "co_so": "Cơ sở",
    Khoi = "khoi": "Khối",
    Tinh = "tinh": "Tỉnh",
    ToanQuoc = "toan_quoc": "Toàn quốc",
});

crate::coded_enum!(
    pub enum Step {
    Foster = "boi_duong": "Đưa vào bồi dưỡng",
    Recognise = "cong_nhan": "Công nhận, tuyên dương",
    Replicate = "nhan_rong": "Nhân rộng",
    Raise = "nang_cap": "Nâng lên cấp cao hơn",
    Drop = "dung": "Dừng theo dõi",
    Reopen = "mo_lai": "Theo dõi lại",
    /// Recorded only from a commendation round's outcome (commendation.rs),
    /// never taken by hand: the history step of an approved commendation.
    Commend = "khen_thuong": "Được khen thưởng",
});

impl Level {
    pub fn next(self) -> Option<Level> {
        match self {
            Level::CoSo => Some(Level::Khoi),
            Level::Khoi => Some(Level::Tinh),
            Level::Tinh => Some(Level::ToanQuoc),
            Level::ToanQuoc => None,
        }
    }
}

impl Step {
    /// The permission the step needs at the exemplar's node when the
    /// exemplar stands at `level`: dropping an exemplar above cơ sở
    /// withdraws a level the bloc granted, so it is the bloc's (see the
    /// module comment).
    pub fn needs(self, level: Level) -> Action {
        match self {
            Step::Foster => Action::EnterData,
            Step::Drop if level != Level::CoSo => Action::ApproveBloc,
            Step::Recognise | Step::Replicate | Step::Drop | Step::Reopen => Action::ApproveUnit,
            Step::Raise | Step::Commend => Action::ApproveBloc,
        }
    }

    /// The permissions one of which the step needs at some level: what can
    /// be asked before the exemplar's level is known (the router's gate).
    pub fn needs_any(self) -> Vec<Action> {
        let mut v: Vec<Action> = Level::ALL.iter().map(|&l| self.needs(l)).collect();
        v.dedup();
        v
    }

    /// Who may take it, in words, for refusals.
    fn who(action: Action) -> &'static str {
        match action {
            Action::EnterData => "cán bộ TCCS hoặc cấp ủy của đơn vị",
            Action::ApproveUnit => "cấp ủy của TCCS đảng nơi có điển hình",
            _ => "Ban Thường vụ Đảng ủy Khối",
        }
    }

    /// Why someone without any of [`Step::needs_any`] may not take it.
    pub fn who_may(self) -> String {
        let who: Vec<&str> = self.needs_any().into_iter().map(Step::who).collect();
        format!("Bước «{}» chỉ do {} thực hiện.", self.label(), who.join(" hoặc "))
    }

    /// Why someone without [`Step::needs`] at `level` may not take it.
    pub fn who_may_at(self, level: Level) -> String {
        if self.needs_any().len() > 1 {
            format!("Bước «{}» với điển hình cấp {} chỉ do {} thực hiện.", self.label(), level.label(), Step::who(self.needs(level)))
        } else {
            self.who_may()
        }
    }
}

/// Where an exemplar stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stage {
    pub status: Status,
    pub level: Level,
}

/// Why a step is refused, in Vietnamese, for the person who tried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub code: &'static str,
    pub message: String,
}

fn refuse(code: &'static str, message: impl Into<String>) -> Refusal {
    Refusal { code, message: message.into() }
}

/// The stage after `step`, if the state machine allows it from `from`
/// (regardless of who asks).
pub fn next_stage(step: Step, from: Stage) -> Result<Stage, Refusal> {
    use Status::*;
    let to = |status| Ok(Stage { status, level: from.level });
    match (step, from.status) {
        (Step::Foster, PhatHien) => to(BoiDuong),
        (Step::Recognise, BoiDuong) => to(CongNhan),
        (Step::Replicate, CongNhan) => to(NhanRong),
        (Step::Raise, CongNhan | NhanRong) => match from.level.next() {
            Some(level) => Ok(Stage { status: from.status, level }),
            None => Err(refuse("top_level", "Điển hình đã ở cấp toàn quốc, không thể nâng thêm.")),
        },
        (Step::Drop, PhatHien | BoiDuong | CongNhan | NhanRong) => to(Dung),
        (Step::Reopen, Dung) => Ok(Stage { status: PhatHien, level: Level::CoSo }),
        (Step::Foster, _) => Err(refuse("illegal", "Chỉ nhân tố mới được phát hiện mới có thể đưa vào bồi dưỡng.")),
        (Step::Recognise, _) => Err(refuse("illegal", "Chỉ điển hình đang được bồi dưỡng mới có thể được công nhận.")),
        (Step::Replicate, _) => Err(refuse("illegal", "Chỉ điển hình đã được đơn vị công nhận mới có thể nhân rộng.")),
        (Step::Raise, _) => Err(refuse("illegal", "Chỉ điển hình đã được công nhận hoặc đang nhân rộng mới có thể nâng cấp.")),
        (Step::Drop, Dung) => Err(refuse("illegal", "Điển hình này đã dừng theo dõi.")),
        (Step::Reopen, _) => Err(refuse("illegal", "Chỉ điển hình đã dừng mới có thể theo dõi lại.")),
        (Step::Commend, _) => Err(refuse("illegal", "Khen thưởng được ghi từ kết quả của đợt xét khen thưởng, không nhập trực tiếp.")),
    }
}

/// Whether `who` may take `step` on an exemplar at node `at` in stage
/// `from`, with `reason`; returns the new stage.
pub fn check(step: Step, from: Stage, who: &[Assignment], at: &OrgPath, reason: &str) -> Result<Stage, Refusal> {
    let to = next_stage(step, from)?;
    if !allowed(who, step.needs(from.level), at) {
        return Err(refuse("forbidden", step.who_may_at(from.level)));
    }
    if reason.trim().is_empty() {
        return Err(refuse("reason_required", "Vui lòng ghi rõ lý do, căn cứ của bước này."));
    }
    Ok(to)
}

impl Step {
    /// Whether the step records a decision of a body (a recognition, a level
    /// granted), which has a number and a date (DOMAIN.md "Decisions behind
    /// steps"): required then; optional for the other steps.
    pub fn records_decision(self) -> bool {
        matches!(self, Step::Recognise | Step::Raise | Step::Commend)
    }
}

// The decision a step records, as typed (API body or form).
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
pub struct DecisionInput {
    // Number and symbol, e.g. `22-NQ/ĐU`.
    #[serde(default)]
    pub decision_no: String,
    // Date of the decision, `YYYY-MM-DD` (or `dd/mm/yyyy` from a form).
    #[serde(default)]
    pub decided_on: String,
}

/// A decision ready to store: both or neither.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ValidDecision {
    pub decision_no: Option<String>,
    /// ISO date.
    pub decided_on: Option<String>,
}

impl DecisionInput {
    /// Checks the decision behind `step` taken on `today`: a number and a
    /// date, both required when the step records a decision of a body, both
    /// or neither otherwise; the date not after today.
    pub fn validate(&self, step: Step, today: time::Date) -> Result<ValidDecision, crate::Invalid> {
        use dienhinh_text as text;
        let mut inv = crate::Invalid::new();
        let number = text::normalize_line(&self.decision_no);
        let date_typed = !self.decided_on.trim().is_empty();
        let date = crate::clock::parse_date(self.decided_on.trim());
        let needed = step.records_decision() || !number.is_empty() || date_typed;
        if needed {
            inv.required("decision_no", "số, ký hiệu của văn bản quyết định", &number, 100);
            match date {
                None if !date_typed => inv.add("decided_on", "required", "Vui lòng nhập ngày ban hành văn bản quyết định."),
                None => inv.add("decided_on", "invalid", "Ngày ban hành văn bản quyết định không hợp lệ."),
                Some(d) if d > today => inv.add("decided_on", "in_future", "Ngày ban hành văn bản quyết định không được sau ngày hôm nay."),
                Some(_) => {}
            }
        }
        inv.into_result()?;
        Ok(if needed { ValidDecision { decision_no: Some(number), decided_on: date.map(crate::clock::iso) } } else { ValidDecision::default() })
    }
}

/// How a step's decision reads after "Văn bản", e.g. `số 22-NQ/ĐU ngày 28/11/2026`.
pub fn decision_text(decision_no: Option<&str>, decided_on: Option<&str>) -> String {
    let date = decided_on.and_then(crate::clock::parse_date).map(|d| format!("{}/{}/{}", d.day(), u8::from(d.month()), d.year()));
    match (decision_no, date) {
        (Some(n), Some(d)) => format!("số {n} ngày {d}"),
        (Some(n), None) => format!("số {n}"),
        (None, Some(d)) => format!("ngày {d}"),
        (None, None) => String::new(),
    }
}

/// What a step that moves an exemplar from `from` to `to` does, in words,
/// for the confirmation asked before it is taken (a step is not undone):
/// its new status and, when it changes, its level.
pub fn consequence(from: Stage, to: Stage) -> String {
    let mut parts = vec![];
    if to.status != from.status {
        parts.push(format!("chuyển từ «{}» sang «{}»", from.status.label(), to.status.label()));
    }
    if to.level > from.level {
        parts.push(format!("được nâng từ cấp {} lên cấp {}", from.level.label(), to.level.label()));
    } else if to.level != from.level {
        parts.push(format!("trở về cấp {} (cấp {} đã công nhận không còn)", to.level.label(), from.level.label()));
    }
    if parts.is_empty() {
        "giữ nguyên trạng thái và cấp".into()
    } else {
        parts.join(", ")
    }
}

/// Steps that make sense from a stage (for offering buttons).
pub fn possible_steps(from: Stage) -> Vec<Step> {
    Step::ALL.iter().copied().filter(|s| next_stage(*s, from).is_ok()).collect()
}

/// The orders the list is offered in (with every other list's, in `order`).
pub use crate::order::ExemplarOrder as ListOrder;

/// Earliest year an exemplar may have been found.
pub const MIN_YEAR: i64 = 1945;

// An exemplar as typed (API body or form). Plain comments on API types:
// doc comments would change the OpenAPI document.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
pub struct ExemplarInput {
    pub org_id: i64,
    // `ca_nhan` (individual) or `tap_the` (collective).
    pub kind: String,
    pub name: String,
    #[serde(default)]
    pub position: String,
    #[serde(default)]
    pub unit_name: String,
    #[serde(default)]
    pub member_count: Option<i64>,
    #[serde(default)]
    pub achievements: String,
    #[serde(default)]
    pub model: String,
    pub year_found: i64,
    #[serde(default)]
    pub consent_publish: bool,
    #[serde(default)]
    pub field_ids: Vec<i64>,
    #[serde(default)]
    pub movement_ids: Vec<i64>,
}

/// An exemplar ready to store: normalised text, typed kind, links sorted
/// and unique.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidExemplar {
    pub org_id: i64,
    pub kind: ExemplarKind,
    pub name: String,
    pub position: String,
    pub unit_name: String,
    pub member_count: Option<i64>,
    pub achievements: String,
    pub model: String,
    pub year_found: i64,
    pub consent_publish: bool,
    pub field_ids: Vec<i64>,
    pub movement_ids: Vec<i64>,
}

impl ExemplarInput {
    pub fn validate(&self, this_year: i64) -> Result<ValidExemplar, crate::Invalid> {
        use dienhinh_text as text;
        let mut inv = crate::Invalid::new();
        let kind = ExemplarKind::from_code(&self.kind);
        if kind.is_none() {
            inv.add("kind", "invalid", "Vui lòng chọn điển hình là cá nhân hay tập thể.");
        }
        let name = text::normalize_line(&self.name);
        let label = if kind == Some(ExemplarKind::TapThe) { "tên tập thể" } else { "họ và tên" };
        inv.required("name", label, &name, 300);
        let position = text::normalize_line(&self.position);
        inv.max_len("position", "Chức vụ", &position, 300);
        let unit_name = text::normalize_line(&self.unit_name);
        inv.max_len("unit_name", "Đơn vị", &unit_name, 300);
        let achievements = text::normalize(&self.achievements);
        inv.max_len("achievements", "Thành tích", &achievements, 20_000);
        let model = text::normalize(&self.model);
        inv.max_len("model", "Mô hình, cách làm hay", &model, 20_000);
        if !(MIN_YEAR..=this_year + 1).contains(&self.year_found) {
            inv.add("year_found", "out_of_range", format!("Năm phát hiện phải từ {MIN_YEAR} đến {}.", this_year + 1));
        }
        if self.member_count.is_some_and(|n| !(1..=1_000_000).contains(&n)) {
            inv.add("member_count", "out_of_range", "Số thành viên của tập thể phải từ 1 đến 1.000.000.");
        }
        let unique = |ids: &[i64]| {
            let mut v = ids.to_vec();
            v.sort_unstable();
            v.dedup();
            v
        };
        let (field_ids, movement_ids) = (unique(&self.field_ids), unique(&self.movement_ids));
        if field_ids.len() > 20 || movement_ids.len() > 20 {
            inv.add("field_ids", "too_many", "Chọn tối đa 20 lĩnh vực và 20 phong trào.");
        }
        inv.into_result()?;
        Ok(ValidExemplar {
            org_id: self.org_id,
            kind: kind.expect("checked"),
            name,
            position,
            unit_name,
            member_count: self.member_count,
            achievements,
            model,
            year_found: self.year_found,
            consent_publish: self.consent_publish,
            field_ids,
            movement_ids,
        })
    }
}

/// May the exemplar be shown on the public portal: only with the person's
/// (or collective's) consent, and only once recognised.
pub fn publishable(status: Status, consent: bool) -> bool {
    consent && status.is_recognised()
}

impl Status {
    /// Recognised (or since replicated): a model of the programme, shown
    /// publicly with consent and evaluated every year (plan II.4).
    pub fn is_recognised(self) -> bool {
        matches!(self, Status::CongNhan | Status::NhanRong)
    }
}

#[cfg(test)]
mod consequence_tests {
    use super::*;

    #[test]
    fn a_step_says_what_it_will_do() {
        let recognised = Stage { status: Status::CongNhan, level: Level::CoSo };
        let raised = next_stage(Step::Raise, recognised).unwrap();
        assert_eq!(consequence(recognised, raised), "được nâng từ cấp Cơ sở lên cấp Khối");
        let dropped = next_stage(Step::Drop, raised).unwrap();
        assert_eq!(consequence(raised, dropped), "chuyển từ «Đã được đơn vị công nhận» sang «Đã dừng»");
        let reopened = next_stage(Step::Reopen, dropped).unwrap();
        assert_eq!(consequence(dropped, reopened), "chuyển từ «Đã dừng» sang «Nhân tố mới được phát hiện», trở về cấp Cơ sở (cấp Khối đã công nhận không còn)");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::Role;

    fn held(role: Role, path: &str) -> Vec<Assignment> {
        vec![Assignment { role, org_id: 0, org_path: OrgPath(path.into()) }]
    }

    /// The legal moves, written out independently of `next_stage`.
    fn legal(step: Step, s: Status, l: Level) -> Option<(Status, Level)> {
        use Status::*;
        match (step, s) {
            (Step::Foster, PhatHien) => Some((BoiDuong, l)),
            (Step::Recognise, BoiDuong) => Some((CongNhan, l)),
            (Step::Replicate, CongNhan) => Some((NhanRong, l)),
            (Step::Raise, CongNhan | NhanRong) if l != Level::ToanQuoc => Some((s, l.next().unwrap())),
            (Step::Drop, x) if x != Dung => Some((Dung, l)),
            (Step::Reopen, Dung) => Some((PhatHien, Level::CoSo)),
            _ => None,
        }
    }

    /// Roles allowed to take each step, from an exemplar at `level`, when
    /// held at the exemplar's TCCS or above: a level above cơ sở is
    /// withdrawn only by the bloc that granted it.
    fn role_may(step: Step, role: Role, level: Level) -> bool {
        use Role::*;
        match step {
            Step::Foster => matches!(role, CapUy | CanBoTccs),
            Step::Drop if level != Level::CoSo => role == BanThuongVu,
            Step::Recognise | Step::Replicate | Step::Drop | Step::Reopen => role == CapUy,
            // Recorded from a commendation round's outcome, never legal by hand.
            Step::Raise | Step::Commend => role == BanThuongVu,
        }
    }

    #[test]
    fn tables() {
        crate::code::assert_table::<ExemplarKind>();
        crate::code::assert_table::<Status>();
        crate::code::assert_table::<Level>();
        crate::code::assert_table::<Step>();
    }

    #[test]
    fn public_only_with_consent_once_recognised() {
        for &s in Status::ALL {
            assert_eq!(publishable(s, true), matches!(s, Status::CongNhan | Status::NhanRong), "{s:?}");
            assert!(!publishable(s, false));
        }
    }

    #[test]
    fn exemplar_input() {
        let ok = ExemplarInput { kind: "tap_the".into(), name: " Chi bộ  Kỹ thuật ".into(), year_found: 2024, field_ids: vec![3, 1, 3], ..Default::default() };
        let v = ok.validate(2026).unwrap();
        assert_eq!((v.kind, v.name.as_str(), v.field_ids.as_slice()), (ExemplarKind::TapThe, "Chi bộ Kỹ thuật", &[1, 3][..]));
        let bad = ExemplarInput { kind: "x".into(), name: "".into(), year_found: 2028, member_count: Some(0), ..ok };
        let fields: Vec<_> = bad.validate(2026).unwrap_err().0.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["kind", "name", "year_found", "member_count"]);
    }

    #[test]
    fn every_step_every_stage_every_role_every_place() {
        let exemplar_at = OrgPath("/1/2/7/".into()); // a TCCS under the bloc /1/2/
        let places = [("/1/2/7/", true), ("/1/2/", true), ("/1/2/7/9/", false), ("/1/2/8/", false)];
        let mut cases = 0;
        for &step in Step::ALL {
            for &status in Status::ALL {
                for &level in Level::ALL {
                    for &role in Role::ALL {
                        for (place, covers) in places {
                            let from = Stage { status, level };
                            let got = check(step, from, &held(role, place), &exemplar_at, "lý do");
                            let want = legal(step, status, level).filter(|_| covers && role_may(step, role, level));
                            match (got, want) {
                                (Ok(to), Some((s, l))) => assert_eq!((to.status, to.level), (s, l)),
                                (Err(r), None) => assert!(!r.message.is_empty()),
                                (got, want) => panic!("{step:?} {status:?} {level:?} {role:?} at {place}: got {got:?}, want {want:?}"),
                            }
                            cases += 1;
                        }
                    }
                }
            }
        }
        assert_eq!(cases, Step::ALL.len() * 5 * 4 * 6 * 4);
    }

    #[test]
    fn refusals_say_why() {
        let at = OrgPath("/1/2/7/".into());
        let fresh = Stage { status: Status::PhatHien, level: Level::CoSo };
        let r = check(Step::Recognise, fresh, &held(Role::CapUy, "/1/2/7/"), &at, "x").unwrap_err();
        assert_eq!(r.code, "illegal");
        let fostered = Stage { status: Status::BoiDuong, level: Level::CoSo };
        let r = check(Step::Recognise, fostered, &held(Role::CanBoTccs, "/1/2/7/"), &at, "x").unwrap_err();
        assert_eq!(r.code, "forbidden");
        assert!(r.message.contains("cấp ủy"));
        let r = check(Step::Recognise, fostered, &held(Role::CapUy, "/1/2/7/"), &at, "  ").unwrap_err();
        assert_eq!(r.code, "reason_required");
        let top = Stage { status: Status::NhanRong, level: Level::ToanQuoc };
        assert_eq!(next_stage(Step::Raise, top).unwrap_err().code, "top_level");
        // A province-level exemplar: the TCCS cấp ủy may not drop it, the bloc may.
        let province = Stage { status: Status::NhanRong, level: Level::Tinh };
        let r = check(Step::Drop, province, &held(Role::CapUy, "/1/2/7/"), &at, "x").unwrap_err();
        assert_eq!(r.code, "forbidden");
        assert!(r.message.contains("cấp Tỉnh") && r.message.contains("Ban Thường vụ"), "{}", r.message);
        let dropped = check(Step::Drop, province, &held(Role::BanThuongVu, "/1/2/"), &at, "x").unwrap();
        assert_eq!(dropped, Stage { status: Status::Dung, level: Level::Tinh });
        // Reopened, it is a new factor at cơ sở again.
        let again = check(Step::Reopen, dropped, &held(Role::CapUy, "/1/2/7/"), &at, "x").unwrap();
        assert_eq!(again, Stage { status: Status::PhatHien, level: Level::CoSo });
        assert_eq!(Step::Drop.needs_any(), vec![Action::ApproveUnit, Action::ApproveBloc]);
    }

    #[test]
    fn recognitions_and_levels_record_their_decision() {
        let today = crate::clock::parse_date("2026-11-29").unwrap();
        let d = |no: &str, on: &str| DecisionInput { decision_no: no.into(), decided_on: on.into() };
        let v = d(" 22-NQ/ĐU ", "28/11/2026").validate(Step::Recognise, today).unwrap();
        assert_eq!(v, ValidDecision { decision_no: Some("22-NQ/ĐU".into()), decided_on: Some("2026-11-28".into()) });
        assert_eq!(decision_text(v.decision_no.as_deref(), v.decided_on.as_deref()), "số 22-NQ/ĐU ngày 28/11/2026");
        for step in [Step::Recognise, Step::Raise] {
            let e = d("", "").validate(step, today).unwrap_err();
            assert_eq!(e.0.iter().map(|e| (e.field, e.code)).collect::<Vec<_>>(), [("decision_no", "required"), ("decided_on", "required")]);
        }
        for step in [Step::Foster, Step::Replicate, Step::Drop, Step::Reopen] {
            assert_eq!(d("", "").validate(step, today).unwrap(), ValidDecision::default(), "{step:?}");
            // Given, it is checked like any other.
            assert_eq!(d("5-QĐ/ĐU", "").validate(step, today).unwrap_err().0[0].field, "decided_on");
        }
        assert_eq!(d("1-NQ", "30/11/2026").validate(Step::Raise, today).unwrap_err().0[0].code, "in_future");
        assert_eq!(d("1-NQ", "31/2/2026").validate(Step::Raise, today).unwrap_err().0[0].code, "invalid");
        assert!(Step::ALL.iter().all(|s| s.records_decision() == matches!(s, Step::Recognise | Step::Raise | Step::Commend)));
    }

    #[test]
    fn offered_steps_are_the_legal_ones() {
        let s = Stage { status: Status::CongNhan, level: Level::CoSo };
        assert_eq!(possible_steps(s), vec![Step::Replicate, Step::Raise, Step::Drop]);
        for &c in Status::ALL {
            assert_eq!(Status::from_code(c.code()), Some(c));
        }
    }
}
