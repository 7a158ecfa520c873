//! The register of document numbers per committee term, on both backends,
//! called through the store; the exemplar profile as DOCX over HTTP; the
//! print stylesheet.

use crate::both;
use reqwest::StatusCode;
use std::io::Read;
use dienhinh_domain::document::{DocType, RecordedNumberInput, RegisterSettingsInput};
use dienhinh_store::register;
use dienhinh_store::{Actor, StoreError};

fn typed(doc_type: &str, number: &str) -> RecordedNumberInput {
    RecordedNumberInput { doc_type: doc_type.into(), number: number.into(), subject: "Văn bản ghi nhận".into() }
}

fn refusal(r: Result<register::DocumentNumber, StoreError>) -> (String, String) {
    let Err(StoreError::Invalid(inv)) = r else { panic!("refused expected, got {r:?}") };
    (inv.0[0].code.to_string(), inv.0[0].message.clone())
}

both!(numbers_run_per_type_over_the_term, |app| {
    let actor = Actor::system("test");
    let duk = app.org_id("Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh Nam Định").await;
    // The demo recorded 03-TTr and issued 04-TTr, recorded 15-QĐ; its 2025
    // commendation rounds recorded 45-QĐ and 46-TTr from paper, and the
    // register numbered the biên bản of their two sessions.
    let n = register::issue(&app.db, &actor, duk, DocType::ToTrinh, "Tờ trình").await.unwrap();
    assert_eq!((n.number, n.symbol.as_str()), (47, "47-TTr/ĐUK"));
    assert_eq!(register::issue(&app.db, &actor, duk, DocType::QuyetDinh, "Quyết định").await.unwrap().symbol, "46-QĐ/ĐUK");
    assert_eq!(register::issue(&app.db, &actor, duk, DocType::BienBan, "Biên bản").await.unwrap().symbol, "03-BB/ĐUK");
    // Another body's register is its own.
    let btg = app.org_id("Ban Tuyên giáo Đảng ủy Khối").await;
    assert_eq!(register::issue(&app.db, &actor, btg, DocType::ToTrinh, "Tờ trình").await.unwrap().symbol, "01-TTr/BTG");

    // A typed number already in the term is refused with the reason; a new one
    // is recorded and numbering continues after it.
    let (code, message) = refusal(register::record(&app.db, &actor, duk, &typed("qd", "15-QĐ/ĐUK")).await);
    assert_eq!((code.as_str(), message.as_str()), ("number_taken", "Số 15-QĐ/ĐUK đã được dùng trong nhiệm kỳ 2025–2030."));
    assert_eq!(refusal(register::record(&app.db, &actor, duk, &typed("ttr", "47")).await).0, "number_taken");
    assert_eq!(register::record(&app.db, &actor, duk, &typed("qd", "60")).await.unwrap().symbol, "60-QĐ/ĐUK");
    assert_eq!(register::issue(&app.db, &actor, duk, DocType::QuyetDinh, "Quyết định").await.unwrap().number, 61);

    // A new term starts every type again from 01; the old term's numbers stay.
    let reg = register::of_org(&app.db, duk).await.unwrap().unwrap();
    let next_term = RegisterSettingsInput { abbreviation: "ĐUK".into(), place: "Nam Định".into(), term_from: 2030, term_to: 2035 };
    let stale = register::set_settings(&app.db, &actor, duk, &next_term, Some(reg.version - 1)).await;
    assert!(matches!(stale, Err(StoreError::Conflict { .. })), "two people editing the settings");
    register::set_settings(&app.db, &actor, duk, &next_term, Some(reg.version)).await.unwrap();
    assert_eq!(register::issue(&app.db, &actor, duk, DocType::QuyetDinh, "Quyết định").await.unwrap().symbol, "01-QĐ/ĐUK");
    assert_eq!(register::record(&app.db, &actor, duk, &typed("qd", "15")).await.unwrap().term_from, 2030);

    // Every number is in the audit log with its symbol.
    let summaries: Vec<String> = sqlx::query_scalar("SELECT summary FROM audit_log WHERE entity = 'document_register' ORDER BY id").fetch_all(app.db.reader()).await.unwrap();
    for s in ["Do hệ thống cấp: số 47-TTr/ĐUK (Tờ trình)", "Ghi nhận từ văn bản đã ban hành: số 60-QĐ/ĐUK (Quyết định)"] {
        assert!(summaries.iter().any(|x| x == s), "{s} not in {summaries:#?}");
    }
});

both!(a_number_belongs_to_the_write_that_issued_it, |app| {
    let actor = Actor::system("test");
    let duk = app.org_id("Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh Nam Định").await;
    {
        let mut w = app.db.write(&actor).await.unwrap();
        let n = register::issue_in(&mut w, duk, DocType::BaoCao, "Báo cáo").await.unwrap();
        assert_eq!(n.symbol, "13-BC/ĐUK");
        // Dropped without commit: the document was not saved, nor its number.
    }
    assert_eq!(register::issue(&app.db, &actor, duk, DocType::BaoCao, "Báo cáo").await.unwrap().symbol, "13-BC/ĐUK");
    // Two numbers in one write follow each other.
    let mut w = app.db.write(&actor).await.unwrap();
    let a = register::issue_in(&mut w, duk, DocType::DanhSach, "Danh sách").await.unwrap();
    let b = register::issue_in(&mut w, duk, DocType::DanhSach, "Danh sách").await.unwrap();
    w.commit().await.unwrap();
    assert_eq!((a.number, b.number), (1, 2));
});

