//! Vietnamese letter and syllable model shared by normalisation, collation and
//! legacy-encoding detection.

use unicode_normalization::char::decompose_canonical;
use unicode_normalization::UnicodeNormalization;

/// Tone numbering used internally: 0 ngang, 1 huyền, 2 sắc, 3 hỏi, 4 ngã, 5 nặng.
pub(crate) const TONE_MARKS: [char; 6] =
    ['\0', '\u{300}', '\u{301}', '\u{309}', '\u{303}', '\u{323}'];

const BREVE: char = '\u{306}';
const CIRCUMFLEX: char = '\u{302}';
const HORN: char = '\u{31b}';

/// One letter of the Vietnamese alphabet with its tone split off.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Letter {
    /// Lower-case letter including its shape mark (ă â ê ô ơ ư đ) but no tone.
    pub base: char,
    pub tone: u8,
    pub upper: bool,
}

impl Letter {
    pub fn is_vowel(&self) -> bool {
        is_vowel(self.base)
    }

    /// Precomposed (NFC) character for this letter.
    pub fn to_char(self) -> char {
        let mut c = self.base;
        if self.tone != 0 {
            // Compose from the fully decomposed form: ặ ậ ệ ộ are canonically
            // ạ/ẹ/ọ + shape mark, so ă + dot below alone does not compose.
            let mut parts = [' '; 3];
            let mut n = 0;
            decompose_canonical(c, |d| {
                if n < 2 {
                    parts[n] = d;
                    n += 1;
                }
            });
            parts[n] = TONE_MARKS[self.tone as usize];
            c = parts[..=n].iter().copied().nfc().next().unwrap_or(c);
        }
        if self.upper {
            c = c.to_uppercase().next().unwrap_or(c);
        }
        c
    }
}

pub(crate) fn is_vowel(c: char) -> bool {
    matches!(
        c,
        'a' | 'ă' | 'â' | 'e' | 'ê' | 'i' | 'o' | 'ô' | 'ơ' | 'u' | 'ư' | 'y'
    )
}

fn is_shaped(c: char) -> bool {
    matches!(c, 'ă' | 'â' | 'ê' | 'ô' | 'ơ' | 'ư')
}

pub(crate) fn tone_of_mark(m: char) -> Option<u8> {
    TONE_MARKS[1..]
        .iter()
        .position(|&t| t == m)
        .map(|i| i as u8 + 1)
}

/// Interpret a base character plus combining marks (in any order, because some
/// IMEs emit the tone before the shape mark) as a Vietnamese letter.
pub(crate) fn interpret(base: char, marks: &[char]) -> Option<Letter> {
    let upper = base.is_uppercase();
    let lower = match base {
        'Đ' => 'đ',
        c if c.is_ascii_alphabetic() => c.to_ascii_lowercase(),
        'đ' => 'đ',
        _ => return None,
    };
    let mut tone = 0u8;
    let mut shape = None;
    for &m in marks {
        if let Some(t) = tone_of_mark(m) {
            if tone != 0 {
                return None;
            }
            tone = t;
        } else if matches!(m, BREVE | CIRCUMFLEX | HORN) {
            if shape.is_some() {
                return None;
            }
            shape = Some(m);
        } else {
            return None;
        }
    }
    if !is_vowel(lower) {
        return (marks.is_empty()).then_some(Letter {
            base: lower,
            tone: 0,
            upper,
        });
    }
    let base = match (lower, shape) {
        (c, None) => c,
        ('a', Some(BREVE)) => 'ă',
        ('a', Some(CIRCUMFLEX)) => 'â',
        ('e', Some(CIRCUMFLEX)) => 'ê',
        ('o', Some(CIRCUMFLEX)) => 'ô',
        ('o', Some(HORN)) => 'ơ',
        ('u', Some(HORN)) => 'ư',
        _ => return None,
    };
    Some(Letter { base, tone, upper })
}

/// Interpret one precomposed character as a Vietnamese letter.
pub(crate) fn letter(c: char) -> Option<Letter> {
    if c.is_ascii() {
        return interpret(c, &[]);
    }
    let mut parts = [' '; 4];
    let mut n = 0;
    let mut overflow = false;
    decompose_canonical(c, |d| {
        if n < parts.len() {
            parts[n] = d;
            n += 1;
        } else {
            overflow = true;
        }
    });
    if overflow || n == 0 {
        return None;
    }
    interpret(parts[0], &parts[1..n])
}

