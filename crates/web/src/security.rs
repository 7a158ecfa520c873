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
}
