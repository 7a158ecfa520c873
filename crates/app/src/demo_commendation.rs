//! Demo commendation rounds: two finished 2025 rounds (one decided by the
//! bloc, one proposed upward and approved), with a returned-and-fixed
//! dossier, a recusal and a written vote, and an open 2026 round.

use dienhinh_domain::commendation::{BallotKind, CouncilMemberInput, DossierInput, DossierItem, Eligibility, NominationStep, OutcomeInput, RoundInput, ThresholdRule, VoteRules, Choice};
use dienhinh_domain::exemplar::{DecisionInput, Level};
use dienhinh_store::commendation::{self as c, Nomination};
use dienhinh_store::users::{self, User};
use dienhinh_domain::{Assignment, Role};
use dienhinh_store::{Actor, Db, StoreResult};
use std::collections::HashMap;

struct Cast {
    chair: User,
    secretary: User,
    lan: User,
    vinh: User,
    trang: User,
    canbo: User,
    canbo_tc: User,
}

async fn form_id(db: &Db, code: &str) -> StoreResult<i64> {
    Ok(c::forms(db).await?.into_iter().find(|f| f.code == code).expect("a default form").id)
}

fn council(p: &Cast) -> Vec<CouncilMemberInput> {
    [(&p.chair, "chu_tich"), (&p.secretary, "thu_ky"), (&p.lan, "uy_vien"), (&p.vinh, "uy_vien"), (&p.trang, "uy_vien")]
        .iter()
        .map(|(u, role)| CouncilMemberInput { user_id: u.id, role: role.to_string() })
        .collect()
}

async fn exemplar(db: &Db, name: &str) -> StoreResult<i64> {
    let f = dienhinh_store::exemplars::ExemplarFilter { within: vec![dienhinh_domain::OrgPath::whole_tree()], q: Some(name.into()), limit: Some(5), ..Default::default() };
    Ok(dienhinh_store::exemplars::list(db, &f).await?.items.into_iter().find(|e| e.name == name).expect("a demo exemplar").id)
}

/// Nominates, fills and sends a dossier as of `day`.
async fn nominate(db: &Db, by: &User, round: i64, name: &str, confirmation: &str, day: &str) -> StoreResult<Nomination> {
    let n = c::nominate(db, &by.actor(), round, exemplar(db, name).await?, day).await?;
    let report = format!("{}\nĐơn vị đề nghị xét khen thưởng theo hồ sơ kèm theo.", n.report);
    let n = c::save_dossier(db, &by.actor(), n.id, &DossierInput { report, confirmation: confirmation.into(), version: n.version }).await?;
    c::take_step(db, &by.actor(), &by.assignments(), n.id, n.version, NominationStep::Submit, &[], day).await
}

async fn step(db: &Db, by: &User, n: &Nomination, step: NominationStep, comments: &[(DossierItem, String)], day: &str) -> StoreResult<Nomination> {
    c::take_step(db, &by.actor(), &by.assignments(), n.id, n.version, step, comments, day).await
}

