//! Demo propaganda log: a year of news items, articles, reports, videos and
//! posts about the demo exemplars, made by several units on every channel.

use dienhinh_domain::clock;
use dienhinh_store::exemplars::{self, ExemplarFilter};
use dienhinh_store::propaganda::{self, PropagandaInput};
use dienhinh_store::{Actor, Db};
use std::collections::HashMap;

/// (days before today, unit key, type, channel, title, link, exemplars featured by name)
type Item = (i64, &'static str, &'static str, &'static str, &'static str, &'static str, &'static [&'static str]);
const ITEMS: &[Item] = &[
    (4, "dienluc", "bai_viet", "cong_thong_tin", "Phạm Văn Hùng – người «giữ lửa» lưới điện Xuân Trường", "https://npc.com.vn/tin-tuc/guong-sang-pham-van-hung", &["Phạm Văn Hùng"]),
    (11, "btg", "chuyen_muc", "cong_thong_tin", "Chuyên mục «Gương sáng Khối doanh nghiệp»: kỳ 12", "https://dangbokhoi.namdinh.gov.vn/chuyen-muc/guong-sang-12", &["Phạm Văn Hùng", "Tổ thao tác lưu động Điện lực Xuân Trường"]),
    (19, "benhvien", "phong_su", "phat_thanh_truyen_hinh", "Phóng sự: Khoa Nội tổng hợp – nơi người bệnh được lắng nghe", "", &["Tập thể Khoa Nội tổng hợp"]),
    (26, "taichinh", "tin", "trang_web", "Sở Tài chính biểu dương điển hình tiên tiến năm 2025", "https://stc.namdinh.gov.vn/tin-tuc/bieu-duong-dien-hinh-2025", &["Nguyễn Thị Thu Hà"]),
    (33, "doanthanhnien", "bai_dang_mxh", "mang_xa_hoi", "Câu chuyện người thợ may trẻ của Chuyền may số 5", "https://www.facebook.com/doanthanhnienkhoi/posts/1042", &["Chuyền may số 5 - Xí nghiệp May 1"]),
    (41, "baond", "bai_viet", "bao_chi", "Chuyền may số 5: năng suất tăng nhờ sáng kiến của công nhân", "https://baonamdinh.vn/kinh-te/chuyen-may-so-5", &["Chuyền may số 5 - Xí nghiệp May 1"]),
    (55, "dienluc", "video", "mang_xa_hoi", "Video: Tổ thao tác lưu động xử lý sự cố trong đêm mưa bão", "https://www.youtube.com/watch?v=pcnd-thaotac", &["Tổ thao tác lưu động Điện lực Xuân Trường"]),
    (63, "congdoan", "tin", "ban_tin_noi_bo", "Bản tin Công đoàn: tuyên dương đoàn viên tiêu biểu quý III", "", &[]),
    (78, "giaoduc", "bai_viet", "trang_web", "Cô giáo Lê Thị Thanh Thuỷ và phong trào tự học của giáo viên", "https://sgddt.namdinh.gov.vn/tin-tuc/guong-tu-hoc", &["Lê Thị Thanh Thuỷ"]),
    (92, "btg", "chuyen_de", "cong_thong_tin", "Chuyên đề: Ba năm thực hiện Kế hoạch 48-KH/ĐUK về điển hình tiên tiến", "https://dangbokhoi.namdinh.gov.vn/chuyen-de/ke-hoach-48", &["Phạm Văn Hùng", "Nguyễn Thị Thu Hà", "Tập thể Khoa Nội tổng hợp"]),
    (104, "benhvien", "bai_dang_mxh", "mang_xa_hoi", "Bác sĩ Đỗ Quang Khải và những ca mổ xuyên đêm", "https://www.facebook.com/benhviendakhoanamdinh/posts/877", &["Đỗ Quang Khải"]),
    (118, "thuyloi", "tin", "trang_web", "Đội Thủy nông Nam Trực chủ động chống hạn vụ Đông Xuân", "https://thuyloibacnamha.vn/tin-tuc/doi-thuy-nong-nam-truc", &["Đội Thủy nông Nam Trực"]),
    (131, "baond", "phong_su", "bao_chi", "Phóng sự ảnh: Những người thắp sáng làng quê", "https://baonamdinh.vn/phong-su-anh/thap-sang-lang-que", &["Phạm Văn Hùng"]),
    (149, "khobac", "tin", "ban_tin_noi_bo", "Kho bạc Nhà nước Nam Định: gương kiểm soát viên tận tụy", "", &["Hoàng Minh Tuấn"]),
    (163, "dienluc", "chuyen_trang", "cong_thong_tin", "Chuyên trang «Ngành điện học và làm theo Bác»", "https://npc.com.vn/chuyen-trang/hoc-va-lam-theo-bac", &["Phạm Văn Hùng", "Trần Thị Mai Hương"]),
    (187, "btg", "phong_su", "phat_thanh_truyen_hinh", "Phóng sự truyền hình: Điển hình tiên tiến Khối doanh nghiệp tỉnh", "", &["Tổ thao tác lưu động Điện lực Xuân Trường", "Chuyền may số 5 - Xí nghiệp May 1"]),
    (214, "taichinh", "bai_viet", "cong_thong_tin", "Dự toán minh bạch: kinh nghiệm từ Phòng Quản lý ngân sách", "https://stc.namdinh.gov.vn/bai-viet/du-toan-minh-bach", &["Nguyễn Thị Thu Hà"]),
    (240, "doanthanhnien", "video", "mang_xa_hoi", "Video: Thanh niên Khối với phong trào sáng kiến", "https://www.tiktok.com/@doanthanhnienkhoi/video/2024", &[]),
    (268, "yte", "tin", "trang_web", "Sở Y tế giới thiệu mô hình khám bệnh tình nguyện cho người cao tuổi", "https://syt.namdinh.gov.vn/tin-tuc/kham-benh-tinh-nguyen", &["Tập thể Khoa Nội tổng hợp"]),
    (301, "ccb", "bai_viet", "ban_tin_noi_bo", "Cựu chiến binh Khối học tập các điển hình tiên tiến", "", &[]),
    (333, "btg", "tin", "cong_thong_tin", "Ban Tuyên giáo hướng dẫn tuyên truyền điển hình tiên tiến năm mới", "https://dangbokhoi.namdinh.gov.vn/tin-tuc/huong-dan-tuyen-truyen", &[]),
    (358, "dienluc", "tin", "bao_chi", "Công ty Điện lực Nam Định khen thưởng sáng kiến cảnh báo sự cố", "https://baonamdinh.vn/kinh-te/khen-thuong-sang-kien", &["Phạm Văn Hùng"]),
];

pub async fn load(db: &Db, ids: &HashMap<&'static str, i64>) -> anyhow::Result<()> {
    let actor = Actor::system("demo: tuyên truyền");
    let today = clock::today();
    let root = dienhinh_store::orgs::get(db, ids["tinh"]).await?.org_path();
    for (days, at, item_type, channel, title, link, featured) in ITEMS {
        let mut exemplar_ids = vec![];
        for name in *featured {
            let filter = ExemplarFilter { within: vec![root.clone()], q: Some(name.to_string()), limit: Some(20), ..Default::default() };
            let found = exemplars::list(db, &filter).await?.items.into_iter().find(|e| e.name == dienhinh_text::normalize_line(name));
            exemplar_ids.push(found.ok_or_else(|| anyhow::anyhow!("demo exemplar {name} missing"))?.id);
        }
        let day = today - time::Duration::days(*days);
        let input = PropagandaInput {
            org_id: ids[at],
            item_type: item_type.to_string(),
            channel: channel.to_string(),
            title: title.to_string(),
            link: link.to_string(),
            published_on: clock::iso(day),
            exemplar_ids,
        };
        propaganda::create(db, &actor, input).await?;
    }
    Ok(())
}
