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
        let c = figures::counts(&app.db, &figures::Within::of(&app.db, &within).await.unwrap(), &metrics).await.unwrap();
        assert_eq!(c.sum(Metric::Exemplars, |_| true), exemplars);
    }
});

/// The home card's "recognised, not yet evaluated this year", from the counters.
async fn evaluations_due(app: &TestApp, within: &[dienhinh_domain::OrgPath], year: i64) -> i64 {
    use dienhinh_domain::counter::Metric;
    use dienhinh_store::figures;
    let w = figures::Within::of(&app.db, within).await.unwrap();
    let c = figures::counts(&app.db, &w, &[Metric::Exemplars, Metric::RecognisedEvaluated]).await.unwrap();
    let want = figures::ActionsWanted { evaluations: true, ..Default::default() };
    figures::actions(&app.db, &w, &c, year, want).await.unwrap().evaluations_due
}

/// The recognised exemplars in the subtree with no evaluation for `year`,
/// in SQL: what the list `/exemplars?evaluation_due=1` shows.
async fn not_evaluated(app: &TestApp, within: &dienhinh_domain::OrgPath, year: i64) -> i64 {
    let sql = "SELECT COUNT(*) AS n FROM exemplars e WHERE e.org_path >= $1 AND e.org_path < $2 AND e.status IN ('cong_nhan', 'nhan_rong') \
               AND NOT EXISTS (SELECT 1 FROM evaluations v WHERE v.exemplar_id = e.id AND v.period_year = $3)";
    let r = sqlx::query(sql).bind(within.as_str()).bind(within.subtree_upper_bound()).bind(year).fetch_one(app.db.reader()).await.unwrap();
    sqlx::Row::get(&r, "n")
}

/// The counters are fresh and the figure equals the list, for the whole
/// tree and the unit; the figures.
async fn evaluations_due_checked(app: &TestApp, unit: &dienhinh_domain::OrgPath, year: i64, after: &str) -> Vec<i64> {
    use dienhinh_domain::OrgPath;
    assert_fresh(app, after).await;
    let mut figures = vec![];
    for within in [OrgPath::whole_tree(), unit.clone()] {
        let figure = evaluations_due(app, std::slice::from_ref(&within), year).await;
        assert_eq!(figure, not_evaluated(app, &within, year).await, "{after}: {within:?}");
        figures.push(figure);
    }
    figures
}

both!(evaluations_due_follow_evaluations_and_steps, |app| {
    // The figure is the recognised less those counted as evaluated in the
    // year: it stays the list's count while exemplars are recognised,
    // evaluated (once or twice in a year), evaluated before recognition,
    // and dropped.
    use dienhinh_domain::exemplar::Step;
    use dienhinh_store::evaluations::{self, EvaluationInput, ScoreInput};
    let capuy = dienhinh_store::users::by_username(&app.db, "capuy").await.unwrap();
    let (actor, who) = (capuy.actor(), capuy.assignments());
    let unit = app.org("Đảng bộ Công ty Điện lực Nam Định").await;
    let at = unit.org_path();
    // The latest year a criteria set of the unit covers (the demo's plan may end before today).
    let set = dienhinh_store::plans::criteria_sets_for(&app.db, &at).await.unwrap().into_iter().max_by_key(|s| s.period_to).expect("a criteria set");
    let year = set.period_to.min(dienhinh_domain::clock::current_year());
    let start = evaluations_due_checked(&app, &at, year, "the demo").await;
    let plus = |n: i64| start.iter().map(|x| x + n).collect::<Vec<_>>();

    let decision = exemplars::DecisionInput { decision_no: "15-NQ/ĐU".into(), decided_on: dienhinh_domain::clock::today_iso() };
    let found = |name: &'static str| {
        let (db, actor) = (app.db.clone(), actor.clone());
        async move {
            let input = ExemplarInput { org_id: unit.id, kind: "ca_nhan".into(), name: name.into(), year_found: year, ..Default::default() };
            exemplars::create(&db, &actor, input).await.unwrap().id
        }
    };
    let step = |id: i64, step: Step| {
        let (db, actor, who, decision) = (app.db.clone(), actor.clone(), who.clone(), decision.clone());
        async move {
            let e = exemplars::get(&db, id).await.unwrap();
            exemplars::take_step(&db, &actor, &who, e.id, e.version, step, "Theo nghị quyết của cấp ủy", &decision).await.unwrap();
        }
    };
    let evaluate = |id: i64| {
        let (db, actor, set) = (app.db.clone(), actor.clone(), set.clone());
        async move {
            let e = exemplars::get(&db, id).await.unwrap();
            let scores = set.criteria.iter().filter(|c| c.applies_to.covers(e.kind)).map(|c| ScoreInput { criterion_id: c.id, result: "dat".into(), score: Some(9.0), comment: String::new() }).collect();
            let input = EvaluationInput { criteria_set_id: set.id, period_year: year, evaluated_on: format!("{year}-12-15"), evaluator: "Đảng ủy Công ty".into(), scores, ..Default::default() };
            evaluations::add(&db, &actor, id, input).await.unwrap();
        }
    };
    let check = |after: &'static str| evaluations_due_checked(&app, &at, year, after);

    let a = found("Đỗ Thị Kiểm Thử").await;
    step(a, Step::Foster).await;
    assert_eq!(check("fostering").await, start, "not recognised, not due");
    step(a, Step::Recognise).await;
    assert_eq!(check("a recognition").await, plus(1));
    evaluate(a).await;
    assert_eq!(check("its evaluation").await, start);
    evaluate(a).await;
    assert_eq!(check("its second evaluation in the year").await, start, "a year counts once");
    assert_eq!(dienhinh_store::write::get::<exemplars::Exemplar>(&app.db, a).await.unwrap().evaluated_years, [year]);

    let b = found("Lê Văn Đánh Giá").await;
    step(b, Step::Foster).await;
    evaluate(b).await;
    assert_eq!(check("a fostered exemplar's evaluation").await, start);
    step(b, Step::Recognise).await;
    assert_eq!(check("its recognition, already evaluated").await, start);
    step(b, Step::Drop).await;
    assert_eq!(check("its drop").await, start);

    let c = found("Trần Thị Chưa Đánh Giá").await;
    step(c, Step::Foster).await;
    step(c, Step::Recognise).await;
    assert_eq!(check("a recognition").await, plus(1));
    step(c, Step::Drop).await;
    assert_eq!(check("a drop while due").await, start);
});

