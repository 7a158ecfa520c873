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
    /// The permission the step needs at the exemplar's node.
    pub fn needs(self) -> Action {
        match self {
            Step::Foster => Action::EnterData,
            Step::Recognise | Step::Replicate | Step::Drop | Step::Reopen => Action::ApproveUnit,
            Step::Raise => Action::ApproveBloc,
        }
    }

    /// Who may take it, in words, for refusals.
    fn who(self) -> &'static str {
        match self.needs() {
            Action::EnterData => "cán bộ TCCS hoặc cấp ủy của đơn vị",
            Action::ApproveUnit => "cấp ủy của TCCS đảng nơi có điển hình",
            _ => "Ban Thường vụ Đảng ủy Khối",
        }
    }

    /// Why someone without [`Step::needs`] may not take it.
    pub fn who_may(self) -> String {
        format!("Bước «{}» chỉ do {} thực hiện.", self.label(), self.who())
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
        (Step::Reopen, Dung) => to(PhatHien),
        (Step::Foster, _) => Err(refuse("illegal", "Chỉ nhân tố mới được phát hiện mới có thể đưa vào bồi dưỡng.")),
        (Step::Recognise, _) => Err(refuse("illegal", "Chỉ điển hình đang được bồi dưỡng mới có thể được công nhận.")),
        (Step::Replicate, _) => Err(refuse("illegal", "Chỉ điển hình đã được đơn vị công nhận mới có thể nhân rộng.")),
        (Step::Raise, _) => Err(refuse("illegal", "Chỉ điển hình đã được công nhận hoặc đang nhân rộng mới có thể nâng cấp.")),
        (Step::Drop, Dung) => Err(refuse("illegal", "Điển hình này đã dừng theo dõi.")),
        (Step::Reopen, _) => Err(refuse("illegal", "Chỉ điển hình đã dừng mới có thể theo dõi lại.")),
    }
}

/// Whether `who` may take `step` on an exemplar at node `at` in stage
/// `from`, with `reason`; returns the new stage.
pub fn check(step: Step, from: Stage, who: &[Assignment], at: &OrgPath, reason: &str) -> Result<Stage, Refusal> {
    let to = next_stage(step, from)?;
    if !allowed(who, step.needs(), at) {
        return Err(refuse("forbidden", step.who_may()));
    }
    if reason.trim().is_empty() {
        return Err(refuse("reason_required", "Vui lòng ghi rõ lý do, căn cứ của bước này."));
    }
    Ok(to)
}

/// Steps that make sense from a stage (for offering buttons).
pub fn possible_steps(from: Stage) -> Vec<Step> {
    Step::ALL.iter().copied().filter(|s| next_stage(*s, from).is_ok()).collect()
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
            (Step::Reopen, Dung) => Some((PhatHien, l)),
            _ => None,
        }
    }

    /// Roles allowed to take each step when held at the exemplar's TCCS or above.
    fn role_may(step: Step, role: Role) -> bool {
        use Role::*;
        match step {
            Step::Foster => matches!(role, CapUy | CanBoTccs),
            Step::Recognise | Step::Replicate | Step::Drop | Step::Reopen => role == CapUy,
            Step::Raise => role == BanThuongVu,
        }
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
                            let want = legal(step, status, level).filter(|_| covers && role_may(step, role));
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
        assert_eq!(cases, 6 * 5 * 4 * 6 * 4);
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
