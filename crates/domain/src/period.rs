//! A reporting period (plan 48-KH/ĐUK II.5, V): one year, several years,
//! or the programme's whole 2022–2025. Every figure of a dashboard, a
//! review report or a statistics workbook is counted over one.

use crate::validate::Invalid;
use std::ops::RangeInclusive;

/// The plan's period (giai đoạn 2022–2025).
pub const PROGRAMME: (i64, i64) = (2022, 2025);

/// The earliest year a period may start (as early as an exemplar may be found).
pub const FIRST_YEAR: i64 = crate::exemplar::MIN_YEAR;

/// Whole years, `from` to `to` inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Period {
    pub from: i64,
    pub to: i64,
}

impl Period {
    pub fn year(y: i64) -> Period {
        Period { from: y, to: y }
    }

    pub fn programme() -> Period {
        Period { from: PROGRAMME.0, to: PROGRAMME.1 }
    }

    /// The period typed as two years (either may be blank): both blank is
    /// `default`; one blank is the other's single year. A year that is not
    /// a number or out of range, or an end before the start, is reported
    /// on its field.
    pub fn parse(from: &str, to: &str, default: Period, this_year: i64) -> Result<Period, Invalid> {
        let mut inv = Invalid::new();
        let mut year = |raw: &str, field: &'static str, label: &str| -> Option<i64> {
            let t = raw.trim();
            if t.is_empty() {
                return None;
            }
            match t.parse::<i64>() {
                Ok(y) if (FIRST_YEAR..=this_year + 1).contains(&y) => Some(y),
                _ => {
                    inv.add(field, "invalid_year", format!("{label} phải là một năm từ {FIRST_YEAR} đến {}.", this_year + 1));
                    None
                }
            }
        };
        let (f, t) = (year(from, "from", "Từ năm"), year(to, "to", "Đến năm"));
        let p = match (f, t) {
            (Some(f), Some(t)) => Period { from: f, to: t },
            (Some(y), None) | (None, Some(y)) => Period::year(y),
            (None, None) => default,
        };
        if p.to < p.from {
            inv.add("to", "ends_before_start", format!("Năm kết thúc ({}) trước năm bắt đầu ({}).", p.to, p.from));
        }
        inv.into_result().map(|_| p)
    }

    pub fn years(&self) -> RangeInclusive<i64> {
        self.from..=self.to
    }

    pub fn contains(&self, y: i64) -> bool {
        self.years().contains(&y)
    }

    pub fn is_single_year(&self) -> bool {
        self.from == self.to
    }

    /// "năm 2025", "giai đoạn 2022–2025".
    pub fn label(&self) -> String {
        if self.is_single_year() {
            format!("năm {}", self.from)
        } else {
            format!("giai đoạn {}–{}", self.from, self.to)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 2026;

    #[test]
    fn blank_is_the_default_and_one_year_alone_is_that_year() {
        assert_eq!(Period::parse("", " ", Period::programme(), NOW), Ok(Period { from: 2022, to: 2025 }));
        assert_eq!(Period::parse("2024", "", Period::programme(), NOW), Ok(Period::year(2024)));
        assert_eq!(Period::parse("", "2023", Period::programme(), NOW), Ok(Period::year(2023)));
        assert_eq!(Period::parse("2022", "2025", Period::year(2026), NOW).unwrap().label(), "giai đoạn 2022–2025");
        assert_eq!(Period::year(2025).label(), "năm 2025");
    }

    #[test]
    fn an_end_before_the_start_or_a_bad_year_is_said_on_its_field() {
        let e = Period::parse("2025", "2022", Period::programme(), NOW).unwrap_err();
        assert_eq!(e.0.len(), 1);
        assert_eq!(e.for_field("to"), Some("Năm kết thúc (2022) trước năm bắt đầu (2025)."));
        let e = Period::parse("hai nghìn", "2028", Period::programme(), NOW).unwrap_err();
        assert!(e.for_field("from").is_some() && e.for_field("to").is_some());
        assert!(Period::parse("2027", "", Period::programme(), NOW).is_ok());
        assert!(Period::parse("1944", "", Period::programme(), NOW).is_err());
    }

    #[test]
    fn contains_its_years_only() {
        let p = Period::programme();
        assert!(p.contains(2022) && p.contains(2025) && !p.contains(2021) && !p.contains(2026));
        assert_eq!(p.years().count(), 4);
    }
}
