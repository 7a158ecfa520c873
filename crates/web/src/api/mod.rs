//! The JSON API under `/api/v1/`, authenticated by session cookie (with the
//! `X-CSRF-Token` header for writes) or by `Authorization: Bearer <token>`.
//! Errors are `{"error": {"code", "message", "fields", "current"}}`.

pub mod attachments;
pub mod audit;
pub mod catalog;
pub mod evaluations;
pub mod exemplars;
pub mod fostering;
pub mod models;
pub mod openapi;
pub mod orgs;
pub mod plans;
pub mod search;
pub mod spread;
pub mod users;

use crate::error::ApiError;
use crate::AppState;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

/// A record created: 201 with its JSON.
pub type Created<T> = Result<(axum::http::StatusCode, axum::Json<T>), ApiError>;

/// JSON body whose rejection is an API error with a Vietnamese message.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for ApiJson<T> {
    type Rejection = ApiError;
    async fn from_request(req: Request, st: &AppState) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, st).await {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(e) if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE => {
                Err(ApiError::new(e.status(), "too_large", "Dữ liệu gửi lên quá lớn (tối đa 1 MiB)."))
            }
            Err(e) => Err(ApiError::bad_request(format!("Dữ liệu JSON không hợp lệ: {}", e.body_text()))),
        }
    }
}

/// Query string whose rejection is an API error.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned> FromRequestParts<AppState> for ApiQuery<T> {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, st).await {
            Ok(axum::extract::Query(v)) => Ok(ApiQuery(v)),
            Err(e) => Err(ApiError::bad_request(format!("Tham số không hợp lệ: {}", e.body_text()))),
        }
    }
}

/// Path parameters whose rejection is an API error.
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequestParts<AppState> for ApiPath<T> {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, st).await {
            Ok(axum::extract::Path(v)) => Ok(ApiPath(v)),
            Err(_) => Err(ApiError::not_found()),
        }
    }
}
