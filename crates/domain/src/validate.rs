//! Field-level validation results, shown in Vietnamese next to the field
//! that failed and returned by the API with a stable code.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: &'static str,
    /// Stable machine-readable code, e.g. `required`, `too_long`, `taken`.
    pub code: &'static str,
    /// Message for people, in Vietnamese.
    pub message: String,
    /// The item of a list field the error is about (a criterion of an
    /// evaluation's `scores`), when it is about one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item: Option<i64>,
}

/// A set of field errors; empty means valid.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Invalid(pub Vec<FieldError>);

impl Invalid {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: &'static str, code: &'static str, message: impl Into<String>) {
        self.0.push(FieldError { field, code, message: message.into(), item: None });
    }

    /// An error about one item (by its id) of a list field.
    pub fn add_item(&mut self, field: &'static str, item: i64, code: &'static str, message: impl Into<String>) {
        self.0.push(FieldError { field, code, message: message.into(), item: Some(item) });
    }

    /// The message about one item of a list field, if any.
    pub fn for_item(&self, field: &str, item: i64) -> Option<&str> {
        self.0.iter().find(|e| e.field == field && e.item == Some(item)).map(|e| e.message.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn for_field(&self, field: &str) -> Option<&str> {
        self.0.iter().find(|e| e.field == field && e.item.is_none()).map(|e| e.message.as_str())
    }

    /// Requires a non-empty value of at most `max` characters.
    pub fn required(&mut self, field: &'static str, label: &str, value: &str, max: usize) {
        if value.trim().is_empty() {
            self.add(field, "required", format!("Vui lòng nhập {label}."));
        } else {
            self.max_len(field, label, value, max);
        }
    }

    pub fn max_len(&mut self, field: &'static str, label: &str, value: &str, max: usize) {
        if value.chars().count() > max {
            self.add(field, "too_long", format!("{} dài quá {max} ký tự.", capitalised(label)));
        }
    }

    pub fn into_result(self) -> Result<(), Invalid> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }
}

/// `label` with its first letter upper-case: a message starts with a
/// capital even when the label is written to stand mid-sentence.
pub fn capitalised(label: &str) -> String {
    let mut chars = label.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_and_length() {
        let mut inv = Invalid::new();
        inv.required("name", "tên", "   ", 10);
        inv.required("title", "tiêu đề", "ắắắắắắắắắắắ", 10);
        inv.required("ok", "x", "fine", 10);
        assert_eq!(inv.0.len(), 2);
        assert_eq!(inv.for_field("name"), Some("Vui lòng nhập tên."));
        assert_eq!(inv.0[1].code, "too_long");
        // A message starts with a capital even when the label is mid-sentence.
        assert_eq!(inv.for_field("title"), Some("Tiêu đề dài quá 10 ký tự."));
        assert!(inv.into_result().is_err());
    }
}
