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

/// Turning a missing record into what the caller needs, and nothing else:
/// a database failure stays a database failure (logged, answered 500),
/// never "not found" or a validation message.
pub trait Found<T> {
    /// `NotFound` becomes a field error; other errors pass through.
    fn not_found_as(self, field: &'static str, message: &str) -> StoreResult<T>;
    /// `NotFound` becomes `None`; other errors pass through.
    fn optional(self) -> StoreResult<Option<T>>;
}

impl<T> Found<T> for StoreResult<T> {
    fn not_found_as(self, field: &'static str, message: &str) -> StoreResult<T> {
        match self {
            Err(StoreError::NotFound) => Err(StoreError::invalid(field, "not_found", message)),
            other => other,
        }
    }

    fn optional(self) -> StoreResult<Option<T>> {
        match self {
            Ok(v) => Ok(Some(v)),
            Err(StoreError::NotFound) => Ok(None),
            Err(e) => Err(e),
        }
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
