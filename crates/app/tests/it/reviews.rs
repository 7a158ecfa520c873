//! Review reports (`store::reviews`): a TCCS drafts, sends (figures frozen,
//! number issued, in one write), is returned with comments, resends, is
//! accepted; every step kept; a later correction of a record shows as a
//! difference, never in the sent figures; the bloc's aggregate says who
//! reported. Bad input: a clear message and nothing half-saved.

use crate::both;
use crate::helpers::TestApp;
use dienhinh_domain::access::{Assignment, Role};
use dienhinh_domain::review::{ReviewStatus, ReviewStep};
use dienhinh_store::reviews::{self, NarrativeInput, ReviewInput};
use dienhinh_store::{Actor, StoreError};

fn at(role: Role, org: &dienhinh_store::orgs::Org) -> Vec<Assignment> {
    vec![Assignment { role, org_id: org.id, org_path: org.path.clone() }]
}

async fn rows(app: &TestApp, sql: &str) -> i64 {
    sqlx::Row::get(&sqlx::query(sql).fetch_one(app.db.reader()).await.unwrap(), "n")
}

fn message(e: StoreError, field: &str) -> String {
    match e {
        StoreError::Invalid(inv) => inv.for_field(field).unwrap_or_else(|| panic!("no message on {field}: {inv:?}")).to_string(),
        e => panic!("not a field error: {e:?}"),
    }
}

