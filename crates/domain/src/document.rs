//! The register of document numbers (sổ đăng ký văn bản) of a Party body.
//!
//! Hướng dẫn 36-HD/VPTW: numbers run from 01 for each type of document over a
//! whole term of the Party committee (nhiệm kỳ cấp ủy), not per year; the
//! symbol is `number-TYPE/ISSUER` (`48-KH/ĐUK`, `07-TTr/BTG`). The store
//! issues the next number inside the caller's write; a number typed from
//! outside is checked against the register first. The rules, the symbol and
//! the messages are here.

use crate::validate::Invalid;
use dienhinh_text as text;
use serde::{Deserialize, Serialize};

crate::coded_enum!(
    /// A type of Party document, with the abbreviation its symbol carries
    /// (`DocType::symbol`). The list is the one of Hướng dẫn 36-HD/VPTW as
    /// seen in real documents, plus those the programme issues itself.
    pub enum DocType {
        NghiQuyet = "nq": "Nghị quyết",
        QuyetDinh = "qd": "Quyết định",
        ChiThi = "ct": "Chỉ thị",
        KetLuan = "kl": "Kết luận",
        HuongDan = "hd": "Hướng dẫn",
        KeHoach = "kh": "Kế hoạch",
        BaoCao = "bc": "Báo cáo",
        ThongBao = "tb": "Thông báo",
        CongVan = "cv": "Công văn",
        ToTrinh = "ttr": "Tờ trình",
        BienBan = "bb": "Biên bản",
        DanhSach = "ds": "Danh sách",
    }
);

impl DocType {
    /// The abbreviation in the symbol: `QĐ`, `TTr`, `BB` …
    pub fn symbol(self) -> &'static str {
        use DocType::*;
        match self {
            NghiQuyet => "NQ",
            QuyetDinh => "QĐ",
            ChiThi => "CT",
            KetLuan => "KL",
            HuongDan => "HD",
            KeHoach => "KH",
            BaoCao => "BC",
            ThongBao => "TB",
            CongVan => "CV",
            ToTrinh => "TTr",
            BienBan => "BB",
            DanhSach => "DS",
        }
    }

    /// The name as the document's title prints it (`TỜ TRÌNH`).
    pub fn title(self) -> String {
        self.label().to_uppercase()
    }
}

crate::coded_enum!(
    /// Where a number in the register came from.
    pub enum Origin {
        Issued = "issued": "Do hệ thống cấp",
        Recorded = "recorded": "Ghi nhận từ văn bản đã ban hành",
    }
);

/// The highest number a register holds for one type in one term.
pub const MAX_NUMBER: i64 = 99_999;
/// Years a term may span (a Party committee's term is five years; a
/// shortened or extended one stays within this).
pub const MAX_TERM_YEARS: i64 = 10;

/// A term of the Party committee (`2025–2030`): the register restarts at 01
/// when the organisation's settings move to a new term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Term {
    pub from: i64,
    pub to: i64,
}

impl Term {
    /// `2025–2030`, with an en dash.
    pub fn label(self) -> String {
        format!("{}–{}", self.from, self.to)
    }
}

/// A number and symbol: `15-QĐ/ĐUK`. Numbers below 10 carry a leading zero
/// (`07-TTr/BTG`), as Party documents print them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Symbol<'a> {
    pub number: i64,
    pub doc_type: DocType,
    /// The issuing body's abbreviation (`ĐUK`, `BTG`), a setting per organisation.
    pub issuer: &'a str,
}

impl std::fmt::Display for Symbol<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:02}-{}/{}", self.number, self.doc_type.symbol(), self.issuer)
    }
}

/// The message when a number is already in the register for the term.
pub fn used_message(symbol: &Symbol<'_>, term: Term) -> String {
    format!("Số {symbol} đã được dùng trong nhiệm kỳ {}.", term.label())
}

/// The number after the highest one used in the term: the register never
/// goes back to fill a gap (a gap may be a number given on paper and not yet
/// recorded), so recording number 20 from outside makes the next issued 21.
pub fn next_number(highest_used: Option<i64>) -> i64 {
    highest_used.unwrap_or(0) + 1
}

/// The register settings of an issuing organisation.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct RegisterSettingsInput {
    /// The issuing body's abbreviation in symbols: `ĐUK`, `BTG`.
    pub abbreviation: String,
    /// The place in the date line (`Nam Định`): the province or city where the body sits.
    pub place: String,
    /// The current term of the Party committee: first and last year.
    pub term_from: i64,
    pub term_to: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidRegisterSettings {
    pub abbreviation: String,
    pub place: String,
    pub term: Term,
}

