//! Sign-in, sign-out and change of password.

use super::{render, render_status, see_other};
use crate::auth::{self, ClientIp, MaybeUser, Signed, PRE_CSRF_COOKIE, SESSION_COOKIE};
use crate::error::PageResult;
use crate::view::Chrome;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::Extension;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect};
use axum::Form;
use dienhinh_domain::Invalid;
use dienhinh_store::{signins, users};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    chrome: Chrome,
    csrf: String,
    next: String,
    username: String,
    error: String,
}

#[derive(Deserialize, Default)]
pub struct LoginQuery {
    #[serde(default)]
    next: String,
}

/// Only local paths may be redirect targets after sign-in.
fn safe_next(next: &str) -> String {
    if next.starts_with('/') && !next.starts_with("//") && !next.starts_with("/\\") {
        next.to_string()
    } else {
        "/".to_string()
    }
}

fn login_page(status: StatusCode, csrf: String, next: String, username: String, error: String, secure: bool) -> PageResult {
    let page = LoginPage { chrome: Chrome::bare("Đăng nhập"), csrf: csrf.clone(), next, username, error };
    let mut res = render_status(status, &page)?;
    if let Ok(v) = auth::set_cookie(PRE_CSRF_COOKIE, &csrf, 3600, secure).parse() {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(res)
}

fn fresh_token() -> String {
    use rand::RngCore;
    let mut b = [0u8; 24];
    rand::rngs::OsRng.fill_bytes(&mut b);
    hex::encode(b)
}

pub async fn login_form(State(st): State<AppState>, MaybeUser(user): MaybeUser, Query(q): Query<LoginQuery>) -> PageResult {
    if user.is_some() {
        return see_other(&safe_next(&q.next));
    }
    login_page(StatusCode::OK, fresh_token(), safe_next(&q.next), String::new(), String::new(), st.config.https)
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

pub async fn login(
    State(st): State<AppState>,
    Extension(ClientIp(ip)): Extension<ClientIp>,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> PageResult {
    // A re-shown form keeps the token it was sent with (it already matched).
    let pre = auth::cookie(&headers, PRE_CSRF_COOKIE).map(str::to_string).unwrap_or_else(fresh_token);
    let username = users::clean_username(&f.username);
    let next = safe_next(&f.next);
    let secure = st.config.https;
    // Counted in the database: every server behind the balancer sees them.
    if let Some(wait) = signins::wait(&st.db, &username, &ip).await? {
        let minutes = wait.as_secs().div_ceil(60);
        let msg = format!("Bạn đã nhập sai quá nhiều lần. Vui lòng thử lại sau {minutes} phút.");
        let mut res = login_page(StatusCode::TOO_MANY_REQUESTS, pre.clone(), next, f.username, msg, secure)?;
        if let Ok(v) = wait.as_secs().to_string().parse() {
            res.headers_mut().insert(header::RETRY_AFTER, v);
        }
        return Ok(res);
    }
    if username.is_empty() || f.password.is_empty() {
        let msg = "Vui lòng nhập tên đăng nhập và mật khẩu.".to_string();
        return login_page(StatusCode::UNPROCESSABLE_ENTITY, pre.clone(), next, f.username, msg, secure);
    }
    match users::authenticate(&st.db, &username, &f.password).await? {
        Some(user) => {
            signins::succeeded(&st.db, &username).await?;
            let (token, _csrf) = users::start_session(&st.db, &user).await?;
            let mut res = Redirect::to(&next).into_response();
            let h = res.headers_mut();
            let max_age = users::SESSION_TTL_MS / 1000;
            if let Ok(v) = auth::set_cookie(SESSION_COOKIE, &token, max_age, secure).parse() {
                h.append(header::SET_COOKIE, v);
            }
            if let Ok(v) = auth::set_cookie(PRE_CSRF_COOKIE, "", 0, secure).parse() {
                h.append(header::SET_COOKIE, v);
            }
            Ok(res)
        }
        None => {
            signins::failed(&st.db, &username, &ip).await?;
            let msg = "Tên đăng nhập hoặc mật khẩu không đúng.".to_string();
            login_page(StatusCode::UNAUTHORIZED, pre, next, f.username, msg, secure)
        }
    }
}

pub async fn logout(State(st): State<AppState>, headers: HeaderMap) -> PageResult {
    if let Some(sid) = auth::cookie(&headers, SESSION_COOKIE) {
        users::end_session(&st.db, sid).await?;
    }
    let mut res = Redirect::to("/login").into_response();
    if let Ok(v) = auth::set_cookie(SESSION_COOKIE, "", 0, st.config.https).parse() {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(res)
}

#[derive(Template)]
#[template(path = "password.html")]
struct PasswordPage {
    chrome: Chrome,
    errors: Invalid,
    done: bool,
}

#[derive(Deserialize, Default)]
pub struct DoneQuery {
    #[serde(default)]
    done: Option<String>,
}

pub async fn password_form(Signed(me): Signed, Query(q): Query<DoneQuery>) -> PageResult {
    render(&PasswordPage { chrome: Chrome::new("Đổi mật khẩu", &me, ""), errors: Invalid::new(), done: q.done.is_some() })
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm: String,
}

pub async fn change_password(State(st): State<AppState>, Signed(me): Signed, Form(f): Form<PasswordForm>) -> PageResult {
    let mut errors = Invalid::new();
    if users::authenticate(&st.db, &me.user.username, &f.current).await?.is_none() {
        errors.add("current", "wrong", "Mật khẩu hiện tại không đúng.");
    }
    users::validate_password(&mut errors, "new_password", &f.new_password);
    if f.new_password != f.confirm {
        errors.add("confirm", "mismatch", "Hai lần nhập mật khẩu mới không khớp.");
    }
    if !errors.is_empty() {
        return render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &PasswordPage { chrome: Chrome::new("Đổi mật khẩu", &me, ""), errors, done: false },
        );
    }
    users::set_password(&st.db, &me.actor(), me.user.id, &f.new_password).await?;
    // Every session ended with the new password; start a fresh one here.
    let (token, _) = users::start_session(&st.db, &me.user).await?;
    let mut res = see_other("/account/password?done=1")?;
    if let Ok(v) = auth::set_cookie(SESSION_COOKIE, &token, users::SESSION_TTL_MS / 1000, st.config.https).parse() {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(res)
}
