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
        ("£100", Encoding::Unicode),
        ("½ ¼ §", Encoding::Unicode),
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

/// Real names, places and words, written in Unicode (from the generator's lists).
const FAMILY: &[&str] = &[
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Phan", "Trịnh",
    "Đinh", "Lương", "Mai", "Cao", "Tạ", "Quách", "Lưu", "Triệu", "Khổng", "Ưng", "Âu", "Tô", "Hà", "Lã", "Tăng", "Ông", "Ân", "Từ",
];
const MIDDLE: &[&str] = &[
    "Văn", "Đức", "Minh", "Quang", "Hữu", "Công", "Xuân", "Thành", "Ngọc", "Đình", "Bá", "Mạnh", "Khắc", "Thế", "Trọng", "Thị", "Thu",
    "Thanh", "Mỹ", "Hồng", "Thùy", "Kim", "Ánh", "Bảo", "Diệu", "Tú", "Hà", "Bá", "Cát", "Lâm", "Châu", "Ý",
];
const GIVEN: &[&str] = &[
    "Hùng", "Dũng", "Tuấn", "Thắng", "Khải", "Huy", "Quý", "Hoà", "Hòa", "Thuỷ", "Thủy", "Khoẻ", "Khỏe", "Tuý", "Túy", "Khoa", "Tường",
    "Lực", "Nghĩa", "Ước", "Lãm", "Mẫn", "Kỷ", "Vỹ", "Ngữ", "Thứ", "Tự", "Sửu", "Phụng", "Tùng", "Hợp", "Lợi", "Phổ", "Tố", "Độ", "Thọ",
    "Lễ", "Thế", "Ẩn", "Lập", "Ấn", "Đạt", "Khánh", "Cường", "Trịnh", "Tĩnh", "Dĩ", "Quỳnh", "Hiếu", "Nhân", "Hiển", "Phước", "Thời",
    "Luỹ", "Hoãn", "Khoả", "Ngỗ", "Kính", "Sỹ", "Thụy", "Dự", "Thừa", "Nhuận", "Vững", "Mừng", "Hà", "Hương", "Huyền", "Thoả", "Hoè",
    "Nguyệt", "Ánh", "Tuyết", "Yến", "Oanh", "Loan", "Khuê", "Uyên", "Nhung", "Hạnh", "Trâm", "Hằng", "Thảo", "Mỵ", "Huệ", "Lệ", "Trà",
    "Hạ", "Thơ", "Thúy", "Mãn", "Bé", "Thẻ", "Dung", "Hiền", "Quế", "Diễm", "Thuở", "Tựa", "Đoá", "Ngà", "Tâm", "Tú", "Lý", "Lí", "Kỳ",
    "Mỹ", "Sáu", "Tám", "Bảy", "Hòe", "Lê", "Trí", "Tín", "Vân", "Cúc", "Lài", "Hào", "Hải", "Tài", "Toàn", "Tuân", "Quân", "Nam", "An",
];
const PLACES: &[&str] = &[
    "Nam Định", "An Giang", "Bà Rịa - Vũng Tàu", "Bạc Liêu", "Bắc Kạn", "Bến Tre", "Bình Dương", "Cà Mau", "Cao Bằng", "Cần Thơ", "Đà Nẵng",
    "Đắk Lắk", "Điện Biên", "Gia Lai", "Hà Giang", "Hà Nội", "Hà Tĩnh", "Hòa Bình", "Thành phố Hồ Chí Minh", "Khánh Hòa", "Kon Tum", "Lào Cai",
    "Phú Thọ", "Phú Yên", "Quảng Ngãi", "Sóc Trăng", "Tây Ninh", "Thanh Hóa", "Thừa Thiên Huế", "Trà Vinh", "Yên Bái", "Ý Yên", "Vụ Bản",
    "Mỹ Lộc", "Cư M'gar", "Tủa Chùa", "Mường Nhé", "Phù Mỹ", "Hoài Nhơn", "Mỏ Cày", "Sở Y tế", "Phòng Kỹ thuật", "Bác sĩ", "Kỹ sư",
    "Sở Văn hóa, Thể thao và Du lịch", "Công ty TNHH MTV Khai thác công trình thủy lợi", "Tổ tự quản", "Câu lạc bộ", "Chuyền may",
    "Cộng hòa xã hội chủ nghĩa Việt Nam", "Kế hoạch số 15-KH/ĐU", "Nghị quyết số 22-NQ/ĐU ngày 28/11/2026", "Dân vận khéo", "Tô Hà",
    "Tâm", "Tú", "Lý", "Trà", "à", "ừ", "ý", "Hà Tâm", "Lê Tú", "Tô Lâm", "Vũ Ngọc Mẫn", "Võ Thị Sáu", "Hồ Xuân Hương",
];
const ASCII: &[&str] = &[
    "Nguyen Van A", "nguyen", "ky thuat", "ngoc li", "dien luc", "qui", "quy", "y te", "tai chinh", "ke hoach 15", "ABC", "VNI", "TCVN3",
    "a", "y", "1990", "email@example.com", "hello world", "O'Brien", "SELECT * FROM users", "NEAR(a b)", "-x", "\"quoted\"",
];
/// Latin-1 text that is not Vietnamese: never taken for TCVN3 or VNI.
const FOREIGN: &[&str] = &["café", "José", "Müller", "naïve façade", "Größe", "crème brûlée", "São Paulo", "Ñandú", "£100", "½ ¼", "Zoë", "Åsa"];

