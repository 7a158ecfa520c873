//! Demo exemplars at every stage, with their steps, fostering, evaluations,
//! replications, study visits, movements and annual models.

use dienhinh_domain::evaluation::EvalResult::{ChuaDat, Dat, DatMotPhan};
use dienhinh_domain::exemplar::{ExemplarKind, Step};
use dienhinh_domain::fostering::{FosteringStatus, SupportKind};
use dienhinh_domain::spread::How;
use dienhinh_domain::{Assignment, RecordKind, Role};
use dienhinh_store::evaluations::{self, EvaluationInput, ScoreInput};
use dienhinh_store::exemplars::{self, ExemplarInput};
use dienhinh_store::fostering::{self, FosteringInput};
use dienhinh_store::spread::{self, ReplicationInput, StudyVisitInput};
use dienhinh_store::{annual_models, plans, users, Actor, Db};
use std::collections::HashMap;

struct Demo {
    key: &'static str,
    at: &'static str,
    kind: ExemplarKind,
    name: &'static str,
    position: &'static str,
    unit: &'static str,
    members: Option<i64>,
    year: i64,
    fields: &'static [&'static str],
    achievements: &'static str,
    model: &'static str,
    consent: bool,
    /// Steps taken, each with its reason and the number and date of the
    /// decision it records (empty when none).
    steps: &'static [(Step, &'static str, &'static str, &'static str)],
}

