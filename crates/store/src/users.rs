//! People, their roles at nodes, passwords, sessions and API tokens.

use dienhinh_domain::AuditAction;
use crate::audit;
use crate::db::{col, within_subtrees, Backend};
use crate::page::{limit, Listing, Page, Position, SortKey};
use dienhinh_domain::order::UserOrder;
use crate::row::{select_list, FromRow};
use crate::search::SearchDoc;
use crate::{now_ms, vals, Actor, Db, Found, StoreError, StoreResult};
use dienhinh_domain::{Assignment, Invalid, OrgPath, RecordKind, Role};
use sqlx::AnyConnection;
use dienhinh_text as text;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    pub position: String,
    pub org_id: i64,
    #[schema(value_type = String)]
    pub org_path: OrgPath,
    pub active: bool,
    pub created_at: i64,
    pub updated_at: i64,
    pub version: i64,
    pub roles: Vec<RoleAt>,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RoleAt {
    #[schema(value_type = String)]
    pub role: Role,
    pub org_id: i64,
    pub org_name: String,
    #[schema(value_type = String)]
    pub org_path: OrgPath,
}

impl User {
    /// Who this user is in what they write: their full name (never the login
    /// name) with their id.
    pub fn actor(&self) -> Actor {
        Actor { user_id: Some(self.id), name: self.full_name.clone() }
    }
    pub fn assignments(&self) -> Vec<Assignment> {
        self.roles.iter().map(|r| Assignment { role: r.role, org_id: r.org_id, org_path: r.org_path.clone() }).collect()
    }
}

pub use dienhinh_domain::user::{clean_username, NewUser, MIN_PASSWORD};

crate::from_row!(User { id, username, full_name, position, org_id, org_path, active, created_at, updated_at, version }; roles = vec![]);

pub(crate) fn from_row(r: &AnyRow) -> StoreResult<User> {
    User::from_row(r)
}

fn columns() -> String {
    select_list(User::COLUMNS, None)
}

async fn load_user(conn: &mut AnyConnection, id: i64) -> StoreResult<User> {
    let sql = format!("SELECT {} FROM users u WHERE u.id = $1", with_roles(Backend::of(conn)));
    user_with_roles(&sqlx::query(&sql).bind(id).fetch_optional(conn).await?.ok_or(StoreError::NotFound)?)
}

crate::stored!(User: User at org_path, summary r => r.full_name.clone(), load load_user, search search_doc, tallies tallies);

fn tallies(u: &User) -> Vec<dienhinh_domain::counter::Tally> {
    vec![dienhinh_domain::counter::user(&u.org_path)]
}

/// The person's entry in the search index (never public: accounts are internal).
pub(crate) fn search_doc(u: &User) -> SearchDoc {
    SearchDoc {
        kind: RecordKind::User,
        record_id: u.id,
        link_id: None,
        org_path: u.org_path.as_str().to_string(),
        title: u.full_name.clone(),
        body: u.position.clone(),
        hidden_words: u.username.clone(),
        year: None,
        field: None,
        public: false,
    }
}

pub use dienhinh_domain::user::check_password as validate_password;

pub fn hash_password(password: &str) -> StoreResult<String> {
    use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
    let salt = SaltString::generate(&mut OsRng);
    argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| StoreError::Other(anyhow::anyhow!("hashing failed: {e}")))
}

fn verify_password(password: &str, hash: &str) -> bool {
    use argon2::password_hash::{PasswordHash, PasswordVerifier};
    PasswordHash::new(hash)
        .map(|h| argon2::Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
        .unwrap_or(false)
}

/// `verify_password` off the async workers, on one dedicated thread per
/// core. Argon2 takes 19 MiB and tens of milliseconds of one core per check:
/// run on the async workers, 16 concurrent sign-ins stalled every other
/// request. On tokio's blocking pool they no longer stalled it, but each of
/// the pool's many threads kept its own malloc arena holding a freed 19 MiB
/// buffer (546 MB after a burst of sign-ins at national scale). A fixed set
/// of threads bounds that to cores × 19 MiB; throughput is the same, the
/// work being CPU-bound either way.
async fn check_password(password: &str, hash: &str) -> bool {
    type Job = (String, String, tokio::sync::oneshot::Sender<bool>);
    static QUEUE: std::sync::OnceLock<std::sync::mpsc::Sender<Job>> = std::sync::OnceLock::new();
    let queue = QUEUE.get_or_init(|| {
        let (tx, rx) = std::sync::mpsc::channel::<Job>();
        let rx = std::sync::Arc::new(std::sync::Mutex::new(rx));
        for i in 0..std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2) {
            let rx = rx.clone();
            let spawned = std::thread::Builder::new().name(format!("password-check-{i}")).spawn(move || loop {
                let job = rx.lock().map_err(|_| ()).and_then(|r| r.recv().map_err(|_| ()));
                let Ok((password, hash, reply)) = job else { return };
                let _ = reply.send(verify_password(&password, &hash));
            });
            if let Err(e) = spawned {
                tracing::error!("cannot start a password-check thread: {e}");
            }
        }
        tx
    });
    let (reply, answer) = tokio::sync::oneshot::channel();
    let sent = queue.send((password.to_string(), hash.to_string(), reply)).is_ok();
    sent && answer.await.unwrap_or(false)
}

