//! Writes a [`PartyDocument`] as DOCX in the layout of Hướng dẫn 36-HD/VPTW:
//! A4, Times New Roman, the two header zones side by side (left: superior
//! body, issuing body in bold, `*`, number; right: the motto in bold with a
//! rule under it, the place and date in italics, on the line of the number),
//! the type and subject centred in bold, the body justified, then
//! recipients on the left and the signature block on the right. Page
//! numbers sit at the top centre from page 2.

use crate::model::{Block, Cell, Closing, PageSettings, PartyDocument, Signer, Table as DocTable};
use docx_rs::{
    AlignmentType, BorderType, Docx, Header, LineSpacing, PageMargin, PageNum, Paragraph, Run, RunFonts, SpecialIndentType, Table, TableBorder,
    TableBorderPosition, TableBorders, TableCell, TableLayoutType, TableRow, VAlignType, WidthType,
};

/// The national motto zone of a Party document.
pub const MOTTO: &str = "ĐẢNG CỘNG SẢN VIỆT NAM";

/// A4 in twentieths of a point.
const A4_WIDTH: u32 = 11_906;
const A4_HEIGHT: u32 = 16_838;
/// Share of the text width the header's left zone takes (per mille).
const LEFT_ZONE: usize = 450;

fn twips(mm: f32) -> i32 {
    (mm * 1440.0 / 25.4).round() as i32
}

/// Half-points, as WordprocessingML sizes runs.
fn hp(pt: u8) -> usize {
    usize::from(pt) * 2
}

/// The document as DOCX bytes.
pub fn render(doc: &PartyDocument) -> Vec<u8> {
    let s = &doc.settings;
    let width = text_width(s);
    let font = RunFonts::new().ascii(&s.font).hi_ansi(&s.font).cs(&s.font).east_asia(&s.font);
    let page_number = Header::new().add_paragraph(Paragraph::new().align(AlignmentType::Center).add_page_num(PageNum::new()));
    let mut d = Docx::new()
        .page_size(A4_WIDTH, A4_HEIGHT)
        .page_margin(
            PageMargin::new()
                .top(twips(s.margin_top_mm))
                .bottom(twips(s.margin_bottom_mm))
                .left(twips(s.margin_left_mm))
                .right(twips(s.margin_right_mm))
                .header(twips(12.0))
                .footer(twips(12.0)),
        )
        .default_fonts(font)
        .default_size(hp(s.body_pt))
        .header(page_number)
        .first_header(Header::new())
        .add_table(header_zones(doc, width));
    d = d.add_paragraph(Paragraph::new());
    d = d.add_paragraph(centred(run(&doc.kind.to_uppercase(), s.body_pt + 1).bold()));
    if !doc.subject.is_empty() {
        d = d.add_paragraph(centred(run(&doc.subject, s.body_pt).bold()));
    }
    d = d.add_paragraph(centred(run("-----", s.body_pt)));
    if let Some(to) = &doc.addressee {
        d = d.add_paragraph(centred(run(&format!("Kính gửi: {to}"), s.body_pt)).line_spacing(LineSpacing::new().after(120)));
    }
    for block in &doc.blocks {
        d = add_block(d, block, s, width);
    }
    d = d.add_paragraph(Paragraph::new());
    d = d.add_table(closing(&doc.closing, s, width));
    let mut out = std::io::Cursor::new(Vec::new());
    d.build().pack(&mut out).expect("writing a zip to memory does not fail");
    out.into_inner()
}

/// The width between the margins, in twips.
fn text_width(s: &PageSettings) -> usize {
    (A4_WIDTH as i32 - twips(s.margin_left_mm) - twips(s.margin_right_mm)).max(2_000) as usize
}

fn run(text: &str, pt: u8) -> Run {
    Run::new().add_text(xml_chars(text)).size(hp(pt))
}

/// `text` without the characters XML 1.0 cannot carry (controls other than
/// tab and line breaks, U+FFFE and U+FFFF): stored text is normalised
/// already, but a document must open whatever it is given.
pub fn xml_chars(text: &str) -> String {
    text.chars().filter(|c| matches!(*c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)).collect()
}

fn centred(r: Run) -> Paragraph {
    Paragraph::new().align(AlignmentType::Center).add_run(r)
}

/// A body paragraph: justified, first line indented 1 cm, 6 pt after.
fn body(runs: Vec<Run>) -> Paragraph {
    let mut p = Paragraph::new()
        .align(AlignmentType::Both)
        .indent(None, Some(SpecialIndentType::FirstLine(twips(10.0))), None, None)
        .line_spacing(LineSpacing::new().before(0).after(120));
    for r in runs {
        p = p.add_run(r);
    }
    p
}

