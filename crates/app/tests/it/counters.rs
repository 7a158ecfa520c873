//! The node counters (`node_counts`) equal a fresh count of the records
//! after every kind of write: the demo (which writes through every store
//! function: units, accounts, exemplars and their steps, fostering and its
//! status, evaluations, replications, visits, models and their decisions,
//! propaganda items), an edit, a propaganda correction, a rename, and moves
//! of a unit with its subtree; each row keeps the year its key counts in.

use crate::both;
use crate::helpers::TestApp;
use dienhinh_store::exemplars::{self, ExemplarInput};
use dienhinh_store::orgs::{self, OrgInput};
use dienhinh_store::{counters, Actor};

async fn differences(app: &TestApp) -> Vec<String> {
    counters::differences(&mut app.db.reader().acquire().await.unwrap()).await.unwrap()
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

    // A propaganda item corrected to another type, channel and year.
    let item = dienhinh_store::propaganda::get(&app.db, 1).await.unwrap();
    let corrected = dienhinh_store::propaganda::PropagandaInput {
        org_id: item.org_id,
        item_type: "video".into(),
        channel: "phat_thanh_truyen_hinh".into(),
        title: item.title.clone(),
        link: item.link.clone(),
        published_on: format!("{}-06-30", item.year - 1),
        exemplar_ids: item.exemplars.iter().map(|e| e.id).collect(),
    };
    dienhinh_store::propaganda::update(&app.db, &actor, item.id, item.version, corrected).await.unwrap();
    assert_fresh(&app, "a propaganda correction").await;
    let key = format!("video/phat_thanh_truyen_hinh/{}", item.year - 1);
    let year: Option<i64> = sqlx::Row::get(
        &sqlx::query("SELECT year FROM node_counts WHERE org_id = $1 AND metric = 'propaganda' AND code = $2").bind(item.org_id).bind(&key).fetch_one(app.db.reader()).await.unwrap(),
        "year",
    );
    assert_eq!(year, Some(item.year - 1), "the year is kept beside the key");

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

    // So does a counter filed under the wrong year (a period would miss it).
    let mut tx = app.db.begin().await.unwrap();
    sqlx::query("UPDATE node_counts SET n = n - 1 WHERE org_id = $1 AND metric = 'users'").bind(bloc.id).execute(&mut *tx).await.unwrap();
    sqlx::query("UPDATE node_counts SET year = year + 1 WHERE org_id = $1 AND metric = 'propaganda' AND code = $2").bind(item.org_id).bind(&key).execute(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
    let diff = differences(&app).await;
    assert_eq!(diff.len(), 1, "{diff:?}");
    assert!(diff[0].contains(&format!("org {} propaganda", item.org_id)) && diff[0].contains("year"), "{diff:?}");
});

both!(the_whole_tree_is_counted_at_its_own_node, |app| {
    // A country-wide figure is one node's rows, not the sum of 63 roots'.
    use dienhinh_domain::counter::{Metric, WHOLE_TREE};
    use dienhinh_domain::OrgPath;
    use dienhinh_store::figures;
    let metrics = [Metric::Orgs, Metric::Users, Metric::Exemplars, Metric::Fostering];
    let roots: Vec<i64> = sqlx::query_scalar("SELECT id FROM orgs WHERE parent_id IS NULL").fetch_all(app.db.reader()).await.unwrap();
    let mut conn = app.db.reader().acquire().await.unwrap();
    let whole = counters::read(&mut conn, &[WHOLE_TREE], &metrics).await.unwrap();
    let summed = counters::read(&mut conn, &roots, &metrics).await.unwrap();
    drop(conn);
    let exemplars: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM exemplars").fetch_one(app.db.reader()).await.unwrap();
    assert!(exemplars > 0);
    for m in metrics {
        assert_eq!(whole.sum(m, |_| true), summed.sum(m, |_| true), "{m:?}");
    }
    assert_eq!(whole.sum(Metric::Exemplars, |_| true), exemplars);
    // The figures of the whole tree, named as `/` or as every root, read it.
    let root_paths: Vec<OrgPath> = roots.iter().map(|id| OrgPath::root(*id)).collect();
    for within in [vec![OrgPath::whole_tree()], root_paths] {
        let c = figures::counts(&app.db, &within, &metrics).await.unwrap();
        assert_eq!(c.sum(Metric::Exemplars, |_| true), exemplars);
    }
});
