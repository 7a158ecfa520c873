//! Forms after a refusal: what was typed is kept, the message stands beside
//! the field, the form is open; uploads refused in Vietnamese (pages) or
//! with the JSON codes (API); typed numbers that are not numbers, dates in
//! the past and years out of range are said, never silently dropped.

use crate::both;
use crate::corpus::escaped;
use reqwest::multipart::{Form, Part};
use reqwest::StatusCode;
use serde_json::{json, Value};

const PNG: &[u8] = include_bytes!("../../seed/demo-photo.png");

/// The `<details …>` of the detail page's form whose summary is `summary`.
fn details_of<'a>(html: &'a str, summary: &str) -> &'a str {
    let at = html.find(summary).unwrap_or_else(|| panic!("no form {summary}"));
    let open = html[..at].rfind("<details").unwrap();
    let end = html[at..].find("</details>").unwrap() + at;
    &html[open..end]
}

both!(detail_forms_come_back_open_with_what_was_typed_and_the_messages, |app| {
    let (b, csrf) = app.sign_in("canbo").await;
    let post = |path: &'static str, form: Vec<(&'static str, String)>| {
        let (b, csrf) = (b.clone(), csrf.clone());
        let url = app.url(path);
        async move {
            let mut f: Vec<(&str, String)> = vec![("_csrf", csrf)];
            f.extend(form);
            let res = b.post(url).form(&f).send().await.unwrap();
            let status = res.status();
            (status, res.text().await.unwrap())
        }
    };
    // Fostering: the support left blank, a due date in the past; the rest typed is kept.
    let (status, html) = post("/exemplars/1/fostering", vec![("support_kind", "tinh_than".into()), ("support", " ".into()),
        ("motivation", "Động lực <gõ dở>".into()), ("responsible", "Văn phòng Đảng ủy".into()), ("due_on", "2020-01-01".into())]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let form = details_of(&html, "+ Thêm nội dung bồi dưỡng");
    assert!(form.starts_with("<details class=\"add\" open>"), "{form}");
    assert!(form.contains(&escaped("Động lực <gõ dở>")), "{form}");
    assert!(form.contains("value=\"Văn phòng Đảng ủy\""), "{form}");
    assert!(form.contains("value=\"2020-01-01\""), "{form}");
    assert!(form.contains("value=\"tinh_than\" selected"), "{form}");
    assert!(form.contains("Hạn hoàn thành phải từ hôm nay"), "the due date's message beside it: {form}");
    assert!(form.contains("class=\"field-error\""), "{form}");
    assert!(!details_of(&html, "+ Ghi nhận đoàn tham quan").starts_with("<details class=\"add\" open"), "other forms stay closed");
    // Study visit: participants "abc" is said, not taken as 0 or dropped.
    let (status, html) = post("/exemplars/1/visits", vec![("visited_on", "2026-03-04".into()), ("visiting_units", "Chi bộ Phòng Kỹ thuật".into()),
        ("participants", "abc".into()), ("lessons", "Bài học".into())]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let form = details_of(&html, "+ Ghi nhận đoàn tham quan");
    assert!(form.starts_with("<details class=\"add\" open>"), "{form}");
    assert!(form.contains("Chi bộ Phòng Kỹ thuật") && form.contains("value=\"abc\"") && form.contains("value=\"2026-03-04\""), "{form}");
    assert!(form.contains("Số người tham gia phải là một số nguyên"), "{form}");
    // Replication: a date that is none.
    let adopter = app.org_id("Chi bộ Phòng Kỹ thuật").await.to_string();
    let (status, html) = post("/exemplars/1/replications", vec![("adopter_org_id", adopter.clone()), ("adopted_on", "31/2/2026".into()),
        ("how", "hoi_nghi".into()), ("note", "Ghi chú đã gõ".into())]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    let form = details_of(&html, "+ Ghi nhận đơn vị nhân rộng");
    assert!(form.starts_with("<details class=\"add\" open>"), "{form}");
    assert!(form.contains("Ghi chú đã gõ") && form.contains("value=\"31/2/2026\"") && form.contains(&format!("value=\"{adopter}\" selected")), "{form}");
    // The API refuses a due date in the past naming the field.
    let token = app.token("canbo").await;
    let res = reqwest::Client::new().post(app.url("/api/v1/exemplars/1/fostering")).bearer_auth(&token)
        .json(&json!({"support_kind": "ky_thuat", "support": "Kèm cặp", "due_on": "2020-01-01"})).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["fields"][0]["field"], "due_on", "{body}");
});

both!(uploads_refused_in_vietnamese_on_the_exemplar_and_with_json_codes_on_the_api, |app| {
    let token = app.token("canbo").await;
    let c = reqwest::Client::new();
    let (b, csrf) = app.sign_in("canbo").await;
    // API: not multipart → 400 bad_request; over the route limit (declared length) → 413 too_large, as JSON.
    let res = c.post(app.url("/api/v1/exemplars/1/attachments")).bearer_auth(&token).json(&json!({"file": "x"})).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "bad_request", "{body}");
    let big = vec![0u8; dienhinh_web::security::UPLOAD_BODY_LIMIT + 1024];
    let form = || Form::new().part("file", Part::bytes(big.clone()).file_name("to.png"));
    let res = c.post(app.url("/api/v1/exemplars/1/attachments")).bearer_auth(&token).multipart(form()).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "too_large", "{body}");
    // Pages: not multipart → the exemplar again, the message at its attachments, with the menu.
    let res = b.post(app.url(&format!("/exemplars/1/attachments?_csrf={csrf}"))).form(&[("file", "x")]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let html = res.text().await.unwrap();
    let at = html.find("id=\"minh-chung\"").expect("the exemplar's page");
    assert!(html[at..].contains("Tệp phải được gửi bằng biểu mẫu tải lên"), "{}", &html[at..]);
    assert!(html.contains("href=\"/exemplars\""), "the menu");
    // Over the limit: back to the exemplar with the message at its attachments.
    let res = b.post(app.url(&format!("/exemplars/1/attachments?_csrf={csrf}"))).multipart(form()).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let to = res.headers()["location"].to_str().unwrap().to_string();
    assert!(to.starts_with("/exemplars/1?"), "{to}");
    let html = b.get(app.url(&to)).send().await.unwrap().text().await.unwrap();
    let at = html.find("id=\"minh-chung\"").unwrap();
    assert!(html[at..].contains("Tệp lớn quá 20 MB"), "{}", &html[at..]);
    // A file of a type not kept: the same, with 422.
    let res = b.post(app.url(&format!("/exemplars/1/attachments?_csrf={csrf}")))
        .multipart(Form::new().part("file", Part::bytes(b"MZ\x90\x00".to_vec()).file_name("a.exe"))).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.find("id=\"minh-chung\"").is_some() && html.contains("href=\"/exemplars\""));
    // And a good one still goes through.
    let res = b.post(app.url(&format!("/exemplars/1/attachments?_csrf={csrf}")))
        .multipart(Form::new().part("file", Part::bytes(PNG.to_vec()).file_name("anh.png"))).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    // An error page shows the menu of the person who met it.
    let html = b.get(app.url("/exemplars/999999")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("href=\"/exemplars\"") && html.contains("Không tìm thấy"), "{html}");
});

