//! A realistic input for every builder (Đảng ủy Khối các cơ quan tỉnh Nam
//! Định, 2025), so that tests, the LibreOffice conversion check and anyone
//! reading the code see each document whole.

use crate::builders::*;
use crate::model::{Cell, Issuer, PageSettings, Signer, Table};
use time::macros::date;

pub fn issuer() -> Issuer {
    Issuer { superior: "Đảng bộ tỉnh Nam Định".into(), name: "Đảng ủy Khối các cơ quan tỉnh".into(), place: "Nam Định".into() }
}

fn head(number: Option<&str>) -> Head {
    Head { issuer: issuer(), number: number.map(str::to_string), date: date!(2025 - 11 - 20), settings: PageSettings::default() }
}

fn standing_committee() -> Signer {
    Signer { authority: Some("T/M Ban Thường vụ".into()), position: "Phó Bí thư".into(), name: "Trần Thị Thu Hà".into() }
}

pub fn proposal_input() -> ProposalInput {
    ProposalInput {
        head: head(Some("07-TTr/ĐUK")),
        subject: "Về việc đề nghị tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh năm 2025".into(),
        addressee: "Ban Thường vụ Tỉnh ủy Nam Định".into(),
        bases: vec![
            "Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15; Nghị định số 98/2023/NĐ-CP của Chính phủ;".into(),
            "Căn cứ Kế hoạch số 48-KH/ĐUK ngày 03/4/2023 của Ban Thường vụ Đảng ủy Khối về phát hiện, bồi dưỡng, nhân rộng điển hình tiên tiến;".into(),
        ],
        body: "Qua bình xét của Hội đồng Thi đua, Khen thưởng Đảng ủy Khối ngày 20/11/2025, có 3 trường hợp đạt đủ tiêu chuẩn và được trên 90 % thành viên Hội đồng đồng ý.".into(),
        proposals: vec![
            "Tặng Bằng khen cho 02 cá nhân có thành tích xuất sắc trong học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh;".into(),
            "Tặng Bằng khen cho 01 tập thể có mô hình chuyển đổi số tiêu biểu.".into(),
        ],
        annex: Some("Có danh sách kèm theo".into()),
        recipients: vec!["Như kính gửi".into(), "Ban Tuyên giáo và Dân vận Tỉnh ủy".into(), "Thường trực Đảng ủy Khối".into()],
        signer: standing_committee(),
    }
}

pub fn annex_input() -> AnnexListInput {
    AnnexListInput {
        head: head(Some("03-DS/ĐUK")),
        subject: "Cá nhân, tập thể được đề nghị tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh năm 2025".into(),
        attached_to: "Kèm theo Tờ trình số 07-TTr/ĐUK, ngày 20/11/2025 của Ban Thường vụ Đảng ủy Khối".into(),
        entries: vec![
            AnnexEntry {
                name: "Nguyễn Văn Minh".into(),
                position_unit: "Bí thư Chi bộ Phòng Kế hoạch, Sở Y tế".into(),
                summary: "Sáng kiến số hóa hồ sơ khám chữa bệnh, giảm 40 % thời gian tiếp nhận người bệnh".into(),
                form: "Bằng khen của Chủ tịch UBND tỉnh".into(),
            },
            AnnexEntry {
                name: "Phạm Thị Lan".into(),
                position_unit: "Đảng viên Chi bộ Văn phòng, Sở Giáo dục và Đào tạo".into(),
                summary: "Mô hình \"Mỗi tuần một câu chuyện đẹp\" nhân rộng tại 12 chi bộ".into(),
                form: "Bằng khen của Chủ tịch UBND tỉnh".into(),
            },
            AnnexEntry {
                name: "Chi bộ Trung tâm Công nghệ thông tin".into(),
                position_unit: "Sở Thông tin và Truyền thông".into(),
                summary: "Hoàn thành xuất sắc nhiệm vụ 3 năm liền; mô hình chuyển đổi số tiêu biểu".into(),
                form: "Bằng khen của Chủ tịch UBND tỉnh".into(),
            },
        ],
        signer: standing_committee(),
    }
}

