//! The programme's rules as users meet them over HTTP (issue 23, "Rules
//! that are wrong"): who withdraws a level, what reopening does, which
//! criteria an evaluation offers and requires, which units nest where,
//! which plans a person sees, and the decisions behind steps.

use crate::both;
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn post(c: &reqwest::Client, url: String, token: &str, body: Value) -> (StatusCode, Value) {
    let res = c.post(url).bearer_auth(token).json(&body).send().await.unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn exemplar(app: &crate::helpers::TestApp, name: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM exemplars WHERE name = $1").bind(name).fetch_one(app.db.reader()).await.unwrap()
}

both!(a_level_granted_by_the_bloc_is_withdrawn_only_by_the_bloc, |app| {
    let c = reqwest::Client::new();
    let capuy = app.token("capuy").await;
    let btv = app.token("btv").await;
    // Phạm Văn Hùng (Đảng bộ Công ty Điện lực) was raised to the bloc by the Ban Thường vụ.
    let id = exemplar(&app, "Phạm Văn Hùng").await;
    let url = app.url(&format!("/api/v1/exemplars/{id}"));
    let e: Value = c.get(url.clone()).bearer_auth(&capuy).send().await.unwrap().json().await.unwrap();
    assert_eq!((e["status"].as_str(), e["level"].as_str()), (Some("nhan_rong"), Some("khoi")));
    let version = e["version"].as_i64().unwrap();
    let steps = format!("{url}/steps");
    let (s, b) = post(&c, steps.clone(), &capuy, json!({"step": "dung", "reason": "Cấp ủy đề nghị dừng", "version": version})).await;
    assert!(s == StatusCode::FORBIDDEN || s == StatusCode::UNPROCESSABLE_ENTITY, "the TCCS cấp ủy may not withdraw the bloc's level: {s} {b}");
    assert!(b.to_string().contains("Ban Thường vụ"), "{b}");
    let (s, e) = post(&c, steps.clone(), &btv, json!({"step": "dung", "reason": "Nghị quyết của Ban Thường vụ", "version": version})).await;
    assert_eq!(s, StatusCode::OK, "{e}");
    assert_eq!(e["status"], "dung");
    // Reopened by its cấp ủy: a new factor at cơ sở, to be recognised and raised again.
    let (s, e) = post(&c, steps.clone(), &capuy, json!({"step": "mo_lai", "reason": "Tiếp tục theo dõi", "version": e["version"]})).await;
    assert_eq!(s, StatusCode::OK, "{e}");
    assert_eq!((e["status"].as_str(), e["level"].as_str()), (Some("phat_hien"), Some("co_so")));
    let (page, _) = app.sign_in("capuy").await;
    let hung = page.get(app.url(&format!("/exemplars/{id}"))).send().await.unwrap().text().await.unwrap();
    assert!(hung.contains("Cấp Khối → Cơ sở"), "the timeline shows the level withdrawn");
    // The page offers a cấp ủy "Dừng" on a cơ sở exemplar, not on a province one.
    let (page, _) = app.sign_in("capuy.taichinh").await;
    let thuha = exemplar(&app, "Nguyễn Thị Thu Hà").await;
    let html = page.get(app.url(&format!("/exemplars/{thuha}"))).send().await.unwrap().text().await.unwrap();
    assert!(!html.contains("value=\"dung\""), "a province-level exemplar is not the TCCS's to drop");
});

both!(an_evaluation_offers_and_requires_the_criteria_that_apply, |app| {
    let c = reqwest::Client::new();
    let capuy = app.token("capuy").await;
    let year = dienhinh_domain::clock::current_year();
    let id = exemplar(&app, "Vũ Đức Thắng").await; // an individual of Đảng bộ Công ty Điện lực, found 2026
    let (page, csrf) = app.sign_in("capuy").await;
    let form = app.url(&format!("/exemplars/{id}/evaluations/new"));
    // The sets of his unit end in 2025: with none covering a year he can be
    // evaluated in, the page says a new set is needed and where it is made.
    {
        let html = page.get(form.clone()).send().await.unwrap().text().await.unwrap();
        assert!(html.contains("Cần một bộ tiêu chí mới") && html.contains("href=\"/catalog#tieu-chi\""), "{html}");
        assert!(!html.contains("name=\"period_year\""), "no form on a set that cannot be used");
    }
    let dienluc = app.org_id("Đảng bộ Công ty Điện lực Nam Định").await;
    let (s, set) = post(&c, app.url("/api/v1/criteria-sets"), &capuy, json!({"org_id": dienluc, "name": "Tiêu chí giai đoạn mới", "period_from": year - 1, "period_to": year + 3,
        "criteria": [
            {"code": "M.1", "applies_to": "chung", "text": "Gương mẫu chấp hành chủ trương của Đảng"},
            {"code": "M.2", "applies_to": "tap_the", "text": "Tập thể đoàn kết, nội bộ vững mạnh"},
            {"code": "M.3", "applies_to": "ca_nhan", "text": "Có sáng kiến được công nhận"}]})).await;
    assert_eq!(s, StatusCode::CREATED, "{set}");
    let ids: Vec<i64> = set["criteria"].as_array().unwrap().iter().map(|c| c["id"].as_i64().unwrap()).collect();
    let html = page.get(format!("{form}?set={}", set["id"])).send().await.unwrap().text().await.unwrap();
    // Only the criteria for everyone and for individuals, none answered, on this year.
    assert!(html.contains("M.1") && html.contains("M.3") && !html.contains("M.2"), "{html}");
    assert!(html.contains("2 tiêu chí áp dụng"), "the count is of the criteria that apply");
    assert!(!html.contains(" checked"), "no result is chosen for the evaluator");
    assert!(html.contains(&format!("<option value=\"{year}\" selected>")), "opens on this year");
    // Saved unread: every unanswered criterion is named, nothing saved.
    let before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM evaluations WHERE exemplar_id = $1").bind(id).fetch_one(app.db.reader()).await.unwrap();
    let fields = [
        ("_csrf".to_string(), csrf.clone()),
        ("criteria_set_id".into(), set["id"].to_string()),
        ("period_year".into(), year.to_string()),
        ("evaluated_on".into(), format!("{year}-01-15")),
        ("evaluator".into(), "Đảng ủy Công ty".into()),
        (format!("score_{}", ids[2]), "abc".into()),
    ];
    let res = page.post(app.url(&format!("/exemplars/{id}/evaluations"))).form(&fields).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("Tiêu chí M.1: vui lòng chọn kết quả.") && html.contains("Tiêu chí M.3: vui lòng chọn kết quả."), "{html}");
    assert!(html.contains("Tiêu chí M.3: điểm phải từ 0 đến 10."), "a score that is not a number, reported with the rest");
    // Through the API: a criterion for collectives is refused for an individual, and each one that applies is required.
    let url = app.url(&format!("/api/v1/exemplars/{id}/evaluations"));
    let body = |scores: Value| json!({"criteria_set_id": set["id"], "period_year": year, "evaluated_on": format!("{year}-01-15"), "evaluator": "Đảng ủy", "scores": scores});
    let (s, b) = post(&c, url.clone(), &capuy, body(json!([{"criterion_id": ids[0], "result": "dat"}, {"criterion_id": ids[1], "result": "dat"}]))).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<(String, i64)> = b["error"]["fields"].as_array().unwrap().iter().map(|f| (f["code"].as_str().unwrap().into(), f["item"].as_i64().unwrap())).collect();
    assert_eq!(fields, [("not_applicable".into(), ids[1]), ("required".into(), ids[2])]);
    let after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM evaluations WHERE exemplar_id = $1").bind(id).fetch_one(app.db.reader()).await.unwrap();
    assert_eq!(before, after, "nothing saved");
    let (s, ev) = post(&c, url, &capuy, body(json!([{"criterion_id": ids[0], "result": "dat"}, {"criterion_id": ids[2], "result": "chua_dat"}]))).await;
    assert_eq!(s, StatusCode::CREATED, "{ev}");
    assert_eq!(ev["met_percent"], 50);
});

