//! Storage for dienhinh: one query path for SQLite and PostgreSQL.
//!
//! Queries are written once in the SQL both engines accept (numbered `$N`
//! placeholders, `RETURNING`, integers for flags and times) and run through
//! sqlx's `Any` driver; only DDL differences and full-text search have
//! per-backend parts. Every write goes through a transaction that also
//! appends to the audit log.

pub mod annual_models;
pub mod audit;
pub mod bulk;
pub mod check;
pub mod counters;
pub mod commendation;
pub mod db;
pub mod error;
pub mod evaluations;
pub mod exemplars;
pub mod figures;
pub mod files;
pub mod fostering;
pub mod jobs;
pub mod kinds;
pub mod migrate;
pub mod orgs;
pub mod page;
pub mod plans;
pub mod portal;
pub mod propaganda;
pub mod register;
pub mod resume_forms;
pub mod reviews;
pub mod row;
pub mod spread;
pub mod search;
pub mod signins;
pub mod stories;
pub mod users;
pub mod write;

pub use db::{Backend, Db};
pub use error::{Found, StoreError, StoreResult};
pub use page::{Cursor, Page};
pub use write::{Stored, Values, Write};

/// Who is writing: a signed-in person, or the system (CLI, demo loader).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub name: String,
}

impl Actor {
    pub fn system(what: &str) -> Self {
        Actor { user_id: None, name: format!("hệ thống ({what})") }
    }
}

/// Milliseconds since the Unix epoch; every timestamp column holds this.
pub use dienhinh_domain::clock::now_ms;