/// A hash of a random password, verified against when the username is
/// unknown so that timing does not reveal which usernames exist.
fn dummy_hash() -> &'static str {
    static H: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    H.get_or_init(|| hash_password("not-a-real-password-0").unwrap_or_default())
}

/// A user's columns and their roles as one JSON array (`roles`, in the
/// order given), so that a user and their roles come back in one row: one
/// row per role cost the country's officer (a role at each of 63 provinces)
/// 63 joined rows on every request. Only the aggregate's spelling differs
/// between the backends.
fn with_roles(backend: Backend) -> String {
    let roles = match backend {
        Backend::Sqlite => {
            "SELECT json_group_array(json_object('role', r.role, 'org_id', r.org_id, 'org_name', o.name, 'org_path', o.path) ORDER BY r.id)"
        }
        Backend::Postgres => {
            "SELECT COALESCE(json_agg(json_build_object('role', r.role, 'org_id', r.org_id, 'org_name', o.name, 'org_path', o.path) ORDER BY r.id), '[]')::text"
        }
    };
    format!("{}, ({roles} FROM role_assignments r JOIN orgs o ON o.id = r.org_id WHERE r.user_id = u.id) AS roles", select_list(User::COLUMNS, Some("u")))
}

/// The user of a row selected with [`with_roles`]: the JSON's keys are
/// [`RoleAt`]'s fields, and a role and a path decode from their codes.
fn user_with_roles(row: &AnyRow) -> StoreResult<User> {
    let mut u = from_row(row)?;
    u.roles = serde_json::from_str(&col::<String>(row, "roles")?).map_err(|e| StoreError::Other(e.into()))?;
    Ok(u)
}

/// Roles of a page of users, in one query.
async fn load_roles_many(db: &Db, users: &mut [User]) -> StoreResult<()> {
    if users.is_empty() {
        return Ok(());
    }
    let marks = crate::db::placeholders(users.len());
    let sql = format!(
        "SELECT r.user_id, r.role, r.org_id, o.name, o.path FROM role_assignments r JOIN orgs o ON o.id = r.org_id WHERE r.user_id IN ({marks}) ORDER BY r.id"
    );
    let mut q = sqlx::query(&sql);
    for u in users.iter() {
        q = q.bind(u.id);
    }
    let at: std::collections::HashMap<i64, usize> = users.iter().enumerate().map(|(i, u)| (u.id, i)).collect();
    for r in q.fetch_all(db.reader()).await? {
        let Some(&i) = at.get(&col::<i64>(&r, "user_id")?) else { continue };
        users[i].roles.push(RoleAt { role: crate::row::code(&r, "role")?, org_id: col(&r, "org_id")?, org_name: col(&r, "name")?, org_path: OrgPath(col(&r, "path")?) });
    }
    Ok(())
}

pub async fn get(db: &Db, id: i64) -> StoreResult<User> {
    load_user(&mut *db.reader().acquire().await?, id).await
}

pub async fn by_username(db: &Db, username: &str) -> StoreResult<User> {
    let sql = format!("SELECT {} FROM users u WHERE u.username = $1", with_roles(db.backend));
    user_with_roles(&sqlx::query(&sql).bind(clean_username(username)).fetch_optional(db.reader()).await?.ok_or(StoreError::NotFound)?)
}

