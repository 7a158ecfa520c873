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
        DocumentRegister = "document_register": "Sổ đăng ký văn bản",
        Propaganda = "propaganda": "Tin, bài tuyên truyền",
        Story = "story": "Bài viết cổng thông tin",
        CommendationForm = "commendation_form": "Hình thức khen thưởng",
        CommendationRound = "commendation_round": "Đợt xét khen thưởng",
        Nomination = "nomination": "Hồ sơ đề nghị khen thưởng",
        CouncilSession = "council_session": "Phiên họp bình xét",
        CouncilVote = "council_vote": "Lượt biểu quyết của thành viên Hội đồng",
        Ballot = "ballot": "Phiếu biểu quyết",
        CommendationOutcome = "commendation_outcome": "Quyết định, tờ trình khen thưởng",
        Review = "review": "Báo cáo sơ kết, tổng kết",
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
            DocumentRegister => "document_registers",
            Propaganda => "propaganda_items",
            Story => "stories",
            CommendationForm => "commendation_forms",
            CommendationRound => "commendation_rounds",
            Nomination => "nominations",
            CouncilSession => "council_sessions",
            CouncilVote => "council_votes",
            Ballot => "ballot_counts",
            CommendationOutcome => "commendation_outcomes",
            Review => "review_reports",
        }
    }

    /// The columns of the kind's table that copy an organisation path.
    pub fn path_columns(self) -> &'static [PathColumn] {
        use RecordKind::*;
        match self {
            Org => &[PathColumn { table: "orgs", column: "path", with_depth: true }],
            User => &[path!("users", "org_path")],
            // Tokens and catalogue fields belong to a user or to everyone.
            ApiToken | Field | CommendationForm => &[],
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
            // Each number keeps a copy of its register's node.
            DocumentRegister => &[path!("document_registers", "org_path"), path!("document_numbers", "org_path")],
            Propaganda => &[path!("propaganda_items", "org_path")],
            Story => &[path!("stories", "org_path")],
            CommendationRound => &[path!("commendation_rounds", "org_path")],
            Nomination => &[path!("nominations", "org_path")],
            CouncilSession => &[path!("council_sessions", "org_path")],
            CouncilVote => &[path!("council_votes", "org_path")],
            Ballot => &[path!("ballot_counts", "org_path")],
            CommendationOutcome => &[path!("commendation_outcomes", "org_path")],
            Review => &[path!("review_reports", "org_path")],
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
            Org | User | Plan | CriteriaSet | Exemplar | Propaganda | Story => true,
            ApiToken | Field | Movement | Fostering | Evaluation | Replication | StudyVisit | AnnualModel | Attachment | DocumentRegister
            | CommendationForm | CommendationRound | Nomination | CouncilSession | CouncilVote | Ballot | CommendationOutcome | Review => false,
        }
    }

    /// What the audit log keeps of the kind's writes.
    pub fn audit_policy(self) -> AuditPolicy {
        use RecordKind::*;
        match self {
            // A ballot of a secret vote: never its choice (commendation.rs).
            ApiToken | Ballot => AuditPolicy::NoContent,
            Org | User | Plan | CriteriaSet | Field | Movement | Exemplar | Fostering | Evaluation | Replication | StudyVisit
            | AnnualModel | Attachment | DocumentRegister | Propaganda | Story | CommendationForm | CommendationRound | Nomination
            | CouncilSession | CouncilVote | CommendationOutcome | Review => AuditPolicy::Full,
        }
    }

    /// The page that shows a record of this kind, given the id of the record
    /// whose page it is (a search hit's `link_id`, else its own id). `None`
    /// for kinds shown only inside another record's page without its id.
    pub fn page(self, id: i64) -> Option<String> {
        use RecordKind::*;
        let shown_by = match self {
            // A criteria set is shown on its plan's page.
            CriteriaSet => Plan,
            // Named in routes (`{id}`, `{item}`) but without a page of their own.
            AnnualModel | Attachment | Fostering => return None,
            k => k,
        };
        shown_by.segment().map(|s| format!("/{s}/{id}"))
    }

    /// The path segment that names a record of this kind in routes
    /// (`/orgs/{id}`); routes read a parameter's kind from it.
    pub fn segment(self) -> Option<&'static str> {
        use RecordKind::*;
        match self {
            Org => Some("orgs"),
            User => Some("users"),
            Plan => Some("plans"),
            Exemplar => Some("exemplars"),
            AnnualModel => Some("models"),
            Attachment => Some("attachments"),
            Fostering => Some("fostering"),
            Propaganda => Some("propaganda"),
            Story => Some("stories"),
            CommendationRound => Some("rounds"),
            Nomination => Some("nominations"),
            CouncilSession => Some("sessions"),
            Review => Some("reviews"),
            ApiToken | Field | Movement | CriteriaSet | Evaluation | Replication | StudyVisit | DocumentRegister | CommendationForm | CouncilVote | Ballot
            | CommendationOutcome => None,
        }
    }

    /// The kind a route's path segment names (see [`RecordKind::segment`]).
    pub fn named_by(segment: &str) -> Option<RecordKind> {
        Self::ALL.iter().copied().find(|k| k.segment() == Some(segment))
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

/// What the audit log shows of a field of a record's JSON image: its
/// Vietnamese label, or `None` for what a reader has no use for (ids,
/// versions, paths, sort keys, times the entry itself carries).
pub fn field_label(kind: RecordKind, key: &str) -> Option<&'static str> {
    use RecordKind as K;
    Some(match (kind, key) {
        (_, "id" | "version" | "org_id" | "org_path" | "path" | "depth" | "parent_id" | "exemplar_id" | "plan_id" | "parent_plan_id"
        | "criteria_set_id" | "adopter_org_id" | "created_at" | "updated_at" | "name_key" | "sort_key" | "overdue" | "sha256"
        | "storage_key" | "record_id" | "record_kind" | "register_id" | "created_by") => return None,
        (K::User, "username") => "Tên đăng nhập",
        (K::User, "full_name") => "Họ và tên",
        (K::User, "active") => "Đang hoạt động",
        (K::User, "roles") => "Vai trò",
        (K::Exemplar, "name") => "Tên điển hình",
        (K::Exemplar | K::Org, "kind") => "Loại",
        (K::Exemplar, "unit_name") => "Đơn vị công tác",
        (K::Exemplar, "member_count") => "Số thành viên",
        (K::Exemplar, "achievements") => "Thành tích tiêu biểu",
        (K::Exemplar, "model") => "Mô hình, cách làm hay, sáng kiến",
        (K::Exemplar, "year_found") => "Năm phát hiện",
        (K::Exemplar, "status") => "Giai đoạn",
        (K::Exemplar, "level") => "Cấp",
        (K::Exemplar, "consent_publish") => "Đồng ý công bố",
        (K::Exemplar, "fields") => "Lĩnh vực",
        (K::Exemplar, "movements") => "Phong trào thi đua",
        (K::Org, "short_name") => "Tên viết tắt",
        (K::Fostering, "motivation") => "Động lực phấn đấu",
        (K::Fostering, "support_kind") => "Hình thức hỗ trợ",
        (K::Fostering, "support") => "Nội dung hỗ trợ",
        (K::Fostering, "shortcomings") => "Hạn chế cần khắc phục",
        (K::Fostering, "measures") => "Biện pháp khắc phục",
        (K::Fostering, "responsible") => "Người, bộ phận phụ trách",
        (K::Fostering, "due_on") => "Hạn hoàn thành",
        (K::Fostering | K::AnnualModel, "status") => "Trạng thái",
        (K::Evaluation, "criteria_set_name") => "Bộ tiêu chí",
        (K::Evaluation, "period_year") => "Năm đánh giá",
        (K::Evaluation, "evaluated_on") => "Ngày đánh giá",
        (K::Evaluation, "evaluator") => "Người đánh giá",
        (K::Evaluation, "effect") => "Tác dụng",
        (K::Evaluation, "effectiveness") => "Hiệu quả",
        (K::Evaluation, "potential") => "Khả năng phát triển",
        (K::Evaluation, "influence_unit") => "Ảnh hưởng trong đơn vị",
        (K::Evaluation, "influence_society") => "Ảnh hưởng trong xã hội",
        (K::Evaluation, "difficulties") => "Khó khăn, hạn chế phát hiện",
        (K::Evaluation, "help_decided") => "Biện pháp giúp đỡ đã quyết định",
        (K::Evaluation, "scores") => "Kết quả theo tiêu chí",
        (K::Evaluation, "met_percent") => "Tỷ lệ tiêu chí đạt (%)",
        (K::Replication, "adopter_name") => "Đơn vị học tập",
        (K::Replication, "adopted_on") => "Ngày áp dụng",
        (K::Replication, "how") => "Cách thức",
        (K::Replication, "note") => "Ghi chú",
        (K::StudyVisit, "visited_on") => "Ngày tham quan",
        (K::StudyVisit, "visiting_units") => "Đơn vị tham quan",
        (K::StudyVisit, "participants") => "Số người tham gia",
        (K::StudyVisit, "lessons") => "Bài học kinh nghiệm",
        (K::AnnualModel, "org_name") => "Đơn vị",
        (K::AnnualModel, "year") => "Năm",
        (K::AnnualModel, "title") => "Tên mô hình",
        (K::AnnualModel, "description") => "Mô tả",
        (K::AnnualModel, "decision_note") => "Ý kiến của cấp ủy",
        (K::AnnualModel, "decided_by") => "Người quyết định",
        (K::Plan, "number") => "Số",
        (K::Plan, "issuing_body") => "Cơ quan ban hành",
        (K::Plan, "issued_on") => "Ngày ban hành",
        (K::Plan, "title") => "Trích yếu",
        (K::Plan, "bases") => "Căn cứ",
        (K::Plan, "body") => "Nội dung",
        (K::Plan, "signer_authority") => "Thẩm quyền ký",
        (K::Plan, "signer_title") => "Chức vụ người ký",
        (K::Plan, "signer_name") => "Người ký",
        (K::Plan, "recipients") => "Nơi nhận",
        (K::Plan | K::CriteriaSet, "period_from") => "Từ năm",
        (K::Plan | K::CriteriaSet, "period_to") => "Đến năm",
        (K::CriteriaSet, "criteria") => "Tiêu chí",
        (K::Movement, "launched_by") => "Đơn vị phát động",
        (K::Movement, "year_from") => "Từ năm",
        (K::Movement, "year_to") => "Đến năm",
        (K::Propaganda, "item_type") => "Loại tin, bài",
        (K::Propaganda, "channel") => "Kênh đăng tải",
        (K::Propaganda, "title") => "Tiêu đề",
        (K::Propaganda, "link") => "Đường dẫn",
        (K::Propaganda, "published_on") => "Ngày đăng",
        (K::Propaganda, "year") => "Năm",
        (K::Propaganda, "exemplars") => "Điển hình được giới thiệu",
        (K::Story, "title") => "Tiêu đề",
        (K::Story, "summary") => "Tóm tắt",
        (K::Story, "body") => "Nội dung",
        (K::Story, "status") => "Trạng thái biên tập",
        (K::Story, "review_note") => "Ý kiến biên tập",
        (K::Story, "unpublish_reason") => "Lý do gỡ bài",
        (K::Story, "facts_match") => "Thông tin khớp hồ sơ",
        (K::Story, "no_exaggeration") => "Không cường điệu",
        (K::Story, "consent") => "Đã có sự đồng ý",
        (K::Story, "images_allowed") => "Hình ảnh được phép đăng",
        (K::Story, "exemplars") => "Điển hình",
        (K::Attachment, "file_name") => "Tên tệp",
        (K::Attachment, "content_type") => "Loại tệp",
        (K::Attachment, "size") => "Dung lượng (byte)",
        (K::DocumentRegister, "abbreviation") => "Tên viết tắt trong ký hiệu",
        (K::DocumentRegister, "place") => "Địa danh",
        (K::DocumentRegister, "term_from") => "Năm đầu nhiệm kỳ",
        (K::DocumentRegister, "term_to") => "Năm cuối nhiệm kỳ",
        (K::DocumentRegister, "doc_type") => "Loại văn bản",
        (K::DocumentRegister, "number") => "Số",
        (K::DocumentRegister, "symbol") => "Số, ký hiệu",
        (K::DocumentRegister, "origin") => "Nguồn",
        (K::DocumentRegister, "subject") => "Trích yếu",
        (K::CommendationRound, "form_name") => "Hình thức khen thưởng",
        (K::CommendationRound, "deadline") => "Hạn nộp hồ sơ",
        (K::CommendationRound, "basis") => "Căn cứ (Quy chế hoạt động của Hội đồng)",
        (K::CommendationRound, "threshold_percent") => "Ngưỡng đồng ý (%)",
        (K::CommendationRound | K::CommendationOutcome, "year") => "Năm",
        (K::Nomination, "exemplar_name") => "Điển hình",
        (K::Nomination | K::CouncilSession, "status") => "Trạng thái",
        (K::Nomination, "report") => "Báo cáo thành tích",
        (K::Nomination, "confirmation") => "Xác nhận của cấp ủy",
        (K::CouncilSession, "held_on") => "Ngày họp",
        (K::CouncilSession, "place") => "Địa điểm",
        (K::CouncilSession, "present") => "Số thành viên có mặt",
        (K::CouncilVote, "member_name") => "Thành viên",
        (K::CouncilVote, "written") => "Phiếu bằng văn bản",
        (K::CouncilVote, "choice") => "Biểu quyết",
        (K::CommendationOutcome, "number") => "Số, ký hiệu",
        (K::CommendationOutcome, "issued_on") => "Ngày ban hành",
        (K::CommendationOutcome, "signer") => "Người ký",
        (K::Review, "period_from") => "Từ năm",
        (K::Review, "period_to") => "Đến năm",
        (K::Review, "status") => "Trạng thái",
        (K::Review, "results") => "Kết quả đạt được",
        (K::Review, "shortcomings") => "Hạn chế và nguyên nhân",
        (K::Review, "lessons") => "Bài học kinh nghiệm",
        (K::Review, "tasks") => "Phương hướng, nhiệm vụ",
        (K::Review, "symbol") => "Số, ký hiệu",
        (_, "name") => "Tên",
        (_, "position") => "Chức vụ",
        (_, "org_name") => "Đơn vị",
        _ => return None,
    })
}

