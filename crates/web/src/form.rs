//! Urlencoded forms as key/value pairs, for forms with repeated keys
//! (multi-selects) or generated names (one score per criterion).

use axum::extract::{FromRequest, Request};
use axum::response::{IntoResponse, Response};

pub struct Pairs(pub Vec<(String, String)>);

impl Pairs {
    pub fn get(&self, name: &str) -> String {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default()
    }
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0.iter().filter(|(k, _)| k == name).map(|(_, v)| v.clone()).collect()
    }
    pub fn ids(&self, name: &str) -> Vec<i64> {
        self.all(name).iter().filter_map(|v| v.trim().parse().ok()).collect()
    }
    pub fn int(&self, name: &str) -> Option<i64> {
        self.get(name).trim().parse().ok()
    }
    pub fn checked(&self, name: &str) -> bool {
        !self.get(name).is_empty()
    }
}

impl<S: Send + Sync> FromRequest<S> for Pairs {
    type Rejection = Response;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Form::<Vec<(String, String)>>::from_request(req, state).await {
            Ok(axum::Form(v)) => Ok(Pairs(v)),
            Err(_) => Err(crate::error::PageError::new(axum::http::StatusCode::BAD_REQUEST, "Biểu mẫu gửi lên không hợp lệ.").into_response()),
        }
    }
}
