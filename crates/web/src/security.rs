//! Response hardening applied to every route.

use crate::AppState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

/// Largest urlencoded form or JSON body accepted (uploads have their own limit).
pub const FORM_BODY_LIMIT: usize = 1024 * 1024;

/// Largest request at all: one attachment plus the multipart envelope.
pub const UPLOAD_BODY_LIMIT: usize = dienhinh_store::files::MAX_FILE_BYTES + 64 * 1024;

/// 413 for a body over [`FORM_BODY_LIMIT`], as JSON for the API or as a page.
pub fn too_large(is_api: bool) -> Response {
    use axum::response::IntoResponse;
    let msg = "Dữ liệu gửi lên quá lớn (tối đa 1 MiB).";
    if is_api {
        crate::error::ApiError::new(axum::http::StatusCode::PAYLOAD_TOO_LARGE, "too_large", msg).into_response()
    } else {
        crate::error::PageError::new(axum::http::StatusCode::PAYLOAD_TOO_LARGE, msg).into_response()
    }
}

/// A control character no text of ours holds: C0 except tab, newline and
/// carriage return, and DEL. (PostgreSQL refuses NUL in text with an error
/// SQLite does not give; stripping at the edge makes both backends alike.)
pub fn is_control(c: char) -> bool {
    (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{7f}'
}

/// `s` without control characters, or `None` when it has none.
fn stripped(s: &str) -> Option<String> {
    s.contains(is_control).then(|| s.chars().filter(|c| !is_control(*c)).collect())
}

/// An urlencoded string (query or form body) with control characters
/// removed from every name and value; `None` when it had none.
fn clean_urlencoded(raw: &[u8]) -> Option<String> {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(raw).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    if !pairs.iter().any(|(k, v)| k.contains(is_control) || v.contains(is_control)) {
        return None;
    }
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (k, v) in &pairs {
        out.append_pair(&stripped(k).unwrap_or_else(|| k.clone()), &stripped(v).unwrap_or_else(|| v.clone()));
    }
    Some(out.finish())
}

/// A JSON body with control characters removed from every string (keys
/// included); `None` when it had none or is not JSON (the handler refuses it).
fn clean_json(raw: &[u8]) -> Option<Vec<u8>> {
    fn walk(v: &mut serde_json::Value) -> bool {
        use serde_json::Value;
        match v {
            Value::String(s) => stripped(s).map(|c| *s = c).is_some(),
            Value::Array(a) => a.iter_mut().fold(false, |ch, x| walk(x) | ch),
            Value::Object(o) => {
                let mut changed = false;
                if o.keys().any(|k| k.contains(is_control)) {
                    let old = std::mem::take(o);
                    o.extend(old.into_iter().map(|(k, v)| (stripped(&k).unwrap_or(k), v)));
                    changed = true;
                }
                o.values_mut().fold(changed, |ch, x| walk(x) | ch)
            }
            _ => false,
        }
    }
    // Inside JSON strings a control character can only be an escape.
    if !raw.windows(2).any(|w| w == b"\\u") {
        return None;
    }
    let mut v: serde_json::Value = serde_json::from_slice(raw).ok()?;
    walk(&mut v).then(|| serde_json::to_vec(&v).unwrap_or_default())
}

/// Control characters stop at the edge, the same for every route and both
/// backends: removed from the query string and from urlencoded and JSON
/// bodies (as text normalisation would remove them from stored text); a
/// path segment holding one names nothing and answers 404. Multipart
/// bodies (uploads) pass unchanged: their text parts are normalised by the
/// handler and their files are bytes.
pub async fn strip_controls(req: Request, next: Next) -> Response {
    use axum::response::IntoResponse;
    let (mut parts, body) = req.into_parts();
    let is_api = parts.uri.path().starts_with("/api/");
    let path_has_control = percent_encoding::percent_decode_str(parts.uri.path()).any(|b| b < b' ' || b == 0x7f);
    if path_has_control {
        return if is_api {
            crate::error::ApiError::not_found().into_response()
        } else {
            crate::error::PageError::not_found().into_response()
        };
    }
    if let Some(clean) = parts.uri.query().and_then(|q| clean_urlencoded(q.as_bytes())) {
        let pq = if clean.is_empty() { parts.uri.path().to_string() } else { format!("{}?{clean}", parts.uri.path()) };
        let mut uri = axum::http::uri::Parts::from(parts.uri.clone());
        match pq.parse() {
            Ok(pq) => uri.path_and_query = Some(pq),
            Err(_) => return crate::error::PageError::new(axum::http::StatusCode::BAD_REQUEST, "Địa chỉ không hợp lệ.").into_response(),
        }
        if let Ok(u) = axum::http::Uri::from_parts(uri) {
            parts.uri = u;
        }
    }
    let ctype = parts.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_ascii_lowercase();
    let form = ctype.starts_with("application/x-www-form-urlencoded");
    let json = ctype.starts_with("application/json") || (ctype.starts_with("application/") && ctype.contains("+json"));
    if !form && !json {
        return next.run(Request::from_parts(parts, body)).await;
    }
    let Ok(bytes) = axum::body::to_bytes(body, FORM_BODY_LIMIT).await else {
        return too_large(is_api);
    };
    let clean = if form { clean_urlencoded(&bytes).map(String::into_bytes) } else { clean_json(&bytes) };
    let bytes = match clean {
        Some(c) => {
            parts.headers.insert(header::CONTENT_LENGTH, HeaderValue::from(c.len()));
            bytes::Bytes::from(c)
        }
        None => bytes,
    };
    next.run(Request::from_parts(parts, axum::body::Body::from(bytes))).await
}

/// How much of a body declared too large is read (and thrown away) before
/// answering, so that the client, which is still sending, reads the answer
/// instead of a reset connection. Past this the connection is just closed.
pub const DRAIN_LIMIT: usize = 64 * 1024 * 1024;

/// A body declared larger than [`UPLOAD_BODY_LIMIT`] is refused in our
/// words (not the body-limit layer's English text): JSON `too_large` on the
/// API; from an exemplar's upload form, back to the exemplar with the
/// message at its attachments; else the Vietnamese page. (Bodies without a
/// declared length are cut by the body-limit layer and the extractors.)
pub async fn oversize(req: Request, next: Next) -> Response {
    use http_body_util::BodyExt;
    let declared = req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if declared.is_none_or(|n| n <= UPLOAD_BODY_LIMIT as u64) {
        return next.run(req).await;
    }
    let path = req.uri().path().to_string();
    let mut body = req.into_body();
    let mut read = 0usize;
    while read <= DRAIN_LIMIT {
        match body.frame().await {
            Some(Ok(f)) => read += f.data_ref().map(|d| d.len()).unwrap_or(0),
            _ => break,
        }
    }
    refused_as_too_large(&path)
}

fn refused_as_too_large(path: &str) -> Response {
    use axum::response::IntoResponse;
    let exemplar = path.strip_prefix("/exemplars/").and_then(|r| r.strip_suffix("/attachments")).and_then(|id| id.parse::<i64>().ok());
    match exemplar {
        Some(id) => axum::response::Redirect::to(&format!("/exemplars/{id}?upload=too_large#minh-chung")).into_response(),
        None if path.starts_with("/api/") && path.ends_with("/attachments") => crate::error::ApiError::new(
            axum::http::StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            crate::pages::attachments::too_large_message(),
        )
        .into_response(),
        None => too_large(path.starts_with("/api/")),
    }
}

/// No inline scripts or styles anywhere: every asset is a file under /static.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
    font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

pub async fn headers(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let forwarded_https = st.config.trust_proxy
        && req.headers().get("x-forwarded-proto").and_then(|v| v.to_str().ok()) == Some("https");
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert("permissions-policy", HeaderValue::from_static("camera=(), microphone=(), geolocation=()"));
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if st.config.https || forwarded_https {
        h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000; includeSubDomains"));
    }
    res
}

/// Requests per minute each API client may make by default: generous for
/// people and scripts, a brake on runaway loops and scraping.
pub const DEFAULT_API_RATE_PER_MINUTE: u32 = 600;

/// A token bucket per API client (the signed-in account, whether by token or
/// session; else the client address): `per_minute` requests of burst,
/// refilled continuously.
///
/// Kept in this server's memory on purpose, unlike the sign-in counts: it
/// sheds load and brakes runaway scripts, it guards no secret. Shared, it
/// would cost a database write per API request, the very load it is there
/// to shed. Behind a balancer of N servers a client may therefore make up
/// to N × `per_minute` requests a minute; set `api_rate_per_minute` to the
/// total divided by N where that matters.
pub struct ApiRateLimiter {
    per_minute: u32,
    buckets: std::sync::Mutex<std::collections::HashMap<String, (f64, std::time::Instant)>>,
}

impl ApiRateLimiter {
    pub fn new(per_minute: u32) -> Self {
        ApiRateLimiter { per_minute: per_minute.max(1), buckets: Default::default() }
    }

    /// Takes one request from `key`'s bucket; `Err(seconds to wait)` when empty.
    pub fn take(&self, key: &str) -> Result<(), u64> {
        let now = std::time::Instant::now();
        let cap = self.per_minute as f64;
        let rate = cap / 60.0;
        let mut map = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() > 100_000 {
            map.retain(|_, (_, at)| now.duration_since(*at).as_secs() < 60);
        }
        let (tokens, at) = map.entry(key.to_string()).or_insert((cap, now));
        *tokens = (*tokens + now.duration_since(*at).as_secs_f64() * rate).min(cap);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - *tokens) / rate).ceil().max(1.0) as u64)
        }
    }
}

