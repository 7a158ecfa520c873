//! What was typed in a form refused because its session expired or its
//! token went stale, kept for the person to send again after signing in.
//!
//! Safe by construction: only an urlencoded page form posted with our
//! session cookie (which SameSite=Lax keeps off cross-site posts) is kept;
//! it is kept for 30 minutes, in the database (`store::resume_forms`, so
//! any app server finds it), under a random one-time token held in an
//! HttpOnly cookie of the same browser; the path it is sent back to is
//! the path it was posted to (a same-origin relative path, never taken from
//! a parameter); and nothing is re-posted by itself: the signed-in person
//! sees what was typed and presses "Gửi lại", which posts it with their new
//! session's CSRF token, through the same access checks as any form.

use dienhinh_store::resume_forms::{self, Kept};
use dienhinh_store::Db;
use std::time::Duration;

pub const RESUME_COOKIE: &str = "dh_resume";
pub const TTL: Duration = Duration::from_secs(30 * 60);

/// Whether `path` may be posted back to: local, not protocol-relative.
pub fn is_local(path: &str) -> bool {
    path.starts_with('/') && !path.starts_with("//") && !path.starts_with("/\\")
}

/// Keeps the fields posted to `path` (without the stale CSRF token);
/// returns the one-time token, `None` when nothing was kept.
pub async fn keep(db: &Db, path: &str, fields: Vec<(String, String)>) -> Option<String> {
    if !is_local(path) || path.starts_with("/login") {
        return None;
    }
    use rand::RngCore;
    let mut b = [0u8; 24];
    rand::rngs::OsRng.fill_bytes(&mut b);
    let token = hex::encode(b);
    let fields = fields.into_iter().filter(|(k, _)| k != crate::auth::CSRF_FIELD).collect();
    let form = Kept { path: path.to_string(), fields };
    match resume_forms::keep(db, &token, &form, TTL.as_millis() as i64).await {
        Ok(true) => Some(token),
        Ok(false) => None,
        Err(e) => {
            tracing::warn!(error = %e, "could not keep a form across an expired session");
            None
        }
    }
}

/// Takes (once) what was kept under `token`, if still fresh.
pub async fn take(db: &Db, token: &str) -> Option<Kept> {
    resume_forms::take(db, token).await.unwrap_or_else(|e| {
        tracing::warn!(error = %e, "could not read a kept form");
        None
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths() {
        assert!(!is_local("//evil.example/x"));
        assert!(!is_local("/\\evil.example/x"));
        assert!(!is_local("https://evil.example/x"));
        assert!(is_local("/exemplars/1/fostering"));
    }
}
