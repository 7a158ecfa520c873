//! Who is calling: one middleware resolves the session cookie or the API
//! token once per request, enforces CSRF on every state-changing request
//! that rides on a cookie, and leaves the caller in the request extensions
//! for the extractors below.

use crate::error::{ApiError, PageError};
use crate::AppState;
use axum::body::Body;
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::{header, request::Parts, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use dienhinh_domain::{access, Action, Assignment, OrgPath};
use dienhinh_store::users::{self, User};
use std::net::SocketAddr;

pub const SESSION_COOKIE: &str = "dh_session";
/// Double-submit cookie protecting the sign-in form, before any session exists.
pub const PRE_CSRF_COOKIE: &str = "dh_csrf";
pub const CSRF_FIELD: &str = "_csrf";
pub const CSRF_HEADER: &str = "x-csrf-token";

#[derive(Debug, Clone)]
pub struct AuthUser {
    pub user: User,
    pub assignments: Vec<Assignment>,
    /// The session's CSRF token (none for API-token callers).
    pub csrf: Option<String>,
    /// What the previous page did, to announce (`flash`).
    pub flash: Option<crate::flash::Done>,
}

impl AuthUser {
    pub fn can(&self, action: Action, at: &OrgPath) -> bool {
        access::allowed(&self.assignments, action, at)
    }
    /// Roots of the subtrees where the caller may take `action`.
    pub fn scope(&self, action: Action) -> Vec<OrgPath> {
        access::scope_roots(&self.assignments, action)
    }
    pub fn actor(&self) -> dienhinh_store::Actor {
        self.user.actor()
    }
}

/// Address of the client (see [`client_ip`]).
#[derive(Debug, Clone)]
pub struct ClientIp(pub String);

/// The resolved caller of this request, if any.
#[derive(Debug, Clone, Default)]
pub struct Caller(pub Option<AuthUser>);

pub fn cookie<'a>(headers: &'a axum::http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

pub fn set_cookie(name: &str, value: &str, max_age_secs: i64, secure: bool) -> String {
    format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{}",
        if secure { "; Secure" } else { "" }
    )
}

fn is_state_changing(m: &Method) -> bool {
    !matches!(*m, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Resolves the caller and enforces CSRF. See the module comment.
pub async fn layer(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let (mut parts, body) = req.into_parts();
    let is_api = parts.uri.path().starts_with("/api/");
    let bearer = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|s| s.trim().to_string());
    let mut caller = None;
    if let Some(token) = &bearer {
        match users::user_for_token(&st.db, token).await {
            Ok(Some(user)) => caller = Some(AuthUser { assignments: user.assignments(), user, csrf: None, flash: None }),
            Ok(None) => return ApiError::unauthorized().into_response(),
            Err(e) => return ApiError::from(e).into_response(),
        }
    } else if let Some(sid) = cookie(&parts.headers, SESSION_COOKIE) {
        match users::session(&st.db, sid).await {
            Ok(Some(s)) => {
                let flash = cookie(&parts.headers, crate::flash::FLASH_COOKIE).and_then(crate::flash::Done::from_code);
                caller = Some(AuthUser { assignments: s.user.assignments(), user: s.user, csrf: Some(s.csrf_token), flash })
            }
            Ok(None) => {}
            Err(e) => return PageError::from(e).into_response(),
        }
    }

    let mut body = body;
    if is_state_changing(&parts.method) && bearer.is_none() && !(is_api && caller.is_none()) {
        let expected = match &caller {
            Some(c) => c.csrf.clone(),
            None => cookie(&parts.headers, PRE_CSRF_COOKIE).map(str::to_string),
        };
        let Ok((provided, rebuilt)) = provided_csrf(&parts, body).await else {
            return crate::security::too_large(is_api);
        };
        body = rebuilt;
        let ok = matches!((&expected, &provided), (Some(e), Some(p)) if !e.is_empty() && constant_eq(e, p));
        if !ok {
            let msg = "Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ. Vui lòng tải lại trang và thử lại.";
            // A page form posted with our session cookie (so not from another
            // site): keep what was typed and offer it again after signing in.
            let had_session = cookie(&parts.headers, SESSION_COOKIE).is_some();
            if !is_api && had_session {
                if let Some(res) = crate::pages::account::kept_after_refusal(&st, &parts, body, caller.as_ref()).await {
                    return res;
                }
                return PageError::new(StatusCode::FORBIDDEN, msg).into_response();
            }
            return if is_api {
                ApiError::new(StatusCode::FORBIDDEN, "csrf", msg).into_response()
            } else {
                PageError::new(StatusCode::FORBIDDEN, msg).into_response()
            };
        }
    }
    let ip = client_ip(&parts.headers, parts.extensions.get::<ConnectInfo<SocketAddr>>(), st.config.trust_proxy);
    parts.extensions.insert(ClientIp(ip));
    parts.extensions.insert(Caller(caller.clone()));
    let announced = caller.as_ref().is_some_and(|c| c.flash.is_some());
    let mut res = crate::error::CALLER.scope(caller, next.run(Request::from_parts(parts, body))).await;
    // Shown once: a page (not a redirect on the way to it) clears it.
    if announced && !res.status().is_redirection() {
        if let Ok(v) = crate::flash::cleared(st.config.https).parse() {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    res
}

/// The CSRF token sent with a request: the `X-CSRF-Token` header, the
/// `_csrf` query parameter (multipart forms) or the `_csrf` field of an
/// urlencoded form, in which case the body is read and handed back.
/// `Err` when the body is over the limit.
async fn provided_csrf(parts: &Parts, body: Body) -> Result<(Option<String>, Body), ()> {
    if let Some(h) = parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()) {
        return Ok((Some(h.to_string()), body));
    }
    if let Some(q) = parts.uri.query() {
        if let Some(v) = form_field(q.as_bytes(), CSRF_FIELD) {
            return Ok((Some(v), body));
        }
    }
    let is_form = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Ok((None, body));
    }
    match axum::body::to_bytes(body, crate::security::FORM_BODY_LIMIT).await {
        Ok(bytes) => Ok((form_field(&bytes, CSRF_FIELD), Body::from(bytes))),
        Err(_) => Err(()),
    }
}

pub(crate) fn form_field(bytes: &[u8], name: &str) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(bytes)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

fn constant_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A signed-in caller for a page; anyone else is sent to the sign-in page.
pub struct Signed(pub AuthUser);

impl FromRequestParts<AppState> for Signed {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Self::Rejection> {
        match parts.extensions.get::<Caller>().and_then(|c| c.0.clone()) {
            Some(u) => Ok(Signed(u)),
            None => {
                let next = parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
                let target = format!("/login?next={}", urlencode(next));
                Err(Redirect::to(&target).into_response())
            }
        }
    }
}

/// A caller of the JSON API, by session or by `Authorization: Bearer`.
pub struct ApiUser(pub AuthUser);

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<Caller>().and_then(|c| c.0.clone()).map(ApiUser).ok_or_else(ApiError::unauthorized)
    }
}

