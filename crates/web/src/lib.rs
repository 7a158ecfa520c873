//! The web layer: server-rendered pages, the JSON API and its OpenAPI
//! document. Handlers stay thin: they parse input, ask the domain whether
//! the caller may act, call the store, and render.

pub mod api;
pub mod auth;
pub mod error;
pub mod form;
pub mod pages;
pub mod routes;
pub mod security;
pub mod view;

use dienhinh_store::Db;
use std::sync::Arc;

#[derive(Debug, Clone, Default)]
pub struct WebConfig {
    /// Mark cookies `Secure` and send HSTS (set when served behind HTTPS).
    pub https: bool,
    /// Trust `X-Forwarded-For` / `X-Forwarded-Proto` from a reverse proxy.
    pub trust_proxy: bool,
}

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<WebConfig>,
    pub limiter: Arc<auth::SignInLimiter>,
}

impl AppState {
    pub fn new(db: Db, config: WebConfig) -> Self {
        AppState { db, config: Arc::new(config), limiter: Arc::new(auth::SignInLimiter::default()) }
    }
}

/// The whole application as one router.
pub fn app(state: AppState) -> axum::Router {
    routes::router(state)
}