pub async fn load(db: &Db, ids: &HashMap<&'static str, i64>) -> anyhow::Result<()> {
    let user = |name: &'static str| async move { users::by_username(db, name).await };
    let p = Cast {
        chair: user("btv").await?,
        secretary: user("btg").await?,
        lan: user("hd.lan").await?,
        vinh: user("hd.vinh").await?,
        trang: user("hd.trang").await?,
        canbo: user("canbo").await?,
        canbo_tc: user("canbo.taichinh").await?,
    };
    let btg = p.secretary.actor();
    let basis = "Quy chế hoạt động của Hội đồng Thi đua - Khen thưởng Đảng ủy Khối (ban hành kèm theo Quyết định số 12-QĐ/ĐUK ngày 10/3/2023)";

    // 2025, within the bloc's authority: secret ballot, more than 50 %.
    let round = c::create_round(db, &btg, &RoundInput {
        org_id: ids["duk"],
        year: 2025,
        form_id: form_id(db, "khen_thuong_khoi").await?,
        deadline: "2025-10-31".into(),
        eligibility: Some(Eligibility { kind: None, min_level: Level::CoSo, evaluation_years: 1, years_as_exemplar: 1, must_be_active: true }),
        required_items: vec![DossierItem::Report.code().into(), DossierItem::Confirmation.code().into()],
        rules: VoteRules { quorum_num: 2, quorum_den: 3, threshold_percent: 50, threshold_rule: ThresholdRule::MoreThan, ballot: BallotKind::Secret, basis: basis.into() },
        council: council(&p),
    }).await?;
    let hung = nominate(db, &p.canbo, round.id, "Phạm Văn Hùng", "Đảng ủy Công ty Điện lực Nam Định xác nhận và đề nghị (Nghị quyết số 31-NQ/ĐU ngày 10/10/2025).", "2025-10-15").await?;
    let hung = step(db, &p.secretary, &hung, NominationStep::Accept, &[], "2025-10-20").await?;
    // A collective's dossier (its hospital has no demo account: entered by
    // the demo loader as the unit's officer), returned once, fixed, accepted.
    let unit = Actor::system("Văn phòng Đảng ủy Bệnh viện Đa khoa tỉnh");
    let noi = c::nominate(db, &unit, round.id, exemplar(db, "Tập thể Khoa Nội tổng hợp").await?, "2025-10-16").await?;
    let officer = [Assignment { role: Role::CanBoTccs, org_id: ids["benhvien"], org_path: dienhinh_store::orgs::get(db, ids["benhvien"]).await?.path }];
    let noi = c::save_dossier(db, &unit, noi.id, &DossierInput { report: noi.report.clone(), confirmation: "Đảng ủy Bệnh viện Đa khoa tỉnh xác nhận và đề nghị.".into(), version: noi.version }).await?;
    let noi = c::take_step(db, &unit, &officer, noi.id, noi.version, NominationStep::Submit, &[], "2025-10-16").await?;
    let noi = step(db, &p.secretary, &noi, NominationStep::Return, &[(DossierItem::Report, "Bổ sung số liệu về tỷ lệ hài lòng của người bệnh năm 2025 và kết quả nhân rộng mô hình.".into())], "2025-10-22").await?;
    let noi = c::save_dossier(db, &unit, noi.id, &DossierInput {
        report: format!("{}\nBổ sung: tỷ lệ hài lòng của người bệnh năm 2025 đạt 98,6%; mô hình được nhân rộng ra 5 khoa lâm sàng.", noi.report),
        confirmation: noi.confirmation.clone(),
        version: noi.version,
    }).await?;
    let noi = c::take_step(db, &unit, &officer, noi.id, noi.version, NominationStep::Resubmit, &[], "2025-10-28").await?;
    let noi = step(db, &p.secretary, &noi, NominationStep::Accept, &[], "2025-10-30").await?;
    // The session: Đặng Thu Trang absent (written vote); Bùi Quang Vinh recused from his own company's nominee.
    let s = c::open_session(db, &btg, round.id, "2025-11-20", "Phòng họp tầng 3, trụ sở Đảng ủy Khối", &[p.chair.id, p.secretary.id, p.lan.id, p.vinh.id]).await?;
    for (who, choice) in [(&p.chair, Choice::Agree), (&p.secretary, Choice::Agree), (&p.lan, Choice::Agree)] {
        c::vote(db, &who.actor(), s.id, hung.id, who.id, choice, false).await?;
    }
    c::vote(db, &btg, s.id, hung.id, p.trang.id, Choice::Agree, true).await?;
    for (who, choice) in [(&p.chair, Choice::Agree), (&p.secretary, Choice::Agree), (&p.lan, Choice::Abstain), (&p.vinh, Choice::Agree)] {
        c::vote(db, &who.actor(), s.id, noi.id, who.id, choice, false).await?;
    }
    c::vote(db, &btg, s.id, noi.id, p.trang.id, Choice::Agree, true).await?;
    let s = c::get_session(db, s.id).await?;
    c::close_session(db, &btg, s.id, s.version).await?;
    c::conclude(db, &p.chair.actor(), &p.chair.assignments(), round.id, &OutcomeInput {
        number: "45-QĐ/ĐUK".into(),
        date: "2025-12-05".into(),
        signer: p.chair.full_name.clone(),
        note: "Tặng Giấy khen của Ban Thường vụ Đảng ủy Khối cho 01 tập thể và 01 cá nhân có thành tích tiêu biểu trong học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh năm 2025.".into(),
    }).await?;

    // 2025, proposed upward (Bằng khen of the Chairman of the provincial People's Committee): open vote.
    let up = c::create_round(db, &btg, &RoundInput {
        org_id: ids["duk"],
        year: 2025,
        form_id: form_id(db, "bang_khen_ubnd_tinh").await?,
        deadline: "2025-10-31".into(),
        eligibility: Some(Eligibility { kind: None, min_level: Level::Khoi, evaluation_years: 0, years_as_exemplar: 3, must_be_active: true }),
        required_items: vec![DossierItem::Report.code().into(), DossierItem::Confirmation.code().into()],
        rules: VoteRules { quorum_num: 2, quorum_den: 3, threshold_percent: 50, threshold_rule: ThresholdRule::MoreThan, ballot: BallotKind::Open, basis: basis.into() },
        council: council(&p),
    }).await?;
    let ha = nominate(db, &p.canbo_tc, up.id, "Nguyễn Thị Thu Hà", "Đảng ủy Sở Tài chính xác nhận và đề nghị (Nghị quyết số 22-NQ/ĐU ngày 08/10/2025).", "2025-10-09").await?;
    let ha = step(db, &p.secretary, &ha, NominationStep::Accept, &[], "2025-10-21").await?;
    let s = c::open_session(db, &btg, up.id, "2025-11-20", "Phòng họp tầng 3, trụ sở Đảng ủy Khối", &[p.chair.id, p.secretary.id, p.lan.id, p.vinh.id]).await?;
    for who in [&p.chair, &p.secretary, &p.lan, &p.vinh] {
        c::vote(db, &who.actor(), s.id, ha.id, who.id, Choice::Agree, false).await?;
    }
    let s = c::get_session(db, s.id).await?;
    c::close_session(db, &btg, s.id, s.version).await?;
    c::conclude(db, &p.chair.actor(), &p.chair.assignments(), up.id, &OutcomeInput {
        number: "46-TTr/ĐUK".into(),
        date: "2025-12-05".into(),
        signer: p.chair.full_name.clone(),
        note: "Đề nghị Chủ tịch UBND tỉnh tặng Bằng khen cho 01 cá nhân.".into(),
    }).await?;
    let ha = c::get_nomination(db, ha.id).await?;
    c::record_upward(db, &p.chair.actor(), &p.chair.assignments(), ha.id, ha.version, true, &DecisionInput { decision_no: "2150/QĐ-UBND".into(), decided_on: "2025-12-28".into() }).await?;

    // This year's (2026 when written): open until the year's end, one
    // dossier waiting for screening and one being written.
    let year = dienhinh_domain::clock::current_year();
    let today = dienhinh_domain::clock::today_iso();
    let open = c::create_round(db, &btg, &RoundInput {
        org_id: ids["duk"],
        year,
        form_id: form_id(db, "khen_thuong_khoi").await?,
        deadline: format!("{year}-12-31"),
        eligibility: Some(Eligibility { kind: None, min_level: Level::CoSo, evaluation_years: 0, years_as_exemplar: 1, must_be_active: true }),
        required_items: vec![DossierItem::Report.code().into(), DossierItem::Confirmation.code().into()],
        rules: VoteRules { quorum_num: 2, quorum_den: 3, threshold_percent: 50, threshold_rule: ThresholdRule::MoreThan, ballot: BallotKind::Secret, basis: basis.into() },
        council: council(&p),
    }).await?;
    nominate(db, &p.canbo, open.id, "Tổ thao tác lưu động Điện lực Xuân Trường", "Đảng ủy Công ty Điện lực Nam Định xác nhận và đề nghị.", &today).await?;
    c::nominate(db, &p.canbo_tc.actor(), open.id, exemplar(db, "Nguyễn Thị Thu Hà").await?, &today).await?;
    Ok(())
}
