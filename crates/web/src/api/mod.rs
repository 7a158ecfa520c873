//! The JSON API under `/api/v1/`, authenticated by session cookie (with the
//! `X-CSRF-Token` header for writes) or by `Authorization: Bearer <token>`.
//! Errors are `{"error": {"code", "message", "fields", "current"}}`.

pub mod attachments;
pub mod audit;
pub mod catalog;
pub mod commendation;
pub mod evaluations;
pub mod exemplars;
pub mod figures;
pub mod fostering;
pub mod models;
pub mod openapi;
pub mod orgs;
pub mod plans;
pub mod propaganda;
pub mod reviews;
pub mod search;
pub mod spread;
pub mod stories;
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
        use axum::extract::rejection::JsonRejection;
        match axum::Json::<serde_json::Value>::from_request(req, st).await {
            Ok(axum::Json(mut v)) => {
                integral_numbers(&mut v);
                serde_json::from_value(v).map(ApiJson).map_err(|e| {
                    tracing::info!(detail = %e, "refused JSON body");
                    ApiError::bad_request("Dữ liệu JSON không đúng mẫu: thiếu trường bắt buộc hoặc giá trị sai kiểu (xem tài liệu OpenAPI).")
                })
            }
            // The library's English text goes to the log only.
            Err(e) => {
                tracing::info!(detail = %e.body_text(), "refused JSON body");
                Err(match e {
                    JsonRejection::MissingJsonContentType(_) => ApiError::unsupported_media_type("Nội dung gửi lên phải là JSON (Content-Type: application/json)."),
                    e if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE => ApiError::too_large("Dữ liệu gửi lên quá lớn (tối đa 1 MiB)."),
                    JsonRejection::JsonDataError(_) => ApiError::bad_request("Dữ liệu JSON không đúng mẫu: thiếu trường bắt buộc hoặc giá trị sai kiểu (xem tài liệu OpenAPI)."),
                    _ => ApiError::bad_request("Dữ liệu JSON không hợp lệ."),
                })
            }
        }
    }
}

/// JSON Schema counts `3.0` as an integer, as clients generated from the
/// document may send it: integral numbers become integers before the body
/// is read into its type (a number field takes either).
fn integral_numbers(v: &mut serde_json::Value) {
    use serde_json::Value;
    match v {
        Value::Number(n) if n.is_f64() => {
            if let Some(f) = n.as_f64().filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15) {
                *v = Value::from(f as i64);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(integral_numbers),
        Value::Object(map) => map.values_mut().for_each(integral_numbers),
        _ => {}
    }
}

/// A multipart body (uploads) whose rejection is an API error.
pub struct ApiMultipart(pub axum::extract::Multipart);

impl FromRequest<AppState> for ApiMultipart {
    type Rejection = ApiError;
    async fn from_request(req: Request, st: &AppState) -> Result<Self, Self::Rejection> {
        axum::extract::Multipart::from_request(req, st).await.map(ApiMultipart).map_err(|e| {
            tracing::info!(detail = %e.body_text(), "refused multipart body");
            ApiError::unsupported_media_type("Tệp phải được gửi dạng multipart/form-data, trường `file`.")
        })
    }
}

/// Query string whose rejection is an API error.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned> FromRequestParts<AppState> for ApiQuery<T> {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, st).await {
            Ok(axum::extract::Query(v)) => Ok(ApiQuery(v)),
            Err(e) => {
                tracing::info!(detail = %e.body_text(), "refused query string");
                Err(ApiError::bad_request("Tham số truy vấn không hợp lệ: sai kiểu giá trị (xem tài liệu OpenAPI)."))
            }
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

/// Largest page an API list answers; a larger `limit` is refused.
pub const MAX_LIMIT: i64 = 200;

/// Paging of a list as asked: `limit` in 1..=[`MAX_LIMIT`], `cursor` one the
/// API gave (or empty for the first page). Anything else is refused with 422
/// naming the parameter, never clamped or ignored.
pub fn paging(limit: Option<i64>, cursor: Option<String>) -> Result<(Option<i64>, Option<String>), ApiError> {
    let mut inv = dienhinh_domain::Invalid::new();
    let (limit, cursor) = (checked_limit(&mut inv, limit), checked_cursor(&mut inv, "cursor", cursor));
    inv.into_result().map(|()| (limit, cursor)).map_err(ApiError::invalid)
}

fn checked_limit(inv: &mut dienhinh_domain::Invalid, limit: Option<i64>) -> Option<i64> {
    if limit.is_some_and(|l| !(1..=MAX_LIMIT).contains(&l)) {
        inv.add("limit", "out_of_range", format!("Số bản ghi mỗi trang phải từ 1 đến {MAX_LIMIT}."));
    }
    limit
}

fn checked_cursor(inv: &mut dienhinh_domain::Invalid, field: &'static str, cursor: Option<String>) -> Option<String> {
    let cursor = cursor.filter(|c| !c.is_empty());
    if cursor.as_deref().is_some_and(|c| dienhinh_store::page::Cursor::decode(c).is_none()) {
        inv.add(field, "invalid", "Con trỏ trang không hợp lệ; hãy dùng giá trị `next` hoặc `prev` của một trang trước.");
    }
    cursor
}

/// The order and page of a list as asked (see [`ordered`]).
pub struct Asked<O> {
    pub order: O,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
    pub before: Option<String>,
}

impl<O> Asked<O> {
    /// Where the page starts; the total is counted.
    pub fn at(&self) -> dienhinh_store::page::Position<'_> {
        dienhinh_store::page::Position { after: self.cursor.as_deref(), before: self.before.as_deref(), limit: dienhinh_store::page::limit(self.limit), count: true }
    }
}

