//! Fostering (bồi dưỡng, plan II.2): what drives the exemplar, the support
//! given, shortcomings and the measures against them, who is responsible, by
//! when.

use crate::clock;
use crate::validate::Invalid;
use dienhinh_text as text;
use serde::{Deserialize, Serialize};
use time::Date;

crate::coded_enum!(
    /// The kind of support given (plan II.2).
    pub enum SupportKind {
        VatChat = "vat_chat": "Vật chất",
        TinhThan = "tinh_than": "Tinh thần",
        KyThuat = "ky_thuat": "Kỹ thuật, chuyên môn",
        KhenThuong = "khen_thuong": "Giải thưởng, khen thưởng",
        ChinhSach = "chinh_sach": "Cơ chế, chính sách",
    }
);

crate::coded_enum!(
    pub enum FosteringStatus {
        DangThucHien = "dang_thuc_hien": "Đang thực hiện",
        HoanThanh = "hoan_thanh": "Hoàn thành",
        Huy = "huy": "Hủy",
    }
);

// A fostering item as typed (API body or form).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct FosteringInput {
    #[serde(default)]
    pub motivation: String,
    // vat_chat, tinh_than, ky_thuat, khen_thuong, chinh_sach
    pub support_kind: String,
    #[serde(default)]
    pub support: String,
    #[serde(default)]
    pub shortcomings: String,
    #[serde(default)]
    pub measures: String,
    #[serde(default)]
    pub responsible: String,
    // ISO date `YYYY-MM-DD`.
    #[serde(default)]
    pub due_on: Option<String>,
}

/// A fostering item ready to store: normalised, codes typed, date checked.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidFostering {
    pub motivation: String,
    pub support_kind: SupportKind,
    pub support: String,
    pub shortcomings: String,
    pub measures: String,
    pub responsible: String,
    pub due_on: Option<String>,
}

impl FosteringInput {
    /// `today`: a new item is due today or later (an item already late
    /// when it is written down is no plan).
    pub fn validate(&self, today: Date) -> Result<ValidFostering, Invalid> {
        let v = ValidFostering {
            motivation: text::normalize(&self.motivation),
            support_kind: SupportKind::from_code(&self.support_kind).unwrap_or(SupportKind::VatChat),
            support: text::normalize(&self.support),
            shortcomings: text::normalize(&self.shortcomings),
            measures: text::normalize(&self.measures),
            responsible: text::normalize_line(&self.responsible),
            due_on: self.due_on.as_deref().map(str::trim).filter(|d| !d.is_empty()).map(str::to_string),
        };
        let mut inv = Invalid::new();
        if SupportKind::from_code(&self.support_kind).is_none() {
            inv.add("support_kind", "invalid", "Vui lòng chọn hình thức hỗ trợ.");
        }
        inv.required("support", "nội dung hỗ trợ", &v.support, 5000);
        for (field, label, value) in
            [("motivation", "Động lực phấn đấu", &v.motivation), ("shortcomings", "Hạn chế", &v.shortcomings), ("measures", "Biện pháp khắc phục", &v.measures)]
        {
            inv.max_len(field, label, value, 5000);
        }
        inv.max_len("responsible", "Người phụ trách", &v.responsible, 300);
        let due = v.due_on.as_deref().map(clock::parse_date);
        match due {
            Some(None) => inv.add("due_on", "invalid", "Hạn hoàn thành không hợp lệ (ngày/tháng/năm)."),
            Some(Some(d)) if d < today => {
                inv.add("due_on", "in_the_past", format!("Hạn hoàn thành phải từ hôm nay ({}) trở đi.", clock::iso_to_vn(&clock::iso(today))))
            }
            _ => {}
        }
        inv.into_result()?;
        Ok(ValidFostering { due_on: due.flatten().map(clock::iso), ..v })
    }
}

/// Still being carried out after its due date.
/// Days ahead within which an open fostering item is "due soon" and needs
/// action now, with the overdue ones.
pub const DUE_SOON_DAYS: i64 = 30;

/// The last due date (ISO) that needs action now, from `today`: overdue
/// items and those due within [`DUE_SOON_DAYS`].
pub fn due_soon_until(today: Date) -> String {
    clock::iso(today + time::Duration::days(DUE_SOON_DAYS))
}

pub fn is_overdue(status: FosteringStatus, due_on: Option<&str>, today: Date) -> bool {
    status == FosteringStatus::DangThucHien && due_on.and_then(clock::parse_iso).is_some_and(|d| d < today)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> FosteringInput {
        FosteringInput { support_kind: "ky_thuat".into(), support: " Tập huấn ".into(), due_on: Some("5/3/2026".into()), ..Default::default() }
    }

    #[test]
    fn tables() {
        crate::code::assert_table::<SupportKind>();
        crate::code::assert_table::<FosteringStatus>();
    }

    #[test]
    fn valid_input_is_normalised_and_dated() {
        let v = input().validate(clock::parse_iso("2026-03-05").unwrap()).unwrap();
        assert_eq!(v.support_kind, SupportKind::KyThuat);
        assert_eq!(v.support, "Tập huấn");
        assert_eq!(v.due_on.as_deref(), Some("2026-03-05"));
    }

    #[test]
    fn every_error_is_reported_at_once() {
        let bad = FosteringInput { support_kind: "x".into(), support: " ".into(), due_on: Some("31/2/2026".into()), responsible: "a".repeat(301), ..input() };
        let fields: Vec<_> = bad.validate(clock::parse_iso("2026-01-01").unwrap()).unwrap_err().0.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["support_kind", "support", "responsible", "due_on"]);
    }

    #[test]
    fn a_due_date_in_the_past_is_refused() {
        let inv = input().validate(clock::parse_iso("2026-03-06").unwrap()).unwrap_err();
        assert_eq!((inv.0[0].field, inv.0[0].code), ("due_on", "in_the_past"));
        assert!(inv.0[0].message.contains("6/3/2026"), "{}", inv.0[0].message);
        let no_due = FosteringInput { due_on: None, ..input() };
        assert!(no_due.validate(clock::parse_iso("2030-01-01").unwrap()).is_ok());
    }

    #[test]
    fn overdue_only_while_in_progress_and_past_due() {
        let today = clock::parse_iso("2026-03-05").unwrap();
        assert!(is_overdue(FosteringStatus::DangThucHien, Some("2026-03-04"), today));
        assert!(!is_overdue(FosteringStatus::DangThucHien, Some("2026-03-05"), today));
        assert!(!is_overdue(FosteringStatus::HoanThanh, Some("2020-01-01"), today));
        assert!(!is_overdue(FosteringStatus::DangThucHien, None, today));
    }
}