pub async fn create(db: &Db, actor: &Actor, input: NewUser) -> StoreResult<User> {
    let v = input.validate()?;
    let hash = hash_password(&input.password)?;
    let mut w = db.write(actor).await?;
    let org = crate::orgs::fetch(w.conn(), v.org_id).await.not_found_as("org_id", "Không tìm thấy tổ chức.")?;
    let now = now_ms();
    let inserted = w
        .insert(
            "users",
            vals![
                ("username", v.username.as_str()),
                ("full_name", v.full_name.as_str()),
                ("name_key", text::fold(&v.full_name)),
                ("sort_key", text::sort_key(&v.full_name)),
                ("position", v.position.as_str()),
                ("org_id", org.id),
                ("org_path", org.path.as_str()),
                ("password_hash", hash.as_str()),
                ("created_at", now),
                ("updated_at", now),
            ],
        )
        .await;
    let id = match inserted {
        Err(StoreError::Db(e)) if crate::error::is_unique_violation(&e) => {
            return Err(StoreError::invalid("username", "taken", "Tên đăng nhập này đã có người dùng."));
        }
        other => other?,
    };
    w.insert_plain("role_assignments", vals![("user_id", id), ("role", v.role.code()), ("org_id", org.id), ("created_at", now)]).await?;
    let user: User = w.load(id).await?;
    w.created(&user).await?;
    w.commit().await?;
    Ok(user)
}

/// Checks a username and password; `None` for any mismatch (unknown user,
/// wrong password, disabled account) so callers cannot tell which.
pub async fn authenticate(db: &Db, username: &str, password: &str) -> StoreResult<Option<User>> {
    let row = sqlx::query(&format!("SELECT {}, password_hash FROM users WHERE username = $1", columns()))
        .bind(clean_username(username))
        .fetch_optional(db.reader())
        .await?;
    let Some(row) = row else {
        check_password(password, dummy_hash()).await;
        return Ok(None);
    };
    let hash: String = col(&row, "password_hash")?;
    let mut user = from_row(&row)?;
    if !check_password(password, &hash).await || !user.active {
        return Ok(None);
    }
    load_roles_many(db, std::slice::from_mut(&mut user)).await?;
    Ok(Some(user))
}

pub async fn set_password(db: &Db, actor: &Actor, user_id: i64, password: &str) -> StoreResult<()> {
    let mut inv = Invalid::new();
    validate_password(&mut inv, "password", password);
    inv.into_result()?;
    let hash = hash_password(password)?;
    let mut w = db.write(actor).await?;
    let user: User = w.load(user_id).await?;
    sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2, version = version + 1 WHERE id = $3")
        .bind(&hash)
        .bind(now_ms())
        .bind(user_id)
        .execute(w.conn())
        .await?;
    // A new password ends every other session of that person.
    sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(w.conn()).await?;
    // Who changed whose password and when; never a hash.
    w.audit(audit::Entry { action: AuditAction::Password, kind: RecordKind::User, id: Some(user_id), org_path: Some(&user.org_path), summary: &user.full_name, before: None, after: None })
        .await?;
    w.commit().await?;
    Ok(())
}

#[derive(Debug, Clone, Default)]
pub struct UserFilter {
    pub within: Vec<OrgPath>,
    /// Only the people of the `within` nodes themselves, not of their subtrees.
    pub at_nodes_only: bool,
    pub q: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

/// People working inside the caller's subtrees, by Vietnamese name order.
pub async fn list(db: &Db, f: &UserFilter) -> StoreResult<Page<User>> {
    Ok(listing(db, f, UserOrder::Name, Position::after(f.cursor.as_deref(), limit(f.limit))).await?.page())
}

/// A page of the people `f` selects (its cursor aside) in `order` at `at`.
pub async fn listing(db: &Db, f: &UserFilter, order: UserOrder, at: Position<'_>) -> StoreResult<Listing<User>> {
    use sea_query::{Alias, Expr, Query};
    if f.within.is_empty() {
        return Ok(Listing::empty());
    }
    let mut q = Query::select();
    q.from(Alias::new("users"));
    if f.at_nodes_only {
        // Equality on the path: the same index as a subtree, in name order.
        q.and_where(Expr::col(Alias::new("org_path")).is_in(f.within.iter().map(|p| p.as_str().to_string())));
    } else {
        q.cond_where(within_subtrees("org_path", &crate::orgs::as_queried(db, &f.within).await?));
    }
    if let Some(words) = crate::db::folded_contains(f.q.as_deref(), &["name_key", "username"]) {
        q.cond_where(words);
    }
    let sort = match order {
        UserOrder::Name => SortKey::column("sort_key", false, false),
        UserOrder::Newest => SortKey::id(true),
    };
    let columns = |q: &mut sea_query::SelectStatement| {
        q.columns(User::COLUMNS.iter().copied().map(Alias::new));
    };
    let mut page = crate::page::listing(db, crate::page::Rows::of("users", q), columns, sort, at, from_row).await?;
    load_roles_many(db, &mut page.items).await?;
    Ok(page)
}

// ---- sessions ----

fn random_token() -> String {
    let mut b = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut b);
    hex::encode(b)
}