pub(crate) const INITIALS: &[&str] = &[
    "", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng", "ngh",
    "nh", "p", "ph", "qu", "r", "s", "t", "th", "tr", "v", "x",
];
pub(crate) const FINALS: &[&str] = &["", "c", "ch", "m", "n", "ng", "nh", "p", "t"];
const NUCLEI: &[&str] = &[
    "a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", //
    "ai", "ao", "au", "âu", "ay", "ây", "eo", "êu", "ia", "iê", "iu", "oa", "oă", "oe", "oi", "ôi",
    "ơi", "oo", "ua", "uâ", "uê", "ui", "uô", "uơ", "uy", "ưa", "ưi", "ươ", "ưu", "yê", //
    "iêu", "yêu", "oai", "oay", "oeo", "uây", "uôi", "uya", "uyê", "uyu", "ươi", "ươu",
];

/// Split of a syllable into initial / nucleus / final, as index ranges.
pub(crate) struct Syllable {
    pub nucleus: std::ops::Range<usize>,
    pub final_len: usize,
    pub final_is_stop: bool,
}

/// Parse a word as one Vietnamese syllable; `None` for anything else
/// (foreign words, typos), which callers then leave untouched.
pub(crate) fn parse(letters: &[Letter]) -> Option<Syllable> {
    let mut v0 = letters.iter().position(Letter::is_vowel)?;
    let initial: String = letters[..v0].iter().map(|l| l.base).collect();
    let next_is_vowel = letters.get(v0 + 1).is_some_and(Letter::is_vowel);
    // In "qu" and "gi" the u/i belong to the consonant when another vowel follows.
    let initial = match (initial.as_str(), letters[v0].base) {
        ("q", 'u') if next_is_vowel => {
            v0 += 1;
            "qu".to_string()
        }
        ("g", 'i') if next_is_vowel => {
            v0 += 1;
            "gi".to_string()
        }
        _ => initial,
    };
    if !INITIALS.contains(&initial.as_str()) {
        return None;
    }
    let v1 = v0 + letters[v0..].iter().take_while(|l| l.is_vowel()).count();
    let nucleus: String = letters[v0..v1].iter().map(|l| l.base).collect();
    let fin: String = letters[v1..].iter().map(|l| l.base).collect();
    if !NUCLEI.contains(&nucleus.as_str()) || !FINALS.contains(&fin.as_str()) {
        return None;
    }
    Some(Syllable {
        nucleus: v0..v1,
        final_len: letters.len() - v1,
        final_is_stop: matches!(fin.as_str(), "c" | "ch" | "p" | "t"),
    })
}

/// Index of the letter that should carry the tone, for the chosen style:
/// shaped vowel first (last one, so ươ → ơ); with a final consonant the last
/// vowel; otherwise the first of two vowels (hòa, khỏe, thủy — the placement of
/// government documents, "Cộng hòa"; often called the *old* style, as opposed
/// to hoà/thuỷ) and the middle of three (ngoài, khuỷu).
pub(crate) fn tone_target(letters: &[Letter]) -> Option<usize> {
    let syl = parse(letters)?;
    let r = syl.nucleus.clone();
    if let Some(i) = r.clone().rev().find(|&i| is_shaped(letters[i].base)) {
        return Some(i);
    }
    if syl.final_len > 0 {
        return Some(r.end - 1);
    }
    Some(match r.len() {
        3 => r.start + 1,
        _ => r.start,
    })
}

/// Nuclei that end in a glide or an open vowel and so never take a final
/// consonant (`ai`, `ao`, `mua`, `khuya`; but `uy` does: `huynh`).
const OPEN_NUCLEI: &[&str] = &[
    "ai", "ao", "au", "âu", "ay", "ây", "eo", "êu", "ia", "iu", "oi", "ôi", "ơi", "ua", "ui", "uơ", "ưa", "ưi", "ưu", "iêu", "yêu",
    "oai", "oay", "oeo", "uây", "uôi", "uya", "uyu", "ươi", "ươu",
];
/// Nuclei that never end a syllable (`ăn`, `tuân`, `tiên`, `muốn`, `nguyên`).
const CLOSED_NUCLEI: &[&str] = &["ă", "â", "iê", "oă", "uâ", "uô", "ươ", "yê", "uyê"];

