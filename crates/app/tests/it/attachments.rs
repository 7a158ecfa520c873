//! Evidence files: accepted by content only, stored under generated names,
//! served with a safe type and disposition, within scope.

use crate::both;
use dienhinh_domain::RecordKind;
use dienhinh_store::files::{self, Files};
use dienhinh_store::orgs::{self, OrgInput};
use dienhinh_store::{exemplars, migrate, Actor, Db, StoreError};
use reqwest::multipart::{Form, Part};
use reqwest::StatusCode;
use serde_json::Value;
use sha2::Digest;

const PNG: &[u8] = include_bytes!("../../seed/demo-photo.png");
const PDF: &[u8] = include_bytes!("../../seed/demo-certificate.pdf");

fn form(name: &str, bytes: Vec<u8>) -> Form {
    Form::new().part("file", Part::bytes(bytes).file_name(name.to_string()))
}

both!(uploads_are_checked_by_content_and_served_safely, |app| {
    let c = reqwest::Client::new();
    let canbo = app.token("canbo").await;
    let url = app.url("/api/v1/exemplars/1/attachments");
    let up = |name: &'static str, bytes: Vec<u8>, token: String| {
        let c = c.clone();
        let url = url.clone();
        async move { c.post(url).bearer_auth(token).multipart(form(name, bytes)).send().await.unwrap() }
    };
    // A PDF named like a traversal is stored under a generated key; the name is only displayed.
    let res = up("../../../etc/Giấy khen.pdf", PDF.to_vec(), canbo.clone()).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let a: Value = res.json().await.unwrap();
    assert_eq!(a["file_name"], "Giấy khen.pdf");
    assert_eq!(a["content_type"], "application/pdf");
    // Types come from content: HTML named .png, an executable, an empty file are refused.
    for (name, bytes) in [("anh.png", b"<html><script>alert(1)</script></html>".to_vec()), ("a.pdf", b"MZ\x90\x00".to_vec()), ("rong.png", vec![])] {
        let res = up(name, bytes, canbo.clone()).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{name}");
    }
    // Over 20 MB: 413.
    let mut big = PNG.to_vec();
    big.resize(20 * 1024 * 1024 + 10, 0);
    let res = up("to.png", big, canbo.clone()).await;
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    // A sibling TCCS cannot upload to, list or download it.
    let other = app.token("canbo.taichinh").await;
    assert_eq!(up("x.png", PNG.to_vec(), other.clone()).await.status(), StatusCode::NOT_FOUND);
    let (web_other, _) = app.sign_in("canbo.taichinh").await;
    let id = a["id"].as_i64().unwrap();
    assert_eq!(web_other.get(app.url(&format!("/attachments/{id}"))).send().await.unwrap().status(), StatusCode::NOT_FOUND);
    // The owner downloads it with a safe type and disposition.
    let (web, csrf) = app.sign_in("canbo").await;
    let res = web.get(app.url(&format!("/attachments/{id}"))).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    let disp = res.headers()["content-disposition"].to_str().unwrap().to_string();
    assert!(disp.starts_with("inline;") && disp.contains("filename*=UTF-8''Gi%E1%BA%A5y%20khen.pdf"), "{disp}");
    assert_eq!(res.bytes().await.unwrap().as_ref(), PDF);
    // Through the page form (CSRF token in the query string, since the body is multipart).
    let res = web
        .post(app.url(&format!("/exemplars/1/attachments?_csrf={csrf}")))
        .multipart(form("Ảnh.png", PNG.to_vec()))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = web.post(app.url("/exemplars/1/attachments")).multipart(form("Ảnh.png", PNG.to_vec())).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN, "no token, no upload");
    let list: Value = c.get(url.clone()).bearer_auth(&canbo).send().await.unwrap().json().await.unwrap();
    assert_eq!(list["items"].as_array().unwrap().len(), 4, "two demo files + two uploads");
    let html = web.get(app.url("/exemplars/1")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Minh chứng (4)") && html.contains("Giấy khen.pdf"));
});

