//! `dienhinh check`: opens the database without migrating it, runs every
//! check of `dienhinh_store::check`, prints what is wrong, and returns the
//! process exit code (0 when sound, 1 when anything is wrong).

use dienhinh_store::Db;
use std::path::Path;

pub async fn run(url: Option<&str>, data: &Path) -> anyhow::Result<i32> {
    if url.is_none() && !data.join("dienhinh.db").exists() {
        eprintln!("PROBLEM: no database at {} (nothing to check)", data.join("dienhinh.db").display());
        return Ok(1);
    }
    let db = Db::connect(url, data).await?;
    let problems = dienhinh_store::check::run(&db, data).await;
    db.close().await;
    if problems.is_empty() {
        println!("OK: integrity, foreign keys, schema version {}, append-only audit log, attachments, node counters.", dienhinh_store::migrate::latest_version());
        Ok(0)
    } else {
        for p in &problems {
            println!("PROBLEM: {p}");
        }
        println!("{} problem(s) found.", problems.len());
        Ok(1)
    }
}
