//! Every form that chooses a unit reaches any unit of a large tree (one
//! level at a time, never "the first N units"); its drill-down keeps what
//! was typed and saves nothing. The org page lists all of a node's people.

use crate::both;
use crate::helpers::{TestApp, PASSWORD};
use dienhinh_domain::OrgPath;
use dienhinh_store::bulk::{self, Inserter, Val};
use dienhinh_store::orgs::{self, Org};
use dienhinh_store::{users, Actor};
use dienhinh_text as text;
use reqwest::StatusCode;

const KHOI: &str = "Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh Nam Định";

/// Under the bloc, a district with 25 TCCS of 24 chi bộ each, whose 625
/// names all sort before the TCCS and chi bộ the forms must reach (so these
/// are far beyond any "first 500 units"). Returns (that TCCS, its chi bộ).
async fn wide_tree(app: &TestApp) -> (Org, Org) {
    let khoi = app.org(KHOI).await;
    let mut ins = Inserter::new(app.db.backend, "orgs", &["id", "parent_id", "kind", "name", "short_name", "name_key", "sort_key", "path", "depth", "created_at", "updated_at"]);
    let mut next_id = 900_000;
    let mut node = |ins: &mut Inserter, parent: &OrgPath, kind: &str, name: String| {
        next_id += 1;
        let path = parent.child(next_id);
        let parent_id = parent.ids().last().copied();
        let (key, sort) = (text::fold(&name), text::sort_key(&name));
        ins.push([Val::Int(next_id), Val::OptInt(parent_id), kind.into(), name.into(), "".into(), key.into(), sort.into(), path.as_str().into(), Val::Int(path.depth() as i64), Val::Int(0), Val::Int(0)]);
        (next_id, path)
    };
    let (_, district) = node(&mut ins, &khoi.org_path(), "dang_uy_khoi", "Đảng ủy Khu công nghiệp".into());
    for t in 1..=25 {
        let (_, tccs) = node(&mut ins, &district, "tccs", format!("Chi bộ A{t:02}"));
        for c in 1..=24 {
            node(&mut ins, &tccs, "chi_bo", format!("Chi bộ A{t:02}-{c:02}"));
        }
    }
    let (tccs_id, tccs) = node(&mut ins, &district, "tccs", "Đảng bộ Xuân Cuối".into());
    let (chibo_id, _) = node(&mut ins, &tccs, "chi_bo", "Chi bộ Xóm Cuối".into());
    let mut tx = app.db.begin().await.unwrap();
    ins.flush(&mut tx).await.unwrap();
    bulk::reset_id_sequence(&mut tx, app.db.backend, "orgs").await.unwrap();
    tx.commit().await.unwrap();
    (orgs::get(&app.db, tccs_id).await.unwrap(), orgs::get(&app.db, chibo_id).await.unwrap())
}

