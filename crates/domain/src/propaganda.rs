//! The propaganda log (plan 48-KH/ĐUK II.3 and IV.2): every news item,
//! article, report, video or post a unit made about the exemplars, on which
//! channel, when, and which exemplars it featured.

use crate::clock;
use crate::validate::Invalid;
use dienhinh_text as text;
use serde::{Deserialize, Serialize};

crate::coded_enum!(
    /// What was made (loại tin, bài).
    pub enum ItemType {
        Tin = "tin": "Tin",
        BaiViet = "bai_viet": "Bài viết",
        PhongSu = "phong_su": "Phóng sự",
        ChuyenTrang = "chuyen_trang": "Chuyên trang",
        ChuyenMuc = "chuyen_muc": "Chuyên mục",
        ChuyenDe = "chuyen_de": "Chuyên đề",
        Video = "video": "Video",
        BaiDangMangXaHoi = "bai_dang_mxh": "Bài đăng mạng xã hội",
    }
);

crate::coded_enum!(
    /// Where it was published (kênh).
    pub enum Channel {
        CongThongTin = "cong_thong_tin": "Cổng thông tin",
        TrangWeb = "trang_web": "Trang web",
        MangXaHoi = "mang_xa_hoi": "Mạng xã hội",
        BaoChi = "bao_chi": "Báo chí",
        PhatThanhTruyenHinh = "phat_thanh_truyen_hinh": "Phát thanh – truyền hình",
        BanTinNoiBo = "ban_tin_noi_bo": "Bản tin nội bộ",
    }
);

