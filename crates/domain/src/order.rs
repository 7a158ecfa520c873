//! The orders each list is offered in. The first entry of each table is
//! the list's default; a code outside the table is refused (the page says
//! so beside the control, the API answers 422), never silently replaced.
//!
//! What a code sorts on (the key column or expression, its direction) is
//! the store's business (`store::page::SortKey`); here is only the choice.

use crate::Coded;

crate::coded_enum!(
    /// The orders the list of exemplars is offered in.
    pub enum ExemplarOrder {
    Newest = "moi": "Mới nhập trước",
    Name = "ten": "Tên (A → Z)",
    Year = "nam": "Năm phát hiện (gần nhất trước)",
    Stage = "giai_doan": "Giai đoạn (phát hiện → dừng)",
});

crate::coded_enum!(
    /// The orders of the list of units.
    pub enum OrgOrder {
    Name = "ten": "Tên (A → Z)",
    Newest = "moi": "Mới tạo trước",
});

crate::coded_enum!(
    /// The orders of the list of people.
    pub enum UserOrder {
    Name = "ten": "Họ và tên (A → Z)",
    Newest = "moi": "Mới tạo trước",
});

crate::coded_enum!(
    /// The orders of the audit log.
    pub enum AuditOrder {
    Newest = "moi": "Mới nhất trước",
    Oldest = "cu": "Cũ nhất trước",
});

crate::coded_enum!(
    /// The orders of the list of plans (by the day issued).
    pub enum PlanOrder {
    Newest = "moi": "Ban hành gần nhất trước",
    Oldest = "cu": "Ban hành sớm nhất trước",
});

crate::coded_enum!(
    /// The orders of the propaganda list (by the day published).
    pub enum PropagandaOrder {
    Newest = "moi": "Đăng gần nhất trước",
    Oldest = "cu": "Đăng sớm nhất trước",
});

crate::coded_enum!(
    /// The orders of the list of stories.
    pub enum StoryOrder {
    Newest = "moi": "Mới viết trước",
    Status = "trang_thai": "Trạng thái (nháp → đã gỡ)",
});

crate::coded_enum!(
    /// The orders of the list of commendation rounds (by year).
    pub enum RoundOrder {
    Newest = "moi": "Năm gần nhất trước",
    Oldest = "cu": "Năm sớm nhất trước",
});

crate::coded_enum!(
    /// The order of a round's board: by unit (its place in the tree), so
    /// that a unit's dossiers stand together.
    pub enum BoardOrder {
    ByUnit = "don_vi": "Theo đơn vị",
});

crate::coded_enum!(
    /// The orders of the list of review reports.
    pub enum ReviewOrder {
    Newest = "moi": "Kỳ gần nhất trước",
    Status = "trang_thai": "Trạng thái (đang soạn → đã tiếp nhận)",
});

/// The order a list shows when none is asked for: the table's first entry.
pub fn default<T: Coded>() -> T {
    T::ALL[0]
}

/// The order asked for: blank is the default; `Err` for a code outside the
/// table (the caller reports it and shows the default).
#[allow(clippy::result_unit_err)] // the only failure is "not in the table"; the caller words it
pub fn parse<T: Coded>(raw: &str) -> Result<T, ()> {
    match raw.trim() {
        "" => Ok(default()),
        c => T::from_code(c).ok_or(()),
    }
}

/// The Vietnamese message for an order code outside the table.
pub const UNKNOWN_ORDER: &str = "Cách sắp xếp không hợp lệ; đang sắp theo mặc định.";
/// The Vietnamese message for a page position that cannot be used.
pub const BAD_POSITION: &str = "Vị trí trang không hợp lệ; đang hiện từ trang đầu.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_is_the_first_entry_and_unknown_is_refused() {
        assert_eq!(parse::<OrgOrder>(""), Ok(OrgOrder::Name));
        assert_eq!(parse::<AuditOrder>(" "), Ok(AuditOrder::Newest));
        assert_eq!(parse::<StoryOrder>("trang_thai"), Ok(StoryOrder::Status));
        assert_eq!(parse::<UserOrder>("DROP"), Err(()));
        // The exemplar list kept its default when the table moved here.
        assert_eq!(default::<ExemplarOrder>(), ExemplarOrder::Newest);
    }
}
