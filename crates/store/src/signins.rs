//! Failed sign-ins, counted in the database so that every app server on it
//! sees the same counts: guesses spread over servers get no more tries than
//! guesses sent to one. The rule (limits, window) is
//! `domain::user::signin_wait`.
//!
//! Cheap on the sign-in path: one read by primary key before the password
//! is checked, one upsert after a failure, one delete after a success.
//! A stale row is reset by its key's next failure and deleted by [`prune_in`]
//! (the periodic `prune` job).

use crate::row::{all, select_list, FromRow};
use crate::users::sha256_hex;
use crate::{now_ms, Actor, Backend, Db, StoreResult, Write};
use dienhinh_domain::user::{clean_username, signin_wait, MAX_FAILURES_PER_ADDRESS, MAX_FAILURES_PER_USER, SIGNIN_WINDOW_MS};
use std::time::Duration;

/// Keys are hashed: people type their password into the username box, and
/// addresses are personal data; neither is kept in clear.
fn user_key(username: &str) -> String {
    sha256_hex(&format!("u:{}", clean_username(username)))
}

fn address_key(address: &str) -> String {
    sha256_hex(&format!("ip:{address}"))
}

struct Failures {
    key_hash: String,
    failures: i64,
    window_start: i64,
}

crate::from_row!(Failures { key_hash, failures, window_start });

fn actor() -> Actor {
    Actor::system("đăng nhập")
}

/// How long a sign-in as `username` from `address` must wait, if either is
/// locked (the longer of the two).
pub async fn wait(db: &Db, username: &str, address: &str) -> StoreResult<Option<Duration>> {
    let user = user_key(username);
    let sql = format!("SELECT {} FROM signin_failures WHERE key_hash IN ($1, $2)", select_list(Failures::COLUMNS, None));
    let rows = sqlx::query(&sql).bind(&user).bind(address_key(address)).fetch_all(db.reader()).await?;
    let now = now_ms();
    let longest = all::<Failures>(&rows)?
        .into_iter()
        .filter_map(|f| {
            let max = if f.key_hash == user { MAX_FAILURES_PER_USER } else { MAX_FAILURES_PER_ADDRESS };
            signin_wait(f.failures, f.window_start, max, now)
        })
        .max();
    Ok(longest.map(|ms| Duration::from_millis(ms.max(0) as u64)))
}

/// Counts a failed sign-in against the username and the address: one
/// upsert that opens a new window for a key whose window has passed.
pub async fn failed(db: &Db, username: &str, address: &str) -> StoreResult<()> {
    // Rows are locked in key order, as the prune locks them (no deadlock).
    let mut keys = [user_key(username), address_key(address)];
    keys.sort();
    let now = now_ms();
    let actor = actor();
    let mut w = db.write(&actor).await?;
    sqlx::query(
        "INSERT INTO signin_failures (key_hash, failures, window_start) VALUES ($1, 1, $3), ($2, 1, $3) \
         ON CONFLICT (key_hash) DO UPDATE SET \
         failures = CASE WHEN signin_failures.window_start > $4 THEN signin_failures.failures + 1 ELSE 1 END, \
         window_start = CASE WHEN signin_failures.window_start > $4 THEN signin_failures.window_start ELSE $3 END",
    )
    .bind(&keys[0])
    .bind(&keys[1])
    .bind(now)
    .bind(now - SIGNIN_WINDOW_MS)
    .execute(w.conn())
    .await?;
    w.commit().await
}

/// A successful sign-in clears the username's count (not the address's:
/// one right password does not buy an address more guesses elsewhere).
pub async fn succeeded(db: &Db, username: &str) -> StoreResult<()> {
    let actor = actor();
    let mut w = db.write(&actor).await?;
    sqlx::query("DELETE FROM signin_failures WHERE key_hash = $1").bind(user_key(username)).execute(w.conn()).await?;
    w.commit().await
}

/// Deletes counts whose window has passed; returns how many.
pub async fn prune_in(w: &mut Write<'_>, now: i64) -> StoreResult<u64> {
    // On PostgreSQL the rows are locked in key order first, the order
    // `failed` takes them in, so a prune and a failure never deadlock.
    let lock = match w.backend() {
        Backend::Postgres => " FOR UPDATE",
        Backend::Sqlite => "",
    };
    let sql = format!(
        "DELETE FROM signin_failures WHERE key_hash IN \
         (SELECT key_hash FROM signin_failures WHERE window_start <= $1 ORDER BY key_hash{lock})"
    );
    let done = sqlx::query(&sql).bind(now - SIGNIN_WINDOW_MS).execute(w.conn()).await?;
    Ok(done.rows_affected())
}