/// The first year the log takes (the plan's period starts in 2021; older
/// items are allowed back to the start of the programme's predecessors).
pub const FIRST_YEAR: i64 = 2000;
/// Most exemplars one item may feature.
pub const MAX_EXEMPLARS: usize = 50;
/// Longest link kept.
pub const MAX_LINK: usize = 2000;

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct PropagandaInput {
    /// The unit that made it.
    pub org_id: i64,
    /// tin, bai_viet, phong_su, chuyen_trang, chuyen_muc, chuyen_de, video, bai_dang_mxh
    pub item_type: String,
    /// cong_thong_tin, trang_web, mang_xa_hoi, bao_chi, phat_thanh_truyen_hinh, ban_tin_noi_bo
    pub channel: String,
    #[schema(max_length = 300)]
    pub title: String,
    /// Where it can be read or watched: an `http://` or `https://` address (may be empty for print and broadcast).
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub link: String,
    /// The day it was published (YYYY-MM-DD or DD/MM/YYYY), not after today.
    pub published_on: String,
    /// The exemplars it featured (each visible to the caller), at most 50.
    #[serde(default)]
    #[schema(max_items = 50)]
    pub exemplar_ids: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ValidPropaganda {
    pub org_id: i64,
    pub item_type: ItemType,
    pub channel: Channel,
    pub title: String,
    pub link: String,
    pub published_on: String,
    pub year: i64,
    /// Distinct, in the order given.
    pub exemplar_ids: Vec<i64>,
}

impl PropagandaInput {
    /// The fields alone, every error at once; that the unit and the
    /// exemplars exist and are visible is checked against the records.
    pub fn validate(&self, today: time::Date) -> Result<ValidPropaganda, Invalid> {
        let mut inv = Invalid::new();
        let item_type = ItemType::from_code(&self.item_type);
        if item_type.is_none() {
            inv.add("item_type", "invalid", "Vui lòng chọn loại tin, bài.");
        }
        let channel = Channel::from_code(&self.channel);
        if channel.is_none() {
            inv.add("channel", "invalid", "Vui lòng chọn kênh đăng tải.");
        }
        let title = text::normalize_line(&self.title);
        inv.required("title", "tiêu đề", &title, 300);
        let link = text::normalize_line(&self.link);
        if let Err(message) = check_link(&link) {
            inv.add("link", "invalid", message);
        }
        let published_on = clock::parse_date(&self.published_on);
        match published_on {
            None => inv.add("published_on", "invalid", "Ngày đăng không hợp lệ (ví dụ 15/03/2025)."),
            Some(d) if d > today => inv.add("published_on", "future", "Ngày đăng không được sau hôm nay."),
            Some(d) if i64::from(d.year()) < FIRST_YEAR => inv.add("published_on", "out_of_range", format!("Ngày đăng phải từ năm {FIRST_YEAR}.")),
            Some(_) => {}
        }
        let mut exemplar_ids: Vec<i64> = vec![];
        for id in &self.exemplar_ids {
            if !exemplar_ids.contains(id) {
                exemplar_ids.push(*id);
            }
        }
        if exemplar_ids.len() > MAX_EXEMPLARS {
            inv.add("exemplar_ids", "too_many", format!("Một tin, bài gắn với tối đa {MAX_EXEMPLARS} điển hình."));
        }
        inv.into_result()?;
        let day = published_on.expect("checked");
        Ok(ValidPropaganda {
            org_id: self.org_id,
            item_type: item_type.expect("checked"),
            channel: channel.expect("checked"),
            title,
            link,
            published_on: clock::iso(day),
            year: i64::from(day.year()),
            exemplar_ids,
        })
    }
}

/// A link is empty (print, broadcast) or an absolute `http(s)` address with
/// a host and no spaces; anything else (`javascript:`, `data:`, relative
/// paths) would be a trap on the pages that show it.
pub fn check_link(link: &str) -> Result<(), String> {
    if link.is_empty() {
        return Ok(());
    }
    if link.chars().count() > MAX_LINK {
        return Err(format!("Đường dẫn tối đa {MAX_LINK} ký tự."));
    }
    let lower = link.to_ascii_lowercase();
    let rest = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://"));
    let host = rest.map(|r| r.split(['/', '?', '#']).next().unwrap_or(""));
    match host {
        Some(h) if !h.is_empty() && !link.chars().any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '<' || c == '>') => Ok(()),
        _ => Err("Đường dẫn phải là địa chỉ web bắt đầu bằng http:// hoặc https:// (ví dụ https://baochinhphu.vn/…).".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn ok() -> PropagandaInput {
        PropagandaInput {
            org_id: 3,
            item_type: "bai_viet".into(),
            channel: "cong_thong_tin".into(),
            title: "  Gương sáng  ngành điện ".into(),
            link: "https://dangbokhoi.vn/bai-viet/1".into(),
            published_on: "15/03/2025".into(),
            exemplar_ids: vec![7, 8, 7],
        }
    }

    #[test]
    fn tables() {
        crate::code::assert_table::<ItemType>();
        crate::code::assert_table::<Channel>();
        assert_eq!(ItemType::ALL.len(), 8);
        assert_eq!(Channel::ALL.len(), 6);
    }

    #[test]
    fn valid_input_is_normalised() {
        let v = ok().validate(date!(2025 - 12 - 01)).unwrap();
        assert_eq!(v.title, "Gương sáng ngành điện");
        assert_eq!((v.published_on.as_str(), v.year), ("2025-03-15", 2025));
        assert_eq!(v.exemplar_ids, [7, 8]);
        assert_eq!((v.item_type, v.channel), (ItemType::BaiViet, Channel::CongThongTin));
        let no_link = PropagandaInput { link: String::new(), ..ok() };
        assert!(no_link.validate(date!(2025 - 12 - 01)).is_ok());
    }

    #[test]
    fn every_bad_field_at_once() {
        let bad = PropagandaInput {
            org_id: 3,
            item_type: "tin_vit".into(),
            channel: "".into(),
            title: " \n ".into(),
            link: "javascript:alert(1)".into(),
            published_on: "2026-01-02".into(),
            exemplar_ids: (1..=51).collect(),
        };
        let fields: Vec<_> = bad.validate(date!(2025 - 12 - 01)).unwrap_err().0.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["item_type", "channel", "title", "link", "published_on", "exemplar_ids"]);
    }

    #[test]
    fn links() {
        for good in ["", "http://a.vn", "https://www.facebook.com/dangbokhoi/posts/1?x=1#y", "HTTPS://VTV.VN/video"] {
            assert!(check_link(good).is_ok(), "{good}");
        }
        for bad in ["javascript:alert(1)", "data:text/html,<b>", "/relative", "https://", "https:///x", "http://a.vn/x y", "ftp://a.vn", "vtv.vn", "https://a.vn/\"onmouseover=x"] {
            assert!(check_link(bad).is_err(), "{bad}");
        }
        assert!(check_link(&format!("https://a.vn/{}", "x".repeat(MAX_LINK))).is_err());
    }

    #[test]
    fn dates() {
        let today = date!(2025 - 12 - 01);
        assert!(PropagandaInput { published_on: "2025-12-01".into(), ..ok() }.validate(today).is_ok());
        assert_eq!(PropagandaInput { published_on: "1999-12-31".into(), ..ok() }.validate(today).unwrap_err().0[0].code, "out_of_range");
        assert_eq!(PropagandaInput { published_on: "hôm qua".into(), ..ok() }.validate(today).unwrap_err().0[0].code, "invalid");
    }
}