const EXEMPLARS: &[Demo] = &[
    Demo { key: "hung", at: "dienluc", kind: ExemplarKind::CaNhan, name: "Phạm Văn Hùng", position: "Tổ trưởng Tổ quản lý vận hành lưới điện", unit: "Điện lực Xuân Trường", members: None, year: 2022,
        fields: &["lao_dong", "san_xuat"], consent: true,
        achievements: "Chiến sĩ thi đua cơ sở 3 năm liền (2022–2024); Bằng khen của Tổng công ty Điện lực miền Bắc năm 2023.",
        model: "Sáng kiến «Thiết bị cảnh báo sớm sự cố lưới điện hạ áp» giúp giảm 35% thời gian mất điện của khách hàng, được áp dụng tại 9 điện lực huyện.",
        steps: &[(Step::Foster, "Cấp ủy giao Phòng Kỹ thuật hỗ trợ hoàn thiện sáng kiến.", "", ""), (Step::Recognise, "Đảng ủy Công ty xét, công nhận điển hình tiên tiến.", "12-NQ/ĐU", "2023-03-15"), (Step::Replicate, "Kết luận hội nghị sơ kết quý II/2023: nhân rộng tại các điện lực huyện.", "", ""), (Step::Raise, "Ban Thường vụ Đảng ủy Khối biểu dương tại Hội nghị điển hình tiên tiến năm 2024.", "215-NQ/ĐUK", "2024-08-20")] },
    Demo { key: "todoxt", at: "dienluc", kind: ExemplarKind::TapThe, name: "Tổ thao tác lưu động Điện lực Xuân Trường", position: "", unit: "Điện lực Xuân Trường", members: Some(12), year: 2023,
        fields: &["lao_dong"], consent: true,
        achievements: "Không để xảy ra sự cố do thao tác sai trong 5 năm liên tục.",
        model: "Cách làm «Phiếu thao tác điện tử» kiểm tra chéo hai lớp trước khi đóng cắt.",
        steps: &[(Step::Foster, "Đưa vào diện bồi dưỡng năm 2023.", "", ""), (Step::Recognise, "Đảng ủy Công ty công nhận; Giám đốc Công ty tặng Giấy khen năm 2024.", "27-NQ/ĐU", "2024-06-12")] },
    Demo { key: "huong", at: "dienluc", kind: ExemplarKind::CaNhan, name: "Trần Thị Mai Hương", position: "Chuyên viên Phòng Kinh doanh", unit: "Công ty Điện lực Nam Định", members: None, year: 2024,
        fields: &["kinh_doanh"], consent: false,
        achievements: "Dẫn đầu tỷ lệ khách hàng thanh toán tiền điện không dùng tiền mặt.",
        model: "Nhóm Zalo hỗ trợ khách hàng cao tuổi thanh toán trực tuyến.",
        steps: &[(Step::Foster, "Cấp ủy phân công đồng chí Phó Bí thư trực tiếp kèm cặp.", "", "")] },
    Demo { key: "thang", at: "dienluc", kind: ExemplarKind::CaNhan, name: "Vũ Đức Thắng", position: "Công nhân sửa chữa lưới điện", unit: "Chi bộ Điện lực Xuân Trường", members: None, year: 2026,
        fields: &["lao_dong"], consent: false, achievements: "Tham gia khắc phục sự cố sau bão số 3 liên tục 72 giờ.", model: "", steps: &[] },
    Demo { key: "thuha", at: "taichinh", kind: ExemplarKind::CaNhan, name: "Nguyễn Thị Thu Hà", position: "Phó Trưởng phòng Quản lý ngân sách", unit: "Sở Tài chính", members: None, year: 2022,
        fields: &["cong_tac", "hoc_tap"], consent: true,
        achievements: "Chủ trì xây dựng phần mềm tổng hợp dự toán ngân sách cấp xã.",
        model: "Quy trình «một lần nhập, nhiều lần dùng» trong tổng hợp dự toán, rút ngắn thời gian tổng hợp từ 15 ngày xuống 5 ngày.",
        steps: &[(Step::Foster, "Đưa vào diện bồi dưỡng.", "", ""), (Step::Recognise, "Đảng ủy Sở Tài chính công nhận điển hình tiên tiến năm 2023.", "08-NQ/ĐU", "2023-04-10"), (Step::Replicate, "Hướng dẫn áp dụng tại các phòng tài chính - kế hoạch huyện.", "", ""), (Step::Raise, "Ban Thường vụ Đảng ủy Khối công nhận điển hình cấp Khối.", "198-NQ/ĐUK", "2023-12-22"), (Step::Raise, "Được Chủ tịch UBND tỉnh tặng Bằng khen năm 2024.", "1234/QĐ-UBND", "2024-05-30")] },
    Demo { key: "khoanoi", at: "benhvien.noi", kind: ExemplarKind::TapThe, name: "Tập thể Khoa Nội tổng hợp", position: "", unit: "Bệnh viện Đa khoa tỉnh", members: Some(46), year: 2022,
        fields: &["cong_tac", "an_sinh_xa_hoi"], consent: true,
        achievements: "Tỷ lệ hài lòng của người bệnh đạt 98% ba năm liền.",
        model: "Mô hình «Bệnh viện xanh - sạch - đẹp, lấy người bệnh làm trung tâm»; tổ chăm sóc người bệnh không có người nhà.",
        steps: &[(Step::Foster, "Đưa vào diện bồi dưỡng.", "", ""), (Step::Recognise, "Đảng ủy Bệnh viện công nhận điển hình tiên tiến.", "15-NQ/ĐU", "2023-02-20"), (Step::Replicate, "Nhân rộng ra các khoa lâm sàng.", "", ""), (Step::Raise, "Ban Thường vụ Đảng ủy Khối biểu dương năm 2024.", "216-NQ/ĐUK", "2024-08-20")] },
    Demo { key: "khai", at: "benhvien", kind: ExemplarKind::CaNhan, name: "Đỗ Quang Khải", position: "Bác sĩ Khoa Ngoại", unit: "Bệnh viện Đa khoa tỉnh", members: None, year: 2023,
        fields: &["cong_tac"], consent: false, achievements: "Thực hiện thành công kỹ thuật phẫu thuật nội soi mới.", model: "",
        steps: &[(Step::Foster, "Đưa vào diện bồi dưỡng.", "", ""), (Step::Drop, "Đồng chí chuyển công tác ra ngoài Đảng bộ Khối từ tháng 6/2025.", "", "")] },
    Demo { key: "thuy", at: "giaoduc", kind: ExemplarKind::CaNhan, name: "Lê Thị Thanh Thuỷ", position: "Chuyên viên Phòng Giáo dục Trung học", unit: "Sở Giáo dục và Đào tạo", members: None, year: 2025,
        fields: &["hoc_tap", "cong_tac"], consent: true,
        achievements: "Biên soạn bộ tài liệu giáo dục địa phương tỉnh Nam Định.", model: "Câu lạc bộ «Em yêu lịch sử quê hương» tại các trường THCS.",
        steps: &[(Step::Foster, "Cấp ủy giao hỗ trợ kinh phí in tài liệu.", "", "")] },
    Demo { key: "chuyen5", at: "detmay", kind: ExemplarKind::TapThe, name: "Chuyền may số 5 - Xí nghiệp May 1", position: "", unit: "Tổng Công ty Cổ phần Dệt may Nam Định", members: Some(38), year: 2024,
        fields: &["san_xuat", "lao_dong"], consent: true,
        achievements: "Năng suất vượt định mức 18%, không có sản phẩm lỗi bị khách hàng trả lại năm 2024.", model: "Cách làm «5 phút đầu ca» chia sẻ lỗi và cách khắc phục.",
        steps: &[(Step::Foster, "Đưa vào diện bồi dưỡng.", "", ""), (Step::Recognise, "Đảng ủy Tổng Công ty công nhận điển hình tiên tiến.", "31-NQ/ĐU", "2025-01-10")] },
    Demo { key: "tuan", at: "khobac", kind: ExemplarKind::CaNhan, name: "Hoàng Minh Tuấn", position: "Kiểm soát viên", unit: "Kho bạc Nhà nước Nam Định", members: None, year: 2026,
        fields: &["cong_tac"], consent: false, achievements: "Phát hiện và ngăn chặn 3 hồ sơ thanh toán sai quy định.", model: "", steps: &[] },
    Demo { key: "doithuynong", at: "thuyloi", kind: ExemplarKind::TapThe, name: "Đội Thủy nông Nam Trực", position: "", unit: "Công ty TNHH MTV Khai thác công trình thủy lợi Bắc Nam Hà", members: Some(21), year: 2025,
        fields: &["san_xuat", "an_sinh_xa_hoi"], consent: true, achievements: "Bảo đảm tưới tiêu cho 4.200 ha lúa trong đợt hạn hán năm 2025.", model: "Tổ tự quản kênh mương cùng nhân dân.",
        steps: &[(Step::Foster, "Đưa vào diện bồi dưỡng năm 2025.", "", "")] },
    Demo { key: "huyen", at: "baond", kind: ExemplarKind::CaNhan, name: "Ngô Thị Huyền", position: "Phóng viên", unit: "Báo Nam Định", members: None, year: 2022,
        fields: &["van_hoa_xa_hoi"], consent: true,
        achievements: "Giải Báo chí toàn quốc về xây dựng Đảng (Giải Búa liềm vàng) năm 2023.", model: "Chuyên mục «Gương sáng quanh ta» trên Báo Nam Định điện tử.",
        steps: &[(Step::Foster, "Đưa vào diện bồi dưỡng.", "", ""), (Step::Recognise, "Chi bộ Báo Nam Định công nhận điển hình tiên tiến.", "05-NQ/CB", "2023-01-16"), (Step::Raise, "Ban Thường vụ Đảng ủy Khối công nhận điển hình cấp Khối.", "187-NQ/ĐUK", "2023-06-28"), (Step::Raise, "Được Chủ tịch UBND tỉnh tặng Bằng khen.", "1876/QĐ-UBND", "2023-09-12"), (Step::Raise, "Tham gia Triển lãm «Những tấm gương bình dị mà cao quý» năm 2024.", "245-QĐ/BTGTW", "2024-05-15")] },
];