/// The Vietnamese label of a code a record's image holds in `key` (a
/// role inside `roles`, a result inside `scores`, …), read through the code
/// table that field takes; `None` when the field holds no code or the code
/// is unknown.
pub fn code_label(kind: RecordKind, key: &str, code: &str) -> Option<&'static str> {
    use crate::code::Coded;
    use RecordKind as K;
    fn label<T: Coded>(code: &str) -> Option<&'static str> {
        T::from_code(code).map(|v| v.label())
    }
    match (kind, key) {
        (K::Exemplar, "kind") => label::<crate::exemplar::ExemplarKind>(code),
        (K::Exemplar, "status") => label::<crate::exemplar::Status>(code),
        (K::Exemplar, "level") => label::<crate::exemplar::Level>(code),
        (K::Org, "kind") => label::<crate::org::OrgKind>(code),
        (K::Fostering, "support_kind") => label::<crate::fostering::SupportKind>(code),
        (K::Fostering, "status") => label::<crate::fostering::FosteringStatus>(code),
        (K::Replication, "how") => label::<crate::spread::How>(code),
        (K::AnnualModel, "status") => label::<crate::annual_model::ModelStatus>(code),
        (K::Propaganda, "item_type") => label::<crate::propaganda::ItemType>(code),
        (K::Propaganda, "channel") => label::<crate::propaganda::Channel>(code),
        (K::Story, "status") => label::<crate::story::StoryStatus>(code),
        (K::User, "role") => label::<crate::access::Role>(code),
        (K::Nomination, "status") => label::<crate::commendation::NominationStatus>(code),
        (K::CouncilSession, "status") => label::<crate::commendation::SessionStatus>(code),
        (K::CouncilVote, "choice") => label::<crate::commendation::Choice>(code),
        (K::Evaluation, "result") => label::<crate::evaluation::EvalResult>(code),
        (K::CriteriaSet, "applies_to") => label::<crate::evaluation::AppliesTo>(code),
        (K::DocumentRegister, "doc_type") => label::<crate::document::DocType>(code),
        (K::DocumentRegister, "origin") => label::<crate::document::Origin>(code),
        (K::Review, "status") => label::<crate::review::ReviewStatus>(code),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn route_segments_name_one_kind_each_and_pages_use_them() {
        for k in RecordKind::ALL {
            if let Some(s) = k.segment() {
                assert_eq!(RecordKind::named_by(s), Some(*k), "{s}");
            }
        }
        assert_eq!(RecordKind::CriteriaSet.page(4).as_deref(), Some("/plans/4"));
        assert_eq!(RecordKind::CouncilSession.page(7).as_deref(), Some("/sessions/7"));
        assert_eq!(RecordKind::AnnualModel.page(1), None);
        assert_eq!(RecordKind::named_by("models"), Some(RecordKind::AnnualModel));
    }

    #[test]
    fn audit_fields_read_in_vietnamese() {
        assert_eq!(field_label(RecordKind::Exemplar, "status"), Some("Giai đoạn"));
        assert_eq!(field_label(RecordKind::Exemplar, "version"), None);
        assert_eq!(code_label(RecordKind::Exemplar, "status", "boi_duong"), Some(crate::exemplar::Status::BoiDuong.label()));
        assert_eq!(code_label(RecordKind::AnnualModel, "status", "da_duyet"), Some(crate::annual_model::ModelStatus::DaDuyet.label()));
        assert_eq!(code_label(RecordKind::Exemplar, "name", "boi_duong"), None);
    }

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
