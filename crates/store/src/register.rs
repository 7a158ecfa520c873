//! The register of document numbers (sổ đăng ký văn bản) of each issuing
//! organisation: its settings (abbreviation, place, current term) and every
//! number issued or recorded. The rules are `dienhinh_domain::document`.
//!
//! A number is issued inside the caller's write (`issue_in`), so a document
//! and its number are saved together or not at all. Issuing first locks the
//! register's row (a no-op `UPDATE`: PostgreSQL holds the row until commit,
//! SQLite has one writer), so two writes never read the same highest
//! number; the unique index stays the last guard.

use crate::orgs::Org;
use crate::row::{all, select_list, FromRow};
use crate::write::{Stored, Write};
use crate::{audit, now_ms, vals, Actor, Db, StoreError, StoreResult};
use dienhinh_domain::document::{next_number, used_message, DocType, Origin, RecordedNumberInput, RegisterSettingsInput, Symbol, Term};
use dienhinh_domain::{AuditAction, OrgPath, RecordKind};
use serde::Serialize;
use sqlx::AnyConnection;

/// An organisation's register and its settings.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Register {
    pub id: i64,
    pub org_id: i64,
    #[serde(skip)]
    pub org_path: OrgPath,
    /// The issuing body's abbreviation in symbols (`ĐUK`).
    pub abbreviation: String,
    /// The place of the date line (`Nam Định`).
    pub place: String,
    pub term_from: i64,
    pub term_to: i64,
    pub version: i64,
}

crate::from_row!(Register { id, org_id, org_path, abbreviation, place, term_from, term_to, version });

impl Register {
    pub fn term(&self) -> Term {
        Term { from: self.term_from, to: self.term_to }
    }
}

async fn load_register(conn: &mut AnyConnection, id: i64) -> StoreResult<Register> {
    let sql = format!("SELECT {} FROM document_registers WHERE id = $1", select_list(Register::COLUMNS, None));
    all(&sqlx::query(&sql).bind(id).fetch_all(conn).await?)?.pop().ok_or(StoreError::NotFound)
}

crate::stored!(Register: DocumentRegister at org_path, summary r => format!("Sổ đăng ký văn bản {} (nhiệm kỳ {})", r.abbreviation, r.term().label()), load load_register);

/// A number in the register.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DocumentNumber {
    pub id: i64,
    pub register_id: i64,
    #[serde(skip)]
    pub org_path: OrgPath,
    pub term_from: i64,
    pub term_to: i64,
    /// The document type's code (`qd`, `ttr`, `bb` …).
    #[schema(value_type = String)]
    pub doc_type: DocType,
    pub number: i64,
    /// Number and symbol as printed: `07-TTr/ĐUK`.
    pub symbol: String,
    /// issued, recorded
    #[schema(value_type = String)]
    pub origin: Origin,
    pub subject: String,
    pub created_at: i64,
}

crate::from_row!(DocumentNumber { id, register_id, org_path, term_from, term_to, doc_type, number, symbol, origin, subject, created_at });
crate::row::coded_cols!(DocType, Origin);

/// The register of an organisation, if it has one.
pub async fn of_org(db: &Db, org_id: i64) -> StoreResult<Option<Register>> {
    of_org_on(&mut *db.reader().acquire().await?, org_id).await
}

async fn of_org_on(conn: &mut AnyConnection, org_id: i64) -> StoreResult<Option<Register>> {
    let sql = format!("SELECT {} FROM document_registers WHERE org_id = $1", select_list(Register::COLUMNS, None));
    Ok(all(&sqlx::query(&sql).bind(org_id).fetch_all(conn).await?)?.pop())
}

/// The register of the node at `path` or, when it has none, of its nearest
/// ancestor that has one (whose place and name a document printed there uses).
pub async fn nearest(db: &Db, path: &OrgPath) -> StoreResult<Option<Register>> {
    let ids = path.ids();
    if ids.is_empty() {
        return Ok(None);
    }
    let list = (1..=ids.len()).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ");
    let sql = format!("SELECT {} FROM document_registers WHERE org_id IN ({list})", select_list(Register::COLUMNS, None));
    let mut q = sqlx::query(&sql);
    for id in &ids {
        q = q.bind(*id);
    }
    let found: Vec<Register> = all(&q.fetch_all(db.reader()).await?)?;
    Ok(ids.iter().rev().find_map(|id| found.iter().find(|r| r.org_id == *id)).cloned())
}

