//! Attachments: files that belong to a record of any kind, named by its
//! `RecordKind` and id. One storage interface (the `object_store` crate) over
//! local disk by default or S3-compatible object storage, with files checked
//! by their content, stored under generated names, and hashed so that
//! `dienhinh check` can verify them.

use dienhinh_domain::AuditAction;
use crate::audit;
use crate::{now_ms, Actor, Db, StoreError, StoreResult};
use dienhinh_domain::{OrgPath, RecordKind};
use dienhinh_text as text;
use object_store::{path::Path as ObjectPath, ObjectStore, PutPayload};
use rand::RngCore;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// Largest accepted file.
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;

/// Where attachments live.
#[derive(Clone)]
pub struct Files {
    store: Arc<dyn ObjectStore>,
    pub description: String,
}

/// Settings for S3-compatible storage (MinIO, Ceph, AWS …).
#[derive(Debug, Clone, Default)]
pub struct S3Settings {
    pub bucket: String,
    pub endpoint: Option<String>,
    pub region: Option<String>,
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<String>,
}

impl Files {
    /// Local folder `DATA/attachments`.
    pub fn local(data_dir: &std::path::Path) -> anyhow::Result<Files> {
        let dir = data_dir.join("attachments");
        std::fs::create_dir_all(&dir)?;
        let store = object_store::local::LocalFileSystem::new_with_prefix(&dir)?;
        Ok(Files { store: Arc::new(store), description: format!("local folder {}", dir.display()) })
    }

    /// S3-compatible bucket; unset values come from the usual AWS_* variables.
    pub fn s3(s: &S3Settings) -> anyhow::Result<Files> {
        let mut b = object_store::aws::AmazonS3Builder::from_env().with_bucket_name(&s.bucket);
        if let Some(e) = &s.endpoint {
            b = b.with_endpoint(e).with_allow_http(e.starts_with("http://")).with_virtual_hosted_style_request(false);
        }
        if let Some(r) = &s.region {
            b = b.with_region(r);
        }
        if let (Some(k), Some(v)) = (&s.access_key_id, &s.secret_access_key) {
            b = b.with_access_key_id(k).with_secret_access_key(v);
        }
        Ok(Files { store: Arc::new(b.build()?), description: format!("S3 bucket {}", s.bucket) })
    }

    /// In memory, for tests.
    pub fn memory() -> Files {
        Files { store: Arc::new(object_store::memory::InMemory::new()), description: "memory".into() }
    }

    pub async fn put(&self, key: &str, bytes: Vec<u8>) -> StoreResult<()> {
        self.store
            .put(&ObjectPath::from(key), PutPayload::from(bytes))
            .await
            .map_err(|e| StoreError::Other(anyhow::anyhow!("cannot store file: {e}")))?;
        Ok(())
    }

    pub async fn get(&self, key: &str) -> StoreResult<Vec<u8>> {
        let got = self.store.get(&ObjectPath::from(key)).await.map_err(|e| match e {
            object_store::Error::NotFound { .. } => StoreError::NotFound,
            e => StoreError::Other(anyhow::anyhow!("cannot read file: {e}")),
        })?;
        let bytes = got.bytes().await.map_err(|e| StoreError::Other(anyhow::anyhow!("cannot read file: {e}")))?;
        Ok(bytes.to_vec())
    }

    pub async fn delete(&self, key: &str) {
        let _ = self.store.delete(&ObjectPath::from(key)).await;
    }
}

/// Kinds of file accepted, recognised by their first bytes (never by the
/// name or the type the browser claims).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Jpeg,
    Png,
    Pdf,
    Docx,
}

impl Kind {
    pub fn content_type(self) -> &'static str {
        match self {
            Kind::Jpeg => "image/jpeg",
            Kind::Png => "image/png",
            Kind::Pdf => "application/pdf",
            Kind::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        }
    }
    pub fn extension(self) -> &'static str {
        match self {
            Kind::Jpeg => "jpg",
            Kind::Png => "png",
            Kind::Pdf => "pdf",
            Kind::Docx => "docx",
        }
    }
    pub fn is_image(self) -> bool {
        matches!(self, Kind::Jpeg | Kind::Png)
    }
    pub fn from_content_type(ct: &str) -> Option<Kind> {
        [Kind::Jpeg, Kind::Png, Kind::Pdf, Kind::Docx].into_iter().find(|k| k.content_type() == ct)
    }
}

