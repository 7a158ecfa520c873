//! Writes tables as an XLSX workbook: one sheet per table, named after it;
//! the Vietnamese header row in bold, frozen; numbers stored as numbers;
//! columns as wide as their content (within bounds), long text wrapped.

use crate::model::{Cell, Table};
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, XlsxError};

/// Excel's limit on a sheet name.
const SHEET_NAME_MAX: usize = 31;
/// Bounds of a column's width, in characters.
const MIN_WIDTH: usize = 6;
const MAX_WIDTH: usize = 60;

/// The workbook as XLSX bytes.
pub fn render(tables: &[&Table]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let header = Format::new().set_bold().set_text_wrap().set_align(FormatAlign::Center).set_align(FormatAlign::VerticalCenter).set_border(FormatBorder::Thin);
    let text = Format::new().set_text_wrap().set_align(FormatAlign::Top).set_border(FormatBorder::Thin);
    let number = Format::new().set_align(FormatAlign::Top).set_border(FormatBorder::Thin);
    let mut used: Vec<String> = vec![];
    for table in tables {
        let name = sheet_name(&table.title, &used);
        used.push(name.clone());
        let sheet = book.add_worksheet();
        sheet.set_name(&name)?;
        for (c, h) in table.header.iter().enumerate() {
            sheet.write_string_with_format(0, c as u16, h, &header)?;
        }
        for (r, row) in table.rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32 + 1, c as u16);
                match cell {
                    Cell::Number(n) => sheet.write_number_with_format(r, c, *n, &number)?,
                    Cell::Text(s) => sheet.write_string_with_format(r, c, s, &text)?,
                };
            }
        }
        for (c, width) in column_widths(table).into_iter().enumerate() {
            sheet.set_column_width(c as u16, width as f64)?;
        }
        sheet.set_freeze_panes(1, 0)?;
        // Printed, each sheet is as wide as a landscape page, its header on every page.
        sheet.set_landscape();
        sheet.set_print_fit_to_pages(1, 0);
        sheet.set_repeat_rows(0, 0)?;
    }
    if tables.is_empty() {
        book.add_worksheet().set_name("Trống")?;
    }
    book.save_to_buffer()
}

/// A sheet name Excel accepts (at most 31 characters, none of `[]:*?/\`,
/// not empty) and not taken by an earlier sheet.
pub fn sheet_name(title: &str, used: &[String]) -> String {
    let clean: String = title.chars().map(|c| if "[]:*?/\\".contains(c) { '-' } else { c }).collect();
    let clean = clean.trim().trim_matches('\'').to_string();
    let base = if clean.is_empty() { "Bảng".to_string() } else { clean };
    (1..)
        .map(|n| {
            let suffix = if n == 1 { String::new() } else { format!(" ({n})") };
            let room = SHEET_NAME_MAX - suffix.chars().count();
            format!("{}{suffix}", base.chars().take(room).collect::<String>().trim_end())
        })
        .find(|name| !used.iter().any(|u| u.to_lowercase() == name.to_lowercase()))
        .expect("an unused name exists")
}

/// Each column as wide as its longest line, within bounds.
pub fn column_widths(table: &Table) -> Vec<usize> {
    (0..table.header.len())
        .map(|c| {
            let longest = std::iter::once(table.header[c].clone())
                .chain(table.rows.iter().filter_map(|r| r.get(c)).map(Cell::display))
                .flat_map(|s| s.lines().map(|l| l.chars().count()).collect::<Vec<_>>())
                .max()
                .unwrap_or(0);
            (longest + 2).clamp(MIN_WIDTH, MAX_WIDTH)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_valid_and_distinct() {
        let used = vec!["Điển hình".to_string()];
        assert_eq!(sheet_name("Điển hình", &used), "Điển hình (2)");
        assert_eq!(sheet_name("a/b:c", &[]), "a-b-c");
        assert_eq!(sheet_name("", &[]), "Bảng");
        let long = "Số điển hình theo lĩnh vực và theo đơn vị cơ sở";
        assert_eq!(sheet_name(long, &[]).chars().count(), 31);
        let first = sheet_name(long, &[]);
        assert!(sheet_name(long, std::slice::from_ref(&first)).ends_with(" (2)"));
        assert!(sheet_name(long, &[first]).chars().count() <= 31);
    }

    #[test]
    fn widths_follow_content_within_bounds() {
        let t = Table::numbered("x", &["Họ và tên"], &[5], vec![vec![Cell::text("x".repeat(200))]]);
        assert_eq!(column_widths(&t), vec![MIN_WIDTH, MAX_WIDTH]);
    }
}
