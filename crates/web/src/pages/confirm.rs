//! The confirmation asked before a page action that cannot be undone
//! (taking a step, marking fostering done, deciding on a model, moving a
//! unit): the first post answers a page that says what will happen and
//! posts the same fields again with `confirmed=1`; nothing is written
//! until then. Served by the server, so it works without JavaScript.

use crate::auth::AuthUser;
use crate::error::PageResult;
use crate::form::Pairs;
use crate::view::Chrome;
use askama::Template;

/// The field a confirmed post carries.
pub const CONFIRMED: &str = "confirmed";

#[derive(Template)]
#[template(path = "confirm.html")]
struct ConfirmPage {
    chrome: Chrome,
    heading: String,
    consequence: String,
    action: String,
    fields: Vec<(String, String)>,
    confirmed_field: &'static str,
    confirm_label: String,
    back: String,
}

/// Whether the person confirmed the action posted in `form`.
pub fn confirmed(form: &Pairs) -> bool {
    form.checked(CONFIRMED)
}

/// What to ask before an action.
pub struct Ask<'a> {
    /// The page's heading: the action, e.g. "Xác nhận nâng cấp điển hình".
    pub heading: &'a str,
    /// What will happen, naming the record and where it goes.
    pub consequence: String,
    /// The path the form posts to again.
    pub action: &'a str,
    /// The confirming button's words.
    pub confirm_label: &'a str,
    /// Where "Quay lại" leads (nothing done).
    pub back: &'a str,
}

/// The confirmation page for `ask`, re-posting `form` (its fields as
/// posted, without the CSRF token, which the page sets afresh).
pub fn ask(me: &AuthUser, section: &str, ask: Ask<'_>, form: &Pairs) -> PageResult {
    let fields = form.0.iter().filter(|(k, _)| k != crate::auth::CSRF_FIELD && k != CONFIRMED).cloned().collect();
    super::render(&ConfirmPage {
        chrome: Chrome::new(ask.heading, me, section),
        heading: ask.heading.to_string(),
        consequence: ask.consequence,
        action: ask.action.to_string(),
        fields,
        confirmed_field: CONFIRMED,
        confirm_label: ask.confirm_label.to_string(),
        back: ask.back.to_string(),
    })
}
