//! Demo data: a Đảng ủy Khối of Nam Định province with its Ban Thường vụ,
//! Ban Tuyên giáo, grassroots organisations (agencies, public units,
//! enterprises), unions, plan 48-KH/ĐUK and its criteria, and one account
//! per role. Every later capability adds its records here, so that a
//! newcomer never meets an empty page.

use crate::seed;
use dienhinh_domain::evaluation::AppliesTo;
use dienhinh_domain::{OrgKind, Role};
use dienhinh_store::orgs::{self, OrgInput};
use dienhinh_store::plans::{self, Criterion, Plan};
use dienhinh_store::users::{self, NewUser};
use dienhinh_store::{Actor, Db};
use rand::Rng;

pub struct DemoAccount {
    pub username: &'static str,
    pub role: Role,
    pub full_name: &'static str,
    pub position: &'static str,
    /// Key of the org in the demo tree.
    pub at: &'static str,
}

pub const ACCOUNTS: &[DemoAccount] = &[
    DemoAccount { username: "admin", role: Role::Admin, full_name: "Nguyễn Quản Trị", position: "Quản trị hệ thống", at: "tinh" },
    DemoAccount { username: "btv", role: Role::BanThuongVu, full_name: "Trần Văn Thường", position: "Phó Bí thư Đảng ủy Khối", at: "duk" },
    DemoAccount { username: "btg", role: Role::BanTuyenGiao, full_name: "Lê Thị Thu Hòa", position: "Chuyên viên Ban Tuyên giáo", at: "duk" },
    DemoAccount { username: "capuy", role: Role::CapUy, full_name: "Phạm Đức Thủy", position: "Bí thư Đảng ủy Công ty Điện lực", at: "dienluc" },
    DemoAccount { username: "canbo", role: Role::CanBoTccs, full_name: "Đỗ Thị Ánh Tuyết", position: "Cán bộ Văn phòng Đảng ủy", at: "dienluc" },
    DemoAccount { username: "xem", role: Role::NguoiXem, full_name: "Vũ Minh Khoa", position: "Đảng viên", at: "duk" },
    DemoAccount { username: "capuy.taichinh", role: Role::CapUy, full_name: "Hoàng Thị Ngọc Ánh", position: "Bí thư Đảng ủy Sở Tài chính", at: "taichinh" },
    DemoAccount { username: "canbo.taichinh", role: Role::CanBoTccs, full_name: "Ngô Quang Huy", position: "Cán bộ Sở Tài chính", at: "taichinh" },
    // Members of the commendation council (demo_commendation.rs) besides btv and btg.
    DemoAccount { username: "hd.lan", role: Role::BanThuongVu, full_name: "Nguyễn Thị Lan", position: "Ủy viên Ban Thường vụ, Trưởng Ban Tổ chức Đảng ủy Khối", at: "duk" },
    DemoAccount { username: "hd.vinh", role: Role::CapUy, full_name: "Bùi Quang Vinh", position: "Phó Bí thư Đảng ủy Công ty Điện lực, Ủy viên Ban Chấp hành Đảng bộ Khối", at: "dienluc" },
    DemoAccount { username: "hd.trang", role: Role::NguoiXem, full_name: "Đặng Thu Trang", position: "Chủ tịch Công đoàn Viên chức tỉnh", at: "congdoan" },
];

