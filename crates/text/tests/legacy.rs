use dienhinh_text::fix_text;
use dienhinh_text::legacy::{
    decode_bytes, detect, tcvn3_to_unicode, to_unicode, unicode_to_tcvn3, unicode_to_vni,
    vni_to_unicode, Encoding,
};

/// The 73 lower-case letters that carry a Vietnamese mark or are plain vowels.
const LOWER: &str = "aàảãáạăằẳẵắặâầẩẫấậeèẻẽéẹêềểễếệiìỉĩíịoòỏõóọôồổỗốộơờởỡớợuùủũúụưừửữứựyỳỷỹýỵđ";

fn letters() -> Vec<char> {
    let lower: Vec<char> = LOWER.chars().filter(|c| !c.is_ascii()).collect();
    let upper: Vec<char> = lower
        .iter()
        .map(|c| c.to_uppercase().next().unwrap())
        .collect();
    lower.into_iter().chain(upper).collect()
}

const SENTENCE: &str = "Cộng hòa xã hội chủ nghĩa Việt Nam";
const SENTENCE_UPPER: &str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
/// As typed in .VnTime (old-style "hoà" as commonly seen in such files).
const TCVN3_SENTENCE: &str = "Céng hoµ x· héi chñ nghÜa ViÖt Nam";
const VNI_SENTENCE: &str = "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam";
const VNI_SENTENCE_UPPER: &str = "COÄNG HOØA XAÕ HOÄI CHUÛ NGHÓA VIEÄT NAM";

fn latin1_bytes(s: &str) -> Vec<u8> {
    s.chars().map(|c| u8::try_from(c as u32).unwrap()).collect()
}

#[test]
fn all_letters_count() {
    assert_eq!(letters().len(), 134);
}

#[test]
fn vni_round_trip_every_letter() {
    for c in letters() {
        let s = c.to_string();
        let enc = unicode_to_vni(&s);
        // VNI draws ì í Ì Í at their Latin-1 places; everything else changes.
        if !"ìíÌÍ".contains(c) {
            assert_ne!(enc, s, "{c} must be encoded");
        }
        assert!(enc.chars().all(|e| (e as u32) <= 0xFF), "{c} → {enc:?}");
        assert_eq!(vni_to_unicode(&enc), s, "{c} → {enc:?}");
    }
}

#[test]
fn tcvn3_round_trip() {
    for c in letters() {
        let s = c.to_string();
        let enc = unicode_to_tcvn3(&s);
        assert_eq!(enc.chars().count(), 1, "{c} → {enc:?}");
        assert!(
            enc.chars()
                .all(|e| (e as u32) >= 0xA1 && (e as u32) <= 0xFE),
            "{c} → {enc:?}"
        );
        let back = tcvn3_to_unicode(&enc);
        let exists = c.is_lowercase() || "ĂÂÊÔƠƯĐ".contains(c);
        if exists {
            assert_eq!(back, s, "{c} → {enc:?}");
        } else {
            // VN3 has no upper-case toned letters: documented loss of case.
            assert_eq!(back, c.to_lowercase().to_string(), "{c} → {enc:?}");
        }
    }
}

#[test]
fn tcvn3_anchors() {
    let anchors = [
        (0xA8, 'ă'),
        (0xA9, 'â'),
        (0xAA, 'ê'),
        (0xAB, 'ô'),
        (0xAC, 'ơ'),
        (0xAD, 'ư'),
        (0xAE, 'đ'),
        (0xA1, 'Ă'),
        (0xA2, 'Â'),
        (0xA7, 'Đ'),
        (0xA3, 'Ê'),
        (0xA4, 'Ô'),
        (0xA5, 'Ơ'),
        (0xA6, 'Ư'),
        (0xB5, 'à'),
        (0xB8, 'á'),
        (0xC6, 'ặ'),
        (0xCA, 'ấ'),
        (0xD0, 'é'),
        (0xDC, 'ĩ'),
        (0xDF, 'ò'),
        (0xE8, 'ố'),
        (0xEE, 'ợ'),
        (0xF1, 'ủ'),
        (0xF9, 'ự'),
        (0xFD, 'ý'),
        (0xFE, 'ỵ'),
    ];
    for (b, c) in anchors {
        let s = char::from_u32(b).unwrap().to_string();
        assert_eq!(tcvn3_to_unicode(&s), c.to_string(), "{b:#x}");
    }
}

