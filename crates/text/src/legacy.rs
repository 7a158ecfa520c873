//! Pre-Unicode Vietnamese encodings (TCVN3/ABC and VNI Windows).
//!
//! Legacy text normally reaches us already decoded as Windows-1252/Latin-1,
//! because the `.VnTime` and `VNI-Times` fonts draw Vietnamese glyphs at
//! Latin-1 code points. So the `&str` functions take text in which each char
//! is what the legacy byte decoded to; CP1252-specific characters (€, “, …)
//! are mapped back to their byte, so both Latin-1 and CP1252 decodings work.

mod tcvn3;
mod vni;

use std::collections::HashMap;
use std::sync::OnceLock;

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use crate::viet;

/// Encoding a text was found to be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// Real Unicode (or plain ASCII, or not Vietnamese legacy text): left as is.
    Unicode,
    /// TCVN3 / ABC (`.VnTime` fonts).
    Tcvn3,
    /// VNI Windows (`VNI-Times` fonts).
    Vni,
}

/// CP1252 0x80–0x9F. The five bytes CP1252 leaves undefined decode to the
/// same-numbered C1 control, as Windows and WHATWG do.
const CP1252_HIGH: [char; 32] = [
    '\u{20AC}', '\u{81}', '\u{201A}', '\u{192}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}',
    '\u{2C6}', '\u{2030}', '\u{160}', '\u{2039}', '\u{152}', '\u{8D}', '\u{17D}', '\u{8F}',
    '\u{90}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}',
    '\u{2DC}', '\u{2122}', '\u{161}', '\u{203A}', '\u{153}', '\u{9D}', '\u{17E}', '\u{178}',
];

fn cp1252_char(b: u8) -> char {
    match b {
        0x80..=0x9F => CP1252_HIGH[(b - 0x80) as usize],
        _ => b as char,
    }
}

/// The byte a char came from under a Latin-1 or CP1252 decoding, as a Latin-1 char.
fn latin1(c: char) -> Option<char> {
    if (c as u32) <= 0xFF {
        return Some(c);
    }
    CP1252_HIGH
        .iter()
        .position(|&h| h == c)
        .map(|i| (0x80 + i as u8) as char)
}

struct Codec {
    /// Keyed by legacy sequences (1 or 2 Latin-1 chars).
    decode: HashMap<String, char>,
    encode: HashMap<char, &'static str>,
}

impl Codec {
    fn new(
        table: &[(&'static str, char)],
        decode_extra: impl IntoIterator<Item = (String, char)>,
    ) -> Codec {
        let mut decode = HashMap::new();
        let mut encode = HashMap::new();
        for &(leg, uni) in table {
            decode.insert(leg.to_string(), uni);
            encode.insert(uni, leg);
        }
        for (leg, uni) in decode_extra {
            decode.entry(leg).or_insert(uni);
        }
        Codec { decode, encode }
    }

    /// Greedy longest match over the legacy sequences.
    fn decode(&self, s: &str) -> String {
        let chars: Vec<char> = s.chars().collect();
        let mut out = String::with_capacity(s.len());
        let mut key = String::with_capacity(8);
        let mut i = 0;
        'outer: while i < chars.len() {
            for len in [2, 1] {
                if i + len > chars.len() {
                    continue;
                }
                key.clear();
                for &c in &chars[i..i + len] {
                    match latin1(c) {
                        Some(l) => key.push(l),
                        None => break,
                    }
                }
                if key.chars().count() == len {
                    if let Some(&u) = self.decode.get(&key) {
                        out.push(u);
                        i += len;
                        continue 'outer;
                    }
                }
            }
            out.push(chars[i]);
            i += 1;
        }
        out
    }

    /// Characters with no legacy form are copied unchanged.
    fn encode(&self, s: &str, fold_case: bool) -> String {
        let mut out = String::with_capacity(s.len() * 2);
        for c in s.nfc() {
            if let Some(leg) = self.encode.get(&c) {
                out.push_str(leg);
                continue;
            }
            if fold_case && c.is_uppercase() {
                let mut lower = c.to_lowercase();
                if let (Some(l), None) = (lower.next(), lower.next()) {
                    if let Some(leg) = self.encode.get(&l) {
                        out.push_str(leg);
                        continue;
                    }
                }
            }
            out.push(c);
        }
        out
    }
}

fn tcvn3() -> &'static Codec {
    static C: OnceLock<Codec> = OnceLock::new();
    C.get_or_init(|| {
        Codec::new(
            tcvn3::TABLE,
            tcvn3::DECODE_EXTRA.iter().map(|&(l, u)| (l.to_string(), u)),
        )
    })
}

