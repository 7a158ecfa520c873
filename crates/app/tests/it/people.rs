//! People are named by their full names wherever the programme records who
//! did what: the timeline, the printed profile, models, conflict messages,
//! home activity and the audit log; never by their login names, including
//! on entries written before names were recorded (read through the user id).

use crate::both;
use reqwest::StatusCode;
use serde_json::{json, Value};

const LOGIN: &str = "capuy";
const NAME: &str = "Phạm Đức Thủy";

/// The page at `path`, as `client` sees it, with its status.
async fn page(app: &crate::helpers::TestApp, client: &reqwest::Client, path: &str) -> String {
    let res = client.get(app.url(path)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    res.text().await.unwrap()
}

/// The page names the person and never by their login name (as a word:
/// `capuy.taichinh` is another person's login, shown nowhere either).
fn names_person(html: &str, what: &str) {
    assert!(html.contains(NAME), "{what}: the full name is shown");
    let login_shown = html.match_indices(LOGIN).any(|(i, _)| {
        let before = html[..i].chars().next_back().unwrap_or(' ');
        !(before.is_alphanumeric() || before == '/' || before == '_' || before == '-')
    });
    assert!(!login_shown, "{what}: the login name «{LOGIN}» is shown");
}

both!(people_are_named_by_full_name_never_login, |app| {
    let c = reqwest::Client::new();
    let canbo = app.token("canbo").await;
    let capuy_id = dienhinh_store::users::by_username(&app.db, LOGIN).await.unwrap().id;
    let org = app.org_id("Đảng bộ Công ty Điện lực Nam Định").await;
    let res = c
        .post(app.url("/api/v1/exemplars"))
        .bearer_auth(&canbo)
        .json(&json!({"org_id": org, "kind": "ca_nhan", "name": "Trịnh Văn Khải", "position": "Kỹ sư", "year_found": 2025, "achievements": "Sáng kiến."}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let id = res.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let steps = app.url(&format!("/api/v1/exemplars/{id}/steps"));
    let res = c.post(&steps).bearer_auth(&canbo).json(&json!({"step": "boi_duong", "reason": "Bồi dưỡng", "version": 1})).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);

    // The cấp ủy recognises it in the browser, then sends the same step
    // again from a stale page: the conflict names who changed it.
    let (web, csrf) = app.sign_in(LOGIN).await;
    let step = app.url(&format!("/exemplars/{id}/steps"));
    let form = |version: &'static str| {
        [("_csrf", csrf.clone()), ("step", "cong_nhan".into()), ("reason", "Cấp ủy công nhận".into()), ("version", version.into()), ("decision_no", "5-NQ/ĐU".into()), ("decided_on", "2025-11-20".into()), ("confirmed", "1".into())]
    };
    let res = web.post(&step).form(&form("2")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = web.post(&step).form(&form("2")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::CONFLICT);
    names_person(&res.text().await.unwrap(), "conflict message");

    // Entries written before names were recorded carry the login name; they
    // are read by the person's id.
    let year = dienhinh_domain::clock::current_year();
    let models = dienhinh_store::annual_models::for_year(&app.db, &[dienhinh_domain::OrgPath("/".into())], year).await.unwrap();
    let decided = models.iter().find(|m| m.decided_by.is_some()).expect("a demo model was decided");
    let mut tx = app.db.begin().await.unwrap();
    sqlx::query(
        "INSERT INTO exemplar_steps (exemplar_id, step, from_status, to_status, from_level, to_level, reason, actor_id, actor, at) \
         VALUES ($1, 'nhan_rong', 'cong_nhan', 'cong_nhan', 'co_so', 'co_so', 'Ghi cũ', $2, $3, $4)",
    )
    .bind(id)
    .bind(capuy_id)
    .bind(LOGIN)
    .bind(1_700_000_000_000i64)
    .execute(&mut *tx)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO audit_log (at, actor_id, actor, action, entity, entity_id, org_path, summary) \
         SELECT $1, $2, $3, 'update', 'exemplar', id, org_path, name FROM exemplars WHERE id = $4",
    )
    .bind(2_000_000_000_000i64)
    .bind(capuy_id)
    .bind(LOGIN)
    .bind(id)
    .execute(&mut *tx)
    .await
    .unwrap();
    sqlx::query("UPDATE annual_models SET decided_by = $1 WHERE id = $2").bind(LOGIN).bind(decided.id).execute(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();

    names_person(&page(&app, &web, &format!("/exemplars/{id}")).await, "timeline");
    names_person(&page(&app, &web, &format!("/exemplars/{id}/print")).await, "printed profile");
    let models = page(&app, &web, &format!("/models?year={}", decided.year)).await;
    assert!(models.contains(NAME) && !models.contains(&format!(">{LOGIN}<")) && !models.contains(&format!("{LOGIN}:")), "models");
    let (admin, _) = app.sign_in("admin").await;
    names_person(&page(&app, &admin, "/").await, "home activity");
    let audit = page(&app, &admin, "/audit?signins=1").await;
    names_person(&audit, "audit log");
    // Sign-ins are recorded with the person's name too.
    assert!(audit.contains("Đăng nhập"));

    // The API's log answers the same names.
    let log: Value = c.get(app.url(&format!("/api/v1/audit?entity=exemplar&entity_id={id}"))).bearer_auth(app.token("admin").await).send().await.unwrap().json().await.unwrap();
    assert!(log["items"].as_array().unwrap().iter().all(|e| e["actor"] != LOGIN));
});

/// How many rows of the audit page name `who` as the one who acted.
fn rows_by(html: &str, who: &str) -> usize {
    html.matches(&format!("data-label=\"Người thực hiện\">{who}<")).count()
}

both!(audit_log_reads_in_words_and_finds_people_by_name, |app| {
    let parent = app.org_id("Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh Nam Định").await;
    let id = app.create_tccs("admin", parent, "Đảng bộ Sở Nội vụ").await;
    let res = app.rename_tccs("admin", id, 1, "Đảng bộ Sở Nội vụ tỉnh").await;
    assert_eq!(res.status(), StatusCode::OK);
    let (_capuy, _) = app.sign_in(LOGIN).await;
    let (admin, _) = app.sign_in("admin").await;

    // Before and after in words: the field's label, the values, no JSON.
    let html = page(&app, &admin, &format!("/audit?entity=org&entity_id={id}")).await;
    assert!(html.contains("<dt>Tên</dt>"), "field label");
    assert!(html.contains("<del>Đảng bộ Sở Nội vụ</del> → <ins>Đảng bộ Sở Nội vụ tỉnh</ins>"), "before → after");
    assert!(html.contains(dienhinh_domain::OrgKind::Tccs.label()), "a code by its label");
    assert!(!html.contains("&quot;name&quot;") && !html.contains("\"name\":"), "no raw JSON");
    // An approval shows the state it left.
    let html = page(&app, &admin, "/audit?entity=annual_model").await;
    assert!(html.contains(&format!("<ins>{}</ins>", dienhinh_domain::annual_model::ModelStatus::DaDuyet.label())), "model approved");
    // An exemplar's step shows its stage by name.
    let html = page(&app, &admin, "/audit?entity=exemplar").await;
    assert!(html.contains("<dt>Giai đoạn</dt>") && html.contains(&format!("<ins>{}</ins>", dienhinh_domain::exemplar::Status::BoiDuong.label())));

    // Sign-ins are hidden unless asked for.
    let sign_in = "data-label=\"Thao tác\">Đăng nhập<";
    assert!(!page(&app, &admin, "/audit").await.contains(sign_in));
    let all = page(&app, &admin, "/audit?signins=1").await;
    assert!(all.contains(sign_in));
    assert!(rows_by(&all, NAME) > 0 && rows_by(&all, "Nguyễn Quản Trị") > 0);

    // A person is found by their name as typed, without marks, in any order.
    for typed in ["pham duc thuy", "Thủy Phạm", "THUY"] {
        let html = admin.get(app.url("/audit")).query(&[("actor", typed), ("signins", "1")]).send().await.unwrap().text().await.unwrap();
        assert!(rows_by(&html, NAME) > 0, "{typed}");
        assert_eq!(rows_by(&html, "Nguyễn Quản Trị"), 0, "{typed}: only that person");
    }
});

/// The "to do" cards of a home page: (number, link).
fn todo_cards(html: &str) -> Vec<(usize, String)> {
    html.split("class=\"stat todo-card")
        .skip(1)
        .map(|card| {
            let href = card.split("href=\"").nth(1).unwrap().split('"').next().unwrap().replace("&amp;", "&").replace("&#38;", "&");
            let n = card.split("<strong>").nth(1).unwrap().split('<').next().unwrap().parse().unwrap();
            (n, href)
        })
        .collect()
}

both!(home_cards_count_the_lists_they_open, |app| {
    let c = reqwest::Client::new();
    let mut nonzero = 0;
    for (who, cards) in [("capuy", 4), ("btv", 1), ("canbo", 2)] {
        let (web, _) = app.sign_in(who).await;
        let token = app.token(who).await;
        let home = page(&app, &web, "/").await;
        let todo = todo_cards(&home);
        assert_eq!(todo.len(), cards, "{who}: {todo:?}");
        for (n, href) in todo {
            let listed = if let Some(q) = href.strip_prefix("/exemplars?") {
                // The same filter through the API, every page.
                let mut total = 0;
                let mut cursor = String::new();
                loop {
                    let url = app.url(&format!("/api/v1/exemplars?{}&limit=5{cursor}", q.replace("=1", "=true")));
                    let page: Value = c.get(url).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
                    total += page["items"].as_array().unwrap().len();
                    match page["next"].as_str() {
                        Some(next) => cursor = format!("&cursor={next}"),
                        None => break,
                    }
                }
                // The page shows the same filter.
                let html = page(&app, &web, &href).await;
                assert!(html.contains("<table"), "{href}");
                total
            } else {
                page(&app, &web, &href).await.matches("<tr class=\"model\">").count()
            };
            assert_eq!(n, listed, "{who}: {href}");
            nonzero += usize::from(n > 0);
        }
    }
    assert!(nonzero >= 3, "the demo gives the cards something to count");
});