#[test]
fn vni_anchors() {
    let anchors = [
        ("aù", "á"),
        ("aø", "à"),
        ("aû", "ả"),
        ("aõ", "ã"),
        ("aï", "ạ"),
        ("aâ", "â"),
        ("aá", "ấ"),
        ("aà", "ầ"),
        ("aå", "ẩ"),
        ("aã", "ẫ"),
        ("aä", "ậ"),
        ("aê", "ă"),
        ("aé", "ắ"),
        ("aè", "ằ"),
        ("aú", "ẳ"),
        ("aü", "ẵ"),
        ("aë", "ặ"),
        ("eá", "ế"),
        ("oà", "ồ"),
        ("ôù", "ớ"),
        ("öø", "ừ"),
        ("ô", "ơ"),
        ("ö", "ư"),
        ("ñ", "đ"),
        ("Ñ", "Đ"),
        ("Ô", "Ơ"),
        ("Ö", "Ư"),
        ("ì", "ì"),
        ("í", "í"),
        ("æ", "ỉ"),
        ("ó", "ĩ"),
        ("ò", "ị"),
        ("î", "ỵ"),
        ("AÙ", "Á"),
        ("EÄ", "Ệ"),
        ("Æ", "Ỉ"),
        ("Aù", "Á"),
    ];
    for (leg, uni) in anchors {
        assert_eq!(vni_to_unicode(leg), uni, "{leg}");
    }
}

#[test]
fn sentence_conversions() {
    assert_eq!(
        tcvn3_to_unicode(TCVN3_SENTENCE),
        "Cộng hoà xã hội chủ nghĩa Việt Nam"
    );
    assert_eq!(vni_to_unicode(VNI_SENTENCE), SENTENCE);
    assert_eq!(vni_to_unicode(VNI_SENTENCE_UPPER), SENTENCE_UPPER);
    assert_eq!(unicode_to_vni(SENTENCE), VNI_SENTENCE);
    assert_eq!(unicode_to_vni(SENTENCE_UPPER), VNI_SENTENCE_UPPER);
    assert_eq!(
        unicode_to_tcvn3(SENTENCE),
        "Céng hßa x· héi chñ nghÜa ViÖt Nam"
    );
    for s in [
        SENTENCE,
        SENTENCE_UPPER,
        "Đặng Thị Ngọc Hường, Trần Quốc Tuấn; Nguyễn Ái Quốc.",
    ] {
        assert_eq!(vni_to_unicode(&unicode_to_vni(s)), s);
    }
    let lower = "đặng thị ngọc hường, trần quốc tuấn; nguyễn ái quốc. ỹ ỵ ữ";
    assert_eq!(tcvn3_to_unicode(&unicode_to_tcvn3(lower)), lower);
}

#[test]
fn detection() {
    let cases: &[(&str, Encoding)] = &[
        (TCVN3_SENTENCE, Encoding::Tcvn3),
        ("Céng hßa x· héi chñ nghÜa ViÖt Nam", Encoding::Tcvn3),
        ("§Æng ThÞ Ngäc H\u{AD}êng", Encoding::Tcvn3),
        (VNI_SENTENCE, Encoding::Vni),
        (VNI_SENTENCE_UPPER, Encoding::Vni),
        ("Nguyeãn Vaên A", Encoding::Vni),
        (SENTENCE, Encoding::Unicode),
        ("Nguyen Van A", Encoding::Unicode),
        ("", Encoding::Unicode),
        ("chào bà", Encoding::Unicode),
        ("chính", Encoding::Unicode),
        ("café crème, naïve façade, Größe", Encoding::Unicode),
        ("“quoted” – text…", Encoding::Unicode),
    ];
    for &(s, want) in cases {
        assert_eq!(detect(s), want, "detect({s:?})");
    }
}

#[test]
fn to_unicode_and_fix() {
    assert_eq!(to_unicode(SENTENCE), SENTENCE);
    assert_eq!(to_unicode("Nguyen Van A"), "Nguyen Van A");
    assert_eq!(fix_text(TCVN3_SENTENCE), SENTENCE);
    assert_eq!(fix_text(VNI_SENTENCE), SENTENCE);
    assert_eq!(fix_text(VNI_SENTENCE_UPPER), SENTENCE_UPPER);
    assert_eq!(fix_text("  Cộng hoà xã hội\r\n"), "Cộng hòa xã hội");
    assert_eq!(fix_text("§Æng ThÞ Ngäc H\u{AD}êng"), "Đặng Thị Ngọc Hường");
}

#[test]
fn bytes() {
    let (s, e) = decode_bytes(&latin1_bytes(TCVN3_SENTENCE));
    assert_eq!(
        (s.as_str(), e),
        ("Cộng hoà xã hội chủ nghĩa Việt Nam", Encoding::Tcvn3)
    );
    let (s, e) = decode_bytes(&latin1_bytes(VNI_SENTENCE));
    assert_eq!((s.as_str(), e), (SENTENCE, Encoding::Vni));
    let (s, e) = decode_bytes(SENTENCE.as_bytes());
    assert_eq!((s.as_str(), e), (SENTENCE, Encoding::Unicode));
    // Legacy text that was once mis-decoded and saved as UTF-8.
    let (s, e) = decode_bytes(VNI_SENTENCE.as_bytes());
    assert_eq!((s.as_str(), e), (SENTENCE, Encoding::Vni));
    // CP1252 Western text stays as decoded.
    let (s, e) = decode_bytes(b"caf\xe9 \x93x\x94 \x80 \x81");
    assert_eq!((s.as_str(), e), ("café “x” € \u{81}", Encoding::Unicode));
}
