//! TCVN3 (ABC, TCVN 5712:1993 VN3, the `.Vn*` fonts), as the Latin-1
//! characters each byte shows up as.
//!
//! The single-font charset only has lower-case toned letters; upper-case
//! toned letters were typed with the same codes in the `.VnTimeH` (capitals)
//! fonts, so case is lost in the file itself.

/// (legacy, unicode): the VN3 charset. Used in both directions.
#[rustfmt::skip]
pub(crate) const TABLE: &[(&str, char)] = &[
    ("\u{a1}", 'Ă'), ("\u{a2}", 'Â'), ("\u{a3}", 'Ê'), ("\u{a4}", 'Ô'), ("\u{a5}", 'Ơ'),
    ("\u{a6}", 'Ư'), ("\u{a7}", 'Đ'),
    ("\u{a8}", 'ă'), ("\u{a9}", 'â'), ("\u{aa}", 'ê'), ("\u{ab}", 'ô'), ("\u{ac}", 'ơ'),
    ("\u{ad}", 'ư'), ("\u{ae}", 'đ'),
    ("\u{b5}", 'à'), ("\u{b6}", 'ả'), ("\u{b7}", 'ã'), ("\u{b8}", 'á'), ("\u{b9}", 'ạ'),
    ("\u{bb}", 'ằ'), ("\u{bc}", 'ẳ'), ("\u{bd}", 'ẵ'), ("\u{be}", 'ắ'), ("\u{c6}", 'ặ'),
    ("\u{c7}", 'ầ'), ("\u{c8}", 'ẩ'), ("\u{c9}", 'ẫ'), ("\u{ca}", 'ấ'), ("\u{cb}", 'ậ'),
    ("\u{cc}", 'è'), ("\u{ce}", 'ẻ'), ("\u{cf}", 'ẽ'), ("\u{d0}", 'é'), ("\u{d1}", 'ẹ'),
    ("\u{d2}", 'ề'), ("\u{d3}", 'ể'), ("\u{d4}", 'ễ'), ("\u{d5}", 'ế'), ("\u{d6}", 'ệ'),
    ("\u{d7}", 'ì'), ("\u{d8}", 'ỉ'), ("\u{dc}", 'ĩ'), ("\u{dd}", 'í'), ("\u{de}", 'ị'),
    ("\u{df}", 'ò'), ("\u{e1}", 'ỏ'), ("\u{e2}", 'õ'), ("\u{e3}", 'ó'), ("\u{e4}", 'ọ'),
    ("\u{e5}", 'ồ'), ("\u{e6}", 'ổ'), ("\u{e7}", 'ỗ'), ("\u{e8}", 'ố'), ("\u{e9}", 'ộ'),
    ("\u{ea}", 'ờ'), ("\u{eb}", 'ở'), ("\u{ec}", 'ỡ'), ("\u{ed}", 'ớ'), ("\u{ee}", 'ợ'),
    ("\u{ef}", 'ù'), ("\u{f1}", 'ủ'), ("\u{f2}", 'ũ'), ("\u{f3}", 'ú'), ("\u{f4}", 'ụ'),
    ("\u{f5}", 'ừ'), ("\u{f6}", 'ử'), ("\u{f7}", 'ữ'), ("\u{f8}", 'ứ'), ("\u{f9}", 'ự'),
    ("\u{fa}", 'ỳ'), ("\u{fb}", 'ỷ'), ("\u{fc}", 'ỹ'), ("\u{fd}", 'ý'), ("\u{fe}", 'ỵ'),
];

/// Decode-only: the upper-case letters TCVN 5712 VN1 puts in the gaps of the
/// VN3 layout. Unused by VN3 fonts, so reading them is harmless, but we never
/// write them because `.Vn*` fonts have no glyph there.
#[rustfmt::skip]
pub(crate) const DECODE_EXTRA: &[(&str, char)] = &[
    ("\u{af}", 'Ằ'), ("\u{ba}", 'Ẳ'), ("\u{bf}", 'Ẵ'), ("\u{c0}", 'Ắ'), ("\u{c1}", 'Ầ'),
    ("\u{c2}", 'Ẩ'), ("\u{c3}", 'Ẫ'), ("\u{c4}", 'Ấ'), ("\u{c5}", 'Ề'), ("\u{cd}", 'Ể'),
    ("\u{d9}", 'Ễ'), ("\u{da}", 'Ế'), ("\u{db}", 'Ồ'), ("\u{e0}", 'Ổ'), ("\u{f0}", 'Ỗ'),
    ("\u{ff}", 'Ố'),
];