/// Applies [`ApiRateLimiter`] to `/api/`; runs after `auth::layer`, so the
/// caller is known. Answers 429 `rate_limited` with `Retry-After`.
pub async fn api_rate_limit(State(st): State<AppState>, req: Request, next: Next) -> Response {
    use axum::response::IntoResponse;
    if req.uri().path().starts_with("/api/") {
        let key = match req.extensions().get::<crate::auth::Caller>().and_then(|c| c.0.as_ref()) {
            Some(u) => format!("u:{}", u.user.id),
            None => format!("ip:{}", req.extensions().get::<crate::auth::ClientIp>().map(|i| i.0.as_str()).unwrap_or("unknown")),
        };
        if let Err(wait) = st.api_limiter.take(&key) {
            let mut res = crate::error::ApiError::new(
                axum::http::StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                format!("Quá nhiều yêu cầu. Vui lòng thử lại sau {wait} giây."),
            )
            .into_response();
            res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(wait));
            return res;
        }
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_allows_the_burst_then_refuses_per_client() {
        let l = ApiRateLimiter::new(5);
        for _ in 0..5 {
            assert!(l.take("a").is_ok());
        }
        let wait = l.take("a").unwrap_err();
        assert!((1..=12).contains(&wait), "{wait}");
        assert!(l.take("b").is_ok());
    }

    #[test]
    fn control_characters_are_stripped_from_forms_and_json() {
        assert_eq!(clean_urlencoded(b"a=x%00y&b=%01%1B%5B1m&c=ok%09"), Some("a=xy&b=%5B1m&c=ok%09".into()));
        assert_eq!(clean_urlencoded(b"a=1&b=t%E1%BB%95"), None);
        let j = clean_json(br#"{"a":"x\u0000y","b":["\u0001"],"c":1,"d\u0000":"\u00e9"}"#).unwrap();
        assert_eq!(serde_json::from_slice::<serde_json::Value>(&j).unwrap(), serde_json::json!({"a":"xy","b":[""],"c":1,"d":"é"}));
        assert_eq!(clean_json(br#"{"a":"\u00e9\n"}"#), None);
        assert!(!is_control('\n') && is_control('\0') && is_control('\u{7f}'));
    }
}
