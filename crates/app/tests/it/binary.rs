//! The real binary, as an operator runs it.

use crate::helpers::tempdir::TempDir;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_dienhinh"));
    c.env_remove("DATABASE_URL").env_remove("DIENHINH_DATA").env("RUST_LOG", "warn");
    c
}

#[test]
fn serve_on_an_empty_folder_answers_healthz_and_stops_on_sigterm() {
    let dir = TempDir::new();
    let mut child = bin()
        .args(["serve", "--addr", "127.0.0.1:0", "--data"])
        .arg(&dir.0)
        .stdout(Stdio::piped())
        .spawn()
        .expect("start server");
    let started = Instant::now();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let url = line.trim().rsplit(' ').next().unwrap().to_string();
    assert!(url.starts_with("http://127.0.0.1:"), "{line}");
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let status = rt.block_on(async { reqwest::get(format!("{url}/healthz")).await.unwrap().status() });
    assert_eq!(status, 200);
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(dir.0.join("dienhinh.db").exists());
    // Graceful shutdown on SIGTERM.
    Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    let code = child.wait().unwrap();
    assert!(code.success(), "exit after SIGTERM: {code:?}");
}

#[test]
fn admin_commands_work_and_token_is_printed_alone() {
    let dir = TempDir::new();
    let data = dir.0.to_str().unwrap();
    let out = bin().args(["demo", "--data", data]).env("DIENHINH_DEMO_PASSWORD", "mat-khau-demo").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("admin") && text.contains("mat-khau-demo"));
    let again = bin().args(["demo", "--data", data]).output().unwrap();
    assert!(String::from_utf8(again.stdout).unwrap().contains("already"));

    let mut add = bin()
        .args(["user", "add", "--data", data, "--username", "moi", "--role", "nguoi_xem", "--org", "2", "--password-stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    add.stdin.take().unwrap().write_all(b"mat-khau-cua-moi\n").unwrap();
    assert!(add.wait_with_output().unwrap().status.success());
    let dup = bin().args(["user", "add", "--data", data, "--username", "moi", "--role", "nguoi_xem", "--org", "2"]).output().unwrap();
    assert_eq!(dup.status.code(), Some(2));
    assert!(String::from_utf8(dup.stderr).unwrap().contains("đã có người dùng"));

    let tok = bin().args(["token", "create", "--data", data, "--user", "moi"]).output().unwrap();
    assert!(tok.status.success());
    let stdout = String::from_utf8(tok.stdout).unwrap();
    assert_eq!(stdout.lines().count(), 1);
    assert!(stdout.trim().starts_with("dh_") && stdout.trim().len() == 67, "{stdout}");

    let pw = bin().args(["user", "passwd", "--data", data, "--username", "moi"]).output().unwrap();
    assert!(pw.status.success());
    let rebuilt = bin().args(["search", "rebuild", "--data", data]).output().unwrap();
    assert!(String::from_utf8(rebuilt.stdout).unwrap().starts_with("Indexed "), "search rebuild");
    let m = bin().args(["migrate", "--data", data]).output().unwrap();
    let want = format!("version {}", dienhinh_store::migrate::latest_version());
    assert!(String::from_utf8(m.stdout).unwrap().contains(&want));
}

#[test]
fn config_file_sets_the_data_folder() {
    let dir = TempDir::new();
    let cfg = dir.0.join("dienhinh.toml");
    std::fs::write(&cfg, format!("data = \"{}\"\nlog_format = \"json\"\n", dir.0.join("from-config").display())).unwrap();
    let out = bin().args(["--config"]).arg(&cfg).arg("migrate").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(dir.0.join("from-config/dienhinh.db").exists());
    std::fs::write(&cfg, "dta = 1\n").unwrap();
    let bad = bin().args(["--config"]).arg(&cfg).arg("migrate").output().unwrap();
    assert!(!bad.status.success());
}

#[test]
fn text_fix_converts_legacy_files() {
    let dir = TempDir::new();
    let f = dir.0.join("vni.txt");
    let vni = dienhinh_text::legacy::unicode_to_vni("Cộng hòa xã hội chủ nghĩa Việt Nam");
    // Legacy files are single-byte: write the CP1252/Latin-1 bytes.
    let bytes: Vec<u8> = vni.chars().map(|c| c as u32 as u8).collect();
    std::fs::write(&f, bytes).unwrap();
    let out = bin().args(["text", "fix"]).arg(&f).output().unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap().trim(), "Cộng hòa xã hội chủ nghĩa Việt Nam");
}

/// Runs `dienhinh check` with the given database arguments.
fn check(db_args: &[&str]) -> (bool, String) {
    let out = bin().arg("check").args(db_args).output().unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.success(), text)
}

async fn exec(url: &str, sql: &str) {
    sqlx::any::install_default_drivers();
    let mut c = <sqlx::AnyConnection as sqlx::Connection>::connect(url).await.unwrap();
    sqlx::raw_sql(sql).execute(&mut c).await.unwrap();
    sqlx::Connection::close(c).await.unwrap();
}

