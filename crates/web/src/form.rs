//! Urlencoded forms as key/value pairs, for forms with repeated keys
//! (multi-selects) or generated names (one score per criterion).

use axum::extract::{FromRequest, Request};
use axum::response::{IntoResponse, Response};
use dienhinh_domain::Invalid;
use std::ops::RangeInclusive;

/// A whole number typed in a form field or a list filter. Blank is `None`;
/// anything else that is not a whole number in `range` is reported under
/// `field` with `label` in the message (never silently dropped, as a
/// `.parse().ok()` would) and is `None` too.
pub fn number(raw: &str, field: &'static str, label: &str, range: RangeInclusive<i64>, errors: &mut Invalid) -> Option<i64> {
    let t = raw.trim();
    if t.is_empty() {
        return None;
    }
    match t.parse::<i64>() {
        Ok(n) if range.contains(&n) => Some(n),
        Ok(_) => {
            errors.add(field, "out_of_range", format!("{label} phải từ {} đến {}.", range.start(), range.end()));
            None
        }
        Err(_) => {
            errors.add(field, "not_a_number", format!("{label} phải là một số nguyên (đã nhập “{}”).", t.chars().take(40).collect::<String>()));
            None
        }
    }
}

/// An id chosen in a form or a filter (a picker's value): blank is `None`,
/// anything that is not a positive whole number is reported under `field`.
pub fn id(raw: &str, field: &'static str, label: &str, errors: &mut Invalid) -> Option<i64> {
    number(raw, field, label, 1..=i64::MAX, errors)
}

pub struct Pairs(pub Vec<(String, String)>);

impl Pairs {
    pub fn get(&self, name: &str) -> String {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default()
    }
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0.iter().filter(|(k, _)| k == name).map(|(_, v)| v.clone()).collect()
    }
    pub fn ids(&self, name: &str) -> Vec<i64> {
        self.all(name).iter().filter_map(|v| v.trim().parse().ok()).collect()
    }
    /// A field the server itself wrote (a version, a hidden id); a person's
    /// typed numbers go through [`Pairs::number`].
    pub fn int(&self, name: &str) -> Option<i64> {
        self.get(name).trim().parse().ok()
    }
    /// A whole number a person typed in `name`; see [`number`].
    pub fn number(&self, name: &'static str, label: &str, range: RangeInclusive<i64>, errors: &mut Invalid) -> Option<i64> {
        number(&self.get(name), name, label, range, errors)
    }
    pub fn checked(&self, name: &str) -> bool {
        !self.get(name).is_empty()
    }
}

impl<S: Send + Sync> FromRequest<S> for Pairs {
    type Rejection = Response;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Form::<Vec<(String, String)>>::from_request(req, state).await {
            Ok(axum::Form(v)) => Ok(Pairs(v)),
            Err(_) => Err(crate::error::PageError::new(axum::http::StatusCode::BAD_REQUEST, "Biểu mẫu gửi lên không hợp lệ.").into_response()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_numbers_are_reported_not_dropped() {
        let mut inv = Invalid::new();
        assert_eq!(number(" 12 ", "n", "Số", 0..=100, &mut inv), Some(12));
        assert_eq!(number("", "n", "Số", 0..=100, &mut inv), None);
        assert!(inv.is_empty());
        assert_eq!(number("abc", "n", "Số thành viên", 0..=100, &mut inv), None);
        assert_eq!(inv.0[0].field, "n");
        assert!(inv.0[0].message.starts_with("Số thành viên phải là một số nguyên"), "{}", inv.0[0].message);
        assert_eq!(number("3000", "year", "Năm", 2000..=2027, &mut inv), None);
        assert_eq!(inv.0[1].message, "Năm phải từ 2000 đến 2027.");
    }
}