fn no_borders() -> TableBorders {
    TableBorders::with_empty()
}

/// A table of fixed columns without borders (the header zones, the closing).
fn layout_table(cells: Vec<Vec<TableCell>>, widths: &[usize]) -> Table {
    // A signature block or a header line is never split across pages.
    let rows = cells.into_iter().map(|c| TableRow::new(c).cant_split()).collect();
    Table::new(rows)
        .set_grid(widths.to_vec())
        .width(widths.iter().sum(), WidthType::Dxa)
        .layout(TableLayoutType::Fixed)
        .set_borders(no_borders())
}

fn cell(width: usize, paragraphs: Vec<Paragraph>) -> TableCell {
    let mut c = TableCell::new().width(width, WidthType::Dxa).vertical_align(VAlignType::Top);
    if paragraphs.is_empty() {
        c = c.add_paragraph(Paragraph::new());
    }
    for p in paragraphs {
        c = c.add_paragraph(p);
    }
    c
}

/// The two zones of the first page, one table row per line so that the
/// number and the date line stand on the same line.
fn header_zones(doc: &PartyDocument, width: usize) -> Table {
    let pt = doc.settings.body_pt;
    let left = width * LEFT_ZONE / 1000;
    let right = width - left;
    let line = |l: Option<Paragraph>, r: Option<Paragraph>| vec![cell(left, l.into_iter().collect()), cell(right, r.into_iter().collect())];
    let superior = (!doc.issuer.superior.is_empty()).then(|| centred(run(&doc.issuer.superior.to_uppercase(), pt)));
    let motto = centred(run(MOTTO, pt + 1).bold().underline("single"));
    let date = centred(run(&doc.date_line(), pt).italic());
    layout_table(
        vec![
            line(superior, Some(motto)),
            line(Some(centred(run(&doc.issuer.name.to_uppercase(), pt).bold())), None),
            line(Some(centred(run("*", pt))), None),
            line(Some(centred(run(&doc.number_line().unwrap_or_default(), pt))), Some(date)),
        ],
        &[left, right],
    )
}

fn add_block(d: Docx, block: &Block, s: &PageSettings, width: usize) -> Docx {
    let pt = s.body_pt;
    match block {
        Block::Heading(t) => d.add_paragraph(body(vec![run(t, pt).bold()]).keep_next(true)),
        Block::SubHeading(t) => d.add_paragraph(body(vec![run(t, pt).bold().italic()]).keep_next(true)),
        Block::Paragraph(t) => t.lines().filter(|l| !l.trim().is_empty()).fold(d, |d, l| d.add_paragraph(body(vec![run(l.trim(), pt)]))),
        Block::Note(t) => d.add_paragraph(centred(run(t, pt).italic())),
        Block::Items(items) => items.iter().fold(d, |d, i| d.add_paragraph(body(vec![run(&format!("- {i}"), pt)]))),
        Block::Numbered(items) => items.iter().enumerate().fold(d, |d, (n, i)| d.add_paragraph(body(vec![run(&format!("{}. {i}", n + 1), pt)]))),
        Block::Facts(facts) => facts.iter().fold(d, |d, (label, value)| d.add_paragraph(body(vec![run(&format!("{label}: "), pt).bold(), run(value, pt)]))),
        Block::Table(t) => {
            let d = if t.title.is_empty() { d } else { d.add_paragraph(body(vec![run(&t.title, pt).italic()]).keep_next(true)) };
            // Wide tables (a tally) in a smaller size, so that their headers fit.
            let table_pt = if t.header.len() > 6 { pt.saturating_sub(3) } else { pt.saturating_sub(1) };
            d.add_table(grid_table(t, table_pt, width)).add_paragraph(Paragraph::new())
        }
        Block::Spacer => d.add_paragraph(Paragraph::new()),
    }
}