both!(a_report_is_drafted_sent_returned_resent_and_accepted_with_its_figures_frozen, |app| {
    let db = &app.db;
    let actor = Actor { user_id: None, name: "Kiểm thử".into() };
    // Taken in 2026, as the demo's 2025 reports are; the demo's own are at other TCCS.
    let tccs = app.org("Đảng bộ Sở Y tế").await;
    let bloc = app.org("Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh Nam Định").await;
    let (capuy, btg) = (at(Role::CapUy, &tccs), at(Role::BanTuyenGiao, &bloc));
    let input = ReviewInput { org_id: tccs.id, period_from: 2025, period_to: 2025, results: "Kết qua\u{0309}".into(), ..Default::default() };
    let r = reviews::create(db, &actor, input.clone()).await.unwrap();
    assert_eq!(r.status, ReviewStatus::Draft);
    assert_eq!(r.results, dienhinh_text::normalize("Kết qua\u{0309}"));
    // One per TCCS and period.
    let e = reviews::create(db, &actor, input.clone()).await.unwrap_err();
    assert!(message(e, "period_from").contains("đã có báo cáo năm 2025"));
    // A node that is not a TCCS drafts nothing.
    let e = reviews::create(db, &actor, ReviewInput { org_id: bloc.id, ..input.clone() }).await.unwrap_err();
    assert!(message(e, "org_id").contains("tổ chức cơ sở đảng"));
    // A period ending before it starts: said, nothing saved.
    let before = rows(&app, "SELECT COUNT(*) AS n FROM review_reports").await;
    let e = reviews::create(db, &actor, ReviewInput { period_from: 2025, period_to: 2023, ..input.clone() }).await.unwrap_err();
    assert!(message(e, "period_to").contains("trước năm bắt đầu"));
    assert_eq!(rows(&app, "SELECT COUNT(*) AS n FROM review_reports").await, before);

    // Edited while a draft; a stale version is a conflict.
    let text = NarrativeInput { results: "Phát hiện 2 điển hình mới".into(), lessons: "Bài học".into(), ..Default::default() };
    let r = reviews::edit(db, &actor, r.id, r.version, &text).await.unwrap();
    assert!(matches!(reviews::edit(db, &actor, r.id, r.version - 1, &text).await, Err(StoreError::Conflict { .. })));

    // The cán bộ drafts but does not send; a register is needed to number it.
    let e = reviews::step(db, &actor, &at(Role::CanBoTccs, &tccs), r.id, r.version, ReviewStep::Submit, "").await.unwrap_err();
    assert!(message(e, "step").contains("không có quyền"));
    let e = reviews::step(db, &actor, &capuy, r.id, r.version, ReviewStep::Submit, "").await.unwrap_err();
    assert!(message(e, "org_id").contains("sổ đăng ký văn bản"));
    assert_eq!(reviews::get(db, r.id).await.unwrap().status, ReviewStatus::Draft, "nothing half-saved");
    assert_eq!(rows(&app, &format!("SELECT COUNT(*) AS n FROM review_figures WHERE report_id = {}", r.id)).await, 0);
    let settings = dienhinh_domain::document::RegisterSettingsInput { abbreviation: "ĐU".into(), place: "Nam Định".into(), term_from: 2025, term_to: 2030 };
    dienhinh_store::register::set_settings(db, &actor, tccs.id, &settings, None).await.unwrap();

    let sent = reviews::step(db, &actor, &capuy, r.id, r.version, ReviewStep::Submit, "").await.unwrap();
    assert_eq!(sent.status, ReviewStatus::Submitted);
    let symbol = sent.symbol.clone().expect("numbered when sent");
    assert_eq!(symbol, "01-BC/ĐU");
    let now = dienhinh_store::figures::for_period(db, &tccs, sent.period()).await.unwrap();
    let frozen = reviews::frozen(db, r.id).await.unwrap();
    assert_eq!(frozen.len(), now.tables.iter().map(|t| t.rows.len()).sum::<usize>());
    assert!(reviews::differences(&frozen, &now).is_empty());

    // Sent: not edited, not sent twice.
    let e = reviews::edit(db, &actor, sent.id, sent.version, &text).await.unwrap_err();
    assert!(message(e, "status").contains("không sửa được"));
    let e = reviews::step(db, &actor, &capuy, sent.id, sent.version, ReviewStep::Submit, "").await.unwrap_err();
    assert!(message(e, "step").contains("đã được gửi"));

    // A record corrected later: the sent figures stay, the difference shows.
    let found_before = frozen.iter().find(|f| f.table_key == "exemplars_by_kind" && f.row_code == "tap_the").unwrap().count;
    let ex = dienhinh_domain::exemplar::ExemplarInput { org_id: tccs.id, kind: "tap_the".into(), name: "Khoa Khám bệnh".into(), year_found: 2025, ..Default::default() };
    dienhinh_store::exemplars::create(db, &actor, ex).await.unwrap();
    let now = dienhinh_store::figures::for_period(db, &tccs, sent.period()).await.unwrap();
    let d = reviews::differences(&reviews::frozen(db, r.id).await.unwrap(), &now);
    let kind = d.iter().find(|d| d.difference.table == "exemplars_by_kind").expect("the new exemplar shows");
    assert_eq!((kind.difference.frozen, kind.difference.now), (found_before, found_before + 1));
    assert_eq!(kind.label, dienhinh_domain::exemplar::ExemplarKind::TapThe.label());

    // Returned only with comments; then editable again, resent with the same number.
    let e = reviews::step(db, &actor, &btg, sent.id, sent.version, ReviewStep::Return, "  ").await.unwrap_err();
    assert!(message(e, "comment").contains("ý kiến"));
    let back = reviews::step(db, &actor, &btg, sent.id, sent.version, ReviewStep::Return, "Bổ sung số liệu nhân rộng").await.unwrap();
    assert_eq!(back.status, ReviewStatus::Returned);
    let back = reviews::edit(db, &actor, back.id, back.version, &NarrativeInput { results: "Đã bổ sung".into(), ..text }).await.unwrap();
    let again = reviews::step(db, &actor, &capuy, back.id, back.version, ReviewStep::Submit, "").await.unwrap();
    assert_eq!(again.symbol.as_deref(), Some(symbol.as_str()), "numbered once");
    assert!(reviews::differences(&reviews::frozen(db, r.id).await.unwrap(), &now).is_empty(), "re-frozen when resent");
    let done = reviews::step(db, &actor, &btg, again.id, again.version, ReviewStep::Accept, "").await.unwrap();
    assert_eq!(done.status, ReviewStatus::Accepted);
    let e = reviews::step(db, &actor, &btg, done.id, done.version, ReviewStep::Return, "x").await.unwrap_err();
    assert!(message(e, "step").contains("đã được tiếp nhận"));

    let history = reviews::steps(db, r.id).await.unwrap();
    let taken: Vec<_> = history.iter().map(|s| s.step).collect();
    assert_eq!(taken, [ReviewStep::Submit, ReviewStep::Return, ReviewStep::Submit, ReviewStep::Accept]);
    assert_eq!(history[1].comment, "Bổ sung số liệu nhân rộng");
    assert_eq!(rows(&app, &format!("SELECT COUNT(*) AS n FROM document_numbers WHERE org_path = '{}'", tccs.path.as_str())).await, 1, "one number");
    let audited = rows(&app, &format!("SELECT COUNT(*) AS n FROM audit_log WHERE entity = 'review' AND entity_id = {}", r.id)).await;
    assert_eq!(audited, 1 + 2 + 4, "create, two edits, four steps");
});

