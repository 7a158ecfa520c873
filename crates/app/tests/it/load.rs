//! Bounded load on loopback against the real binary: many signed-in
//! sessions (one form sign-in each) doing mixed reads (home, exemplar list
//! and detail, search) and writes (create an exemplar, add a fostering
//! item, take a step) for a fixed time. No answer may be 5xx, every
//! acknowledged creation must be in the database exactly once afterwards,
//! and the server's peak resident memory and throughput are reported.
//!
//! 20 sessions × 5 s by default (CI); `DIENHINH_LOAD_SESSIONS=200
//! DIENHINH_LOAD_SECONDS=30` for the long mode. The API rate limit is
//! raised through the config file, since every session is the same account.

use crate::helpers::tempdir::TempDir;
use crate::helpers::hidden;
use reqwest::{redirect, Client};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const PASSWORD: &str = "mat-khau-tai-1";

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_dienhinh"));
    c.env_remove("DATABASE_URL").env_remove("DIENHINH_DATA").env("RUST_LOG", "error");
    c
}

/// (VmRSS, VmHWM) of a process, in KiB.
fn memory(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status.lines().find(|l| l.starts_with(name)).and_then(|l| l.split_whitespace().nth(1)).and_then(|v| v.parse().ok()).unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

#[derive(Default)]
struct Tally {
    requests: AtomicU64,
    server_errors: AtomicU64,
    /// (id, name) of every acknowledged exemplar creation.
    created: Mutex<Vec<(i64, String)>>,
    /// Acknowledged fostering items.
    fostered: Mutex<Vec<i64>>,
    steps: AtomicU64,
}

async fn sign_in(base: &str) -> (Client, String) {
    let c = Client::builder().cookie_store(true).redirect(redirect::Policy::none()).timeout(Duration::from_secs(30)).build().unwrap();
    let page = c.get(format!("{base}/login")).send().await.unwrap().text().await.unwrap();
    let pre = hidden(&page, "_csrf");
    let res = c
        .post(format!("{base}/login"))
        .form(&[("username", "canbo"), ("password", PASSWORD), ("_csrf", &pre), ("next", "/")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303, "sign-in");
    let home = c.get(format!("{base}/")).send().await.unwrap().text().await.unwrap();
    (c, hidden(&home, "_csrf"))
}

async fn session(base: String, c: Client, csrf: String, s: usize, org: i64, until: Instant, t: Arc<Tally>) {
    let mut k = 0u64;
    let mut mine: Vec<i64> = vec![];
    let mut reads = 0u64;
    let count = |status: reqwest::StatusCode, what: &str| {
        t.requests.fetch_add(1, Ordering::Relaxed);
        if status.is_server_error() {
            t.server_errors.fetch_add(1, Ordering::Relaxed);
            eprintln!("load: {what} answered {status}");
        }
    };
    while Instant::now() < until {
        k += 1;
        // Writes early in every cycle of eight, so that even a slow run writes.
        match k % 8 {
            1 => {
                let name = format!("Điển hình tải {s} số {k}");
                let res = c
                    .post(format!("{base}/api/v1/exemplars"))
                    .header("x-csrf-token", &csrf)
                    .json(&json!({"org_id": org, "kind": "ca_nhan", "name": name, "year_found": 2025, "confirm_duplicate": true}))
                    .send()
                    .await
                    .unwrap();
                count(res.status(), "create");
                if res.status() == 201 {
                    let e: Value = res.json().await.unwrap();
                    let id = e["id"].as_i64().unwrap();
                    t.created.lock().unwrap().push((id, name));
                    mine.push(id);
                }
            }
            3 if !mine.is_empty() => {
                let id = mine[(k as usize / 8) % mine.len()];
                let res = c
                    .post(format!("{base}/api/v1/exemplars/{id}/fostering"))
                    .header("x-csrf-token", &csrf)
                    .json(&json!({"support_kind": "ky_thuat", "support": format!("Kèm cặp {s}/{k}")}))
                    .send()
                    .await
                    .unwrap();
                count(res.status(), "fostering");
                if res.status() == 201 {
                    let f: Value = res.json().await.unwrap();
                    t.fostered.lock().unwrap().push(f["id"].as_i64().unwrap());
                }
            }
            5 if !mine.is_empty() => {
                // Foster the newest own exemplar (legal once, from version 1).
                let id = *mine.last().unwrap();
                let res = c
                    .post(format!("{base}/api/v1/exemplars/{id}/steps"))
                    .header("x-csrf-token", &csrf)
                    .json(&json!({"step": "boi_duong", "reason": "Đưa vào diện bồi dưỡng", "version": 1}))
                    .send()
                    .await
                    .unwrap();
                count(res.status(), "step");
                if res.status() == 200 {
                    t.steps.fetch_add(1, Ordering::Relaxed);
                }
            }
            _ => {
                reads += 1;
                let path = match reads % 4 {
                    0 => "/".to_string(),
                    1 => "/exemplars".to_string(),
                    2 => format!("/exemplars/{}", 1 + (k % 4)),
                    _ => "/search?q=hung".to_string(),
                };
                let res = c.get(format!("{base}{path}")).send().await.unwrap();
                count(res.status(), &path);
                let _ = res.bytes().await;
            }
        }
    }
}

fn run(db_args: Vec<String>, open_url: Option<String>, data: std::path::PathBuf) {
    let sessions = env_or("DIENHINH_LOAD_SESSIONS", 20) as usize;
    let seconds = env_or("DIENHINH_LOAD_SECONDS", 5);
    let dir = TempDir::new();
    let cfg = dir.0.join("dienhinh.toml");
    std::fs::write(&cfg, "api_rate_per_minute = 1000000\n").unwrap();
    let demo = bin().arg("demo").args(&db_args).env("DIENHINH_DEMO_PASSWORD", PASSWORD).output().unwrap();
    assert!(demo.status.success(), "{}", String::from_utf8_lossy(&demo.stderr));
    let mut child = bin()
        .arg("--config")
        .arg(&cfg)
        .args(["serve", "--addr", "127.0.0.1:0"])
        .args(&db_args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start server");
    let pid = child.id();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let base = line.trim().rsplit(' ').next().unwrap_or_default().to_string();
    assert!(base.starts_with("http://127.0.0.1:"), "server did not start: {line:?}");
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let tally = Arc::new(Tally::default());
    let (rss_start, _) = memory(pid);
    let result = rt.block_on(async {
        // Sign in a few at a time: each sign-in hashes with argon2 (19 MiB).
        let mut clients = vec![];
        for chunk in (0..sessions).collect::<Vec<_>>().chunks(4) {
            let handles: Vec<_> = chunk.iter().map(|_| tokio::spawn({
                let base = base.clone();
                async move { sign_in(&base).await }
            })).collect();
            for h in handles {
                clients.push(h.await.unwrap());
            }
        }
        let org: i64 = {
            let (c, _) = &clients[0];
            let me: Value = c.get(format!("{base}/api/v1/me")).send().await.unwrap().json().await.unwrap();
            me["org_id"].as_i64().expect("org of canbo")
        };
        let (rss_signed_in, _) = memory(pid);
        let started = Instant::now();
        let until = started + Duration::from_secs(seconds);
        // RSS sampled through the run, to see whether it stays flat.
        let samples = Arc::new(Mutex::new(vec![]));
        let sampler = {
            let samples = samples.clone();
            tokio::spawn(async move {
                while Instant::now() < until {
                    samples.lock().unwrap().push(memory(pid).0);
                    tokio::time::sleep(Duration::from_millis(250)).await;
                }
            })
        };
        let tasks: Vec<_> = clients
            .into_iter()
            .enumerate()
            .map(|(s, (c, csrf))| tokio::spawn(session(base.clone(), c, csrf, s, org, until, tally.clone())))
            .collect();
        for t in tasks {
            t.await.unwrap();
        }
        sampler.await.unwrap();
        let elapsed = started.elapsed().as_secs_f64();
        let samples = samples.lock().unwrap().clone();
        (elapsed, rss_signed_in, samples)
    });
    let (elapsed, rss_signed_in, samples) = result;
    let (rss_end, hwm) = memory(pid);
    child.kill().unwrap();
    child.wait().unwrap();
    let requests = tally.requests.load(Ordering::Relaxed);
    let half = samples.len() / 2;
    let first = samples[..half].iter().max().copied().unwrap_or(0);
    let second = samples[half..].iter().max().copied().unwrap_or(0);
    let created = tally.created.lock().unwrap().clone();
    let fostered = tally.fostered.lock().unwrap().clone();
    eprintln!(
        "load: {sessions} sessions × {seconds} s: {requests} requests, {:.0} req/s; {} exemplars created, {} fostering items, {} steps; \
         RSS {} MiB at start, {} MiB signed in, max {} MiB in the first half and {} MiB in the second, {} MiB at the end, peak (VmHWM) {} MiB",
        requests as f64 / elapsed,
        created.len(),
        fostered.len(),
        tally.steps.load(Ordering::Relaxed),
        rss_start / 1024,
        rss_signed_in / 1024,
        first / 1024,
        second / 1024,
        rss_end / 1024,
        hwm / 1024
    );
    assert_eq!(tally.server_errors.load(Ordering::Relaxed), 0, "5xx answers under load");
    // Flat: the second half of the run holds no more than the first plus a margin.
    assert!(second <= first + first / 2 + 16 * 1024, "resident memory grew over the run: {first} KiB then {second} KiB");
    assert!(!created.is_empty(), "no write was acknowledged");
    // Every acknowledged creation is there exactly once, with its name; every item too.
    rt.block_on(async {
        use sqlx::Row;
        let db = dienhinh_store::Db::connect(open_url.as_deref(), &data).await.unwrap();
        let rows = sqlx::query("SELECT id, name FROM exemplars WHERE name LIKE $1").bind("Điển hình tải %").fetch_all(db.reader()).await.unwrap();
        let mut by_name = std::collections::HashMap::new();
        for r in &rows {
            by_name.entry(r.get::<String, _>("name")).or_insert_with(Vec::new).push(r.get::<i64, _>("id"));
        }
        for (id, name) in &created {
            assert_eq!(by_name.get(name), Some(&vec![*id]), "acknowledged exemplar {name:?} missing or duplicated");
        }
        assert_eq!(rows.len(), created.len(), "exemplars created that were never acknowledged");
        for id in &fostered {
            let n: i64 = sqlx::query("SELECT COUNT(*) FROM fostering_items WHERE id = $1").bind(id).fetch_one(db.reader()).await.unwrap().get(0);
            assert_eq!(n, 1, "acknowledged fostering item {id}");
        }
        db.close().await;
    });
}

#[test]
fn sessions_under_load_lose_nothing_sqlite() {
    let dir = TempDir::new();
    run(vec!["--data".into(), dir.0.display().to_string()], None, dir.0.clone());
}

#[test]
#[ignore = crate::needs_postgres!()]
fn sessions_under_load_lose_nothing_postgres() {
    crate::helpers::with_fresh_postgres(|url, files| {
        run(vec!["--database-url".into(), url.to_string(), "--data".into(), files.display().to_string()], Some(url.to_string()), files.to_path_buf())
    });
}