/// The caller if signed in, for pages that anyone may open.
pub struct MaybeUser(pub Option<AuthUser>);

impl FromRequestParts<AppState> for MaybeUser {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Self::Rejection> {
        Ok(MaybeUser(parts.extensions.get::<Caller>().and_then(|c| c.0.clone())))
    }
}

pub fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)]).map(|e| e[1..].to_string()).unwrap_or_default()
}

/// Client address: the socket peer, or, when the proxy is trusted, the last
/// `X-Forwarded-For` hop: the one our proxy added. Earlier hops are whatever
/// the client sent, and a client choosing its own address would get a fresh
/// sign-in count with every request.
pub fn client_ip(parts_headers: &axum::http::HeaderMap, peer: Option<&ConnectInfo<SocketAddr>>, trust_proxy: bool) -> String {
    if trust_proxy {
        // Proxies append to the header or add a header line of their own.
        let last = parts_headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .rfind(|hop| !hop.is_empty());
        if let Some(hop) = last {
            return hop.to_string();
        }
    }
    peer.map(|c| c.0.ip().to_string()).unwrap_or_else(|| "unknown".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn behind_a_trusted_proxy_the_client_is_the_hop_it_added() {
        let peer = ConnectInfo(SocketAddr::from(([10, 0, 0, 9], 443)));
        let mut h = axum::http::HeaderMap::new();
        assert_eq!(client_ip(&h, Some(&peer), true), "10.0.0.9");
        h.append("x-forwarded-for", "6.6.6.6, 1.2.3.4".parse().unwrap());
        assert_eq!(client_ip(&h, Some(&peer), true), "1.2.3.4");
        h.append("x-forwarded-for", "5.6.7.8".parse().unwrap());
        assert_eq!(client_ip(&h, Some(&peer), true), "5.6.7.8");
        assert_eq!(client_ip(&h, Some(&peer), false), "10.0.0.9");
    }

    #[test]
    fn cookie_parsing_and_constant_eq() {
        let mut h = axum::http::HeaderMap::new();
        h.insert(header::COOKIE, "a=1; dh_session=xyz; b=2".parse().unwrap());
        assert_eq!(cookie(&h, SESSION_COOKIE), Some("xyz"));
        assert_eq!(cookie(&h, "nope"), None);
        assert!(constant_eq("abc", "abc"));
        assert!(!constant_eq("abc", "abd"));
        assert!(!constant_eq("abc", "ab"));
    }
}