fn sample_names() -> Vec<String> {
    let mut v: Vec<String> = PLACES.iter().chain(ASCII).chain(FOREIGN).chain(FAMILY).chain(MIDDLE).chain(GIVEN).map(|s| s.to_string()).collect();
    for (i, f) in FAMILY.iter().enumerate() {
        for (j, g) in GIVEN.iter().enumerate() {
            v.push(format!("{f} {g}"));
            v.push(format!("{f} {} {g}", MIDDLE[(i + j) % MIDDLE.len()]));
            if (i + j) % 3 == 0 {
                v.push(format!("{f} {} {g}", MIDDLE[(i * 7 + j * 3) % MIDDLE.len()]).to_uppercase());
            }
        }
    }
    v
}

/// A query in Unicode or plain ASCII is searched as typed, whatever its
/// words; the same words in TCVN3 or VNI are searched as the Unicode they
/// stand for, unless they also read as valid Vietnamese as they stand
/// (`Tó` is TCVN3 for `Tú` and the Unicode `tó`; `Hoà` VNI for `Hồ`):
/// then the Unicode reading wins, and the longer the query, the rarer that is.
#[test]
fn queries_are_converted_only_when_legacy() {
    use dienhinh_text::query::{query_tokens, typed};
    let names = sample_names();
    assert!(names.len() > 10_000, "{}", names.len());
    let converted: Vec<String> = names.iter().filter(|n| typed(n) != **n).map(|n| format!("{n:?} → {:?}", typed(n))).collect();
    assert!(converted.is_empty(), "{} converted:\n{}", converted.len(), converted.join("\n"));
    for (encoding, encode) in [("TCVN3", unicode_to_tcvn3 as fn(&str) -> String), ("VNI", unicode_to_vni)] {
        let (mut tried, mut missed) = (0, vec![]);
        for name in names.iter().filter(|n| n.split(' ').count() == 3) {
            let legacy = encode(name);
            if legacy != *name {
                tried += 1;
                if query_tokens(&legacy) != query_tokens(name) {
                    missed.push(format!("{legacy:?} for {name:?}"));
                }
            }
        }
        // At most 1 in 100 (measured: 55 in TCVN3 and 27 in VNI of 5,833).
        assert!(missed.len() * 100 <= tried, "{encoding}: {} of {tried} three-word names not recognised:\n{}", missed.len(), missed.join("\n"));
    }
    for (legacy, unicode) in [
        ("Phßng Kü thuËt", "Phòng Kỹ thuật"),
        ("Phoøng Kyõ thuaät", "Phòng Kỹ thuật"),
        ("§Æng ThÞ Ngäc H\u{AD}êng", "Đặng Thị Ngọc Hường"),
        ("Ñaëng Thò Ngoïc Höôøng", "Đặng Thị Ngọc Hường"),
        ("Ngäc Lý", "Ngọc Lý"),
        ("Ngoïc Lyù", "Ngọc Lý"),
        ("TuÊn", "Tuấn"),
        ("Coâng ty Ñieän löïc", "Công ty Điện lực"),
    ] {
        assert_eq!(typed(legacy), unicode, "{legacy}");
    }
}