pub async fn load(db: &Db, files: &dienhinh_store::files::Files, ids: &HashMap<&'static str, i64>) -> anyhow::Result<()> {
    let system = Actor::system("demo");
    let fields = exemplars::field_ids_by_code(db).await?;
    let province_movement = exemplars::create_movement(db, &system, ids["tinh"], "Phong trào thi đua «Cán bộ, công chức, viên chức thi đua thực hiện văn hóa công sở»", "UBND tỉnh Nam Định", (2022, Some(2025))).await?;
    let bloc_movement = exemplars::create_movement(db, &system, ids["duk"], "Cuộc vận động «Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh»", "Ban Thường vụ Đảng ủy Khối", (2022, None)).await?;
    let power_movement = exemplars::create_movement(db, &system, ids["dienluc"], "Phong trào «Lao động giỏi, lao động sáng tạo» ngành điện", "Công ty Điện lực Nam Định", (2023, None)).await?;

    // Who takes the steps: the demo cấp ủy and Ban Thường vụ where they
    // exist, a committee acting for the other TCCS otherwise.
    let capuy = person(db, "capuy").await?;
    let capuy_tc = person(db, "capuy.taichinh").await?;
    let btv = person(db, "btv").await?;
    let committee = (
        Actor::system("demo: cấp ủy TCCS"),
        vec![Assignment { role: Role::CapUy, org_id: ids["duk"], org_path: dienhinh_store::orgs::get(db, ids["duk"]).await?.org_path() }],
    );

    let mut made = HashMap::new();
    for d in EXEMPLARS {
        let mut movement_ids = vec![bloc_movement.id];
        if d.at == "dienluc" {
            movement_ids.push(power_movement.id);
        }
        if matches!(d.at, "taichinh" | "khobac" | "giaoduc") {
            movement_ids.push(province_movement.id);
        }
        let mut e = exemplars::create(
            db,
            &system,
            ExemplarInput {
                org_id: ids[d.at],
                kind: d.kind.code().into(),
                name: d.name.into(),
                position: d.position.into(),
                unit_name: d.unit.into(),
                member_count: d.members,
                achievements: d.achievements.into(),
                model: d.model.into(),
                year_found: d.year,
                consent_publish: d.consent,
                field_ids: d.fields.iter().map(|f| fields[*f]).collect(),
                movement_ids,
            },
        )
        .await?;
        for (step, reason, decision_no, decided_on) in d.steps {
            let (actor, who) = match (step, d.at) {
                (Step::Raise, _) => &btv,
                (Step::Foster | Step::Recognise | Step::Replicate | Step::Drop | Step::Reopen, "dienluc") => &capuy,
                (_, "taichinh") => &capuy_tc,
                _ => &committee,
            };
            let decision = exemplars::DecisionInput { decision_no: decision_no.to_string(), decided_on: decided_on.to_string() };
            e = exemplars::take_step(db, actor, who, e.id, e.version, *step, reason, &decision).await?;
        }
        made.insert(d.key, e);
    }

    // Fostering: one done, one running, one overdue.
    for (key, kind, support, short, measures, who, due, done) in [
        ("hung", SupportKind::KyThuat, "Phòng Kỹ thuật hỗ trợ chuẩn hóa thiết kế, đăng ký sáng kiến.", "Hồ sơ kỹ thuật chưa đầy đủ.", "Cử kỹ sư kèm cặp lập hồ sơ.", "Phòng Kỹ thuật", "2023-06-30", true),
        ("hung", SupportKind::VatChat, "Hỗ trợ 30 triệu đồng chế tạo 20 thiết bị thử nghiệm.", "", "", "Phòng Tài chính - Kế toán", "2027-03-31", false),
        ("huong", SupportKind::TinhThan, "Biểu dương tại hội nghị người lao động; giới thiệu cách làm trên bản tin nội bộ.", "Kỹ năng thuyết trình còn hạn chế.", "Cử tham gia lớp kỹ năng giao tiếp.", "Văn phòng Đảng ủy", "2026-06-30", false),
        ("thuy", SupportKind::ChinhSach, "Đề xuất cơ chế tính giờ chuẩn cho giáo viên tham gia câu lạc bộ.", "Chưa có kinh phí duy trì.", "Lồng ghép vào kế hoạch năm học.", "Phòng Giáo dục Trung học", "2026-12-31", false),
        ("doithuynong", SupportKind::KhenThuong, "Đề nghị Giám đốc Công ty tặng Giấy khen.", "", "", "Công đoàn Công ty", "2026-09-30", false),
    ] {
        let e = &made[key];
        // (Plans made when the exemplars were found, some now overdue.)
        let item = fostering::add_as_of(db, &system, e.id, FosteringInput {
            motivation: "Mong muốn cách làm được áp dụng rộng rãi, phục vụ tốt hơn.".into(),
            support_kind: kind.code().into(), support: support.into(), shortcomings: short.into(), measures: measures.into(), responsible: who.into(), due_on: Some(due.into()),
        }, dienhinh_domain::clock::parse_iso("2023-01-01").expect("date")).await?;
        if done {
            fostering::set_status(db, &system, e.id, item.id, item.version, FosteringStatus::HoanThanh.code()).await?;
        }
    }

    // Evaluations over the years against plan 48's criteria.
    let duk_path = dienhinh_store::orgs::get(db, ids["duk"]).await?.path;
    let set = plans::criteria_sets_for(db, &duk_path).await?.into_iter().find(|s| s.criteria.len() == 6).expect("plan 48 criteria");
    for (key, year, results, evaluator) in [
        ("hung", 2023, [Dat, Dat, DatMotPhan, DatMotPhan, DatMotPhan, ChuaDat], "Đảng ủy Công ty Điện lực Nam Định"),
        ("hung", 2024, [Dat, Dat, Dat, DatMotPhan, Dat, DatMotPhan], "Đảng ủy Công ty Điện lực Nam Định"),
        ("hung", 2025, [Dat, Dat, Dat, Dat, Dat, Dat], "Ban Tuyên giáo Đảng ủy Khối"),
        ("thuha", 2023, [Dat, Dat, Dat, DatMotPhan, Dat, Dat], "Đảng ủy Sở Tài chính"),
        ("thuha", 2025, [Dat, Dat, Dat, Dat, Dat, Dat], "Đảng ủy Sở Tài chính"),
        ("khoanoi", 2024, [Dat, Dat, Dat, Dat, Dat, DatMotPhan], "Ban Tuyên giáo Đảng ủy Khối"),
        ("todoxt", 2025, [Dat, DatMotPhan, Dat, DatMotPhan, Dat, Dat], "Đảng ủy Công ty Điện lực Nam Định"),
    ] {
        let scores = set.criteria.iter().filter(|c| c.applies_to.covers(made[key].kind)).zip(results).map(|(c, r)| ScoreInput {
            criterion_id: c.id, result: r.code().into(), score: Some(match r { Dat => 9.0, DatMotPhan => 6.5, ChuaDat => 4.0 }), comment: String::new(),
        }).collect();
        let weak = results.contains(&ChuaDat);
        evaluations::add(db, &system, made[key].id, EvaluationInput {
            criteria_set_id: set.id, period_year: year, evaluated_on: format!("{year}-12-15"), evaluator: evaluator.into(),
            effect: "Tạo chuyển biến rõ trong đơn vị, được cán bộ, đảng viên ghi nhận.".into(),
            effectiveness: "Tiết kiệm thời gian, chi phí; phục vụ người dân, khách hàng tốt hơn.".into(),
            potential: "Có khả năng nhân rộng ra các đơn vị cùng ngành.".into(),
            influence_unit: "Nhiều đồng nghiệp học tập, làm theo.".into(),
            influence_society: if year >= 2024 { "Được báo chí địa phương giới thiệu.".into() } else { String::new() },
            difficulties: if weak { "Kinh phí duy trì còn hạn chế.".into() } else { String::new() },
            help_decided: if weak { "Cấp ủy đề nghị bố trí kinh phí trong năm sau.".into() } else { String::new() },
            scores,
        }).await?;
    }

    // Spread.
    for (key, adopter, on, how, note) in [
        ("hung", "dienluc.xm", "2023-09-10", How::HoiNghi, "Lắp đặt 12 thiết bị trên các tuyến hạ áp."),
        ("hung", "thuyloi", "2024-04-02", How::ThamQuan, "Áp dụng cảnh báo sự cố cho trạm bơm."),
        ("khoanoi", "yte", "2024-10-20", How::ThamQuan, "Triển khai tổ chăm sóc người bệnh tại 3 bệnh viện tuyến huyện."),
        ("thuha", "khobac", "2024-05-15", How::HuongDan, "Dùng chung mẫu biểu tổng hợp dự toán."),
    ] {
        spread::add_replication(db, &system, made[key].id, ReplicationInput { adopter_org_id: ids[adopter], adopted_on: on.into(), how: how.code().into(), note: note.into() }).await?;
    }
    spread::add_visit(db, &system, made["khoanoi"].id, StudyVisitInput {
        visited_on: "2024-09-18".into(), visiting_units: "Đảng bộ Sở Y tế\nĐảng bộ Trung tâm Kiểm soát bệnh tật tỉnh".into(), participants: 25,
        lessons: "Phân công rõ người, rõ việc; lấy sự hài lòng của người bệnh làm thước đo.".into(),
    }).await?;
    spread::add_visit(db, &system, made["hung"].id, StudyVisitInput {
        visited_on: "2024-03-12".into(), visiting_units: "Đảng bộ Công ty TNHH MTV Khai thác công trình thủy lợi Bắc Nam Hà".into(), participants: 14,
        lessons: "Sáng kiến nhỏ, chi phí thấp nhưng hiệu quả lớn khi được cấp ủy quan tâm.".into(),
    }).await?;

    // Evidence files.
    let photo: &[u8] = include_bytes!("../seed/demo-photo.png");
    let certificate: &[u8] = include_bytes!("../seed/demo-certificate.pdf");
    for (key, name, bytes) in [
        ("hung", "Ảnh lắp đặt thiết bị cảnh báo.png", photo),
        ("hung", "Giấy khen sáng kiến 2023.pdf", certificate),
        ("khoanoi", "Khoa Nội tổng hợp - tập thể.png", photo),
        ("thuha", "Bằng khen UBND tỉnh.pdf", certificate),
    ] {
        dienhinh_store::files::attach(db, files, &system, RecordKind::Exemplar, made[key].id, name, bytes.to_vec()).await?;
    }

    // Annual models: approved, waiting, rejected, and TCCS with none.
    let this_year = dienhinh_domain::clock::current_year();
    for (at, year, title, decision) in [
        ("dienluc", this_year - 1, "Mô hình «Điện lực thân thiện, phục vụ tận tâm»", Some((true, "Đồng ý triển khai."))),
        ("dienluc", this_year, "Mô hình «Chi bộ bốn tốt» gắn với nhiệm vụ vận hành lưới điện", Some((true, "Thông qua tại phiên họp thường kỳ tháng 2."))),
        ("taichinh", this_year, "Mô hình «Dự toán minh bạch, giải ngân nhanh»", None),
        ("benhvien", this_year, "Mô hình «Ngày thứ Bảy tình nguyện khám bệnh cho người cao tuổi»", Some((true, "Đồng ý."))),
        ("giaoduc", this_year, "Mô hình «Mỗi thầy cô một tấm gương tự học»", Some((false, "Cần cụ thể hóa chỉ tiêu, đăng ký lại."))),
    ] {
        let m = annual_models::register(db, &system, annual_models::AnnualModelInput { org_id: ids[at], year, exemplar_id: None, title: title.into(), description: String::new() }).await?;
        if let Some((approve, note)) = decision {
            let (actor, _) = if at == "dienluc" { &capuy } else { &committee };
            annual_models::decide(db, actor, m.id, m.version, approve, note).await?;
        }
    }
    Ok(())
}

async fn person(db: &Db, username: &str) -> anyhow::Result<(Actor, Vec<Assignment>)> {
    let u = users::by_username(db, username).await?;
    Ok((u.actor(), u.assignments()))
}
