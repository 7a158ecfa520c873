//! The permission rules seen from outside: every demo role, every node of
//! the demo tree, compared with the pure rule in `dienhinh_domain::access`.

use crate::both;
use dienhinh_domain::{access, allowed, Action};
use reqwest::StatusCode;

const USERS: &[&str] = &["admin", "btv", "btg", "capuy", "canbo", "xem", "capuy.taichinh", "canbo.taichinh"];

both!(read_access_matches_the_rules_for_every_role_and_node, |app| {
    let all = app.all_orgs().await;
    let c = reqwest::Client::new();
    for username in USERS {
        let token = app.token(username).await;
        let who = dienhinh_store::users::by_username(&app.db, username).await.unwrap().assignments();
        for org in &all {
            let want = allowed(&who, Action::View, &org.org_path());
            let res = c.get(app.url(&format!("/api/v1/orgs/{}", org.id))).bearer_auth(&token).send().await.unwrap();
            let expected = if want { StatusCode::OK } else { StatusCode::NOT_FOUND };
            assert_eq!(res.status(), expected, "{username} GET org {} ({})", org.id, org.name);
            if !want {
                let body = res.text().await.unwrap();
                assert!(!body.contains(&org.name), "a refusal must not leak the record");
            }
        }
        // The list holds exactly the visible nodes.
        let mut seen = vec![];
        let mut cursor: Option<String> = None;
        loop {
            let url = match &cursor {
                Some(cur) => app.url(&format!("/api/v1/orgs?limit=7&cursor={cur}")),
                None => app.url("/api/v1/orgs?limit=7"),
            };
            let page: serde_json::Value = c.get(url).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
            seen.extend(page["items"].as_array().unwrap().iter().map(|o| o["id"].as_i64().unwrap()));
            match page["next"].as_str() {
                Some(n) => cursor = Some(n.to_string()),
                None => break,
            }
        }
        let mut want: Vec<i64> = all.iter().filter(|o| allowed(&who, Action::View, &o.org_path())).map(|o| o.id).collect();
        want.sort();
        seen.sort();
        assert_eq!(seen, want, "{username} list");
    }
});

both!(write_access_matches_the_rules, |app| {
    let c = reqwest::Client::new();
    let targets = ["Tỉnh ủy Nam Định", "Đảng bộ Công ty Điện lực Nam Định", "Đảng bộ Sở Tài chính"];
    for username in USERS {
        let token = app.token(username).await;
        let who = dienhinh_store::users::by_username(&app.db, username).await.unwrap().assignments();
        for t in targets {
            let parent = app.org(t).await;
            let res = c
                .post(app.url("/api/v1/orgs"))
                .bearer_auth(&token)
                // A kind that may stand there (a chi bộ under a TCCS, an Đảng ủy Khối under the Tỉnh ủy).
                .json(&serde_json::json!({"parent_id": parent.id, "kind": parent.kind.default_child().unwrap().code(), "name": format!("Tổ chức của {username}")}))
                .send()
                .await
                .unwrap();
            // Without the right anywhere, the route itself refuses (403) before reading the body.
            let expected = if allowed(&who, Action::ManageOrgs, &parent.org_path()) {
                StatusCode::CREATED
            } else if allowed(&who, Action::View, &parent.org_path()) || access::scope_roots(&who, Action::ManageOrgs).is_empty() {
                StatusCode::FORBIDDEN
            } else {
                StatusCode::NOT_FOUND
            };
            assert_eq!(res.status(), expected, "{username} creates under {t}");
        }
    }
});

