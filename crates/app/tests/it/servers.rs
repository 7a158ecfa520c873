//! Several app servers on one database, as a province or the country runs
//! them behind a load balancer: whatever matters lives in the database, so
//! a request may land on any server.

use crate::both;
use crate::helpers::{hidden, PASSWORD};
use dienhinh_domain::user::{MAX_FAILURES_PER_USER, SIGNIN_WINDOW_MS};
use dienhinh_store::jobs::{self, Job};
use dienhinh_store::{now_ms, resume_forms, signins, users};
use reqwest::StatusCode;
use std::time::Duration;

both!(sign_in_throttle_and_sessions_are_shared_between_servers, |app| {
    let a = app.base.clone();
    let b = app.another_server().await;
    let c = app.client();
    let page = c.get(format!("{a}/login")).send().await.unwrap().text().await.unwrap();
    let pre = hidden(&page, "_csrf");
    let login = |base: &str, password: &'static str| {
        c.post(format!("{base}/login")).form(&[("username", "capuy"), ("password", password), ("_csrf", pre.as_str())]).send()
    };
    // Every failure allowed, on server A …
    for i in 0..MAX_FAILURES_PER_USER {
        assert_eq!(login(&a, "wrong-password").await.unwrap().status(), StatusCode::UNAUTHORIZED, "failure {i} on A");
    }
    // … locks the account on server B, even with the right password.
    let res = login(&b, PASSWORD).await.unwrap();
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(res.headers().contains_key("retry-after"));
    assert!(res.text().await.unwrap().contains("Bạn đã nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút."));

    // A session started on A works on B, writes included (CSRF token of A).
    let (s, csrf) = app.sign_in("btg").await;
    let home = s.get(format!("{b}/")).send().await.unwrap();
    assert_eq!(home.status(), StatusCode::OK, "the session cookie of A on B");
    assert_eq!(hidden(&home.text().await.unwrap(), "_csrf"), csrf);
    let out = s.post(format!("{b}/logout")).form(&[("_csrf", csrf.as_str())]).send().await.unwrap();
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    // Signed out on B is signed out on A (on a workspace page: `/` is the
    // public portal for a stranger).
    let after = s.get(format!("{a}/exemplars")).send().await.unwrap();
    assert_eq!(after.status(), StatusCode::SEE_OTHER);
    assert!(after.headers()["location"].to_str().unwrap().starts_with("/login"));
});

// A form refused on server A because the session expired comes back after
// signing in again on server B.
both!(a_form_kept_across_an_expired_session_comes_back_on_another_server, |app| {
    let a = app.base.clone();
    let b = app.another_server().await;
    let (s, csrf) = app.sign_in("canbo").await;
    sqlx::query("DELETE FROM sessions").execute(app.db.reader()).await.unwrap();
    let typed = [("_csrf", csrf.as_str()), ("support_kind", "ky_thuat"), ("support", "Kèm cặp qua hai máy chủ"), ("responsible", "Phòng Kỹ thuật")];
    let res = s.post(format!("{a}/exemplars/1/fostering")).form(&typed).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let html = res.text().await.unwrap();
    let pre = hidden(&html, "_csrf");
    let res = s.post(format!("{b}/login")).form(&[("username", "canbo"), ("password", PASSWORD), ("_csrf", &pre), ("next", "/account/resume")]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let html = s.get(format!("{b}/account/resume")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Kèm cặp qua hai máy chủ") && html.contains("action=\"/exemplars/1/fostering\""), "{html}");
    // Taken once, on whichever server.
    assert_eq!(s.get(format!("{a}/account/resume")).send().await.unwrap().status(), StatusCode::SEE_OTHER);
});