both!(concurrent_writes_never_share_a_number, |app| {
    let duk = app.org_id("Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh Nam Định").await;
    let mut tasks = vec![];
    for _ in 0..8 {
        let db = app.db.clone();
        tasks.push(tokio::spawn(async move { register::issue(&db, &Actor::system("test"), duk, DocType::ThongBao, "Thông báo").await.unwrap().number }));
    }
    let mut got = vec![];
    for t in tasks {
        got.push(t.await.unwrap());
    }
    got.sort();
    assert_eq!(got, (1..=8).collect::<Vec<_>>());
});

both!(an_org_without_a_register_is_told_so, |app| {
    let actor = Actor::system("test");
    let yte = app.org_id("Đảng bộ Sở Y tế").await;
    let (code, message) = refusal(register::issue(&app.db, &actor, yte, DocType::BaoCao, "Báo cáo").await);
    assert_eq!(code, "no_register");
    assert!(message.contains("chưa thiết lập sổ đăng ký văn bản"), "{message}");
    let bad = RegisterSettingsInput { abbreviation: "Y T".into(), place: String::new(), term_from: 2025, term_to: 2025 };
    let Err(StoreError::Invalid(inv)) = register::set_settings(&app.db, &actor, yte, &bad, None).await else { panic!() };
    assert_eq!(inv.0.len(), 3, "every field error at once: {inv:?}");
});

/// The `word/document.xml` of a DOCX, checked to be well-formed XML (what
/// Word and LibreOffice need to open it without repair).
pub fn document_xml(bytes: &[u8], what: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap_or_else(|e| panic!("{what}: not a DOCX: {e}"));
    let mut xml = String::new();
    zip.by_name("word/document.xml").unwrap_or_else(|e| panic!("{what}: {e}")).read_to_string(&mut xml).unwrap();
    let mut reader = quick_xml::Reader::from_str(&xml);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("{what}: document.xml is not well-formed at {}: {e}", reader.buffer_position()),
        }
    }
    xml
}

both!(the_profile_downloads_as_a_party_document, |app| {
    let (browser, _) = app.sign_in("canbo").await;
    let detail = browser.get(app.url("/exemplars/1")).send().await.unwrap().text().await.unwrap();
    assert!(detail.contains("href=\"/exemplars/1/profile.docx\">Tải DOCX</a>"), "a link beside print");
    let print = browser.get(app.url("/exemplars/1/print")).send().await.unwrap().text().await.unwrap();
    assert!(print.contains("/exemplars/1/profile.docx"));
    let res = browser.get(app.url("/exemplars/1/profile.docx")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    assert!(res.headers()["content-disposition"].to_str().unwrap().starts_with("attachment; filename=\"ho-so-dien-hinh-1.docx\""));
    let xml = document_xml(&res.bytes().await.unwrap(), "profile");
    let e = dienhinh_store::exemplars::get(&app.db, 1).await.unwrap();
    let org = dienhinh_store::orgs::get(&app.db, e.org_id).await.unwrap();
    for part in ["ĐẢNG CỘNG SẢN VIỆT NAM", "HỒ SƠ ĐIỂN HÌNH TIÊN TIẾN", &org.name.to_uppercase(), "Nam Định, ngày", "Đỗ Thị Ánh Tuyết"] {
        assert!(xml.contains(part), "{part} missing from the profile");
    }
    assert!(!xml.contains(">canbo<"), "the printer by full name, never by login");
    // Someone who may not see the exemplar gets the same 404 as for a missing one.
    let (outsider, _) = app.sign_in("canbo.taichinh").await;
    let unseen = outsider.get(app.url("/exemplars/1/profile.docx")).send().await.unwrap();
    let missing = outsider.get(app.url("/exemplars/999999/profile.docx")).send().await.unwrap();
    assert_eq!((unseen.status(), missing.status()), (StatusCode::NOT_FOUND, StatusCode::NOT_FOUND));
});

/// Printed, no page carries the menu: the printable profile has none, and
/// the stylesheet hides the header bar, the menu and the footer of every page.
#[tokio::test]
async fn printed_pages_have_no_menu() {
    let app = crate::helpers::TestApp::sqlite().await;
    let (browser, _) = app.sign_in("btg").await;
    let print = browser.get(app.url("/exemplars/1/print")).send().await.unwrap().text().await.unwrap();
    assert!(!print.contains("<nav") && !print.contains("class=\"top\""), "the printable profile has no menu");
    let css = browser.get(app.url("/static/app.css")).send().await.unwrap().text().await.unwrap();
    let print_rules: String = css.split("@media print").skip(1).map(|r| r.split('}').next().unwrap_or("").to_string()).collect();
    for hidden in ["header.top", "nav.main", "footer", ".no-print"] {
        assert!(print_rules.contains(hidden), "{hidden} is not hidden in print: {print_rules}");
    }
    assert!(print_rules.contains("display: none"));
}
