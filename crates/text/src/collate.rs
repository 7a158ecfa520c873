//! Vietnamese dictionary order as a byte-comparable key.

use std::cmp::Ordering;

use unicode_normalization::char::decompose_canonical;

use crate::normalize::normalize;
use crate::viet;

/// Base letters in Vietnamese alphabet order (f j w z at their Latin places).
const ALPHABET: [char; 33] = [
    'a', 'ă', 'â', 'b', 'c', 'd', 'đ', 'e', 'ê', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o',
    'ô', 'ơ', 'p', 'q', 'r', 's', 't', 'u', 'ư', 'v', 'w', 'x', 'y', 'z',
];
/// One printable ASCII code per ALPHABET entry, increasing; all above the digits.
const CODES: &[u8; 33] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefg";

/// Secondary weight by internal tone number (0 ngang, 1 huyền, 2 sắc, 3 hỏi, 4 ngã, 5 nặng).
/// Order is ngang < huyền < hỏi < ngã < sắc < nặng: the CLDR/ICU `vi` tailoring
/// (`&̀<<̉<<̃<<́<<̣`), which is also the usual dictionary order.
const TONE_WEIGHT: [u8; 6] = [b'0', b'1', b'4', b'2', b'3', b'5'];

/// Component terminator: below every code so shorter sorts first ("An" < "Anh").
const END: char = '!';
/// Prefix for letters outside the Vietnamese/Latin alphabet, followed by a
/// fixed-width code point; above every other code.
const FOREIGN: char = '~';

#[derive(Default)]
struct Word {
    primary: String,
    secondary: String,
    tertiary: String,
}

impl Word {
    fn push(&mut self, primary: &str, tone: u8, upper: bool) {
        self.primary.push_str(primary);
        self.secondary.push(TONE_WEIGHT[tone as usize] as char);
        self.tertiary.push(if upper { '1' } else { '0' });
    }

    fn flush(&mut self, key: &mut String) {
        if self.primary.is_empty() {
            return;
        }
        for part in [&self.primary, &self.secondary, &self.tertiary] {
            key.push_str(part);
            key.push(END);
        }
        *self = Word::default();
    }
}

/// Sort key whose byte order is Vietnamese dictionary order: words compared
/// one by one (so a word boundary sorts before any letter), each word by base
/// letters, then tones, then case (lower first). Punctuation only separates
/// words. Printable ASCII only, so any DB collation keeps the byte order;
/// digits compare character by character.
pub fn sort_key(s: &str) -> String {
    let n = normalize(s);
    let mut key = String::with_capacity(n.len() * 3);
    let mut word = Word::default();
    for c in n.chars() {
        if let Some(l) = viet::letter(c) {
            let idx = ALPHABET.iter().position(|&a| a == l.base).unwrap_or(0);
            let code = CODES[idx] as char;
            word.push(code.encode_utf8(&mut [0; 4]), l.tone, l.upper);
        } else if c.is_ascii_digit() {
            word.push(c.encode_utf8(&mut [0; 4]), 0, false);
        } else if c.is_alphanumeric() {
            push_foreign(&mut word, c);
        } else {
            word.flush(&mut key);
        }
    }
    word.flush(&mut key);
    key
}

/// Latin letters with non-Vietnamese marks sort as their base letter; other
/// scripts by lower-cased code point.
fn push_foreign(word: &mut Word, c: char) {
    let mut base = None;
    decompose_canonical(c, |d| {
        base.get_or_insert(d);
    });
    let base = base.unwrap_or(c);
    if let Some(l) = base
        .is_ascii_alphabetic()
        .then(|| viet::letter(base))
        .flatten()
    {
        let idx = ALPHABET.iter().position(|&a| a == l.base).unwrap_or(0);
        word.push((CODES[idx] as char).encode_utf8(&mut [0; 4]), 0, l.upper);
        return;
    }
    let lower = c.to_lowercase().next().unwrap_or(c);
    let code = format!("{FOREIGN}{:06X}", lower as u32);
    word.push(&code, 0, c != lower);
}

/// Vietnamese dictionary comparison (by [`sort_key`]); ties, such as two
/// tone placements of one word, fall back to byte order so sorting is total.
pub fn cmp_vi(a: &str, b: &str) -> Ordering {
    sort_key(a).cmp(&sort_key(b)).then_with(|| a.cmp(b))
}