both!(a_count_whose_window_has_passed_starts_again, |app| {
    for _ in 0..MAX_FAILURES_PER_USER {
        signins::failed(&app.db, "capuy", "10.0.0.1").await.unwrap();
    }
    assert!(signins::wait(&app.db, " CapUy ", "10.0.0.2").await.unwrap().is_some(), "the folded username is locked from any address");
    assert!(signins::wait(&app.db, "btg", "10.0.0.1").await.unwrap().is_none(), "five failures do not lock an address");
    // Fifteen minutes later the next failure opens a new window.
    let mut tx = app.db.begin().await.unwrap();
    sqlx::query("UPDATE signin_failures SET window_start = window_start - $1").bind(SIGNIN_WINDOW_MS).execute(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
    assert!(signins::wait(&app.db, "capuy", "10.0.0.1").await.unwrap().is_none());
    signins::failed(&app.db, "capuy", "10.0.0.1").await.unwrap();
    assert!(signins::wait(&app.db, "capuy", "10.0.0.1").await.unwrap().is_none());
    // A success clears the username's count.
    for _ in 0..MAX_FAILURES_PER_USER {
        signins::failed(&app.db, "capuy", "10.0.0.1").await.unwrap();
    }
    signins::succeeded(&app.db, "capuy").await.unwrap();
    assert!(signins::wait(&app.db, "capuy", "10.0.0.1").await.unwrap().is_none());
});

/// A job slow enough that two servers' claims overlap.
fn slow(_: &dienhinh_store::Db, _: i64) -> std::pin::Pin<Box<dyn std::future::Future<Output = dienhinh_store::StoreResult<u64>> + Send + '_>> {
    Box::pin(async {
        tokio::time::sleep(Duration::from_millis(20)).await;
        Ok(1)
    })
}

both!(a_job_runs_once_per_period_across_servers, |app| {
    const SLOW: &[Job] = &[Job { name: "test-slow", every: Duration::from_secs(60), run: slow }];
    let other = app.open_again().await;
    let start = jobs::period_start(now_ms(), Duration::from_secs(60));
    for round in 0..10 {
        let now = start + round * 60_000 + 30_000;
        let (x, y) = tokio::join!(jobs::run_due(&app.db, SLOW, now), jobs::run_due(&other, SLOW, now));
        assert_eq!(x.unwrap().len() + y.unwrap().len(), 1, "round {round}: exactly one server runs it");
        assert!(jobs::run_due(&other, SLOW, now + 29_000).await.unwrap().is_empty(), "not twice in a period");
    }
    // A server whose clock is behind does not run an earlier period again.
    assert!(jobs::run_due(&app.db, SLOW, start).await.unwrap().is_empty());
});

both!(the_prune_job_removes_expired_sessions_and_sign_in_counts, |app| {
    let user = users::by_username(&app.db, "btg").await.unwrap();
    users::start_session(&app.db, &user).await.unwrap();
    signins::failed(&app.db, "capuy", "10.0.0.1").await.unwrap();
    let form = resume_forms::Kept { path: "/exemplars/1/fostering".into(), fields: vec![("support".into(), "Kèm cặp".into())] };
    assert!(resume_forms::keep(&app.db, "mot-lan", &form, 30 * 60 * 1000).await.unwrap());
    let count = |table: &'static str| {
        let db = app.db.clone();
        async move { sqlx::query_scalar::<_, i64>(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(db.reader()).await.unwrap() }
    };
    assert_eq!((count("signin_failures").await, count("resume_forms").await), (2, 1));
    let sessions = count("sessions").await;
    // Nothing expired yet: nothing pruned.
    // (Every job runs in its first period; publishing has nothing due.)
    assert_eq!(jobs::run_due(&app.db, jobs::JOBS, now_ms()).await.unwrap(), vec!["prune", "publish_stories"]);
    assert_eq!((count("sessions").await, count("signin_failures").await, count("resume_forms").await), (sessions, 2, 1));
    // Half a day later, in the next period, all are gone.
    let later = now_ms() + users::SESSION_TTL_MS + 1;
    assert_eq!(jobs::run_due(&app.db, jobs::JOBS, later).await.unwrap(), vec!["prune", "publish_stories"]);
    assert_eq!((count("sessions").await, count("signin_failures").await, count("resume_forms").await), (0, 0, 0));
});