/// The S3-compatible backend of the same storage interface, against a local
/// S3 server (CI starts moto) named by `DIENHINH_TEST_S3_ENDPOINT`.
#[tokio::test]
async fn attachments_round_trip_through_s3_compatible_storage() {
    let Ok(endpoint) = std::env::var("DIENHINH_TEST_S3_ENDPOINT") else {
        eprintln!("DIENHINH_TEST_S3_ENDPOINT not set: S3 variant skipped");
        return;
    };
    let bucket = format!("dh-test-{}", crate::helpers::tempdir::rand_suffix());
    let made = reqwest::Client::new().put(format!("{endpoint}/{bucket}")).send().await.unwrap();
    assert!(made.status().is_success(), "create bucket: {}", made.status());
    let files = Files::s3(&files::S3Settings {
        bucket,
        endpoint: Some(endpoint),
        region: Some("us-east-1".into()),
        access_key_id: Some("test".into()),
        secret_access_key: Some("test".into()),
    })
    .unwrap();
    // Through the store, exactly as the web layer uses it.
    let dir = crate::helpers::tempdir::TempDir::new();
    let db = dienhinh_store::Db::open(None, &dir.0).await.unwrap();
    dienhinh::demo::load(&db, &files, Some("mat-khau-demo")).await.unwrap();
    let a = files::attach(&db, &files, &Actor::system("test"), RecordKind::Exemplar, 1, "Giấy khen.pdf", PDF.to_vec()).await.unwrap();
    assert_eq!(files.get(&a.storage_key).await.unwrap(), PDF);
    let demo = files::list(&db, RecordKind::Exemplar, 1).await.unwrap();
    assert_eq!(demo.len(), 3, "two demo files and this one, all in the bucket");
    for f in demo {
        assert_eq!(files.get(&f.storage_key).await.unwrap().len() as i64, f.size);
    }
    assert!(matches!(files.get("ex/1/none.pdf").await, Err(StoreError::NotFound)));
}

