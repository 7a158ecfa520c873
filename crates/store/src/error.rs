use dienhinh_domain::Invalid;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// Optimistic concurrency: the record changed since the caller read it.
    /// Carries the record as it is now so the caller can show both versions.
    #[error("conflict: the record was changed by someone else")]
    Conflict { current: serde_json::Value },
    #[error("invalid input")]
    Invalid(Invalid),
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    #[error("{0}")]
    Other(#[from] anyhow::Error),
}

pub type StoreResult<T> = Result<T, StoreError>;

impl StoreError {
    pub fn invalid(field: &'static str, code: &'static str, message: impl Into<String>) -> Self {
        let mut inv = Invalid::new();
        inv.add(field, code, message);
        StoreError::Invalid(inv)
    }
}

impl From<Invalid> for StoreError {
    fn from(inv: Invalid) -> Self {
        StoreError::Invalid(inv)
    }
}

/// True when a database error is a unique-constraint violation, on either backend.
pub fn is_unique_violation(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::Database(db) => {
            db.code().is_some_and(|c| c == "23505" || c == "2067" || c == "1555")
                || db.message().contains("UNIQUE constraint failed")
        }
        _ => false,
    }
}
