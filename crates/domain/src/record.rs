//! The kinds of record the programme keeps: one registry that the audit log,
//! the search index, org moves and links all read, with exhaustive matches,
//! so that a new kind is one variant here and the compiler names every place
//! that must handle it.

crate::coded_enum!(
    /// A kind of record. The code is the `entity` of audit entries and the
    /// `kind` of search index rows.
    pub enum RecordKind {
        Org = "org": "Tổ chức",
        User = "user": "Người dùng",
        ApiToken = "api_token": "Mã truy cập API",
        Plan = "plan": "Kế hoạch",
        CriteriaSet = "criteria_set": "Bộ tiêu chí",
        Field = "field": "Lĩnh vực",
        Movement = "movement": "Phong trào thi đua",
        Exemplar = "exemplar": "Điển hình",
        Fostering = "fostering": "Bồi dưỡng",
        Evaluation = "evaluation": "Đánh giá",
        Replication = "replication": "Nhân rộng",
        StudyVisit = "study_visit": "Tham quan học tập",
        AnnualModel = "annual_model": "Mô hình hằng năm",
        Attachment = "attachment": "Tệp đính kèm",
    }
);

crate::coded_enum!(
    /// What a write did, as the audit log names it.
    pub enum AuditAction {
        Create = "create": "Tạo mới",
        Update = "update": "Sửa",
        Move = "move": "Chuyển cấp",
        Password = "password": "Đổi mật khẩu",
        SignIn = "sign_in": "Đăng nhập",
        Transition = "transition": "Chuyển bước",
    }
);

/// What the audit log keeps of a write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditPolicy {
    /// Who, when, which record, and the record's JSON before and after.
    Full,
    /// Who, when and which record, never its content (secrets such as API
    /// tokens; secret ballots will need the same).
    NoContent,
}

/// A column that keeps a copy of an organisation's path, rewritten when the
/// organisation (or an ancestor) moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PathColumn {
    pub table: &'static str,
    pub column: &'static str,
    /// The table also keeps the node's depth (the tree itself).
    pub with_depth: bool,
}

macro_rules! path {
    ($table:literal, $column:literal) => {
        PathColumn { table: $table, column: $column, with_depth: false }
    };
}

impl RecordKind {
    /// The table the records live in.
    pub fn table(self) -> &'static str {
        use RecordKind::*;
        match self {
            Org => "orgs",
            User => "users",
            ApiToken => "api_tokens",
            Plan => "plans",
            CriteriaSet => "criteria_sets",
            Field => "fields",
            Movement => "movements",
            Exemplar => "exemplars",
            Fostering => "fostering_items",
            Evaluation => "evaluations",
            Replication => "replications",
            StudyVisit => "study_visits",
            AnnualModel => "annual_models",
            Attachment => "attachments",
        }
    }

    /// The columns of the kind's table that copy an organisation path.
    pub fn path_columns(self) -> &'static [PathColumn] {
        use RecordKind::*;
        match self {
            Org => &[PathColumn { table: "orgs", column: "path", with_depth: true }],
            User => &[path!("users", "org_path")],
            // Tokens and catalogue fields belong to a user or to everyone.
            ApiToken | Field => &[],
            Plan => &[path!("plans", "org_path")],
            CriteriaSet => &[path!("criteria_sets", "org_path")],
            Movement => &[path!("movements", "org_path")],
            Exemplar => &[path!("exemplars", "org_path")],
            Fostering => &[path!("fostering_items", "org_path")],
            Evaluation => &[path!("evaluations", "org_path")],
            Replication => &[path!("replications", "org_path"), path!("replications", "adopter_org_path")],
            StudyVisit => &[path!("study_visits", "org_path")],
            AnnualModel => &[path!("annual_models", "org_path")],
            Attachment => &[path!("attachments", "org_path")],
        }
    }

    /// The column that holds the node a record itself lives at (the first
    /// of its path columns), if it lives at one.
    pub fn own_path_column(self) -> Option<&'static str> {
        self.path_columns().first().map(|c| c.column)
    }

    /// Whether the kind has rows in the search index.
    pub fn searchable(self) -> bool {
        use RecordKind::*;
        match self {
            Org | User | Plan | CriteriaSet | Exemplar => true,
            ApiToken | Field | Movement | Fostering | Evaluation | Replication | StudyVisit | AnnualModel | Attachment => false,
        }
    }

    /// What the audit log keeps of the kind's writes.
    pub fn audit_policy(self) -> AuditPolicy {
        use RecordKind::*;
        match self {
            ApiToken => AuditPolicy::NoContent,
            Org | User | Plan | CriteriaSet | Field | Movement | Exemplar | Fostering | Evaluation | Replication | StudyVisit
            | AnnualModel | Attachment => AuditPolicy::Full,
        }
    }

    /// The page that shows a record of this kind, given the id of the record
    /// whose page it is (a search hit's `link_id`, else its own id). `None`
    /// for kinds shown only inside another record's page without its id.
    pub fn page(self, id: i64) -> Option<String> {
        use RecordKind::*;
        match self {
            Org => Some(format!("/orgs/{id}")),
            User => Some(format!("/users/{id}")),
            Plan | CriteriaSet => Some(format!("/plans/{id}")),
            Exemplar => Some(format!("/exemplars/{id}")),
            ApiToken | Field | Movement | Fostering | Evaluation | Replication | StudyVisit | AnnualModel | Attachment => None,
        }
    }

    /// Kinds that have rows in the search index.
    pub fn searchable_kinds() -> impl Iterator<Item = RecordKind> {
        Self::ALL.iter().copied().filter(|k| k.searchable())
    }

    /// Every column an org move rewrites, the search index's included.
    pub fn all_path_columns() -> Vec<PathColumn> {
        let mut v: Vec<PathColumn> = Self::ALL.iter().flat_map(|k| k.path_columns().iter().copied()).collect();
        // The index is not a record kind but keeps each row's node.
        v.push(path!("search_docs", "org_path"));
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_round_trips() {
        crate::code::assert_table::<RecordKind>();
        crate::code::assert_table::<AuditAction>();
    }

    #[test]
    fn the_tree_is_moved_first_and_once() {
        let cols = RecordKind::all_path_columns();
        assert_eq!(cols[0], PathColumn { table: "orgs", column: "path", with_depth: true });
        let mut seen = std::collections::HashSet::new();
        for c in &cols {
            assert!(seen.insert((c.table, c.column)), "{c:?} twice");
        }
        assert_eq!(cols.iter().filter(|c| c.with_depth).count(), 1);
    }

    #[test]
    fn searchable_kinds_have_pages() {
        for k in RecordKind::searchable_kinds() {
            assert!(k.page(7).is_some(), "{k:?}");
        }
    }
}
