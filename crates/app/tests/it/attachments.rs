//! Evidence files: accepted by content only, stored under generated names,
//! served with a safe type and disposition, within scope.

use crate::both;
use dienhinh_domain::RecordKind;
use dienhinh_store::files::{self, Files};
use dienhinh_store::Actor;
use reqwest::multipart::{Form, Part};
use reqwest::StatusCode;
use serde_json::Value;

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
    assert_eq!(list.as_array().unwrap().len(), 4, "two demo files + two uploads");
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
    assert!(matches!(files.get("ex/1/none.pdf").await, Err(dienhinh_store::StoreError::NotFound)));
}