/// (key, parent key, kind, name, short name)
const TREE: &[(&str, &str, OrgKind, &str, &str)] = &[
    ("tinh", "", OrgKind::TinhUy, "Tỉnh ủy Nam Định", "TU"),
    ("duk", "tinh", OrgKind::DangUyKhoi, "Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh Nam Định", "ĐUK"),
    ("btv", "duk", OrgKind::Ban, "Ban Thường vụ Đảng ủy Khối", "BTV"),
    ("btg", "duk", OrgKind::Ban, "Ban Tuyên giáo Đảng ủy Khối", "BTG"),
    ("taichinh", "duk", OrgKind::Tccs, "Đảng bộ Sở Tài chính", ""),
    ("taichinh.ns", "taichinh", OrgKind::ChiBo, "Chi bộ Phòng Quản lý ngân sách", ""),
    ("taichinh.vp", "taichinh", OrgKind::ChiBo, "Chi bộ Văn phòng Sở", ""),
    ("giaoduc", "duk", OrgKind::Tccs, "Đảng bộ Sở Giáo dục và Đào tạo", ""),
    ("yte", "duk", OrgKind::Tccs, "Đảng bộ Sở Y tế", ""),
    ("benhvien", "duk", OrgKind::Tccs, "Đảng bộ Bệnh viện Đa khoa tỉnh", ""),
    ("benhvien.noi", "benhvien", OrgKind::ChiBo, "Chi bộ Khoa Nội tổng hợp", ""),
    ("khobac", "duk", OrgKind::Tccs, "Đảng bộ Kho bạc Nhà nước Nam Định", ""),
    ("dienluc", "duk", OrgKind::Tccs, "Đảng bộ Công ty Điện lực Nam Định", "PC Nam Định"),
    ("dienluc.cty", "dienluc", OrgKind::DonVi, "Công ty Điện lực Nam Định", ""),
    ("dienluc.kt", "dienluc", OrgKind::ChiBo, "Chi bộ Phòng Kỹ thuật", ""),
    ("dienluc.xm", "dienluc", OrgKind::ChiBo, "Chi bộ Điện lực Xuân Trường", ""),
    ("detmay", "duk", OrgKind::Tccs, "Đảng bộ Tổng Công ty Cổ phần Dệt may Nam Định", ""),
    ("thuyloi", "duk", OrgKind::Tccs, "Đảng bộ Công ty TNHH MTV Khai thác công trình thủy lợi Bắc Nam Hà", ""),
    ("baond", "duk", OrgKind::Tccs, "Chi bộ Báo Nam Định", ""),
    ("congdoan", "duk", OrgKind::DoanThe, "Công đoàn Viên chức tỉnh", ""),
    ("doanthanhnien", "duk", OrgKind::DoanThe, "Đoàn Thanh niên Khối các cơ quan và doanh nghiệp tỉnh", ""),
    ("ccb", "duk", OrgKind::DoanThe, "Hội Cựu chiến binh Khối", ""),
];

/// A readable random password (no look-alike characters).
fn generate_password() -> String {
    const CHARS: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::thread_rng();
    (0..12).map(|_| CHARS[rng.gen_range(0..CHARS.len())] as char).collect()
}

