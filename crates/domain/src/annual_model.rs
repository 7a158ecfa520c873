//! Annual models (mô hình tiêu biểu của năm, plan V.1): each TCCS builds at
//! least one a year; its cấp ủy must approve it before it counts.

use crate::validate::Invalid;
use dienhinh_text as text;
use serde::{Deserialize, Serialize};

crate::coded_enum!(
    pub enum ModelStatus {
        DangKy = "dang_ky": "Chờ cấp ủy duyệt",
        DaDuyet = "da_duyet": "Đã được cấp ủy duyệt",
        KhongDuyet = "khong_duyet": "Không được duyệt",
    }
);

/// Earliest year a model may be registered for.
pub const FIRST_YEAR: i64 = 2000;

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct AnnualModelInput {
    pub org_id: i64,
    pub year: i64,
    #[serde(default)]
    pub exemplar_id: Option<i64>,
    pub title: String,
    #[serde(default)]
    pub description: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ValidAnnualModel {
    pub org_id: i64,
    pub year: i64,
    pub exemplar_id: Option<i64>,
    pub title: String,
    pub description: String,
}

impl AnnualModelInput {
    /// A model for a year up to next year (registered ahead for the coming year).
    pub fn validate(&self, this_year: i64) -> Result<ValidAnnualModel, Invalid> {
        let title = text::normalize_line(&self.title);
        let description = text::normalize(&self.description);
        let mut inv = Invalid::new();
        inv.required("title", "tên mô hình", &title, 300);
        inv.max_len("description", "Mô tả", &description, 10_000);
        if !(FIRST_YEAR..=this_year + 1).contains(&self.year) {
            inv.add("year", "out_of_range", format!("Năm phải từ {FIRST_YEAR} đến {}.", this_year + 1));
        }
        inv.into_result()?;
        Ok(ValidAnnualModel { org_id: self.org_id, year: self.year, exemplar_id: self.exemplar_id, title, description })
    }
}

/// The cấp ủy's decision on a registered model: the new status and the
/// normalised note (required when not approving).
pub fn decide(status: ModelStatus, approve: bool, note: &str) -> Result<(ModelStatus, String), Invalid> {
    let mut inv = Invalid::new();
    if status != ModelStatus::DangKy {
        inv.add("status", "decided", "Mô hình này đã được xét duyệt.");
        return Err(inv);
    }
    let note = text::normalize(note);
    if !approve && note.trim().is_empty() {
        inv.add("decision_note", "required", "Vui lòng ghi rõ lý do không duyệt.");
    }
    inv.max_len("decision_note", "Ý kiến", &note, 5000);
    inv.into_result()?;
    Ok((if approve { ModelStatus::DaDuyet } else { ModelStatus::KhongDuyet }, note))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table() {
        crate::code::assert_table::<ModelStatus>();
    }

    #[test]
    fn decisions() {
        assert_eq!(decide(ModelStatus::DangKy, true, "").unwrap().0, ModelStatus::DaDuyet);
        assert_eq!(decide(ModelStatus::DangKy, false, " Chưa rõ hiệu quả ").unwrap(), (ModelStatus::KhongDuyet, "Chưa rõ hiệu quả".into()));
        assert_eq!(decide(ModelStatus::DangKy, false, "  ").unwrap_err().0[0].field, "decision_note");
        for done in [ModelStatus::DaDuyet, ModelStatus::KhongDuyet] {
            assert_eq!(decide(done, true, "").unwrap_err().0[0].code, "decided");
        }
    }

    #[test]
    fn years() {
        let m = AnnualModelInput { org_id: 1, year: 2027, title: "Chi bộ 4 tốt".into(), ..Default::default() };
        assert!(m.validate(2026).is_ok());
        assert!(m.validate(2025).is_err());
        assert!(AnnualModelInput { year: 3000, ..m.clone() }.validate(2026).is_err());
        assert!(AnnualModelInput { year: 1999, ..m }.validate(2026).is_err());
    }
}
