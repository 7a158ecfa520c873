use crate::both;
use reqwest::StatusCode;
use serde_json::Value;

both!(every_write_is_audited_with_before_and_after, |app| {
    let token = app.token("admin").await;
    let c = reqwest::Client::new();
    let parent = app.org_id("Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh Nam Định").await;
    let id = app.create_tccs("admin", parent, "Đảng bộ Sở Nội vụ").await;
    let res = app.rename_tccs("admin", id, 1, "Đảng bộ Sở Nội vụ tỉnh").await;
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
    assert_eq!(items[0]["actor"], "Nguyễn Quản Trị");
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

/// The first page (up to 200 entries) of the log through the API.
async fn api_log(app: &crate::helpers::TestApp, username: &str, query: &str) -> Vec<Value> {
    let res = reqwest::Client::new().get(app.url(&format!("/api/v1/audit?limit=200{query}"))).bearer_auth(app.token(username).await).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    res.json::<Value>().await.unwrap()["items"].as_array().unwrap().clone()
}

// A national install has one root per province: an admin at one root reads
// that root's log and the shared catalogue's, never another province's.
both!(each_root_reads_only_its_own_log, |app| {
    use dienhinh_store::{exemplars, orgs, users, Actor};
    let system = Actor::system("test");
    let other = orgs::create(&app.db, &system, orgs::OrgInput { parent_id: None, kind: "tinh_uy".into(), name: "Tỉnh ủy Thái Bình".into(), short_name: "TU".into() })
        .await
        .unwrap();
    let user = |username: &str, role: &str, org_id| users::NewUser {
        username: username.into(),
        full_name: "Người thử".into(),
        position: String::new(),
        org_id,
        role: role.into(),
        password: crate::helpers::PASSWORD.into(),
    };
    users::create(&app.db, &system, user("admin.thaibinh", "admin", other.id)).await.unwrap();
    // The catalogue is shared by every province: its entries carry no node.
    exemplars::create_field(&app.db, &system, "Lĩnh vực thử chung").await.unwrap();
    for (username, parent, name) in [("admin", app.org_id("Tỉnh ủy Nam Định").await, "Đảng bộ Sở Y tế Nam Định"), ("admin.thaibinh", other.id, "Đảng bộ Sở Y tế Thái Bình")] {
        app.create_tccs(username, parent, name).await;
    }
    let paths = |items: &[Value]| items.iter().map(|e| e["org_path"].as_str().unwrap_or("").to_string()).collect::<Vec<_>>();
    let nam_dinh = app.org("Tỉnh ủy Nam Định").await.path;

    let mine = paths(&api_log(&app, "admin", "&entity=org").await);
    assert!(mine.iter().any(|p| p.starts_with(nam_dinh.as_str())));
    assert!(mine.iter().all(|p| p.starts_with(nam_dinh.as_str())), "Nam Định's admin reads only Nam Định: {mine:?}");
    let all = api_log(&app, "admin.thaibinh", "").await;
    let theirs = paths(&all);
    assert!(theirs.iter().any(|p| p.starts_with(other.path.as_str())));
    assert!(theirs.iter().all(|p| p.is_empty() || p.starts_with(other.path.as_str())), "Thái Bình's admin reads only Thái Bình: {theirs:?}");
    assert!(all.iter().any(|e| e["summary"] == "Lĩnh vực thử chung"), "a root sees the shared catalogue");
    // Below a root, the shared catalogue's entries are not shown.
    let btv = api_log(&app, "btv", "&entity=field").await;
    assert!(btv.is_empty(), "{btv:?}");

    // The page reads through the same rule.
    let (web, _) = app.sign_in("admin").await;
    let html = web.get(app.url("/audit?entity=org")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Sở Y tế Nam Định") && !html.contains("Thái Bình"));
    let (web, _) = app.sign_in("admin.thaibinh").await;
    let html = web.get(app.url("/audit")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Sở Y tế Thái Bình") && !html.contains("Nam Định"));
});
