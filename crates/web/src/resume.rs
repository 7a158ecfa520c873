//! What was typed in a form refused because its session expired or its
//! token went stale, kept for the person to send again after signing in.
//!
//! Safe by construction: only an urlencoded page form posted with our
//! session cookie (which SameSite=Lax keeps off cross-site posts) is kept;
//! it is kept in memory for 30 minutes, under a random one-time token held
//! in an HttpOnly cookie of the same browser; the path it is sent back to is
//! the path it was posted to (a same-origin relative path, never taken from
//! a parameter); and nothing is re-posted by itself: the signed-in person
//! sees what was typed and presses "Gửi lại", which posts it with their new
//! session's CSRF token, through the same access checks as any form.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub const RESUME_COOKIE: &str = "dh_resume";
pub const TTL: Duration = Duration::from_secs(30 * 60);
const MAX_KEPT: usize = 10_000;

#[derive(Clone, Debug)]
pub struct Kept {
    /// Where the form was posted (a local path, with its query).
    pub path: String,
    /// The fields as posted, without the stale CSRF token.
    pub fields: Vec<(String, String)>,
    at: Instant,
}

#[derive(Default)]
pub struct Resume {
    kept: Mutex<HashMap<String, Kept>>,
}

/// Whether `path` may be posted back to: local, not protocol-relative.
pub fn is_local(path: &str) -> bool {
    path.starts_with('/') && !path.starts_with("//") && !path.starts_with("/\\")
}

impl Resume {
    /// Keeps the fields posted to `path`; returns the one-time token.
    pub fn keep(&self, path: &str, fields: Vec<(String, String)>) -> Option<String> {
        if !is_local(path) || path.starts_with("/login") {
            return None;
        }
        use rand::RngCore;
        let mut b = [0u8; 24];
        rand::rngs::OsRng.fill_bytes(&mut b);
        let token = hex::encode(b);
        let fields = fields.into_iter().filter(|(k, _)| k != crate::auth::CSRF_FIELD).collect();
        let mut map = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        map.retain(|_, k| now.duration_since(k.at) < TTL);
        if map.len() >= MAX_KEPT {
            return None;
        }
        map.insert(token.clone(), Kept { path: path.to_string(), fields, at: now });
        Some(token)
    }

    /// Takes (once) what was kept under `token`, if still fresh.
    pub fn take(&self, token: &str) -> Option<Kept> {
        let mut map = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        map.remove(token).filter(|k| k.at.elapsed() < TTL)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_once_for_local_paths_only() {
        let r = Resume::default();
        assert!(r.keep("//evil.example/x", vec![]).is_none());
        assert!(r.keep("https://evil.example/x", vec![]).is_none());
        let t = r.keep("/exemplars/1/fostering", vec![("_csrf".into(), "old".into()), ("support".into(), "Kèm cặp".into())]).unwrap();
        let k = r.take(&t).unwrap();
        assert_eq!(k.fields, vec![("support".to_string(), "Kèm cặp".to_string())]);
        assert!(r.take(&t).is_none(), "one-time");
    }
}