/// Recognises an accepted file by its content.
pub fn sniff(bytes: &[u8]) -> Option<Kind> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(Kind::Jpeg)
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some(Kind::Png)
    } else if bytes.starts_with(b"%PDF-") {
        Some(Kind::Pdf)
    } else if bytes.starts_with(b"PK\x03\x04") && contains(bytes, b"word/") && contains(bytes, b"[Content_Types].xml") {
        Some(Kind::Docx)
    } else {
        None
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// A display name: no folders, no control characters, bounded length.
pub fn clean_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = text::normalize_line(base).chars().filter(|c| !matches!(c, '"' | '<' | '>' | ':' | '|' | '?' | '*')).take(150).collect();
    if cleaned.trim_matches('.').is_empty() { "tep-dinh-kem".into() } else { cleaned }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Attachment {
    pub id: i64,
    /// The kind of record the file belongs to.
    #[serde(skip)]
    pub record_kind: RecordKind,
    // The record it belongs to (a plain comment: a doc comment would enter
    // the OpenAPI schema). The API serves exemplars' files only, under the
    // name it has always used; a kind whose files it serves later adds
    // `record_kind` to the JSON.
    #[serde(rename = "exemplar_id")]
    pub record_id: i64,
    /// The owner's node, copied (and rewritten by org moves): who may see
    /// the file, without loading the owner.
    #[serde(skip)]
    pub org_path: OrgPath,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    #[serde(skip)]
    pub storage_key: String,
    pub created_at: i64,
    /// Shown on the public portal (an image of a published story whose
    /// images the editor allowed).
    pub public: bool,
}

impl Attachment {
    pub fn is_image(&self) -> bool {
        Kind::from_content_type(&self.content_type).is_some_and(Kind::is_image)
    }

    pub fn path(&self) -> &OrgPath {
        &self.org_path
    }
}

/// The column holding a record's own node, `None` for kinds that have none
/// (tokens, catalogue fields) or no row of their own (the ballot box of a
/// secret vote: counts, no id) and so cannot own files.
pub(crate) fn owner_path_column(kind: RecordKind) -> Option<&'static str> {
    match kind {
        RecordKind::Ballot => None,
        _ => kind.own_path_column(),
    }
}

/// The node of the record `(kind, id)`, read in the writing transaction so
/// that the copy kept with the file is the owner's path as committed, not
/// one the caller read before an org move.
async fn owner_path(conn: &mut sqlx::AnyConnection, kind: RecordKind, id: i64) -> StoreResult<dienhinh_domain::OrgPath> {
    if owner_path_column(kind).is_none() {
        return Err(anyhow::anyhow!("records of kind {} cannot own files", kind.code()).into());
    }
    crate::kinds::org_path_of(conn, kind, id).await
}

/// Checks and stores a file for the record `(kind, record_id)`. The file is
/// written first and the row second, so a row never names a missing file; a
/// failed row write (a missing owner included: `NotFound`) removes the file
/// again.
pub async fn attach(db: &Db, files: &Files, actor: &Actor, kind: RecordKind, record_id: i64, name: &str, bytes: Vec<u8>) -> StoreResult<Attachment> {
    if bytes.is_empty() {
        return Err(StoreError::invalid("file", "empty", "Vui lòng chọn tệp cần đính kèm."));
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(StoreError::invalid("file", "too_large", format!("Tệp lớn quá {} MB.", MAX_FILE_BYTES / 1024 / 1024)));
    }
    let Some(file_kind) = sniff(&bytes) else {
        return Err(StoreError::invalid("file", "type", "Chỉ nhận ảnh JPEG, PNG, tệp PDF hoặc DOCX."));
    };
    let mut rnd = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut rnd);
    let key = format!("{}/{record_id}/{}.{}", kind.code(), hex::encode(rnd), file_kind.extension());
    let sha = hex::encode(Sha256::digest(&bytes));
    let size = bytes.len() as i64;
    let file_name = clean_file_name(name);
    files.put(&key, bytes).await?;
    let result = async {
        let mut w = db.write(actor).await?;
        let org_path = owner_path(w.conn(), kind, record_id).await?;
        let id = w
            .insert(
                "attachments",
                crate::vals![
                    ("record_kind", kind.code()),
                    ("record_id", record_id),
                    ("org_path", org_path.as_str()),
                    ("file_name", file_name.as_str()),
                    ("content_type", file_kind.content_type()),
                    ("size", size),
                    ("sha256", sha.as_str()),
                    ("storage_key", key.as_str()),
                    ("uploaded_by", actor.user_id),
                    ("created_at", now_ms()),
                ],
            )
            .await?;
        let summary = format!("{file_name} ({} {record_id})", kind.label());
        w.audit(audit::Entry { action: AuditAction::Create, kind: RecordKind::Attachment, id: Some(id), org_path: Some(&org_path), summary: &summary, before: None, after: None })
            .await?;
        w.commit().await?;
        Ok::<i64, StoreError>(id)
    }
    .await;
    match result {
        Ok(id) => get(db, id).await,
        Err(e) => {
            files.delete(&key).await;
            Err(e)
        }
    }
}

crate::from_row!(Attachment { id, record_kind, record_id, org_path, file_name, content_type, size, sha256, storage_key, created_at, public });

