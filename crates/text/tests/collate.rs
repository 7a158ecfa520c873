use dienhinh_text::{cmp_vi, sort_key};

/// In Vietnamese dictionary order.
const SORTED: &[&str] = &[
    "An",
    "An Bình",
    "Anh",
    "Ánh",
    "Ăn",
    "Ân",
    "Bình",
    "Bửu",
    "Chi",
    "Cúc",
    "Dũng",
    "Dương",
    "Đào",
    "Đức",
    "Em",
    "Ê",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hòa",
    "Hùng",
    "Hưng",
    "Khoa",
    "Lan",
    "Long",
    "Mai",
    "Minh",
    "Nga",
    "Ngọc",
    "Nguyễn An",
    "Nguyễn Ánh",
    "Oanh",
    "Ôn",
    "Ơn",
    "Phúc",
    "Quân",
    "Sơn",
    "Tâm",
    "Thảo",
    "Uyên",
    "Ưng",
    "Vy",
    "Xuân",
    "Yến",
];

fn shuffled(v: &[&str]) -> Vec<String> {
    // Deterministic scramble: stride through the list with a step coprime to its length.
    let n = v.len();
    let step = (2..n).find(|s| gcd(*s, n) == 1 && *s > n / 3).unwrap_or(1);
    (0..n).map(|i| v[(i * step) % n].to_string()).collect()
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

#[test]
fn dictionary_order() {
    let mut v = shuffled(SORTED);
    v.sort_by(|a, b| cmp_vi(a, b));
    assert_eq!(v, SORTED);
    let mut v = shuffled(SORTED);
    v.sort_by_key(|s| sort_key(s));
    assert_eq!(v, SORTED);
}

#[test]
fn alphabet_examples() {
    let chain = ["An", "Ăn", "Ân", "Bình", "Dũng", "Đức", "Em"];
    for w in chain.windows(2) {
        assert!(sort_key(w[0]) < sort_key(w[1]), "{} < {}", w[0], w[1]);
    }
}

#[test]
fn tone_order() {
    // ICU `vi`: ngang, huyền, hỏi, ngã, sắc, nặng.
    let chain = ["ma", "mà", "mả", "mã", "má", "mạ", "mac", "mách", "mai"];
    for w in chain.windows(2) {
        assert!(sort_key(w[0]) < sort_key(w[1]), "{} < {}", w[0], w[1]);
    }
}

#[test]
fn case_and_words() {
    assert!(sort_key("ma") < sort_key("Ma"));
    assert!(sort_key("Ma") < sort_key("mà"));
    assert_eq!(sort_key("MA").len(), sort_key("ma").len());
    // Word by word: the first word decides before later words are looked at.
    assert!(sort_key("Nguyen Van B") < sort_key("Nguyễn Văn A"));
    assert!(sort_key("Le") < sort_key("Le Anh"));
    assert!(sort_key("Le Anh") < sort_key("Lê"));
    // Spellings of the same thing share a key.
    assert_eq!(sort_key("Hoà Bình"), sort_key("Hòa  Bình"));
    assert_eq!(sort_key("Nguyễn-Văn"), sort_key("Nguyễn Văn"));
    assert_eq!(cmp_vi("Hòa", "Hòa"), std::cmp::Ordering::Equal);
    // Digits before letters, foreign letters after z.
    assert!(sort_key("1") < sort_key("a"));
    assert!(sort_key("z") < sort_key("ß"));
    assert!(sort_key("Zoë") > sort_key("Zoa"));
    assert_eq!(sort_key(""), "");
}

#[test]
fn key_is_printable_ascii() {
    for s in SORTED
        .iter()
        .copied()
        .chain(["Ψυχή 漢字 ÆØÅ ß", "x\u{301}\u{302}", "\u{10FFFF}"])
    {
        let k = sort_key(s);
        assert!(
            k.bytes().all(|b| (0x21..0x7f).contains(&b)),
            "{s:?} → {k:?}"
        );
    }
}
