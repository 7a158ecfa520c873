use crate::both;
use crate::helpers::{hidden, PASSWORD};
use reqwest::StatusCode;

both!(anonymous_is_sent_to_sign_in, |app| {
    let c = app.client();
    for path in ["/exemplars", "/orgs", "/users", "/audit", "/orgs/1"] {
        let res = c.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{path}");
        let to = res.headers()["location"].to_str().unwrap();
        assert!(to.starts_with("/login?next="), "{path} → {to}");
    }
    // `/` is the public portal for a visitor: no workspace, no menu of it.
    let home = c.get(app.url("/")).send().await.unwrap();
    assert_eq!(home.status(), StatusCode::OK);
    let html = home.text().await.unwrap();
    assert!(html.contains("class=\"portal\"") && !html.contains("Tổng quan") && !html.contains("/audit"), "{html}");
    let res = c.get(app.url("/api/v1/me")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "unauthorized");
});

both!(sign_in_out_through_the_form, |app| {
    let (c, csrf) = app.sign_in("btg").await;
    let home = c.get(app.url("/")).send().await.unwrap();
    assert_eq!(home.status(), StatusCode::OK);
    let cookie_flags = c.get(app.url("/login")).send().await.unwrap();
    assert_eq!(cookie_flags.status(), StatusCode::SEE_OTHER, "signed-in user is sent on from /login");
    let html = home.text().await.unwrap();
    assert!(html.contains("Lê Thị Thu Hòa"), "home greets the user by name");
    assert!(html.contains("Số 48-KH/ĐUK"));
    let out = c.post(app.url("/logout")).form(&[("_csrf", csrf.as_str())]).send().await.unwrap();
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    let again = c.get(app.url("/account/password")).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::SEE_OTHER, "session ended");
    let portal = c.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(!portal.contains("Lê Thị Thu Hòa"), "signed out, / is the portal");
});

both!(session_cookie_is_httponly_and_samesite, |app| {
    let c = app.client();
    let page = c.get(app.url("/login")).send().await.unwrap().text().await.unwrap();
    let pre = hidden(&page, "_csrf");
    let res = c
        .post(app.url("/login"))
        .form(&[("username", "admin"), ("password", PASSWORD), ("_csrf", pre.as_str())])
        .send()
        .await
        .unwrap();
    let cookies: Vec<String> =
        res.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_string()).collect();
    let session = cookies.iter().find(|c| c.starts_with("dh_session=")).expect("session cookie");
    assert!(session.contains("HttpOnly") && session.contains("SameSite=Lax"), "{session}");
    assert!(!session.contains("Secure"), "not Secure over plain HTTP");
});

both!(wrong_password_keeps_username_and_says_why, |app| {
    let c = app.client();
    let page = c.get(app.url("/login")).send().await.unwrap().text().await.unwrap();
    let pre = hidden(&page, "_csrf");
    for (user, pw) in [("btg", "sai-mat-khau"), ("khong-ton-tai", "whatever1")] {
        let res = c
            .post(app.url("/login"))
            .form(&[("username", user), ("password", pw), ("_csrf", pre.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
        let html = res.text().await.unwrap();
        assert!(html.contains("Tên đăng nhập hoặc mật khẩu không đúng."));
        assert!(html.contains(&format!("value=\"{user}\"")), "typed username kept");
    }
    let empty = c.post(app.url("/login")).form(&[("username", ""), ("password", ""), ("_csrf", pre.as_str())]).send().await.unwrap();
    assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);
});

both!(failed_sign_ins_are_throttled, |app| {
    let c = app.client();
    let page = c.get(app.url("/login")).send().await.unwrap().text().await.unwrap();
    let pre = hidden(&page, "_csrf");
    let mut last = StatusCode::OK;
    for _ in 0..6 {
        last = c
            .post(app.url("/login"))
            .form(&[("username", "capuy"), ("password", "wrong-password"), ("_csrf", pre.as_str())])
            .send()
            .await
            .unwrap()
            .status();
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
    // Even the right password is refused while locked.
    let res = c
        .post(app.url("/login"))
        .form(&[("username", "capuy"), ("password", PASSWORD), ("_csrf", pre.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(res.headers().contains_key("retry-after"));
    assert!(res.text().await.unwrap().contains("Vui lòng thử lại sau"));
});

both!(forms_without_csrf_token_are_refused, |app| {
    let (c, csrf) = app.sign_in("admin").await;
    let parent = app.org_id("Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh Nam Định").await.to_string();
    let fields = [("parent_id", parent.as_str()), ("name", "Đảng bộ Thử nghiệm"), ("kind", "tccs")];
    let res = c.post(app.url("/orgs")).form(&fields).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let mut wrong = fields.to_vec();
    wrong.push(("_csrf", "not-the-token"));
    assert_eq!(c.post(app.url("/orgs")).form(&wrong).send().await.unwrap().status(), StatusCode::FORBIDDEN);
    let out = c.post(app.url("/logout")).send().await.unwrap();
    assert_eq!(out.status(), StatusCode::FORBIDDEN, "sign-out needs the token too");
    // Anonymous sign-in without the double-submit token is refused as well.
    let anon = app.client();
    let res = anon.post(app.url("/login")).form(&[("username", "admin"), ("password", PASSWORD)]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // With the token the same form works.
    let mut ok = fields.to_vec();
    ok.push(("_csrf", csrf.as_str()));
    assert_eq!(c.post(app.url("/orgs")).form(&ok).send().await.unwrap().status(), StatusCode::SEE_OTHER);
});

both!(change_password_checks_and_works, |app| {
    let (c, csrf) = app.sign_in("xem").await;
    let bad = c
        .post(app.url("/account/password"))
        .form(&[("_csrf", csrf.as_str()), ("current", "sai"), ("new_password", "ngan"), ("confirm", "khac")])
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = bad.text().await.unwrap();
    assert!(html.contains("Mật khẩu hiện tại không đúng."));
    assert!(html.contains("ít nhất 8 ký tự"));
    assert!(html.contains("không khớp"));
    let ok = c
        .post(app.url("/account/password"))
        .form(&[("_csrf", csrf.as_str()), ("current", PASSWORD), ("new_password", "mat-khau-moi-9"), ("confirm", "mat-khau-moi-9")])
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), StatusCode::SEE_OTHER);
    assert_eq!(c.get(app.url("/")).send().await.unwrap().status(), StatusCode::OK, "still signed in");
    assert!(dienhinh_store::users::authenticate(&app.db, "xem", "mat-khau-moi-9").await.unwrap().is_some());
    assert!(dienhinh_store::users::authenticate(&app.db, "xem", PASSWORD).await.unwrap().is_none());
});

both!(security_headers_on_every_response, |app| {
    let c = app.client();
    for path in ["/login", "/healthz", "/api/openapi.json", "/khong-co"] {
        let res = c.get(app.url(path)).send().await.unwrap();
        let h = res.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"), "{path}");
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert_eq!(h["referrer-policy"], "same-origin");
    }
});

// The site's icon is served from the binary and linked from every page.
both!(favicon_is_served_and_linked, |app| {
    let c = app.client();
    let res = c.get(app.url("/favicon.ico")).send().await.unwrap();
    assert_eq!(res.status(), reqwest::StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "image/svg+xml");
    assert!(res.text().await.unwrap().starts_with("<svg"));
    let login = c.get(app.url("/login")).send().await.unwrap().text().await.unwrap();
    assert!(login.contains(r#"<link rel="icon" href="/favicon.ico""#));
});