fn select() -> String {
    format!("SELECT {} FROM attachments", crate::row::select_list(<Attachment as crate::row::FromRow>::COLUMNS, None))
}

pub async fn get(db: &Db, id: i64) -> StoreResult<Attachment> {
    crate::write::get(db, id).await
}

async fn load_attachment(conn: &mut sqlx::AnyConnection, id: i64) -> StoreResult<Attachment> {
    let row = sqlx::query(&format!("{} WHERE id = $1", select())).bind(id).fetch_optional(conn).await?;
    <Attachment as crate::row::FromRow>::from_row(&row.ok_or(StoreError::NotFound)?)
}

crate::stored!(Attachment: Attachment at org_path, summary r => r.file_name.clone(), load load_attachment);

/// Largest image of a story.
pub const MAX_IMAGE_BYTES: usize = 5 * 1024 * 1024;

/// An image for a story: JPEG or PNG (by content) of at most
/// [`MAX_IMAGE_BYTES`]; anything else is refused before it is stored.
pub async fn attach_image(db: &Db, files: &Files, actor: &Actor, kind: RecordKind, record_id: i64, name: &str, bytes: Vec<u8>) -> StoreResult<Attachment> {
    if bytes.len() > MAX_IMAGE_BYTES {
        return Err(StoreError::invalid("file", "too_large", format!("Ảnh lớn quá {} MB; hãy chọn ảnh nhỏ hơn.", MAX_IMAGE_BYTES / 1024 / 1024)));
    }
    if !bytes.is_empty() && !sniff(&bytes).is_some_and(Kind::is_image) {
        return Err(StoreError::invalid("file", "not_image", "Tệp này không phải ảnh: chỉ nhận ảnh JPEG hoặc PNG."));
    }
    attach(db, files, actor, kind, record_id, name, bytes).await
}

/// Marks the images of a record public or not, in `w` (the story's
/// publishing and unpublishing): only images, only this record's.
pub async fn set_public_in(w: &mut crate::write::Write<'_>, kind: RecordKind, record_id: i64, public: bool) -> StoreResult<()> {
    sqlx::query("UPDATE attachments SET public = $1 WHERE record_kind = $2 AND record_id = $3 AND content_type IN ($4, $5)")
        .bind(public as i64)
        .bind(kind.code())
        .bind(record_id)
        .bind(Kind::Jpeg.content_type())
        .bind(Kind::Png.content_type())
        .execute(w.conn())
        .await?;
    Ok(())
}

/// A file the portal may serve: marked public, else `NotFound`.
pub async fn get_public(db: &Db, id: i64) -> StoreResult<Attachment> {
    let row = sqlx::query(&format!("{} WHERE id = $1 AND public = 1", select())).bind(id).fetch_optional(db.reader()).await?;
    <Attachment as crate::row::FromRow>::from_row(&row.ok_or(StoreError::NotFound)?)
}

/// The ids among `ids` of this record's public files.
pub async fn public_ids(db: &Db, kind: RecordKind, record_id: i64, ids: &[i64]) -> StoreResult<Vec<i64>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let sql = format!(
        "SELECT id FROM attachments WHERE record_kind = $1 AND record_id = $2 AND public = 1 AND id IN ({})",
        (0..ids.len()).map(|i| format!("${}", i + 3)).collect::<Vec<_>>().join(", ")
    );
    let mut q = sqlx::query_scalar::<_, i64>(&sql).bind(kind.code()).bind(record_id);
    for id in ids {
        q = q.bind(*id);
    }
    Ok(q.fetch_all(db.reader()).await?)
}

/// The files of one record, oldest first.
pub async fn list(db: &Db, kind: RecordKind, record_id: i64) -> StoreResult<Vec<Attachment>> {
    let rows = sqlx::query(&format!("{} WHERE record_kind = $1 AND record_id = $2 ORDER BY id", select())).bind(kind.code()).bind(record_id).fetch_all(db.reader()).await?;
    crate::row::all(&rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_recognised_by_content() {
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]), Some(Kind::Jpeg));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Some(Kind::Png));
        assert_eq!(sniff(b"%PDF-1.7\n"), Some(Kind::Pdf));
        assert_eq!(sniff(b"PK\x03\x04....[Content_Types].xml....word/document.xml"), Some(Kind::Docx));
        assert_eq!(sniff(b"PK\x03\x04 any zip"), None, "a zip that is not a Word document");
        assert_eq!(sniff(b"<html><script>alert(1)</script>"), None);
        assert_eq!(sniff(b"MZ\x90\x00"), None);
    }

    #[test]
    fn names_are_cleaned() {
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("C:\\Users\\a\\Ảnh thẻ.jpg"), "Ảnh thẻ.jpg");
        assert_eq!(clean_file_name("\"<b>\".pdf"), "b.pdf");
        assert_eq!(clean_file_name(".."), "tep-dinh-kem");
    }
}
