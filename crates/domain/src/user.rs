//! Accounts: who may sign in, with which role at which node.

use crate::access::Role;
use crate::validate::Invalid;
use dienhinh_text as text;
use serde::{Deserialize, Serialize};

pub const MIN_PASSWORD: usize = 8;

/// Usernames are ASCII so they can be typed on any keyboard: a–z, 0–9, `.`, `_`, `-`.
pub fn clean_username(raw: &str) -> String {
    raw.trim().to_lowercase()
}

/// Failed sign-ins are counted per username and per client address in a
/// window that opens at the first failure; at the limit the key is locked
/// until the window closes, whatever password is tried.
pub const SIGNIN_WINDOW_MS: i64 = 15 * 60 * 1000;
pub const MAX_FAILURES_PER_USER: i64 = 5;
pub const MAX_FAILURES_PER_ADDRESS: i64 = 30;

/// Milliseconds a key stays locked after `failures` counted since
/// `window_start`, or `None` when it may try again. A window that starts
/// after `now` (another server's clock a little ahead) counts from `now`.
pub fn signin_wait(failures: i64, window_start: i64, max: i64, now: i64) -> Option<i64> {
    let age = (now - window_start).max(0);
    (failures >= max && age < SIGNIN_WINDOW_MS).then(|| SIGNIN_WINDOW_MS - age)
}

pub fn check_username(inv: &mut Invalid, username: &str) {
    let ok_chars = username.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || ".-_".contains(c));
    if username.is_empty() {
        inv.add("username", "required", "Vui lòng nhập tên đăng nhập.");
    } else if !ok_chars || username.len() < 3 || username.len() > 32 {
        inv.add("username", "invalid", "Tên đăng nhập gồm 3–32 ký tự: chữ cái không dấu, chữ số, dấu chấm, gạch dưới hoặc gạch ngang.");
    }
}

pub fn check_password(inv: &mut Invalid, field: &'static str, password: &str) {
    if password.chars().count() < MIN_PASSWORD {
        inv.add(field, "too_short", format!("Mật khẩu phải có ít nhất {MIN_PASSWORD} ký tự."));
    } else if password.len() > 256 {
        inv.add(field, "too_long", "Mật khẩu dài quá 256 ký tự.");
    }
}

// An account as typed (API body, form or command line).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct NewUser {
    pub username: String,
    pub full_name: String,
    #[serde(default)]
    pub position: String,
    /// The node the person works at and where the role is held.
    pub org_id: i64,
    pub role: String,
    pub password: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ValidUser {
    pub username: String,
    pub full_name: String,
    pub position: String,
    pub org_id: i64,
    pub role: Role,
}

impl NewUser {
    /// The fields; the password is checked here and hashed by the store.
    pub fn validate(&self) -> Result<ValidUser, Invalid> {
        let username = clean_username(&self.username);
        let full_name = text::normalize_line(&self.full_name);
        let position = text::normalize_line(&self.position);
        let mut inv = Invalid::new();
        check_username(&mut inv, &username);
        inv.required("full_name", "họ và tên", &full_name, 200);
        inv.max_len("position", "Chức vụ", &position, 200);
        let role = Role::from_code(&self.role);
        if role.is_none() {
            inv.add("role", "invalid", "Vui lòng chọn vai trò.");
        }
        check_password(&mut inv, "password", &self.password);
        inv.into_result()?;
        Ok(ValidUser { username, full_name, position, org_id: self.org_id, role: role.expect("checked") })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signin_locks_at_the_limit_until_the_window_closes() {
        let start = 1_000_000;
        assert_eq!(signin_wait(4, start, 5, start + 10), None);
        assert_eq!(signin_wait(5, start, 5, start + 10), Some(SIGNIN_WINDOW_MS - 10));
        assert_eq!(signin_wait(5, start, 5, start + SIGNIN_WINDOW_MS), None);
        assert_eq!(signin_wait(5, start + 500, 5, start), Some(SIGNIN_WINDOW_MS), "a clock ahead never lengthens the lock");
    }

    #[test]
    fn accounts() {
        let ok = NewUser { username: " Hoa.TT ".into(), full_name: "Trần Thị Hoa".into(), org_id: 3, role: "cap_uy".into(), password: "mat-khau-dai".into(), ..Default::default() };
        let v = ok.validate().unwrap();
        assert_eq!((v.username.as_str(), v.role), ("hoa.tt", Role::CapUy));
        let bad = NewUser { username: "hoà".into(), full_name: " ".into(), role: "vua".into(), password: "ngan".into(), ..ok };
        let fields: Vec<_> = bad.validate().unwrap_err().0.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["username", "full_name", "role", "password"]);
    }
}
