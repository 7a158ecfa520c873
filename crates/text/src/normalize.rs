//! Canonical form for stored text.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use crate::viet::{self, Letter};

/// Canonical form of every stored text field: NFC, one tone-placement style,
/// no control or invisible characters, `\n` line ends, trimmed. Internal
/// whitespace is kept (multi-line text); case is preserved.
pub fn normalize(s: &str) -> String {
    let cleaned = clean(s);
    let toned = place_tones(&cleaned);
    let trimmed = toned.trim();
    if trimmed.len() == toned.len() {
        toned
    } else {
        trimmed.to_string()
    }
}

/// [`normalize`] plus every whitespace run (including newlines) collapsed to
/// one space: for names and titles.
pub fn normalize_line(s: &str) -> String {
    collapse_whitespace(&normalize(s))
}

pub(crate) fn collapse_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split(char::is_whitespace).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Zero-width and bidi-control characters: invisible, used for spoofing and
/// never legitimate in this app's text.
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

fn clean(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            // CRLF and old-Mac lone CR both become LF.
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push('\n');
            }
            '\n' | '\t' => out.push(c),
            // Windows-1258 keyboards and fonts often produce Icelandic Eth for Đ.
            '\u{D0}' => out.push('Đ'),
            // C0, DEL and C1 controls.
            c if c.is_control() => {}
            c if is_invisible(c) => {}
            c => out.push(c),
        }
    }
    out
}

enum Item {
    Letter(Letter),
    /// Anything else, kept verbatim (as an NFD cluster); the flag says whether
    /// it is part of a word, so non-Vietnamese words are left alone.
    Other(String, bool),
}

/// Rebuild Vietnamese letters from NFD clusters and move each syllable's tone
/// to its canonical vowel.
fn place_tones(s: &str) -> String {
    let mut items = Vec::new();
    let mut chars = s.nfd().peekable();
    let mut marks = Vec::new();
    while let Some(base) = chars.next() {
        marks.clear();
        while let Some(&m) = chars.peek() {
            if !is_combining_mark(m) {
                break;
            }
            marks.push(m);
            chars.next();
        }
        let item = match viet::interpret(base, &marks) {
            Some(l) if !is_combining_mark(base) => Item::Letter(l),
            _ => {
                let mut cluster = String::with_capacity(4 * (1 + marks.len()));
                cluster.push(base);
                cluster.extend(marks.iter());
                Item::Other(cluster, base.is_alphanumeric())
            }
        };
        items.push(item);
    }

    let mut i = 0;
    while i < items.len() {
        let is_word = |it: &Item| matches!(it, Item::Letter(_) | Item::Other(_, true));
        if !is_word(&items[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < items.len() && is_word(&items[i]) {
            i += 1;
        }
        retone(&mut items[start..i]);
    }

    let mut out = String::with_capacity(s.len());
    for it in &items {
        match it {
            Item::Letter(l) => out.push(l.to_char()),
            Item::Other(c, _) => out.push_str(c),
        }
    }
    out.nfc().collect()
}

fn retone(word: &mut [Item]) {
    let mut letters = Vec::with_capacity(word.len());
    for it in word.iter() {
        match it {
            Item::Letter(l) => letters.push(*l),
            Item::Other(..) => return,
        }
    }
    let mut toned = letters.iter().enumerate().filter(|(_, l)| l.tone != 0);
    let (Some((from, l)), None) = (toned.next(), toned.next()) else {
        return;
    };
    let tone = l.tone;
    let Some(to) = viet::tone_target(&letters) else {
        return;
    };
    if from != to {
        if let Item::Letter(a) = &mut word[from] {
            a.tone = 0;
        }
        if let Item::Letter(b) = &mut word[to] {
            b.tone = tone;
        }
    }
}
