//! Reading rows into records. A record type lists its columns once, in
//! [`from_row!`], which writes both its column list (for `SELECT`) and its
//! mapping, so the two cannot drift. Codes are read through the domain's
//! code tables: an unknown code in the database is an error, never a default.

use crate::db::col;
use crate::{StoreError, StoreResult};
use dienhinh_domain::{Coded, OrgPath};
use sqlx::any::AnyRow;

/// A value read from one column.
pub trait FromCol: Sized {
    fn from_col(r: &AnyRow, name: &str) -> StoreResult<Self>;
}

macro_rules! plain_cols {
    ($($t:ty),*) => {$(
        impl FromCol for $t {
            fn from_col(r: &AnyRow, name: &str) -> StoreResult<Self> { col(r, name) }
        }
    )*};
}
plain_cols!(i64, String, f64, Option<i64>, Option<String>, Option<f64>);

/// Flags are BIGINT 0/1 on both databases.
impl FromCol for bool {
    fn from_col(r: &AnyRow, name: &str) -> StoreResult<Self> {
        Ok(col::<i64>(r, name)? != 0)
    }
}

impl FromCol for OrgPath {
    fn from_col(r: &AnyRow, name: &str) -> StoreResult<Self> {
        Ok(OrgPath(col(r, name)?))
    }
}

/// A code column of a domain code table.
pub fn code<T: Coded>(r: &AnyRow, name: &str) -> StoreResult<T> {
    let s: String = col(r, name)?;
    T::parse_code(&s).map_err(|e| StoreError::Other(anyhow::anyhow!("column {name}: {e}")))
}

/// Code tables read from columns (`FromCol` cannot be implemented for every
/// `Coded` at once beside the plain types).
macro_rules! coded_cols {
    ($($t:ty),* $(,)?) => {$(
        impl $crate::row::FromCol for $t {
            fn from_col(r: &::sqlx::any::AnyRow, name: &str) -> $crate::StoreResult<Self> { $crate::row::code(r, name) }
        }
        impl $crate::row::FromCol for Option<$t> {
            fn from_col(r: &::sqlx::any::AnyRow, name: &str) -> $crate::StoreResult<Self> {
                $crate::db::col::<Option<String>>(r, name)?.map(|_| $crate::row::code(r, name)).transpose()
            }
        }
    )*};
}
pub(crate) use coded_cols;

coded_cols!(
    dienhinh_domain::OrgKind,
    dienhinh_domain::Role,
    dienhinh_domain::RecordKind,
    dienhinh_domain::AuditAction,
    dienhinh_domain::exemplar::ExemplarKind,
    dienhinh_domain::exemplar::Status,
    dienhinh_domain::exemplar::Level,
    dienhinh_domain::exemplar::Step,
);

/// A record read from a row whose columns it names.
pub trait FromRow: Sized {
    /// The columns read, in `SELECT` order.
    const COLUMNS: &'static [&'static str];
    fn from_row(r: &AnyRow) -> StoreResult<Self>;
}

/// `a, b, c`, or `t.a, t.b, t.c` with a table alias.
pub fn select_list(columns: &[&str], alias: Option<&str>) -> String {
    columns.iter().map(|c| match alias { Some(a) => format!("{a}.{c}"), None => c.to_string() }).collect::<Vec<_>>().join(", ")
}

/// Reads every row into records.
pub fn all<T: FromRow>(rows: &[AnyRow]) -> StoreResult<Vec<T>> {
    rows.iter().map(T::from_row).collect()
}

/// Implements [`FromRow`]: each listed field is read from the column of its
/// name (or the one given as `field: "column"`); the fields after `;` are
/// not columns and take the given values (filled in by a later query).
#[macro_export]
macro_rules! from_row {
    ($ty:ident { $($field:ident $(: $column:literal)?),* $(,)? } $(; $($extra:ident = $val:expr),* $(,)?)?) => {
        impl $crate::row::FromRow for $ty {
            const COLUMNS: &'static [&'static str] = &[$($crate::from_row!(@col $field $(, $column)?)),*];
            fn from_row(r: &::sqlx::any::AnyRow) -> $crate::StoreResult<Self> {
                Ok($ty {
                    $($field: $crate::row::FromCol::from_col(r, $crate::from_row!(@col $field $(, $column)?))?,)*
                    $($($extra: $val,)*)?
                })
            }
        }
    };
    (@col $field:ident) => { stringify!($field) };
    (@col $field:ident, $column:literal) => { $column };
}