impl RegisterSettingsInput {
    pub fn validate(&self) -> Result<ValidRegisterSettings, Invalid> {
        let abbreviation = text::normalize_line(&self.abbreviation);
        let place = text::normalize_line(&self.place);
        let mut inv = Invalid::new();
        inv.required("abbreviation", "tên viết tắt của cơ quan ban hành", &abbreviation, 20);
        if abbreviation.chars().any(|c| c.is_whitespace() || c == '/' || c == '-') {
            inv.add("abbreviation", "invalid", "Tên viết tắt không được chứa dấu cách, dấu \"/\" hay dấu \"-\" (ví dụ: ĐUK, BTG).");
        }
        inv.required("place", "địa danh", &place, 100);
        if !(2000..=2100).contains(&self.term_from) {
            inv.add("term_from", "out_of_range", "Năm đầu nhiệm kỳ phải từ 2000 đến 2100.");
        }
        if self.term_to <= self.term_from || self.term_to - self.term_from > MAX_TERM_YEARS {
            inv.add("term_to", "out_of_range", format!("Năm cuối nhiệm kỳ phải sau năm đầu và không quá {MAX_TERM_YEARS} năm."));
        }
        inv.into_result()?;
        Ok(ValidRegisterSettings { abbreviation, place, term: Term { from: self.term_from, to: self.term_to } })
    }
}

/// A number given outside the system (typed from a paper document), to be
/// recorded in the register.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct RecordedNumberInput {
    /// The document type's code (`qd`, `ttr`, `bb` …).
    pub doc_type: String,
    /// The number as typed: `15`, `07` or the whole symbol `15-QĐ/ĐUK`.
    pub number: String,
    /// The subject line (trích yếu) of the document.
    #[serde(default)]
    pub subject: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidRecordedNumber {
    pub doc_type: DocType,
    pub number: i64,
    pub subject: String,
}

impl RecordedNumberInput {
    /// `issuer` is the organisation's abbreviation: a whole symbol typed
    /// must be of this type and this issuer.
    pub fn validate(&self, issuer: &str) -> Result<ValidRecordedNumber, Invalid> {
        let mut inv = Invalid::new();
        let doc_type = DocType::from_code(self.doc_type.trim());
        if doc_type.is_none() {
            inv.add("doc_type", "unknown", "Vui lòng chọn loại văn bản.");
        }
        let subject = text::normalize_line(&self.subject);
        inv.max_len("subject", "trích yếu", &subject, 500);
        let typed = text::normalize_line(&self.number);
        let number = match parse_number(&typed, doc_type, issuer) {
            Ok(n) => Some(n),
            Err(message) => {
                inv.add("number", "invalid", message);
                None
            }
        };
        inv.into_result()?;
        Ok(ValidRecordedNumber { doc_type: doc_type.expect("checked"), number: number.expect("checked"), subject })
    }
}

/// The number of `15`, `07` or `15-QĐ/ĐUK` (also with `Số` before it).
fn parse_number(typed: &str, doc_type: Option<DocType>, issuer: &str) -> Result<i64, String> {
    let typed = typed.strip_prefix("Số").unwrap_or(typed).trim_start_matches([' ', ':']).trim();
    if typed.is_empty() {
        return Err("Vui lòng nhập số văn bản.".into());
    }
    let (digits, rest) = typed.split_once('-').map_or((typed, None), |(d, r)| (d, Some(r)));
    let number = match digits.trim().parse::<i64>() {
        Ok(n) if (1..=MAX_NUMBER).contains(&n) && digits.trim().chars().all(|c| c.is_ascii_digit()) => n,
        _ => return Err(format!("Số văn bản phải là một số từ 1 đến {MAX_NUMBER} (ví dụ: 15 hoặc 15-QĐ/{issuer}).")),
    };
    if let (Some(rest), Some(doc_type)) = (rest, doc_type) {
        let expected = format!("{}/{}", doc_type.symbol(), issuer);
        if text::fold(rest.trim()) != text::fold(&expected) {
            return Err(format!("Ký hiệu phải là {expected} (loại văn bản và cơ quan ban hành đã chọn)."));
        }
    }
    Ok(number)
}