both!(pages_follow_the_same_rules, |app| {
    let dienluc = app.org("Đảng bộ Công ty Điện lực Nam Định").await;
    let taichinh = app.org("Đảng bộ Sở Tài chính").await;
    for username in USERS {
        let (c, _) = app.sign_in(username).await;
        let who = dienhinh_store::users::by_username(&app.db, username).await.unwrap().assignments();
        for org in [&dienluc, &taichinh] {
            let res = c.get(app.url(&format!("/orgs/{}", org.id))).send().await.unwrap();
            let want = if allowed(&who, Action::View, &org.org_path()) { StatusCode::OK } else { StatusCode::NOT_FOUND };
            assert_eq!(res.status(), want, "{username} page of {}", org.name);
            let edit = c.get(app.url(&format!("/orgs/{}/edit", org.id))).send().await.unwrap().status();
            let want_edit = if allowed(&who, Action::ManageOrgs, &org.org_path()) {
                StatusCode::OK
            } else if allowed(&who, Action::View, &org.org_path()) {
                StatusCode::FORBIDDEN
            } else {
                StatusCode::NOT_FOUND
            };
            assert_eq!(edit, want_edit, "{username} edit page of {}", org.name);
        }
        let audit = c.get(app.url("/audit")).send().await.unwrap().status();
        let may_audit = !dienhinh_domain::access::scope_roots(&who, Action::ViewAudit).is_empty();
        assert_eq!(audit, if may_audit { StatusCode::OK } else { StatusCode::FORBIDDEN }, "{username} audit");
        let new_user = c.get(app.url("/users/new")).send().await.unwrap().status();
        let may_users = !dienhinh_domain::access::scope_roots(&who, Action::ManageUsers).is_empty();
        assert_eq!(new_user, if may_users { StatusCode::OK } else { StatusCode::FORBIDDEN }, "{username} new user form");
    }
});

#[test]
fn every_route_declares_a_rule_and_is_unique() {
    let specs = dienhinh_web::routes::specs();
    let mut seen = std::collections::HashSet::new();
    for s in &specs {
        assert!(seen.insert((s.method.clone(), s.path)), "duplicate route {} {}", s.method, s.path);
        if s.path.starts_with("/api/v1/") || (s.method != axum::http::Method::GET && s.path != "/login") {
            assert_ne!(s.access, dienhinh_web::routes::Access::Public, "{} {} must not be public", s.method, s.path);
        }
    }
}

both!(a_body_naming_an_unseen_record_is_refused_as_a_missing_one, |app| {
    let c = reqwest::Client::new();
    let capuy = app.token("capuy").await;
    let dienluc = app.org("Đảng bộ Công ty Điện lực Nam Định").await;
    let taichinh = app.org("Đảng bộ Sở Tài chính").await;
    let e = dienhinh_store::exemplars::list(
        &app.db,
        &dienhinh_store::exemplars::ExemplarFilter { within: vec![dienluc.org_path()], limit: Some(1), ..Default::default() },
    )
    .await
    .unwrap()
    .items
    .remove(0);
    // A criteria set of Tài chính, out of the Điện lực cấp ủy's sight.
    let criterion = dienhinh_store::plans::Criterion { id: 0, code: "TC.1".into(), applies_to: dienhinh_domain::evaluation::AppliesTo::Chung, text: "Hoàn thành nhiệm vụ".into() };
    let hidden_set = dienhinh_store::plans::create_criteria_set(&app.db, &dienhinh_store::Actor::system("test"), taichinh.id, None, "Tiêu chí Tài chính", (2022, 2027), &[criterion])
        .await
        .unwrap();
    const MISSING: i64 = 987_654;
    // (where, the unseen id, the body naming it)
    type Body = fn(i64) -> serde_json::Value;
    let cases: [(String, i64, Body); 3] = [
        ("/api/v1/exemplars".into(), taichinh.id, |org| serde_json::json!({"org_id": org, "kind": "ca_nhan", "name": "Điển hình thử", "year_found": 2025})),
        (format!("/api/v1/exemplars/{}/replications", e.id), taichinh.id, |org| {
            serde_json::json!({"adopter_org_id": org, "adopted_on": "2025-10-01", "how": "hoi_nghi"})
        }),
        (format!("/api/v1/exemplars/{}/evaluations", e.id), hidden_set.id, |set| {
            serde_json::json!({"criteria_set_id": set, "period_year": 2025, "evaluated_on": "2025-12-01", "evaluator": "Đảng ủy", "scores": []})
        }),
    ];
    for (url, unseen, body) in &cases {
        let mut answers = vec![];
        for id in [*unseen, MISSING] {
            let res = c.post(app.url(url)).bearer_auth(&capuy).json(&body(id)).send().await.unwrap();
            answers.push((res.status(), res.text().await.unwrap()));
        }
        assert!(answers[0].0.is_client_error(), "{url}: {answers:?}");
        assert_eq!(answers[0], answers[1], "{url}: an unseen record answers as a missing one");
    }
});

