//! Exhaustive-ish robustness checks without a property-testing crate.

use dienhinh_text::legacy::{decode_bytes, detect, to_unicode, unicode_to_vni, vni_to_unicode};
use dienhinh_text::query::{assert_query_strings_safe, query_tokens};
use dienhinh_text::{fix_text, fold, normalize, normalize_line, sort_key, tokens};
use unicode_normalization::UnicodeNormalization;

fn check(s: &str) {
    let n = normalize(s);
    assert_eq!(normalize(&n), n, "normalize idempotent on {s:?}");
    let nfd: String = s.nfd().collect();
    assert_eq!(normalize(&nfd), n, "normalize(nfd) on {s:?}");
    let l = normalize_line(s);
    assert_eq!(normalize_line(&l), l, "normalize_line idempotent on {s:?}");
    let f = fold(s);
    assert_eq!(fold(&f), f, "fold idempotent on {s:?}");
    assert_eq!(fold(&n), f, "fold ignores normalisation on {s:?}");
    assert!(
        !f.starts_with(' ') && !f.ends_with(' ') && !f.contains("  "),
        "{f:?}"
    );
    assert_eq!(tokens(s).join(" "), f);
    let k = sort_key(s);
    assert!(
        k.bytes().all(|b| (0x21..0x7f).contains(&b)),
        "sort_key({s:?}) = {k:?}"
    );
    assert_eq!(sort_key(&n), k, "sort_key ignores normalisation on {s:?}");
    let _ = detect(s);
    let _ = to_unicode(s);
    let _ = fix_text(s);
    // What the `search_query` fuzz target holds, on these inputs too.
    let words = query_tokens(s);
    assert_query_strings_safe(&words, &[]);
    assert_query_strings_safe(&words, &[1, 42, i64::MAX]);
}

fn chars_in(ranges: &[(u32, u32)]) -> impl Iterator<Item = char> + '_ {
    ranges
        .iter()
        .flat_map(|&(a, b)| (a..b).filter_map(char::from_u32))
}

#[test]
fn every_char_in_interesting_ranges() {
    let ranges = [
        (0, 0x250),
        (0x2B0, 0x370),
        (0x1100, 0x1120),
        (0x1DC0, 0x1F00),
        (0x2000, 0x2070),
        (0x3000, 0x3010),
        (0xAC00, 0xAC10),
        (0xFB00, 0xFB10),
        (0xFE00, 0xFE10),
        (0xFEFF, 0xFF70),
        (0x1F600, 0x1F610),
        (0x10FFF0, 0x110000),
    ];
    for c in chars_in(&ranges) {
        for s in [
            c.to_string(),
            format!("a{c}"),
            format!("{c}\u{301}"),
            format!("ho{c}a"),
            format!(" {c} hoà {c}"),
            format!("ng{c}\u{303}"),
        ] {
            check(&s);
        }
    }
}

/// Small deterministic generator (xorshift) so failures reproduce.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[(self.next() % v.len() as u64) as usize]
    }
}

#[test]
fn random_strings() {
    let pieces = [
        "qui",
        "quy",
        "§",
        "Æ",
        "ö",
        "ky",
        "a",
        "o",
        "u",
        "y",
        "i",
        "e",
        "q",
        "g",
        "h",
        "n",
        "ng",
        "qu",
        "gi",
        "th",
        "kh",
        "A",
        "O",
        "U",
        "Q",
        "G",
        "đ",
        "Đ",
        "ă",
        "â",
        "ê",
        "ô",
        "ơ",
        "ư",
        "Ư",
        "à",
        "ỏ",
        "ũ",
        "ý",
        "ỵ",
        "ệ",
        "ợ",
        "Ự",
        "\u{300}",
        "\u{301}",
        "\u{303}",
        "\u{309}",
        "\u{323}",
        "\u{302}",
        "\u{306}",
        "\u{31B}",
        "\u{308}",
        "\u{327}",
        " ",
        "  ",
        "\t",
        "\n",
        "\r",
        "\r\n",
        "\u{0}",
        "\u{1b}",
        "\u{85}",
        "\u{200B}",
        "\u{202E}",
        "\u{FEFF}",
        "\u{A0}",
        "\u{3000}",
        "-",
        ".",
        "'",
        "1",
        "9",
        "ß",
        "İ",
        "ﬁ",
        "Ｎ",
        "ð",
        "\u{D0}",
        "µ",
        "·",
        "§",
        "Æ",
        "ù",
        "ø",
        "õ",
        "ï",
        "ö",
        "ñ",
        "漢",
        "한",
        "\u{1100}",
        "\u{1161}",
        "😀",
        "\u{10FFFF}",
    ];
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for _ in 0..30_000 {
        let len = (rng.next() % 12) as usize;
        let s: String = (0..len).map(|_| *rng.pick(&pieces)).collect();
        check(&s);
    }
}

