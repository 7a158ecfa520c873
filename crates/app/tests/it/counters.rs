//! The node counters (`node_counts`) equal a fresh count of the records
//! after every kind of write: the demo (which writes through every store
//! function: units, accounts, exemplars and their steps, fostering and its
//! status, evaluations, replications, visits, models and their decisions),
//! an edit, a rename, and moves of a unit with its subtree.

use crate::both;
use crate::helpers::TestApp;
use dienhinh_store::exemplars::{self, ExemplarInput};
use dienhinh_store::orgs::{self, OrgInput};
use dienhinh_store::{counters, Actor};

async fn differences(app: &TestApp) -> Vec<String> {
    counters::differences(&mut *app.db.reader().acquire().await.unwrap()).await.unwrap()
}

async fn assert_fresh(app: &TestApp, after: &str) {
    let diff = differences(app).await;
    assert!(diff.is_empty(), "after {after}: {diff:#?}");
}

both!(counters_equal_fresh_counts_after_every_write, |app| {
    let actor = Actor::system("test");
    assert_fresh(&app, "the demo").await;
    let rows: i64 = sqlx::Row::get(&sqlx::query("SELECT COUNT(*) AS n FROM node_counts").fetch_one(app.db.reader()).await.unwrap(), "n");
    assert!(rows > 50, "the demo is counted ({rows} rows)");

    // An edit that changes what is counted (the year found).
    let e = exemplars::get(&app.db, 1).await.unwrap();
    let input = ExemplarInput { org_id: e.org_id, kind: e.kind.code().into(), name: e.name.clone(), year_found: e.year_found - 1, ..Default::default() };
    exemplars::update(&app.db, &actor, e.id, e.version, input).await.unwrap();
    assert_fresh(&app, "an exemplar's edit").await;

    // A unit made, renamed and re-kinded.
    let dienluc = app.org("Đảng bộ Công ty Điện lực Nam Định").await;
    let unit = orgs::create(&app.db, &actor, OrgInput { parent_id: Some(dienluc.id), kind: "chi_bo".into(), name: "Chi bộ Thử".into(), short_name: String::new() }).await.unwrap();
    orgs::update(&app.db, &actor, unit.id, unit.version, OrgInput { parent_id: Some(dienluc.id), kind: "don_vi".into(), name: "Phòng Thử".into(), short_name: String::new() }).await.unwrap();
    assert_fresh(&app, "a unit made and re-kinded").await;

    // A unit with people, exemplars, fostering, replications … moved under
    // another parent, then to a deeper place, then back.
    let tinh = app.org("Tỉnh ủy Nam Định").await;
    let moved = orgs::move_to(&app.db, &actor, dienluc.id, dienluc.version, tinh.id).await.unwrap();
    assert_fresh(&app, "a move up").await;
    let bloc = app.org("Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh Nam Định").await;
    let taichinh = app.all_orgs().await.into_iter().find(|o| o.kind.code() == "tccs" && o.id != dienluc.id && bloc.path.contains(&o.path)).expect("another TCCS");
    let team = orgs::get(&app.db, unit.id).await.unwrap();
    orgs::move_to(&app.db, &actor, team.id, team.version, taichinh.id).await.unwrap();
    assert_fresh(&app, "a move across subtrees").await;
    orgs::move_to(&app.db, &actor, dienluc.id, moved.version, bloc.id).await.unwrap();
    assert_fresh(&app, "a move back").await;

    // The home figures read the counters: the bloc's exemplars and the
    // province's equal what the list filters count.
    let f = dienhinh_store::figures::exemplars(&app.db, &[bloc.org_path()]).await.unwrap();
    let n: i64 = sqlx::Row::get(
        &sqlx::query("SELECT COUNT(*) AS n FROM exemplars WHERE org_path >= $1 AND org_path < $2").bind(bloc.path.as_str()).bind(bloc.path.subtree_upper_bound()).fetch_one(app.db.reader()).await.unwrap(),
        "n",
    );
    assert_eq!(f.total, n);

    // A counter that drifts is found by the check (the guard can fail).
    let mut tx = app.db.begin().await.unwrap();
    sqlx::query("UPDATE node_counts SET n = n + 1 WHERE org_id = $1 AND metric = 'users'").bind(bloc.id).execute(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
    let diff = differences(&app).await;
    assert_eq!(diff.len(), 1, "{diff:?}");
    assert!(diff[0].contains(&format!("org {} users", bloc.id)), "{diff:?}");
    let problems = dienhinh_store::check::run(&app.db, std::path::Path::new("/nonexistent")).await;
    assert!(problems.iter().any(|p| p.starts_with("node counters")), "{problems:?}");
});
