use crate::both;
use reqwest::StatusCode;
use serde_json::{json, Value};

both!(every_write_is_audited_with_before_and_after, |app| {
    let token = app.token("admin").await;
    let c = reqwest::Client::new();
    let parent = app.org_id("Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh Nam Định").await;
    let org: Value = c
        .post(app.url("/api/v1/orgs"))
        .bearer_auth(&token)
        .json(&json!({"parent_id": parent, "kind": "tccs", "name": "Đảng bộ Sở Nội vụ"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = org["id"].as_i64().unwrap();
    let res = c
        .put(app.url(&format!("/api/v1/orgs/{id}")))
        .bearer_auth(&token)
        .json(&json!({"version": 1, "kind": "tccs", "name": "Đảng bộ Sở Nội vụ tỉnh"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let log: Value = c
        .get(app.url(&format!("/api/v1/audit?entity=org&entity_id={id}")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let items = log["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["action"], "update");
    assert_eq!(items[0]["actor"], "admin");
    assert!(items[0]["before"].as_str().unwrap().contains("Đảng bộ Sở Nội vụ\""));
    assert!(items[0]["after"].as_str().unwrap().contains("Đảng bộ Sở Nội vụ tỉnh"));
    assert_eq!(items[1]["action"], "create");
    assert!(items[1]["before"].is_null());

    // The page reads the same entries, filtered by record and by person.
    let (web, _) = app.sign_in("admin").await;
    let admin_id = dienhinh_store::users::by_username(&app.db, "admin").await.unwrap().id;
    let html = web.get(app.url(&format!("/audit?entity=org&entity_id={id}&actor_id={admin_id}"))).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Đảng bộ Sở Nội vụ tỉnh"));
    assert!(html.contains("Sửa") && html.contains("Tạo mới"));
    let html = web.get(app.url("/audit?from=2000-01-01&to=2000-01-02")).send().await.unwrap().text().await.unwrap();
    assert!(!html.contains("Đảng bộ Sở Nội vụ"), "date filter excludes");
    let bad = web.get(app.url("/audit?from=hôm-qua")).send().await.unwrap();
    assert_eq!(bad.status(), StatusCode::OK);
    assert!(bad.text().await.unwrap().contains("Ngày không hợp lệ"));

    // A TCCS officer may not read it.
    let tccs = app.token("canbo").await;
    let res = c.get(app.url("/api/v1/audit")).bearer_auth(&tccs).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
});

both!(audit_log_cannot_be_changed_even_by_sql, |app| {
    let mut tx = app.db.begin().await.unwrap();
    let update = sqlx::query("UPDATE audit_log SET actor = 'mallory'").execute(&mut *tx).await;
    assert!(update.is_err(), "UPDATE refused");
    drop(tx);
    let mut tx = app.db.begin().await.unwrap();
    let delete = sqlx::query("DELETE FROM audit_log").execute(&mut *tx).await;
    assert!(delete.is_err(), "DELETE refused");
    drop(tx);
    let page = dienhinh_store::audit::list(&app.db, &dienhinh_store::audit::AuditFilter {
        within: vec![dienhinh_domain::OrgPath("/".into())],
        ..Default::default()
    })
    .await
    .unwrap();
    assert!(!page.items.is_empty());
    assert!(page.items.iter().all(|e| e.actor != "mallory"));
});