const INITIALS: &[&str] = &[
    "", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng", "ngh",
    "nh", "p", "ph", "qu", "r", "s", "t", "th", "tr", "v", "x",
];
const FINALS: &[&str] = &["", "c", "ch", "m", "n", "ng", "nh", "p", "t"];

/// Every tone of `i`, then every tone of `y`, at the same place.
const I_TONES: [char; 6] = ['i', 'ì', 'ỉ', 'ĩ', 'í', 'ị'];
const Y_TONES: [char; 6] = ['y', 'ỳ', 'ỷ', 'ỹ', 'ý', 'ỵ'];

/// For every consonant, final and tone: `y` as the only vowel folds like `i`,
/// in any case; after any other vowel, or with no consonant before it, the
/// `y` stays and the two are different words.
#[test]
fn lone_y_folds_as_i_and_only_then() {
    for initial in INITIALS.iter().filter(|i| !matches!(**i, "" | "gi")) {
        for fin in FINALS {
            for (i, y) in I_TONES.iter().zip(Y_TONES) {
                let (wi, wy) = (format!("{initial}{i}{fin}"), format!("{initial}{y}{fin}"));
                assert_eq!(fold(&wy), fold(&wi), "{wy} ≡ {wi}");
                assert_eq!(fold(&wy.to_uppercase()), fold(&wi), "{wy} ≡ {wi}");
                assert!(!fold(&wy).contains('y'), "{wy}");
                assert_eq!(fold(&format!("Hợp tác xã {wy}, {wy}.")), fold(&format!("hop tac xa {wi} {wi}")));
            }
        }
    }
    for initial in INITIALS {
        for vowel in ["a", "â", "u", "o", "ư", "ơ", "e", "ê"] {
            for (i, y) in I_TONES.iter().zip(Y_TONES) {
                for tail in ["", "n", "nh", "u", "a", "ê"] {
                    let (wi, wy) = (format!("{initial}{vowel}{i}{tail}"), format!("{initial}{vowel}{y}{tail}"));
                    assert!(fold(&wy).contains('y'), "{wy}");
                    assert_ne!(fold(&wy), fold(&wi), "{wy} ≠ {wi}");
                }
            }
        }
        // `y` with no consonant before it, and `y` before `ê`, stay.
        for (i, y) in I_TONES.iter().zip(Y_TONES) {
            for tail in ["", "ên", "êu", "ến"] {
                assert!(fold(&format!("{y}{tail}")).starts_with('y'));
                assert_ne!(fold(&format!("{y}{tail}")), fold(&format!("{i}{tail}")));
            }
        }
    }
}

#[test]
fn random_vietnamese_vni_round_trip() {
    let letters: Vec<char> =
        "aàảãáạăằẳẵắặâầẩẫấậeèẻẽéẹêềểễếệiìỉĩíịoòỏõóọôồổỗốộơờởỡớợuùủũúụưừửữứựyỳỷỹýỵđbcdghklmnpqrstvx"
            .chars()
            .flat_map(|c| [c, c.to_uppercase().next().unwrap()])
            .chain(" .,-0".chars())
            .collect();
    let mut rng = Rng(12345);
    for _ in 0..20_000 {
        let len = (rng.next() % 16) as usize;
        let s: String = (0..len).map(|_| *rng.pick(&letters)).collect();
        assert_eq!(vni_to_unicode(&unicode_to_vni(&s)), s, "{s:?}");
    }
}

#[test]
fn random_bytes_never_panic() {
    let mut rng = Rng(777);
    for _ in 0..20_000 {
        let len = (rng.next() % 24) as usize;
        let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        let (s, _) = decode_bytes(&bytes);
        let _ = normalize(&s);
    }
}
