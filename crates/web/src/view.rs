//! What every page shares: the layout's data (navigation for the caller's
//! roles, the CSRF token), and formatting of times and numbers.

use crate::auth::AuthUser;
use askama::Template;
use dienhinh_domain::{Action, Role};

pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    pub active: bool,
}

/// Data of the layout around every page.
pub struct Chrome {
    pub title: String,
    pub user_name: String,
    pub user_role: String,
    pub signed_in: bool,
    pub csrf: String,
    pub nav: Vec<NavItem>,
    /// What the previous page did (`flash`), announced at the top or in
    /// its section ([`Chrome::flash_in`]).
    pub flash: Option<crate::flash::Done>,
}

impl Chrome {
    /// Layout for a page seen by `user`; `section` marks the active nav item.
    pub fn new(title: impl Into<String>, user: &AuthUser, section: &str) -> Self {
        let root_can = |a: Action| !user.scope(a).is_empty();
        let mut nav = vec![NavItem { href: "/", label: "Tổng quan", active: section == "/" }];
        let mut add = |href: &'static str, label: &'static str, show: bool| {
            if show {
                nav.push(NavItem { href, label, active: section == href });
            }
        };
        add("/exemplars", "Điển hình", root_can(Action::View));
        add("/dashboard", "Thống kê", root_can(Action::View));
        add("/models", "Mô hình của năm", root_can(Action::View));
        add("/reviews", "Báo cáo", root_can(Action::View));
        add("/propaganda", "Tuyên truyền", root_can(Action::View));
        add("/stories", "Bài viết", root_can(Action::View));
        add("/rounds", "Khen thưởng", true);
        add("/orgs", "Tổ chức", root_can(Action::View));
        add("/plans", "Kế hoạch, tiêu chí", root_can(Action::View));
        add("/catalog", "Danh mục", root_can(Action::View));
        add("/users", "Người dùng", root_can(Action::View));
        add("/audit", "Nhật ký", root_can(Action::ViewAudit));
        let role = user
            .user
            .roles
            .first()
            .map(|r| {
                let label = r.role.label();
                format!("{label} · {}", r.org_name)
            })
            .unwrap_or_default();
        Chrome {
            title: title.into(),
            user_name: user.user.full_name.clone(),
            user_role: role,
            signed_in: true,
            csrf: user.csrf.clone().unwrap_or_default(),
            nav,
            flash: user.flash,
        }
    }

    /// The announcement shown at the top of the page: one without a section.
    pub fn flash_top(&self) -> Option<&'static str> {
        self.flash.filter(|d| d.section().is_none()).map(|d| d.message())
    }

    /// The announcement shown inside the section `id` of the page.
    pub fn flash_in(&self, id: &str) -> Option<&'static str> {
        self.flash.filter(|d| d.section() == Some(id)).map(|d| d.message())
    }

    /// Layout without a signed-in user (sign-in and error pages).
    pub fn bare(title: impl Into<String>) -> Self {
        Chrome { title: title.into(), user_name: String::new(), user_role: String::new(), signed_in: false, csrf: String::new(), nav: vec![], flash: None }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub chrome: Chrome,
    pub status: u16,
    pub message: String,
}

pub use dienhinh_domain::clock::{datetime_vn as datetime, iso_to_vn as date_iso_to_vn};

/// `1234567` → `1.234.567` (Vietnamese digit grouping).
/// A figure counted up to `figures::COUNT_CAP`: "hơn 999" once it reaches it.
pub fn capped(n: i64) -> String {
    use dienhinh_store::figures::COUNT_CAP;
    if n >= COUNT_CAP {
        format!("hơn {}", number(COUNT_CAP - 1))
    } else {
        number(n)
    }
}

/// `1234567` as Vietnamese writes it: `1.234.567` (a value or, from a
/// template, a reference to one).
pub fn number(n: impl std::borrow::Borrow<i64>) -> String {
    let n = *n.borrow();
    let s = n.abs().to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

pub fn role_label(code: &str) -> &'static str {
    Role::from_code(code).map(|r| r.label()).unwrap_or("")
}

/// A choice of a picker: (code, label).
pub type Choice = (String, String);

/// A whole code table as choices, in its order.
pub fn coded<T: dienhinh_domain::Coded>() -> Vec<Choice> {
    T::ALL.iter().map(|v| (v.code().to_string(), v.label().to_string())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(number(1234567), "1.234.567");
        assert_eq!(number(12), "12");
        assert_eq!(number(-1000), "-1.000");
        assert_eq!(date_iso_to_vn("2023-07-03"), "3/7/2023");
        // 2026-01-01T00:00:00Z is 07:00 in Hà Nội.
        assert_eq!(datetime(1_767_225_600_000), "01/01/2026 07:00");
    }
}
