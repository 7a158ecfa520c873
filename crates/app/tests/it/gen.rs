//! `dienhinh gen` through the real binary, and a smoke run of the benchmark
//! harness (timings are not checked here; see BENCHMARKS.md).

use crate::helpers::{hidden, tempdir::TempDir};
use dienhinh_store::Db;
use reqwest::{redirect, Client};
use std::path::{Path, PathBuf};
use std::process::Command;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_dienhinh"));
    c.env_remove("DATABASE_URL").env_remove("DIENHINH_DATA").env("RUST_LOG", "warn");
    c
}

fn gen(target: &[&str]) -> String {
    let out = bin().args(["gen", "--scale", "tiny", "--seed", "1", "--quiet"]).args(target).output().expect("run gen");
    assert!(out.status.success(), "gen failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

async fn count(db: &Db, table: &str) -> i64 {
    use sqlx::Row;
    sqlx::query(&format!("SELECT COUNT(*) AS n FROM {table}")).fetch_one(db.reader()).await.unwrap().get::<i64, _>("n")
}

/// Every generated name, in id order: equal strings mean equal data.
async fn names(db: &Db) -> String {
    use sqlx::Row;
    let mut all = String::new();
    for sql in [
        "SELECT path || name AS s FROM orgs ORDER BY id",
        "SELECT name || org_path || status || level || CAST(year_found AS TEXT) AS s FROM exemplars ORDER BY id",
        "SELECT username || full_name AS s FROM users ORDER BY id",
        "SELECT evaluated_on || CAST(exemplar_id AS TEXT) AS s FROM evaluations ORDER BY id",
    ] {
        for r in sqlx::query(sql).fetch_all(db.reader()).await.unwrap() {
            all.push_str(&r.get::<String, _>("s"));
            all.push('\n');
        }
    }
    all
}

/// Checks counts, sign-in, the exemplar list and detail pages, and that
/// ids given later by the app follow the generated ones.
async fn check(db: &Db, stdout: &str) {
    assert!(stdout.contains("500 exemplars") && stdout.contains(dienhinh::gen::PASSWORD), "{stdout}");
    let orgs = count(db, "orgs").await;
    assert!((30..80).contains(&orgs), "{orgs} orgs");
    assert!(stdout.contains(&format!("Generated {orgs} organisations")), "{stdout}");
    for (table, n) in [("exemplars", 500), ("evaluations", 1500), ("evaluation_scores", 4500), ("fostering_items", 1000), ("replications", 200), ("users", 20), ("role_assignments", 20)] {
        assert_eq!(count(db, table).await, n, "{table}");
    }
    assert_eq!(count(db, "audit_log").await, 0, "bulk data is not audited");
    let wrong = dienhinh_store::counters::differences(&mut db.reader().acquire().await.unwrap()).await.unwrap();
    assert!(wrong.is_empty(), "bulk data is counted: {wrong:?}");
    for name in ["btg.khoi", "canbo.tccs", "admin"] {
        assert!(stdout.contains(name), "{name} not printed");
    }
    let user = dienhinh_store::users::authenticate(db, "btg.khoi", dienhinh::gen::PASSWORD).await.unwrap().expect("generated user signs in");
    assert_eq!(user.roles[0].role, dienhinh_domain::Role::BanTuyenGiao);

    // The pages work on generated data.
    let state = dienhinh_web::AppState::new(db.clone(), dienhinh_store::files::Files::memory(), dienhinh_web::WebConfig::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = dienhinh_web::app(state);
    tokio::spawn(async move {
        axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>()).await.ok();
    });
    let c = Client::builder().cookie_store(true).redirect(redirect::Policy::none()).build().unwrap();
    let pre = hidden(&c.get(format!("{base}/login")).send().await.unwrap().text().await.unwrap(), "_csrf");
    let res = c
        .post(format!("{base}/login"))
        .form(&[("username", "canbo.tccs"), ("password", dienhinh::gen::PASSWORD), ("_csrf", &pre), ("next", "/")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let list: serde_json::Value = c.get(format!("{base}/api/v1/exemplars?limit=1")).send().await.unwrap().json().await.unwrap();
    let first = &list["items"][0];
    // A list page carries each row's fields and movements, as the record does.
    let mut f = dienhinh_store::exemplars::ExemplarFilter { within: vec![dienhinh_domain::OrgPath("/".into())], ..Default::default() };
    f.limit = Some(200);
    let page = dienhinh_store::exemplars::list(db, &f).await.unwrap();
    assert_eq!(page.items.len(), 200);
    assert!(page.items.iter().any(|e| e.fields.len() == 2) && page.items.iter().any(|e| !e.movements.is_empty()));
    for e in &page.items {
        let one = dienhinh_store::exemplars::get(db, e.id).await.unwrap();
        let ids = |v: &[dienhinh_store::exemplars::Named]| v.iter().map(|n| n.id).collect::<Vec<_>>();
        assert_eq!((ids(&e.fields), ids(&e.movements)), (ids(&one.fields), ids(&one.movements)), "links of {}", e.id);
    }
    let page = c.get(format!("{base}/exemplars")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    let name = first["name"].as_str().unwrap();
    assert!(html.contains(&name.replace('\'', "&#x27;")) || html.contains(name), "list shows {name}");
    let detail = c.get(format!("{base}/exemplars/{}", first["id"])).send().await.unwrap();
    assert_eq!(detail.status(), 200);

    // New records get ids after the generated ones (sequences moved on PostgreSQL).
    let e = dienhinh_store::exemplars::create(
        db,
        &dienhinh_store::Actor::system("test"),
        dienhinh_store::exemplars::ExemplarInput {
            org_id: user.roles[0].org_id,
            kind: "ca_nhan".into(),
            name: "Nguyễn Văn Mới".into(),
            year_found: 2024,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(e.id, 501);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gen_tiny_on_sqlite_is_deterministic_and_usable() {
    let (a, b) = (TempDir::new(), TempDir::new());
    let out = gen(&["--data", a.0.to_str().unwrap()]);
    gen(&["--data", b.0.to_str().unwrap()]);
    let again = bin().args(["gen", "--scale", "tiny", "--quiet", "--data", a.0.to_str().unwrap()]).output().unwrap();
    assert!(!again.status.success(), "gen refuses a database that holds data");
    let (da, db) = (Db::open(None, &a.0).await.unwrap(), Db::open(None, &b.0).await.unwrap());
    assert_eq!(names(&da).await, names(&db).await, "same seed, same data");
    let other = TempDir::new();
    bin().args(["gen", "--scale", "tiny", "--seed", "2", "--quiet", "--data", other.0.to_str().unwrap()]).output().unwrap();
    let dother = Db::open(None, &other.0).await.unwrap();
    assert_ne!(names(&da).await, names(&dother).await, "another seed, other data");
    check(&da, &out).await;
    // Row estimates kept, STAT4 samples dropped: with them SQLite prepares a
    // statement again at every binding of an indexed column's parameter.
    assert!(count(&da, "sqlite_stat1").await > 0, "gen analyses the database");
    assert_eq!(count(&da, "sqlite_stat4").await, 0, "gen keeps no STAT4 samples");
    da.close().await;
    bench_smoke(&b.0);
}

/// The harness, when `cargo build --workspace` / `cargo nextest run --workspace`
/// built it next to the server binary; a short run that only checks it works.
fn bench_smoke(data: &Path) {
    let server = PathBuf::from(env!("CARGO_BIN_EXE_dienhinh"));
    let harness = server.with_file_name(format!("dienhinh-bench{}", std::env::consts::EXE_SUFFIX));
    if !harness.exists() {
        eprintln!("{} not built: benchmark smoke run skipped", harness.display());
        return;
    }
    let out = Command::new(&harness)
        .arg("--bin")
        .arg(&server)
        .arg("--data")
        .arg(data)
        .args(["--seconds", "0.3", "--clients", "2", "--only", "detail"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "bench: {}\n{}", stdout, String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("| trivial route /healthz (yardstick) |"), "{stdout}");
    assert!(stdout.contains("| exemplar detail page |") && stdout.contains("| API exemplar detail |"), "{stdout}");
    assert!(stdout.contains("Server peak resident memory"), "{stdout}");
}

#[test]
#[ignore = crate::needs_postgres!()]
fn gen_tiny_on_postgres() {
    crate::helpers::with_fresh_postgres(|url, _| {
        let out = gen(&["--database-url", url]);
        let sqlite = TempDir::new();
        gen(&["--data", sqlite.0.to_str().unwrap()]);
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        rt.block_on(async {
            let db = Db::open(Some(url), Path::new(".")).await.unwrap();
            // The copy skipped the foreign-key triggers: no row may point nowhere.
            let problems = dienhinh_store::check::run(&db, TempDir::new().0.as_path()).await;
            assert!(problems.is_empty(), "{problems:?}");
            check(&db, &out).await;
            let lite = Db::open(None, &sqlite.0).await.unwrap();
            // The new exemplar created by `check` is not in the SQLite copy: compare the rest.
            sqlx::query("DELETE FROM exemplar_fields WHERE exemplar_id > 500").execute(db.reader()).await.ok();
            sqlx::query("DELETE FROM exemplars WHERE id > 500").execute(db.reader()).await.unwrap();
            assert_eq!(names(&db).await, names(&lite).await, "same data on both backends");
            db.close().await;
            lite.close().await;
        });
    });
}
