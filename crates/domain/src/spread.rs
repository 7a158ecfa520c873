//! The spread (sức lan tỏa, plan II.6) of an exemplar: units that adopted
//! its model (nhân rộng) and study visits to it (tham quan học tập).

use crate::clock;
use crate::validate::Invalid;
use dienhinh_text as text;
use serde::{Deserialize, Serialize};

crate::coded_enum!(
    /// How a unit came to adopt the practice.
    pub enum How {
        ThamQuan = "tham_quan": "Sau chuyến tham quan học tập",
        TuyenTruyen = "tuyen_truyen": "Qua tin, bài tuyên truyền",
        HoiNghi = "hoi_nghi": "Qua hội nghị, tọa đàm",
        HuongDan = "huong_dan": "Theo hướng dẫn của cấp trên",
        Khac = "khac": "Hình thức khác",
    }
);

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct ReplicationInput {
    pub adopter_org_id: i64,
    pub adopted_on: String,
    // tham_quan, tuyen_truyen, hoi_nghi, huong_dan, khac
    pub how: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ValidReplication {
    pub adopter_org_id: i64,
    pub adopted_on: String,
    pub how: How,
    pub note: String,
}

impl ReplicationInput {
    /// The fields alone; that the adopter exists, is visible and differs
    /// from the exemplar's unit is checked against the records.
    pub fn validate(&self) -> Result<ValidReplication, Invalid> {
        let mut inv = Invalid::new();
        let adopted_on = clock::parse_date(&self.adopted_on);
        if adopted_on.is_none() {
            inv.add("adopted_on", "invalid", "Ngày áp dụng không hợp lệ.");
        }
        let how = How::from_code(&self.how);
        if how.is_none() {
            inv.add("how", "invalid", "Vui lòng chọn hình thức học tập.");
        }
        let note = text::normalize(&self.note);
        inv.max_len("note", "Ghi chú", &note, 5000);
        inv.into_result()?;
        Ok(ValidReplication { adopter_org_id: self.adopter_org_id, adopted_on: clock::iso(adopted_on.expect("checked")), how: how.expect("checked"), note })
    }
}

/// The adopter must be another unit than the exemplar's own.
pub fn check_adopter(adopter_org_id: i64, exemplar_org_id: i64) -> Result<(), Invalid> {
    let mut inv = Invalid::new();
    if adopter_org_id == exemplar_org_id {
        inv.add("adopter_org_id", "same_unit", "Đơn vị nhân rộng phải khác đơn vị của điển hình.");
    }
    inv.into_result()
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct StudyVisitInput {
    pub visited_on: String,
    /// The visiting units, as written (one per line).
    pub visiting_units: String,
    pub participants: i64,
    #[serde(default)]
    pub lessons: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ValidStudyVisit {
    pub visited_on: String,
    pub visiting_units: String,
    pub participants: i64,
    pub lessons: String,
}

impl StudyVisitInput {
    pub fn validate(&self) -> Result<ValidStudyVisit, Invalid> {
        let mut inv = Invalid::new();
        let visited_on = clock::parse_date(&self.visited_on);
        if visited_on.is_none() {
            inv.add("visited_on", "invalid", "Ngày tham quan không hợp lệ.");
        }
        let visiting_units = text::normalize(&self.visiting_units);
        inv.required("visiting_units", "các đơn vị tham quan", &visiting_units, 5000);
        if !(1..=100_000).contains(&self.participants) {
            inv.add("participants", "out_of_range", "Số người tham gia phải từ 1 đến 100.000.");
        }
        let lessons = text::normalize(&self.lessons);
        inv.max_len("lessons", "Bài học kinh nghiệm", &lessons, 10_000);
        inv.into_result()?;
        Ok(ValidStudyVisit { visited_on: clock::iso(visited_on.expect("checked")), visiting_units, participants: self.participants, lessons })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table() {
        crate::code::assert_table::<How>();
    }

    #[test]
    fn replication() {
        let ok = ReplicationInput { adopter_org_id: 4, adopted_on: "2025-10-02".into(), how: "hoi_nghi".into(), note: " x ".into() };
        let v = ok.validate().unwrap();
        assert_eq!((v.how, v.note.as_str()), (How::HoiNghi, "x"));
        let bad = ReplicationInput { adopted_on: "hôm qua".into(), how: "".into(), ..ok };
        let fields: Vec<_> = bad.validate().unwrap_err().0.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["adopted_on", "how"]);
        assert!(check_adopter(3, 3).is_err());
        assert!(check_adopter(3, 4).is_ok());
    }

    #[test]
    fn visit() {
        let ok = StudyVisitInput { visited_on: "2025-04-20".into(), visiting_units: "Chi bộ A".into(), participants: 30, lessons: String::new() };
        assert_eq!(ok.validate().unwrap().participants, 30);
        let bad = StudyVisitInput { participants: 0, visiting_units: "\n".into(), ..ok };
        let fields: Vec<_> = bad.validate().unwrap_err().0.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["visiting_units", "participants"]);
    }
}
