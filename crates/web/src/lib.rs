//! The web layer: server-rendered pages, the JSON API and its OpenAPI
//! document. The router applies each route's permission rule (`access`)
//! before its handler runs; handlers stay thin: they parse input, call the
//! store, and render.

pub mod access;
pub mod api;
pub mod auth;
pub mod chart;
pub mod commendation_docs;
pub mod error;
pub mod flash;
pub mod form;
pub mod pages;
pub mod picker;
pub mod resume;
pub mod routes;
pub mod security;
pub mod view;

use dienhinh_store::Db;
use std::sync::Arc;

#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Mark cookies `Secure` and send HSTS (set when served behind HTTPS).
    pub https: bool,
    /// Trust `X-Forwarded-For` / `X-Forwarded-Proto` from a reverse proxy.
    pub trust_proxy: bool,
    /// Requests per minute per API client (burst of the same size).
    pub api_rate_per_minute: u32,
    /// The site's public address (`https://dienhinh.example.vn`), used in the
    /// portal's feed, sitemap and link cards; else taken from `Host`.
    pub public_url: Option<String>,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig { https: false, trust_proxy: false, api_rate_per_minute: security::DEFAULT_API_RATE_PER_MINUTE, public_url: None }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    /// Where attachments are stored (local folder or S3-compatible bucket).
    pub files: dienhinh_store::files::Files,
    pub config: Arc<WebConfig>,
    pub api_limiter: Arc<security::ApiRateLimiter>,
    /// Rendered public pages (`pages::portal::PageCache`).
    pub portal_cache: Arc<pages::portal::PageCache>,
}

impl AppState {
    pub fn new(db: Db, files: dienhinh_store::files::Files, config: WebConfig) -> Self {
        let api_limiter = Arc::new(security::ApiRateLimiter::new(config.api_rate_per_minute));
        AppState { db, files, config: Arc::new(config), api_limiter, portal_cache: Default::default() }
    }
}

/// The whole application as one router.
pub fn app(state: AppState) -> axum::Router {
    routes::router(state)
}
