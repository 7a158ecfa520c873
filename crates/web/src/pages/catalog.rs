//! The programme's catalogue: fields (lĩnh vực) and emulation movements
//! (phong trào thi đua, cuộc vận động) kept by the bloc, and the sector
//! criteria each TCCS adds under the plan (IV.1).

use dienhinh_domain::evaluation::AppliesTo;
use super::{render_status, see_other};
use crate::access;
use crate::auth::{AuthUser, Signed};
use crate::error::{PageError, PageResult};
use crate::form::Pairs;
use crate::view::Chrome;
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use dienhinh_domain::{Action, Invalid};
use dienhinh_store::exemplars::{self, Named};
use dienhinh_store::plans::{self, Criterion};
use dienhinh_store::{orgs, StoreError};

#[derive(Template)]
#[template(path = "catalog.html")]
struct CatalogPage {
    chrome: Chrome,
    fields: Vec<Named>,
    movements: Vec<Named>,
    can_guide: bool,
    guide_orgs: Vec<(i64, String)>,
    criteria_orgs: Vec<(i64, String)>,
    form: Pairs,
    errors: Invalid,
    saved: bool,
}

impl CatalogPage {
    fn value(&self, name: &str) -> String {
        self.form.get(name)
    }
}

async fn page(st: &AppState, me: &AuthUser, form: Pairs, errors: Invalid, saved: bool) -> Result<CatalogPage, PageError> {
    let names = |v: Vec<orgs::Org>| v.into_iter().map(|o| (o.id, o.name)).collect::<Vec<_>>();
    let guide = me.scope(Action::Guide);
    Ok(CatalogPage {
        chrome: Chrome::new("Lĩnh vực, phong trào, tiêu chí", me, "/catalog"),
        fields: exemplars::fields(&st.db).await?,
        movements: exemplars::movements_for(&st.db, &me.user.org_path).await?,
        can_guide: !guide.is_empty(),
        guide_orgs: names(orgs::all_within(&st.db, &guide, 200).await?.into_iter().filter(|o| o.kind != dienhinh_domain::OrgKind::ChiBo).collect()),
        criteria_orgs: names(orgs::all_within(&st.db, &me.scope(Action::ApproveUnit), 200).await?.into_iter().filter(|o| o.kind == dienhinh_domain::OrgKind::Tccs).collect()),
        form,
        errors,
        saved,
    })
}

#[derive(serde::Deserialize, Default)]
pub struct SavedQuery {
    #[serde(default)]
    saved: Option<String>,
}

pub async fn show(State(st): State<AppState>, Signed(me): Signed, axum::extract::Query(q): axum::extract::Query<SavedQuery>) -> PageResult {
    render_status(StatusCode::OK, &page(&st, &me, Pairs(vec![]), Invalid::new(), q.saved.is_some()).await?)
}

async fn finish<T>(st: &AppState, me: &AuthUser, form: Pairs, result: Result<T, StoreError>) -> PageResult {
    match result {
        Ok(_) => see_other("/catalog?saved=1"),
        Err(StoreError::Invalid(errors)) => render_status(StatusCode::UNPROCESSABLE_ENTITY, &page(st, me, form, errors, false).await?),
        Err(e) => Err(e.into()),
    }
}

pub async fn add_field(State(st): State<AppState>, Signed(me): Signed, form: Pairs) -> PageResult {
    let r = exemplars::create_field(&st.db, &me.actor(), &form.get("field_name")).await;
    finish(&st, &me, form, r).await
}

pub async fn add_movement(State(st): State<AppState>, Signed(me): Signed, form: Pairs) -> PageResult {
    let org = access::target(&st, &me, form.int("org_id").unwrap_or(0), Action::Guide).await?;
    let years = (form.int("year_from").unwrap_or(0), form.int("year_to"));
    let r = exemplars::create_movement(&st.db, &me.actor(), org.id, &form.get("movement_name"), &form.get("launched_by"), years).await;
    finish(&st, &me, form, r).await
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
    let org = access::target(&st, &me, form.int("org_id").unwrap_or(0), Action::ApproveUnit).await?;
    let plan_id = plans::plans_for(&st.db, org.path.as_str()).await?.into_iter().find(|p| p.org_id == org.id).map(|p| p.id);
    let prefix = org.short_name.clone().chars().filter(|c| c.is_alphanumeric()).collect::<String>();
    let criteria = parse_criteria(&form.get("criteria"), if prefix.is_empty() { "TC" } else { &prefix });
    let period = (form.int("period_from").unwrap_or(0), form.int("period_to").unwrap_or(0));
    let r = plans::create_criteria_set(&st.db, &me.actor(), org.id, plan_id, &form.get("set_name"), period, &criteria).await;
    finish(&st, &me, form, r).await
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
