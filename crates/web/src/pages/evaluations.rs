//! The evaluation form of an exemplar, one row per criterion of the set.

use super::{render, render_status, done};
use crate::flash::Done;
use crate::access::{self, Authorized};
use crate::auth::{AuthUser, Signed};
use crate::error::{PageError, PageResult};
use crate::form::Pairs;
use crate::pages::shared::Choice;
use crate::view::Chrome;
use crate::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use dienhinh_domain::Invalid;
use dienhinh_store::evaluations::{self, EvaluationInput, ScoreInput};
use dienhinh_store::exemplars::Exemplar;
use dienhinh_domain::evaluation::default_year;
use dienhinh_store::plans::{CriteriaSet, Criterion};
use dienhinh_store::{Found, StoreError};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "evaluation_form.html")]
struct EvaluationPage {
    chrome: Chrome,
    e: Exemplar,
    /// The sets that bind the exemplar's node and cover a year it can be
    /// evaluated in (from the year it was found to this year).
    sets: Vec<CriteriaSet>,
    /// The sets that bind its node but cover no such year.
    stale: Vec<CriteriaSet>,
    set: Option<CriteriaSet>,
    /// The criteria of `set` that apply to the exemplar's kind.
    criteria: Vec<Criterion>,
    /// The years the form offers: those `set` covers that can be evaluated.
    years: Vec<i64>,
    this_year: i64,
    form: Pairs,
    results: Vec<Choice>,
    errors: Invalid,
}

impl EvaluationPage {
    fn value(&self, name: &str) -> String {
        self.form.get(name)
    }
    /// Nothing is checked until the evaluator chooses.
    fn result_is(&self, criterion: &i64, code: &str) -> bool {
        self.form.get(&format!("result_{criterion}")) == code
    }
    fn score(&self, criterion: &i64) -> String {
        self.form.get(&format!("score_{criterion}"))
    }
    fn comment(&self, criterion: &i64) -> String {
        self.form.get(&format!("comment_{criterion}"))
    }
    fn item_error(&self, criterion: &i64) -> Option<&str> {
        self.errors.for_item("scores", *criterion)
    }
    fn first_year(&self) -> i64 {
        evaluable(&self.e).0
    }
    fn year_is(&self, year: &i64) -> bool {
        self.form.get("period_year") == year.to_string()
    }
}

#[derive(Deserialize, Default)]
pub struct SetQuery {
    #[serde(default)]
    set: Option<i64>,
}

/// The years an exemplar can be evaluated in: from the year it was found to this year.
fn evaluable(e: &Exemplar) -> (i64, i64) {
    let this_year = dienhinh_domain::clock::current_year();
    (e.year_found.min(this_year), this_year)
}

async fn evaluation_page(st: &AppState, me: &AuthUser, e: Exemplar, set_id: Option<i64>, mut form: Pairs, errors: Invalid) -> Result<EvaluationPage, PageError> {
    let years = evaluable(&e);
    let (sets, stale): (Vec<CriteriaSet>, Vec<CriteriaSet>) =
        dienhinh_store::plans::criteria_sets_for(&st.db, &e.org_path).await?.into_iter().partition(|s| default_year((s.period_from, s.period_to), years).is_some());
    // The set asked for, else one covering this year, else the first usable.
    let set = set_id
        .and_then(|id| sets.iter().find(|s| s.id == id))
        .or_else(|| sets.iter().find(|s| (s.period_from..=s.period_to).contains(&years.1)))
        .or_else(|| sets.first())
        .cloned();
    let criteria = set.iter().flat_map(|s| s.criteria.iter().filter(|c| c.applies_to.covers(e.kind)).cloned()).collect();
    let offered = set.as_ref().map(|s| (s.period_from.max(years.0)..=s.period_to.min(years.1)).rev().collect()).unwrap_or_default();
    // The form opens on this year if the set covers it, else its last year that can be evaluated.
    if let (Some(s), true) = (&set, form.get("period_year").is_empty()) {
        let default = default_year((s.period_from, s.period_to), years).expect("a usable set");
        form.0.retain(|(k, _)| k != "period_year");
        form.0.push(("period_year".into(), default.to_string()));
    }
    Ok(EvaluationPage {
        chrome: Chrome::new("Đánh giá điển hình", me, "/exemplars"),
        e,
        sets,
        stale,
        set,
        criteria,
        years: offered,
        this_year: years.1,
        form,
        results: crate::view::coded::<dienhinh_domain::evaluation::EvalResult>(),
        errors,
    })
}

pub async fn evaluation_form(State(st): State<AppState>, Signed(me): Signed, Authorized(e): Authorized<Exemplar>, Query(q): Query<SetQuery>) -> PageResult {
    let defaults = Pairs(vec![("evaluated_on".into(), dienhinh_domain::clock::today_iso()), ("evaluator".into(), me.user.full_name.clone())]);
    render(&evaluation_page(&st, &me, e, q.set, defaults, Invalid::new()).await?)
}

pub async fn add_evaluation(State(st): State<AppState>, Signed(me): Signed, Authorized(e): Authorized<Exemplar>, form: Pairs) -> PageResult {
    let id = e.id;
    let set_id = access::seen_criteria_set(&st, &me, form.int("criteria_set_id").unwrap_or(0)).await?;
    // A set that does not exist is refused by `evaluations::add`.
    let set = dienhinh_store::plans::criteria_set(&st.db, set_id).await.optional()?;
    // The criteria the form offered: those of the set that apply to the
    // exemplar's kind, each answered or not (the domain requires each).
    let scores = set
        .as_ref()
        .map(|s| {
            s.criteria
                .iter()
                .filter(|c| c.applies_to.covers(e.kind))
                .map(|c| {
                    let raw = form.get(&format!("score_{}", c.id)).replace(',', ".");
                    // Not a number: refused by the domain as out of range, with every other error.
                    let score = if raw.trim().is_empty() { None } else { Some(raw.trim().parse::<f64>().unwrap_or(f64::NAN)) };
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
    match evaluations::add(&st.db, &me.actor(), e.id, input).await {
        Ok(_) => done(&st, &format!("/exemplars/{id}"), Done::EvaluationAdded),
        Err(StoreError::Invalid(errors)) => {
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &evaluation_page(&st, &me, e, Some(set_id), form, errors).await?)
        }
        Err(err) => Err(err.into()),
    }
}

