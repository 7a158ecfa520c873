//! The programme's catalogue: fields (lĩnh vực) and emulation movements
//! (phong trào thi đua, cuộc vận động) kept by the bloc, and the sector
//! criteria each TCCS adds under the plan (IV.1).

use dienhinh_domain::evaluation::AppliesTo;
use super::{render_status, done};
use crate::flash::Done;
use crate::access;
use crate::auth::{AuthUser, Signed};
use crate::error::{PageError, PageResult};
use crate::form::Pairs;
use crate::picker::{self, UnitPicker};
use crate::view::Chrome;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use dienhinh_domain::{Action, Invalid};
use dienhinh_store::exemplars::{self, Named};
use dienhinh_store::plans::{self, Criterion};
use dienhinh_store::StoreError;

#[derive(Template)]
#[template(path = "catalog.html")]
struct CatalogPage {
    chrome: Chrome,
    fields: Vec<Named>,
    movements: Vec<Named>,
    can_guide: bool,
    /// Where movements may be launched (none without the right).
    movement_unit: Option<UnitPicker>,
    /// Which TCCS may get sector criteria.
    criteria_unit: Option<UnitPicker>,
    /// The movement form was posted: keep it open.
    movement_open: bool,
    form: Pairs,
    errors: Invalid,
}

impl CatalogPage {
    fn value(&self, name: &str) -> String {
        self.form.get(name)
    }
}

/// Which of the page's forms was posted: its picker follows what was chosen.
#[derive(Clone, Copy, PartialEq)]
enum Posted {
    Nothing,
    Movement,
    Criteria,
}

async fn page(st: &AppState, me: &AuthUser, form: Pairs, errors: Invalid, posted: Posted) -> Result<CatalogPage, PageError> {
    let chosen = |p: Posted| if posted == p { form.int("org_id") } else { None };
    let unit = |action: Action, p: Posted, kinds: &'static picker::Kinds| {
        let scope = me.scope(action);
        async move { Ok::<_, PageError>(if scope.is_empty() { None } else { Some(UnitPicker::load(st, "org_id", &scope, chosen(p), kinds).await?) }) }
    };
    let guide = me.scope(Action::Guide);
    Ok(CatalogPage {
        chrome: Chrome::new("Lĩnh vực, phong trào, tiêu chí", me, "/catalog"),
        fields: exemplars::fields(&st.db).await?,
        movements: exemplars::movements_for(&st.db, &me.user.org_path).await?,
        can_guide: !guide.is_empty(),
        movement_unit: unit(Action::Guide, Posted::Movement, &picker::ABOVE_CHI_BO).await?,
        criteria_unit: unit(Action::ApproveUnit, Posted::Criteria, &picker::TCCS).await?,
        movement_open: posted == Posted::Movement,
        form,
        errors,
    })
}

pub async fn show(State(st): State<AppState>, Signed(me): Signed) -> PageResult {
    render_status(StatusCode::OK, &page(&st, &me, Pairs(vec![]), Invalid::new(), Posted::Nothing).await?)
}

/// The unit picker's drill-down: the page again, the posted form around the
/// chosen unit with what was typed; nothing saved.
async fn redraw(st: &AppState, me: &AuthUser, form: Pairs, posted: Posted) -> PageResult {
    render_status(StatusCode::OK, &page(st, me, form, Invalid::new(), posted).await?)
}

async fn finish<T>(st: &AppState, me: &AuthUser, form: Pairs, posted: Posted, result: Result<T, StoreError>) -> PageResult {
    match result {
        Ok(_) => done(st, "/catalog", Done::CatalogSaved),
        Err(StoreError::Invalid(errors)) => render_status(StatusCode::UNPROCESSABLE_ENTITY, &page(st, me, form, errors, posted).await?),
        Err(e) => Err(e.into()),
    }
}

pub async fn add_field(State(st): State<AppState>, Signed(me): Signed, form: Pairs) -> PageResult {
    let r = exemplars::create_field(&st.db, &me.actor(), &form.get("field_name")).await;
    finish(&st, &me, form, Posted::Nothing, r).await
}

pub async fn add_movement(State(st): State<AppState>, Signed(me): Signed, form: Pairs) -> PageResult {
    if form.checked(picker::DRILL) {
        return redraw(&st, &me, form, Posted::Movement).await;
    }
    let org = access::target(&st, &me, form.int("org_id").unwrap_or(0), Action::Guide).await?;
    let years = (form.int("year_from").unwrap_or(0), form.int("year_to"));
    let r = match picker::ABOVE_CHI_BO.check("org_id", &org) {
        Ok(()) => exemplars::create_movement(&st.db, &me.actor(), org.id, &form.get("movement_name"), &form.get("launched_by"), years).await,
        Err(e) => Err(e.into()),
    };
    finish(&st, &me, form, Posted::Movement, r).await
}

/// Parses criteria typed one per line; a line may start with `[tập thể]` or
/// `[cá nhân]` (otherwise it applies to both).
pub fn parse_criteria(lines: &str, prefix: &str) -> Vec<Criterion> {
    lines
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .enumerate()
        .map(|(i, line)| {
            let folded = dienhinh_text::fold(line);
            let (applies, text) = if folded.starts_with("tap the") && line.starts_with('[') {
                (AppliesTo::TapThe, line.split_once(']').map(|x| x.1).unwrap_or(line))
            } else if folded.starts_with("ca nhan") && line.starts_with('[') {
                (AppliesTo::CaNhan, line.split_once(']').map(|x| x.1).unwrap_or(line))
            } else {
                (AppliesTo::Chung, line)
            };
            Criterion { id: 0, code: format!("{prefix}.{}", i + 1), applies_to: applies, text: text.trim().to_string() }
        })
        .collect()
}

pub async fn add_criteria_set(State(st): State<AppState>, Signed(me): Signed, form: Pairs) -> PageResult {
    if form.checked(picker::DRILL) {
        return redraw(&st, &me, form, Posted::Criteria).await;
    }
    let org = access::target(&st, &me, form.int("org_id").unwrap_or(0), Action::ApproveUnit).await?;
    let plan_id = plans::plans_for(&st.db, &org.path).await?.into_iter().find(|p| p.org_id == org.id).map(|p| p.id);
    let prefix = org.short_name.clone().chars().filter(|c| c.is_alphanumeric()).collect::<String>();
    let criteria = parse_criteria(&form.get("criteria"), if prefix.is_empty() { "TC" } else { &prefix });
    let period = (form.int("period_from").unwrap_or(0), form.int("period_to").unwrap_or(0));
    let r = match picker::TCCS.check("org_id", &org) {
        Ok(()) => plans::create_criteria_set(&st.db, &me.actor(), org.id, plan_id, &form.get("set_name"), period, &criteria).await,
        Err(e) => Err(e.into()),
    };
    finish(&st, &me, form, Posted::Criteria, r).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn criteria_lines() {
        let c = parse_criteria("Bảo đảm an toàn điện\n\n[Tập thể] Không có tai nạn lao động\n[cá nhân] Có sáng kiến được công nhận\n", "ĐL");
        assert_eq!(c.len(), 3);
        assert_eq!((c[0].code.as_str(), c[0].applies_to.code()), ("ĐL.1", "chung"));
        assert_eq!((c[1].applies_to.code(), c[1].text.as_str()), ("tap_the", "Không có tai nạn lao động"));
        assert_eq!(c[2].applies_to, AppliesTo::CaNhan);
    }
}
