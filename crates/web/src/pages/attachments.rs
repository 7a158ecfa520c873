//! Evidence files of an exemplar: upload (multipart, CSRF token in the
//! query string since the body is not a urlencoded form) and download.

use crate::pages::done;
use crate::flash::Done;
use crate::access::Authorized;
use crate::auth::Signed;
use super::exemplars::{refused_form, Again};
use crate::error::PageResult;
use crate::AppState;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use dienhinh_store::exemplars::Exemplar;
use dienhinh_store::files::{self, Attachment, Kind};
use dienhinh_store::StoreError;

/// "The file is over the limit", as the upload form shows it.
pub fn too_large_message() -> String {
    format!("Tệp lớn quá {} MB; hãy chọn tệp nhỏ hơn (hoặc nén, chia nhỏ).", files::MAX_FILE_BYTES / 1024 / 1024)
}

/// The body of an upload: a multipart form, else a `bad_request` refusal
/// (field `file`) in Vietnamese instead of the extractor's English text.
pub fn multipart(mp: Result<Multipart, MultipartRejection>) -> Result<Multipart, StoreError> {
    mp.map_err(|r| {
        if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
            StoreError::invalid("file", "too_large", too_large_message())
        } else {
            StoreError::invalid("file", "bad_request", "Tệp phải được gửi bằng biểu mẫu tải lên (multipart/form-data, trường file).")
        }
    })
}

/// The first file field of a multipart body: (file name, bytes).
pub async fn read_file(mut mp: Multipart) -> Result<(String, Vec<u8>), StoreError> {
    let too_large = || StoreError::invalid("file", "too_large", too_large_message());
    while let Some(field) = mp.next_field().await.map_err(|e| if e.status() == StatusCode::PAYLOAD_TOO_LARGE { too_large() } else { StoreError::invalid("file", "invalid", "Tệp gửi lên không hợp lệ.") })? {
        if field.file_name().is_some() || field.name() == Some("file") {
            let name = field.file_name().unwrap_or("tep").to_string();
            let bytes = field.bytes().await.map_err(|e| if e.status() == StatusCode::PAYLOAD_TOO_LARGE { too_large() } else { StoreError::invalid("file", "invalid", "Tệp gửi lên không hợp lệ.") })?;
            return Ok((name, bytes.to_vec()));
        }
    }
    Err(StoreError::invalid("file", "empty", "Vui lòng chọn tệp cần đính kèm."))
}

/// Uploads a file; a refusal (not multipart, too large, not a type we keep)
/// re-shows the exemplar with the message at its attachments section.
pub async fn upload(State(st): State<AppState>, Signed(me): Signed, Authorized(e): Authorized<Exemplar>, mp: Result<Multipart, MultipartRejection>) -> PageResult {
    let id = e.id;
    let result = match multipart(mp) {
        Ok(mp) => match read_file(mp).await {
            Ok((name, bytes)) => files::attach(&st.db, &st.files, &me.actor(), dienhinh_domain::RecordKind::Exemplar, e.id, &name, bytes).await,
            Err(err) => Err(err),
        },
        Err(err) => Err(err),
    };
    match result {
        Ok(_) => done(&st, &format!("/exemplars/{id}"), Done::FileAdded),
        Err(err) => refused_form(&st, &me, id, err, Again { form: "attachment", ..Default::default() }).await,
    }
}

/// Serves a file with the type found at upload, as an attachment unless it
/// is an image or a PDF (shown inline); `nosniff` and the strict CSP apply.
pub async fn download(State(st): State<AppState>, Authorized(a): Authorized<Attachment>) -> PageResult {
    let bytes = st.files.get(&a.storage_key).await?;
    let kind = Kind::from_content_type(&a.content_type);
    let inline = kind.is_some_and(|k| k.is_image() || k == Kind::Pdf);
    let disposition = format!(
        "{}; filename=\"{}\"; filename*=UTF-8''{}",
        if inline { "inline" } else { "attachment" },
        a.file_name.chars().map(|c| if c.is_ascii_alphanumeric() || ".-_".contains(c) { c } else { '_' }).collect::<String>(),
        crate::auth::urlencode(&a.file_name).replace('+', "%20"),
    );
    Ok((
        [
            (header::CONTENT_TYPE, a.content_type.clone()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "private, max-age=3600".to_string()),
        ],
        bytes,
    )
        .into_response())
}
