//! Every builder's output converts to PDF in LibreOffice headless (the
//! check the issues ask for: the files open without repair). Ignored by
//! default like the PostgreSQL tests, run by CI's `--run-ignored only`
//! step, which installs LibreOffice; without `soffice` it FAILS.
//!
//! `DIENHINH_DOC_PNG_DIR=/tmp/docs cargo nextest run -p dienhinh-documents --run-ignored only`
//! also leaves every page as a PNG there, to look at beside the format rules.

use dienhinh_documents::{docx, samples, xlsx};
use std::path::Path;
use std::process::Command;

macro_rules! needs_soffice {
    () => {
        "LibreOffice: run with --run-ignored (CI installs libreoffice-writer-nogui)"
    };
}

/// Converts `file` to PDF with a profile of its own (other conversions may
/// run at once) and returns the PDF's page count.
fn convert(file: &Path) -> u32 {
    let dir = file.parent().unwrap();
    let profile = dir.join(format!("profile-{}", file.file_stem().unwrap().to_string_lossy()));
    let out = Command::new("soffice")
        .arg(format!("-env:UserInstallation=file://{}", profile.display()))
        .args(["--headless", "--norestore", "--convert-to", "pdf", "--outdir"])
        .arg(dir)
        .arg(file)
        .output()
        .expect("soffice is not installed: apt-get install libreoffice-writer-nogui libreoffice-calc-nogui");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && !stderr.to_lowercase().contains("error"), "{}: {stderr}", file.display());
    let pdf = file.with_extension("pdf");
    assert!(pdf.exists(), "{}: no PDF ({stderr})", file.display());
    let info = Command::new("pdfinfo").arg(&pdf).output().expect("pdfinfo is not installed: apt-get install poppler-utils");
    let info = String::from_utf8_lossy(&info.stdout);
    let pages = info.lines().find_map(|l| l.strip_prefix("Pages:")).and_then(|n| n.trim().parse().ok()).unwrap_or(0);
    if let Ok(png_dir) = std::env::var("DIENHINH_DOC_PNG_DIR") {
        std::fs::create_dir_all(&png_dir).unwrap();
        let prefix = Path::new(&png_dir).join(file.file_stem().unwrap());
        Command::new("pdftoppm").args(["-png", "-r", "60"]).arg(&pdf).arg(prefix).status().expect("pdftoppm");
    }
    pages
}

#[test]
#[ignore = needs_soffice!()]
fn every_document_converts_to_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let mut pages = vec![];
    for (name, doc) in samples::all() {
        let file = dir.path().join(format!("{name}.docx"));
        std::fs::write(&file, docx::render(&doc)).unwrap();
        pages.push((name, convert(&file)));
    }
    // Each sample fills one or two A4 pages; zero would be a file LibreOffice could not read.
    for (name, n) in &pages {
        assert!((1..=3).contains(n), "{name}: {n} pages ({pages:?})");
    }
}

#[test]
#[ignore = needs_soffice!()]
fn the_statistics_workbook_converts_to_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let report = dienhinh_documents::builders::report(samples::report_input());
    let minutes = dienhinh_documents::builders::minutes(samples::minutes_input());
    let tables: Vec<_> = report.tables().into_iter().chain(minutes.tables()).collect();
    let file = dir.path().join("thong-ke.xlsx");
    std::fs::write(&file, xlsx::render(&tables).unwrap()).unwrap();
    // One sheet per table, each at least a page.
    assert!(convert(&file) as usize >= tables.len());
}
