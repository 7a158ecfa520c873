//! The store on both backends, called directly.

use crate::both;
use dienhinh_domain::OrgPath;
use dienhinh_store::orgs::{self, OrgInput};
use dienhinh_store::users::{self, NewUser, UserFilter};
use dienhinh_store::{Actor, StoreError};

both!(moving_a_node_moves_its_subtree_and_keeps_history, |app| {
    let actor = Actor::system("test");
    let dienluc = app.org("Đảng bộ Công ty Điện lực Nam Định").await;
    // A TCCS may stand under the Tỉnh ủy as under the bloc (`OrgKind::may_hold`).
    let tinh = app.org("Tỉnh ủy Nam Định").await;
    let chibo = app.org("Chi bộ Phòng Kỹ thuật").await;
    let canbo = users::by_username(&app.db, "canbo").await.unwrap();
    assert_eq!(canbo.org_path, dienluc.path);
    let moved = orgs::move_to(&app.db, &actor, dienluc.id, dienluc.version, tinh.id).await.unwrap();
    assert_eq!(moved.path.as_str(), format!("{}{}/", tinh.path, dienluc.id));
    assert_eq!(moved.depth, tinh.depth + 1);
    let chibo_after = orgs::get(&app.db, chibo.id).await.unwrap();
    assert_eq!(chibo_after.path.as_str(), format!("{}{}/", moved.path, chibo.id));
    assert_eq!(chibo_after.depth, chibo.depth - 1);
    let canbo_after = users::by_username(&app.db, "canbo").await.unwrap();
    assert_eq!(canbo_after.org_path, moved.path, "people move with their node");
    let history = orgs::moves(&app.db, dienluc.id).await.unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].from_path, dienluc.path.as_str());
    // Stale version, and a move into its own subtree, are refused.
    assert!(matches!(orgs::move_to(&app.db, &actor, dienluc.id, dienluc.version, tinh.id).await, Err(StoreError::Conflict { .. })));
    let Err(StoreError::Invalid(inv)) = orgs::move_to(&app.db, &actor, dienluc.id, moved.version, chibo.id).await else { panic!("a move into its own subtree") };
    assert_eq!(inv.0[0].code, "cycle");
});

both!(sibling_ids_sharing_a_prefix_are_not_in_the_subtree, |app| {
    let actor = Actor::system("test");
    let root = app.org("Tỉnh ủy Nam Định").await;
    // Create enough nodes that ids like 2 and 20..29 both exist.
    let mut made = vec![];
    for i in 0..30 {
        made.push(orgs::create(&app.db, &actor, OrgInput { parent_id: Some(root.id), kind: "don_vi".into(), name: format!("Đơn vị {i}"), short_name: String::new() }).await.unwrap());
    }
    for o in &made {
        let page = orgs::list(&app.db, &orgs::OrgFilter { within: vec![o.org_path()], limit: Some(200), ..Default::default() }).await.unwrap();
        assert_eq!(page.items.len(), 1, "subtree of a leaf is itself ({})", o.path);
    }
});

both!(keyset_paging_visits_everyone_once_in_vietnamese_order, |app| {
    let actor = Actor::system("test");
    let org = app.org("Đảng bộ Sở Y tế").await;
    let names = ["Đặng Văn Ân", "Nguyễn Thị Hoà", "Nguyễn Thị Hòa", "Ông Văn Ba", "Ưng Thị Cúc", "Bùi Đức An", "Đỗ An", "Lê Ánh"];
    for (i, n) in names.iter().enumerate() {
        users::create(&app.db, &actor, NewUser { username: format!("nguoi{i}"), full_name: n.to_string(), position: String::new(), org_id: org.id, role: "nguoi_xem".into(), password: "mat-khau-dai-du".into() })
            .await
            .unwrap();
    }
    let mut seen = vec![];
    let mut cursor = None;
    loop {
        let page = users::list(&app.db, &UserFilter { within: vec![org.org_path()], cursor: cursor.clone(), limit: Some(3), ..Default::default() }).await.unwrap();
        seen.extend(page.items.iter().map(|u| u.full_name.clone()));
        match page.next {
            Some(n) => cursor = Some(n),
            None => break,
        }
    }
    assert_eq!(seen.len(), names.len(), "{seen:?}");
    let pos = |n: &str| seen.iter().position(|s| s == n).unwrap();
    assert!(pos("Bùi Đức An") < pos("Đặng Văn Ân"), "B before Đ");
    assert!(pos("Đỗ An") < pos("Lê Ánh"));
    assert!(pos("Ông Văn Ba") < pos("Ưng Thị Cúc"), "Ô before Ư");
    // The name was stored in the one canonical tone placement.
    assert_eq!(seen.iter().filter(|s| s.as_str() == "Nguyễn Thị Hòa").count(), 2);
    let search = users::list(&app.db, &UserFilter { within: vec![OrgPath("/".into())], q: Some("nguyen thi hoa".into()), ..Default::default() }).await.unwrap();
    assert_eq!(search.items.len(), 2, "diacritic-insensitive match");
});

