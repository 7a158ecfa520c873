//! The organisation tree: node kinds and materialised paths.

use crate::validate::Invalid;
use dienhinh_text as text;
use serde::{Deserialize, Serialize};

crate::coded_enum!(
    /// Kinds of node in the Party organisation tree (any depth, any nesting).
    pub enum OrgKind {
        TinhUy = "tinh_uy": "Tỉnh ủy",
        DangUyKhoi = "dang_uy_khoi": "Đảng ủy Khối",
        /// Cơ quan tham mưu, giúp việc (Ban Thường vụ, Ban Tuyên giáo …)
        Ban = "ban": "Ban tham mưu, giúp việc",
        Tccs = "tccs": "TCCS đảng",
        ChiBo = "chi_bo": "Chi bộ",
        DonVi = "don_vi": "Cơ quan, đơn vị, doanh nghiệp",
        DoanThe = "doan_the": "Đoàn thể",
    }
);

/// Materialised path of a node: `/1/5/12/` lists the ids from the root down.
/// A subtree is every path that starts with its root's path, which both
/// SQLite and PostgreSQL answer from an ordinary B-tree index as a range.
/// The default is the empty path, which is no node: it contains nothing
/// (a record not yet placed in the tree).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct OrgPath(pub String);

impl std::fmt::Display for OrgPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl OrgPath {
    pub fn root(id: i64) -> Self {
        OrgPath(format!("/{id}/"))
    }

    pub fn child(&self, id: i64) -> Self {
        OrgPath(format!("{}{id}/", self.0))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True when `self` is `other` or one of its ancestors.
    pub fn contains(&self, other: &OrgPath) -> bool {
        !self.0.is_empty() && other.0.starts_with(&self.0)
    }

    /// Ids from the root down to this node.
    pub fn ids(&self) -> Vec<i64> {
        self.0.split('/').filter_map(|p| p.parse().ok()).collect()
    }

    /// The paths from the root down to this node, itself included: the
    /// nodes whose plans, criteria and movements bind it.
    pub fn lineage(&self) -> Vec<OrgPath> {
        let mut at = String::from("/");
        self.ids().into_iter().map(|id| {
            at.push_str(&format!("{id}/"));
            OrgPath(at.clone())
        }).collect()
    }

    pub fn depth(&self) -> usize {
        self.ids().len()
    }

    /// Exclusive upper bound of the subtree range: `/1/5/` → `/1/50`
    /// (`0` is the byte after `/`), so `path >= self AND path < upper`.
    pub fn subtree_upper_bound(&self) -> String {
        let mut s = self.0.clone();
        s.pop();
        s.push('0');
        s
    }
}

// A node as typed (API body or form).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct OrgInput {
    pub parent_id: Option<i64>,
    pub kind: String,
    pub name: String,
    #[serde(default)]
    pub short_name: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ValidOrg {
    pub parent_id: Option<i64>,
    pub kind: OrgKind,
    pub name: String,
    pub short_name: String,
}

impl OrgInput {
    pub fn validate(&self) -> Result<ValidOrg, Invalid> {
        let name = text::normalize_line(&self.name);
        let short_name = text::normalize_line(&self.short_name);
        let mut inv = Invalid::new();
        inv.required("name", "tên tổ chức", &name, 300);
        inv.max_len("short_name", "Tên viết tắt", &short_name, 60);
        let kind = OrgKind::from_code(&self.kind);
        if kind.is_none() {
            inv.add("kind", "invalid", "Vui lòng chọn loại tổ chức.");
        }
        inv.into_result()?;
        Ok(ValidOrg { parent_id: self.parent_id, kind: kind.expect("checked"), name, short_name })
    }
}

/// A node cannot move into itself or below itself.
pub fn check_move(node: &OrgPath, new_parent: &OrgPath) -> Result<(), Invalid> {
    let mut inv = Invalid::new();
    if node.contains(new_parent) {
        inv.add("parent_id", "cycle", "Không thể chuyển một tổ chức vào chính nó hoặc tổ chức cấp dưới của nó.");
    }
    inv.into_result()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_nest() {
        let root = OrgPath::root(1);
        let child = root.child(5);
        let grandchild = child.child(12);
        assert_eq!(grandchild.as_str(), "/1/5/12/");
        assert!(root.contains(&grandchild));
        assert!(child.contains(&child));
        assert!(!grandchild.contains(&child));
        // `/1/5/` must not contain `/1/50/`, a sibling whose id shares a prefix.
        assert!(!child.contains(&root.child(50)));
        assert_eq!(grandchild.ids(), vec![1, 5, 12]);
        assert!(!OrgPath::default().contains(&root), "the empty path is no node");
        assert_eq!(grandchild.lineage(), vec![root.clone(), child.clone(), grandchild.clone()]);
    }

    #[test]
    fn range_bound_excludes_siblings_sharing_a_prefix() {
        let p = OrgPath("/1/5/".into());
        let upper = p.subtree_upper_bound();
        for inside in ["/1/5/", "/1/5/9/", "/1/5/12/3/"] {
            assert!(inside >= p.as_str() && inside < upper.as_str(), "{inside}");
        }
        for outside in ["/1/50/", "/1/6/", "/1/4/", "/1/"] {
            assert!(!(outside >= p.as_str() && outside < upper.as_str()), "{outside}");
        }
    }

    #[test]
    fn org_input_and_moves() {
        let ok = OrgInput { parent_id: Some(1), kind: "tccs".into(), name: " Đảng bộ  Công ty ".into(), short_name: String::new() };
        assert_eq!(ok.validate().unwrap().name, "Đảng bộ Công ty");
        let bad = OrgInput { kind: "x".into(), name: "".into(), ..ok };
        assert_eq!(bad.validate().unwrap_err().0.len(), 2);
        let p = OrgPath("/1/5/".into());
        assert!(check_move(&p, &p).is_err());
        assert!(check_move(&p, &p.child(9)).is_err());
        assert!(check_move(&p, &OrgPath("/1/50/".into())).is_ok());
    }

    #[test]
    fn kinds_round_trip() {
        crate::code::assert_table::<OrgKind>();
    }
}
