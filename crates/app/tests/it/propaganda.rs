//! The propaganda log (issue 20): recording items over the API and the
//! form, the exemplars they feature checked against the caller's scope, the
//! keyset-paged list, the figures per unit and year, and search.

use crate::both;
use crate::helpers::{hidden, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn exemplar(app: &TestApp, name: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM exemplars WHERE name = $1").bind(name).fetch_one(app.db.reader()).await.unwrap()
}

async fn post(app: &TestApp, token: &str, body: Value) -> (StatusCode, Value) {
    let res = reqwest::Client::new().post(app.url("/api/v1/propaganda")).bearer_auth(token).json(&body).send().await.unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn get(app: &TestApp, token: &str, path: &str) -> (StatusCode, Value) {
    let res = reqwest::Client::new().get(app.url(path)).bearer_auth(token).send().await.unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

fn fields(body: &Value) -> Vec<String> {
    body["error"]["fields"].as_array().map(|a| a.iter().map(|f| f["field"].as_str().unwrap_or("").to_string()).collect()).unwrap_or_default()
}

/// The demo's unit "Đảng bộ Công ty Điện lực" (canbo enters data there).
async fn dienluc(app: &TestApp) -> i64 {
    app.org_id("Đảng bộ Công ty Điện lực Nam Định").await
}

both!(an_item_is_recorded_listed_counted_and_found, |app| {
    let canbo = app.token("canbo").await;
    let org = dienluc(&app).await;
    let hung = exemplar(&app, "Phạm Văn Hùng").await;
    let year = dienhinh_domain::clock::current_year();
    let before: Value = get(&app, &canbo, &format!("/api/v1/figures/propaganda?year={year}")).await.1;
    let today = dienhinh_domain::clock::today_iso();
    let (s, item) = post(
        &app,
        &canbo,
        json!({"org_id": org, "item_type": "phong_su", "channel": "phat_thanh_truyen_hinh", "title": "  Người thợ điện  Xuân Trường ", "link": "", "published_on": today, "exemplar_ids": [hung, hung]}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{item}");
    assert_eq!(item["title"], "Người thợ điện Xuân Trường");
    assert_eq!(item["exemplars"].as_array().unwrap().len(), 1, "{item}");
    assert_eq!(item["exemplars"][0]["name"], "Phạm Văn Hùng");
    let id = item["id"].as_i64().unwrap();
    // Counted for its unit, channel and type in the year.
    let after: Value = get(&app, &canbo, &format!("/api/v1/figures/propaganda?year={year}")).await.1;
    assert_eq!(after["total"].as_i64().unwrap(), before["total"].as_i64().unwrap() + 1, "{after}");
    let n = |f: &Value, list: &str, code: &str| f[list].as_array().unwrap().iter().find(|r| r[0] == code).map(|r| r[2].as_i64().unwrap()).unwrap();
    assert_eq!(n(&after, "by_channel", "phat_thanh_truyen_hinh"), n(&before, "by_channel", "phat_thanh_truyen_hinh") + 1);
    assert_eq!(n(&after, "by_type", "phong_su"), n(&before, "by_type", "phong_su") + 1);
    let unit = |f: &Value| f["by_unit"].as_array().unwrap().iter().find(|u| u["org_id"] == org).map(|u| u["count"].as_i64().unwrap()).unwrap_or(0);
    assert_eq!(unit(&after), unit(&before) + 1);
    // Another subtree neither counts nor sees it.
    let other = app.token("capuy.taichinh").await;
    let theirs: Value = get(&app, &other, &format!("/api/v1/figures/propaganda?year={year}")).await.1;
    assert_eq!(unit(&theirs), 0);
    assert_eq!(get(&app, &other, &format!("/api/v1/propaganda/{id}")).await.0, StatusCode::NOT_FOUND);
    // Listed by exemplar, and found by the Vietnamese search (folded), in scope only.
    let (_, list) = get(&app, &canbo, &format!("/api/v1/propaganda?exemplar_id={hung}&year={year}")).await;
    assert!(list["items"].as_array().unwrap().iter().any(|i| i["id"] == id), "{list}");
    let (_, hits) = get(&app, &canbo, "/api/v1/search?q=nguoi%20tho%20dien&kind=propaganda").await;
    assert!(hits["items"].as_array().unwrap().iter().any(|h| h["url"] == format!("/propaganda/{id}")), "{hits}");
    let (_, hits) = get(&app, &other, "/api/v1/search?q=nguoi%20tho%20dien&kind=propaganda").await;
    assert!(hits["items"].as_array().unwrap().is_empty(), "{hits}");
    // Its page, with the exemplar linked.
    let (page, _) = app.sign_in("canbo").await;
    let html = page.get(app.url(&format!("/propaganda/{id}"))).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Người thợ điện Xuân Trường") && html.contains(&format!("/exemplars/{hung}")) && html.contains("Phát thanh – truyền hình"));
});

both!(bad_input_is_refused_field_by_field_and_unseen_exemplars_as_missing, |app| {
    let canbo = app.token("canbo").await;
    let org = dienluc(&app).await;
    let (s, b) = post(
        &app,
        &canbo,
        json!({"org_id": org, "item_type": "tin_vit", "channel": "", "title": "", "link": "javascript:alert(1)", "published_on": "2999-01-01", "exemplar_ids": []}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert_eq!(fields(&b), ["item_type", "channel", "title", "link", "published_on"]);
    for link in ["data:text/html,<script>alert(1)</script>", "/tuong-doi", "https://a.vn/x\"onmouseover=alert(1)"] {
        let (s, b) = post(&app, &canbo, json!({"org_id": org, "item_type": "tin", "channel": "trang_web", "title": "T", "link": link, "published_on": "2025-01-02"})).await;
        assert_eq!((s, fields(&b)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["link".to_string()]), "{link}: {b}");
    }
    // An exemplar of another subtree is refused exactly as one that does not exist.
    let thuha = exemplar(&app, "Nguyễn Thị Thu Hà").await;
    let body = |id: i64| json!({"org_id": org, "item_type": "tin", "channel": "trang_web", "title": "T", "published_on": "2025-01-02", "exemplar_ids": [id]});
    let (s1, unseen) = post(&app, &canbo, body(thuha)).await;
    let (s2, missing) = post(&app, &canbo, body(9_999_999)).await;
    assert_eq!((s1, s2), (StatusCode::UNPROCESSABLE_ENTITY, StatusCode::UNPROCESSABLE_ENTITY));
    assert_eq!(unseen, missing);
    assert!(!unseen.to_string().contains("Thu Hà"));
    // A unit outside the caller's scope: 404 as a missing one; nothing was saved.
    let taichinh = app.org_id("Đảng bộ Sở Tài chính").await;
    let (s, _) = post(&app, &canbo, json!({"org_id": taichinh, "item_type": "tin", "channel": "trang_web", "title": "Lạc", "published_on": "2025-01-02"})).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM propaganda_items WHERE title IN ('T', 'Lạc')").fetch_one(app.db.reader()).await.unwrap();
    assert_eq!(n, 0);
    // Query parameters out of range: 422 naming them.
    let (s, b) = get(&app, &canbo, "/api/v1/propaganda?channel=bao_tuong&year=1800&limit=0").await;
    assert_eq!((s, fields(&b)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["limit".to_string()]), "{b}");
    let (s, b) = get(&app, &canbo, "/api/v1/propaganda?channel=bao_tuong").await;
    assert_eq!((s, fields(&b)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["channel".to_string()]), "{b}");
    let (s, _) = get(&app, &canbo, "/api/v1/propaganda?year=1800").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
});

both!(the_list_pages_by_keyset_newest_first, |app| {
    let canbo = app.token("canbo").await;
    let org = dienluc(&app).await;
    let year = dienhinh_domain::clock::current_year().min(2025);
    // Two on the same day (the id breaks the tie), one earlier, one later.
    for (day, title) in [("03-01", "Ba"), ("02-01", "Hai"), ("02-01", "Hai bis"), ("04-01", "Bốn"), ("01-15", "Một")] {
        let (s, b) = post(&app, &canbo, json!({"org_id": org, "item_type": "tin", "channel": "ban_tin_noi_bo", "title": title, "published_on": format!("{year}-{day}")})).await;
        assert_eq!(s, StatusCode::CREATED, "{b}");
    }
    let mut seen = vec![];
    let mut cursor = String::new();
    for _ in 0..10 {
        let (s, page) = get(&app, &canbo, &format!("/api/v1/propaganda?year={year}&channel=ban_tin_noi_bo&limit=2&cursor={cursor}")).await;
        assert_eq!(s, StatusCode::OK, "{page}");
        seen.extend(page["items"].as_array().unwrap().iter().map(|i| (i["published_on"].as_str().unwrap().to_string(), i["title"].as_str().unwrap().to_string())));
        match page["next"].as_str() {
            Some(n) => cursor = n.to_string(),
            None => break,
        }
    }
    let titles: Vec<&str> = seen.iter().map(|(_, t)| t.as_str()).collect();
    assert_eq!(titles, ["Bốn", "Ba", "Hai bis", "Hai", "Một"], "{seen:?}");
});

both!(the_form_keeps_what_was_typed_and_finds_exemplars, |app| {
    let (page, csrf) = app.sign_in("canbo").await;
    let org = dienluc(&app).await.to_string();
    let html = page.get(app.url("/propaganda")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Ghi nhận tin, bài") && html.contains("Phát thanh – truyền hình"));
    // Search the exemplars without saving: the title typed stays.
    let res = page
        .post(app.url("/propaganda"))
        .form(&[("_csrf", csrf.as_str()), ("org_id", &org), ("title", "Gương sáng <b>ngành điện</b>"), ("exemplar_q", "pham van hung"), ("find", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    assert!(html.contains("Gương sáng &#60;b&#62;ngành điện&#60;/b&#62;"), "typed title kept, escaped");
    let hung = exemplar(&app, "Phạm Văn Hùng").await;
    assert!(html.contains(&format!("name=\"exemplar_ids\" value=\"{hung}\"")), "the exemplar found is offered");
    // Bad date and link: 422, each message beside its field, what was typed kept.
    let form = |date: &str, link: &str| {
        vec![
            ("_csrf", csrf.clone()),
            ("org_id", org.clone()),
            ("item_type", "bai_viet".to_string()),
            ("channel", "cong_thong_tin".to_string()),
            ("title", "Gương sáng ngành điện".to_string()),
            ("link", link.to_string()),
            ("published_on", date.to_string()),
            ("exemplar_ids", hung.to_string()),
        ]
    };
    let res = page.post(app.url("/propaganda")).form(&form("31/02/2025", "javascript:alert(1)")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("Ngày đăng không hợp lệ") && html.contains("http:// hoặc https://"), "messages beside the fields");
    assert!(html.contains("value=\"Gương sáng ngành điện\"") && html.contains(&format!("value=\"{hung}\" checked")), "kept");
    assert_eq!(hidden(&html, "_csrf"), csrf);
    // Then saved: to the item's page.
    let res = page.post(app.url("/propaganda")).form(&form("15/03/2025", "https://dangbokhoi.vn/guong-sang")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let to = res.headers()["location"].to_str().unwrap().to_string();
    assert!(to.starts_with("/propaganda/"), "{to}");
    let html = page.get(app.url(&to)).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("15/3/2025") && html.contains("https://dangbokhoi.vn/guong-sang") && html.contains("Phạm Văn Hùng"));
    let list = page.get(app.url("/propaganda?year=2025")).send().await.unwrap().text().await.unwrap();
    assert!(list.contains("Gương sáng ngành điện"));
    // A viewer sees the list without the form.
    let (viewer, _) = app.sign_in("xem").await;
    let html = viewer.get(app.url("/propaganda?year=2025")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Gương sáng ngành điện") && !html.contains("Ghi nhận tin, bài"));
});

async fn put(app: &TestApp, token: &str, id: i64, body: Value) -> (StatusCode, Value) {
    let res = reqwest::Client::new().put(app.url(&format!("/api/v1/propaganda/{id}"))).bearer_auth(token).json(&body).send().await.unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

both!(the_bloc_propaganda_office_records_for_the_bloc_and_its_units, |app| {
    // Spreading the exemplars is the Ban Tuyên giáo's work (plan II.3, IV.2):
    // it records items made by the bloc itself or by a unit under it.
    let btg = app.token("btg").await;
    let duk = app.org_id("Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh Nam Định").await;
    let today = dienhinh_domain::clock::today_iso();
    for org in [duk, dienluc(&app).await] {
        let (s, item) = post(&app, &btg, json!({"org_id": org, "item_type": "chuyen_muc", "channel": "cong_thong_tin", "title": "Chuyên mục gương sáng", "published_on": today})).await;
        assert_eq!(s, StatusCode::CREATED, "{item}");
        assert_eq!(item["org_id"], org);
    }
    // Above the bloc (the province) is outside its subtree: refused as unseen.
    let tinh = app.org_id("Tỉnh ủy Nam Định").await;
    let (s, body) = post(&app, &btg, json!({"org_id": tinh, "item_type": "tin", "channel": "trang_web", "title": "Tin", "published_on": today})).await;
    assert!(matches!(s, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN), "{s} {body}");
    // The same through the page: the form offers the bloc's units, and saves.
    let (page, csrf) = app.sign_in("btg").await;
    let html = page.get(app.url("/propaganda")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Ghi nhận tin, bài"), "the form is offered to the Ban Tuyên giáo");
    let res = page
        .post(app.url("/propaganda"))
        .form(&[("_csrf", csrf.as_str()), ("org_id", &duk.to_string()), ("item_type", "tin"), ("channel", "mang_xa_hoi"), ("title", "Tin của Ban Tuyên giáo"), ("published_on", &today)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    // A viewer of the bloc still may not.
    let xem = app.token("xem").await;
    assert_eq!(post(&app, &xem, json!({"org_id": duk, "item_type": "tin", "channel": "trang_web", "title": "Tin", "published_on": today})).await.0, StatusCode::FORBIDDEN);
});

both!(an_item_is_corrected_and_a_stale_correction_is_refused_clearly, |app| {
    let canbo = app.token("canbo").await;
    let org = dienluc(&app).await;
    let hung = exemplar(&app, "Phạm Văn Hùng").await;
    let today = dienhinh_domain::clock::today_iso();
    let (_, item) = post(&app, &canbo, json!({"org_id": org, "item_type": "tin", "channel": "trang_web", "title": "Tin sai chính tả", "published_on": today, "exemplar_ids": [hung]})).await;
    let id = item["id"].as_i64().unwrap();
    let v1 = item["version"].as_i64().unwrap();
    // Corrected over the API: every field but the unit, which stays.
    let other_unit = app.org_id("Đảng bộ Sở Tài chính").await;
    let fixed = json!({"version": v1, "org_id": other_unit, "item_type": "bai_viet", "channel": "bao_chi", "title": "  Tin đúng  chính tả ", "link": "https://baonamdinh.vn/a", "published_on": today, "exemplar_ids": []});
    let (s, after) = put(&app, &canbo, id, fixed.clone()).await;
    assert_eq!(s, StatusCode::OK, "{after}");
    assert_eq!((after["title"].as_str(), after["item_type"].as_str(), after["channel"].as_str()), (Some("Tin đúng chính tả"), Some("bai_viet"), Some("bao_chi")));
    assert_eq!(after["org_id"], org, "the unit stays");
    assert!(after["exemplars"].as_array().unwrap().is_empty());
    assert_eq!(after["version"].as_i64().unwrap(), v1 + 1);
    // The same version again is stale: 409 with the item as it is now, nothing changed.
    let mut stale = fixed.clone();
    stale["title"] = json!("Ghi đè lên bản mới");
    let (s, body) = put(&app, &canbo, id, stale).await;
    assert_eq!(s, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["error"]["code"], "conflict", "{body}");
    assert_eq!(body["error"]["current"]["title"], "Tin đúng chính tả", "{body}");
    assert_eq!(get(&app, &canbo, &format!("/api/v1/propaganda/{id}")).await.1["title"], "Tin đúng chính tả");
    // Bad fields: every one named, nothing saved.
    let (s, body) = put(&app, &canbo, id, json!({"version": v1 + 1, "org_id": org, "item_type": "x", "channel": "trang_web", "title": "", "link": "javascript:alert(1)", "published_on": today})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(fields(&body), ["item_type", "title", "link"], "{body}");
    // Another subtree neither sees nor corrects it (404, not 403).
    let other = app.token("capuy.taichinh").await;
    assert_eq!(put(&app, &other, id, json!({"version": v1 + 1, "org_id": org, "item_type": "tin", "channel": "trang_web", "title": "X", "published_on": today})).await.0, StatusCode::NOT_FOUND);
    // The page form: saved with a flash, then a stale save answers 409 with
    // the message, the current item, and what was typed kept.
    let (page, csrf) = app.sign_in("canbo").await;
    let html = page.get(app.url(&format!("/propaganda/{id}"))).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Sửa tin, bài") && html.contains("value=\"Tin đúng chính tả\""), "{html}");
    let version = hidden(&html, "version");
    let form = |title: &'static str, version: String| {
        vec![("_csrf", csrf.clone()), ("version", version), ("item_type", "phong_su".into()), ("channel", "bao_chi".into()), ("title", title.into()), ("published_on", today.clone()), ("exemplar_ids", hung.to_string())]
    };
    let res = page.post(app.url(&format!("/propaganda/{id}"))).form(&form("Phóng sự đã sửa", version.clone())).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let html = page.get(app.url(&format!("/propaganda/{id}"))).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Đã lưu tin, bài tuyên truyền.") && html.contains("Phóng sự đã sửa") && html.contains(&format!("/exemplars/{hung}")), "{html}");
    let res = page.post(app.url(&format!("/propaganda/{id}"))).form(&form("Bản cũ gõ lại", version)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let html = res.text().await.unwrap();
    assert!(html.contains("vừa được người khác sửa") && html.contains("value=\"Bản cũ gõ lại\""), "{html}");
    // The audit log has the correction with both images.
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE entity = 'propaganda' AND entity_id = $1 AND action = 'update'").bind(id).fetch_one(app.db.reader()).await.unwrap();
    assert_eq!(n, 2);
});
