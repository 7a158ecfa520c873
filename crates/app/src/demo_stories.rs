//! Demo stories for the portal: two published (each recorded in the
//! propaganda log by publishing), a draft returned with the editor's
//! comments, and one scheduled for the coming days. The published ones
//! carry a picture (public once published).

use dienhinh_domain::story::{Checklist, StoryInput, StoryStep};
use dienhinh_domain::{Assignment, Role};
use dienhinh_store::exemplars::{self, ExemplarFilter};
use dienhinh_store::stories::{self, StepRequest};
use dienhinh_store::{users, Actor, Db};
use std::collections::HashMap;

const HUNG: &str = "Phạm Văn Hùng – người «giữ lửa» lưới điện Xuân Trường";

/// A small generated picture (a pylon, a line, the sun) for the stories.
const PICTURE: &[u8] = include_bytes!("demo-story.png");

pub async fn load(db: &Db, files: &dienhinh_store::files::Files, ids: &HashMap<&'static str, i64>) -> anyhow::Result<()> {
    let root = dienhinh_store::orgs::get(db, ids["tinh"]).await?.org_path();
    let exemplar = |name: &'static str| {
        let root = root.clone();
        async move {
            let f = ExemplarFilter { within: vec![root], q: Some(name.to_string()), limit: Some(20), ..Default::default() };
            let found = exemplars::list(db, &f).await?.items.into_iter().find(|e| e.name == dienhinh_text::normalize_line(name));
            found.map(|e| e.id).ok_or_else(|| anyhow::anyhow!("demo exemplar {name} missing"))
        }
    };
    let person = |username: &'static str| async move {
        let u = users::by_username(db, username).await?;
        anyhow::Ok((u.actor(), u.assignments()))
    };
    let canbo = person("canbo").await?;
    let canbo_tc = person("canbo.taichinh").await?;
    let btg = person("btg").await?;
    let all = Checklist { facts_match: true, no_exaggeration: true, consent: true, images_allowed: true };
    let stories: [(&str, &str, &str, &str, &[&'static str], &(Actor, Vec<Assignment>)); 3] = [
        ("dienluc", HUNG, "Hơn 15 năm bám lưới, anh Hùng cùng tổ của mình đưa sáng kiến cảnh báo sự cố vào vận hành, giảm một nửa thời gian mất điện.",
         "Mỗi khi mưa bão, anh **Phạm Văn Hùng** lại là người đầu tiên có mặt ở trạm biến áp.\n\n## Sáng kiến từ thực tế\n\nThiết bị cảnh báo sự cố do anh và đồng nghiệp chế tạo đã được áp dụng tại 12 trạm của Điện lực Xuân Trường.\n\n> «Làm tốt việc nhỏ mỗi ngày là cách giữ điện cho dân.»\n\nXem thêm [bài trên trang của Công ty](https://npc.com.vn/tin-tuc/guong-sang-pham-van-hung).",
         &["Phạm Văn Hùng"], &canbo),
        ("taichinh", "Dự toán minh bạch – cách làm của chị Nguyễn Thị Thu Hà", "Quy trình lập dự toán công khai từng bước giúp rút ngắn thời gian giải ngân.",
         "Chị **Nguyễn Thị Thu Hà**, Phó Trưởng phòng Quản lý ngân sách, đề xuất công khai từng bước lập dự toán cho các đơn vị.\n\n- Mỗi đơn vị biết hồ sơ của mình đang ở bước nào;\n- Thời gian giải ngân rút ngắn;\n- Cách làm được nhân rộng ra các phòng tài chính – kế hoạch huyện.",
         &["Nguyễn Thị Thu Hà"], &canbo_tc),
        ("dienluc", "Tổ thao tác lưu động: những người trực đêm của ngành điện", "Ghi chép về Tổ thao tác lưu động Điện lực Xuân Trường.",
         "Tổ thao tác lưu động là **đơn vị xuất sắc nhất tỉnh** trong mọi lĩnh vực.\n\nTổ có 12 người, trực 24/24 giờ.",
         &["Tổ thao tác lưu động Điện lực Xuân Trường"], &canbo),
    ];
    for (i, (at, title, summary, body, featured, (writer, who))) in stories.iter().enumerate() {
        let mut exemplar_ids = vec![];
        for name in featured.iter() {
            exemplar_ids.push(exemplar(name).await?);
        }
        let input = StoryInput { org_id: ids[at], title: title.to_string(), summary: summary.to_string(), body: body.to_string(), exemplar_ids };
        let mut s = stories::create(db, writer, input.clone()).await?;
        if i < 2 {
            // The picture goes in the text where the writer puts it.
            let kind = dienhinh_domain::RecordKind::Story;
            let a = dienhinh_store::files::attach_image(db, files, writer, kind, s.id, "anh-minh-hoa.png", PICTURE.to_vec()).await?;
            let body = format!("![Ảnh minh họa: {}](/attachments/{})\n\n{}", title, a.id, input.body);
            s = stories::update(db, writer, s.id, s.version, StoryInput { body, ..input }).await?;
        }
        let s = stories::step(db, writer, who, s.id, StoryStep::GuiDuyet, &StepRequest { version: s.version, ..Default::default() }).await?;
        let (editor, editor_who) = &btg;
        if i < 2 {
            stories::step(db, editor, editor_who, s.id, StoryStep::Dang, &StepRequest { version: s.version, checklist: all, ..Default::default() }).await?;
        } else {
            let note = "Bỏ cụm «xuất sắc nhất tỉnh trong mọi lĩnh vực» (cường điệu, không có trong hồ sơ); nêu rõ số sự cố đã xử lý năm 2025.";
            stories::step(db, editor, editor_who, s.id, StoryStep::TraLai, &StepRequest { version: s.version, note: note.into(), ..Default::default() }).await?;
        }
    }
    // Scheduled: a story of the hospital's unit, written by its staff, published in three days.
    let hospital = dienhinh_store::orgs::get(db, ids["benhvien"]).await?;
    let writer = (Actor::system("demo: cán bộ Bệnh viện"), vec![Assignment { role: Role::CanBoTccs, org_id: hospital.id, org_path: hospital.org_path() }]);
    let input = StoryInput {
        org_id: hospital.id,
        title: "Khoa Nội tổng hợp: nơi người bệnh được lắng nghe".into(),
        summary: "Mô hình «Ngày thứ Bảy tình nguyện» của tập thể Khoa Nội tổng hợp.".into(),
        body: "Mỗi thứ Bảy, các bác sĩ **Khoa Nội tổng hợp** khám miễn phí cho người cao tuổi.\n\nMô hình được Sở Y tế giới thiệu cho các bệnh viện tuyến huyện.".into(),
        exemplar_ids: vec![exemplar("Tập thể Khoa Nội tổng hợp").await?],
    };
    let s = stories::create(db, &writer.0, input).await?;
    let s = stories::step(db, &writer.0, &writer.1, s.id, StoryStep::GuiDuyet, &StepRequest { version: s.version, ..Default::default() }).await?;
    let at = dienhinh_store::now_ms() + 3 * 24 * 3600 * 1000;
    stories::step(db, &btg.0, &btg.1, s.id, StoryStep::HenDang, &StepRequest { version: s.version, checklist: all, publish_at: Some(at), ..Default::default() }).await?;
    Ok(())
}