fn vni() -> &'static Codec {
    static C: OnceLock<Codec> = OnceLock::new();
    C.get_or_init(|| {
        // Also accept a tone byte whose case differs from its letter's
        // (mixed-case typing in VNI fonts still renders the intended letter).
        let mut extra = Vec::new();
        for &(leg, uni) in vni::TABLE {
            let mut it = leg.chars();
            if let (Some(b), Some(t), None) = (it.next(), it.next(), it.next()) {
                let swapped = if t.is_uppercase() {
                    t.to_lowercase().next()
                } else {
                    t.to_uppercase().next()
                };
                if let Some(t2) = swapped.filter(|&t2| (t2 as u32) <= 0xFF) {
                    extra.push((format!("{b}{t2}"), uni));
                }
            }
        }
        Codec::new(vni::TABLE, extra)
    })
}

/// TCVN3 (as Latin-1 chars) → Unicode.
pub fn tcvn3_to_unicode(s: &str) -> String {
    tcvn3().decode(s)
}

/// VNI Windows (as Latin-1 chars) → Unicode.
pub fn vni_to_unicode(s: &str) -> String {
    vni().decode(s)
}

/// Unicode → TCVN3 (as Latin-1 chars). Upper-case toned letters have no VN3
/// code and are written as their lower-case code, as `.VnTimeH` users did.
pub fn unicode_to_tcvn3(s: &str) -> String {
    tcvn3().encode(s, true)
}

/// Unicode → VNI Windows (as Latin-1 chars).
pub fn unicode_to_vni(s: &str) -> String {
    vni().encode(s, false)
}

/// How strongly `s` reads as Vietnamese: +1 per non-ASCII word that is a valid
/// syllable, −1 per non-ASCII word that is not. Words are split at spaces,
/// ASCII punctuation and digits, and at punctuation beyond Latin-1 (`“`, `–`),
/// which no legacy byte stands for; a Latin-1 symbol inside a word (`§Ỉng`,
/// `T\u{AD}êng`) is what a wrong reading leaves, so that word is not valid.
/// With `strict_case` (the text as it stands, and as VNI, which has codes
/// for capitals), so is upper case inside a word not all in capitals
/// (`TuÊn`, `MÉn`: TCVN3's lower-case letters sit at Latin-1's capitals);
/// TCVN3 is not held to it, as it writes capitals with the lower-case codes
/// (`M¹NH` for `MẠNH`).
fn score(s: &str, strict_case: bool) -> i64 {
    let separator = |c: char| {
        c.is_whitespace() || c.is_ascii_punctuation() || c.is_ascii_digit() || ((c as u32) > 0xFF && !c.is_alphabetic() && !is_combining_mark(c))
    };
    let mut score = 0;
    for word in s.split(separator).filter(|w| !w.is_ascii() && w.chars().any(char::is_alphabetic)) {
        let word: String = word.nfc().collect();
        let cased = !strict_case || word.chars().skip(1).all(|c| !c.is_uppercase()) || word.chars().all(|c| !c.is_lowercase());
        let letters: Option<Vec<_>> = word.chars().map(viet::letter).collect();
        let ok = cased && letters.is_some_and(|l| viet::is_valid_syllable(&l));
        score += if ok { 1 } else { -1 };
    }
    score
}

/// Guess whether `s` is TCVN3 or VNI text seen through Latin-1/CP1252: whichever
/// conversion yields more valid Vietnamese syllables than the text as is.
/// ASCII, real Unicode Vietnamese, text without a letter as it stands
/// (`£100`, `½`: symbols, whatever they would decode to) and anything
/// undecided → `Unicode`.
pub fn detect(s: &str) -> Encoding {
    if s.is_ascii() || s.chars().any(|c| latin1(c).is_none()) || !s.chars().any(char::is_alphabetic) {
        return Encoding::Unicode;
    }
    let base = score(s, true);
    let t = score(&tcvn3_to_unicode(s), false);
    let v = score(&vni_to_unicode(s), true);
    if t > base && t > v {
        Encoding::Tcvn3
    } else if v > base && v > t {
        Encoding::Vni
    } else {
        Encoding::Unicode
    }
}

fn convert(s: &str, enc: Encoding) -> String {
    match enc {
        Encoding::Unicode => s.to_string(),
        Encoding::Tcvn3 => tcvn3_to_unicode(s),
        Encoding::Vni => vni_to_unicode(s),
    }
}

/// Detect and convert; identity for Unicode text.
pub fn to_unicode(s: &str) -> String {
    convert(s, detect(s))
}

/// Bytes of unknown encoding → Unicode. UTF-8 is taken as is (it may still
/// hold legacy text that was mis-decoded earlier, so it is detected too);
/// anything else is decoded as CP1252 first.
pub fn decode_bytes(bytes: &[u8]) -> (String, Encoding) {
    let text = match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => bytes.iter().map(|&b| cp1252_char(b)).collect(),
    };
    let enc = detect(&text);
    (convert(&text, enc), enc)
}