/// Whether the letters form a plausible Vietnamese syllable (for encoding
/// detection): known parts, a final only after a nucleus that takes it,
/// one tone, on the vowel either placement style puts it (`hòa` or `hoà`,
/// never `hoá` for `hóa`… nor `leõ` for `lẽo`), and only sắc or nặng on a
/// stop final.
pub(crate) fn is_valid_syllable(letters: &[Letter]) -> bool {
    let mut toned = letters.iter().enumerate().filter(|(_, l)| l.tone != 0);
    let (first, None) = (toned.next(), toned.next()) else { return false };
    let Some(s) = parse(letters) else { return false };
    let nucleus: String = letters[s.nucleus.clone()].iter().map(|l| l.base).collect();
    let fin: String = letters[s.nucleus.end..].iter().map(|l| l.base).collect();
    let shape_ok = match fin.as_str() {
        "" => !CLOSED_NUCLEI.contains(&nucleus.as_str()),
        // `anh`, `ênh`, `inh`, `uynh`, `ach`…; never `ơnh`, `unh`.
        "nh" | "ch" => nucleus.ends_with(['a', 'ê', 'i', 'y']),
        _ => !OPEN_NUCLEI.contains(&nucleus.as_str()),
    };
    // `oo` (`xoong`, `soóc`) is a loanword's; a toned one is rather a misread `ô`.
    let shape_ok = shape_ok && nucleus != "oo";
    let Some((at, l)) = first else { return shape_ok };
    // The style this code does not write (`hoà`, `khoẻ`, `thuỷ`) toned the last of the two.
    let new_style = s.final_len == 0 && matches!(nucleus.as_str(), "oa" | "oe" | "uy") && at + 1 == s.nucleus.end;
    shape_ok && (Some(at) == tone_target(letters) || new_style) && (!s.final_is_stop || matches!(l.tone, 2 | 5))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn letters(s: &str) -> Vec<Letter> {
        s.chars().map(|c| letter(c).unwrap()).collect()
    }

    #[test]
    fn targets() {
        // (word without tone, index of the toned letter)
        for (w, want) in [
            ("hoa", 1),
            ("thuy", 2),
            ("quy", 2),
            ("qua", 2),
            ("gia", 2),
            ("gin", 1),
            ("giua", 2),
            ("nguyên", 4),
            ("ngươi", 3),
            ("ngoai", 3),
            ("khuyu", 3),
            ("hoang", 2),
            ("huynh", 2),
            ("thuơ", 3),
            ("mua", 1),
            ("a", 0),
        ] {
            assert_eq!(tone_target(&letters(w)), Some(want), "{w}");
        }
        for w in ["zoa", "qa", "hoaf", "aeiou", "xyz"] {
            assert_eq!(tone_target(&letters(w)), None, "{w}");
        }
    }

    #[test]
    fn validity() {
        for w in [
            "việt", "Nguyễn", "người", "khuỷu", "quốc", "gì", "ĐẶNG", "học",
        ] {
            assert!(is_valid_syllable(&letters(w)), "{w}");
        }
        for w in ["hoà", "thuỷ", "khoẻ", "ăn", "tuân", "khuya", "huynh", "quýt", "oanh", "thếch", "giữa", "của", "ngoài", "khuỷu"] {
            assert!(is_valid_syllable(&letters(w)), "{w}");
        }
        // Stop finals take only sắc/nặng; one tone per syllable, where a
        // style puts it; known parts only; finals only after nuclei that
        // take one, and nuclei that need one have it.
        for w in ["hòc", "hóà", "héi", "fan", "hoaf", "leõ", "hòang", "tain", "ă", "tiê", "muô", "kớnh", "coõng"] {
            assert!(!is_valid_syllable(&letters(w)), "{w}");
        }
    }

    #[test]
    fn letters_compose() {
        for c in "ặậệộợựẶẬỆỘỢỰắấếốớứđĐ".chars() {
            assert_eq!(letter(c).unwrap().to_char(), c);
        }
        assert_eq!(letter('ñ'), None);
    }
}