both!(duplicate_usernames_are_refused_whatever_the_case, |app| {
    let org = app.org("Đảng bộ Sở Y tế").await;
    let res = users::create(&app.db, &Actor::system("test"), NewUser { username: "  CapUy ".into(), full_name: "X".into(), position: String::new(), org_id: org.id, role: "nguoi_xem".into(), password: "mat-khau-dai-du".into() }).await;
    match res {
        Err(StoreError::Invalid(inv)) => assert_eq!(inv.0[0].code, "taken"),
        other => panic!("expected taken, got {other:?}"),
    }
});

both!(sessions_and_tokens_store_only_hashes, |app| {
    let user = users::by_username(&app.db, "btv").await.unwrap();
    let (token, _) = users::start_session(&app.db, &user).await.unwrap();
    let api = users::create_token(&app.db, &Actor::system("test"), user.id, "script").await.unwrap();
    let stored: Vec<String> = sqlx::query_scalar("SELECT id_hash FROM sessions").fetch_all(app.db.reader()).await.unwrap();
    assert!(!stored.contains(&token));
    let hashes: Vec<String> = sqlx::query_scalar("SELECT token_hash FROM api_tokens").fetch_all(app.db.reader()).await.unwrap();
    assert!(!hashes.contains(&api));
    assert_eq!(users::session(&app.db, &token).await.unwrap().unwrap().user.id, user.id);
    assert_eq!(users::user_for_token(&app.db, &api).await.unwrap().unwrap().id, user.id);
    users::end_session(&app.db, &token).await.unwrap();
    assert!(users::session(&app.db, &token).await.unwrap().is_none());
    let pw: String = sqlx::query_scalar("SELECT password_hash FROM users WHERE username = 'btv'").fetch_one(app.db.reader()).await.unwrap();
    assert!(pw.starts_with("$argon2id$"));
});

