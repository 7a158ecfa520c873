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