pub fn minutes_input() -> MinutesInput {
    let m = |name: &str, position: &str| Member { name: name.into(), position: position.into() };
    MinutesInput {
        head: head(Some("12-BB/ĐUK")),
        subject: "Phiên họp xét đề nghị khen thưởng năm 2025".into(),
        council: "Hội đồng Thi đua, Khen thưởng Đảng ủy Khối".into(),
        opened: "Vào lúc 08 giờ 00 phút, ngày 20 tháng 11 năm 2025".into(),
        venue: "Phòng họp tầng 3, trụ sở Đảng ủy Khối".into(),
        chair: m("Trần Thị Thu Hà", "Phó Bí thư Đảng ủy Khối, Chủ tịch Hội đồng"),
        secretary: m("Lê Quang Huy", "Chuyên viên Ban Tuyên giáo, Thư ký Hội đồng"),
        total_members: 7,
        present: vec![
            m("Trần Thị Thu Hà", "Chủ tịch Hội đồng"),
            m("Đỗ Mạnh Cường", "Phó Chủ tịch Hội đồng"),
            m("Vũ Thị Hồng", "Ủy viên"),
            m("Hoàng Văn Nam", "Ủy viên"),
            m("Bùi Thị Mai", "Ủy viên"),
            m("Lê Quang Huy", "Ủy viên, Thư ký"),
        ],
        absent: vec![AbsentMember { member: m("Ngô Đức Thắng", "Ủy viên"), reason: "Đi công tác".into(), voted_in_writing: true }],
        rules: "Theo Quy chế hoạt động của Hội đồng (Quyết định số 15-QĐ/ĐUK), phiên họp cần ít nhất 2/3 tổng số thành viên có mặt; trường hợp được đề nghị phải được trên 90 % tổng số thành viên đồng ý.".into(),
        quorum_met: true,
        secret_ballot: true,
        tallies: vec![
            Tally { nominee: "Nguyễn Văn Minh".into(), unit: "Sở Y tế".into(), form: "Bằng khen UBND tỉnh".into(), agree: 7, disagree: 0, abstain: 0, written: 1, recused: 0, percent: 100.0, passed: true },
            Tally { nominee: "Phạm Thị Lan".into(), unit: "Sở Giáo dục và Đào tạo".into(), form: "Bằng khen UBND tỉnh".into(), agree: 6, disagree: 0, abstain: 0, written: 1, recused: 1, percent: 100.0, passed: true },
            Tally { nominee: "Trần Văn Tâm".into(), unit: "Sở Tài chính".into(), form: "Bằng khen UBND tỉnh".into(), agree: 5, disagree: 1, abstain: 1, written: 1, recused: 0, percent: 71.4, passed: false },
        ],
        conclusions: "Hội đồng thống nhất đề nghị Ban Thường vụ Đảng ủy Khối trình Chủ tịch Ủy ban nhân dân tỉnh tặng Bằng khen cho 02 cá nhân đạt tỷ lệ đồng ý theo Quy chế.".into(),
        closed: "vào lúc 10 giờ 30 phút cùng ngày".into(),
    }
}

/// A figures table as reports carry them.
pub fn figures_table() -> Table {
    Table::numbered(
        "Điển hình tiên tiến theo lĩnh vực",
        &["Lĩnh vực", "Phát hiện", "Đang bồi dưỡng", "Được công nhận"],
        &[6, 3, 3, 3],
        vec![
            vec![Cell::text("Lao động, sản xuất"), Cell::int(14), Cell::int(9), Cell::int(5)],
            vec![Cell::text("Học tập, công tác"), Cell::int(21), Cell::int(12), Cell::int(8)],
            vec![Cell::text("Xây dựng Đảng"), Cell::int(9), Cell::int(4), Cell::int(3)],
        ],
    )
}

pub fn report_input() -> ReportInput {
    ReportInput {
        head: head(Some("45-BC/ĐUK")),
        subject: "Kết quả thực hiện Kế hoạch số 48-KH/ĐUK năm 2025".into(),
        intro: "Thực hiện Kế hoạch số 48-KH/ĐUK ngày 03/4/2023 của Ban Thường vụ Đảng ủy Khối, Ban Thường vụ báo cáo kết quả năm 2025 như sau:".into(),
        sections: vec![
            ReportSection {
                heading: "I. KẾT QUẢ THỰC HIỆN".into(),
                text: "Các tổ chức cơ sở đảng đã phát hiện 44 điển hình, trong đó 16 điển hình được công nhận.".into(),
                tables: vec![figures_table()],
            },
            ReportSection { heading: "II. HẠN CHẾ, NGUYÊN NHÂN".into(), text: "Việc nhân rộng điển hình ở một số chi bộ còn chậm.".into(), tables: vec![] },
            ReportSection { heading: "III. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2026".into(), text: String::new(), tables: vec![] },
        ],
        recipients: vec!["Ban Thường vụ Tỉnh ủy".into(), "Ban Tuyên giáo và Dân vận Tỉnh ủy".into()],
        signer: standing_committee(),
    }
}

