//! Success announced after a write: the page that saved redirects with a
//! short-lived cookie naming what was done (a code of [`Done`], never free
//! text, so nothing can be injected through it); the next page shows its
//! message in the layout (`role="status"`, read out by screen readers) and
//! the cookie is cleared once a page has shown it (`auth::layer`).

use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};

pub const FLASH_COOKIE: &str = "dh_flash";
/// Long enough for the redirect to be followed, short enough not to be
/// shown on some later, unrelated page.
const MAX_AGE_SECS: i64 = 60;

macro_rules! done {
    ($($variant:ident = $code:literal: $message:literal,)*) => {
        /// What a page form did, as announced on the next page.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Done { $($variant,)* }

        impl Done {
            pub const ALL: &'static [Done] = &[$(Done::$variant,)*];
            pub fn code(self) -> &'static str {
                match self { $(Done::$variant => $code,)* }
            }
            pub fn message(self) -> &'static str {
                match self { $(Done::$variant => $message,)* }
            }
            pub fn from_code(code: &str) -> Option<Done> {
                Done::ALL.iter().copied().find(|d| d.code() == code)
            }
        }
    };
}

done! {
    ExemplarCreated = "exemplar_created": "Đã thêm điển hình.",
    ExemplarSaved = "exemplar_saved": "Đã lưu thay đổi của điển hình.",
    StepTaken = "step_taken": "Đã ghi nhận bước xét duyệt vào quá trình của điển hình.",
    FosteringAdded = "fostering_added": "Đã thêm nội dung bồi dưỡng.",
    FosteringChanged = "fostering_changed": "Đã cập nhật tình trạng nội dung bồi dưỡng.",
    EvaluationAdded = "evaluation_added": "Đã lưu kết quả đánh giá.",
    ReplicationAdded = "replication_added": "Đã ghi nhận đơn vị nhân rộng.",
    VisitAdded = "visit_added": "Đã ghi nhận buổi tham quan, học tập.",
    FileAdded = "file_added": "Đã tải lên minh chứng.",
    OrgCreated = "org_created": "Đã thêm tổ chức.",
    RoundCreated = "round_created": "Đã mở đợt xét khen thưởng.",
    OrgSaved = "org_saved": "Đã lưu thay đổi của tổ chức.",
    OrgMoved = "org_moved": "Đã chuyển tổ chức sang đơn vị cấp trên mới.",
    UserCreated = "user_created": "Đã tạo người dùng.",
    CatalogSaved = "catalog_saved": "Đã lưu vào danh mục.",
    ModelRegistered = "model_registered": "Đã đăng ký mô hình.",
    ModelDecided = "model_decided": "Đã ghi kết quả xét duyệt mô hình.",
    PasswordChanged = "password_changed": "Đã đổi mật khẩu.",
    Nominated = "nominated": "Đã lập hồ sơ, nội dung báo cáo thành tích được điền sẵn từ dữ liệu của điển hình: hãy hoàn thiện rồi gửi.",
    DossierSaved = "dossier_saved": "Đã lưu hồ sơ.",
    NominationStepTaken = "nomination_step": "Đã chuyển bước hồ sơ.",
    DossierFileAdded = "dossier_file_added": "Đã đính kèm tệp vào hồ sơ.",
    StoryImageAdded = "story_image_added": "Đã tải ảnh lên bài viết.",
    SessionOpened = "session_opened": "Đã mở phiên bình xét.",
    VoteRecorded = "vote_recorded": "Đã ghi nhận phiếu biểu quyết.",
    SessionClosed = "session_closed": "Đã kết thúc phiên bình xét.",
    OutcomeRecorded = "outcome_recorded": "Đã ghi kết quả của đợt xét khen thưởng.",
    PropagandaAdded = "propaganda_added": "Đã ghi nhận tin, bài tuyên truyền.",
    PropagandaSaved = "propaganda_saved": "Đã lưu tin, bài tuyên truyền.",
    StoryCreated = "story_created": "Đã tạo bài viết.",
    StorySaved = "story_saved": "Đã lưu bài viết.",
    StoryStepTaken = "story_step": "Đã chuyển bước bài viết.",
    ReviewCreated = "review_created": "Đã lập dự thảo báo cáo; số liệu được lấy từ dữ liệu, hãy viết các phần nội dung rồi gửi.",
    ReviewSaved = "review_saved": "Đã lưu nội dung báo cáo.",
    ReviewStepTaken = "review_step": "Đã chuyển bước báo cáo.",
}

impl Done {
    /// The section of the landing page the write belongs to (its anchor).
    /// The redirect goes there and the page shows the announcement inside
    /// it: at the top of the page it would be scrolled out of view.
    pub fn section(self) -> Option<&'static str> {
        match self {
            Done::FosteringAdded | Done::FosteringChanged => Some("boi-duong"),
            Done::ReplicationAdded | Done::VisitAdded => Some("nhan-rong"),
            Done::FileAdded => Some("minh-chung"),
            Done::DossierFileAdded => Some("tep"),
            Done::StoryImageAdded => Some("anh"),
            Done::EvaluationAdded => Some("danh-gia"),
            _ => None,
        }
    }
}

/// A redirect to `to` (after a successful write) that announces `done`,
/// at its section if it has one.
pub fn redirect(to: &str, done: Done, secure: bool) -> Response {
    let to = match done.section() {
        Some(s) => format!("{to}#{s}"),
        None => to.to_string(),
    };
    let mut res = Redirect::to(&to).into_response();
    if let Ok(v) = crate::auth::set_cookie(FLASH_COOKIE, done.code(), MAX_AGE_SECS, secure).parse() {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

/// The header that clears the cookie once its message was shown.
pub fn cleared(secure: bool) -> String {
    crate::auth::set_cookie(FLASH_COOKIE, "", 0, secure)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_read_back() {
        for d in Done::ALL {
            assert_eq!(Done::from_code(d.code()), Some(*d));
            assert!(d.message().starts_with("Đã"));
        }
        assert_eq!(Done::from_code("<script>"), None);
    }
}
