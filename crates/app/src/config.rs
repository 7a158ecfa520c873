//! Settings from an optional TOML file; command-line flags and environment
//! variables (handled by clap) take precedence over it.

use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub data: Option<PathBuf>,
    pub database_url: Option<String>,
    pub addr: Option<String>,
    #[serde(default)]
    pub https: bool,
    #[serde(default)]
    pub trust_proxy: bool,
    /// The site's public address, for the portal's feed, sitemap and link
    /// cards (default: the `Host` of each request).
    pub public_url: Option<String>,
    /// API requests per minute per client (default 600).
    pub api_rate_per_minute: Option<u32>,
    /// Store attachments in this S3-compatible bucket instead of `DATA/attachments`
    /// (credentials from the usual AWS_* variables when not given here).
    pub s3_bucket: Option<String>,
    pub s3_endpoint: Option<String>,
    pub s3_region: Option<String>,
    /// `text` (default) or `json`.
    pub log_format: Option<String>,
    /// A tracing filter such as `info,dienhinh_web=debug`; `RUST_LOG` wins.
    pub log: Option<String>,
}

impl Settings {
    pub fn load(path: Option<&Path>) -> anyhow::Result<Settings> {
        match path {
            None => Ok(Settings::default()),
            Some(p) => {
                let text = std::fs::read_to_string(p).map_err(|e| anyhow::anyhow!("cannot read config {}: {e}", p.display()))?;
                toml::from_str(&text).map_err(|e| anyhow::anyhow!("invalid config {}: {e}", p.display()))
            }
        }
    }

    /// The database to open: a URL, or else the SQLite file in the data folder.
    pub fn database(&self, url: Option<String>, data: Option<PathBuf>) -> (Option<String>, PathBuf) {
        let url = url.or_else(|| self.database_url.clone()).filter(|u| !u.is_empty());
        let data = data.or_else(|| self.data.clone()).unwrap_or_else(|| PathBuf::from("data"));
        (url, data)
    }
}

impl Settings {
    /// Where attachments go: the S3 bucket when one is set (config file or
    /// `DIENHINH_S3_BUCKET`), else the `attachments` folder of the data folder.
    pub fn files(&self, data: &Path) -> anyhow::Result<dienhinh_store::files::Files> {
        let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        match env("DIENHINH_S3_BUCKET").or_else(|| self.s3_bucket.clone()) {
            Some(bucket) => dienhinh_store::files::Files::s3(&dienhinh_store::files::S3Settings {
                bucket,
                endpoint: env("DIENHINH_S3_ENDPOINT").or_else(|| self.s3_endpoint.clone()),
                region: env("DIENHINH_S3_REGION").or_else(|| self.s3_region.clone()),
                access_key_id: None,
                secret_access_key: None,
            }),
            None => dienhinh_store::files::Files::local(data),
        }
    }
}

/// Starts logging; `quiet_sqlx` hides sqlx's warnings unless the settings name a filter.
pub fn init_logging(s: &Settings, quiet_sqlx: bool) {
    use tracing_subscriber::EnvFilter;
    let default = if quiet_sqlx { "info,sqlx=error" } else { "info,sqlx=warn" };
    let filter = EnvFilter::try_from_default_env()
        .or_else(|_| EnvFilter::try_new(s.log.as_deref().unwrap_or(default)))
        .unwrap_or_else(|_| EnvFilter::new("info"));
    let json = std::env::var("DIENHINH_LOG_FORMAT").ok().or_else(|| s.log_format.clone()).as_deref() == Some("json");
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}