pub fn achievement_input() -> AchievementReportInput {
    AchievementReportInput {
        head: Head { number: None, ..head(None) },
        who: Reporting::Individual,
        headings: AchievementHeadings::for_(Reporting::Individual),
        proposed: "Đề nghị tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh".into(),
        name: "Nguyễn Văn Minh".into(),
        profile: vec![
            ("Họ và tên".into(), "Nguyễn Văn Minh".into()),
            ("Ngày sinh".into(), "12/5/1980".into()),
            ("Quê quán".into(), "xã Hải Hậu, tỉnh Nam Định".into()),
            ("Đơn vị công tác".into(), "Sở Y tế tỉnh Nam Định".into()),
            ("Chức vụ".into(), "Bí thư Chi bộ Phòng Kế hoạch".into()),
            ("Trình độ chuyên môn".into(), "Thạc sĩ Quản lý y tế".into()),
            ("Lý luận chính trị".into(), "Cao cấp".into()),
        ],
        situation: String::new(),
        duties: "Tham mưu xây dựng kế hoạch phát triển ngành y tế; lãnh đạo Chi bộ Phòng Kế hoạch.".into(),
        results: "Chủ trì sáng kiến số hóa hồ sơ khám chữa bệnh, áp dụng tại 9 bệnh viện tuyến huyện.\nChi bộ hoàn thành xuất sắc nhiệm vụ năm 2023, 2024.".into(),
        figures: vec![Table::numbered(
            "Kết quả đánh giá điển hình",
            &["Năm", "Kết quả", "Tỷ lệ tiêu chí đạt (%)"],
            &[2, 6, 3],
            vec![vec![Cell::int(2024), Cell::text("Đạt"), Cell::Number(87.5)], vec![Cell::int(2025), Cell::text("Đạt"), Cell::Number(100.0)]],
        )],
        commendations: vec![EarlierCommendation {
            year: 2023,
            form: "Giấy khen của Ban Thường vụ Đảng ủy Khối".into(),
            decision: "Quyết định số 98-QĐ/ĐUK ngày 15/12/2023".into(),
        }],
        confirming: Signer { authority: Some("Xác nhận của cấp ủy".into()), position: "Bí thư".into(), name: "Hoàng Thị Ngọc".into() },
        reporter: Signer { authority: None, position: "Người báo cáo".into(), name: "Nguyễn Văn Minh".into() },
    }
}

pub fn profile_input() -> ProfileInput {
    ProfileInput {
        head: head(None),
        name: "Nguyễn Văn Minh".into(),
        facts: vec![
            ("Loại".into(), "Cá nhân".into()),
            ("Đơn vị".into(), "Đảng bộ Sở Y tế".into()),
            ("Lĩnh vực".into(), "Công tác, Xây dựng Đảng".into()),
            ("Năm phát hiện".into(), "2023".into()),
            ("Giai đoạn".into(), "Được công nhận".into()),
            ("Cấp".into(), "Cấp Khối".into()),
        ],
        achievements: "Sáng kiến số hóa hồ sơ khám chữa bệnh.".into(),
        model: "Số hóa hồ sơ, tiếp nhận người bệnh bằng mã định danh.".into(),
        history: vec![
            ["15/3/2023".into(), "Phát hiện".into(), String::new(), "Đề xuất của chi bộ".into()],
            ["10/12/2024".into(), "Công nhận".into(), "Số 98-QĐ/ĐUK ngày 10/12/2024".into(), String::new()],
        ],
        evaluations: vec![(2024, "Bộ tiêu chí 2023–2025".into(), "Lê Thị Thu Hòa".into(), Some(87.5))],
        replications: vec![],
        signer: Signer { authority: None, position: "Người lập".into(), name: "Lê Quang Huy".into() },
    }
}

/// Every builder's output on its sample, named.
pub fn all() -> Vec<(&'static str, crate::PartyDocument)> {
    vec![
        ("to-trinh", proposal(proposal_input())),
        ("danh-sach", annex_list(annex_input())),
        ("bien-ban", minutes(minutes_input())),
        ("bao-cao", report(report_input())),
        ("bao-cao-thanh-tich", achievement_report(achievement_input())),
        ("ho-so-dien-hinh", profile(profile_input())),
    ]
}