/// Loads the demo unless the database already holds organisations. Returns
/// the accounts with their passwords (all equal to `password` when given).
pub async fn load(db: &Db, files: &dienhinh_store::files::Files, password: Option<&str>) -> anyhow::Result<Option<Vec<(String, String, String)>>> {
    if orgs::count(db).await? > 0 {
        return Ok(None);
    }
    let p = seed::parse_plan_48();
    let actor = Actor::system("demo");
    let mut ids = std::collections::HashMap::new();
    for (key, parent, kind, name, short) in TREE {
        let parent_id = if parent.is_empty() { None } else { Some(ids[parent]) };
        let org = orgs::create(
            db,
            &actor,
            OrgInput { parent_id, kind: kind.code().to_string(), name: name.to_string(), short_name: short.to_string() },
        )
        .await?;
        ids.insert(*key, org.id);
    }

    let mut accounts = vec![];
    for a in ACCOUNTS {
        let pw = password.map(str::to_string).unwrap_or_else(generate_password);
        users::create(
            db,
            &actor,
            NewUser {
                username: a.username.into(),
                full_name: a.full_name.into(),
                position: a.position.into(),
                org_id: ids[a.at],
                role: a.role.code().into(),
                password: pw.clone(),
            },
        )
        .await?;
        accounts.push((a.username.to_string(), a.role.label().to_string(), pw));
    }

    let plan = plans::create_plan(
        db,
        &actor,
        Plan {
            org_id: ids["duk"],
            number: p.number,
            issuing_body: "ĐẢNG ỦY KHỐI CÁC CƠ QUAN VÀ DOANH NGHIỆP TỈNH".into(),
            // The plan's text carries no date; it follows 46-KH/BTGTU of
            // 03/7/2023, so the demo dates it later that month.
            issued_on: "2023-07-20".into(),
            period_from: 2022,
            period_to: 2025,
            title: p.title,
            bases: p.bases,
            body: p.body,
            signer_authority: p.signer_authority,
            signer_title: p.signer_title,
            signer_name: p.signer_name,
            recipients: p.recipients.join("\n"),
            ..Default::default()
        },
    )
    .await?;
    let criteria: Vec<Criterion> = p.criteria.into_iter().map(|(code, applies_to, text)| Criterion { id: 0, code, applies_to, text }).collect();
    plans::create_criteria_set(db, &actor, ids["duk"], Some(plan.id), "Tiêu chuẩn điển hình tiên tiến (mục III, Kế hoạch 48-KH/ĐUK)", (2022, 2025), &criteria)
        .await?;

    // A grassroots implementation plan with its sector criteria (IV.1).
    let impl_plan = plans::create_plan(
        db,
        &actor,
        Plan {
            org_id: ids["dienluc"],
            parent_plan_id: Some(plan.id),
            number: "15-KH/ĐU".into(),
            issuing_body: "ĐẢNG ỦY CÔNG TY ĐIỆN LỰC NAM ĐỊNH".into(),
            issued_on: "2023-08-15".into(),
            period_from: 2023,
            period_to: 2025,
            title: "triển khai Kế hoạch số 48-KH/ĐUK về tuyên truyền, bồi dưỡng và nhân rộng điển hình tiên tiến, giai đoạn 2023 - 2025".into(),
            bases: "Căn cứ Kế hoạch số 48-KH/ĐUK của Ban Thường vụ Đảng ủy Khối, Đảng ủy Công ty Điện lực Nam Định xây dựng kế hoạch triển khai như sau:".into(),
            body: "I. MỤC ĐÍCH, YÊU CẦU\n\nPhát hiện, bồi dưỡng và nhân rộng các tập thể, cá nhân tiêu biểu trong sản xuất, kinh doanh điện năng và dịch vụ khách hàng.\n\nII. NỘI DUNG\n\nMỗi chi bộ lựa chọn ít nhất 01 mô hình tiêu biểu mỗi năm; cấp ủy xét duyệt trước khi triển khai.".into(),
            signer_authority: "T/M ĐẢNG ỦY".into(),
            signer_title: "BÍ THƯ".into(),
            signer_name: "Phạm Đức Thủy".into(),
            recipients: "- Ban Tuyên giáo Đảng ủy Khối,\n- Các chi bộ trực thuộc,\n- Lưu.".into(),
            ..Default::default()
        },
    )
    .await?;
    let sector = [
        ("ĐL.1", AppliesTo::TapThe, "Bảo đảm cung cấp điện an toàn, liên tục; giảm tổn thất điện năng vượt chỉ tiêu được giao."),
        ("ĐL.2", AppliesTo::TapThe, "Không để xảy ra tai nạn lao động; thực hiện tốt văn hóa an toàn trong toàn đơn vị."),
        ("ĐL.3", AppliesTo::CaNhan, "Có sáng kiến, cải tiến kỹ thuật được Hội đồng sáng kiến công ty công nhận trong năm."),
        ("ĐL.4", AppliesTo::CaNhan, "Được khách hàng ghi nhận về thái độ phục vụ văn minh, lịch sự, tận tình."),
    ];
    let sector: Vec<Criterion> = sector.iter().map(|&(c, applies_to, t)| Criterion { id: 0, code: c.to_string(), applies_to, text: t.to_string() }).collect();
    plans::create_criteria_set(db, &actor, ids["dienluc"], Some(impl_plan.id), "Tiêu chí cụ thể ngành điện (mục IV.1)", (2023, 2025), &sector).await?;
    // A second one, in a state agency, so the bloc sees more than one TCCS answer its plan.
    plans::create_plan(
        db,
        &actor,
        Plan {
            org_id: ids["taichinh"],
            parent_plan_id: Some(plan.id),
            number: "09-KH/ĐU".into(),
            issuing_body: "ĐẢNG ỦY SỞ TÀI CHÍNH".into(),
            issued_on: "2023-09-05".into(),
            period_from: 2023,
            period_to: 2025,
            title: "thực hiện Kế hoạch số 48-KH/ĐUK về tuyên truyền, bồi dưỡng và nhân rộng điển hình tiên tiến trong cán bộ, công chức Sở Tài chính, giai đoạn 2023 - 2025".into(),
            bases: "Thực hiện Kế hoạch số 48-KH/ĐUK của Ban Thường vụ Đảng ủy Khối, Đảng ủy Sở Tài chính xây dựng kế hoạch thực hiện như sau:".into(),
            body: "I. MỤC ĐÍCH, YÊU CẦU\n\nPhát hiện, bồi dưỡng và nhân rộng các tập thể, cá nhân tiêu biểu trong quản lý ngân sách, cải cách hành chính và phục vụ người dân, doanh nghiệp.\n\nII. NỘI DUNG\n\nCác chi bộ trực thuộc đăng ký điển hình trong quý I hằng năm; Văn phòng Sở tổng hợp, báo cáo Đảng ủy Sở trước ngày 15/12.".into(),
            signer_authority: "T/M ĐẢNG ỦY".into(),
            signer_title: "BÍ THƯ".into(),
            signer_name: "Hoàng Thị Ngọc Ánh".into(),
            recipients: "- Ban Tuyên giáo Đảng ủy Khối,\n- Các chi bộ trực thuộc,\n- Lưu Văn phòng Đảng ủy.".into(),
            ..Default::default()
        },
    )
    .await?;

    crate::demo_exemplars::load(db, files, &ids).await?;
    crate::demo_documents::load(db, &ids).await?;
    crate::demo_propaganda::load(db, &ids).await?;
    crate::demo_stories::load(db, files, &ids).await?;
    crate::demo_commendation::load(db, &ids).await?;
    crate::demo_reviews::load(db, &ids).await?;
    Ok(Some(accounts))
}
