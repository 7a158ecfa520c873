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

impl OrgKind {
    /// What may stand directly under a node of this kind, following the
    /// Party structure of the plan: the province (Tỉnh ủy) holds the bloc
    /// (Đảng ủy Khối, and a Huyện ủy at the same level), its advisory
    /// departments (Ban), grassroots organisations (TCCS), agencies and
    /// unions; the bloc holds the same but no other bloc; a TCCS holds its
    /// chi bộ, the agency or enterprise it leads and its unions; an agency
    /// holds its departments and unions; a union holds its own branches. A
    /// chi bộ (the lowest Party cell) and a Ban (a department of its cấp
    /// ủy) hold nothing.
    pub fn may_hold(self, child: OrgKind) -> bool {
        use OrgKind::*;
        match self {
            TinhUy => matches!(child, DangUyKhoi | Ban | Tccs | DonVi | DoanThe),
            DangUyKhoi => matches!(child, Ban | Tccs | DonVi | DoanThe),
            Tccs => matches!(child, ChiBo | DonVi | DoanThe),
            DonVi => matches!(child, DonVi | DoanThe),
            DoanThe => child == DoanThe,
            ChiBo | Ban => false,
        }
    }

    /// Kinds that may head a tree (no parent): a Tỉnh ủy or an Đảng ủy Khối.
    pub fn may_be_root(self) -> bool {
        matches!(self, OrgKind::TinhUy | OrgKind::DangUyKhoi)
    }

    /// The kind a new node under this one most often has (offered first),
    /// or `None` when nothing may stand under it.
    pub fn default_child(self) -> Option<OrgKind> {
        use OrgKind::*;
        match self {
            TinhUy => Some(DangUyKhoi),
            DangUyKhoi => Some(Tccs),
            Tccs => Some(ChiBo),
            DonVi => Some(DonVi),
            DoanThe => Some(DoanThe),
            ChiBo | Ban => None,
        }
    }

    /// The kinds that may stand under this one, in display order.
    pub fn children(self) -> Vec<OrgKind> {
        OrgKind::ALL.iter().copied().filter(|k| self.may_hold(*k)).collect()
    }
}

/// `Err` on `field` when a node of kind `child` may not stand under a node
/// of kind `parent` (`None`: at the root), naming both kinds.
pub fn check_nesting(field: &'static str, parent: Option<OrgKind>, child: OrgKind) -> Result<(), Invalid> {
    let mut inv = Invalid::new();
    match parent {
        Some(p) if !p.may_hold(child) => {
            let allowed = p.children();
            let tail = if allowed.is_empty() {
                format!("«{}» không có tổ chức trực thuộc.", p.label())
            } else {
                format!("Trực thuộc «{}» chỉ có thể là: {}.", p.label(), allowed.iter().map(|k| k.label()).collect::<Vec<_>>().join(", "))
            };
            inv.add(field, "nesting", format!("Không thể đặt «{}» trực thuộc «{}». {tail}", child.label(), p.label()));
        }
        None if !child.may_be_root() => {
            inv.add(field, "nesting", format!("«{}» phải trực thuộc một tổ chức cấp trên.", child.label()));
        }
        _ => {}
    }
    inv.into_result()
}

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

    /// `/`: the whole tree, every root's subtree (the public portal's
    /// scope, and a caller whose roles hold every root).
    pub fn whole_tree() -> Self {
        OrgPath("/".into())
    }

    pub fn is_whole_tree(&self) -> bool {
        self.0 == "/"
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
    fn nesting_follows_the_party_structure() {
        use OrgKind::*;
        // The whole table, parent × child, so any change to the rule is seen here.
        let table = [
            (TinhUy, vec![DangUyKhoi, Ban, Tccs, DonVi, DoanThe]),
            (DangUyKhoi, vec![Ban, Tccs, DonVi, DoanThe]),
            (Tccs, vec![ChiBo, DonVi, DoanThe]),
            (DonVi, vec![DonVi, DoanThe]),
            (DoanThe, vec![DoanThe]),
            (ChiBo, vec![]),
            (Ban, vec![]),
        ];
        for (parent, children) in &table {
            for child in OrgKind::ALL {
                assert_eq!(parent.may_hold(*child), children.contains(child), "{parent:?} holds {child:?}");
                assert_eq!(check_nesting("kind", Some(*parent), *child).is_ok(), children.contains(child));
            }
            assert_eq!(&parent.children(), children);
            // The default is one of the kinds allowed, and there is one whenever any is.
            match parent.default_child() {
                Some(d) => assert!(parent.may_hold(d), "{parent:?}"),
                None => assert!(children.is_empty(), "{parent:?}"),
            }
        }
        assert_eq!(Tccs.default_child(), Some(ChiBo), "under a TCCS a new unit is a chi bộ, not another TCCS");
        assert!(!Tccs.may_hold(Tccs));
        for k in OrgKind::ALL {
            assert_eq!(check_nesting("kind", None, *k).is_ok(), matches!(k, TinhUy | DangUyKhoi), "{k:?} as a root");
        }
        // The message names both kinds.
        let e = check_nesting("kind", Some(Tccs), Tccs).unwrap_err();
        assert_eq!(e.0[0].field, "kind");
        assert!(e.0[0].message.contains("«TCCS đảng» trực thuộc «TCCS đảng»"), "{}", e.0[0].message);
        let e = check_nesting("parent_id", Some(ChiBo), DonVi).unwrap_err();
        assert!(e.0[0].message.contains("Cơ quan, đơn vị, doanh nghiệp") && e.0[0].message.contains("Chi bộ"), "{}", e.0[0].message);
    }

    #[test]
    fn kinds_round_trip() {
        crate::code::assert_table::<OrgKind>();
    }
}