/// A list's `sort` (one of `O`'s codes; absent: the list's default), its
/// `cursor` or `before` (one the API gave) and `limit`; anything else is
/// refused with 422 naming each parameter.
pub fn ordered<O: dienhinh_domain::Coded>(sort: Option<String>, limit: Option<i64>, cursor: Option<String>, before: Option<String>) -> Result<Asked<O>, ApiError> {
    let mut inv = dienhinh_domain::Invalid::new();
    let order = match dienhinh_domain::order::parse::<O>(sort.as_deref().unwrap_or("")) {
        Ok(o) => o,
        Err(()) => {
            let codes: Vec<&str> = O::ALL.iter().map(|v| v.code()).collect();
            inv.add("sort", "invalid", format!("Cách sắp xếp không hợp lệ; dùng một trong: {}.", codes.join(", ")));
            dienhinh_domain::order::default()
        }
    };
    let asked = Asked { order, limit: checked_limit(&mut inv, limit), cursor: checked_cursor(&mut inv, "cursor", cursor), before: checked_cursor(&mut inv, "before", before) };
    inv.into_result().map(|()| asked).map_err(ApiError::invalid)
}

/// A page as answered, or 422 when its position was a cursor of another order.
pub fn listed<T>(l: dienhinh_store::page::Listing<T>) -> Result<dienhinh_store::page::Listing<T>, ApiError> {
    if l.bad_position {
        let mut inv = dienhinh_domain::Invalid::new();
        inv.add("cursor", "invalid", "Con trỏ trang không thuộc cách sắp xếp này; hãy dùng `next` hoặc `prev` của trang trước với cùng `sort`.");
        return Err(ApiError::invalid(inv));
    }
    Ok(l)
}

/// A year asked for in a query: in `range`, else 422 naming the parameter.
pub fn year_in(field: &'static str, year: Option<i64>, range: std::ops::RangeInclusive<i64>) -> Result<Option<i64>, ApiError> {
    match year {
        Some(y) if !range.contains(&y) => {
            let mut inv = dienhinh_domain::Invalid::new();
            inv.add(field, "out_of_range", format!("Năm phải từ {} đến {}.", range.start(), range.end()));
            Err(ApiError::invalid(inv))
        }
        y => Ok(y),
    }
}

/// A code parameter: one of the code table `T`, else 422 naming the parameter.
pub fn code_in<T: dienhinh_domain::Coded>(field: &'static str, code: Option<String>) -> Result<Option<String>, ApiError> {
    match code.filter(|c| !c.is_empty()) {
        Some(c) if T::from_code(&c).is_none() => {
            let mut inv = dienhinh_domain::Invalid::new();
            let codes: Vec<&str> = T::ALL.iter().map(|v| v.code()).collect();
            inv.add(field, "invalid", format!("Mã không hợp lệ; dùng một trong: {}.", codes.join(", ")));
            Err(ApiError::invalid(inv))
        }
        c => Ok(c),
    }
}

/// Every API list answers `{items, next}`; `next` is the cursor of the next
/// page, absent on the last page (lists that are not paged have one page).
/// Ordered lists add `prev` (the page before, pass as `before`) and `total`
/// (capped: `COUNT_CAP + 1` means more than `COUNT_CAP`).
macro_rules! list_page {
    ($(#[$meta:meta])* $page:ident, $item:ty $(, items_schema = $vt:ty)?) => {
        $(#[$meta])*
        #[derive(serde::Serialize, utoipa::ToSchema)]
        pub struct $page {
            $(#[schema(value_type = $vt)])?
            pub items: Vec<$item>,
            /// Cursor of the next page (pass as `cursor`), absent on the last page.
            pub next: Option<String>,
            /// Cursor of the page before (pass as `before`), absent on the first page.
            #[serde(skip_serializing_if = "Option::is_none")]
            pub prev: Option<String>,
            /// How many the filters select, counted up to 10 001 (10 001: more than 10 000).
            #[serde(skip_serializing_if = "Option::is_none")]
            pub total: Option<i64>,
        }
        impl $page {
            /// The whole list as one page.
            pub fn all(items: Vec<$item>) -> axum::Json<Self> {
                axum::Json($page { items, next: None, prev: None, total: None })
            }
            /// One page of an ordered list, or 422 for a cursor of another order.
            #[allow(dead_code)]
            pub fn listed(l: dienhinh_store::page::Listing<$item>) -> crate::error::ApiResult<Self> {
                let l = crate::api::listed(l)?;
                Ok(axum::Json($page { items: l.items, next: l.next, prev: l.prev, total: Some(l.total) }))
            }
        }
    };
}
pub(crate) use list_page;
