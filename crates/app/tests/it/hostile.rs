//! Hostile input through the forms and the API, into every text field of
//! every kind of record, read back on every page and API response showing
//! it. See `corpus.rs` for the payloads and the page checks.

use crate::both;
use crate::corpus::{assert_no_invisible, assert_page_safe, escaped, payloads};
use crate::helpers::{TestApp, PASSWORD};
use dienhinh_text::normalize_line;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

/// GETs a page, asserts it is 200 and safe for `payload`; returns the HTML.
async fn page(app: &TestApp, c: &Client, path: &str, payload: &str) -> String {
    let res = c.get(app.url(path)).send().await.unwrap();
    let status = res.status();
    let html = res.text().await.unwrap();
    assert_eq!(status, StatusCode::OK, "GET {path}");
    assert_page_safe(&html, payload, path);
    // The search box echoes the query as typed (escaped); everything else shows stored text.
    if !path.starts_with("/search?q=") || path.starts_with("/search?q=hx") {
        assert_no_invisible(&html, path);
    }
    html
}

async fn api(c: &Client, token: &str, method: reqwest::Method, url: String, body: Option<Value>) -> (StatusCode, Value) {
    let mut req = c.request(method, url).bearer_auth(token);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let res = req.send().await.unwrap();
    let status = res.status();
    assert!(!status.is_server_error(), "{status}");
    (status, res.json().await.unwrap_or(Value::Null))
}

fn assert_too_long(status: StatusCode, body: &Value, what: &str) {
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{what}");
    assert_eq!(body["error"]["code"], "invalid", "{what}");
    let msg = body["error"]["fields"][0]["message"].as_str().unwrap_or_default();
    assert!(msg.contains("dài quá"), "{what}: {msg}");
}

