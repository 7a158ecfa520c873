//! The organisation tree: node kinds and materialised paths.

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
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct OrgPath(pub String);

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
        other.0.starts_with(&self.0)
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
    fn kinds_round_trip() {
        crate::code::assert_table::<OrgKind>();
    }
}
