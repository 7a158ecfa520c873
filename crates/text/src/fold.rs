//! Search / comparison keys that ignore diacritics, case and punctuation.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use crate::normalize::normalize;

/// Search key: no diacritics, `đ` → `d`, lower case, punctuation → space,
/// single spaces. `"Nguyễn-Văn A."` → `"nguyen van a"`.
pub fn fold(s: &str) -> String {
    let n = normalize(s);
    let mut out = String::with_capacity(n.len());
    let mut gap = false;
    // NFKD so full-width and ligature forms fold like their plain letters.
    for c in n.nfkd() {
        for l in c.to_lowercase() {
            // Lower-casing can yield characters with a decomposition (İ → i̇).
            for d in std::iter::once(l).nfkd() {
                if is_combining_mark(d) {
                    continue;
                }
                // ð: see normalize (Eth typed for Đ).
                let d = if matches!(d, 'đ' | 'ð') { 'd' } else { d };
                if d.is_alphanumeric() {
                    if gap && !out.is_empty() {
                        out.push(' ');
                    }
                    gap = false;
                    out.push(d);
                } else {
                    gap = true;
                }
            }
        }
    }
    out
}

/// Folded words, for search.
pub fn tokens(s: &str) -> Vec<String> {
    fold(s)
        .split(' ')
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

/// Duplicate detection ignoring diacritics, case and punctuation.
pub fn same_name(a: &str, b: &str) -> bool {
    fold(a) == fold(b)
}
