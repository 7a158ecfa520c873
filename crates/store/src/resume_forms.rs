//! Page forms kept for sending again after the session expired (see
//! `web/src/resume.rs` for why this is safe). In the database so that every
//! app server shares them: the form refused on one server comes back after
//! signing in on another. Kept under a hash of their one-time token; taken
//! once; what expired is deleted by [`prune_in`] (the periodic `prune` job).

use crate::row::{all, select_list, FromRow};
use crate::users::sha256_hex;
use crate::{now_ms, Actor, Db, StoreResult, Write};

/// At most this many forms are kept at once: a cookie that merely looks
/// like a session is enough to have a form kept, so the table is bounded.
pub const MAX_KEPT: i64 = 10_000;

struct Row {
    posted_to: String,
    fields: String,
    expires_at: i64,
}

crate::from_row!(Row { posted_to, fields, expires_at });

/// A form as it was posted.
#[derive(Clone, Debug, PartialEq)]
pub struct Kept {
    /// Where the form was posted (a local path, with its query).
    pub path: String,
    /// The fields as posted.
    pub fields: Vec<(String, String)>,
}

fn actor() -> Actor {
    Actor::system("giữ biểu mẫu")
}

/// Keeps `form` under `token` until `ttl_ms` from now; false when
/// [`MAX_KEPT`] forms are kept already (nothing is kept then).
pub async fn keep(db: &Db, token: &str, form: &Kept, ttl_ms: i64) -> StoreResult<bool> {
    let fields = serde_json::to_string(&form.fields).expect("pairs of strings serialise");
    let now = now_ms();
    let actor = actor();
    let mut w = db.write(&actor).await?;
    let kept = sqlx::query(
        "INSERT INTO resume_forms (token_hash, posted_to, fields, expires_at) SELECT $1, $2, $3, $4 \
         WHERE (SELECT COUNT(*) FROM resume_forms WHERE expires_at > $5) < $6",
    )
    .bind(sha256_hex(token))
    .bind(&form.path)
    .bind(fields)
    .bind(now + ttl_ms)
    .bind(now)
    .bind(MAX_KEPT)
    .execute(w.conn())
    .await?
    .rows_affected();
    w.commit().await?;
    Ok(kept == 1)
}

/// Takes (once: it is deleted) the form kept under `token`, if not expired.
pub async fn take(db: &Db, token: &str) -> StoreResult<Option<Kept>> {
    let actor = actor();
    let mut w = db.write(&actor).await?;
    let sql = format!("DELETE FROM resume_forms WHERE token_hash = $1 RETURNING {}", select_list(Row::COLUMNS, None));
    let rows = sqlx::query(&sql).bind(sha256_hex(token)).fetch_all(w.conn()).await?;
    w.commit().await?;
    let now = now_ms();
    Ok(all::<Row>(&rows)?.into_iter().find(|r| r.expires_at > now).and_then(|r| Some(Kept { path: r.posted_to, fields: serde_json::from_str(&r.fields).ok()? })))
}

/// Deletes forms kept past their time; returns how many.
pub async fn prune_in(w: &mut Write<'_>, now: i64) -> StoreResult<u64> {
    Ok(sqlx::query("DELETE FROM resume_forms WHERE expires_at < $1").bind(now).execute(w.conn()).await?.rows_affected())
}