pub(crate) fn sha256_hex(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

pub const SESSION_TTL_MS: i64 = 12 * 3600 * 1000;

#[derive(Debug, Clone)]
pub struct Session {
    pub user: User,
    pub csrf_token: String,
    pub expires_at: i64,
}

/// Starts a session; returns the secret cookie value (only its hash is stored).
pub async fn start_session(db: &Db, user: &User) -> StoreResult<(String, String)> {
    let token = random_token();
    let csrf = random_token();
    let now = now_ms();
    let actor = user.actor();
    let mut w = db.write(&actor).await?;
    w.insert_plain(
        "sessions",
        vals![("id_hash", sha256_hex(&token)), ("user_id", user.id), ("csrf_token", csrf.as_str()), ("created_at", now), ("expires_at", now + SESSION_TTL_MS)],
    )
    .await?;
    w.audit(audit::Entry { action: AuditAction::SignIn, kind: RecordKind::User, id: Some(user.id), org_path: Some(&user.org_path), summary: &user.full_name, before: None, after: None })
        .await?;
    w.commit().await?;
    Ok((token, csrf))
}

/// Deletes sessions that have expired; returns how many.
pub async fn prune_sessions_in(w: &mut crate::Write<'_>, now: i64) -> StoreResult<u64> {
    Ok(sqlx::query("DELETE FROM sessions WHERE expires_at < $1").bind(now).execute(w.conn()).await?.rows_affected())
}

/// The live session of a cookie, with its user and their roles: one query,
/// because every signed-in request starts here.
pub async fn session(db: &Db, token: &str) -> StoreResult<Option<Session>> {
    let sql = format!(
        "SELECT s.csrf_token, s.expires_at, {} FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = $1 AND s.expires_at > $2",
        with_roles(db.backend)
    );
    let Some(row) = sqlx::query(&sql).bind(sha256_hex(token)).bind(now_ms()).fetch_optional(db.reader()).await? else { return Ok(None) };
    let (csrf_token, expires_at) = (col(&row, "csrf_token")?, col(&row, "expires_at")?);
    let user = user_with_roles(&row)?;
    Ok(user.active.then_some(Session { user, csrf_token, expires_at }))
}

pub async fn end_session(db: &Db, token: &str) -> StoreResult<()> {
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1").bind(sha256_hex(token)).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(())
}

// ---- API tokens ----

/// Creates an API token; the secret is returned once and only its hash kept.
pub async fn create_token(db: &Db, actor: &Actor, user_id: i64, label: &str) -> StoreResult<String> {
    let secret = format!("dh_{}", random_token());
    let mut w = db.write(actor).await?;
    let user: User = w.load(user_id).await?;
    let id = w
        .insert("api_tokens", vals![("user_id", user_id), ("token_hash", sha256_hex(&secret)), ("label", text::normalize_line(label)), ("created_at", now_ms())])
        .await?;
    // The token kind's policy keeps no content: the secret never reaches the log.
    w.audit(audit::Entry { action: AuditAction::Create, kind: RecordKind::ApiToken, id: Some(id), org_path: Some(&user.org_path), summary: &user.full_name, before: None, after: None })
        .await?;
    w.commit().await?;
    Ok(secret)
}

pub async fn user_for_token(db: &Db, secret: &str) -> StoreResult<Option<User>> {
    let sql = format!(
        "SELECT {} FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1 AND t.revoked_at IS NULL",
        with_roles(db.backend)
    );
    let Some(row) = sqlx::query(&sql).bind(sha256_hex(secret)).fetch_optional(db.reader()).await? else { return Ok(None) };
    let user = user_with_roles(&row)?;
    Ok(user.active.then_some(user))
}