/// The home page's "TCCS without an approved model of `year`", from the
/// counters, and what the list counts in SQL, for a subtree.
async fn models_missing(app: &TestApp, within: &dienhinh_domain::OrgPath, year: i64) -> (i64, i64) {
    use dienhinh_domain::counter::Metric;
    use dienhinh_store::figures;
    let w = figures::Within::of(&app.db, std::slice::from_ref(within)).await.unwrap();
    let c = figures::counts(&app.db, &w, &[Metric::Orgs, Metric::TccsApprovedModel]).await.unwrap();
    let sql = "SELECT COUNT(*) AS n FROM orgs o WHERE o.path >= $1 AND o.path < $2 AND o.kind = 'tccs' \
               AND NOT EXISTS (SELECT 1 FROM annual_models m WHERE m.org_id = o.id AND m.year = $3 AND m.status = 'da_duyet')";
    let r = sqlx::query(sql).bind(within.as_str()).bind(within.subtree_upper_bound()).bind(year).fetch_one(app.db.reader()).await.unwrap();
    (figures::tccs_without_approved_model(&c, year), sqlx::Row::get(&r, "n"))
}

/// The counters are fresh and the figure equals the list, for the whole
/// tree and the subtree; the figures.
async fn models_missing_checked(app: &TestApp, subtree: dienhinh_domain::OrgPath, year: i64, after: &str) -> Vec<i64> {
    assert_fresh(app, after).await;
    let mut figures = vec![];
    for within in [dienhinh_domain::OrgPath::whole_tree(), subtree] {
        let (figure, listed) = models_missing(app, &within, year).await;
        assert_eq!(figure, listed, "{after}: {within:?}");
        figures.push(figure);
    }
    figures
}

both!(tccs_without_an_approved_model_follow_decisions_and_kinds, |app| {
    // Every TCCS less those counted as having an approved model of their
    // own that year: the list's count while models are approved (two in
    // one year), refused, and a unit re-kinded to and from a TCCS.
    use dienhinh_store::annual_models::{self, AnnualModelInput};
    let actor = Actor::system("test");
    let year = dienhinh_domain::clock::current_year();
    let bloc = app.org("Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh Nam Định").await;
    let check = |after: &'static str| models_missing_checked(&app, bloc.org_path(), year, after);
    let start = check("the demo").await;
    let less = |n: i64| start.iter().map(|x| x - n).collect::<Vec<_>>();
    // A TCCS of the bloc with no approved model this year.
    let unit = app.all_orgs().await.into_iter().find(|o| o.kind.code() == "tccs" && bloc.path.contains(&o.path) && o.id != bloc.id).expect("a TCCS");
    let (missing, _) = models_missing(&app, &unit.org_path(), year).await;
    assert_eq!(missing, 1, "the demo's TCCS has no approved model this year");
    let register = |title: &'static str| annual_models::register(&app.db, &actor, AnnualModelInput { org_id: unit.id, year, exemplar_id: None, title: title.into(), description: String::new() });
    let (a, b, c) = (register("Mô hình thứ nhất").await.unwrap(), register("Mô hình thứ hai").await.unwrap(), register("Mô hình thứ ba").await.unwrap());
    assert_eq!(check("registrations").await, start);
    annual_models::decide(&app.db, &actor, a.id, a.version, true, "").await.unwrap();
    assert_eq!(check("an approval").await, less(1));
    annual_models::decide(&app.db, &actor, b.id, b.version, true, "").await.unwrap();
    assert_eq!(check("a second approval in the year").await, less(1), "a year counts once");
    annual_models::decide(&app.db, &actor, c.id, c.version, false, "Chưa đủ điều kiện").await.unwrap();
    assert_eq!(check("a refusal").await, less(1));

    // The TCCS made a unit of another kind, then a TCCS again.
    let now = orgs::get(&app.db, unit.id).await.unwrap();
    let input = |kind: &str| OrgInput { parent_id: now.parent_id, kind: kind.into(), name: now.name.clone(), short_name: now.short_name.clone() };
    let other = orgs::update(&app.db, &actor, now.id, now.version, input("don_vi")).await.unwrap();
    assert_eq!(check("a TCCS with an approved model re-kinded").await, less(1));
    orgs::update(&app.db, &actor, other.id, other.version, input("tccs")).await.unwrap();
    assert_eq!(check("made a TCCS again").await, less(1));
});
