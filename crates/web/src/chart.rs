//! Charts drawn on the server as SVG (no JavaScript, no chart service):
//! horizontal bars, one row per figure, each a link to the records it
//! counts. The geometry is computed here; `templates/chart.html` draws it.
//! Horizontal bars with the label above keep long Vietnamese labels
//! readable at 390 px, where a vertical axis of names would not fit.

/// Width of the drawing in SVG units (it scales to the column).
const WIDTH: i64 = 320;
/// Height of one row: a label line, then the bar (44 px at phone width: a finger's target).
pub const ROW: i64 = 44;
/// Room kept right of the longest bar for its number.
const NUMBER_ROOM: i64 = 48;

pub struct Bar {
    /// The whole label (the mark's title and accessible name).
    pub label: String,
    /// The label as drawn: cut to what fits the drawing's width.
    pub short: String,
    pub value: i64,
    pub href: Option<String>,
    /// Top of the row, in SVG units.
    pub y: i64,
    /// Bar length, in SVG units (at least 2 for a non-zero value, so it shows).
    pub width: i64,
    /// Where the number is written (after the bar).
    pub number_x: i64,
}

impl Bar {
    pub fn label_y(&self) -> i64 {
        self.y + 15
    }
    pub fn bar_y(&self) -> i64 {
        self.y + 22
    }
    pub fn value_y(&self) -> i64 {
        self.y + 35
    }
}

pub struct Chart {
    pub row: i64,
    /// Element id (for `aria-labelledby`).
    pub id: String,
    pub title: String,
    /// What the bars count, said to screen readers.
    pub counted: String,
    pub bars: Vec<Bar>,
    pub height: i64,
    pub width: i64,
}

impl Chart {
    /// A chart of `(label, value, link)` rows.
    pub fn bars(id: &str, title: &str, counted: &str, rows: impl IntoIterator<Item = (String, i64, Option<String>)>) -> Chart {
        let rows: Vec<_> = rows.into_iter().collect();
        let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1);
        let span = WIDTH - NUMBER_ROOM;
        let bars: Vec<Bar> = rows
            .into_iter()
            .enumerate()
            .map(|(i, (label, value, href))| {
                let width = if value > 0 { (value * span / max).max(2) } else { 0 };
                Bar { short: shorten(&label), label, value, href, y: i as i64 * ROW, width, number_x: width + 6 }
            })
            .collect();
        Chart { row: ROW, id: id.into(), title: title.into(), counted: counted.into(), height: (bars.len() as i64 * ROW).max(ROW), bars, width: WIDTH }
    }

    pub fn is_empty(&self) -> bool {
        self.bars.iter().all(|b| b.value == 0)
    }
}

/// Characters of a label that fit the drawing at 12 px.
const LABEL_CHARS: usize = 46;

fn shorten(label: &str) -> String {
    if label.chars().count() <= LABEL_CHARS {
        label.to_string()
    } else {
        format!("{}…", label.chars().take(LABEL_CHARS - 1).collect::<String>().trim_end())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_bar_leaves_room_for_its_number_and_small_values_still_show() {
        let c = Chart::bars("c", "t", "n", [("a".into(), 1000, None), ("b".into(), 1, None), ("c".into(), 0, None)]);
        assert_eq!(c.bars[0].width, WIDTH - NUMBER_ROOM);
        assert_eq!(c.bars[1].width, 2);
        assert_eq!(c.bars[2].width, 0);
        assert_eq!(c.bars[2].y, 2 * ROW);
        assert_eq!(c.height, 3 * ROW);
        assert!(!c.is_empty());
        assert!(Chart::bars("e", "t", "n", [("a".into(), 0, None)]).is_empty());
        let long = "Đoàn Thanh niên Khối các cơ quan và doanh nghiệp tỉnh Nam Định";
        let c = Chart::bars("l", "t", "n", [(long.into(), 1, None)]);
        assert_eq!(c.bars[0].label, long);
        assert!(c.bars[0].short.ends_with('…') && c.bars[0].short.chars().count() <= LABEL_CHARS);
    }
}
