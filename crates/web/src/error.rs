//! Errors as people and programs see them: a Vietnamese page for the UI,
//! a JSON body with a stable code for the API. Never a raw 500 with details.

use crate::view::{Chrome, ErrorPage};
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use dienhinh_domain::Invalid;
use dienhinh_store::StoreError;
use serde::Serialize;

/// Error of a JSON API call.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub fields: Invalid,
    pub current: Option<serde_json::Value>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Stable machine-readable code: `not_found`, `forbidden`, `unauthorized`,
    /// `invalid`, `conflict`, `possible_duplicate`, `bad_request`, `csrf`, `rate_limited`, `too_large`,
    /// `unsupported_media_type`, `internal`.
    pub code: String,
    pub message: String,
    #[schema(value_type = Vec<Object>)]
    pub fields: Vec<dienhinh_domain::FieldError>,
    /// On `conflict`: the record as it is now.
    #[schema(value_type = Option<Object>)]
    pub current: Option<serde_json::Value>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError { status, code, message: message.into(), fields: Invalid::new(), current: None }
    }
    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", "Không tìm thấy.")
    }
    pub fn forbidden() -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", "Bạn không có quyền thực hiện thao tác này.")
    }
    pub fn unauthorized() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthorized", "Cần đăng nhập hoặc mã truy cập (Bearer token).")
    }
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }
    pub fn too_large(message: impl Into<String>) -> Self {
        Self::new(StatusCode::PAYLOAD_TOO_LARGE, "too_large", message)
    }
    pub fn unsupported_media_type(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", message)
    }
    /// 422 `invalid` with the fields that are wrong.
    pub fn invalid(fields: Invalid) -> Self {
        ApiError { fields, ..Self::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", "Dữ liệu chưa hợp lệ.") }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => ApiError::not_found(),
            StoreError::Invalid(inv) => ApiError::invalid(inv),
            StoreError::Conflict { current } => ApiError {
                status: StatusCode::CONFLICT,
                code: "conflict",
                message: "Bản ghi đã được người khác thay đổi. Hãy tải lại và sửa trên bản mới nhất.".into(),
                fields: Invalid::new(),
                current: Some(current),
            },
            other => {
                tracing::error!(error = %other, "store error");
                ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "Lỗi hệ thống. Vui lòng thử lại sau.")
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ErrorDetail { code: self.code.into(), message: self.message, fields: self.fields.0, current: self.current },
        };
        (self.status, Json(body)).into_response()
    }
}

tokio::task_local! {
    /// The caller of the request being answered (set by `auth::layer`), so
    /// that an error page shows the menu of the person who met it.
    pub static CALLER: Option<crate::auth::AuthUser>;
}

/// Error of a page request, shown as a Vietnamese page (with the caller's
/// menu when signed in).
#[derive(Debug)]
pub struct PageError {
    pub status: StatusCode,
    pub message: String,
}

impl PageError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        PageError { status, message: message.into() }
    }
    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "Không tìm thấy trang hoặc bản ghi bạn yêu cầu.")
    }
    pub fn forbidden() -> Self {
        Self::new(StatusCode::FORBIDDEN, "Bạn không có quyền thực hiện thao tác này.")
    }
}

impl From<StoreError> for PageError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => PageError::not_found(),
            StoreError::Invalid(inv) => PageError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                inv.0.iter().map(|f| f.message.as_str()).collect::<Vec<_>>().join(" "),
            ),
            StoreError::Conflict { .. } => PageError::new(StatusCode::CONFLICT, "Bản ghi đã được người khác thay đổi."),
            other => {
                tracing::error!(error = %other, "store error");
                PageError::new(StatusCode::INTERNAL_SERVER_ERROR, "Lỗi hệ thống. Vui lòng thử lại sau.")
            }
        }
    }
}

impl From<askama::Error> for PageError {
    fn from(e: askama::Error) -> Self {
        tracing::error!(error = %e, "template error");
        PageError::new(StatusCode::INTERNAL_SERVER_ERROR, "Lỗi hệ thống. Vui lòng thử lại sau.")
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let chrome = CALLER.try_with(|c| c.as_ref().map(|u| Chrome::new("Lỗi", u, ""))).ok().flatten().unwrap_or_else(|| Chrome::bare("Lỗi"));
        let page = ErrorPage { chrome, status: self.status.as_u16(), message: self.message };
        match page.render() {
            Ok(html) => (self.status, Html(html)).into_response(),
            Err(_) => (self.status, "Lỗi").into_response(),
        }
    }
}

pub type PageResult = Result<Response, PageError>;
pub type ApiResult<T> = Result<Json<T>, ApiError>;
