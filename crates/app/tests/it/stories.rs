//! Stories and their editorial workflow (issue 20): a writer drafts and
//! submits, an editor reviews against the checklist and publishes (which
//! records a propaganda item), returns with comments, schedules, or takes a
//! story down with a reason; unsafe Markdown and unpublishable exemplars
//! are refused.

use crate::both;
use crate::helpers::TestApp;
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn exemplar(app: &TestApp, name: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM exemplars WHERE name = $1").bind(name).fetch_one(app.db.reader()).await.unwrap()
}

async fn call(app: &TestApp, method: reqwest::Method, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
    let res = reqwest::Client::new().request(method, app.url(path)).bearer_auth(token).json(&body).send().await.unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

fn fields(b: &Value) -> Vec<String> {
    b["error"]["fields"].as_array().map(|a| a.iter().map(|f| f["field"].as_str().unwrap().to_string()).collect()).unwrap_or_default()
}

async fn items_titled(app: &TestApp, title: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM propaganda_items WHERE title = $1").bind(title).fetch_one(app.db.reader()).await.unwrap()
}

both!(a_story_goes_from_draft_to_published_in_the_browser, |app| {
    let hung = exemplar(&app, "Phạm Văn Hùng").await;
    let org = app.org_id("Đảng bộ Công ty Điện lực Nam Định").await.to_string();
    let (writer, wcsrf) = app.sign_in("canbo").await;
    // Unsafe links are refused with a clear message; what was typed stays.
    let body = "Anh Hùng [bấm vào đây](javascript:alert(1)) ![ảnh](data:image/png;base64,AAAA)";
    let res = writer
        .post(app.url("/stories"))
        .form(&[("_csrf", wcsrf.as_str()), ("org_id", &org), ("title", "Người giữ lửa"), ("body", body), ("exemplar_ids", &hung.to_string())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("Liên kết, hình ảnh chỉ được trỏ tới") && html.contains("value=\"Người giữ lửa\""), "message and title kept");
    let body = "Anh **Hùng** <script>alert(1)</script> [trang Công ty](https://npc.com.vn/a)";
    let res = writer
        .post(app.url("/stories"))
        .form(&[("_csrf", wcsrf.as_str()), ("org_id", &org), ("title", "Người giữ lửa"), ("body", body), ("exemplar_ids", &hung.to_string())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let at = res.headers()["location"].to_str().unwrap().to_string();
    let id: i64 = at.trim_start_matches("/stories/").parse().unwrap();
    let html = writer.get(app.url(&at)).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("<strong>Hùng</strong>") && html.contains("&lt;script&gt;") && !html.contains("<script>alert"), "rendered safely");
    let version = |html: &str| crate::helpers::hidden(html, "version");
    // The writer submits; they cannot publish.
    let res = writer.post(app.url(&format!("{at}/submit"))).form(&[("_csrf", wcsrf.as_str()), ("version", &version(&html))]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = writer.post(app.url(&format!("{at}/review"))).form(&[("_csrf", wcsrf.as_str()), ("decision", "dang"), ("version", "2")]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // The editor: without the checklist, refused item by item; with it, published.
    let (editor, ecsrf) = app.sign_in("btg").await;
    let html = editor.get(app.url(&at)).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Bảng kiểm trước khi đăng"));
    let v = version(&html);
    let res = editor.post(app.url(&format!("{at}/review"))).form(&[("_csrf", ecsrf.as_str()), ("decision", "dang"), ("facts_match", "1"), ("version", &v)]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("Chưa xác nhận: Người, tập thể được nêu đã đồng ý công khai."), "no publishing without consent");
    assert_eq!(items_titled(&app, "Người giữ lửa").await, 0);
    let all = [("facts_match", "1"), ("no_exaggeration", "1"), ("consent", "1"), ("images_allowed", "1")];
    let mut form: Vec<(&str, &str)> = vec![("_csrf", ecsrf.as_str()), ("decision", "dang"), ("version", &v)];
    form.extend(all);
    let res = editor.post(app.url(&format!("{at}/review"))).form(&form).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let html = editor.get(app.url(&at)).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Đã đăng") && html.contains("Gỡ bài khỏi cổng thông tin"));
    // Publishing recorded a propaganda item on the portal channel, with the exemplar.
    assert_eq!(items_titled(&app, "Người giữ lửa").await, 1);
    let token = app.token("canbo").await;
    let (_, list) = call(&app, reqwest::Method::GET, &token, &format!("/api/v1/propaganda?exemplar_id={hung}&channel=cong_thong_tin"), Value::Null).await;
    assert!(list["items"].as_array().unwrap().iter().any(|i| i["title"] == "Người giữ lửa"), "{list}");
    // Taken down: only with a reason, shown on the page.
    let v = version(&html);
    let res = editor.post(app.url(&format!("{at}/unpublish"))).form(&[("_csrf", ecsrf.as_str()), ("note", " "), ("version", &v)]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = editor.post(app.url(&format!("{at}/unpublish"))).form(&[("_csrf", ecsrf.as_str()), ("note", "Người được nêu đề nghị gỡ."), ("version", &v)]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, s) = call(&app, reqwest::Method::GET, &token, &format!("/api/v1/stories/{id}"), Value::Null).await;
    assert_eq!((s["status"].as_str(), s["unpublish_reason"].as_str()), (Some("da_go"), Some("Người được nêu đề nghị gỡ.")));
    // A second editor acting on the version they saw: a conflict, said on the page, nothing changed.
    let res = editor.post(app.url(&format!("{at}/unpublish"))).form(&[("_csrf", ecsrf.as_str()), ("note", "x"), ("version", &v)]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(res.text().await.unwrap().contains("Bài vừa được người khác thay đổi"));
});

both!(returned_scheduled_and_refused_stories_over_the_api, |app| {
    let writer = app.token("canbo").await;
    let editor = app.token("btg").await;
    let org = app.org_id("Đảng bộ Công ty Điện lực Nam Định").await;
    let post = reqwest::Method::POST;
    // A story about an exemplar that has not consented (Vũ Đức Thắng): never published.
    let thang = exemplar(&app, "Vũ Đức Thắng").await;
    let (s, st) = call(&app, post.clone(), &writer, "/api/v1/stories", json!({"org_id": org, "title": "Ba ngày sau bão", "body": "Nội dung.", "exemplar_ids": [thang]})).await;
    assert_eq!(s, StatusCode::CREATED, "{st}");
    let id = st["id"].as_i64().unwrap();
    let (_, st) = call(&app, post.clone(), &writer, &format!("/api/v1/stories/{id}/submit"), json!({"version": st["version"]})).await;
    let checklist = json!({"facts_match": true, "no_exaggeration": true, "consent": true, "images_allowed": true});
    let (s, b) = call(&app, post.clone(), &editor, &format!("/api/v1/stories/{id}/review"), json!({"decision": "dang", "checklist": checklist, "version": st["version"]})).await;
    assert_eq!((s, fields(&b)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["exemplar_ids".to_string()]), "{b}");
    assert!(b.to_string().contains("Vũ Đức Thắng"));
    // Returned with comments (required), edited, submitted again.
    let (s, b) = call(&app, post.clone(), &editor, &format!("/api/v1/stories/{id}/review"), json!({"decision": "tra_lai", "version": st["version"]})).await;
    assert_eq!((s, fields(&b)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["note".to_string()]));
    let (s, st) = call(&app, post.clone(), &editor, &format!("/api/v1/stories/{id}/review"), json!({"decision": "tra_lai", "note": "Chưa có sự đồng ý của anh Thắng.", "version": st["version"]})).await;
    assert_eq!((s, st["status"].as_str()), (StatusCode::OK, Some("tra_lai")), "{st}");
    let hung = exemplar(&app, "Phạm Văn Hùng").await;
    let (s, st) = call(&app, reqwest::Method::PUT, &writer, &format!("/api/v1/stories/{id}"),
        json!({"org_id": org, "title": "Ba ngày sau bão", "body": "Nội dung đã sửa.", "exemplar_ids": [hung], "version": st["version"]})).await;
    assert_eq!(s, StatusCode::OK, "{st}");
    let stale = st["version"].as_i64().unwrap() - 1;
    let (s, b) = call(&app, reqwest::Method::PUT, &writer, &format!("/api/v1/stories/{id}"), json!({"org_id": org, "title": "Cũ", "body": "Cũ.", "version": stale})).await;
    assert_eq!((s, b["error"]["current"]["body"].as_str()), (StatusCode::CONFLICT, Some("Nội dung đã sửa.")), "{b}");
    let (_, st) = call(&app, post.clone(), &writer, &format!("/api/v1/stories/{id}/submit"), json!({"version": st["version"]})).await;
    assert_eq!(st["status"], "cho_duyet");
    // Scheduled: not in the past; when due, the job publishes it (the schedule is in the database).
    let now = dienhinh_domain::clock::now_ms();
    let (s, b) = call(&app, post.clone(), &editor, &format!("/api/v1/stories/{id}/review"), json!({"decision": "hen_dang", "checklist": checklist, "publish_at": now - 1000, "version": st["version"]})).await;
    assert_eq!((s, fields(&b)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["publish_at".to_string()]));
    let (s, st) = call(&app, post.clone(), &editor, &format!("/api/v1/stories/{id}/review"), json!({"decision": "hen_dang", "checklist": checklist, "publish_at": now + 60_000, "version": st["version"]})).await;
    assert_eq!((s, st["status"].as_str()), (StatusCode::OK, Some("hen_dang")), "{st}");
    assert_eq!(dienhinh_store::stories::publish_due(&app.db, now).await.unwrap(), 0, "not yet due");
    let db = app.open_again().await; // as after a restart
    assert!(dienhinh_store::stories::publish_due(&db, now + 61_000).await.unwrap() >= 1);
    let (_, st) = call(&app, reqwest::Method::GET, &writer, &format!("/api/v1/stories/{id}"), Value::Null).await;
    assert_eq!(st["status"], "da_dang", "{st}");
    assert_eq!(items_titled(&app, "Ba ngày sau bão").await, 1, "publishing by the job records the item too");
    assert_eq!(dienhinh_store::stories::publish_due(&db, now + 120_000).await.unwrap(), 0, "once");
    // Another subtree does not see it; a viewer cannot write.
    let other = app.token("capuy.taichinh").await;
    assert_eq!(call(&app, reqwest::Method::GET, &other, &format!("/api/v1/stories/{id}"), Value::Null).await.0, StatusCode::NOT_FOUND);
    let viewer = app.token("xem").await;
    assert_eq!(call(&app, post.clone(), &viewer, "/api/v1/stories", json!({"org_id": org, "title": "x", "body": "y"})).await.0, StatusCode::FORBIDDEN);
});