both!(a_users_roles_read_alike_on_every_path_in_the_order_given, |app| {
    // Roles come back as one aggregated column: names that need escaping,
    // several roles in the order they were given, and a person with none.
    let system = Actor::system("test");
    let tinh = app.org("Tỉnh ủy Nam Định").await;
    let odd = orgs::create(&app.db, &system, OrgInput { parent_id: Some(tinh.id), kind: "dang_uy_khoi".into(), name: r#"Đảng ủy Khối "Số 2" \ {x} – ƯỚC"#.into(), short_name: String::new() }).await.unwrap();
    let user = users::create(&app.db, &system, NewUser { username: "nhieu.vaitro".into(), full_name: "Trần Thị Nhiều".into(), position: String::new(), org_id: tinh.id, role: "nguoi_xem".into(), password: "mat-khau-dai-du".into() }).await.unwrap();
    for (role, org) in [("ban_tuyen_giao", odd.id), ("can_bo_tccs", tinh.id)] {
        sqlx::query("INSERT INTO role_assignments (user_id, role, org_id, created_at) VALUES ($1, $2, $3, 0)").bind(user.id).bind(role).bind(org).execute(app.db.reader()).await.unwrap();
    }
    let seen = |u: &users::User| u.roles.iter().map(|r| (r.role.code().to_string(), r.org_id, r.org_name.clone(), r.org_path.clone())).collect::<Vec<_>>();
    let want = vec![
        ("nguoi_xem".to_string(), tinh.id, tinh.name.clone(), tinh.path.clone()),
        ("ban_tuyen_giao".to_string(), odd.id, odd.name.clone(), odd.path.clone()),
        ("can_bo_tccs".to_string(), tinh.id, tinh.name.clone(), tinh.path.clone()),
    ];
    let (token, _) = users::start_session(&app.db, &user).await.unwrap();
    let api = users::create_token(&app.db, &system, user.id, "script").await.unwrap();
    assert_eq!(seen(&users::get(&app.db, user.id).await.unwrap()), want);
    assert_eq!(seen(&users::by_username(&app.db, "nhieu.vaitro").await.unwrap()), want);
    assert_eq!(seen(&users::session(&app.db, &token).await.unwrap().unwrap().user), want);
    assert_eq!(seen(&users::user_for_token(&app.db, &api).await.unwrap().unwrap()), want);
    sqlx::query("DELETE FROM role_assignments WHERE user_id = $1").bind(user.id).execute(app.db.reader()).await.unwrap();
    let none = users::session(&app.db, &token).await.unwrap().unwrap().user;
    assert_eq!((none.full_name.as_str(), none.roles.len()), ("Trần Thị Nhiều", 0));
    assert!(users::get(&app.db, user.id).await.unwrap().roles.is_empty());
});

both!(demo_holds_plan_48_and_its_criteria_word_for_word, |app| {
    let duk = app.org("Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh Nam Định").await;
    let plans = dienhinh_store::plans::plans_for(&app.db, &duk.path).await.unwrap();
    let plan = plans.iter().find(|p| p.number == "48-KH/ĐUK").expect("plan 48");
    assert_eq!((plan.period_from, plan.period_to), (2022, 2025));
    assert!(plan.bases.contains("Kế hoạch số 46-KH/BTGTU, ngày 03/7/2023"));
    let sets = dienhinh_store::plans::criteria_sets_for(&app.db, &duk.path).await.unwrap();
    let set = sets.iter().find(|s| s.plan_id == Some(plan.id)).unwrap();
    assert_eq!(set.criteria.len(), 6);
    for c in &set.criteria {
        assert!(dienhinh::seed::PLAN_48_TEXT.contains(&c.text), "{}", c.code);
    }
    // Demo loads once.
    assert!(dienhinh::demo::load(&app.db, &app.files, Some("x")).await.unwrap().is_none());
});

both!(unit_picker_shows_one_level_at_a_time_and_reaches_every_node, |app| {
    let khoi = app.org("Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh Nam Định").await;
    let dienluc = app.org("Đảng bộ Công ty Điện lực Nam Định").await;
    let taichinh = app.org("Đảng bộ Sở Tài chính").await;
    let chibo = app.org("Chi bộ Phòng Kỹ thuật").await;
    let pick = |roots: Vec<OrgPath>, selected: Option<i64>| {
        let db = app.db.clone();
        async move { orgs::picker(&db, &roots, selected).await.unwrap().into_iter().map(|c| (c.id, c.indent)).collect::<Vec<_>>() }
    };
    // Nothing chosen: the root and its children, no grandchildren.
    let top = pick(vec![khoi.org_path()], None).await;
    assert_eq!(top[0], (khoi.id, 0));
    assert!(top.contains(&(dienluc.id, 1)) && top.contains(&(taichinh.id, 1)));
    assert!(!top.iter().any(|(id, _)| *id == chibo.id), "grandchildren wait for their parent to be chosen");
    // A node chosen: the chain down to it and its children, not its siblings.
    let down = pick(vec![khoi.org_path()], Some(dienluc.id)).await;
    assert_eq!(&down[..2], &[(khoi.id, 0), (dienluc.id, 1)]);
    assert!(down.contains(&(chibo.id, 2)));
    assert!(!down.iter().any(|(id, _)| *id == taichinh.id));
    // A choice outside the caller's subtrees counts as none.
    let outside = pick(vec![dienluc.org_path()], Some(taichinh.id)).await;
    assert_eq!(outside, pick(vec![dienluc.org_path()], None).await);
    assert_eq!(outside[0], (dienluc.id, 0));
    // Every node of the subtree is offered once its parent is chosen.
    for o in app.all_orgs().await.iter().filter(|o| khoi.org_path().contains(&o.org_path())) {
        let shown = pick(vec![khoi.org_path()], o.parent_id.filter(|_| o.id != khoi.id)).await;
        assert!(shown.iter().any(|(id, _)| *id == o.id), "{} is reachable", o.name);
    }
});

/// Columns that hold an org path but keep it as it was when written: moves
/// leave them alone, and the schema test names them so that no other column
/// escapes the registry unnoticed.
const HISTORY_PATHS: &[(&str, &str, &str)] = &[
    ("audit_log", "org_path", "append-only history: the database refuses UPDATE"),
    ("org_moves", "from_path", "the record of a move: where the node was"),
    ("org_moves", "to_path", "the record of a move: where the node went"),
];

both!(every_path_column_in_the_schema_moves_with_its_org, |app| {
    use dienhinh_domain::RecordKind;
    use std::collections::BTreeSet;
    let sql = match app.db.backend {
        dienhinh_store::Backend::Sqlite => "SELECT m.name AS t, p.name AS c FROM sqlite_master m, pragma_table_info(m.name) p WHERE m.type = 'table'",
        dienhinh_store::Backend::Postgres => {
            "SELECT CAST(table_name AS TEXT) AS t, CAST(column_name AS TEXT) AS c FROM information_schema.columns WHERE table_schema = current_schema()"
        }
    };
    let columns: Vec<(String, String)> = sqlx::query_as(sql).fetch_all(app.db.reader()).await.unwrap();
    let (history, moved): (BTreeSet<_>, BTreeSet<_>) = columns
        .into_iter()
        .filter(|(_, c)| c.ends_with("path"))
        .partition(|(t, c)| HISTORY_PATHS.iter().any(|(ht, hc, _)| t == ht && c == hc));
    let registry: BTreeSet<_> = RecordKind::all_path_columns().iter().map(|p| (p.table.to_string(), p.column.to_string())).collect();
    assert_eq!(moved, registry, "every path column is declared in RecordKind::path_columns (or is history)");
    assert_eq!(history.len(), HISTORY_PATHS.len(), "every history column still exists: {history:?}");
});

both!(loaders_of_what_binds_a_node_keep_root_first_and_newest_first, |app| {
    use dienhinh_store::{exemplars, plans};
    let actor = Actor::system("test");
    let khoi = app.org("Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh Nam Định").await;
    let dienluc = app.org("Đảng bộ Công ty Điện lực Nam Định").await;
    let chibo = app.org("Chi bộ Phòng Kỹ thuật").await;
    // Movements: the bloc's before the company's, each node's newest year first.
    let mut made = vec![];
    for (org, name, year) in [(&dienluc, "PT công ty cũ", 2021), (&khoi, "PT khối cũ", 2020), (&dienluc, "PT công ty mới", 2024), (&khoi, "PT khối mới", 2023)] {
        made.push(exemplars::create_movement(&app.db, &actor, org.id, name, "", (year, None)).await.unwrap().name);
    }
    let names: Vec<String> = exemplars::movements_for(&app.db, &chibo.org_path()).await.unwrap().into_iter().map(|m| m.name).filter(|n| made.contains(n)).collect();
    assert_eq!(names, ["PT khối mới", "PT khối cũ", "PT công ty mới", "PT công ty cũ"]);
    // Plans and criteria sets: the root's first.
    let at_chibo = plans::plans_for(&app.db, &chibo.path).await.unwrap();
    assert!(at_chibo.windows(2).all(|w| w[0].org_path.as_str().len() <= w[1].org_path.as_str().len()), "root first");
    assert!(at_chibo.iter().any(|p| p.org_id == khoi.id) && at_chibo.iter().any(|p| p.org_id == dienluc.id));
    let sets = plans::criteria_sets_for(&app.db, &chibo.path).await.unwrap();
    assert!(sets.len() >= 2 && sets.windows(2).all(|w| w[0].org_path.as_str().len() <= w[1].org_path.as_str().len()));
    // The criteria of many sets at once are those of each set, in order.
    let ids: Vec<i64> = sets.iter().map(|s| s.id).collect();
    let many = plans::criteria_of_sets(&app.db, &ids).await.unwrap();
    for s in &sets {
        assert!(!s.criteria.is_empty());
        let codes = |v: &[plans::Criterion]| v.iter().map(|c| c.code.clone()).collect::<Vec<_>>();
        assert_eq!(codes(&many[&s.id]), codes(&s.criteria));
        assert_eq!(codes(&plans::criteria_set(&app.db, s.id).await.unwrap().criteria), codes(&s.criteria));
    }
    assert!(plans::criteria_of_sets(&app.db, &[]).await.unwrap().is_empty());
});
