//! A Party document as Hướng dẫn 36-HD/VPTW lays it out, independent of the
//! file format: the header's two zones, the document type and subject, the
//! body, then recipients and signatures. `docx::render` writes it.

use dienhinh_domain::document::date_line;

/// Page settings, with the format's defaults (`Default`). Margins come from a
/// Party committee handbook (no primary text was found: see
/// shared/PARTY-DOCUMENTS.md), so they are settings, not constants.
#[derive(Debug, Clone, PartialEq)]
pub struct PageSettings {
    pub margin_top_mm: f32,
    pub margin_bottom_mm: f32,
    pub margin_left_mm: f32,
    pub margin_right_mm: f32,
    pub font: String,
    /// The body's size in points (14–15 by the format).
    pub body_pt: u8,
}

impl Default for PageSettings {
    fn default() -> Self {
        PageSettings { margin_top_mm: 25.0, margin_bottom_mm: 25.0, margin_left_mm: 35.0, margin_right_mm: 15.0, font: "Times New Roman".into(), body_pt: 14 }
    }
}

/// The issuing body and where it sits: the header's left zone and the place
/// of the date line.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Issuer {
    /// The superior body (`ĐẢNG BỘ TỈNH NAM ĐỊNH`), printed in capitals.
    pub superior: String,
    /// The issuing body (`ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH`), printed in capitals, bold.
    pub name: String,
    /// The place of the date line (`Nam Định`).
    pub place: String,
}

/// Who signs: `T/M BAN THƯỜNG VỤ` / `PHÓ BÍ THƯ` / the name.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Signer {
    /// On behalf of whom (`T/M BAN THƯỜNG VỤ`), when signing for a collective body.
    pub authority: Option<String>,
    /// The signer's title (`PHÓ BÍ THƯ`); may be empty for a person signing for themself.
    pub position: String,
    /// Full name.
    pub name: String,
}

/// A cell of a table: numbers stay numbers in a workbook.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    pub fn int(n: i64) -> Cell {
        Cell::Number(n as f64)
    }

    /// As printed in a document: whole numbers without decimals, others with
    /// a decimal comma.
    pub fn display(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Cell::Number(n) => format!("{n:.1}").replace('.', ","),
        }
    }
}

/// A table with one header row; every row has as many cells as the header.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Its name: the sheet's name in a workbook, a caption in a document.
    pub title: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    /// Relative widths of the columns (any unit; `[1, 6, 3]`), one per column.
    pub widths: Vec<u16>,
}

impl Table {
    /// A table whose rows are numbered (`TT`) in a first column of their own.
    pub fn numbered(title: impl Into<String>, header: &[&str], widths: &[u16], rows: Vec<Vec<Cell>>) -> Table {
        let mut h = vec!["TT".to_string()];
        h.extend(header.iter().map(|s| s.to_string()));
        let mut w = vec![1];
        w.extend_from_slice(widths);
        let rows = rows
            .into_iter()
            .enumerate()
            .map(|(i, r)| {
                let mut row = vec![Cell::int(i as i64 + 1)];
                row.extend(r);
                row
            })
            .collect();
        Table { title: title.into(), header: h, rows, widths: w }
    }

    /// Whether every row has a cell per header and there is a width per column.
    pub fn is_rectangular(&self) -> bool {
        self.widths.len() == self.header.len() && self.rows.iter().all(|r| r.len() == self.header.len())
    }
}

/// A block of the body.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A section heading (`I. SƠ LƯỢC LÝ LỊCH`), bold.
    Heading(String),
    /// A sub-heading (`1. Chức năng, nhiệm vụ`), bold, not in capitals.
    SubHeading(String),
    /// A justified paragraph with a first-line indent; line breaks in the
    /// text start new paragraphs.
    Paragraph(String),
    /// A paragraph in italics (a note, `(Kèm theo Tờ trình số …)`), centred.
    Note(String),
    /// A dash list (`- …`).
    Items(Vec<String>),
    /// A numbered list (`1. …`).
    Numbered(Vec<String>),
    /// `Label: value` lines, the label bold (a profile's facts).
    Facts(Vec<(String, String)>),
    Table(Table),
    /// Text of the table when it has no rows (`Chưa có.`) is the caller's.
    Spacer,
}