/// A table of figures or names with borders; the header row bold and centred;
/// numbers centred.
fn grid_table(t: &DocTable, pt: u8, width: usize) -> Table {
    let widths = column_widths(t, width);
    let para = |text: &str, align: AlignmentType| Paragraph::new().align(align).add_run(run(text, pt));
    // Rows never break across pages; the header row keeps with the first row.
    let header = TableRow::new(
        t.header.iter().zip(&widths).map(|(h, w)| cell(*w, vec![para(h, AlignmentType::Center).bold().keep_next(true)]).vertical_align(VAlignType::Center)).collect(),
    )
    .cant_split();
    let mut rows = vec![header];
    for r in &t.rows {
        rows.push(TableRow::new(
            widths
                .iter()
                .enumerate()
                .map(|(i, w)| {
                    let c = r.get(i).cloned().unwrap_or(Cell::Text(String::new()));
                    let align = if matches!(c, Cell::Number(_)) { AlignmentType::Center } else { AlignmentType::Left };
                    let lines: Vec<Paragraph> = c.display().lines().map(|l| para(l, align)).collect();
                    cell(*w, lines)
                })
                .collect(),
        )
        .cant_split());
    }
    let border = |p| TableBorder::new(p).border_type(BorderType::Single).size(4).color("000000");
    let borders = TableBorders::with_empty()
        .set(border(TableBorderPosition::Top))
        .set(border(TableBorderPosition::Bottom))
        .set(border(TableBorderPosition::Left))
        .set(border(TableBorderPosition::Right))
        .set(border(TableBorderPosition::InsideH))
        .set(border(TableBorderPosition::InsideV));
    Table::new(rows).set_grid(widths.clone()).width(widths.iter().sum(), WidthType::Dxa).layout(TableLayoutType::Fixed).set_borders(borders)
}

/// Widths of a table's columns in twips: proportional to the table's
/// widths, none narrower than `MIN_COLUMN` (a `TT` column stays one line).
fn column_widths(t: &DocTable, width: usize) -> Vec<usize> {
    const MIN_COLUMN: usize = 620;
    let weights: Vec<usize> = (0..t.header.len()).map(|i| usize::from(t.widths.get(i).copied().unwrap_or(1).max(1))).collect();
    let narrow: Vec<bool> = weights.iter().map(|w| width * w / weights.iter().sum::<usize>().max(1) < MIN_COLUMN).collect();
    let fixed = narrow.iter().filter(|n| **n).count() * MIN_COLUMN;
    let rest: usize = weights.iter().zip(&narrow).filter(|(_, n)| !**n).map(|(w, _)| w).sum::<usize>().max(1);
    weights.iter().zip(&narrow).map(|(w, n)| if *n { MIN_COLUMN } else { width.saturating_sub(fixed) * w / rest }).collect()
}

/// The signature block: authority and title in bold capitals, room for the
/// signature and seal, the full name in bold.
/// `lines` heading lines at least (padded, so that two names side by side
/// stand on one line).
fn signature(signer: &Signer, pt: u8, lines: usize) -> Vec<Paragraph> {
    let mut ps = vec![];
    for line in signature_heading(signer) {
        ps.push(centred(run(&line.to_uppercase(), pt).bold()));
    }
    while ps.len() < lines {
        ps.push(Paragraph::new());
    }
    // Room for the signature and the seal.
    ps.push(Paragraph::new().line_spacing(LineSpacing::new().after(1_400)));
    ps.push(centred(run(&signer.name, pt).bold()));
    ps
}

fn signature_heading(signer: &Signer) -> Vec<&str> {
    signer.authority.as_deref().into_iter().chain(Some(signer.position.as_str()).filter(|p| !p.is_empty())).collect()
}