// The same through the page forms: a form naming a record out of the
// caller's sight (a unit, a criteria set, a movement) answers exactly as one
// naming a record that does not exist: same status, same page (but for the
// number typed, which the form keeps), never the record's name.
both!(a_page_form_naming_an_unseen_record_is_refused_as_a_missing_one, |app| {
    let dienluc = app.org("Đảng bộ Công ty Điện lực Nam Định").await;
    let taichinh = app.org("Đảng bộ Sở Tài chính").await;
    let system = dienhinh_store::Actor::system("test");
    let e = dienhinh_store::exemplars::list(&app.db, &dienhinh_store::exemplars::ExemplarFilter { within: vec![dienluc.org_path()], limit: Some(1), ..Default::default() })
        .await
        .unwrap()
        .items
        .remove(0);
    let criterion = dienhinh_store::plans::Criterion { id: 0, code: "TC.1".into(), applies_to: dienhinh_domain::evaluation::AppliesTo::Chung, text: "Hoàn thành nhiệm vụ".into() };
    let hidden_set = dienhinh_store::plans::create_criteria_set(&app.db, &system, taichinh.id, None, "Tiêu chí Tài chính kín", (2022, 2027), &[criterion]).await.unwrap();
    let hidden_movement = dienhinh_store::exemplars::create_movement(&app.db, &system, taichinh.id, "Phong trào Tài chính kín", "Sở Tài chính", (2024, None)).await.unwrap();
    const MISSING: i64 = 987_654;
    // (who, where, the unseen id, the form naming it, words of the hidden record)
    // A form gets the id to name and the caller's own unit.
    type Form = fn(String, i64) -> Vec<(&'static str, String)>;
    let cases: Vec<(&str, String, i64, Form, &str)> = vec![
        ("canbo", "/exemplars".into(), taichinh.id, |id, _| vec![("org_id", id), ("kind", "ca_nhan".into()), ("name", "Điển hình thử".into()), ("year_found", "2025".into())], "Đảng bộ Sở Tài chính"),
        ("canbo", "/exemplars".into(), hidden_movement.id, |id, own| {
            vec![("org_id", own.to_string()), ("kind", "ca_nhan".into()), ("name", "Điển hình thử phong trào".into()), ("year_found", "2025".into()), ("movement_ids", id)]
        }, "Phong trào Tài chính kín"),
        ("capuy", format!("/exemplars/{}/replications", e.id), taichinh.id, |id, _| vec![("adopter_org_id", id), ("adopted_on", "2025-10-01".into()), ("how", "hoi_nghi".into())], "Đảng bộ Sở Tài chính"),
        ("capuy", format!("/exemplars/{}/evaluations", e.id), hidden_set.id, |id, _| {
            vec![("criteria_set_id", id), ("period_year", "2025".into()), ("evaluated_on", "2025-12-01".into()), ("evaluator", "Đảng ủy".into())]
        }, "Tiêu chí Tài chính kín"),
        ("canbo", "/models".into(), taichinh.id, |id, _| vec![("org_id", id), ("year", "2026".into()), ("title", "Mô hình thử".into())], "Đảng bộ Sở Tài chính"),
    ];
    for (who, url, unseen, form, hidden_words) in &cases {
        let (b, csrf) = app.sign_in(who).await;
        let mut answers = vec![];
        for id in [*unseen, MISSING] {
            let mut f = form(id.to_string(), dienluc.id);
            f.push(("_csrf", csrf.clone()));
            let res = b.post(app.url(url)).form(&f).send().await.unwrap();
            let status = res.status();
            let html = res.text().await.unwrap();
            assert!(!html.contains(hidden_words), "{who} {url}: the answer names the hidden record");
            // The form keeps the number typed in the field that named the record.
            let field = f.iter().find(|(_, v)| *v == id.to_string()).map(|(k, _)| *k).unwrap_or_default();
            answers.push((status, html.replace(&format!("name=\"{field}\" value=\"{id}\""), "name=\"FIELD\" value=\"ID\"")));
        }
        assert!(answers[0].0.is_client_error(), "{who} {url}: {:?}", answers[0].0);
        assert_eq!(answers[0].0, answers[1].0, "{who} {url}: the same status");
        assert!(answers[0].1 == answers[1].1, "{who} {url}: the same page\n--- unseen\n{}\n--- missing\n{}", answers[0].1, answers[1].1);
    }
});