both!(an_attachment_keeps_its_owners_current_node, |app| {
    let actor = Actor::system("test");
    let stale = exemplars::get(&app.db, 1).await.unwrap();
    let unit = orgs::get(&app.db, stale.org_id).await.unwrap();
    // A second bloc, with its own officer: a place a TCCS may stand (`OrgKind::may_hold`).
    let tinh = app.org("Tỉnh ủy Nam Định").await;
    let input = OrgInput { parent_id: Some(tinh.id), kind: "dang_uy_khoi".into(), name: "Đảng ủy Khối Doanh nghiệp tỉnh".into(), short_name: String::new() };
    let bloc = orgs::create(&app.db, &actor, input).await.unwrap();
    let input = dienhinh_store::users::NewUser { username: "capuy.dn".into(), full_name: "Cấp ủy Khối Doanh nghiệp".into(), position: String::new(), org_id: bloc.id, role: "cap_uy".into(), password: crate::helpers::PASSWORD.into() };
    dienhinh_store::users::create(&app.db, &actor, input).await.unwrap();
    let before = files::list(&app.db, RecordKind::Exemplar, 1).await.unwrap();
    assert!(!before.is_empty(), "the demo's files");
    // The exemplar's unit moves after a caller read the exemplar: the new
    // file takes the owner's path as committed, not the caller's copy.
    orgs::move_to(&app.db, &actor, unit.id, unit.version, bloc.id).await.unwrap();
    let a = files::attach(&app.db, &app.files, &actor, RecordKind::Exemplar, stale.id, "Giấy khen.pdf", PDF.to_vec()).await.unwrap();
    let now = exemplars::get(&app.db, 1).await.unwrap();
    assert_ne!(now.org_path, stale.org_path);
    assert_eq!(a.org_path, now.org_path);
    assert_eq!((a.record_kind, a.record_id), (RecordKind::Exemplar, 1));
    // Files attached before the move moved with it; one query lists them all.
    let after = files::list(&app.db, RecordKind::Exemplar, 1).await.unwrap();
    assert_eq!(after.len(), before.len() + 1);
    assert!(after.iter().all(|f| f.org_path == now.org_path), "{after:?}");
    // Downloads follow the file's node: the unit's new parent now sees it.
    let (web, _) = app.sign_in("capuy.dn").await;
    assert_eq!(web.get(app.url(&format!("/attachments/{}", a.id))).send().await.unwrap().status(), StatusCode::OK);
    // No owner, no row: a missing record, and a kind that has no node.
    let count = || async { sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM attachments").fetch_one(app.db.reader()).await.unwrap() };
    let rows = count().await;
    assert!(matches!(files::attach(&app.db, &app.files, &actor, RecordKind::Exemplar, 999_999, "a.pdf", PDF.to_vec()).await, Err(StoreError::NotFound)));
    assert!(files::attach(&app.db, &app.files, &actor, RecordKind::Field, 1, "a.pdf", PDF.to_vec()).await.is_err());
    assert_eq!(count().await, rows);
});

/// A database as schema 4 left it, holding an exemplar's file (and the
/// trace of a removed one), upgraded to the current schema.
async fn upgrade_keeps_attachments(db: Db, data: &std::path::Path) {
    dienhinh_store::kinds::migrate_to(&db, 4).await.unwrap();
    assert_eq!(migrate::current_version(&db).await.unwrap(), 4);
    let actor = Actor::system("test");
    // Rows as schema 4 held them (the store functions write what the
    // current schema holds, such as the node counters).
    let mut tx = db.begin().await.unwrap();
    let org_id: i64 = sqlx::query_scalar(
        "INSERT INTO orgs (parent_id, kind, name, short_name, name_key, sort_key, path, depth, created_at, updated_at) \
         VALUES (NULL, 'tinh_uy', 'Tỉnh ủy', '', 'tinh uy', 'tinh uy', '', 1, 7, 7) RETURNING id",
    )
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    let org_path = dienhinh_domain::OrgPath::root(org_id);
    sqlx::query("UPDATE orgs SET path = $1 WHERE id = $2").bind(org_path.as_str()).bind(org_id).execute(&mut *tx).await.unwrap();
    let exemplar_id: i64 = sqlx::query_scalar(
        "INSERT INTO exemplars (org_id, org_path, kind, name, name_key, sort_key, year_found, status, level, created_at, updated_at) \
         VALUES ($1, $2, 'ca_nhan', 'Nguyễn Văn Hùng', 'nguyen van hung', 'nguyen van hung', 2020, 'phat_hien', 'co_so', 7, 7) RETURNING id",
    )
    .bind(org_id)
    .bind(org_path.as_str())
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let e = exemplars::get(&db, exemplar_id).await.unwrap();
    let files = Files::local(data).unwrap();
    let key = format!("ex/{}/0123abcd.pdf", e.id);
    files.put(&key, PDF.to_vec()).await.unwrap();
    let sha = hex::encode(sha2::Sha256::digest(PDF));
    let mut tx = db.begin().await.unwrap();
    let mut ids = vec![];
    for name in ["Giấy khen.pdf", "removed.pdf"] {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO attachments (exemplar_id, org_path, file_name, content_type, size, sha256, storage_key, uploaded_by, created_at) \
             VALUES ($1, $2, $3, 'application/pdf', $4, $5, $6, NULL, 7) RETURNING id",
        )
        .bind(e.id)
        .bind(e.org_path.as_str())
        .bind(name)
        .bind(PDF.len() as i64)
        .bind(&sha)
        .bind(&key)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
        ids.push(id);
    }
    sqlx::query("DELETE FROM attachments WHERE id = $1").bind(ids[1]).execute(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();

    dienhinh_store::kinds::migrate(&db).await.unwrap();
    assert_eq!(migrate::current_version(&db).await.unwrap(), migrate::latest_version());
    // The upgrade counted what was there (migration 9 fills the node counters).
    let figures = dienhinh_store::figures::exemplars(&db, std::slice::from_ref(&e.org_path)).await.unwrap();
    assert_eq!(figures.total, 1);
    assert!(dienhinh_store::counters::differences(&mut db.reader().acquire().await.unwrap()).await.unwrap().is_empty());
    let found = files::list(&db, RecordKind::Exemplar, e.id).await.unwrap();
    assert_eq!(found.len(), 1);
    let a = &found[0];
    assert_eq!((a.id, a.record_id, a.file_name.as_str(), a.org_path.as_str()), (ids[0], e.id, "Giấy khen.pdf", e.org_path.as_str()));
    assert_eq!((a.size, a.sha256.as_str(), a.storage_key.as_str(), a.created_at), (PDF.len() as i64, sha.as_str(), key.as_str(), 7));
    assert_eq!(files.get(&a.storage_key).await.unwrap(), PDF);
    // New files follow the old ones without reusing the removed row's id.
    let b = files::attach(&db, &files, &actor, RecordKind::Exemplar, e.id, "Ảnh.png", PNG.to_vec()).await.unwrap();
    assert!(b.id > ids[1], "id {} reused", b.id);
    assert_eq!(files::list(&db, RecordKind::Exemplar, e.id).await.unwrap().len(), 2);
    let problems = dienhinh_store::check::run(&db, data).await;
    assert!(problems.is_empty(), "{problems:?}");
    db.close().await;
}

#[tokio::test]
async fn upgrading_from_schema_4_keeps_attachments_on_sqlite() {
    let dir = crate::helpers::tempdir::TempDir::new();
    upgrade_keeps_attachments(Db::connect(None, &dir.0).await.unwrap(), &dir.0).await;
}

#[test]
#[ignore = crate::needs_postgres!()]
fn upgrading_from_schema_4_keeps_attachments_on_postgres() {
    crate::helpers::with_fresh_postgres(|url, data| {
        tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
            upgrade_keeps_attachments(Db::connect(Some(url), data).await.unwrap(), data).await;
        })
    });
}