/// Sets an organisation's register settings: creates its register, or
/// updates it if still at `version` (a stale one is a `Conflict`). Moving
/// to a new term starts its numbers again from 01.
pub async fn set_settings_in(w: &mut Write<'_>, org_id: i64, input: &RegisterSettingsInput, version: Option<i64>) -> StoreResult<Register> {
    let v = input.validate()?;
    let org: Org = w.load(org_id).await?;
    match (of_org_on(w.conn(), org_id).await?, version) {
        (None, _) => {
            let now = now_ms();
            let id = w
                .insert(
                    "document_registers",
                    vals![
                        ("org_id", org.id),
                        ("org_path", org.path.as_str()),
                        ("abbreviation", v.abbreviation.as_str()),
                        ("place", v.place.as_str()),
                        ("term_from", v.term.from),
                        ("term_to", v.term.to),
                        ("created_at", now),
                        ("updated_at", now),
                    ],
                )
                .await?;
            let r: Register = w.load(id).await?;
            w.created(&r).await?;
            Ok(r)
        }
        (Some(before), version) => {
            let version = version.unwrap_or(before.version);
            w.update_versioned::<Register>(
                before.id,
                version,
                vals![("abbreviation", v.abbreviation.as_str()), ("place", v.place.as_str()), ("term_from", v.term.from), ("term_to", v.term.to)],
            )
            .await?;
            let after: Register = w.load(before.id).await?;
            w.changed(AuditAction::Update, Some(&before), &after, &after.summary()).await?;
            Ok(after)
        }
    }
}

pub async fn set_settings(db: &Db, actor: &Actor, org_id: i64, input: &RegisterSettingsInput, version: Option<i64>) -> StoreResult<Register> {
    let mut w = db.write(actor).await?;
    let r = set_settings_in(&mut w, org_id, input, version).await?;
    w.commit().await?;
    Ok(r)
}

/// The register of `org_id`, locked for the rest of the write; a field
/// error when the organisation has none yet.
async fn locked(w: &mut Write<'_>, org_id: i64) -> StoreResult<Register> {
    let Some(r) = of_org_on(w.conn(), org_id).await? else {
        return Err(StoreError::invalid(
            "org_id",
            "no_register",
            "Đơn vị chưa thiết lập sổ đăng ký văn bản (tên viết tắt, địa danh, nhiệm kỳ).",
        ));
    };
    sqlx::query("UPDATE document_registers SET org_id = org_id WHERE id = $1").bind(r.id).execute(w.conn()).await?;
    Ok(r)
}

async fn highest(w: &mut Write<'_>, r: &Register, doc_type: DocType) -> StoreResult<Option<i64>> {
    let row = sqlx::query("SELECT MAX(number) AS n FROM document_numbers WHERE register_id = $1 AND term_from = $2 AND doc_type = $3")
        .bind(r.id)
        .bind(r.term_from)
        .bind(doc_type.code())
        .fetch_one(w.conn())
        .await?;
    crate::db::col(&row, "n")
}

async fn insert(w: &mut Write<'_>, r: &Register, doc_type: DocType, number: i64, origin: Origin, subject: &str) -> StoreResult<DocumentNumber> {
    let symbol = Symbol { number, doc_type, issuer: &r.abbreviation }.to_string();
    let now = now_ms();
    let created_by = w.actor.user_id;
    let id = w
        .insert(
            "document_numbers",
            vals![
                ("register_id", r.id),
                ("org_path", r.org_path.as_str()),
                ("term_from", r.term_from),
                ("term_to", r.term_to),
                ("doc_type", doc_type.code()),
                ("number", number),
                ("symbol", symbol.as_str()),
                ("origin", origin.code()),
                ("subject", subject),
                ("created_by", created_by),
                ("created_at", now),
            ],
        )
        .await?;
    let n = DocumentNumber {
        id,
        register_id: r.id,
        org_path: r.org_path.clone(),
        term_from: r.term_from,
        term_to: r.term_to,
        doc_type,
        number,
        symbol,
        origin,
        subject: subject.to_string(),
        created_at: now,
    };
    let summary = format!("{}: số {} ({})", origin.label(), n.symbol, doc_type.label());
    w.audit(audit::Entry {
        action: AuditAction::Create,
        kind: RecordKind::DocumentRegister,
        id: Some(r.id),
        org_path: Some(&r.org_path),
        summary: &summary,
        before: None,
        after: Some(serde_json::to_value(&n).unwrap_or_default()),
    })
    .await?;
    Ok(n)
}

