//! Server-rendered pages, one module per capability.

pub mod account;
pub mod attachments;
pub mod audit;
pub mod catalog;
pub mod confirm;
pub mod dashboard;
pub mod commendation;
pub mod evaluations;
pub mod exemplars;
pub mod fostering;
pub mod home;
pub mod listing;
pub mod models;
pub mod orgs;
pub mod plans;
pub mod portal;
pub mod propaganda;
pub mod reviews;
pub mod search;
pub mod shared;
pub mod spread;
pub mod stories;
pub mod users;

use crate::error::{PageError, PageResult};
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};

pub fn render<T: Template>(t: &T) -> PageResult {
    Ok(Html(t.render()?).into_response())
}

pub fn render_status<T: Template>(status: StatusCode, t: &T) -> PageResult {
    Ok((status, Html(t.render()?)).into_response())
}

/// 303 to a page after a successful POST (so a reload does not repost).
pub fn see_other(to: &str) -> PageResult {
    Ok(Redirect::to(to).into_response())
}

/// After a successful write: to `to`, announcing `what` there (`flash`).
pub fn done(st: &AppState, to: &str, what: crate::flash::Done) -> PageResult {
    Ok(crate::flash::redirect(to, what, st.config.https))
}

/// Parses an optional id typed in a form or query; blank is none.
pub fn opt_id(s: &str) -> Option<i64> {
    s.trim().parse().ok()
}

/// The site's icon: a gold star on the app's red, embedded in the binary.
pub async fn favicon() -> Response {
    (
        [(header::CONTENT_TYPE, "image/svg+xml"), (header::CACHE_CONTROL, "public, max-age=86400")],
        include_str!("../../assets/favicon.svg"),
    )
        .into_response()
}

pub async fn stylesheet() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        include_str!("../../assets/app.css"),
    )
        .into_response()
}

pub async fn healthz(State(st): State<AppState>) -> Response {
    if st.db.ping().await {
        (StatusCode::OK, "ok").into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
    }
}

pub async fn not_found(uri: axum::http::Uri) -> Response {
    if uri.path().starts_with("/api/") {
        crate::error::ApiError::not_found().into_response()
    } else {
        PageError::not_found().into_response()
    }
}
