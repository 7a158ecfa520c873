//! Keyset paging: a cursor names the last row seen by its sort key and id,
//! so a deep page costs the same as the first (no OFFSET).

use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Opaque cursor of the next page, when there is one.
    pub next: Option<String>,
}

impl<T> Page<T> {
    pub fn empty() -> Self {
        Page { items: vec![], next: None }
    }
}

/// Position after which the next page starts: (sort key, id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub key: String,
    pub id: i64,
}

impl Cursor {
    pub fn encode(&self) -> String {
        format!("{}.{}", hex::encode(self.key.as_bytes()), self.id)
    }

    /// Parses a cursor: exactly the strings of [`Cursor::PATTERN`] (a key
    /// that is not UTF-8 is read lossily: it only positions the page).
    /// The UI treats `None` as "from the start"; the API refuses it.
    pub fn decode(s: &str) -> Option<Cursor> {
        let (k, id) = s.split_once('.')?;
        if id.is_empty() || id.len() > 18 || !id.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let key = String::from_utf8_lossy(&hex::decode(k).ok()?).into_owned();
        Some(Cursor { key, id: id.parse().ok()? })
    }

    /// The syntax of a cursor (ECMA regular expression, as in OpenAPI).
    pub const PATTERN: &'static str = "^([0-9a-fA-F]{2})*\\.[0-9]{1,18}$";
}

/// Clamps a requested page size to something sane.
pub fn limit(requested: Option<i64>) -> i64 {
    requested.unwrap_or(50).clamp(1, 200)
}

/// Builds a page from `limit + 1` fetched rows.
pub fn paginate<T>(mut rows: Vec<T>, limit: i64, cursor_of: impl Fn(&T) -> Cursor) -> Page<T> {
    let next = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|r| cursor_of(r).encode())
    } else {
        None
    };
    Page { items: rows, next }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_round_trip() {
        let c = Cursor { key: "đảng ủy khối".into(), id: 42 };
        assert_eq!(Cursor::decode(&c.encode()), Some(c));
        assert_eq!(Cursor::decode("zz.1"), None);
        assert_eq!(Cursor::decode("garbage"), None);
        assert_eq!(Cursor::decode("00.+5"), None);
        assert_eq!(Cursor::decode("00.1234567890123456789"), None);
        assert_eq!(Cursor::decode("ff.7").map(|c| c.id), Some(7));
    }

    #[test]
    fn paginate_sets_next_only_when_more() {
        let p = paginate(vec![1, 2, 3], 2, |i| Cursor { key: String::new(), id: *i });
        assert_eq!(p.items, vec![1, 2]);
        assert_eq!(Cursor::decode(p.next.as_deref().unwrap()).unwrap().id, 2);
        let p = paginate(vec![1, 2], 2, |i| Cursor { key: String::new(), id: *i });
        assert!(p.next.is_none());
    }
}