fn closing(c: &Closing, s: &PageSettings, width: usize) -> Table {
    let pt = s.body_pt;
    let half = width / 2;
    let (left, right) = match c {
        Closing::Recipients { recipients, signer } => {
            let mut left = vec![Paragraph::new().add_run(run("Nơi nhận:", 12).bold().italic())];
            left.extend(PartyDocument::recipient_lines(recipients).iter().map(|l| Paragraph::new().add_run(run(l, 11))));
            (left, signature(signer, pt, 0))
        }
        Closing::TwoSigners { left, right } => {
            let lines = signature_heading(left).len().max(signature_heading(right).len());
            (signature(left, pt, lines), signature(right, pt, lines))
        }
        Closing::Signer(signer) => (vec![], signature(signer, pt, 0)),
    };
    layout_table(vec![vec![cell(half, left), cell(width - half, right)]], &[half, width - half])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::samples;
    use std::io::Read;

    /// The `word/document.xml` of a rendered document.
    fn document_xml(bytes: &[u8]) -> String {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
        let mut xml = String::new();
        zip.by_name("word/document.xml").expect("a document part").read_to_string(&mut xml).unwrap();
        xml
    }

    /// The run properties of the run whose text is `text`.
    fn run_props<'a>(xml: &'a str, text: &str) -> &'a str {
        let at = xml.find(&format!(">{text}</w:t>")).unwrap_or_else(|| panic!("{text:?} is not a run of its own"));
        let start = xml[..at].rfind("<w:r>").expect("a run");
        &xml[start..at]
    }

    #[test]
    fn every_zone_of_the_format_is_present() {
        for (name, doc) in samples::all() {
            let xml = document_xml(&render(&doc));
            let has = |s: &str| assert!(xml.contains(s), "{name}: {s:?} missing");
            has(MOTTO);
            has(&doc.issuer.name.to_uppercase());
            has(&doc.date_line());
            has(&doc.kind.to_uppercase());
            has(&doc.subject);
            has(">*</w:t>");
            if let Some(n) = doc.number_line() {
                has(&n);
            }
            match &doc.closing {
                Closing::Recipients { signer, .. } => {
                    has("Nơi nhận:");
                    has("- Lưu.");
                    has(&signer.name);
                }
                Closing::TwoSigners { left, right } => {
                    has(&left.name);
                    has(&right.name);
                }
                Closing::Signer(s) => has(&s.name),
            }
            for t in doc.tables() {
                assert!(t.is_rectangular(), "{name}: {}", t.title);
            }
        }
    }

    #[test]
    fn zones_are_styled_as_the_format_says() {
        let doc = crate::builders::proposal(samples::proposal_input());
        let xml = document_xml(&render(&doc));
        let motto = run_props(&xml, MOTTO);
        assert!(motto.contains("<w:b />") && motto.contains("w:u w:val=\"single\"") && motto.contains("w:sz w:val=\"30\""), "{motto}");
        let issuer = run_props(&xml, "ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH");
        assert!(issuer.contains("<w:b />"), "{issuer}");
        let superior = run_props(&xml, "ĐẢNG BỘ TỈNH NAM ĐỊNH");
        assert!(!superior.contains("<w:b />"), "the superior body is upright: {superior}");
        assert!(run_props(&xml, &doc.date_line()).contains("<w:i />"));
        assert!(run_props(&xml, "TỜ TRÌNH").contains("<w:b />"));
        assert!(run_props(&xml, "Số 07-TTr/ĐUK").contains("w:sz w:val=\"28\""));
        assert!(run_props(&xml, "Nơi nhận:").contains("<w:i />"));
        // A4, the handbook's margins (35 mm left = 1984 twips), Times New Roman.
        assert!(xml.contains("w:w=\"11906\"") && xml.contains("w:h=\"16838\""));
        assert!(xml.contains("w:left=\"1984\"") && xml.contains("w:right=\"850\"") && xml.contains("w:top=\"1417\""));
        assert!(xml.contains("w:titlePg"), "no page number on the first page");
    }

    #[test]
    fn the_number_and_the_date_share_a_line() {
        let xml = document_xml(&render(&crate::builders::proposal(samples::proposal_input())));
        let row_of = |text: &str| xml[..xml.find(text).unwrap()].matches("<w:tr>").count();
        assert_eq!(row_of("Số 07-TTr/ĐUK"), row_of("Nam Định, ngày 20 tháng 11 năm 2025"));
        assert_eq!(row_of(MOTTO), row_of("ĐẢNG BỘ TỈNH NAM ĐỊNH"));
    }

    #[test]
    fn any_text_makes_a_well_formed_document() {
        let mut input = samples::profile_input();
        input.name = "<w:t>&amp; \u{1}\u{FFFF}\u{FFFE}\u{7F} \"'".into();
        input.achievements = "</w:t></w:r><script>alert(1)</script>".into();
        let xml = document_xml(&render(&crate::builders::profile(input)));
        assert!(!xml.contains("<script>") && !xml.contains("\u{1}") && !xml.contains('\u{FFFF}'));
        let mut reader = quick_xml::Reader::from_str(&xml);
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(_) => {}
                Err(e) => panic!("not well-formed at {}: {e}", reader.buffer_position()),
            }
        }
        assert!(xml.contains("&lt;w:t&gt;&amp;amp;"), "escaped, not dropped");
    }

    #[test]
    fn settings_change_the_page() {
        let mut doc = crate::builders::report(samples::report_input());
        doc.settings = PageSettings { margin_left_mm: 30.0, body_pt: 13, ..PageSettings::default() };
        let xml = document_xml(&render(&doc));
        assert!(xml.contains("w:left=\"1701\""));
        assert!(run_props(&xml, "I. KẾT QUẢ THỰC HIỆN").contains("w:sz w:val=\"26\""));
    }
}
