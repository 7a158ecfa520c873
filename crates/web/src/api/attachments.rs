use crate::access::Authorized;
use crate::auth::ApiUser;
use crate::error::{ApiError, ApiResult};
use crate::pages::attachments::{multipart, read_file};
use crate::AppState;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::Json;
use dienhinh_store::exemplars::Exemplar;
use dienhinh_store::files::{self, Attachment};

super::list_page!(AttachmentList, Attachment);

/// Evidence files of an exemplar; download each at `/attachments/{id}`.
#[utoipa::path(get, path = "/api/v1/exemplars/{id}/attachments", tag = "exemplars", params(("id" = i64, Path)), responses((status = 200, body = AttachmentList)))]
pub async fn list(State(st): State<AppState>, Authorized(e): Authorized<Exemplar>) -> ApiResult<AttachmentList> {
    Ok(AttachmentList::all(files::list(&st.db, dienhinh_domain::RecordKind::Exemplar, e.id).await?))
}

/// Uploads one file (multipart field `file`): JPEG, PNG, PDF or DOCX,
/// recognised by content, at most 20 MB.
#[utoipa::path(post, path = "/api/v1/exemplars/{id}/attachments", tag = "exemplars", params(("id" = i64, Path)),
    request_body(content_type = "multipart/form-data", content = String, description = "field `file`"),
    responses((status = 201, body = Attachment), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 413, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn upload(State(st): State<AppState>, ApiUser(me): ApiUser, Authorized(e): Authorized<Exemplar>, mp: Result<Multipart, MultipartRejection>) -> Result<(StatusCode, Json<Attachment>), ApiError> {
    let mp = multipart(mp).map_err(upload_error)?;
    let (name, bytes) = read_file(mp).await.map_err(upload_error)?;
    let a = files::attach(&st.db, &st.files, &me.actor(), dienhinh_domain::RecordKind::Exemplar, e.id, &name, bytes).await.map_err(upload_error)?;
    Ok((StatusCode::CREATED, Json(a)))
}

/// A file over the limit is 413 `too_large`, a body that is not multipart
/// 400 `bad_request`; other refusals stay 422.
fn upload_error(err: dienhinh_store::StoreError) -> ApiError {
    let mut api = ApiError::from(err);
    if api.fields.0.iter().any(|f| f.code == "too_large") {
        api.status = StatusCode::PAYLOAD_TOO_LARGE;
        api.code = "too_large";
    } else if api.fields.0.iter().any(|f| f.code == "bad_request") {
        api.status = StatusCode::BAD_REQUEST;
        api.code = "bad_request";
    }
    api
}

/// The files of a commendation dossier.
#[utoipa::path(get, path = "/api/v1/nominations/{id}/attachments", tag = "commendation", params(("id" = i64, Path)), responses((status = 200, body = AttachmentList)))]
pub async fn list_of_nomination(State(st): State<AppState>, Authorized(n): Authorized<dienhinh_store::commendation::Nomination>) -> ApiResult<AttachmentList> {
    Ok(AttachmentList::all(files::list(&st.db, dienhinh_domain::RecordKind::Nomination, n.id).await?))
}

/// Attaches one file to a commendation dossier (multipart field `file`):
/// JPEG, PNG, PDF or DOCX, recognised by content, at most 20 MB. The
/// round's required `minh_chung` or `bien_ban_co_so` is met by a file.
#[utoipa::path(post, path = "/api/v1/nominations/{id}/attachments", tag = "commendation", params(("id" = i64, Path)),
    request_body(content_type = "multipart/form-data", content = String, description = "field `file`"),
    responses((status = 201, body = Attachment), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 413, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn upload_to_nomination(
    State(st): State<AppState>,
    ApiUser(me): ApiUser,
    Authorized(n): Authorized<dienhinh_store::commendation::Nomination>,
    mp: Result<Multipart, MultipartRejection>,
) -> Result<(StatusCode, Json<Attachment>), ApiError> {
    let mp = multipart(mp).map_err(upload_error)?;
    let (name, bytes) = read_file(mp).await.map_err(upload_error)?;
    let a = files::attach(&st.db, &st.files, &me.actor(), dienhinh_domain::RecordKind::Nomination, n.id, &name, bytes).await.map_err(upload_error)?;
    Ok((StatusCode::CREATED, Json(a)))
}