/// What closes a document: recipients on the left or a second signature
/// (an achievement report's confirming superior, a minutes' secretary), and
/// the main signature on the right.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Closing {
    /// `Nơi nhận:` and the recipients (the renderer ends the list with `- Lưu.`
    /// when it is not there), the signature on the right.
    Recipients { recipients: Vec<String>, signer: Signer },
    /// Two signatures side by side (a confirming superior and the person
    /// reporting; a secretary and the chair).
    TwoSigners { left: Signer, right: Signer },
    /// Only the signature, on the right (an annex list, a profile).
    Signer(Signer),
}

/// A whole document.
#[derive(Debug, Clone, PartialEq)]
pub struct PartyDocument {
    pub settings: PageSettings,
    pub issuer: Issuer,
    /// The number and symbol (`15-QĐ/ĐUK`), issued by the register; `None`
    /// for documents that carry none (a person's achievement report, a profile).
    pub number: Option<String>,
    pub date: time::Date,
    /// The type as the title prints it (`TỜ TRÌNH`); printed in capitals.
    pub kind: String,
    /// The subject line (trích yếu), bold under the type.
    pub subject: String,
    /// `Kính gửi: …` under the title, for a document sent upward.
    pub addressee: Option<String>,
    pub blocks: Vec<Block>,
    pub closing: Closing,
}

impl PartyDocument {
    /// `Số 15-QĐ/ĐUK` (no colon after "Số", as current practice writes it).
    pub fn number_line(&self) -> Option<String> {
        self.number.as_ref().map(|n| format!("Số {n}"))
    }

    /// `Nam Định, ngày 03 tháng 4 năm 2023`.
    pub fn date_line(&self) -> String {
        date_line(&self.issuer.place, self.date)
    }

    /// The recipients as printed: each a dash line, `- Lưu.` last.
    pub fn recipient_lines(recipients: &[String]) -> Vec<String> {
        let mut lines: Vec<String> = recipients
            .iter()
            .map(|r| r.trim().trim_start_matches(['-', ' ']).trim_end_matches([',', ';', '.']).to_string())
            .filter(|r| !r.is_empty() && !r.eq_ignore_ascii_case("lưu") && r != "Lưu")
            .map(|r| format!("- {r},"))
            .collect();
        lines.push("- Lưu.".into());
        lines
    }

    /// Every table of the body, for a workbook of the same figures.
    pub fn tables(&self) -> Vec<&Table> {
        self.blocks.iter().filter_map(|b| if let Block::Table(t) = b { Some(t) } else { None }).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recipients_end_with_the_archive() {
        let lines = PartyDocument::recipient_lines(&["Ban Thường vụ Tỉnh ủy".into(), "- Các chi, đảng bộ cơ sở;".into(), "Lưu".into(), " ".into()]);
        assert_eq!(lines, vec!["- Ban Thường vụ Tỉnh ủy,", "- Các chi, đảng bộ cơ sở,", "- Lưu."]);
        assert_eq!(PartyDocument::recipient_lines(&[]), vec!["- Lưu."]);
    }

    #[test]
    fn cells_print_numbers_plainly() {
        assert_eq!(Cell::int(12).display(), "12");
        assert_eq!(Cell::Number(87.5).display(), "87,5");
        assert_eq!(Cell::text("a").display(), "a");
    }

    #[test]
    fn numbered_tables_are_rectangular() {
        let t = Table::numbered("x", &["Họ và tên", "Đơn vị"], &[4, 4], vec![vec![Cell::text("A"), Cell::text("B")], vec![Cell::text("C"), Cell::text("D")]]);
        assert!(t.is_rectangular());
        assert_eq!(t.header[0], "TT");
        assert_eq!(t.rows[1][0], Cell::int(2));
    }
}