both!(the_bloc_aggregate_says_who_reported_and_compares_with_the_period_before, |app| {
    let db = &app.db;
    let actor = Actor { user_id: None, name: "Kiểm thử".into() };
    let bloc = app.org("Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh Nam Định").await;
    // A period the demo has no report for.
    let period = dienhinh_domain::period::Period::year(2024);
    let tccs = app.org("Đảng bộ Sở Giáo dục và Đào tạo").await;
    reviews::create(db, &actor, ReviewInput { org_id: tccs.id, period_from: 2024, period_to: 2024, ..Default::default() }).await.unwrap();
    let a = reviews::aggregate(db, &bloc, period).await.unwrap();
    let all_tccs = rows(&app, &format!("SELECT COUNT(*) AS n FROM orgs WHERE kind = 'tccs' AND path LIKE '{}%'", bloc.path.as_str())).await;
    assert_eq!(a.counts.tccs, all_tccs);
    assert_eq!(a.counts.draft, 1);
    assert_eq!(a.counts.none, all_tccs - 1);
    assert_eq!(a.counts.not_sent(), all_tccs);
    assert_eq!(a.units.len() as i64, all_tccs);
    assert_eq!(a.units.iter().find(|u| u.org_id == tccs.id).unwrap().status, Some(ReviewStatus::Draft));
    assert_eq!(a.earlier.period, dienhinh_domain::period::Period::year(2023));
    assert_eq!(reviews::earlier(dienhinh_domain::period::Period::programme()), dienhinh_domain::period::Period { from: 2018, to: 2021 });
    let now = dienhinh_store::figures::for_period(db, &bloc, period).await.unwrap();
    assert_eq!(a.figures.exemplars_found, now.exemplars_found);
    // A TCCS of another tree is not counted under this bloc.
    let chibo = app.org("Chi bộ Khoa Nội tổng hợp").await;
    let below = reviews::aggregate(db, &chibo, period).await.unwrap();
    assert_eq!(below.counts.tccs, 0);
});