/// Issues the next number of `doc_type` in the organisation's current term,
/// inside the caller's write. `subject` is the document's trích yếu
/// (normalised by the caller's validation).
pub async fn issue_in(w: &mut Write<'_>, org_id: i64, doc_type: DocType, subject: &str) -> StoreResult<DocumentNumber> {
    let r = locked(w, org_id).await?;
    let number = next_number(highest(w, &r, doc_type).await?);
    insert(w, &r, doc_type, number, Origin::Issued, subject).await
}

pub async fn issue(db: &Db, actor: &Actor, org_id: i64, doc_type: DocType, subject: &str) -> StoreResult<DocumentNumber> {
    let mut w = db.write(actor).await?;
    let n = issue_in(&mut w, org_id, doc_type, subject).await?;
    w.commit().await?;
    Ok(n)
}

/// Records a number given outside the system (typed from a paper
/// document), refused when the term already has it.
pub async fn record_in(w: &mut Write<'_>, org_id: i64, input: &RecordedNumberInput) -> StoreResult<DocumentNumber> {
    let r = locked(w, org_id).await?;
    let v = input.validate(&r.abbreviation)?;
    let taken = sqlx::query("SELECT id FROM document_numbers WHERE register_id = $1 AND term_from = $2 AND doc_type = $3 AND number = $4")
        .bind(r.id)
        .bind(r.term_from)
        .bind(v.doc_type.code())
        .bind(v.number)
        .fetch_optional(w.conn())
        .await?;
    if taken.is_some() {
        let symbol = Symbol { number: v.number, doc_type: v.doc_type, issuer: &r.abbreviation };
        return Err(StoreError::invalid("number", "number_taken", used_message(&symbol, r.term())));
    }
    insert(w, &r, v.doc_type, v.number, Origin::Recorded, &v.subject).await
}

/// The number of a document the system prints: issued when `typed` is
/// empty, else recorded (a number already given on paper), in the same write.
pub async fn number_in(w: &mut Write<'_>, org_id: i64, doc_type: DocType, typed: &str, subject: &str) -> StoreResult<DocumentNumber> {
    if typed.trim().is_empty() {
        return issue_in(w, org_id, doc_type, subject).await;
    }
    let input = RecordedNumberInput { doc_type: doc_type.code().into(), number: typed.into(), subject: subject.into() };
    record_in(w, org_id, &input).await
}

pub async fn record(db: &Db, actor: &Actor, org_id: i64, input: &RecordedNumberInput) -> StoreResult<DocumentNumber> {
    let mut w = db.write(actor).await?;
    let n = record_in(&mut w, org_id, input).await?;
    w.commit().await?;
    Ok(n)
}

/// The numbers of a register in its current term, newest first, keyset-paged
/// on id (`before`: the last id of the previous page).
pub async fn numbers(db: &Db, register: &Register, before: Option<i64>, limit: i64) -> StoreResult<Vec<DocumentNumber>> {
    let sql = format!(
        "SELECT {} FROM document_numbers WHERE register_id = $1 AND term_from = $2 AND id < $3 ORDER BY id DESC LIMIT $4",
        select_list(DocumentNumber::COLUMNS, None)
    );
    all(&sqlx::query(&sql).bind(register.id).bind(register.term_from).bind(before.unwrap_or(i64::MAX)).bind(limit).fetch_all(db.reader()).await?)
}
