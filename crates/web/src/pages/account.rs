//! Sign-in, sign-out and change of password.

use super::{render, render_status, see_other, done};
use crate::flash::Done;
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
}

pub async fn password_form(Signed(me): Signed) -> PageResult {
    render(&PasswordPage { chrome: Chrome::new("Đổi mật khẩu", &me, ""), errors: Invalid::new() })
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
            &PasswordPage { chrome: Chrome::new("Đổi mật khẩu", &me, ""), errors },
        );
    }
    users::set_password(&st.db, &me.actor(), me.user.id, &f.new_password).await?;
    // Every session ended with the new password; start a fresh one here.
    let (token, _) = users::start_session(&st.db, &me.user).await?;
    let mut res = done(&st, "/account/password", Done::PasswordChanged)?;
    if let Ok(v) = auth::set_cookie(SESSION_COOKIE, &token, users::SESSION_TTL_MS / 1000, st.config.https).parse() {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(res)
}

#[derive(Template)]
#[template(path = "resume.html")]
struct ResumePage {
    chrome: Chrome,
    message: String,
    /// Where the form goes (the path it was first posted to).
    path: String,
    fields: Vec<(String, String)>,
    /// What the person wrote (free text; choices and numbers are sent as
    /// they were but not listed, their codes mean nothing to a reader).
    shown: Vec<String>,
}

fn resume_page(me: &auth::AuthUser, status: StatusCode, message: &str, path: String, fields: Vec<(String, String)>) -> PageResult {
    let written = |v: &str| v.trim().chars().any(|c| c.is_whitespace() || !c.is_ascii());
    let shown = fields.iter().filter(|(k, v)| !k.starts_with('_') && written(v)).map(|(_, v)| v.clone()).collect();
    let fields = fields.into_iter().filter(|(k, _)| k != auth::CSRF_FIELD).collect();
    render_status(status, &ResumePage { chrome: Chrome::new("Gửi lại biểu mẫu", me, ""), message: message.into(), path, fields, shown })
}

/// A page form refused for its CSRF token though it came with our session
/// cookie (see `resume`): when the session is still alive (a stale page),
/// what was typed is shown at once to send again; when it has expired, it
/// is kept and the sign-in page leads back to it. `None` when the body is
/// not an urlencoded form.
pub async fn kept_after_refusal(st: &AppState, parts: &axum::http::request::Parts, body: axum::body::Body, caller: Option<&auth::AuthUser>) -> Option<axum::response::Response> {
    let form = parts.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !form {
        return None;
    }
    let bytes = axum::body::to_bytes(body, crate::security::FORM_BODY_LIMIT).await.ok()?;
    let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes).ok()?;
    let path = parts.uri.path_and_query().map(|p| p.as_str().to_string()).unwrap_or_default();
    if !crate::resume::is_local(&path) || path.starts_with("/login") || path.starts_with("/logout") {
        return None;
    }
    if let Some(me) = caller {
        let msg = "Trang đã mở quá lâu nên biểu mẫu không hợp lệ (phiên làm việc đã đổi). Chưa lưu gì; kiểm tra lại rồi bấm «Gửi lại».";
        return resume_page(me, StatusCode::FORBIDDEN, msg, path, fields).ok();
    }
    let token = crate::resume::keep(&st.db, &path, fields).await?;
    let msg = "Phiên làm việc đã hết hạn nên chưa lưu được. Vui lòng đăng nhập lại: những gì bạn vừa nhập được giữ lại và sẽ hiện ra để bạn gửi lại.".to_string();
    let mut res = login_page(StatusCode::FORBIDDEN, fresh_token(), "/account/resume".into(), String::new(), msg, st.config.https).ok()?;
    let max_age = crate::resume::TTL.as_secs() as i64;
    if let Ok(v) = auth::set_cookie(crate::resume::RESUME_COOKIE, &token, max_age, st.config.https).parse() {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    Some(res)
}

/// After signing in again: what was typed before the session expired, to
/// send again (once).
pub async fn resume(State(st): State<AppState>, Signed(me): Signed, headers: HeaderMap) -> PageResult {
    let kept = match auth::cookie(&headers, crate::resume::RESUME_COOKIE) {
        Some(t) => crate::resume::take(&st.db, t).await,
        None => None,
    };
    let mut res = match kept {
        Some(k) => resume_page(&me, StatusCode::OK, "Bạn đã đăng nhập lại. Biểu mẫu chưa được lưu; kiểm tra rồi bấm «Gửi lại».", k.path, k.fields)?,
        None => Redirect::to("/").into_response(),
    };
    if let Ok(v) = auth::set_cookie(crate::resume::RESUME_COOKIE, "", 0, st.config.https).parse() {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(res)
}