#[test]
fn check_passes_on_a_fresh_database_and_names_what_is_broken_sqlite() {
    let dir = TempDir::new();
    let data = dir.0.to_str().unwrap();
    let (ok, text) = check(&["--data", data]);
    assert!(!ok && text.contains("no database"), "{text}");
    assert!(bin().args(["demo", "--data", data]).output().unwrap().status.success());
    let (ok, text) = check(&["--data", data]);
    assert!(ok, "{text}");
    let url = format!("sqlite://{}/dienhinh.db", data);
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    // An orphan: a user whose organisation does not exist.
    rt.block_on(exec(
        &url,
        "PRAGMA foreign_keys=OFF; INSERT INTO users (username, full_name, name_key, sort_key, org_id, org_path, password_hash, created_at, updated_at) \
         VALUES ('mo.coi', 'Mồ Côi', 'mo coi', 'mo coi', 99999, '/99999/', 'x', 0, 0);",
    ));
    let (ok, text) = check(&["--data", data]);
    assert!(!ok, "{text}");
    assert!(text.contains("`users`") && text.contains("`orgs`"), "{text}");
    rt.block_on(exec(&url, "PRAGMA foreign_keys=OFF; DELETE FROM users WHERE username = 'mo.coi';"));
    assert!(check(&["--data", data]).0);
    // The audit log's guard removed.
    rt.block_on(exec(&url, "DROP TRIGGER audit_log_no_delete;"));
    let (ok, text) = check(&["--data", data]);
    assert!(!ok && text.contains("DELETE on `audit_log` was allowed"), "{text}");
    assert!(!text.contains("UPDATE on"), "{text}");
    // A schema version this binary does not know.
    rt.block_on(exec(&url, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 0);"));
    let (ok, text) = check(&["--data", data]);
    assert!(!ok && text.contains("version 999"), "{text}");
}

#[test]
fn check_verifies_attachment_files_when_the_table_exists() {
    let dir = TempDir::new();
    let data = dir.0.to_str().unwrap();
    assert!(bin().args(["demo", "--data", data]).output().unwrap().status.success());
    let url = format!("sqlite://{}/dienhinh.db", data);
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    // The demo stores real files; damage one, remove another, add a row
    // whose key tries to leave the attachments folder, rows whose owner is
    // missing or of no known kind, and give a row a node not its owner's.
    let (ok, text) = check(&["--data", data]);
    assert!(ok, "{text}");
    let keys: Vec<String> = rt.block_on(async {
        sqlx::any::install_default_drivers();
        let mut c = <sqlx::AnyConnection as sqlx::Connection>::connect(&url).await.unwrap();
        sqlx::query_scalar("SELECT storage_key FROM attachments ORDER BY id").fetch_all(&mut c).await.unwrap()
    });
    assert!(keys.len() >= 2);
    std::fs::write(dir.0.join("attachments").join(&keys[0]), b"tampered").unwrap();
    std::fs::remove_file(dir.0.join("attachments").join(&keys[1])).unwrap();
    rt.block_on(exec(
        &url,
        "INSERT INTO attachments (record_kind, record_id, org_path, file_name, content_type, size, sha256, storage_key, created_at) \
         SELECT record_kind, record_id, org_path, 'x', content_type, 1, '00', '../dienhinh.db', 0 FROM attachments LIMIT 1; \
         INSERT INTO attachments (record_kind, record_id, org_path, file_name, content_type, size, sha256, storage_key, created_at) \
         SELECT kind, 999999, org_path, 'x', content_type, size, sha256, storage_key, 0 FROM attachments, (SELECT 'exemplar' AS kind UNION ALL SELECT 'ballot') k WHERE id = 3; \
         UPDATE attachments SET org_path = '/999/' WHERE id = 4;",
    ));
    let (ok, text) = check(&["--data", data]);
    assert!(!ok);
    assert!(text.contains(&format!("{} does not match its stored hash", keys[0])), "{text}");
    assert!(text.contains(&format!("{} is missing", keys[1])), "{text}");
    assert!(text.contains("\"../dienhinh.db\" is not a plain generated name"), "{text}");
    assert!(text.contains("attachments: 1 row(s) belong to a missing row of `exemplars`"), "{text}");
    assert!(text.contains("attachments: 1 row(s) belong to \"ballot\", not a kind of record that can own files"), "{text}");
    assert!(text.contains("attachments: 1 row(s) keep a node other than their owner's (`exemplars`.`org_path`)"), "{text}");
}

#[test]
#[ignore = crate::needs_postgres!()]
fn check_on_postgresql_finds_orphans_and_a_missing_trigger() {
    // Attachments go to the data folder even on PostgreSQL: a temporary one.
    crate::helpers::with_fresh_postgres(|url, files| {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let data = files.to_str().unwrap();
        assert!(bin().args(["demo", "--database-url", url, "--data", data]).output().unwrap().status.success());
        let (ok, text) = check(&["--database-url", url, "--data", data]);
        assert!(ok, "{text}");
        rt.block_on(exec(
            url,
            "SET session_replication_role = replica; \
             INSERT INTO role_assignments (user_id, role, org_id, created_at) VALUES (99999, 'nguoi_xem', 1, 0);",
        ));
        let (ok, text) = check(&["--database-url", url, "--data", data]);
        assert!(!ok && text.contains("`role_assignments`.`user_id` point to a missing row of `users`"), "{text}");
        rt.block_on(exec(url, "DELETE FROM role_assignments WHERE user_id = 99999; DROP TRIGGER audit_log_no_change ON audit_log;"));
        let (ok, text) = check(&["--database-url", url, "--data", data]);
        assert!(!ok && text.contains("UPDATE on `audit_log` was allowed") && text.contains("DELETE on `audit_log` was allowed"), "{text}");
        assert!(!text.contains("foreign keys"), "{text}");
    });
}
