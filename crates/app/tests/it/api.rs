use crate::both;
use reqwest::StatusCode;
use serde_json::{json, Value};

const DUK: &str = "Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh Nam Định";

both!(bearer_token_reaches_the_api, |app| {
    let token = app.token("btg").await;
    let c = reqwest::Client::new();
    let me: Value = c.get(app.url("/api/v1/me")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    assert_eq!(me["username"], "btg");
    assert_eq!(me["roles"][0]["role"], "ban_tuyen_giao");
    let orgs: Value = c.get(app.url("/api/v1/orgs?limit=5")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    assert_eq!(orgs["items"].as_array().unwrap().len(), 5);
    assert!(orgs["next"].is_string());
    let bad = c.get(app.url("/api/v1/me")).bearer_auth("dh_wrong").send().await.unwrap();
    assert_eq!(bad.status(), StatusCode::UNAUTHORIZED);
    let body: Value = bad.json().await.unwrap();
    assert_eq!(body["error"]["code"], "unauthorized");
});

both!(session_api_writes_need_the_csrf_header, |app| {
    let (c, csrf) = app.sign_in("admin").await;
    let parent = app.org_id(DUK).await;
    let body = json!({"parent_id": parent, "kind": "tccs", "name": "Đảng bộ Sở Xây dựng"});
    let res = c.post(app.url("/api/v1/orgs")).json(&body).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = c.post(app.url("/api/v1/orgs")).header("x-csrf-token", &csrf).json(&body).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
});

both!(orgs_crud_conflict_and_move_over_api, |app| {
    let token = app.token("admin").await;
    let c = reqwest::Client::new();
    let parent = app.org_id(DUK).await;
    let res = c
        .post(app.url("/api/v1/orgs"))
        .bearer_auth(&token)
        .json(&json!({"parent_id": parent, "kind": "tccs", "name": "  Đảng bộ   Sở Xây dựng "}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let org: Value = res.json().await.unwrap();
    assert_eq!(org["name"], "Đảng bộ Sở Xây dựng", "whitespace normalised");
    let id = org["id"].as_i64().unwrap();
    // Two editors read version 1; the second save is refused with the current record.
    let first = app.rename_tccs("admin", id, 1, "Đảng bộ Sở Xây dựng tỉnh").await;
    assert_eq!(first.status(), StatusCode::OK);
    let second = app.rename_tccs("admin", id, 1, "Tên khác").await;
    assert_eq!(second.status(), StatusCode::CONFLICT);
    let body: Value = second.json().await.unwrap();
    assert_eq!(body["error"]["code"], "conflict");
    assert_eq!(body["error"]["current"]["name"], "Đảng bộ Sở Xây dựng tỉnh");
    // Move under another node; its path follows and the history keeps the move.
    // A TCCS may stand under the Tỉnh ủy as under the bloc (`OrgKind::may_hold`).
    let target = app.org_id("Tỉnh ủy Nam Định").await;
    let moved: Value = c
        .post(app.url(&format!("/api/v1/orgs/{id}/move")))
        .bearer_auth(&token)
        .json(&json!({"parent_id": target, "version": 2}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(moved["parent_id"], target);
    assert!(moved["path"].as_str().unwrap().ends_with(&format!("/{target}/{id}/")));
});

both!(bad_input_gets_stable_codes, |app| {
    let token = app.token("admin").await;
    let c = reqwest::Client::new();
    let parent = app.org_id(DUK).await;
    let malformed = c
        .post(app.url("/api/v1/orgs"))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(malformed.status(), StatusCode::BAD_REQUEST);
    assert_eq!(malformed.json::<Value>().await.unwrap()["error"]["code"], "bad_request");
    let missing = c
        .post(app.url("/api/v1/orgs"))
        .bearer_auth(&token)
        .json(&json!({"parent_id": parent, "kind": "tccs", "name": "   "}))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = missing.json().await.unwrap();
    assert_eq!(body["error"]["code"], "invalid");
    assert_eq!(body["error"]["fields"][0]["field"], "name");
    assert_eq!(body["error"]["fields"][0]["code"], "required");
    let dup = c
        .post(app.url("/api/v1/users"))
        .bearer_auth(&token)
        .json(&json!({"username": "BTG", "full_name": "Ai Đó", "org_id": parent, "role": "nguoi_xem", "password": "mat-khau-du-dai"}))
        .send()
        .await
        .unwrap();
    assert_eq!(dup.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = dup.json().await.unwrap();
    assert_eq!(body["error"]["fields"][0]["code"], "taken");
    let unknown = c.get(app.url("/api/v1/orgs/999999")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    let not_a_number = c.get(app.url("/api/v1/orgs/abc")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(not_a_number.status(), StatusCode::NOT_FOUND);
    let bad_query = c.get(app.url("/api/v1/orgs?limit=many")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(bad_query.status(), StatusCode::BAD_REQUEST);
});

both!(ui_form_keeps_what_was_typed, |app| {
    let (c, csrf) = app.sign_in("admin").await;
    let parent = app.org_id(DUK).await.to_string();
    let res = c
        .post(app.url("/users"))
        .form(&[("_csrf", csrf.as_str()), ("username", "a b"), ("full_name", "Nguyễn Thị Hoà"), ("org_id", parent.as_str()), ("role", "nguoi_xem"), ("password", "123")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("value=\"Nguyễn Thị Hoà\""), "typed name kept as typed");
    assert!(html.contains("value=\"a b\""));
    assert!(html.contains("Tên đăng nhập gồm 3–32 ký tự"));
    assert!(html.contains("Mật khẩu phải có ít nhất 8 ký tự."));
});

both!(openapi_document_lists_the_api, |app| {
    let doc: Value = reqwest::get(app.url("/api/openapi.json")).await.unwrap().json().await.unwrap();
    let paths = doc["paths"].as_object().unwrap();
    for p in ["/api/v1/me", "/api/v1/orgs", "/api/v1/orgs/{id}", "/api/v1/users", "/api/v1/audit"] {
        assert!(paths.contains_key(p), "{p} documented");
    }
    // Every API route in the route table is documented.
    for spec in dienhinh_web::routes::specs() {
        if spec.path.starts_with("/api/v1/") {
            let m = spec.method.as_str().to_lowercase();
            assert!(doc["paths"][spec.path][&m].is_object(), "{} {} missing from OpenAPI", spec.method, spec.path);
        }
    }
});

/// Ids of the rows of `table` whose `column` lies in the subtree at `path`.
async fn ids_within(db: &dienhinh_store::Db, table: &str, column: &str, path: &str) -> Vec<i64> {
    let p = dienhinh_domain::OrgPath(path.into());
    let sql = format!("SELECT id FROM {table} WHERE {column} >= $1 AND {column} < $2 ORDER BY id");
    sqlx::query_scalar(&sql).bind(p.as_str()).bind(p.subtree_upper_bound()).fetch_all(db.reader()).await.unwrap()
}

// A move rewrites the copies of the path kept by every record under the node
// (checked in the database), so the new subtree's officers see them.
both!(moving_an_org_carries_its_exemplar_records_along, |app| {
    let dienluc = app.org("Đảng bộ Công ty Điện lực Nam Định").await;
    // The province splits off a bloc of enterprises, with its own cấp ủy; the
    // company's TCCS moves there (a TCCS stands under a bloc: `OrgKind::may_hold`).
    let system = dienhinh_store::Actor::system("test");
    let tinh = app.org("Tỉnh ủy Nam Định").await;
    let input = dienhinh_store::orgs::OrgInput { parent_id: Some(tinh.id), kind: "dang_uy_khoi".into(), name: "Đảng ủy Khối Doanh nghiệp tỉnh".into(), short_name: String::new() };
    let bloc = dienhinh_store::orgs::create(&app.db, &system, input).await.unwrap();
    let input = dienhinh_store::users::NewUser { username: "capuy.dn".into(), full_name: "Cấp ủy Khối Doanh nghiệp".into(), position: String::new(), org_id: bloc.id, role: "cap_uy".into(), password: "mat-khau-dai-du-1".into() };
    dienhinh_store::users::create(&app.db, &system, input).await.unwrap();
    let hung: i64 = sqlx::query_scalar("SELECT id FROM exemplars WHERE name = 'Phạm Văn Hùng'").fetch_one(app.db.reader()).await.unwrap();
    let officer = app.token("capuy.dn").await;
    let c = reqwest::Client::new();
    let seen = || c.get(app.url(&format!("/api/v1/exemplars/{hung}"))).bearer_auth(&officer).send();
    assert_eq!(seen().await.unwrap().status(), StatusCode::NOT_FOUND, "another unit's exemplar");
    let tables = [
        ("exemplars", "org_path"),
        ("fostering_items", "org_path"),
        ("evaluations", "org_path"),
        ("replications", "org_path"),
        ("replications", "adopter_org_path"),
        ("study_visits", "org_path"),
        ("annual_models", "org_path"),
        ("attachments", "org_path"),
        ("search_docs", "org_path"),
    ];
    let mut before = vec![];
    for (table, column) in tables {
        let ids = ids_within(&app.db, table, column, dienluc.path.as_str()).await;
        assert!(!ids.is_empty(), "the demo has {table} under {}", dienluc.name);
        before.push(ids);
    }
    let res = c
        .post(app.url(&format!("/api/v1/orgs/{}/move", dienluc.id)))
        .bearer_auth(app.token("admin").await)
        .json(&json!({"parent_id": bloc.id, "version": dienluc.version}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let moved = res.json::<Value>().await.unwrap()["path"].as_str().unwrap().to_string();
    for ((table, column), ids) in tables.into_iter().zip(before) {
        assert_eq!(ids_within(&app.db, table, column, &moved).await, ids, "{table}.{column} under the new path");
        assert!(ids_within(&app.db, table, column, dienluc.path.as_str()).await.is_empty(), "{table}.{column} left at the old path");
    }
    assert_eq!(seen().await.unwrap().status(), StatusCode::OK, "now within the officer's subtree");
});

// Out-of-range query parameters are refused with 422 naming the parameter,
// never clamped or ignored; every list answers `{items, next}`; a refused
// body or query string answers Vietnamese with a stable code, never the
// library's English text.
both!(api_refuses_what_the_document_does_not_allow, |app| {
    let token = app.token("capuy").await;
    let c = reqwest::Client::new();
    let get = |path: String| c.get(app.url(&path)).bearer_auth(&token).send();
    for (path, param) in [
        ("/api/v1/exemplars?limit=201", "limit"),
        ("/api/v1/exemplars?limit=0", "limit"),
        ("/api/v1/orgs?limit=1000", "limit"),
        ("/api/v1/users?cursor=garbage", "cursor"),
        ("/api/v1/search?q=a&limit=500", "limit"),
        ("/api/v1/search?q=a&cursor=zz.1", "cursor"),
        ("/api/v1/models?year=3000", "year"),
        ("/api/v1/exemplars?year=1000", "year"),
        ("/api/v1/exemplars?status=khong_co", "status"),
        ("/api/v1/orgs?kind=khong_co", "kind"),
    ] {
        let res = get(path.to_string()).await.unwrap();
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{path}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["error"]["code"], "invalid", "{path}");
        assert_eq!(body["error"]["fields"][0]["field"], param, "{path}");
    }
    let first: Value = get("/api/v1/orgs?limit=2".into()).await.unwrap().json().await.unwrap();
    let next = first["next"].as_str().unwrap().to_string();
    assert_eq!(get(format!("/api/v1/orgs?limit=200&cursor={next}")).await.unwrap().status(), StatusCode::OK, "the API's own cursor");

    let e: i64 = sqlx::query_scalar("SELECT MIN(id) FROM exemplars").fetch_one(app.db.reader()).await.unwrap();
    let m: i64 = sqlx::query_scalar("SELECT MIN(year) FROM annual_models").fetch_one(app.db.reader()).await.unwrap();
    for path in [
        "/api/v1/plans".to_string(), "/api/v1/fields".into(), "/api/v1/movements".into(), format!("/api/v1/models?year={m}"),
        format!("/api/v1/exemplars/{e}/steps"), format!("/api/v1/exemplars/{e}/fostering"), format!("/api/v1/exemplars/{e}/evaluations"),
        format!("/api/v1/exemplars/{e}/replications"), format!("/api/v1/exemplars/{e}/visits"), format!("/api/v1/exemplars/{e}/attachments"),
    ] {
        let res = get(path.clone()).await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        let body: Value = res.json().await.unwrap();
        assert!(body["items"].is_array() && body.as_object().unwrap().contains_key("next"), "{path}: {body}");
    }

    let english = ["expected", "missing field", "line", "column", "Failed", "invalid type", "Expected request"];
    let url = app.url(&format!("/api/v1/exemplars/{e}/steps"));
    for (content_type, body, status) in [
        ("application/json", "{\"step\": ", StatusCode::BAD_REQUEST),
        ("application/json", "{\"step\": 5}", StatusCode::BAD_REQUEST),
        ("text/plain", "{}", StatusCode::UNSUPPORTED_MEDIA_TYPE),
    ] {
        let res = c.post(url.clone()).bearer_auth(&token).header("content-type", content_type).body(body).send().await.unwrap();
        assert_eq!(res.status(), status, "{body}");
        let err: Value = res.json().await.unwrap();
        let message = err["error"]["message"].as_str().unwrap();
        assert!(!english.iter().any(|w| message.contains(w)), "{body}: {message}");
    }
    let res = get("/api/v1/exemplars?year=abc".into()).await.unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let message = res.json::<Value>().await.unwrap()["error"]["message"].as_str().unwrap().to_string();
    assert!(!english.iter().any(|w| message.contains(w)) && !message.contains("invalid digit"), "{message}");
    let res = c.post(app.url(&format!("/api/v1/exemplars/{e}/attachments"))).bearer_auth(&token).json(&json!({})).send().await.unwrap();
    // The issue names the code: an upload that is not multipart is a bad request.
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert_eq!(res.json::<Value>().await.unwrap()["error"]["code"], "bad_request");
});