both!(a_step_records_the_number_and_date_of_its_decision, |app| {
    let c = reqwest::Client::new();
    let capuy = app.token("capuy").await;
    // Trần Thị Mai Hương is being fostered by Đảng bộ Công ty Điện lực.
    let id = exemplar(&app, "Trần Thị Mai Hương").await;
    let url = app.url(&format!("/api/v1/exemplars/{id}/steps"));
    let version: i64 = sqlx::query_scalar("SELECT version FROM exemplars WHERE id = $1").bind(id).fetch_one(app.db.reader()).await.unwrap();
    // A recognition is a decision of the cấp ủy: without its number and date it is refused.
    let (s, b) = post(&c, url.clone(), &capuy, json!({"step": "cong_nhan", "reason": "Hội nghị Đảng ủy xét", "version": version})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    let fields: Vec<&str> = b["error"]["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["decision_no", "decided_on"]);
    let (s, b) = post(&c, url.clone(), &capuy, json!({"step": "cong_nhan", "reason": "Hội nghị Đảng ủy xét", "version": version,
        "decision_no": "22-NQ/ĐU", "decided_on": format!("{}-01-01", dienhinh_domain::clock::current_year() + 1)})).await;
    assert_eq!((s, b["error"]["fields"][0]["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("in_future")));
    let (s, e) = post(&c, url.clone(), &capuy, json!({"step": "cong_nhan", "reason": "Hội nghị Đảng ủy xét", "version": version,
        "decision_no": "22-NQ/ĐU", "decided_on": "2025-11-28"})).await;
    assert_eq!(s, StatusCode::OK, "{e}");
    let steps: Value = c.get(url).bearer_auth(&capuy).send().await.unwrap().json().await.unwrap();
    let last = steps["items"].as_array().unwrap().last().unwrap();
    assert_eq!((last["decision_no"].as_str(), last["decided_on"].as_str()), (Some("22-NQ/ĐU"), Some("2025-11-28")));
    // Shown in the timeline and the printed profile; the demo's steps carry theirs.
    let (page, _) = app.sign_in("capuy").await;
    for path in [format!("/exemplars/{id}"), format!("/exemplars/{id}/print")] {
        let html = page.get(app.url(&path)).send().await.unwrap().text().await.unwrap();
        assert!(html.contains("số 22-NQ/ĐU ngày 28/11/2025"), "{path}");
    }
    let hung = exemplar(&app, "Phạm Văn Hùng").await;
    let html = page.get(app.url(&format!("/exemplars/{hung}"))).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("số 12-NQ/ĐU ngày 15/3/2023") && html.contains("số 215-NQ/ĐUK ngày 20/8/2024"), "demo decisions");
});

/// The `<select name="kind">` of an org form: (offered codes, the selected one).
fn kind_choices(html: &str) -> (Vec<String>, Option<String>) {
    let start = html.find("<select name=\"kind\">").expect("a kind select");
    let select = &html[start..start + html[start..].find("</select>").unwrap()];
    let mut offered = vec![];
    let mut selected = None;
    for opt in select.split("<option value=\"").skip(1) {
        let code = opt[..opt.find('"').unwrap()].to_string();
        if opt[..opt.find('>').unwrap()].contains("selected") {
            selected = Some(code.clone());
        }
        offered.push(code);
    }
    (offered, selected)
}

both!(a_new_unit_takes_a_kind_that_belongs_under_its_parent_and_impossible_nestings_are_refused, |app| {
    use dienhinh_domain::OrgKind;
    let c = reqwest::Client::new();
    let admin = app.token("admin").await;
    let (browser, csrf) = app.sign_in("admin").await;
    let dienluc = app.org("Đảng bộ Công ty Điện lực Nam Định").await;
    let chibo = app.org("Chi bộ Phòng Kỹ thuật").await;
    let btg = app.org("Ban Tuyên giáo Đảng ủy Khối").await;
    let khoi = app.org("Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh Nam Định").await;

    // "+ Thêm đơn vị trực thuộc" under a TCCS: a chi bộ by default, only what may stand there offered.
    let html = browser.get(app.url(&format!("/orgs/new?parent_id={}", dienluc.id))).send().await.unwrap().text().await.unwrap();
    let (offered, selected) = kind_choices(&html);
    assert_eq!(selected.as_deref(), Some("chi_bo"), "{offered:?}");
    assert_eq!(offered, ["chi_bo", "don_vi", "doan_the"]);
    let html = browser.get(app.url(&format!("/orgs/new?parent_id={}", khoi.id))).send().await.unwrap().text().await.unwrap();
    assert_eq!(kind_choices(&html).1.as_deref(), Some("tccs"), "under the bloc: a TCCS");
    // A chi bộ and a Ban hold nothing: no button to add under them.
    for o in [&chibo, &btg] {
        let html = browser.get(app.url(&format!("/orgs/{}", o.id))).send().await.unwrap().text().await.unwrap();
        assert!(!html.contains("Thêm đơn vị trực thuộc"), "{}", o.name);
    }
    assert!(browser.get(app.url(&format!("/orgs/{}", dienluc.id))).send().await.unwrap().text().await.unwrap().contains("Thêm đơn vị trực thuộc"));

    // A TCCS under a TCCS is refused, on the form and the API, naming both kinds; nothing saved.
    let before = app.all_orgs().await.len();
    let pid = dienluc.id.to_string();
    let res = browser
        .post(app.url("/orgs"))
        .form(&[("_csrf", csrf.as_str()), ("parent_id", &pid), ("kind", "tccs"), ("name", "Chi bộ Phòng Kinh doanh")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("Không thể đặt «TCCS đảng» trực thuộc «TCCS đảng»"), "{html}");
    assert_eq!(kind_choices(&html).0, ["chi_bo", "don_vi", "doan_the"], "the form offers what may stand there");
    let (status, body) = post(&c, app.url("/api/v1/orgs"), &admin, json!({"parent_id": dienluc.id, "kind": "tccs", "name": "Chi bộ Phòng Kinh doanh"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["fields"][0]["field"], "kind");
    assert_eq!(body["error"]["fields"][0]["code"], "nesting");
    let (status, body) = post(&c, app.url("/api/v1/orgs"), &admin, json!({"parent_id": chibo.id, "kind": "doan_the", "name": "Chi đoàn"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body["error"]["fields"][0]["message"].as_str().unwrap().contains("«Chi bộ» không có tổ chức trực thuộc"), "{body}");
    assert_eq!(app.all_orgs().await.len(), before);
    // The kind that belongs there is saved.
    let (status, made) = post(&c, app.url("/api/v1/orgs"), &admin, json!({"parent_id": dienluc.id, "kind": "chi_bo", "name": "Chi bộ Phòng Kinh doanh"})).await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    assert_eq!(made["kind"], OrgKind::ChiBo.code());

    // Moves: a chi bộ into a Ban, a TCCS into a chi bộ of another TCCS.
    let taichinh_chibo = app.org("Chi bộ Văn phòng Sở").await;
    for (node, to) in [(&chibo, &btg), (&dienluc, &taichinh_chibo)] {
        let (status, body) = post(&c, app.url(&format!("/api/v1/orgs/{}/move", node.id)), &admin, json!({"parent_id": to.id, "version": node.version})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{} → {}: {body}", node.name, to.name);
        assert_eq!(body["error"]["fields"][0]["field"], "parent_id");
        assert_eq!(body["error"]["code"], "invalid", "{body}");
    }
    let res = browser
        .post(app.url(&format!("/orgs/{}/move", chibo.id)))
        .form(&[("_csrf", csrf.as_str()), ("parent_id", &btg.id.to_string()), ("version", &chibo.version.to_string())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Không thể đặt «Chi bộ» trực thuộc «Ban tham mưu, giúp việc»"));
    assert_eq!(app.org("Chi bộ Phòng Kỹ thuật").await.path, chibo.path, "not moved");

    // Re-kinding: a chi bộ turned into a TCCS under its TCCS, a TCCS that holds chi bộ turned into one.
    let put = |id: i64, body: Value| c.put(app.url(&format!("/api/v1/orgs/{id}"))).bearer_auth(&admin).json(&body).send();
    let res = put(chibo.id, json!({"version": chibo.version, "kind": "tccs", "name": chibo.name})).await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = put(dienluc.id, json!({"version": dienluc.version, "kind": "don_vi", "name": dienluc.name})).await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "a đơn vị holds no chi bộ");
    let res = put(chibo.id, json!({"version": chibo.version, "kind": "chi_bo", "name": "Chi bộ Phòng Kỹ thuật - An toàn"})).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "a rename keeps working");
});

/// The plan numbers in `/api/v1/plans` for `username`, walked one plan a page.
async fn plan_numbers(app: &crate::helpers::TestApp, username: &str) -> Vec<String> {
    let c = reqwest::Client::new();
    let token = app.token(username).await;
    let mut out = vec![];
    let mut cursor: Option<String> = None;
    loop {
        let mut q = vec![("limit", "1".to_string())];
        if let Some(cur) = &cursor {
            q.push(("cursor", cur.clone()));
        }
        let page: Value = c.get(app.url("/api/v1/plans")).bearer_auth(&token).query(&q).send().await.unwrap().json().await.unwrap();
        let items = page["items"].as_array().unwrap_or_else(|| panic!("{username}: {page}"));
        assert!(items.len() <= 1);
        out.extend(items.iter().map(|p| p["number"].as_str().unwrap().to_string()));
        match page["next"].as_str() {
            Some(n) => cursor = Some(n.to_string()),
            None => break,
        }
        assert!(out.len() < 50, "{username}: the cursor moves on");
    }
    out
}

both!(the_plans_list_holds_the_plans_that_bind_the_caller_and_those_issued_below, |app| {
    // Newest issued first: 09-KH/ĐU (Sở Tài chính, 05/9/2023), 15-KH/ĐU (Điện lực, 15/8/2023), 48-KH/ĐUK (bloc, 20/7/2023).
    let all = ["09-KH/ĐU", "15-KH/ĐU", "48-KH/ĐUK"];
    assert_eq!(plan_numbers(&app, "admin").await, all, "the Tỉnh ủy sees the bloc's plan and the TCCS's");
    assert_eq!(plan_numbers(&app, "btg").await, all, "the bloc sees the TCCS implementation plans under it");
    assert_eq!(plan_numbers(&app, "btv").await, all);
    assert_eq!(plan_numbers(&app, "capuy").await, ["15-KH/ĐU", "48-KH/ĐUK"], "its own and its lineage's, not a sibling's");
    assert_eq!(plan_numbers(&app, "canbo").await, ["15-KH/ĐU", "48-KH/ĐUK"]);
    assert_eq!(plan_numbers(&app, "capuy.taichinh").await, ["09-KH/ĐU", "48-KH/ĐUK"]);
    // The page shows the same, and each plan opens.
    let (browser, _) = app.sign_in("admin").await;
    let html = browser.get(app.url("/plans")).send().await.unwrap().text().await.unwrap();
    for n in all {
        assert!(html.contains(&format!("Kế hoạch số {n}")), "{n}");
    }
    let (browser, _) = app.sign_in("capuy").await;
    let html = browser.get(app.url("/plans")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Kế hoạch số 15-KH/ĐU") && !html.contains("09-KH/ĐU"));
    let c = reqwest::Client::new();
    let token = app.token("btg").await;
    let page: Value = c.get(app.url("/api/v1/plans")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    for p in page["items"].as_array().unwrap() {
        let res = c.get(app.url(&format!("/api/v1/plans/{}", p["id"]))).bearer_auth(&token).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{}", p["number"]);
    }
});
