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
