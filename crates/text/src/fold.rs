//! Search / comparison keys that ignore diacritics, case and punctuation.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use crate::normalize::normalize;
use crate::viet::{FINALS, INITIALS};

/// Search key: no diacritics, `đ` → `d`, lower case, punctuation → space,
/// single spaces, and `y` as the only vowel after a consonant written `i`
/// (see [`lone_y_as_i`]). `"Nguyễn-Văn A."` → `"nguyen van a"`,
/// `"Kỹ thuật"` → `"ki thuat"`.
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
    if !out.contains('y') {
        return out;
    }
    out.split(' ').map(lone_y_as_i).collect::<Vec<_>>().join(" ")
}

/// One folded word with a lone `y` spelt `i`: the two spellings of `kĩ`/`kỹ`,
/// `lí`/`lý`, `mĩ`/`mỹ`, `quí`/`quý`, `quít`/`quýt` are one word to the
/// reader, and `i` is the spelling most words already have (`kinh`, `minh`),
/// so few keys change. Only when `y` is the whole vowel after a consonant
/// (the `u` of `qu` belongs to the consonant): after another vowel it is a
/// different word (`tai`/`tay`, `hui`/`huy`, `thuy`, `nguyen`), and with no
/// consonant before it (`y` of `y tế`, `yên`) it stays, so that a query
/// word `y` still finds `Yến` as a prefix.
fn lone_y_as_i(word: &str) -> std::borrow::Cow<'_, str> {
    let lone = word.find('y').is_some_and(|at| {
        let (initial, fin) = (&word[..at], &word[at + 1..]);
        !initial.is_empty() && initial != "gi" && INITIALS.contains(&initial) && FINALS.contains(&fin)
    });
    if lone {
        word.replacen('y', "i", 1).into()
    } else {
        word.into()
    }
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