both!(pages_and_api_show_the_reports_and_say_what_is_wrong, |app| {
    use reqwest::StatusCode;
    use serde_json::{json, Value};
    let (web, csrf) = app.sign_in("canbo.taichinh").await;
    let taichinh = app.org("Đảng bộ Sở Tài chính").await;
    // A period ending before it starts: said on its field, what was typed kept, nothing saved.
    let before = rows(&app, "SELECT COUNT(*) AS n FROM review_reports").await;
    let org = taichinh.id.to_string();
    let res = web.post(app.url("/reviews")).form(&[("_csrf", csrf.as_str()), ("org_id", &org), ("period_from", "2025"), ("period_to", "2021")]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("Năm kết thúc (2021) trước năm bắt đầu (2025)."), "{html}");
    assert!(html.contains("value=\"2021\""));
    // The demo's 2025 report exists: a second one is a clear conflict.
    let res = web.post(app.url("/reviews")).form(&[("_csrf", csrf.as_str()), ("org_id", &org), ("period_from", "2025"), ("period_to", "2025")]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Đơn vị đã có báo cáo năm 2025"));
    assert_eq!(rows(&app, "SELECT COUNT(*) AS n FROM review_reports").await, before);
    // A period with no data: drafted, and the page says so.
    let res = web.post(app.url("/reviews")).form(&[("_csrf", csrf.as_str()), ("org_id", &org), ("period_from", "1990"), ("period_to", "1990")]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let at = res.headers()["location"].to_str().unwrap().to_string();
    let html = web.get(app.url(&at)).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Trong kỳ chưa có số liệu nào được ghi nhận."), "{html}");

    // The returned report: its comment in the history, its narrative editable.
    let returned: i64 = sqlx::query_scalar("SELECT id FROM review_reports WHERE org_id = $1 AND period_from = 2025").bind(taichinh.id).fetch_one(app.db.reader()).await.unwrap();
    let html = web.get(app.url(&format!("/reviews/{returned}"))).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Đề nghị bổ sung kết quả nhân rộng"));
    assert!(html.contains("name=\"results\""));
    // The list: total, and the bloc's aggregate with who has not sent.
    let (bloc_web, _) = app.sign_in("btg").await;
    let html = bloc_web.get(app.url("/reviews?from=2025&to=2025")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("4 báo cáo"), "{html}");
    let html = bloc_web.get(app.url("/reviews?from=2025&to=2021")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("trước năm bắt đầu"));

    // The API: a sent report's detail with frozen figures and what changed since.
    let token = app.token("btg").await;
    let api = reqwest::Client::new();
    let dienluc = app.org("Đảng bộ Công ty Điện lực Nam Định").await;
    let sent: i64 = sqlx::query_scalar("SELECT id FROM review_reports WHERE org_id = $1 AND period_from = 2025").bind(dienluc.id).fetch_one(app.db.reader()).await.unwrap();
    let ex = dienhinh_domain::exemplar::ExemplarInput { org_id: dienluc.id, kind: "ca_nhan".into(), name: "Nguyễn Văn Sửa".into(), year_found: 2025, ..Default::default() };
    dienhinh_store::exemplars::create(&app.db, &Actor::system("test"), ex).await.unwrap();
    let d: Value = api.get(app.url(&format!("/api/v1/reviews/{sent}"))).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    assert_eq!(d["frozen"], true);
    assert_eq!(d["report"]["symbol"], "01-BC/ĐU");
    let changed = d["differences"].as_array().unwrap();
    assert!(changed.iter().any(|x| x["table"] == "exemplars_by_kind" && x["code"] == "ca_nhan" && x["now"].as_i64().unwrap() == x["frozen"].as_i64().unwrap() + 1), "{d}");
    let html = bloc_web.get(app.url(&format!("/reviews/{sent}"))).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Số liệu đã thay đổi sau khi gửi"));
    // Sending twice through the API: a clear message.
    let v = d["report"]["version"].as_i64().unwrap();
    let capuy = app.token("capuy").await;
    let res = api.post(app.url(&format!("/api/v1/reviews/{sent}/submit"))).bearer_auth(&capuy).json(&json!({"version": v})).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("đã được gửi"));
    // Editing a sent report: refused, nothing changed.
    let res = api.put(app.url(&format!("/api/v1/reviews/{sent}"))).bearer_auth(&capuy).json(&json!({"version": v, "results": "Sửa sau khi gửi"})).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_ne!(reviews::get(&app.db, sent).await.unwrap().results, "Sửa sau khi gửi");
    // The aggregate: the demo's 2025 (one accepted, one sent, one returned, one draft, the rest not begun).
    let bloc = app.org("Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh Nam Định").await;
    let a: Value = api.get(app.url(&format!("/api/v1/reviews/aggregate?node={}&from=2025&to=2025", bloc.id))).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    assert_eq!((a["counts"]["accepted"].as_i64(), a["counts"]["submitted"].as_i64(), a["counts"]["returned"].as_i64(), a["counts"]["draft"].as_i64()), (Some(1), Some(1), Some(1), Some(1)));
    assert_eq!(a["earlier"]["period"]["from"], 2024);
    let res = api.get(app.url(&format!("/api/v1/reviews/aggregate?node={}&from=2025&to=2024", bloc.id))).bearer_auth(&token).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // A node outside the caller's scope: refused exactly as a missing one.
    let tc = app.token("canbo.taichinh").await;
    let hidden = api.get(app.url(&format!("/api/v1/reviews/aggregate?node={}", dienluc.id))).bearer_auth(&tc).send().await.unwrap();
    let missing = api.get(app.url("/api/v1/reviews/aggregate?node=987654")).bearer_auth(&tc).send().await.unwrap();
    assert_eq!((hidden.status(), missing.status()), (StatusCode::NOT_FOUND, StatusCode::NOT_FOUND));
    assert_eq!(hidden.text().await.unwrap(), missing.text().await.unwrap());
});

/// The demo's review documents: the sent report of Điện lực (numbered, its
/// frozen figures), the returned one, the 2022–2025 draft, and the bloc's
/// 2025 report and 2022–2025 final review, as (what, bytes).
async fn review_documents(app: &TestApp) -> Vec<(String, Vec<u8>)> {
    let (web, _) = app.sign_in("btg").await;
    let bloc = app.org_id("Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh Nam Định").await;
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM review_reports ORDER BY id").fetch_all(app.db.reader()).await.unwrap();
    let mut paths: Vec<String> = ids.iter().map(|id| format!("/reviews/{id}/report.docx")).collect();
    paths.push(format!("/reviews/aggregate/report.docx?node={bloc}&from=2025&to=2025"));
    paths.push(format!("/reviews/aggregate/report.docx?node={bloc}&from=2022&to=2025"));
    let mut out = vec![];
    for p in paths {
        let res = web.get(app.url(&p)).send().await.unwrap();
        assert_eq!(res.status(), reqwest::StatusCode::OK, "{p}");
        out.push((p, res.bytes().await.unwrap().to_vec()));
    }
    out
}

both!(the_report_documents_carry_the_number_and_the_frozen_figures, |app| {
    let docs = review_documents(&app).await;
    let dienluc = app.org_id("Đảng bộ Công ty Điện lực Nam Định").await;
    let sent: i64 = sqlx::query_scalar("SELECT id FROM review_reports WHERE org_id = $1 AND period_from = 2025").bind(dienluc).fetch_one(app.db.reader()).await.unwrap();
    let xml = |what: &str| crate::documents::document_xml(&docs.iter().find(|(p, _)| p.starts_with(what)).unwrap().1, what);
    let sent_xml = xml(&format!("/reviews/{sent}/"));
    assert!(sent_xml.contains("01-BC/ĐU"), "the number from the register");
    assert!(sent_xml.contains("Sơ kết công tác phát hiện"));
    assert!(sent_xml.contains("KẾT QUẢ ĐẠT ĐƯỢC") && sent_xml.contains("BÀI HỌC KINH NGHIỆM"));
    // A later record does not change the sent report's document.
    let ex = dienhinh_domain::exemplar::ExemplarInput { org_id: dienluc, kind: "tap_the".into(), name: "Tổ Quản lý khách hàng".into(), year_found: 2025, ..Default::default() };
    dienhinh_store::exemplars::create(&app.db, &Actor::system("test"), ex).await.unwrap();
    let again = review_documents(&app).await;
    let again_xml = crate::documents::document_xml(&again.iter().find(|(p, _)| p.starts_with(&format!("/reviews/{sent}/"))).unwrap().1, "again");
    assert_eq!(again_xml, sent_xml, "the frozen figures, whatever was recorded since");
    let bloc_xml = xml("/reviews/aggregate/report.docx?node=");
    assert!(bloc_xml.contains("Chưa lập báo cáo") && bloc_xml.contains("Đã được tiếp nhận"));
    assert!(docs.iter().any(|(p, b)| p.contains("from=2022") && crate::documents::document_xml(b, p).contains("Tổng kết công tác")));
});

/// Every review document converts to PDF in LibreOffice headless (opens
/// without repair). Ignored like the other LibreOffice tests.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "LibreOffice: run with --run-ignored (CI installs libreoffice-writer-nogui)"]
async fn review_documents_convert_to_pdf() {
    let app = TestApp::sqlite().await;
    let dir = crate::helpers::tempdir::TempDir::new();
    for (i, (path, bytes)) in review_documents(&app).await.into_iter().enumerate() {
        let file = dir.0.join(format!("review-{i:02}.docx"));
        std::fs::write(&file, bytes).unwrap();
        let out = std::process::Command::new("soffice")
            .arg(format!("-env:UserInstallation=file://{}/profile", dir.0.display()))
            .args(["--headless", "--norestore", "--convert-to", "pdf", "--outdir"])
            .arg(&dir.0)
            .arg(&file)
            .output()
            .expect("soffice is not installed");
        let pdf = file.with_extension("pdf");
        assert!(out.status.success() && pdf.exists(), "{path}: {}", String::from_utf8_lossy(&out.stderr));
        if let Ok(png) = std::env::var("DIENHINH_DOC_PNG_DIR") {
            std::fs::create_dir_all(&png).unwrap();
            std::process::Command::new("pdftoppm").args(["-png", "-r", "60"]).arg(&pdf).arg(std::path::Path::new(&png).join(file.file_stem().unwrap())).status().unwrap();
        }
    }
}
