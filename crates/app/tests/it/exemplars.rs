//! Exemplars end to end over the API: the life of one exemplar from
//! discovery to the bloc, with refusals, conflicts, fostering, evaluation
//! and spread, on both backends.

use crate::both;
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn post(c: &reqwest::Client, url: String, token: &str, body: Value) -> (StatusCode, Value) {
    let res = c.post(url).bearer_auth(token).json(&body).send().await.unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

both!(one_exemplar_from_discovery_to_the_bloc, |app| {
    let c = reqwest::Client::new();
    let canbo = app.token("canbo").await;
    let capuy = app.token("capuy").await;
    let btv = app.token("btv").await;
    let capuy_tc = app.token("capuy.taichinh").await;
    let org = app.org_id("Đảng bộ Công ty Điện lực Nam Định").await;
    let (s, e) = post(&c, app.url("/api/v1/exemplars"), &canbo, json!({
        "org_id": org, "kind": "ca_nhan", "name": "Đinh Văn Lực", "position": "Kỹ sư", "year_found": 2025,
        "achievements": "Sáng kiến giảm tổn thất điện năng.", "field_ids": [1, 2]
    })).await;
    assert_eq!(s, StatusCode::CREATED, "{e}");
    let id = e["id"].as_i64().unwrap();
    assert_eq!(e["status"], "phat_hien");
    assert_eq!(e["level"], "co_so");
    assert_eq!(e["fields"].as_array().unwrap().len(), 2);
    let steps = app.url(&format!("/api/v1/exemplars/{id}/steps"));

    // Recognition before fostering is illegal; the message says why.
    let (s, b) = post(&c, steps.clone(), &capuy, json!({"step": "cong_nhan", "reason": "x", "version": 1})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(b["error"]["fields"][0]["message"].as_str().unwrap().contains("đang được bồi dưỡng"));
    // TCCS staff fosters.
    let (s, e) = post(&c, steps.clone(), &canbo, json!({"step": "boi_duong", "reason": "Đưa vào diện bồi dưỡng", "version": 1})).await;
    assert_eq!(s, StatusCode::OK, "{e}");
    // TCCS staff may not recognise (403, like any refusal of who asks); a
    // sibling TCCS's cấp ủy cannot even see it.
    let (s, b) = post(&c, steps.clone(), &canbo, json!({"step": "cong_nhan", "reason": "x", "version": 2})).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert_eq!(b["error"]["code"], "forbidden");
    let (s, _) = post(&c, steps.clone(), &capuy_tc, json!({"step": "cong_nhan", "reason": "x", "version": 2})).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // A reason is required.
    let (s, _) = post(&c, steps.clone(), &capuy, json!({"step": "cong_nhan", "reason": "  ", "version": 2})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    // The cấp ủy recognises; a second approval on the same version is a conflict.
    let (s, _) = post(&c, steps.clone(), &capuy, json!({"step": "cong_nhan", "reason": "Cấp ủy xét, công nhận", "version": 2, "decision_no": "5-NQ/ĐU", "decided_on": "2025-11-20"})).await;
    assert_eq!(s, StatusCode::OK);
    let (s, b) = post(&c, steps.clone(), &capuy, json!({"step": "cong_nhan", "reason": "lần hai", "version": 2})).await;
    assert_eq!(s, StatusCode::CONFLICT);
    assert_eq!(b["error"]["current"]["status"], "cong_nhan");
    // Only the Ban Thường vụ raises it to the bloc.
    let (s, _) = post(&c, steps.clone(), &capuy, json!({"step": "nang_cap", "reason": "x", "version": 3})).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, e) = post(&c, steps.clone(), &btv, json!({"step": "nang_cap", "reason": "Ban Thường vụ công nhận cấp Khối", "version": 3, "decision_no": "220-NQ/ĐUK", "decided_on": "2025-12-01"})).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(e["level"], "khoi");
    let history: Value = c.get(steps.clone()).bearer_auth(&btv).send().await.unwrap().json().await.unwrap();
    let names: Vec<&str> = history["items"].as_array().unwrap().iter().map(|h| h["step"].as_str().unwrap()).collect();
    assert_eq!(names, ["boi_duong", "cong_nhan", "nang_cap"]);
    assert_eq!(history["items"][2]["actor"], "Trần Văn Thường");

    // Fostering, evaluation, replication, visit. A new item is due today or later…
    let item = json!({"support_kind": "ky_thuat", "support": "Kèm cặp hoàn thiện hồ sơ sáng kiến", "responsible": "Phòng Kỹ thuật", "due_on": "2020-01-31"});
    let (s, f) = post(&c, app.url(&format!("/api/v1/exemplars/{id}/fostering")), &canbo, item.clone()).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{f}");
    assert_eq!(f["error"]["fields"][0]["field"], "due_on");
    // …and one written down in 2020, due then, is overdue now.
    let old = serde_json::from_value(item).unwrap();
    let f = dienhinh_store::fostering::add_as_of(&app.db, &dienhinh_store::Actor::system("test"), id, old, dienhinh_domain::clock::parse_iso("2020-01-01").unwrap()).await.unwrap();
    assert!(f.overdue, "a past due date shows as overdue");
    let plan: Value = c.get(app.url("/api/v1/plans/1")).bearer_auth(&canbo).send().await.unwrap().json().await.unwrap();
    let set = &plan["criteria_sets"][0];
    // An individual is scored on the criteria for everyone and for individuals.
    let scores: Vec<Value> = set["criteria"].as_array().unwrap().iter().filter(|cr| cr["applies_to"] != "tap_the")
        .map(|cr| json!({"criterion_id": cr["id"], "result": "dat", "score": 9})).collect();
    let eval = json!({"criteria_set_id": set["id"], "period_year": 2025, "evaluated_on": "2025-12-01", "evaluator": "Đảng ủy Công ty", "scores": scores});
    let (s, ev) = post(&c, app.url(&format!("/api/v1/exemplars/{id}/evaluations")), &canbo, eval.clone()).await;
    assert_eq!(s, StatusCode::CREATED, "{ev}");
    assert_eq!(ev["met_percent"], 100);
    // Another period than the set's, and a score out of range, are refused with nothing saved.
    let mut wrong = eval.clone();
    wrong["period_year"] = json!(2026);
    let (s, b) = post(&c, app.url(&format!("/api/v1/exemplars/{id}/evaluations")), &canbo, wrong).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(b["error"]["fields"][0]["code"], "wrong_period");
    // A year the set covers but before the exemplar was found (2025) is refused too.
    let mut early = eval.clone();
    early["period_year"] = json!(2024);
    let (s, b) = post(&c, app.url(&format!("/api/v1/exemplars/{id}/evaluations")), &canbo, early).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert_eq!(b["error"]["fields"][0]["field"], "period_year");
    assert_eq!(b["error"]["fields"][0]["code"], "before_found");
    assert!(b["error"]["fields"][0]["message"].as_str().unwrap().contains("trước năm phát hiện"), "{b}");
    let mut high = eval.clone();
    high["scores"][0]["score"] = json!(11);
    let (s, _) = post(&c, app.url(&format!("/api/v1/exemplars/{id}/evaluations")), &canbo, high).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let evs: Value = c.get(app.url(&format!("/api/v1/exemplars/{id}/evaluations"))).bearer_auth(&canbo).send().await.unwrap().json().await.unwrap();
    assert_eq!(evs["items"].as_array().unwrap().len(), 1, "refused evaluations saved nothing");
    let xt = app.org_id("Chi bộ Điện lực Xuân Trường").await;
    let (s, r) = post(&c, app.url(&format!("/api/v1/exemplars/{id}/replications")), &canbo, json!({"adopter_org_id": xt, "adopted_on": "2025-10-01", "how": "hoi_nghi"})).await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    let (s, _) = post(&c, app.url(&format!("/api/v1/exemplars/{id}/visits")), &canbo, json!({"visited_on": "2025-11-02", "visiting_units": "Đảng bộ Sở Tài chính", "participants": 12})).await;
    assert_eq!(s, StatusCode::CREATED);
    // A viewer reads everything but changes nothing.
    let xem = app.token("xem").await;
    assert_eq!(c.get(app.url(&format!("/api/v1/exemplars/{id}"))).bearer_auth(&xem).send().await.unwrap().status(), StatusCode::OK);
    let (s, _) = post(&c, app.url(&format!("/api/v1/exemplars/{id}/fostering")), &xem, json!({"support_kind": "vat_chat", "support": "x"})).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
});

both!(duplicates_are_flagged_and_edits_conflict, |app| {
    let c = reqwest::Client::new();
    let canbo = app.token("canbo").await;
    let org = app.org_id("Đảng bộ Công ty Điện lực Nam Định").await;
    // The demo has "Phạm Văn Hùng" in this unit: same name without diacritics, other case.
    let body = json!({"org_id": org, "kind": "ca_nhan", "name": "PHAM VAN HUNG", "year_found": 2026});
    let (s, b) = post(&c, app.url("/api/v1/exemplars"), &canbo, body.clone()).await;
    assert_eq!(s, StatusCode::CONFLICT);
    assert_eq!(b["error"]["code"], "possible_duplicate");
    assert_eq!(b["error"]["current"][0]["name"], "Phạm Văn Hùng");
    let mut confirmed = body.clone();
    confirmed["confirm_duplicate"] = json!(true);
    let (s, e) = post(&c, app.url("/api/v1/exemplars"), &canbo, confirmed).await;
    assert_eq!(s, StatusCode::CREATED);
    let id = e["id"].as_i64().unwrap();
    let put = |name: &'static str, version: i64| {
        c.put(app.url(&format!("/api/v1/exemplars/{id}"))).bearer_auth(&canbo).json(&json!({"version": version, "org_id": org, "kind": "ca_nhan", "name": name, "year_found": 2026}))
    };
    assert_eq!(put("Phạm Văn Hưng", 1).send().await.unwrap().status(), StatusCode::OK);
    let res = put("Phạm Văn Hào", 1).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let b: Value = res.json().await.unwrap();
    assert_eq!(b["error"]["current"]["name"], "Phạm Văn Hưng");
    // Bad input: year out of range, unknown kind, unknown field.
    let (s, b) = post(&c, app.url("/api/v1/exemplars"), &canbo, json!({"org_id": org, "kind": "robot", "name": "", "year_found": 1800, "field_ids": [999]})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let codes: Vec<&str> = b["error"]["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert!(codes.contains(&"kind") && codes.contains(&"name") && codes.contains(&"year_found"), "{codes:?}");
});

both!(lists_filter_within_scope, |app| {
    let c = reqwest::Client::new();
    let get = |token: String, q: &'static str| {
        let url = app.url(&format!("/api/v1/exemplars?{q}"));
        let c = c.clone();
        async move { c.get(url).bearer_auth(token).send().await.unwrap().json::<Value>().await.unwrap() }
    };
    let btg = app.token("btg").await;
    let canbo = app.token("canbo").await;
    let all = get(btg.clone(), "limit=200").await;
    assert_eq!(all["items"].as_array().unwrap().len(), 12, "the demo's twelve exemplars");
    let mine = get(canbo.clone(), "limit=200").await;
    let dienluc = format!("/{}/", app.org_id("Đảng bộ Công ty Điện lực Nam Định").await);
    assert!(mine["items"].as_array().unwrap().iter().all(|e| e["org_path"].as_str().unwrap().contains(&dienluc)));
    assert_eq!(mine["items"].as_array().unwrap().len(), 4);
    assert_eq!(get(btg.clone(), "status=nhan_rong").await["items"].as_array().unwrap().len(), 3);
    assert_eq!(get(btg.clone(), "level=khoi").await["items"].as_array().unwrap().len(), 2);
    assert_eq!(get(btg.clone(), "kind=tap_the").await["items"].as_array().unwrap().len(), 4);
    assert_eq!(get(btg.clone(), "year=2026").await["items"].as_array().unwrap().len(), 2);
    assert_eq!(get(btg.clone(), "q=thuy").await["items"].as_array().unwrap().len(), 2, "Thuỷ and Thủy nông, without diacritics");
    // Field 4 is "Học tập" (Thu Hà, Thanh Thuỷ).
    assert_eq!(get(btg.clone(), "field_id=4").await["items"].as_array().unwrap().len(), 2);
    // Paging visits everything once.
    let mut seen = vec![];
    let mut cursor = String::new();
    loop {
        let page: Value = c.get(app.url(&format!("/api/v1/exemplars?limit=5{cursor}"))).bearer_auth(&btg).send().await.unwrap().json().await.unwrap();
        seen.extend(page["items"].as_array().unwrap().iter().map(|e| e["id"].as_i64().unwrap()));
        match page["next"].as_str() {
            Some(n) => cursor = format!("&cursor={n}"),
            None => break,
        }
    }
    let mut dedup = seen.clone();
    dedup.dedup();
    assert_eq!(seen.len(), 12);
    assert_eq!(dedup.len(), 12);
});

both!(annual_models_need_the_cap_uy, |app| {
    let c = reqwest::Client::new();
    let canbo = app.token("canbo").await;
    let capuy = app.token("capuy").await;
    let btg = app.token("btg").await;
    let org = app.org_id("Đảng bộ Công ty Điện lực Nam Định").await;
    let (s, m) = post(&c, app.url("/api/v1/models"), &canbo, json!({"org_id": org, "year": 2026, "title": "Mô hình «Mỗi ngày một việc tốt»"})).await;
    assert_eq!(s, StatusCode::CREATED, "{m}");
    let id = m["id"].as_i64().unwrap();
    let decision = app.url(&format!("/api/v1/models/{id}/decision"));
    let (s, _) = post(&c, decision.clone(), &canbo, json!({"approve": true, "version": 1})).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = post(&c, decision.clone(), &capuy, json!({"approve": false, "version": 1})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "a rejection needs a reason");
    let (s, m) = post(&c, decision.clone(), &capuy, json!({"approve": true, "note": "Đồng ý", "version": 1})).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(m["status"], "da_duyet");
    let (s, _) = post(&c, decision, &capuy, json!({"approve": true, "version": 1})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "decided once");
    let list: Value = c.get(app.url("/api/v1/models?year=2026")).bearer_auth(&btg).send().await.unwrap().json().await.unwrap();
    assert!(list["items"].as_array().unwrap().len() >= 5);
});

both!(exemplar_pages_render_and_forms_keep_input, |app| {
    let (c, csrf) = app.sign_in("canbo").await;
    for path in ["/exemplars", "/exemplars/1", "/exemplars/1/print", "/exemplars/new", "/exemplars/1/evaluations/new", "/models", "/exemplars?status=boi_duong&q=huong"] {
        let res = c.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{path}");
    }
    let org = app.org_id("Đảng bộ Công ty Điện lực Nam Định").await.to_string();
    let res = c
        .post(app.url("/exemplars"))
        .form(&[("_csrf", csrf.as_str()), ("org_id", org.as_str()), ("kind", "ca_nhan"), ("name", "Nguyễn Văn Mới"), ("year_found", "năm ngoái"), ("achievements", "Thành tích đã gõ")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("value=\"Nguyễn Văn Mới\"") && html.contains("Thành tích đã gõ"));
    assert!(html.contains("Năm phát hiện phải là một số nguyên"));
    // Duplicate warning in the form, then confirmed.
    let dup = [("_csrf", csrf.as_str()), ("org_id", org.as_str()), ("kind", "ca_nhan"), ("name", "pham van hung"), ("year_found", "2026")];
    let res = c.post(app.url("/exemplars")).form(&dup).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(res.text().await.unwrap().contains("Có thể trùng"));
    let mut confirmed = dup.to_vec();
    confirmed.push(("confirm_duplicate", "1"));
    assert_eq!(c.post(app.url("/exemplars")).form(&confirmed).send().await.unwrap().status(), StatusCode::SEE_OTHER);
    // A step that is not the caller's to take is refused with who may take it.
    let res = c.post(app.url("/exemplars/1/steps")).form(&[("_csrf", csrf.as_str()), ("step", "nang_cap"), ("reason", "x"), ("version", "5")]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(res.text().await.unwrap().contains("Ban Thường vụ"));
});

both!(exemplars_are_found_by_search_within_scope, |app| {
    let c = reqwest::Client::new();
    let find = |token: String, q: &'static str| {
        let url = app.url(&format!("/api/v1/search?q={q}&kind=exemplar"));
        let c = c.clone();
        async move { c.get(url).bearer_auth(token).send().await.unwrap().json::<Value>().await.unwrap() }
    };
    let btg = app.token("btg").await;
    let hits = find(btg.clone(), "pham van hung").await;
    assert_eq!(hits["items"][0]["title"], "Phạm Văn Hùng");
    assert_eq!(hits["items"][0]["url"], "/exemplars/1");
    // Words from the model and achievements are found too, without diacritics.
    assert!(!find(btg.clone(), "canh bao su co").await["items"].as_array().unwrap().is_empty());
    // A TCCS officer of another unit does not find it.
    let other = app.token("canbo.taichinh").await;
    assert!(find(other, "pham van hung").await["items"].as_array().unwrap().is_empty());
    // A rename is searchable at once.
    let canbo = app.token("canbo").await;
    let res = c
        .put(app.url("/api/v1/exemplars/4"))
        .bearer_auth(&canbo)
        .json(&json!({"version": 1, "org_id": 0, "kind": "ca_nhan", "name": "Vũ Đức Thắng Lợi", "year_found": 2026}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(find(canbo, "thang loi").await["items"][0]["title"], "Vũ Đức Thắng Lợi");
});

both!(figures_count_what_the_records_say, |app| {
    let root = vec![dienhinh_domain::OrgPath("/".into())];
    let f = dienhinh_store::figures::exemplars(&app.db, &root).await.unwrap();
    assert_eq!(f.total, 12);
    let by: Vec<i64> = f.by_status.iter().map(|s| s.2).collect();
    assert_eq!(by, vec![2, 3, 3, 3, 1], "phát hiện, bồi dưỡng, công nhận, nhân rộng, dừng");
    let levels: Vec<i64> = f.by_level.iter().map(|l| l.2).collect();
    assert_eq!(levels, vec![7, 2, 1, 1], "cơ sở, Khối, tỉnh, toàn quốc (dropped excluded)");
    assert_eq!(f.fostering_open, 4);
    assert!(f.fostering_overdue >= 2, "two demo items were due in 2026");
    assert_eq!(f.replications, 4);
    // Scoped: the Điện lực subtree only.
    let dienluc = app.org("Đảng bộ Công ty Điện lực Nam Định").await;
    let f = dienhinh_store::figures::exemplars(&app.db, &[dienluc.org_path()]).await.unwrap();
    assert_eq!(f.total, 4);
    assert_eq!(f.replications, 2);
    // The home page shows them.
    let (c, _) = app.sign_in("btg").await;
    let html = c.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("<strong>12</strong><span>điển hình tiên tiến</span>"), "{html}");
});

both!(catalogue_and_sector_criteria, |app| {
    let c = reqwest::Client::new();
    let btg = app.token("btg").await;
    let canbo = app.token("canbo").await;
    let capuy = app.token("capuy").await;
    let duk = app.org_id("Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh Nam Định").await;
    let dienluc = app.org_id("Đảng bộ Công ty Điện lực Nam Định").await;
    let (s, f) = post(&c, app.url("/api/v1/fields"), &btg, json!({"name": "Chuyển đổi số"})).await;
    assert_eq!(s, StatusCode::CREATED, "{f}");
    let (s, _) = post(&c, app.url("/api/v1/fields"), &btg, json!({"name": "chuyen doi so"})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "same field, other spelling");
    let (s, _) = post(&c, app.url("/api/v1/fields"), &canbo, json!({"name": "Khác"})).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = post(&c, app.url("/api/v1/movements"), &btg, json!({"org_id": duk, "name": "Phong trào «Dân vận khéo»", "year_from": 2026})).await;
    assert_eq!(s, StatusCode::CREATED);
    let moves: Value = c.get(app.url("/api/v1/movements")).bearer_auth(&canbo).send().await.unwrap().json().await.unwrap();
    assert!(moves["items"].as_array().unwrap().iter().any(|m| m["name"] == "Phong trào «Dân vận khéo»"), "a TCCS sees the bloc's movements");
    // The cấp ủy of a TCCS adds sector criteria; staff may not; an empty set is refused.
    let set = json!({"org_id": dienluc, "name": "Tiêu chí ngành điện 2026", "period_from": 2026, "period_to": 2030,
        "criteria": [{"code": "ĐL.9", "applies_to": "tap_the", "text": "Không để xảy ra sự cố lưới điện do chủ quan"}]});
    let (s, _) = post(&c, app.url("/api/v1/criteria-sets"), &canbo, set.clone()).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let mut empty = set.clone();
    empty["criteria"] = json!([]);
    let (s, _) = post(&c, app.url("/api/v1/criteria-sets"), &capuy, empty).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let (s, made) = post(&c, app.url("/api/v1/criteria-sets"), &capuy, set).await;
    assert_eq!(s, StatusCode::CREATED, "{made}");
    // An evaluation of 2026 can now use it; the plan's 2022–2025 set cannot.
    let cid = made["criteria"][0]["id"].clone();
    let eval = json!({"criteria_set_id": made["id"], "period_year": 2026, "evaluated_on": "2026-11-20", "evaluator": "Đảng ủy Công ty",
        "scores": [{"criterion_id": cid, "result": "dat_mot_phan", "score": 7.5, "comment": "Còn một sự cố nhỏ"}]});
    let (s, ev) = post(&c, app.url("/api/v1/exemplars/2/evaluations"), &canbo, eval).await;
    assert_eq!(s, StatusCode::CREATED, "{ev}");
    assert_eq!(ev["met_percent"], 50);
    // The page shows the catalogue.
    let (web, _) = app.sign_in("capuy").await;
    let html = web.get(app.url("/catalog")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Chuyển đổi số") && html.contains("Tiêu chí cụ thể của TCCS đảng"));
});

both!(form_unit_picker_goes_one_level_down_and_keeps_what_was_typed, |app| {
    // A TCCS cadre's form starts at the TCCS with its chi bộ; choosing a chi
    // bộ and asking for the units under it re-shows the form around it.
    let (c, csrf) = app.sign_in("canbo").await;
    let dienluc = app.org_id("Đảng bộ Công ty Điện lực Nam Định").await;
    let chibo = app.org_id("Chi bộ Phòng Kỹ thuật").await;
    let sibling: i64 = sqlx::query_scalar("SELECT id FROM orgs WHERE parent_id = $1 AND id <> $2 ORDER BY id LIMIT 1")
        .bind(dienluc)
        .bind(chibo)
        .fetch_one(app.db.reader())
        .await
        .unwrap();
    let option = |id: i64| format!("<option value=\"{id}\"");
    let first = c.get(app.url("/exemplars/new")).send().await.unwrap().text().await.unwrap();
    assert!(first.contains(&option(dienluc)) && first.contains(&option(chibo)) && first.contains(&option(sibling)));
    let before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM exemplars").fetch_one(app.db.reader()).await.unwrap();
    let chosen = chibo.to_string();
    let res = c
        .post(app.url("/exemplars"))
        .form(&[("_csrf", csrf.as_str()), ("org_id", chosen.as_str()), ("kind", "tap_the"), ("name", "Tổ Kỹ thuật đang gõ"), ("achievements", "Chưa xong"), ("drill", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    assert!(html.contains(&format!("<option value=\"{chibo}\" selected")), "the chosen unit stays chosen");
    assert!(html.contains(&option(dienluc)) && !html.contains(&option(sibling)), "the chain down to it, not its siblings");
    assert!(html.contains("value=\"Tổ Kỹ thuật đang gõ\"") && html.contains("Chưa xong"), "what was typed is kept");
    assert!(!html.contains("field-error"), "no validation on the way down");
    let after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM exemplars").fetch_one(app.db.reader()).await.unwrap();
    assert_eq!(before, after, "nothing saved");
});

// Identical new exemplars sent at the same moment, through the API and the
// form: exactly one is created; every other gets the duplicate warning (API
// 409 `possible_duplicate`, the form re-shown with the confirmation), and
// confirming still creates.
both!(identical_exemplars_created_at_the_same_moment_are_caught_as_duplicates, |app| {
    let token = app.token("canbo").await;
    let (browser, csrf) = app.sign_in("canbo").await;
    let org = app.org_id("Đảng bộ Công ty Điện lực Nam Định").await;
    for round in 0..6 {
        let name = format!("Trùng Lặp Đồng Thời {round}");
        let mut tasks = vec![];
        for i in 0..4 {
            let (url, token, browser, csrf, name) = (app.url(if i % 2 == 0 { "/api/v1/exemplars" } else { "/exemplars" }), token.clone(), browser.clone(), csrf.clone(), name.clone());
            tasks.push(tokio::spawn(async move {
                let res = if i % 2 == 0 {
                    reqwest::Client::new().post(url).bearer_auth(&token)
                        .json(&json!({"org_id": org, "kind": "ca_nhan", "name": name, "year_found": 2025})).send().await.unwrap()
                } else {
                    browser.post(url).form(&[("_csrf", csrf.as_str()), ("org_id", &org.to_string()), ("kind", "ca_nhan"), ("name", &name), ("year_found", "2025")])
                        .send().await.unwrap()
                };
                let status = res.status();
                (status, res.text().await.unwrap())
            }));
        }
        let mut created = 0;
        for t in tasks {
            let (status, body) = t.await.unwrap();
            match status {
                StatusCode::CREATED | StatusCode::SEE_OTHER => created += 1,
                StatusCode::CONFLICT => assert!(body.contains("possible_duplicate") || body.contains("confirm_duplicate"), "{body}"),
                other => panic!("{other}: {body}"),
            }
        }
        assert_eq!(created, 1, "round {round}: identical creations at the same moment");
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM exemplars WHERE name = $1").bind(&name).fetch_one(app.db.reader()).await.unwrap();
        assert_eq!(n, 1);
    }
    // Confirming creates the second one.
    let res = browser.post(app.url("/exemplars")).form(&[("_csrf", csrf.as_str()), ("org_id", &org.to_string()), ("kind", "ca_nhan"),
        ("name", "Trùng Lặp Đồng Thời 0"), ("year_found", "2025"), ("confirm_duplicate", "1")]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
});

/// The exemplar ids a list page shows, in order.
fn listed_ids(html: &str) -> Vec<i64> {
    let table = &html[html.find("<tbody>").unwrap()..html.find("</tbody>").unwrap()];
    table.split("<td data-label=\"Điển hình\"><a href=\"/exemplars/").skip(1).map(|s| s[..s.find('"').unwrap()].parse().unwrap()).collect()
}

/// The href of the pager link with `rel`, unescaped.
fn pager(html: &str, rel: &str) -> Option<String> {
    let end = html.find(&format!("\" rel=\"{rel}\""))?;
    let start = html[..end].rfind("href=\"")? + 6;
    Some(html[start..end].replace("&amp;", "&").replace("&#38;", "&"))
}

// The list says how many it holds, sorts by name, year or stage with keyset
// cursors that carry the order, and pages back as well as forward.
both!(the_list_counts_sorts_and_pages_both_ways, |app| {
    let org = app.org_id("Đảng bộ Công ty Điện lực Nam Định").await;
    let actor = dienhinh_store::Actor::system("test");
    let given = ["Yến", "An", "Đức", "Bình", "Ánh", "Dũng", "Ơn", "Uyên", "Hà", "Ý"];
    for i in 0..40 {
        let input = dienhinh_store::exemplars::ExemplarInput {
            org_id: org,
            kind: "ca_nhan".into(),
            name: format!("Sắp Xếp {} {}", given[i % given.len()], i / given.len()),
            year_found: 2020 + (i as i64 * 7) % 6,
            ..Default::default()
        };
        dienhinh_store::exemplars::create(&app.db, &actor, input).await.unwrap();
    }
    let in_db = |order: &'static str| {
        let db = app.db.clone();
        async move {
            let sql = format!("SELECT id FROM exemplars WHERE name_key LIKE 'sap xep %' ORDER BY {order}");
            sqlx::query_scalar::<_, i64>(&sql).fetch_all(db.reader()).await.unwrap()
        }
    };
    let (b, _) = app.sign_in("canbo").await;
    let get = |path: String| {
        let b = b.clone();
        let url = app.url(&path);
        async move {
            let res = b.get(url).send().await.unwrap();
            assert_eq!(res.status(), StatusCode::OK, "{path}");
            res.text().await.unwrap()
        }
    };
    for (sort, order) in [("ten", "sort_key, id"), ("nam", "year_found DESC, id DESC"), ("moi", "id DESC")] {
        let first = get(format!("/exemplars?q=sap+xep&sort={sort}")).await;
        assert!(first.contains("40 điển hình khớp với bộ lọc"), "{sort}: the total");
        assert!(first.contains(&format!("<option value=\"{sort}\" selected>")), "{sort}: the order chosen is shown");
        assert_eq!(pager(&first, "prev"), None, "{sort}: nothing before the first page");
        let next = pager(&first, "next").expect("a second page");
        assert!(next.contains(&format!("sort={sort}")) && next.contains("q=sap+xep"), "the cursor link carries the order and the filters: {next}");
        let second = get(next).await;
        assert_eq!(pager(&second, "next"), None);
        let mut seen = listed_ids(&first);
        assert_eq!(seen.len(), 30);
        seen.extend(listed_ids(&second));
        assert_eq!(seen, in_db(order).await, "{sort}: in order, every one once");
        // Back: the first page again, exactly.
        let back = get(pager(&second, "prev").expect("a previous page")).await;
        assert_eq!(listed_ids(&back), listed_ids(&first), "{sort}: back to the same first page");
        assert_eq!(pager(&back, "prev"), None);
        assert!(pager(&back, "next").is_some());
    }
    // By stage: the plan's order of stages, phát hiện first.
    let (c, token) = (reqwest::Client::new(), app.token("capuy").await);
    let some = in_db("id").await[0];
    let steps = app.url(&format!("/api/v1/exemplars/{some}/steps"));
    let res = c.post(steps).bearer_auth(&token).json(&json!({"step": "dung", "reason": "Chuyển công tác", "version": 1})).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let first = get("/exemplars?q=sap+xep&sort=giai_doan".into()).await;
    let second = get(pager(&first, "next").unwrap()).await;
    assert_eq!(listed_ids(&second).last(), Some(&some), "the dropped one comes last");
    // An unknown order is said and the list shows newest first.
    let html = get("/exemplars?q=sap+xep&sort=bua".into()).await;
    assert!(html.contains("Cách sắp xếp không hợp lệ; đang sắp theo mặc định."), "{html}");
    assert_eq!(listed_ids(&html)[0], in_db("id DESC").await[0]);
});