both!(hostile_text_is_stored_as_normalised_and_shown_escaped_everywhere, |app| {
    let c = Client::new();
    let token = app.token("admin").await;
    let (browser, csrf) = app.sign_in("admin").await;
    let root = app.org("Tỉnh ủy Nam Định").await;
    // New chi bộ stand under a TCCS (`OrgKind::may_hold`).
    let tccs = app.org("Đảng bộ Công ty Điện lực Nam Định").await;
    let get = reqwest::Method::GET;
    let post = reqwest::Method::POST;
    for (i, p) in payloads().iter().enumerate() {
        let long = p.text.chars().count() > 60;
        // ---- Organisations through the API: name and short_name.
        let name = format!("hxa{i} {}", p.text);
        let body = json!({"parent_id": tccs.id, "kind": "chi_bo", "name": name, "short_name": if long { "" } else { &p.text }});
        let (status, created) = api(&c, &token, post.clone(), app.url("/api/v1/orgs"), Some(body)).await;
        if long {
            assert_too_long(status, &created, p.name);
            let (status, body) = api(&c, &token, post.clone(), app.url("/api/v1/orgs"),
                Some(json!({"parent_id": tccs.id, "kind": "chi_bo", "name": format!("hxa{i}"), "short_name": p.text}))).await;
            assert_too_long(status, &body, p.name);
        } else {
            assert_eq!(status, StatusCode::CREATED, "{}: {created}", p.name);
            let id = created["id"].as_i64().unwrap();
            let (_, got) = api(&c, &token, get.clone(), app.url(&format!("/api/v1/orgs/{id}")), None).await;
            assert_eq!(got["name"], normalize_line(&name), "{}", p.name);
            assert_eq!(got["short_name"], normalize_line(&p.text), "{}", p.name);
            let (_, list) = api(&c, &token, get.clone(), app.url(&format!("/api/v1/orgs?q=hxa{i}")), None).await;
            assert!(list["items"].as_array().unwrap().iter().any(|o| o["id"] == id && o["name"] == got["name"]), "{}", p.name);
            // Renamed through the API as well.
            let renamed = format!("hxa{i} {} (2)", p.text);
            let (status, after) = api(&c, &token, reqwest::Method::PUT, app.url(&format!("/api/v1/orgs/{id}")),
                Some(json!({"version": got["version"], "kind": "chi_bo", "name": renamed, "short_name": p.text}))).await;
            assert_eq!(status, StatusCode::OK, "{}", p.name);
            assert_eq!(after["name"], normalize_line(&renamed));
            let shown = escaped(&normalize_line(&renamed));
            let detail = page(&app, &browser, &format!("/orgs/{id}"), &p.text).await;
            assert!(detail.contains(&shown), "{}: detail shows the name", p.name);
            page(&app, &browser, &format!("/orgs/{id}/edit"), &p.text).await;
            let list = page(&app, &browser, &format!("/orgs?q=hxa{i}"), &p.text).await;
            assert!(list.contains(&shown), "{}: list shows the name", p.name);
            page(&app, &browser, &format!("/audit?entity=org&entity_id={id}"), &p.text).await;
            // The parent's dashboard names it among its units (table, chart titles).
            let dash = page(&app, &browser, &format!("/dashboard?node={}", tccs.id), &p.text).await;
            assert!(dash.contains(&shown), "{}: dashboard shows the unit", p.name);
        }

        // ---- Organisations through the form.
        let name = format!("hxf{i} {}", p.text);
        let pid = tccs.id.to_string();
        let short = if long { String::new() } else { p.text.clone() };
        let res = browser
            .post(app.url("/orgs"))
            .form(&[("_csrf", csrf.as_str()), ("parent_id", &pid), ("kind", "chi_bo"), ("name", &name), ("short_name", &short)])
            .send()
            .await
            .unwrap();
        if long {
            assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{}", p.name);
            let html = res.text().await.unwrap();
            assert!(html.contains("dài quá"), "{}", p.name);
            assert_page_safe(&html, &p.text, "org form re-shown");
        } else {
            assert_eq!(res.status(), StatusCode::SEE_OTHER, "{}", p.name);
            let to = res.headers()["location"].to_str().unwrap().to_string();
            let html = page(&app, &browser, &to, &p.text).await;
            assert!(html.contains(&escaped(&normalize_line(&name))), "{}", p.name);
            let id: i64 = to.trim_start_matches("/orgs/").split('?').next().unwrap().parse().unwrap();
            let (_, got) = api(&c, &token, get.clone(), app.url(&format!("/api/v1/orgs/{id}")), None).await;
            assert_eq!(got["name"], normalize_line(&name), "{}", p.name);
            assert_eq!(got["short_name"], normalize_line(&p.text), "{}", p.name);
        }

        // ---- People through the API: full_name, position; username refused unless valid.
        let full = format!("hxu{i} {}", p.text);
        let body = json!({"username": format!("hxu{i}"), "full_name": full, "position": p.text, "org_id": root.id,
            "role": "nguoi_xem", "password": "mat-khau-hx-1"});
        let (status, created) = api(&c, &token, post.clone(), app.url("/api/v1/users"), Some(body)).await;
        if long {
            assert_too_long(status, &created, p.name);
        } else {
            assert_eq!(status, StatusCode::CREATED, "{}: {created}", p.name);
            let id = created["id"].as_i64().unwrap();
            let (_, got) = api(&c, &token, get.clone(), app.url(&format!("/api/v1/users/{id}")), None).await;
            assert_eq!(got["full_name"], normalize_line(&full), "{}", p.name);
            assert_eq!(got["position"], normalize_line(&p.text), "{}", p.name);
            let (_, list) = api(&c, &token, get.clone(), app.url(&format!("/api/v1/users?q=hxu{i}")), None).await;
            assert!(list["items"].as_array().unwrap().iter().any(|u| u["id"] == id), "{}", p.name);
            let shown = escaped(&normalize_line(&full));
            assert!(page(&app, &browser, &format!("/users/{id}"), &p.text).await.contains(&shown), "{}", p.name);
            assert!(page(&app, &browser, &format!("/users?q=hxu{i}"), &p.text).await.contains(&shown), "{}", p.name);
        }
        let (status, refused) = api(&c, &token, post.clone(), app.url("/api/v1/users"), Some(json!({"username": p.text,
            "full_name": "Người thử", "org_id": root.id, "role": "nguoi_xem", "password": "mat-khau-hx-1"}))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{}: username {refused}", p.name);
        assert_eq!(refused["error"]["fields"][0]["field"], "username");

        // ---- People through the form (and the form re-shown with the hostile username).
        let full = format!("hxv{i} {}", p.text);
        let org = root.id.to_string();
        for (username, ok) in [(format!("hxv{i}"), !long), (p.text.clone(), false)] {
            let res = browser
                .post(app.url("/users"))
                .form(&[("_csrf", csrf.as_str()), ("username", &username), ("full_name", &full), ("position", &short),
                    ("org_id", &org), ("role", "nguoi_xem"), ("password", "mat-khau-hx-1")])
                .send()
                .await
                .unwrap();
            if ok {
                assert_eq!(res.status(), StatusCode::SEE_OTHER, "{}", p.name);
                let to = res.headers()["location"].to_str().unwrap().to_string();
                let html = page(&app, &browser, &to, &p.text).await;
                assert!(html.contains(&escaped(&normalize_line(&full))), "{}", p.name);
            } else {
                assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{}", p.name);
                assert_page_safe(&res.text().await.unwrap(), &p.text, "user form re-shown");
            }
        }

        // ---- Pages that show everything at once, and the search box echoing the payload.
        page(&app, &browser, &format!("/search?q=hx{i}"), &p.text).await;
        page(&app, &browser, &format!("/search?q={}", crate::helpers::urlencode(&p.text)), &p.text).await;
        let (status, _) = api(&c, &token, get.clone(), app.url(&format!("/api/v1/orgs?q={}", crate::helpers::urlencode(&p.text))), None).await;
        assert_eq!(status, StatusCode::OK);
    }
    for path in ["/", "/audit", "/orgs", "/users"] {
        let html = page(&app, &browser, path, "").await;
        for p in payloads() {
            assert_page_safe(&html, &p.text, path);
        }
    }
});

// Exemplars: every text field of the exemplar, its fostering items, its
// evaluations and its steps, saved through the API and the form, read back
// on the list, detail, edit and print pages and in every API response.
both!(hostile_text_in_exemplars_is_stored_as_normalised_and_shown_escaped, |app| {
    use dienhinh_text::normalize;
    let c = Client::new();
    let token = app.token("canbo").await;
    let (browser, csrf) = app.sign_in("canbo").await;
    let org = app.org_id("Đảng bộ Công ty Điện lực Nam Định").await;
    let set = dienhinh_store::plans::criteria_set(&app.db, 1).await.unwrap();
    let get = reqwest::Method::GET;
    let post = reqwest::Method::POST;
    for (i, p) in payloads().iter().enumerate() {
        let long = p.text.chars().count() > 60;
        // ---- The exemplar through the API: short fields take the payload unless it is the long one.
        let name = format!("hxe{i} {}", p.text);
        let line = if long { String::new() } else { p.text.clone() };
        let body = json!({"org_id": org, "kind": "ca_nhan", "name": if long { format!("hxe{i}") } else { name.clone() },
            "position": line, "unit_name": line, "achievements": p.text, "model": p.text, "year_found": 2025, "confirm_duplicate": true});
        let (status, created) = api(&c, &token, post.clone(), app.url("/api/v1/exemplars"), Some(body)).await;
        if status == StatusCode::UNPROCESSABLE_ENTITY {
            assert!(long, "{}: {created}", p.name);
            assert_too_long(status, &created, p.name);
            let (status, body) = api(&c, &token, post.clone(), app.url("/api/v1/exemplars"),
                Some(json!({"org_id": org, "kind": "ca_nhan", "name": name, "year_found": 2025}))).await;
            assert_too_long(status, &body, p.name);
            continue;
        }
        assert_eq!(status, StatusCode::CREATED, "{}: {created}", p.name);
        let id = created["id"].as_i64().unwrap();
        let shown_name = if long { format!("hxe{i}") } else { normalize_line(&name) };
        let (_, got) = api(&c, &token, get.clone(), app.url(&format!("/api/v1/exemplars/{id}")), None).await;
        assert_eq!(got["name"], shown_name, "{}", p.name);
        assert_eq!(got["position"], normalize_line(&line), "{}", p.name);
        assert_eq!(got["unit_name"], normalize_line(&line), "{}", p.name);
        assert_eq!(got["achievements"], normalize(&p.text), "{}", p.name);
        assert_eq!(got["model"], normalize(&p.text), "{}", p.name);
        let (_, list) = api(&c, &token, get.clone(), app.url(&format!("/api/v1/exemplars?q=hxe{i}")), None).await;
        assert!(list["items"].as_array().unwrap().iter().any(|e| e["id"] == id && e["name"] == got["name"]), "{}", p.name);

        // ---- A fostering item, the fostering step with the payload as its reason, an evaluation
        // (their long texts stop at 5,000 characters: the long payload is refused, nothing saved).
        if long {
            let (status, body) = api(&c, &token, post.clone(), app.url(&format!("/api/v1/exemplars/{id}/fostering")),
                Some(json!({"support_kind": "ky_thuat", "support": p.text}))).await;
            assert_too_long(status, &body, p.name);
            let (status, body) = api(&c, &token, post.clone(), app.url(&format!("/api/v1/exemplars/{id}/steps")),
                Some(json!({"step": "boi_duong", "reason": p.text, "version": got["version"]}))).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{}: {body}", p.name);
            assert_eq!(body["error"]["fields"][0]["code"], "too_long", "{}", p.name);
            let (_, items) = api(&c, &token, get.clone(), app.url(&format!("/api/v1/exemplars/{id}/fostering")), None).await;
            assert_eq!(items["items"].as_array().map(Vec::len), Some(0), "{}", p.name);
        } else {
            let (status, item) = api(&c, &token, post.clone(), app.url(&format!("/api/v1/exemplars/{id}/fostering")), Some(json!({
                "support_kind": "ky_thuat", "support": p.text, "motivation": p.text, "shortcomings": p.text, "measures": p.text, "responsible": line}))).await;
            assert_eq!(status, StatusCode::CREATED, "{}: {item}", p.name);
            let (_, items) = api(&c, &token, get.clone(), app.url(&format!("/api/v1/exemplars/{id}/fostering")), None).await;
            let saved = &items["items"][0];
            for f in ["support", "motivation", "shortcomings", "measures"] {
                assert_eq!(saved[f], normalize(&p.text), "{}: fostering {f}", p.name);
            }
            assert_eq!(saved["responsible"], normalize_line(&line), "{}", p.name);
            let (status, stepped) = api(&c, &token, post.clone(), app.url(&format!("/api/v1/exemplars/{id}/steps")),
                Some(json!({"step": "boi_duong", "reason": p.text, "version": got["version"]}))).await;
            assert_eq!(status, StatusCode::OK, "{}: {stepped}", p.name);
            let (_, steps) = api(&c, &token, get.clone(), app.url(&format!("/api/v1/exemplars/{id}/steps")), None).await;
            assert_eq!(steps["items"][0]["reason"], normalize(&p.text), "{}: step reason", p.name);
            let scores: Vec<Value> = set.criteria.iter().filter(|cr| cr.applies_to.covers(dienhinh_domain::exemplar::ExemplarKind::CaNhan))
                .map(|cr| json!({"criterion_id": cr.id, "result": "dat", "score": 9, "comment": p.text})).collect();
            let (status, ev) = api(&c, &token, post.clone(), app.url(&format!("/api/v1/exemplars/{id}/evaluations")), Some(json!({
                "criteria_set_id": set.id, "period_year": 2025, "evaluated_on": "2025-12-01", "evaluator": line,
                "effect": p.text, "effectiveness": p.text, "potential": p.text, "influence_unit": p.text, "influence_society": p.text,
                "difficulties": p.text, "help_decided": p.text, "scores": scores}))).await;
            assert_eq!(status, StatusCode::CREATED, "{}: {ev}", p.name);
            let (_, evs) = api(&c, &token, get.clone(), app.url(&format!("/api/v1/exemplars/{id}/evaluations")), None).await;
            let e0 = &evs["items"][0];
            assert_eq!(e0["evaluator"], normalize_line(&line), "{}", p.name);
            for f in ["effect", "effectiveness", "potential", "influence_unit", "influence_society", "difficulties", "help_decided"] {
                assert_eq!(e0[f], normalize(&p.text), "{}: evaluation {f}", p.name);
            }
            assert_eq!(e0["scores"][0]["comment"], normalize(&p.text), "{}: score comment", p.name);
        }

        // ---- Every page that shows it.
        let shown = escaped(&shown_name);
        let detail = page(&app, &browser, &format!("/exemplars/{id}"), &p.text).await;
        assert!(detail.contains(&shown), "{}: detail shows the name", p.name);
        page(&app, &browser, &format!("/exemplars/{id}/print"), &p.text).await;
        let docx = browser.get(app.url(&format!("/exemplars/{id}/profile.docx"))).send().await.unwrap();
        assert_eq!(docx.status(), StatusCode::OK, "{}: profile DOCX", p.name);
        crate::documents::document_xml(&docx.bytes().await.unwrap(), p.name);
        page(&app, &browser, &format!("/exemplars/{id}/edit"), &p.text).await;
        let list = page(&app, &browser, &format!("/exemplars?q=hxe{i}"), &p.text).await;
        assert!(list.contains(&shown), "{}: list shows the name", p.name);

        // ---- The exemplar through the form.
        let fname = format!("hxg{i} {}", if long { "" } else { p.text.as_str() });
        let res = browser
            .post(app.url("/exemplars"))
            .form(&[("_csrf", csrf.as_str()), ("org_id", &org.to_string()), ("kind", "ca_nhan"), ("name", &fname), ("position", &line),
                ("unit_name", &line), ("achievements", &p.text), ("model", &p.text), ("year_found", "2025"), ("confirm_duplicate", "1")])
            .send()
            .await
            .unwrap();
        assert!(!res.status().is_server_error(), "{}", p.name);
        if res.status() == StatusCode::SEE_OTHER {
            let to = res.headers()["location"].to_str().unwrap().to_string();
            let html = page(&app, &browser, &to, &p.text).await;
            assert!(html.contains(&escaped(&normalize_line(&fname))), "{}", p.name);
        } else {
            assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{}", p.name);
            assert!(long, "{}: the form refused a short payload", p.name);
            assert_page_safe(&res.text().await.unwrap(), &p.text, "exemplar form re-shown");
        }
    }
    for path in ["/exemplars", "/exemplars?q=hx", "/"] {
        let html = page(&app, &browser, path, "").await;
        for p in payloads() {
            assert_page_safe(&html, &p.text, path);
        }
    }
});

/// Control characters an attacker may type: NUL (PostgreSQL refuses it in
/// text with a server error), other C0 characters and DEL.
const CONTROLS: [&str; 4] = ["a\0b", "\0", "\u{1}\u{1b}[31m", "x\u{7f}\u{8}"];
/// Well-formed cursors whose keys are a NUL and a byte that is not UTF-8
/// (a cursor's key is hex: the control characters above never reach it).
const CURSOR_KEYS: [&str; 2] = ["00.1", "e1.1"];

both!(hostile_text_in_propaganda_items_is_stored_as_normalised_and_shown_escaped, |app| {
    let c = Client::new();
    let token = app.token("canbo").await;
    let (browser, csrf) = app.sign_in("canbo").await;
    let org = app.org_id("Đảng bộ Công ty Điện lực Nam Định").await;
    let (auditor, _) = app.sign_in("btv").await;
    let hung: i64 = sqlx::query_scalar("SELECT id FROM exemplars WHERE name = 'Phạm Văn Hùng'").fetch_one(app.db.reader()).await.unwrap();
    let post = reqwest::Method::POST;
    let year = dienhinh_domain::clock::current_year();
    let today = dienhinh_domain::clock::today_iso();
    for (i, p) in payloads().iter().enumerate() {
        let long = p.text.chars().count() > 60;
        // ---- Through the API: the payload as title; as link it is never an address and is refused.
        let title = format!("hxp{i} {}", p.text);
        let body = json!({"org_id": org, "item_type": "bai_viet", "channel": "trang_web", "title": title, "link": "", "published_on": today, "exemplar_ids": [hung]});
        let (status, created) = api(&c, &token, post.clone(), app.url("/api/v1/propaganda"), Some(body)).await;
        let (link_status, refused) = api(&c, &token, post.clone(), app.url("/api/v1/propaganda"),
            Some(json!({"org_id": org, "item_type": "tin", "channel": "trang_web", "title": format!("hxq{i}"), "link": p.text, "published_on": today}))).await;
        assert_eq!(link_status, StatusCode::UNPROCESSABLE_ENTITY, "{}: {refused}", p.name);
        assert_eq!(refused["error"]["fields"][0]["field"], "link", "{}", p.name);
        if long {
            assert_too_long(status, &created, p.name);
        } else {
            assert_eq!(status, StatusCode::CREATED, "{}: {created}", p.name);
            assert_eq!(created["title"], normalize_line(&title), "{}", p.name);
            let id = created["id"].as_i64().unwrap();
            let shown = escaped(&normalize_line(&title));
            let detail = page(&app, &browser, &format!("/propaganda/{id}"), &p.text).await;
            assert!(detail.contains(&shown), "{}: its page shows the title", p.name);
            let list = page(&app, &browser, &format!("/propaganda?year={year}"), &p.text).await;
            assert!(list.contains(&shown), "{}: the list shows the title", p.name);
            page(&app, &auditor, &format!("/audit?entity=propaganda&entity_id={id}"), &p.text).await;
            page(&app, &browser, &format!("/search?q=hxp{i}"), &p.text).await;
        }
        // ---- Through the form: title and the exemplar search box; the form re-shown is safe.
        let oid = org.to_string();
        let res = browser
            .post(app.url("/propaganda"))
            .form(&[("_csrf", csrf.as_str()), ("org_id", &oid), ("title", &p.text), ("exemplar_q", &p.text), ("find", "1")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{}", p.name);
        assert_page_safe(&res.text().await.unwrap(), &p.text, "propaganda form re-shown");
        let res = browser
            .post(app.url("/propaganda"))
            .form(&[("_csrf", csrf.as_str()), ("org_id", &oid), ("item_type", "tin"), ("channel", "mang_xa_hoi"), ("title", &title), ("link", &p.text), ("published_on", &today)])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{}", p.name);
        let html = res.text().await.unwrap();
        let why = if long { "Đường dẫn tối đa 2000 ký tự" } else { "http:// hoặc https://" };
        assert!(html.contains(why), "{}: the link is refused beside its field", p.name);
        assert_page_safe(&html, &p.text, "propaganda form with a hostile link");
    }
    // An address may carry quotes and markup-looking text in its path: accepted only without
    // spaces, double quotes or angle brackets, and shown escaped in the href.
    let link = "https://a.vn/x'onmouseover='alert(1)";
    let (status, created) = api(&c, &token, post.clone(), app.url("/api/v1/propaganda"),
        Some(json!({"org_id": org, "item_type": "tin", "channel": "trang_web", "title": "hxlink", "link": link, "published_on": today}))).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let html = page(&app, &browser, &format!("/propaganda/{}", created["id"]), link).await;
    assert!(!html.contains("x'onmouseover") && html.contains("x&#39;onmouseover"), "the quote is escaped");
});

both!(hostile_text_in_stories_is_stored_as_normalised_and_shown_escaped, |app| {
    let c = Client::new();
    let token = app.token("canbo").await;
    let (browser, csrf) = app.sign_in("canbo").await;
    let (auditor, _) = app.sign_in("btv").await;
    let org = app.org_id("Đảng bộ Công ty Điện lực Nam Định").await;
    let post = reqwest::Method::POST;
    for (i, p) in payloads().iter().enumerate() {
        let long = p.text.chars().count() > 60;
        // ---- Through the API: title, summary and body (Markdown) take the payload.
        let title = format!("hxs{i} {}", p.text);
        let body = json!({"org_id": org, "title": if long { format!("hxs{i}") } else { title.clone() }, "summary": if long { String::new() } else { p.text.clone() },
            "body": format!("Mở đầu {}\n\n{}", p.text, p.text)});
        let (status, created) = api(&c, &token, post.clone(), app.url("/api/v1/stories"), Some(body)).await;
        if status == StatusCode::UNPROCESSABLE_ENTITY {
            // Only a Markdown link or image to an unsafe address is refused (e.g. `[x](javascript:…)`); nothing here makes one.
            panic!("{}: {created}", p.name);
        }
        assert_eq!(status, StatusCode::CREATED, "{}: {created}", p.name);
        let id = created["id"].as_i64().unwrap();
        let detail = page(&app, &browser, &format!("/stories/{id}"), &p.text).await;
        if !long {
            assert!(detail.contains(&escaped(&normalize_line(&title))), "{}: the page shows the title", p.name);
        }
        page(&app, &browser, "/stories", &p.text).await;
        page(&app, &auditor, &format!("/audit?entity=story&entity_id={id}"), &p.text).await;
        // ---- On the portal once published (the editorial steps have their own tests):
        // the page, its meta tags, the feed, the sitemap and public search.
        let mut tx = app.db.begin().await.unwrap();
        sqlx::query("UPDATE stories SET status = 'da_dang', published_at = 1, version = version + 1 WHERE id = $1").bind(id).execute(&mut *tx).await.unwrap();
        tx.commit().await.unwrap();
        let visitor = app.client();
        page(&app, &visitor, &format!("/bai-viet/{id}"), &p.text).await;
        page(&app, &visitor, "/", &p.text).await;
        page(&app, &visitor, "/bai-viet", &p.text).await;
        for path in ["/feed.atom", "/sitemap.xml", &format!("/tim-kiem?q=hxs{i}")] {
            let res = visitor.get(app.url(path)).send().await.unwrap();
            assert_eq!(res.status(), StatusCode::OK, "{path}");
            assert_page_safe(&res.text().await.unwrap(), &p.text, path);
        }
        // ---- Through the form: what was typed comes back safe when refused (an empty body).
        let oid = org.to_string();
        let res = browser
            .post(app.url("/stories"))
            .form(&[("_csrf", csrf.as_str()), ("org_id", &oid), ("title", &p.text), ("summary", &p.text), ("body", " "), ("exemplar_q", &p.text)])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{}", p.name);
        assert_page_safe(&res.text().await.unwrap(), &p.text, "story form re-shown");
    }
});

both!(hostile_text_in_review_reports_is_stored_as_normalised_and_shown_escaped, |app| {
    let c = Client::new();
    let token = app.token("canbo").await;
    let (browser, csrf) = app.sign_in("canbo").await;
    let (auditor, _) = app.sign_in("btv").await;
    let org = app.org_id("Đảng bộ Công ty Điện lực Nam Định").await;
    // The demo's 2022–2025 draft of Điện lực: its four narrative parts take the payload.
    let id: i64 = sqlx::query_scalar("SELECT id FROM review_reports WHERE org_id = $1 AND period_from = 2022").bind(org).fetch_one(app.db.reader()).await.unwrap();
    for p in payloads().iter() {
        let (_, cur) = api(&c, &token, reqwest::Method::GET, app.url(&format!("/api/v1/reviews/{id}")), None).await;
        let version = cur["report"]["version"].as_i64().unwrap();
        let body = json!({"version": version, "results": p.text, "shortcomings": p.text, "lessons": p.text, "tasks": p.text});
        let (status, saved) = api(&c, &token, reqwest::Method::PUT, app.url(&format!("/api/v1/reviews/{id}")), Some(body)).await;
        assert_eq!(status, StatusCode::OK, "{}: {saved}", p.name);
        assert_eq!(saved["results"].as_str().unwrap(), dienhinh_text::normalize(&p.text), "{}", p.name);
        page(&app, &browser, &format!("/reviews/{id}"), &p.text).await;
        page(&app, &browser, "/reviews", &p.text).await;
        page(&app, &auditor, &format!("/audit?entity=review&entity_id={id}"), &p.text).await;
        // Through the form with a stale version: refused, what was typed comes back safe.
        let res = browser
            .post(app.url(&format!("/reviews/{id}")))
            .form(&[("_csrf", csrf.as_str()), ("version", "1"), ("results", &p.text), ("lessons", &p.text)])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::CONFLICT, "{}", p.name);
        assert_page_safe(&res.text().await.unwrap(), &p.text, "review form re-shown");
    }
});

/// The names of the query parameters a GET route takes: from the OpenAPI
/// document for the API, from the page's own forms and links for pages
/// (plus every name seen on any page, so a filter a page forgets to show
/// is still sent).
fn query_names(html: &str) -> Vec<String> {
    let mut names = vec![];
    for (needle, stop) in [("name=\"", '"'), ("?", '"')] {
        let mut rest = html;
        while let Some(at) = rest.find(needle) {
            rest = &rest[at + needle.len()..];
            let end = rest.find(stop).unwrap_or(0);
            let found = &rest[..end];
            if needle == "?" {
                for pair in found.split("&#38;").flat_map(|p| p.split('&')) {
                    if let Some((k, _)) = pair.split_once('=') {
                        names.push(k.to_string());
                    }
                }
            } else {
                names.push(found.to_string());
            }
        }
    }
    names.retain(|n| !n.is_empty() && n.len() < 40 && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
    names
}

// Every query parameter of every GET route (driven from the route table),
// path segments and the sign-in form: control characters never answer a
// server error, anonymous or signed in, and the same on both backends.
both!(control_characters_in_every_parameter_never_answer_a_server_error, |app| {
    use std::collections::BTreeSet;
    let base = app.serve_with(dienhinh_web::WebConfig { api_rate_per_minute: 1_000_000, ..Default::default() }).await;
    let url = |p: &str| format!("{base}{p}");
    let (browser, _) = app.sign_in("admin").await;
    let anon = app.client();
    let token = app.token("admin").await;
    let doc: Value = browser.get(url("/api/openapi.json")).send().await.unwrap().json().await.unwrap();
    let gets: Vec<String> = dienhinh_web::routes::specs().into_iter().filter(|s| s.method == reqwest::Method::GET)
        .map(|s| s.path.replace("{id}", "1")).collect();
    // Names seen on any page, and each route's own.
    let mut own: Vec<(String, BTreeSet<String>)> = vec![];
    let mut seen = BTreeSet::new();
    for s in dienhinh_web::routes::specs().into_iter().filter(|s| s.method == reqwest::Method::GET) {
        let path = s.path.replace("{id}", "1");
        let mut names = BTreeSet::new();
        if s.path.starts_with("/api/") {
            for p in doc["paths"][s.path]["get"]["parameters"].as_array().into_iter().flatten() {
                if p["in"] == "query" {
                    names.insert(p["name"].as_str().unwrap().to_string());
                }
            }
        } else if !s.path.starts_with("/static/") && !is_file_download(s.path) {
            let html = browser.get(url(&path)).send().await.unwrap().text().await.unwrap();
            names.extend(query_names(&html));
        }
        seen.extend(names.iter().cloned());
        own.push((path, names));
    }
    for must in ["kind", "status", "level", "entity", "q", "year", "org_id", "sort", "cursor", "before"] {
        assert!(seen.contains(must), "the walk found no parameter {must}: {seen:?}");
    }
    assert_eq!(own.len(), gets.len());
    let mut sent = 0;
    for (path, names) in &own {
        let names: BTreeSet<&String> = if path.starts_with("/api/") { names.iter().collect() } else { names.iter().chain(seen.iter()).collect() };
        for name in names {
            let positional = name.contains("cursor") || ["before", "sau"].contains(&name.as_str());
            for v in CONTROLS.iter().chain(if positional { CURSOR_KEYS.iter() } else { [].iter() }) {
                let q = format!("{path}?{name}={}", crate::helpers::urlencode(v));
                for (who, req) in [
                    ("admin", if path.starts_with("/api/") { browser.get(url(&q)).bearer_auth(&token) } else { browser.get(url(&q)) }),
                    ("anonymous", anon.get(url(&q))),
                ] {
                    let res = req.send().await.unwrap();
                    let status = res.status();
                    let body = res.text().await.unwrap();
                    assert!(!status.is_server_error(), "GET {q} as {who}: {status} {body}");
                    assert!(is_file_download(path) || !body.contains('\0'), "GET {q} as {who}: NUL echoed");
                    sent += 1;
                }
            }
        }
    }
    assert!(sent > 500, "{sent}");
    // Path segments.
    for path in ["/exemplars/%00", "/api/v1/exemplars/1%00", "/orgs/%01", "/api/v1/orgs/%00/move", "/search%00"] {
        let res = browser.get(url(path)).bearer_auth(&token).send().await.unwrap();
        assert!(!res.status().is_server_error(), "GET {path}: {}", res.status());
    }
    // The sign-in form, anonymous: refused as a wrong password, not a server error.
    for v in CONTROLS {
        let c = app.client();
        let page = c.get(url("/login")).send().await.unwrap().text().await.unwrap();
        let pre = crate::helpers::hidden(&page, "_csrf");
        let res = c.post(url("/login")).form(&[("username", v), ("password", v), ("_csrf", &pre), ("next", "/")]).send().await.unwrap();
        let status = res.status();
        assert!(!status.is_server_error(), "sign-in with {v:?}: {status}");
        let res = c.post(url("/login")).form(&[("username", &*format!("admin{v}")), ("password", PASSWORD), ("_csrf", &pre), ("next", "/")]).send().await.unwrap();
        assert!(!res.status().is_server_error(), "sign-in with {v:?}: {}", res.status());
    }
    // JSON strings: a NUL in an enum-valued field is refused as invalid, never 500.
    let org = app.org_id("Đảng bộ Công ty Điện lực Nam Định").await;
    for body in [json!({"org_id": org, "kind": "ca_\u{0}nhan", "name": "Thử\u{0}", "year_found": 2025}),
        json!({"parent_id": org, "kind": "chi_bo\u{0}", "name": "x"})] {
        for path in ["/api/v1/exemplars", "/api/v1/orgs"] {
            let res = browser.post(url(path)).bearer_auth(&token).json(&body).send().await.unwrap();
            assert!(!res.status().is_server_error(), "POST {path} {body}: {}", res.status());
        }
    }
});

/// Routes that answer a file (an attachment as uploaded, a generated DOCX):
/// their bytes may hold NUL without echoing anything, and they hold no links.
fn is_file_download(path: &str) -> bool {
    path.starts_with("/attachments/") || path.ends_with(".docx") || path.ends_with(".xlsx") || path.ends_with(".png")
}
// The texts of a commendation dossier (report, cấp ủy's confirmation) and
// of its screening (comments per item), through the API, stored normalised
// and shown escaped on the nomination page and in the API; each payload
// makes one more round-trip (sent, returned with the payload as comment).
both!(hostile_text_in_commendation_dossiers_is_stored_as_normalised_and_shown_escaped, |app| {
    use dienhinh_text::normalize;
    let c = Client::new();
    let unit = app.token("canbo.taichinh").await;
    let btg = app.token("btg").await;
    let (browser, _) = app.sign_in("canbo.taichinh").await;
    let post = reqwest::Method::POST;
    let id: i64 = sqlx::query_scalar("SELECT id FROM nominations WHERE status = 'nhap' ORDER BY id LIMIT 1").fetch_one(app.db.reader()).await.unwrap();
    for (i, p) in payloads().iter().enumerate() {
        let (_, n) = api(&c, &unit, reqwest::Method::GET, app.url(&format!("/api/v1/nominations/{id}")), None).await;
        let version = n["nomination"]["version"].clone();
        let report = format!("hxr{i} {}", p.text);
        let confirmation = format!("Xác nhận {}", p.text);
        let (status, saved) = api(&c, &unit, reqwest::Method::PUT, app.url(&format!("/api/v1/nominations/{id}/dossier")),
            Some(json!({"report": report, "confirmation": confirmation, "version": version}))).await;
        if status == StatusCode::UNPROCESSABLE_ENTITY {
            assert_too_long(status, &saved, p.name);
            continue;
        }
        assert_eq!(status, StatusCode::OK, "{}: {saved}", p.name);
        assert_eq!(saved["report"].as_str().unwrap(), normalize(&report), "{}", p.name);
        let step = if i == 0 { "gui" } else { "gui_lai" };
        let (status, sent) = api(&c, &unit, post.clone(), app.url(&format!("/api/v1/nominations/{id}/steps")), Some(json!({"step": step, "version": saved["version"]}))).await;
        assert_eq!(status, StatusCode::OK, "{}: {sent}", p.name);
        let comment = format!("hxc{i} {}", p.text);
        let (status, back) = api(&c, &btg, post.clone(), app.url(&format!("/api/v1/nominations/{id}/steps")),
            Some(json!({"step": "tra_lai", "version": sent["version"], "comments": [{"item": "bao_cao_thanh_tich", "comment": comment}]}))).await;
        if status == StatusCode::UNPROCESSABLE_ENTITY {
            // A comment of invisible characters only is no comment; a long one is too long.
            let code = back["error"]["fields"][0]["code"].as_str().unwrap_or_default();
            assert!(code == "too_long" || code == "required", "{}: {back}", p.name);
            let (status, _) = api(&c, &btg, post.clone(), app.url(&format!("/api/v1/nominations/{id}/steps")),
                Some(json!({"step": "tra_lai", "version": sent["version"], "comments": [{"item": "bao_cao_thanh_tich", "comment": "Bổ sung"}]}))).await;
            assert_eq!(status, StatusCode::OK);
        } else {
            assert_eq!(status, StatusCode::OK, "{}: {back}", p.name);
        }
        let html = page(&app, &browser, &format!("/nominations/{id}"), &p.text).await;
        assert!(html.contains(&format!("hxr{i}")), "{}", p.name);
    }
});

// The texts typed when opening a round on its page (a new form of
// commendation's name, the Quy chế named as basis): stored normalised,
// shown escaped on the round, the rounds list and, when refused, on the
// form kept as typed.
both!(hostile_text_in_a_new_round_is_stored_as_normalised_and_shown_escaped, |app| {
    let (browser, csrf) = app.sign_in("btg").await;
    let secretary = dienhinh_store::users::by_username(&app.db, "btg").await.unwrap().id;
    for (i, p) in payloads().iter().enumerate() {
        let name = format!("hxf{i} {}", p.text);
        let basis = format!("hxq{i} {}", p.text);
        let f = crate::helpers::new_round_form(&csrf, &name, &basis, &[(secretary, "thu_ky")]);
        let r = browser.post(app.url("/rounds")).form(&f).send().await.unwrap();
        let status = r.status();
        if status == StatusCode::UNPROCESSABLE_ENTITY {
            // Too long: the form comes back with the payload, escaped.
            let html = r.text().await.unwrap();
            assert_page_safe(&html, &p.text, p.name);
            assert!(html.contains("dài quá"), "{}", p.name);
            continue;
        }
        assert_eq!(status, StatusCode::SEE_OTHER, "{}", p.name);
        let to = r.headers()["location"].to_str().unwrap().split('?').next().unwrap().to_string();
        let html = page(&app, &browser, &to, &p.text).await;
        assert!(html.contains(&format!("hxf{i}")) && html.contains(&format!("hxq{i}")), "{}", p.name);
        let stored: String = sqlx::query_scalar("SELECT basis FROM commendation_rounds WHERE basis LIKE $1").bind(format!("hxq{i} %")).fetch_one(app.db.reader()).await.unwrap();
        assert_eq!(stored, normalize_line(&basis), "{}", p.name);
    }
    page(&app, &browser, "/rounds", "hxf").await;
});
