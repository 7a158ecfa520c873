//! Demo registers of document numbers: the bloc's Ban Thường vụ (ĐUK), its
//! Ban Tuyên giáo (BTG) and one grassroots organisation, in the 2025–2030
//! term, with numbers recorded from documents already issued on paper and
//! a few issued by the system.

use dienhinh_domain::document::{DocType, RecordedNumberInput, RegisterSettingsInput};
use dienhinh_store::register;
use dienhinh_store::{Actor, Db};
use std::collections::HashMap;

pub async fn load(db: &Db, ids: &HashMap<&'static str, i64>) -> anyhow::Result<()> {
    let actor = Actor::system("demo");
    for (key, abbreviation) in [("duk", "ĐUK"), ("btg", "BTG"), ("dienluc", "ĐU")] {
        let settings = RegisterSettingsInput { abbreviation: abbreviation.into(), place: "Nam Định".into(), term_from: 2025, term_to: 2030 };
        register::set_settings(db, &actor, ids[key], &settings, None).await?;
    }
    let recorded = |doc_type: &str, number: &str, subject: &str| RecordedNumberInput { doc_type: doc_type.into(), number: number.into(), subject: subject.into() };
    for input in [
        recorded("qd", "15-QĐ/ĐUK", "Quy chế hoạt động của Hội đồng Thi đua, Khen thưởng Đảng ủy Khối"),
        recorded("bc", "12", "Báo cáo sơ kết 6 tháng đầu năm 2025"),
        recorded("ttr", "03", "Tờ trình đề nghị khen thưởng chuyên đề năm 2025"),
    ] {
        register::record(db, &actor, ids["duk"], &input).await?;
    }
    register::issue(db, &actor, ids["duk"], DocType::ToTrinh, "Về việc đề nghị tặng Bằng khen của Chủ tịch UBND tỉnh năm 2025").await?;
    register::issue(db, &actor, ids["btg"], DocType::BaoCao, "Kết quả thực hiện Kế hoạch số 48-KH/ĐUK năm 2025").await?;
    Ok(())
}
