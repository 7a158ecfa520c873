//! Demo review reports: the 2025 reports of the bloc's TCCS at every stage
//! (a draft, one sent, one returned with comments, one accepted; the others
//! not begun) and Điện lực's 2022–2025 final review in draft.

use dienhinh_domain::access::{Assignment, Role};
use dienhinh_domain::document::RegisterSettingsInput;
use dienhinh_domain::review::ReviewStep;
use dienhinh_store::reviews::{self, NarrativeInput, ReviewInput};
use dienhinh_store::{orgs, register, Actor, Db};
use std::collections::HashMap;

fn narrative(unit: &str, year: &str) -> NarrativeInput {
    NarrativeInput {
        results: format!(
            "Trong {year}, Đảng ủy {unit} đã quán triệt Kế hoạch số 48-KH/ĐUK đến 100% chi bộ trực thuộc; các chi bộ đăng ký điển hình ngay từ quý I, cấp ủy theo dõi, bồi dưỡng và đánh giá theo bộ tiêu chí. Số liệu cụ thể tại các biểu kèm theo."
        ),
        shortcomings: "Một số chi bộ còn lúng túng trong việc phát hiện nhân tố mới; việc tuyên truyền trên trang thông tin điện tử của đơn vị chưa thường xuyên.\nNguyên nhân: cấp ủy một số chi bộ chưa dành thời gian thỏa đáng cho công tác này.".into(),
        lessons: "Cấp ủy phải trực tiếp chỉ đạo, giao việc cụ thể cho từng chi bộ; gắn phát hiện điển hình với phong trào thi đua của chuyên môn.".into(),
        tasks: "Tiếp tục phát hiện, bồi dưỡng nhân tố mới; nhân rộng các mô hình đã được công nhận; đẩy mạnh tuyên truyền trên các nền tảng số.".into(),
    }
}

pub async fn load(db: &Db, ids: &HashMap<&'static str, i64>) -> anyhow::Result<()> {
    let actor = Actor::system("demo");
    // The TCCS that send a report number it from their own register.
    for key in ["taichinh", "benhvien"] {
        let settings = RegisterSettingsInput { abbreviation: "ĐU".into(), place: "Nam Định".into(), term_from: 2025, term_to: 2030 };
        register::set_settings(db, &actor, ids[key], &settings, None).await?;
    }
    let duk = orgs::get(db, ids["duk"]).await?;
    let bloc = vec![Assignment { role: Role::BanTuyenGiao, org_id: duk.id, org_path: duk.path.clone() }];
    // (unit, steps taken by the cấp ủy (Submit) and the bloc, comment of a return)
    let plan: [(&str, &[(ReviewStep, &str)]); 4] = [
        ("khobac", &[]),
        ("dienluc", &[(ReviewStep::Submit, "")]),
        ("taichinh", &[(ReviewStep::Submit, ""), (ReviewStep::Return, "Đề nghị bổ sung kết quả nhân rộng mô hình “Một cửa liên thông” và số liệu tham quan học tập; làm rõ nguyên nhân chủ quan của hạn chế.")]),
        ("benhvien", &[(ReviewStep::Submit, ""), (ReviewStep::Accept, "")]),
    ];
    for (key, steps) in plan {
        let org = orgs::get(db, ids[key]).await?;
        let capuy = vec![Assignment { role: Role::CapUy, org_id: org.id, org_path: org.path.clone() }];
        let r = reviews::create(db, &actor, ReviewInput { org_id: org.id, period_from: 2025, period_to: 2025, ..Default::default() }).await?;
        let mut r = reviews::edit(db, &actor, r.id, r.version, &narrative(&org.name.replace("Đảng bộ ", ""), "năm 2025")).await?;
        for (step, comment) in steps {
            let who = if *step == ReviewStep::Submit { &capuy } else { &bloc };
            r = reviews::step(db, &actor, who, r.id, r.version, *step, comment).await?;
        }
    }
    let dienluc = orgs::get(db, ids["dienluc"]).await?;
    let r = reviews::create(db, &actor, ReviewInput { org_id: dienluc.id, period_from: 2022, period_to: 2025, ..Default::default() }).await?;
    reviews::edit(db, &actor, r.id, r.version, &narrative("Công ty Điện lực Nam Định", "giai đoạn 2022–2025")).await?;
    Ok(())
}
