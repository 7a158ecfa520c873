//! Evidence files of an exemplar: upload (multipart, CSRF token in the
//! query string since the body is not a urlencoded form) and download.

use super::see_other;
use crate::access::Authorized;
use crate::auth::Signed;
use crate::error::{PageError, PageResult};
use crate::AppState;
use axum::extract::{Multipart, State};
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use dienhinh_store::exemplars::Exemplar;
use dienhinh_store::files::{self, Attachment, Kind};
use dienhinh_store::StoreError;

/// The first file field of a multipart body: (file name, bytes).
pub async fn read_file(mut mp: Multipart) -> Result<(String, Vec<u8>), StoreError> {
    let too_large = || StoreError::invalid("file", "too_large", format!("Tệp lớn quá {} MB.", files::MAX_FILE_BYTES / 1024 / 1024));
    while let Some(field) = mp.next_field().await.map_err(|e| if e.status() == StatusCode::PAYLOAD_TOO_LARGE { too_large() } else { StoreError::invalid("file", "invalid", "Tệp gửi lên không hợp lệ.") })? {
        if field.file_name().is_some() || field.name() == Some("file") {
            let name = field.file_name().unwrap_or("tep").to_string();
            let bytes = field.bytes().await.map_err(|e| if e.status() == StatusCode::PAYLOAD_TOO_LARGE { too_large() } else { StoreError::invalid("file", "invalid", "Tệp gửi lên không hợp lệ.") })?;
            return Ok((name, bytes.to_vec()));
        }
    }
    Err(StoreError::invalid("file", "empty", "Vui lòng chọn tệp cần đính kèm."))
}

pub async fn upload(State(st): State<AppState>, Signed(me): Signed, Authorized(e): Authorized<Exemplar>, mp: Multipart) -> PageResult {
    let id = e.id;
    let result = match read_file(mp).await {
        Ok((name, bytes)) => files::attach(&st.db, &st.files, &me.actor(), dienhinh_domain::RecordKind::Exemplar, e.id, &name, bytes).await,
        Err(err) => Err(err),
    };
    match result {
        Ok(_) => see_other(&format!("/exemplars/{id}?saved=1#minh-chung")),
        Err(StoreError::Invalid(inv)) => Err(PageError::new(
            if inv.0.iter().any(|f| f.code == "too_large") { StatusCode::PAYLOAD_TOO_LARGE } else { StatusCode::UNPROCESSABLE_ENTITY },
            format!("{} Hãy quay lại trang điển hình và chọn tệp khác.", inv.0.iter().map(|f| f.message.clone()).collect::<Vec<_>>().join(" ")),
        )),
        Err(err) => Err(err.into()),
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