/// A form with a unit picker, as a user fills it in.
struct Form {
    user: &'static str,
    page: String,
    action: String,
    field: &'static str,
    typed: Vec<(&'static str, String)>,
    /// The saved row shows up here: `SELECT COUNT(*) … WHERE <where> = <target id>`.
    table: &'static str,
    column: &'static str,
}

fn option(id: i64) -> String {
    format!("<option value=\"{id}\"")
}

async fn count(app: &TestApp, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(app.db.reader()).await.unwrap()
}

/// Goes down to `target` the way a person does (choose a unit, then "Xem
/// các đơn vị trực thuộc"), each step keeping what was typed and saving
/// nothing; then saves with `target` chosen.
async fn reach_and_save(app: &TestApp, f: &Form, target: &Org) {
    let (c, csrf) = app.sign_in(f.user).await;
    let first = c.get(app.url(&f.page)).send().await.unwrap().text().await.unwrap();
    assert!(!first.contains(&option(target.id)), "{}: the picker starts at the top, not with a flat list", f.page);
    let chain = target.org_path().ids();
    let from = chain.iter().position(|id| first.contains(&option(*id))).unwrap_or_else(|| panic!("{}: no unit of the chain at the top", f.page));
    let before = count(app, f.table).await;
    for pair in chain[from..].windows(2) {
        let chosen = pair[0].to_string();
        let mut body: Vec<(&str, &str)> = vec![("_csrf", &csrf), (f.field, &chosen), ("drill", "1")];
        body.extend(f.typed.iter().map(|(k, v)| (*k, v.as_str())));
        let res = c.post(app.url(&f.action)).form(&body).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{}: drill-down", f.action);
        let html = res.text().await.unwrap();
        assert!(html.contains(&format!("{} selected", option(pair[0]))), "{}: the chosen unit stays chosen", f.action);
        assert!(html.contains(&option(pair[1])), "{}: one level down shows the next unit", f.action);
        // (A password is never sent back to the browser.)
        for (k, v) in f.typed.iter().filter(|(k, _)| !["version", "password"].contains(k)) {
            assert!(html.contains(v.as_str()), "{}: what was typed in {k} is kept", f.action);
        }
        assert!(!html.contains("field-error"), "{}: no validation on the way down", f.action);
        assert_eq!(count(app, f.table).await, before, "{}: nothing saved by the drill-down", f.action);
    }
    let chosen = target.id.to_string();
    let mut body: Vec<(&str, &str)> = vec![("_csrf", &csrf), (f.field, &chosen)];
    body.extend(f.typed.iter().map(|(k, v)| (*k, v.as_str())));
    let res = c.post(app.url(&f.action)).form(&body).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{}: saved at the unit reached", f.action);
    let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {} WHERE {} = $1", f.table, f.column)).bind(target.id).fetch_one(app.db.reader()).await.unwrap();
    assert!(n >= 1, "{}: a row at {}", f.action, target.name);
}

fn typed(pairs: &[(&'static str, &str)]) -> Vec<(&'static str, String)> {
    pairs.iter().map(|(k, v)| (*k, v.to_string())).collect()
}

both!(every_unit_picker_reaches_a_unit_beyond_the_first_500_and_drilling_saves_nothing, |app| {
    let (tccs, chibo) = wide_tree(&app).await;
    assert!(app.all_orgs().await.len() > 640);
    // A cấp ủy of the whole bloc enters data and approves for all of it.
    let khoi = app.org(KHOI).await;
    let input = users::NewUser { username: "capuy.khoi".into(), full_name: "Cấp ủy Khối".into(), position: String::new(), org_id: khoi.id, role: "cap_uy".into(), password: PASSWORD.into() };
    users::create(&app.db, &Actor::system("test"), input).await.unwrap();
    let ccb = app.org("Hội Cựu chiến binh Khối").await;
    let forms = [
        Form { user: "admin", page: "/orgs/new".into(), action: "/orgs".into(), field: "parent_id", typed: typed(&[("name", "Phòng đang gõ dở"), ("short_name", "PĐ"), ("kind", "don_vi")]), table: "orgs", column: "parent_id" },
        Form { user: "admin", page: format!("/orgs/{}", ccb.id), action: format!("/orgs/{}/move", ccb.id), field: "parent_id", typed: typed(&[("version", &ccb.version.to_string()), ("confirmed", "1")]), table: "org_moves", column: "to_parent_id" },
        Form {
            user: "admin",
            page: "/users/new".into(),
            action: "/users".into(),
            field: "org_id",
            typed: typed(&[("username", "nguoi.moi"), ("full_name", "Người Mới Đang Gõ"), ("position", "Bí thư chi bộ"), ("role", "nguoi_xem"), ("password", "mat-khau-rat-dai-1")]),
            table: "users",
            column: "org_id",
        },
        Form { user: "btg", page: "/catalog".into(), action: "/catalog/movements".into(), field: "org_id", typed: typed(&[("movement_name", "Phong trào đang gõ dở"), ("launched_by", "UBND tỉnh"), ("year_from", "2025")]), table: "movements", column: "org_id" },
        Form {
            user: "capuy.khoi",
            page: "/catalog".into(),
            action: "/catalog/criteria".into(),
            field: "org_id",
            typed: typed(&[("set_name", "Bộ tiêu chí đang gõ"), ("period_from", "2026"), ("period_to", "2027"), ("criteria", "Tiêu chí thứ nhất đang gõ")]),
            table: "criteria_sets",
            column: "org_id",
        },
        Form { user: "capuy.khoi", page: "/models".into(), action: "/models".into(), field: "org_id", typed: typed(&[("year", "2026"), ("title", "Mô hình đang gõ dở")]), table: "annual_models", column: "org_id" },
        Form { user: "capuy.khoi", page: "/exemplars/new".into(), action: "/exemplars".into(), field: "org_id", typed: typed(&[("kind", "ca_nhan"), ("name", "Người đang gõ dở"), ("year_found", "2026")]), table: "exemplars", column: "org_id" },
    ];
    for f in &forms {
        // The movement, criteria and model forms choose a TCCS, and so do a new unit and a
        // moved union (a chi bộ holds nothing: `OrgKind::may_hold`); the others go down to its chi bộ.
        let target = if matches!(f.table, "movements" | "criteria_sets" | "annual_models" | "orgs" | "org_moves") { &tccs } else { &chibo };
        reach_and_save(&app, f, target).await;
    }
    // A form that takes only a TCCS refuses a chi bộ (and saves nothing).
    let (c, csrf) = app.sign_in("capuy.khoi").await;
    let before = count(&app, "annual_models").await;
    let id = chibo.id.to_string();
    let res = c.post(app.url("/models")).form(&[("_csrf", csrf.as_str()), ("org_id", &id), ("year", "2026"), ("title", "Mô hình ở chi bộ")]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Chỉ chọn được TCCS đảng."));
    assert_eq!(count(&app, "annual_models").await, before);
});

both!(a_picker_over_many_roots_lists_the_roots_then_one_level_at_a_time, |app| {
    // A role at 26 units (as a country-wide role holds every province):
    // with nothing chosen, the roots alone, not hundreds of their children.
    let (last, chibo) = wide_tree(&app).await;
    let district = orgs::get(&app.db, last.parent_id.unwrap()).await.unwrap();
    let roots: Vec<OrgPath> = orgs::children(&app.db, district.id).await.unwrap().iter().map(|o| o.org_path()).collect();
    assert_eq!(roots.len(), 26);
    let shown = orgs::picker(&app.db, &roots, None).await.unwrap();
    assert_eq!(shown.len(), 26, "only the roots");
    assert!(shown.iter().all(|c| c.indent == 0));
    // Choosing one shows its level: the unit and its children.
    let chosen = orgs::picker(&app.db, &roots, Some(last.id)).await.unwrap();
    assert!(chosen.iter().any(|c| c.id == chibo.id && c.indent == 1), "{chosen:?}");
    // A few roots still open on their children.
    let one = orgs::picker(&app.db, &[district.org_path()], None).await.unwrap();
    assert_eq!(one.len(), 27, "the district and its 26 TCCS");
});

both!(org_page_lists_every_user_of_the_node_itself_page_by_page, |app| {
    // 120 people just below the bloc whose names sort first, and 55 at the
    // bloc itself: a "first 100 of the subtree, then filter" list shows none.
    let khoi = app.org(KHOI).await;
    let dienluc = app.org("Đảng bộ Công ty Điện lực Nam Định").await;
    let mut ins = Inserter::new(app.db.backend, "users", &["id", "username", "full_name", "name_key", "sort_key", "org_id", "org_path", "password_hash", "created_at", "updated_at"]);
    for (i, (at, name)) in (0..120).map(|i| (&dienluc, format!("An Văn {i:03}"))).chain((0..55).map(|i| (&khoi, format!("Vũ Thị {i:03}")))).enumerate() {
        let id = 800_000 + i as i64;
        ins.push([Val::Int(id), format!("u{id}").into(), name.clone().into(), text::fold(&name).into(), text::sort_key(&name).into(), Val::Int(at.id), at.path.clone().into(), "x".into(), Val::Int(0), Val::Int(0)]);
    }
    let mut tx = app.db.begin().await.unwrap();
    ins.flush(&mut tx).await.unwrap();
    bulk::reset_id_sequence(&mut tx, app.db.backend, "users").await.unwrap();
    tx.commit().await.unwrap();
    let want: Vec<i64> = sqlx::query_scalar("SELECT id FROM users WHERE org_id = $1 ORDER BY id").bind(khoi.id).fetch_all(app.db.reader()).await.unwrap();
    assert!(want.len() > 55);
    let (c, _) = app.sign_in("admin").await;
    let mut seen = vec![];
    let mut url = format!("/orgs/{}", khoi.id);
    let mut pages = 0;
    loop {
        let html = c.get(app.url(&url)).send().await.unwrap().text().await.unwrap();
        pages += 1;
        seen.extend(html.split("href=\"/users/").skip(1).filter_map(|s| s.split('"').next()?.parse::<i64>().ok()));
        let next = format!("href=\"/orgs/{}?people=", khoi.id);
        match html.split(&next).nth(1) {
            Some(rest) => url = format!("/orgs/{}?people={}", khoi.id, rest.split('"').next().unwrap()),
            None => break,
        }
    }
    seen.sort_unstable();
    assert_eq!(seen, want, "every person of the node, no one from below");
    assert!(pages > 1, "a long list is paged");
});
