//! The evaluation form of an exemplar, one row per criterion of the set.

use super::{render, render_status, see_other};
use crate::access::{self, Authorized};
use crate::auth::{AuthUser, Signed};
use crate::error::{PageError, PageResult};
use crate::form::Pairs;
use crate::pages::shared::{Choice};
use crate::view::Chrome;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use dienhinh_domain::Invalid;
use dienhinh_store::evaluations::{self, EvaluationInput, ScoreInput};
use dienhinh_store::exemplars::{self, Exemplar};
use dienhinh_store::plans::CriteriaSet;
use dienhinh_store::{Found, StoreError};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "evaluation_form.html")]
struct EvaluationPage {
    chrome: Chrome,
    e: Exemplar,
    sets: Vec<CriteriaSet>,
    set: Option<CriteriaSet>,
    form: Pairs,
    results: Vec<Choice>,
    errors: Invalid,
}

impl EvaluationPage {
    fn value(&self, name: &str) -> String {
        self.form.get(name)
    }
    fn result_is(&self, criterion: &i64, code: &str) -> bool {
        let v = self.form.get(&format!("result_{criterion}"));
        if v.is_empty() { code == dienhinh_domain::evaluation::EvalResult::Dat.code() } else { v == code }
    }
    fn score(&self, criterion: &i64) -> String {
        self.form.get(&format!("score_{criterion}"))
    }
    fn comment(&self, criterion: &i64) -> String {
        self.form.get(&format!("comment_{criterion}"))
    }
}

#[derive(Deserialize, Default)]
pub struct SetQuery {
    #[serde(default)]
    set: Option<i64>,
}

async fn evaluation_page(st: &AppState, me: &AuthUser, e: Exemplar, set_id: Option<i64>, form: Pairs, errors: Invalid) -> Result<EvaluationPage, PageError> {
    let sets = dienhinh_store::plans::criteria_sets_for(&st.db, &e.org_path).await?;
    let set = set_id.and_then(|id| sets.iter().find(|s| s.id == id).cloned()).or_else(|| sets.first().cloned());
    Ok(EvaluationPage { chrome: Chrome::new("Đánh giá điển hình", me, "/exemplars"), e, sets, set, form, results: crate::view::coded::<dienhinh_domain::evaluation::EvalResult>(), errors })
}

pub async fn evaluation_form(State(st): State<AppState>, Signed(me): Signed, Authorized(e): Authorized<Exemplar>, Query(q): Query<SetQuery>) -> PageResult {
    let defaults = Pairs(vec![
        ("period_year".into(), exemplars::current_year().to_string()),
        ("evaluated_on".into(), dienhinh_domain::clock::today_iso()),
        ("evaluator".into(), me.user.full_name.clone()),
    ]);
    render(&evaluation_page(&st, &me, e, q.set, defaults, Invalid::new()).await?)
}

pub async fn add_evaluation(State(st): State<AppState>, Signed(me): Signed, Authorized(e): Authorized<Exemplar>, form: Pairs) -> PageResult {
    let id = e.id;
    let set_id = access::seen_criteria_set(&st, &me, form.int("criteria_set_id").unwrap_or(0)).await?;
    // A set that does not exist is refused by `evaluations::add`.
    let set = dienhinh_store::plans::criteria_set(&st.db, set_id).await.optional()?;
    let mut bad_score = false;
    let scores = set
        .as_ref()
        .map(|s| {
            s.criteria
                .iter()
                .map(|c| {
                    let raw = form.get(&format!("score_{}", c.id)).replace(',', ".");
                    let score = if raw.trim().is_empty() { None } else { raw.trim().parse::<f64>().map_err(|_| bad_score = true).ok() };
                    ScoreInput { criterion_id: c.id, result: form.get(&format!("result_{}", c.id)), score, comment: form.get(&format!("comment_{}", c.id)) }
                })
                .collect()
        })
        .unwrap_or_default();
    let input = EvaluationInput {
        criteria_set_id: set_id,
        period_year: form.int("period_year").unwrap_or(0),
        evaluated_on: form.get("evaluated_on"),
        evaluator: form.get("evaluator"),
        effect: form.get("effect"),
        effectiveness: form.get("effectiveness"),
        potential: form.get("potential"),
        influence_unit: form.get("influence_unit"),
        influence_society: form.get("influence_society"),
        difficulties: form.get("difficulties"),
        help_decided: form.get("help_decided"),
        scores,
    };
    let result = if bad_score {
        Err(StoreError::invalid("scores", "not_a_number", "Điểm phải là một số từ 0 đến 10."))
    } else {
        evaluations::add(&st.db, &me.actor(), e.id, input).await
    };
    match result {
        Ok(_) => see_other(&format!("/exemplars/{id}?saved=1#danh-gia")),
        Err(StoreError::Invalid(errors)) => {
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &evaluation_page(&st, &me, e, Some(set_id), form, errors).await?)
        }
        Err(err) => Err(err.into()),
    }
}