/// The place and date line: `Nam Định, ngày 03 tháng 4 năm 2023`. Days
/// below 10 and the months 1 and 2 carry a leading zero (so that nothing can
/// be written in front of them), as the format's example does. Without a
/// place (no register set up yet) the line starts with `Ngày`.
pub fn date_line(place: &str, date: time::Date) -> String {
    let month = u8::from(date.month());
    let month = if month < 3 { format!("{month:02}") } else { month.to_string() };
    let day = format!("ngày {:02} tháng {month} năm {}", date.day(), date.year());
    match place.trim() {
        "" => format!("N{}", &day[1..]),
        place => format!("{place}, {day}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn symbols_print_as_the_party_writes_them() {
        assert_eq!(Symbol { number: 15, doc_type: DocType::QuyetDinh, issuer: "ĐUK" }.to_string(), "15-QĐ/ĐUK");
        assert_eq!(Symbol { number: 7, doc_type: DocType::ToTrinh, issuer: "BTG" }.to_string(), "07-TTr/BTG");
        assert_eq!(Symbol { number: 123, doc_type: DocType::BienBan, issuer: "ĐUK" }.to_string(), "123-BB/ĐUK");
        let term = Term { from: 2025, to: 2030 };
        assert_eq!(
            used_message(&Symbol { number: 15, doc_type: DocType::QuyetDinh, issuer: "ĐUK" }, term),
            "Số 15-QĐ/ĐUK đã được dùng trong nhiệm kỳ 2025–2030."
        );
        assert_eq!(DocType::ToTrinh.title(), "TỜ TRÌNH");
        crate::code::assert_table::<DocType>();
    }

    #[test]
    fn numbering_continues_after_the_highest_used() {
        assert_eq!(next_number(None), 1);
        assert_eq!(next_number(Some(1)), 2);
        assert_eq!(next_number(Some(20)), 21);
    }

    #[test]
    fn date_line_pads_days_and_the_first_two_months() {
        assert_eq!(date_line("Nam Định", date!(2023 - 04 - 03)), "Nam Định, ngày 03 tháng 4 năm 2023");
        assert_eq!(date_line("Hà Nội", date!(2025 - 02 - 15)), "Hà Nội, ngày 15 tháng 02 năm 2025");
        assert_eq!(date_line("Hà Nội", date!(2025 - 12 - 31)), "Hà Nội, ngày 31 tháng 12 năm 2025");
        assert_eq!(date_line(" ", date!(2025 - 01 - 09)), "Ngày 09 tháng 01 năm 2025");
    }

    #[test]
    fn typed_numbers_are_read_or_refused() {
        let input = |t: &str, n: &str| RecordedNumberInput { doc_type: t.into(), number: n.into(), subject: String::new() };
        assert_eq!(input("qd", "15").validate("ĐUK").unwrap().number, 15);
        assert_eq!(input("qd", "07").validate("ĐUK").unwrap().number, 7);
        assert_eq!(input("qd", "Số 15-QĐ/ĐUK").validate("ĐUK").unwrap().number, 15);
        assert_eq!(input("ttr", "3-ttr/đuk").validate("ĐUK").unwrap().number, 3);
        let err = input("qd", "15-TTr/ĐUK").validate("ĐUK").unwrap_err();
        assert_eq!(err.for_field("number"), Some("Ký hiệu phải là QĐ/ĐUK (loại văn bản và cơ quan ban hành đã chọn)."));
        for bad in ["", "0", "-1", "abc", "100000", "1.5", "+3"] {
            assert!(input("qd", bad).validate("ĐUK").unwrap_err().for_field("number").is_some(), "{bad:?}");
        }
        let err = input("xx", "").validate("ĐUK").unwrap_err();
        assert_eq!((err.for_field("doc_type").is_some(), err.for_field("number").is_some()), (true, true));
    }

    #[test]
    fn settings_are_checked_all_at_once() {
        let ok = RegisterSettingsInput { abbreviation: " ĐUK ".into(), place: "Nam Định".into(), term_from: 2025, term_to: 2030 };
        let v = ok.validate().unwrap();
        assert_eq!((v.abbreviation.as_str(), v.term.label()), ("ĐUK", "2025–2030".to_string()));
        let bad = RegisterSettingsInput { abbreviation: "Đ UK".into(), place: " ".into(), term_from: 1990, term_to: 1989 };
        let err = bad.validate().unwrap_err();
        for f in ["abbreviation", "place", "term_from", "term_to"] {
            assert!(err.for_field(f).is_some(), "{f}");
        }
        let long = RegisterSettingsInput { term_to: 2036, ..ok };
        assert!(long.validate().unwrap_err().for_field("term_to").is_some());
    }
}