both!(typed_numbers_and_years_that_are_not_are_said_beside_the_field, |app| {
    let (b, csrf) = app.sign_in("canbo").await;
    let org = app.org_id("Đảng bộ Công ty Điện lực Nam Định").await.to_string();
    // Member count "abc": refused with the message beside the field, nothing saved.
    let res = b.post(app.url("/exemplars")).form(&[("_csrf", csrf.as_str()), ("org_id", &org), ("kind", "tap_the"),
        ("name", "Tổ Số Thành Viên Sai"), ("member_count", "abc"), ("year_found", "2025")]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("Số thành viên phải là một số nguyên"), "{html}");
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM exemplars WHERE name = $1").bind("Tổ Số Thành Viên Sai").fetch_one(app.db.reader()).await.unwrap();
    assert_eq!(n, 0);
    // The same on an edit.
    let edit = b.get(app.url("/exemplars/1/edit")).send().await.unwrap().text().await.unwrap();
    let version = crate::helpers::hidden(&edit, "version");
    let res = b.post(app.url("/exemplars/1")).form(&[("_csrf", csrf.as_str()), ("version", &version), ("kind", "ca_nhan"),
        ("name", "Nguyễn Văn Hùng"), ("year_found", "năm ngoái")]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Năm phát hiện phải là một số nguyên"));
    // A list filter that cannot be used: the list, with the message beside the filter.
    let res = b.get(app.url("/exemplars?year=abc&kind=zzz")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    assert!(html.contains("Năm phát hiện phải là một số nguyên"), "{html}");
    assert!(html.contains("Loại: Giá trị lọc không hợp lệ"), "{html}");
    assert!(html.contains("<table class=\"list\">"));
    // Models: year 3000 in the address is said, and the heading stays on this year.
    let this_year = dienhinh_domain::clock::current_year();
    let html = b.get(app.url("/models?year=3000")).send().await.unwrap().text().await.unwrap();
    assert!(!html.contains("năm 3000"), "the heading");
    assert!(html.contains(&format!("Mô hình tiêu biểu năm {this_year}")), "{html}");
    assert!(html.contains("Năm phải từ 2000 đến"), "{html}");
    let res = b.get(app.url("/models?year=abc")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    // Registering for 3000: refused beside the year, the heading is not 3000, what was typed is kept.
    let tccs = app.org_id("Đảng bộ Công ty Điện lực Nam Định").await.to_string();
    let res = b.post(app.url("/models")).form(&[("_csrf", csrf.as_str()), ("org_id", &tccs), ("year", "3000"), ("title", "Mô hình năm xa")]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(!html.contains("năm 3000") && html.contains("value=\"3000\"") && html.contains("Mô hình năm xa"), "{html}");
});

// An expired session: the sign-in page says so, and after signing in the
// form comes back with what was typed, to send once more. A stale page on a
// live session: what was typed is shown at once, to send again.
both!(what_was_typed_survives_an_expired_session_and_a_stale_page, |app| {
    let (b, csrf) = app.sign_in("canbo").await;
    let typed = [("_csrf", csrf.as_str()), ("support_kind", "ky_thuat"), ("support", "Kèm cặp <sau khi hết phiên>"), ("responsible", "Phòng Kỹ thuật")];
    // A stale token on a live session.
    let res = b.post(app.url("/exemplars/1/fostering")).form(&[("_csrf", "cu-roi"), typed[1], typed[2], typed[3]]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let html = res.text().await.unwrap();
    assert!(html.contains("Gửi lại") && html.contains(&escaped("Kèm cặp <sau khi hết phiên>")) && html.contains("action=\"/exemplars/1/fostering\""), "{html}");
    assert!(html.contains(&format!("name=\"_csrf\" value=\"{csrf}\"")), "the live session's token");
    // The session expires.
    sqlx::query("DELETE FROM sessions").execute(app.db.reader()).await.unwrap();
    let res = b.post(app.url("/exemplars/1/fostering")).form(&typed).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let html = res.text().await.unwrap();
    assert!(html.contains("Phiên làm việc đã hết hạn") && html.contains("name=\"password\""), "the sign-in page: {html}");
    assert!(!html.contains("Kèm cặp"), "nothing typed is echoed to a page anyone could see");
    let pre = crate::helpers::hidden(&html, "_csrf");
    let next = crate::helpers::hidden(&html, "next");
    assert_eq!(next, "/account/resume");
    let res = b.post(app.url("/login")).form(&[("username", "canbo"), ("password", crate::helpers::PASSWORD), ("_csrf", &pre), ("next", &next)]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/account/resume");
    let html = b.get(app.url("/account/resume")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains(&escaped("Kèm cặp <sau khi hết phiên>")) && html.contains("action=\"/exemplars/1/fostering\""), "{html}");
    let fresh = crate::helpers::hidden(&html, "_csrf");
    assert_ne!(fresh, csrf);
    // Sent again: saved.
    let res = b.post(app.url("/exemplars/1/fostering")).form(&[("_csrf", fresh.as_str()), typed[1], typed[2], typed[3]]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM fostering_items WHERE support = $1").bind("Kèm cặp <sau khi hết phiên>").fetch_one(app.db.reader()).await.unwrap();
    assert_eq!(n, 1);
    // Once only; and another browser has nothing to resume.
    let res = b.get(app.url("/account/resume")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (other, _) = app.sign_in("canbo").await;
    assert_eq!(other.get(app.url("/account/resume")).send().await.unwrap().status(), StatusCode::SEE_OTHER);
    // A post with no session cookie at all (another site's form) is not kept.
    let anon = app.client();
    let res = anon.post(app.url("/exemplars/1/fostering")).form(&typed).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(res.headers().get_all("set-cookie").iter().all(|v| !v.to_str().unwrap().starts_with("dh_resume=")));
});

// Two people edit one record: the second save answers the conflict with
// what they typed beside the record as it is now, in a form re-filled with
// their values and the current version; sending it applies their edits.
both!(a_conflict_keeps_what_was_typed_to_apply_again, |app| {
    // A unit, renamed by someone else while the admin's form was open.
    let parent = app.org_id("Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh Nam Định").await;
    let id = app.create_tccs("admin", parent, "Đảng bộ Sở Nội vụ").await;
    assert_eq!(app.rename_tccs("admin", id, 1, "Đảng bộ Sở Nội vụ tỉnh").await.status(), StatusCode::OK);
    let (b, csrf) = app.sign_in("admin").await;
    let mine = [("_csrf", csrf.as_str()), ("version", "1"), ("kind", "tccs"), ("name", "Đảng bộ Sở Nội vụ <bản của tôi>"), ("short_name", "SNV")];
    let res = b.post(app.url(&format!("/orgs/{id}"))).form(&mine).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let html = res.text().await.unwrap();
    assert!(html.contains("Bản hiện có trong hệ thống") && html.contains(">Đảng bộ Sở Nội vụ tỉnh<"), "the current record beside: {html}");
    assert!(html.contains(&format!("value=\"{}\"", escaped("Đảng bộ Sở Nội vụ <bản của tôi>"))) && html.contains("value=\"SNV\""), "the form keeps what was typed");
    assert_eq!(crate::helpers::hidden(&html, "version"), "2", "and carries the current version");
    assert!(html.contains(&format!("action=\"/orgs/{id}\"")));
    let again = [("_csrf", csrf.as_str()), ("version", "2"), ("kind", "tccs"), ("name", "Đảng bộ Sở Nội vụ <bản của tôi>"), ("short_name", "SNV")];
    assert_eq!(b.post(app.url(&format!("/orgs/{id}"))).form(&again).send().await.unwrap().status(), StatusCode::SEE_OTHER);
    assert_eq!(app.org("Đảng bộ Sở Nội vụ <bản của tôi>").await.id, id);

    // An exemplar, edited over the API while the cán bộ's form was open.
    let c = reqwest::Client::new();
    let token = app.token("canbo").await;
    let org = app.org_id("Đảng bộ Công ty Điện lực Nam Định").await;
    let body = json!({"org_id": org, "kind": "ca_nhan", "name": "Vũ Thị Xung Đột", "year_found": 2025, "achievements": "Bản đầu"});
    let e: Value = c.post(app.url("/api/v1/exemplars")).bearer_auth(&token).json(&body).send().await.unwrap().json().await.unwrap();
    let eid = e["id"].as_i64().unwrap();
    let mut theirs = body.clone();
    theirs["version"] = json!(1);
    theirs["achievements"] = json!("Bản người khác đã lưu");
    assert_eq!(c.put(app.url(&format!("/api/v1/exemplars/{eid}"))).bearer_auth(&token).json(&theirs).send().await.unwrap().status(), StatusCode::OK);
    let (b, csrf) = app.sign_in("canbo").await;
    let mine = |version: &'static str| {
        [("_csrf", csrf.clone()), ("version", version.into()), ("kind", "ca_nhan".into()), ("name", "Vũ Thị Xung Đột".into()), ("year_found", "2025".into()), ("achievements", "Thành tích tôi vừa gõ".into())]
    };
    let res = b.post(app.url(&format!("/exemplars/{eid}"))).form(&mine("1")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let html = res.text().await.unwrap();
    assert!(html.contains("<td data-label=\"Bản hiện có\">Bản người khác đã lưu</td>"), "{html}");
    assert!(html.contains(">Thành tích tôi vừa gõ</textarea>"), "the form keeps what was typed: {html}");
    assert_eq!(crate::helpers::hidden(&html, "version"), "2");
    assert_eq!(b.post(app.url(&format!("/exemplars/{eid}"))).form(&mine("2")).send().await.unwrap().status(), StatusCode::SEE_OTHER);
    let now: Value = c.get(app.url(&format!("/api/v1/exemplars/{eid}"))).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    assert_eq!(now["achievements"], "Thành tích tôi vừa gõ");
});

// An action that cannot be undone first says what it will do (to which
// record, to which level or unit) and writes nothing; confirmed, it is done
// and the next page announces it (role="status"), once.
both!(irreversible_actions_are_confirmed_and_success_is_announced, |app| {
    let c = reqwest::Client::new();
    let api = |token: String, path: String, body: Value| {
        let c = c.clone();
        let url = app.url(&path);
        async move {
            let res = c.post(url).bearer_auth(token).json(&body).send().await.unwrap();
            assert!(res.status().is_success(), "{}", res.status());
            res.json::<Value>().await.unwrap()
        }
    };
    let org = app.org_id("Đảng bộ Công ty Điện lực Nam Định").await;
    let canbo = app.token("canbo").await;
    let e = api(canbo.clone(), "/api/v1/exemplars".into(), json!({"org_id": org, "kind": "ca_nhan", "name": "Lê Văn Xác Nhận", "year_found": 2025})).await;
    let id = e["id"].as_i64().unwrap();
    let steps = format!("/api/v1/exemplars/{id}/steps");
    api(canbo.clone(), steps.clone(), json!({"step": "boi_duong", "reason": "Bồi dưỡng", "version": 1})).await;
    api(app.token("capuy").await, steps.clone(), json!({"step": "cong_nhan", "reason": "Công nhận", "version": 2, "decision_no": "5-NQ/ĐU", "decided_on": "2025-11-20"})).await;
    let level = || async { sqlx::query_scalar::<_, String>("SELECT level FROM exemplars WHERE id = $1").bind(id).fetch_one(app.db.reader()).await.unwrap() };

    // Raising a level: the page names the exemplar and the level it goes to.
    let (b, csrf) = app.sign_in("btv").await;
    let raise = |confirmed: bool| {
        let mut f = vec![("_csrf", csrf.clone()), ("step", "nang_cap".into()), ("reason", "Ban Thường vụ công nhận cấp Khối".into()), ("version", "3".into()), ("decision_no", "220-NQ/ĐUK".into()), ("decided_on", "2025-12-01".into())];
        if confirmed {
            f.push(("confirmed", "1".into()));
        }
        b.post(app.url(&format!("/exemplars/{id}/steps"))).form(&f).send()
    };
    let res = raise(false).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    assert!(html.contains("Điển hình «Lê Văn Xác Nhận» sẽ được nâng từ cấp Cơ sở lên cấp Khối."), "{html}");
    assert!(html.contains("name=\"confirmed\" value=\"1\"") && html.contains("name=\"decision_no\" value=\"220-NQ/ĐUK\""), "re-posts what was sent: {html}");
    assert!(html.contains(&format!("href=\"/exemplars/{id}\"")), "a way back");
    assert_eq!(level().await, "co_so", "nothing done before confirming");
    let res = raise(true).await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(level().await, "khoi");
    let next = res.headers()["location"].to_str().unwrap().to_string();
    let announced = "role=\"status\">Đã ghi nhận bước xét duyệt vào quá trình của điển hình.</p>";
    assert!(b.get(app.url(&next)).send().await.unwrap().text().await.unwrap().contains(announced), "announced on the next page");
    assert!(!b.get(app.url(&next)).send().await.unwrap().text().await.unwrap().contains(announced), "once");

    // Marking fostering done: names the item and the exemplar.
    let item = api(canbo.clone(), format!("/api/v1/exemplars/{id}/fostering"), json!({"support_kind": "ky_thuat", "support": "Kèm cặp viết sáng kiến", "responsible": "Phòng Kỹ thuật"})).await;
    let item_id = item["id"].as_i64().unwrap();
    let (b, csrf) = app.sign_in("canbo").await;
    let status_url = app.url(&format!("/exemplars/{id}/fostering/{item_id}/status"));
    let done = [("_csrf", csrf.as_str()), ("status", "hoan_thanh"), ("version", "1")];
    let html = b.post(&status_url).form(&done).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Nội dung bồi dưỡng «Kèm cặp viết sáng kiến» của điển hình «Lê Văn Xác Nhận» sẽ được ghi là đã hoàn thành."), "{html}");
    let status = || async { sqlx::query_scalar::<_, String>("SELECT status FROM fostering_items WHERE id = $1").bind(item_id).fetch_one(app.db.reader()).await.unwrap() };
    assert_ne!(status().await, "hoan_thanh");
    let res = b.post(&status_url).form(&[done[0], done[1], done[2], ("confirmed", "1")]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(status().await, "hoan_thanh");
    assert!(b.get(app.url(&format!("/exemplars/{id}"))).send().await.unwrap().text().await.unwrap().contains("role=\"status\">Đã cập nhật tình trạng nội dung bồi dưỡng.</p>"));

    // Deciding on a model: names the model, its unit and the verdict.
    let year = dienhinh_domain::clock::current_year();
    let m = api(canbo.clone(), "/api/v1/models".into(), json!({"org_id": org, "year": year, "title": "Mô hình chờ xác nhận"})).await;
    let (b, csrf) = app.sign_in("capuy").await;
    let decide = app.url(&format!("/models/{}/decision", m["id"]));
    let approve = [("_csrf", csrf.as_str()), ("decision", "approve"), ("note", "Đồng ý"), ("version", "1")];
    let html = b.post(&decide).form(&approve).send().await.unwrap().text().await.unwrap();
    let undecided: String = sqlx::query_scalar("SELECT status FROM annual_models WHERE id = $1").bind(m["id"].as_i64().unwrap()).fetch_one(app.db.reader()).await.unwrap();
    assert_eq!(json!(undecided), m["status"], "nothing decided before confirming");
    assert!(html.contains(&format!("Mô hình «Mô hình chờ xác nhận» của Đảng bộ Công ty Điện lực Nam Định sẽ được duyệt là mô hình, cách làm hay năm {year}.")), "{html}");
    let res = b.post(&decide).form(&[approve[0], approve[1], approve[2], approve[3], ("confirmed", "1")]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let decided: String = sqlx::query_scalar("SELECT status FROM annual_models WHERE id = $1").bind(m["id"].as_i64().unwrap()).fetch_one(app.db.reader()).await.unwrap();
    assert_ne!(json!(decided), m["status"], "decided once confirmed");

    // Moving a unit: names it, where it leaves and where it goes.
    let khoi = app.org_id("Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh Nam Định").await;
    let tinh = app.org_id("Tỉnh ủy Nam Định").await;
    let unit = app.create_tccs("admin", khoi, "Đảng bộ Sở Sắp Chuyển").await;
    let (b, csrf) = app.sign_in("admin").await;
    let mv = app.url(&format!("/orgs/{unit}/move"));
    let tinh_s = tinh.to_string();
    let html = b.post(&mv).form(&[("_csrf", csrf.as_str()), ("parent_id", &tinh_s), ("version", "1")]).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("«Đảng bộ Sở Sắp Chuyển» cùng các đơn vị trực thuộc và hồ sơ của chúng sẽ chuyển từ «Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh Nam Định» sang trực thuộc «Tỉnh ủy Nam Định»."), "{html}");
    assert_eq!(app.org("Đảng bộ Sở Sắp Chuyển").await.parent_id, Some(khoi));
    let res = b.post(&mv).form(&[("_csrf", csrf.as_str()), ("parent_id", &tinh_s), ("version", "1"), ("confirmed", "1")]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.org("Đảng bộ Sở Sắp Chuyển").await.parent_id, Some(tinh));
    assert!(b.get(app.url(&format!("/orgs/{unit}"))).send().await.unwrap().text().await.unwrap().contains("role=\"status\">Đã chuyển tổ chức sang đơn vị cấp trên mới.</p>"));
});

// On a phone every list table becomes stacked cards, each value under its
// label: every cell of a list table carries its column's label; and the
// header folds into one Menu (a <details>), so content starts at the top.
both!(every_list_cell_is_labelled_for_the_phone_cards, |app| {
    let pages = [
        ("btg", "/"),
        ("btg", "/exemplars"),
        ("capuy", "/exemplars/1"),
        ("capuy", "/models"),
        ("admin", "/orgs"),
        ("admin", "/users"),
        ("admin", "/audit"),
        ("btg", "/plans/1"),
        ("btg", "/dashboard"),
    ];
    for (who, path) in pages {
        let (b, _) = app.sign_in(who).await;
        let html = b.get(app.url(path)).send().await.unwrap().text().await.unwrap();
        assert!(html.contains("<details class=\"menu narrow-only\">") && html.contains("<summary>Menu</summary>"), "{path}: the folded menu");
        let mut tables = 0;
        for table in html.split("<table class=\"list").skip(1) {
            let table = &table[..table.find("</table>").unwrap()];
            if table.starts_with(" compact") {
                // A compact table stays a table on a phone: two columns fit, more are squeezed.
                assert!(table.matches("</th>").count() <= 2, "{path}: a compact table with more than two columns");
                continue;
            }
            tables += 1;
            for cell in table.split("<td").skip(1) {
                let tag = &cell[..cell.find('>').unwrap()];
                assert!(tag.contains("data-label=\"") || tag.contains("colspan"), "{path}: a cell without its label: <td{tag}>");
            }
        }
        assert!(tables > 0 || path == "/", "{path} has a list");
    }
});
