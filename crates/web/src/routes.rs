//! Every route of the UI and the API, in one table that the router is built
//! from and that the access tests read. Each route declares the rule it
//! enforces; a route cannot be added without one, and the router enforces
//! it (`access::enforce`) before the handler runs.

use crate::auth::AuthUser;
use crate::{access, api, auth, pages, security, AppState};
use axum::http::Method;
use axum::routing::{get, post, put, MethodRouter};
use axum::Router;
use dienhinh_domain::exemplar::Step;
use dienhinh_domain::access::CouncilDuty;
use dienhinh_domain::{Action, OrgPath, RecordKind};
use std::sync::Arc;

/// The permission rule a route enforces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not.
    Public,
    /// Any signed-in person; the page shows only what their scope allows.
    SignedIn,
    /// The action, at the node of the record named in the path (or, for
    /// lists and creation, somewhere in the caller's scope).
    Needs(Action),
    /// An exemplar's step: one of the permissions `exemplar::Step::needs_any`
    /// names for the step posted, at the exemplar's node (the one its level
    /// needs is decided by `exemplar::check`).
    Step,
    /// Recording spread (replication, study visit): EnterData or Guide at
    /// the exemplar's node.
    Spread,
    /// The action at the record's node or at a node below it: a TCCS
    /// nominating into its bloc's round (the exemplar's own node is then
    /// checked with `access::target`).
    Within(Action),
    /// A step of a nomination: one of the permissions
    /// `commendation::NominationStep::needs` names at the nomination's node
    /// (the one the step posted needs, at the right node, is decided by
    /// `commendation::check_step`).
    NominationStep,
    /// A seat in the council of the round the record belongs to
    /// (`access::council_allows`): membership is a role held for a round.
    Council(CouncilDuty),
    /// What concerns every unit of a round (its tờ trình, its lists, a
    /// session's biên bản): View at the record's own node, not through a
    /// round's binding of its subtree, or a seat in the round's council.
    WholeRound,
}

/// Who may take some step of a nomination.
pub const NOMINATION_STEP: [Action; 3] = [Action::EnterData, Action::Guide, Action::ApproveBloc];

/// Who may record spread: those who enter data at the exemplar's node or
/// guide the bloc there.
pub const SPREAD: [Action; 2] = [Action::EnterData, Action::Guide];

impl Access {
    /// Whether the caller may do what the route does at `at`, the node of
    /// the record it names. `step` is the step posted to a `Step` route
    /// (`None` when unknown: the handler refuses it).
    pub fn allows(self, me: &AuthUser, at: &OrgPath, step: Option<Step>) -> bool {
        match self {
            Access::Public | Access::SignedIn => true,
            Access::Needs(action) => me.can(action, at),
            Access::Step => step.is_none_or(|s| s.needs_any().into_iter().any(|a| me.can(a, at))),
            Access::Spread => SPREAD.iter().any(|a| me.can(*a, at)),
            Access::Within(action) => me.assignments.iter().any(|a| dienhinh_domain::access::role_grants(a.role, action) && (a.org_path.contains(at) || at.contains(&a.org_path))),
            Access::NominationStep => NOMINATION_STEP.iter().any(|a| me.can(*a, at)),
            // Judged against the caller's seats by `access::enforce`.
            Access::Council(_) => false,
            // Seats are added by `access::enforce`.
            Access::WholeRound => me.can(Action::View, at),
        }
    }

    /// For a route without a record: whether the caller holds the rule
    /// anywhere in their scope.
    pub fn held(self, me: &AuthUser) -> bool {
        let somewhere = |a: Action| !me.scope(a).is_empty();
        match self {
            Access::Public | Access::SignedIn | Access::Step => true,
            Access::Needs(action) => somewhere(action),
            Access::Spread => SPREAD.into_iter().any(somewhere),
            Access::Within(action) => somewhere(action),
            Access::NominationStep => NOMINATION_STEP.into_iter().any(somewhere),
            Access::Council(_) | Access::WholeRound => false,
        }
    }
}

#[derive(Debug, Clone)]
pub struct RouteSpec {
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
    /// The kind of record `{id}` names, loaded and checked before the handler.
    pub record: Option<RecordKind>,
    /// The kind of a nested `{item}`, which must belong to the `{id}` record.
    pub item: Option<RecordKind>,
}

pub struct Route {
    pub spec: RouteSpec,
    pub handler: MethodRouter<AppState>,
}

fn r(method: Method, path: &'static str, access: Access, handler: MethodRouter<AppState>) -> Route {
    let record = named(path, "{id}");
    let item = named(path, "{item}");
    assert!(
        record.is_some() || !matches!(access, Access::Step | Access::Spread | Access::Within(_) | Access::NominationStep | Access::Council(_) | Access::WholeRound),
        "{method} {path}: a step, spread or council route names no record"
    );
    Route { spec: RouteSpec { method, path, access, record, item }, handler }
}

/// The kind of record the parameter `param` of `path` names, by the segment
/// before it (`access::kind_named`); a parameter of an unknown kind stops the
/// program at start-up.
fn named(path: &str, param: &str) -> Option<RecordKind> {
    let segments: Vec<&str> = path.split('/').collect();
    let at = segments.iter().position(|s| *s == param)?;
    let kind = at.checked_sub(1).and_then(|i| access::kind_named(segments[i]));
    Some(kind.unwrap_or_else(|| panic!("{path}: {param} names a record of no known kind; add it to access::kind_named")))
}

pub fn table() -> Vec<Route> {
    use Access::*;
    use Action::*;
    use Method as M;
    vec![
        // Infrastructure
        r(M::GET, "/healthz", Public, get(pages::healthz)),
        r(M::GET, "/static/app.css", Public, get(pages::stylesheet)),
        r(M::GET, "/favicon.ico", Public, get(pages::favicon)),
        r(M::GET, "/api/openapi.json", Public, get(api::openapi::document)),
        // The public portal (`pages::portal`): published records only
        r(M::GET, "/bai-viet", Public, get(pages::portal::stories)),
        r(M::GET, "/bai-viet/{slug}", Public, get(pages::portal::story)),
        r(M::GET, "/dien-hinh", Public, get(pages::portal::gallery)),
        r(M::GET, "/dien-hinh/{slug}", Public, get(pages::portal::exemplar)),
        r(M::GET, "/tim-kiem", Public, get(pages::portal::search)),
        r(M::GET, "/feed.atom", Public, get(pages::portal::feed)),
        r(M::GET, "/sitemap.xml", Public, get(pages::portal::sitemap)),
        r(M::GET, "/robots.txt", Public, get(pages::portal::robots)),
        r(M::GET, "/static/portal-card.png", Public, get(pages::portal::card_image)),
        r(M::GET, "/anh/{n}", Public, get(pages::portal::image)),
        // Account
        r(M::GET, "/login", Public, get(pages::account::login_form)),
        r(M::POST, "/login", Public, post(pages::account::login)),
        r(M::POST, "/logout", SignedIn, post(pages::account::logout)),
        r(M::GET, "/account/password", SignedIn, get(pages::account::password_form)),
        r(M::POST, "/account/password", SignedIn, post(pages::account::change_password)),
        r(M::GET, "/account/resume", SignedIn, get(pages::account::resume)),
        // Pages
        r(M::GET, "/", Public, get(pages::portal::root)),
        r(M::GET, "/search", SignedIn, get(pages::search::show)),
        r(M::GET, "/dashboard", Needs(View), get(pages::dashboard::show)),
        r(M::GET, "/dashboard/figures.xlsx", Needs(View), get(pages::dashboard::workbook)),
        r(M::GET, "/dashboard/report.docx", Needs(View), get(pages::dashboard::report_docx)),
        r(M::GET, "/orgs", Needs(View), get(pages::orgs::list)),
        r(M::GET, "/orgs/new", Needs(ManageOrgs), get(pages::orgs::new_form)),
        r(M::POST, "/orgs", Needs(ManageOrgs), post(pages::orgs::create)),
        r(M::GET, "/orgs/{id}", Needs(View), get(pages::orgs::show)),
        r(M::GET, "/orgs/{id}/edit", Needs(ManageOrgs), get(pages::orgs::edit_form)),
        r(M::POST, "/orgs/{id}", Needs(ManageOrgs), post(pages::orgs::update)),
        r(M::POST, "/orgs/{id}/move", Needs(ManageOrgs), post(pages::orgs::move_to)),
        r(M::GET, "/users", Needs(View), get(pages::users::list)),
        r(M::GET, "/users/new", Needs(ManageUsers), get(pages::users::new_form)),
        r(M::POST, "/users", Needs(ManageUsers), post(pages::users::create)),
        r(M::GET, "/users/{id}", Needs(View), get(pages::users::show)),
        r(M::GET, "/plans", SignedIn, get(pages::plans::list)),
        r(M::GET, "/plans/{id}", Needs(View), get(pages::plans::show)),
        r(M::GET, "/audit", Needs(ViewAudit), get(pages::audit::list)),
        r(M::GET, "/catalog", SignedIn, get(pages::catalog::show)),
        r(M::POST, "/catalog/fields", Needs(Guide), post(pages::catalog::add_field)),
        r(M::POST, "/catalog/movements", Needs(Guide), post(pages::catalog::add_movement)),
        r(M::POST, "/catalog/criteria", Needs(ApproveUnit), post(pages::catalog::add_criteria_set)),
        r(M::GET, "/models", Needs(View), get(pages::models::list)),
        r(M::POST, "/models", Needs(EnterData), post(pages::models::register)),
        r(M::POST, "/models/{id}/decision", Needs(ApproveUnit), post(pages::models::decide)),
        r(M::GET, "/exemplars", Needs(View), get(pages::exemplars::list)),
        r(M::GET, "/exemplars/new", Needs(EnterData), get(pages::exemplars::new_form)),
        r(M::POST, "/exemplars", Needs(EnterData), post(pages::exemplars::create)),
        r(M::GET, "/exemplars/{id}", Needs(View), get(pages::exemplars::show)),
        r(M::GET, "/exemplars/{id}/print", Needs(View), get(pages::exemplars::print)),
        r(M::GET, "/exemplars/{id}/profile.docx", Needs(View), get(pages::exemplars::profile_docx)),
        r(M::GET, "/exemplars/{id}/edit", Needs(EnterData), get(pages::exemplars::edit_form)),
        r(M::POST, "/exemplars/{id}", Needs(EnterData), post(pages::exemplars::update)),
        r(M::POST, "/exemplars/{id}/steps", Step, post(pages::exemplars::step)),
        r(M::POST, "/exemplars/{id}/fostering", Needs(EnterData), post(pages::fostering::add_fostering)),
        r(M::POST, "/exemplars/{id}/fostering/{item}/status", Needs(EnterData), post(pages::fostering::fostering_status)),
        r(M::GET, "/exemplars/{id}/evaluations/new", Needs(Evaluate), get(pages::evaluations::evaluation_form)),
        r(M::POST, "/exemplars/{id}/evaluations", Needs(Evaluate), post(pages::evaluations::add_evaluation)),
        r(M::POST, "/exemplars/{id}/replications", Spread, post(pages::spread::add_replication)),
        r(M::POST, "/exemplars/{id}/visits", Spread, post(pages::spread::add_visit)),
        r(M::POST, "/exemplars/{id}/attachments", Needs(EnterData), upload(post(pages::attachments::upload))),
        r(M::GET, "/attachments/{id}", Needs(View), get(pages::attachments::download)),
        r(M::GET, "/propaganda", Needs(View), get(pages::propaganda::list)),
        r(M::POST, "/propaganda", Needs(Publicise), post(pages::propaganda::create)),
        r(M::GET, "/propaganda/{id}", Needs(View), get(pages::propaganda::show)),
        r(M::POST, "/propaganda/{id}", Needs(Publicise), post(pages::propaganda::update)),
        r(M::GET, "/reviews", Needs(View), get(pages::reviews::list)),
        r(M::POST, "/reviews", Needs(EnterData), post(pages::reviews::create)),
        r(M::GET, "/reviews/aggregate", Needs(View), get(pages::reviews::aggregate)),
        r(M::GET, "/reviews/aggregate/report.docx", Needs(View), get(pages::reviews::aggregate_docx)),
        r(M::GET, "/reviews/{id}/report.docx", Needs(View), get(pages::reviews::report_docx)),
        r(M::GET, "/reviews/{id}", Needs(View), get(pages::reviews::show)),
        r(M::POST, "/reviews/{id}", Needs(EnterData), post(pages::reviews::update)),
        r(M::POST, "/reviews/{id}/submit", Needs(ApproveUnit), post(pages::reviews::submit)),
        r(M::POST, "/reviews/{id}/return", Needs(Guide), post(pages::reviews::send_back)),
        r(M::POST, "/reviews/{id}/accept", Needs(Guide), post(pages::reviews::accept)),
        r(M::GET, "/stories", Needs(View), get(pages::stories::list)),
        r(M::POST, "/stories", Needs(EnterData), post(pages::stories::create)),
        r(M::GET, "/stories/{id}", Needs(View), get(pages::stories::show)),
        r(M::POST, "/stories/{id}", Needs(EnterData), post(pages::stories::update)),
        r(M::POST, "/stories/{id}/images", Needs(EnterData), upload(post(pages::stories::upload_image))),
        r(M::POST, "/stories/{id}/submit", Needs(EnterData), post(pages::stories::submit)),
        r(M::POST, "/stories/{id}/review", Needs(Guide), post(pages::stories::review)),
        r(M::POST, "/stories/{id}/unpublish", Needs(Guide), post(pages::stories::unpublish)),
        r(M::GET, "/rounds", SignedIn, get(pages::commendation::list)),
        r(M::GET, "/rounds/new", Needs(Guide), get(pages::commendation::new_round_form)),
        r(M::POST, "/rounds", Needs(Guide), post(pages::commendation::create_round)),
        r(M::GET, "/rounds/{id}", Needs(View), get(pages::commendation::show_round)),
        r(M::POST, "/rounds/{id}/nominations", Within(EnterData), post(pages::commendation::nominate)),
        r(M::POST, "/rounds/{id}/sessions", Council(CouncilDuty::Clerk), post(pages::commendation::open_session)),
        r(M::POST, "/rounds/{id}/outcome", Needs(ApproveBloc), post(pages::commendation::conclude)),
        r(M::GET, "/nominations/{id}", Needs(View), get(pages::commendation::show_nomination)),
        r(M::POST, "/nominations/{id}/dossier", Needs(EnterData), post(pages::commendation::save_dossier)),
        r(M::POST, "/nominations/{id}/attachments", Needs(EnterData), upload(post(pages::commendation::upload))),
        r(M::POST, "/nominations/{id}/steps", NominationStep, post(pages::commendation::step)),
        r(M::POST, "/nominations/{id}/upward", Needs(ApproveBloc), post(pages::commendation::upward)),
        r(M::GET, "/rounds/{id}/nominees.xlsx", Needs(View), get(pages::commendation::nominees_xlsx)),
        r(M::GET, "/rounds/{id}/proposal.docx", WholeRound, get(pages::commendation::proposal_docx)),
        r(M::GET, "/rounds/{id}/annex.docx", WholeRound, get(pages::commendation::annex_docx)),
        r(M::GET, "/nominations/{id}/report.docx", Needs(View), get(pages::commendation::report_docx)),
        r(M::GET, "/sessions/{id}/minutes.docx", WholeRound, get(pages::commendation::minutes_docx)),
        r(M::GET, "/sessions/{id}", Needs(View), get(pages::commendation::show_session)),
        r(M::POST, "/sessions/{id}/votes", Council(CouncilDuty::Vote), post(pages::commendation::vote)),
        r(M::POST, "/sessions/{id}/written-votes", Council(CouncilDuty::Clerk), post(pages::commendation::written_vote)),
        r(M::POST, "/sessions/{id}/close", Council(CouncilDuty::Clerk), post(pages::commendation::close_session)),
        // JSON API
        r(M::GET, "/api/v1/me", SignedIn, get(api::users::me)),
        r(M::GET, "/api/v1/figures", Needs(View), get(api::figures::period)),
        r(M::GET, "/api/v1/orgs", Needs(View), get(api::orgs::list)),
        r(M::POST, "/api/v1/orgs", Needs(ManageOrgs), post(api::orgs::create)),
        r(M::GET, "/api/v1/orgs/{id}", Needs(View), get(api::orgs::get)),
        r(M::PUT, "/api/v1/orgs/{id}", Needs(ManageOrgs), put(api::orgs::update)),
        r(M::POST, "/api/v1/orgs/{id}/move", Needs(ManageOrgs), post(api::orgs::move_to)),
        r(M::GET, "/api/v1/users", Needs(View), get(api::users::list)),
        r(M::POST, "/api/v1/users", Needs(ManageUsers), post(api::users::create)),
        r(M::GET, "/api/v1/users/{id}", Needs(View), get(api::users::get)),
        r(M::GET, "/api/v1/audit", Needs(ViewAudit), get(api::audit::list)),
        r(M::GET, "/api/v1/plans", SignedIn, get(api::plans::list)),
        r(M::GET, "/api/v1/plans/{id}", Needs(View), get(api::plans::get)),
        r(M::GET, "/api/v1/exemplars", Needs(View), get(api::exemplars::list)),
        r(M::POST, "/api/v1/exemplars", Needs(EnterData), post(api::exemplars::create)),
        r(M::GET, "/api/v1/exemplars/{id}", Needs(View), get(api::exemplars::get)),
        r(M::PUT, "/api/v1/exemplars/{id}", Needs(EnterData), put(api::exemplars::update)),
        r(M::GET, "/api/v1/exemplars/{id}/steps", Needs(View), get(api::exemplars::steps)),
        r(M::POST, "/api/v1/exemplars/{id}/steps", Step, post(api::exemplars::step)),
        r(M::GET, "/api/v1/exemplars/{id}/fostering", Needs(View), get(api::fostering::list_fostering)),
        r(M::POST, "/api/v1/exemplars/{id}/fostering", Needs(EnterData), post(api::fostering::add_fostering)),
        r(M::GET, "/api/v1/exemplars/{id}/evaluations", Needs(View), get(api::evaluations::list_evaluations)),
        r(M::POST, "/api/v1/exemplars/{id}/evaluations", Needs(Evaluate), post(api::evaluations::add_evaluation)),
        r(M::GET, "/api/v1/exemplars/{id}/replications", Needs(View), get(api::spread::list_replications)),
        r(M::POST, "/api/v1/exemplars/{id}/replications", Spread, post(api::spread::add_replication)),
        r(M::GET, "/api/v1/exemplars/{id}/visits", Needs(View), get(api::spread::list_visits)),
        r(M::POST, "/api/v1/exemplars/{id}/visits", Spread, post(api::spread::add_visit)),
        r(M::GET, "/api/v1/fields", SignedIn, get(api::catalog::fields)),
        r(M::POST, "/api/v1/fields", Needs(Guide), post(api::catalog::add_field)),
        r(M::GET, "/api/v1/movements", SignedIn, get(api::catalog::movements)),
        r(M::POST, "/api/v1/movements", Needs(Guide), post(api::catalog::add_movement)),
        r(M::POST, "/api/v1/criteria-sets", Needs(ApproveUnit), post(api::catalog::add_criteria_set)),
        r(M::GET, "/api/v1/exemplars/{id}/attachments", Needs(View), get(api::attachments::list)),
        r(M::POST, "/api/v1/exemplars/{id}/attachments", Needs(EnterData), upload(post(api::attachments::upload))),
        r(M::GET, "/api/v1/models", Needs(View), get(api::models::list_models)),
        r(M::POST, "/api/v1/models", Needs(EnterData), post(api::models::register_model)),
        r(M::POST, "/api/v1/models/{id}/decision", Needs(ApproveUnit), post(api::models::decide_model)),
        r(M::GET, "/api/v1/propaganda", Needs(View), get(api::propaganda::list)),
        r(M::POST, "/api/v1/propaganda", Needs(Publicise), post(api::propaganda::create)),
        r(M::GET, "/api/v1/propaganda/{id}", Needs(View), get(api::propaganda::get)),
        r(M::PUT, "/api/v1/propaganda/{id}", Needs(Publicise), put(api::propaganda::update)),
        r(M::GET, "/api/v1/figures/propaganda", Needs(View), get(api::propaganda::figures)),
        r(M::GET, "/api/v1/reviews", Needs(View), get(api::reviews::list)),
        r(M::POST, "/api/v1/reviews", Needs(EnterData), post(api::reviews::create)),
        r(M::GET, "/api/v1/reviews/aggregate", Needs(View), get(api::reviews::aggregate)),
        r(M::GET, "/api/v1/reviews/{id}", Needs(View), get(api::reviews::get)),
        r(M::PUT, "/api/v1/reviews/{id}", Needs(EnterData), put(api::reviews::update)),
        r(M::POST, "/api/v1/reviews/{id}/submit", Needs(ApproveUnit), post(api::reviews::submit)),
        r(M::POST, "/api/v1/reviews/{id}/return", Needs(Guide), post(api::reviews::send_back)),
        r(M::POST, "/api/v1/reviews/{id}/accept", Needs(Guide), post(api::reviews::accept)),
        r(M::GET, "/api/v1/stories", Needs(View), get(api::stories::list)),
        r(M::POST, "/api/v1/stories", Needs(EnterData), post(api::stories::create)),
        r(M::GET, "/api/v1/stories/{id}", Needs(View), get(api::stories::get)),
        r(M::PUT, "/api/v1/stories/{id}", Needs(EnterData), put(api::stories::update)),
        r(M::POST, "/api/v1/stories/{id}/submit", Needs(EnterData), post(api::stories::submit)),
        r(M::POST, "/api/v1/stories/{id}/review", Needs(Guide), post(api::stories::review)),
        r(M::POST, "/api/v1/stories/{id}/unpublish", Needs(Guide), post(api::stories::unpublish)),
        r(M::GET, "/api/v1/search", SignedIn, get(api::search::search)),
        r(M::GET, "/api/v1/commendation-forms", SignedIn, get(api::commendation::list_forms)),
        r(M::POST, "/api/v1/commendation-forms", Needs(Guide), post(api::commendation::add_form)),
        r(M::GET, "/api/v1/rounds", SignedIn, get(api::commendation::list_rounds)),
        r(M::POST, "/api/v1/rounds", Needs(Guide), post(api::commendation::create_round)),
        r(M::GET, "/api/v1/rounds/{id}", Needs(View), get(api::commendation::get_round)),
        r(M::GET, "/api/v1/rounds/{id}/nominations", Needs(View), get(api::commendation::board)),
        r(M::POST, "/api/v1/rounds/{id}/nominations", Within(EnterData), post(api::commendation::nominate)),
        r(M::POST, "/api/v1/rounds/{id}/sessions", Council(CouncilDuty::Clerk), post(api::commendation::open_session)),
        r(M::POST, "/api/v1/rounds/{id}/outcome", Needs(ApproveBloc), post(api::commendation::conclude)),
        r(M::GET, "/api/v1/nominations/{id}", Needs(View), get(api::commendation::get_nomination)),
        r(M::PUT, "/api/v1/nominations/{id}/dossier", Needs(EnterData), put(api::commendation::save_dossier)),
        r(M::GET, "/api/v1/nominations/{id}/attachments", Needs(View), get(api::attachments::list_of_nomination)),
        r(M::POST, "/api/v1/nominations/{id}/attachments", Needs(EnterData), upload(post(api::attachments::upload_to_nomination))),
        r(M::POST, "/api/v1/nominations/{id}/steps", NominationStep, post(api::commendation::step)),
        r(M::POST, "/api/v1/nominations/{id}/upward", Needs(ApproveBloc), post(api::commendation::upward)),
        r(M::GET, "/api/v1/rounds/{id}/nominees.xlsx", Needs(View), get(api::commendation::nominees_xlsx)),
        r(M::GET, "/api/v1/rounds/{id}/proposal.docx", WholeRound, get(api::commendation::proposal_docx)),
        r(M::GET, "/api/v1/rounds/{id}/annex.docx", WholeRound, get(api::commendation::annex_docx)),
        r(M::GET, "/api/v1/nominations/{id}/report.docx", Needs(View), get(api::commendation::report_docx)),
        r(M::GET, "/api/v1/sessions/{id}/minutes.docx", WholeRound, get(api::commendation::minutes_docx)),
        r(M::GET, "/api/v1/sessions/{id}", Needs(View), get(api::commendation::get_session)),
        r(M::POST, "/api/v1/sessions/{id}/votes", Council(CouncilDuty::Vote), post(api::commendation::vote)),
        r(M::POST, "/api/v1/sessions/{id}/written-votes", Council(CouncilDuty::Clerk), post(api::commendation::written_vote)),
        r(M::POST, "/api/v1/sessions/{id}/close", Council(CouncilDuty::Clerk), post(api::commendation::close_session)),
    ]
}

/// Upload routes accept bodies up to the file limit instead of the form limit.
fn upload(m: MethodRouter<AppState>) -> MethodRouter<AppState> {
    m.layer(axum::extract::DefaultBodyLimit::max(security::UPLOAD_BODY_LIMIT))
}

/// The specs alone, for tests and documentation.
pub fn specs() -> Vec<RouteSpec> {
    table().into_iter().map(|r| r.spec).collect()
}

pub fn router(state: AppState) -> Router {
    let mut router = Router::new();
    for route in table() {
        let guard = access::Guard { st: state.clone(), spec: Arc::new(route.spec.clone()) };
        router = router.route(route.spec.path, route.handler.layer(axum::middleware::from_fn_with_state(guard, access::enforce)));
    }
    router
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn_with_state(state.clone(), security::api_rate_limit))
        .layer(axum::middleware::from_fn_with_state(state.clone(), auth::layer))
        .layer(axum::middleware::from_fn(security::strip_controls))
        .layer(axum::extract::DefaultBodyLimit::max(security::FORM_BODY_LIMIT))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(security::UPLOAD_BODY_LIMIT))
        .layer(axum::middleware::from_fn(security::oversize))
        .layer(axum::middleware::from_fn_with_state(state.clone(), security::headers))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every API route the router may refuse with 403 says so in the OpenAPI
    /// document (a record route needing only `View` refuses with 404).
    #[test]
    fn openapi_documents_the_refusals_the_router_gives() {
        let doc = crate::api::openapi::spec();
        let mut missing = vec![];
        for s in specs().into_iter().filter(|s| s.path.starts_with("/api/v1/")) {
            let op = &doc["paths"][s.path][s.method.as_str().to_lowercase()];
            assert!(!op.is_null(), "{} {} is not in the OpenAPI document", s.method, s.path);
            let may_refuse = match s.access {
                Access::Public | Access::SignedIn => false,
                Access::Needs(Action::View) => s.record.is_none(),
                Access::Needs(_) | Access::Step | Access::Spread | Access::Within(_) | Access::NominationStep | Access::Council(_) | Access::WholeRound => true,
            };
            if may_refuse && op["responses"]["403"].is_null() {
                missing.push(format!("{} {}", s.method, s.path));
            }
        }
        assert!(missing.is_empty(), "add (status = 403, body = crate::error::ErrorBody) to: {missing:#?}");
    }

    /// Every API operation lists every status it can answer: 401 and 429
    /// everywhere, 404 wherever a record is named, 409 on versioned writes,
    /// 413/415/422 wherever a body is sent; paging is bounded in the document.
    #[test]
    fn openapi_documents_every_status_and_bound() {
        let doc = crate::api::openapi::spec();
        for s in specs().into_iter().filter(|s| s.path.starts_with("/api/v1/")) {
            let op = &doc["paths"][s.path][s.method.as_str().to_lowercase()];
            let has = |status: &str| !op["responses"][status].is_null();
            assert!(has("401") && has("429"), "{} {}", s.method, s.path);
            if s.record.is_some() {
                assert!(has("404"), "{} {}", s.method, s.path);
            }
            if !op["requestBody"].is_null() {
                assert!(has("413") && has("415") && has("422"), "{} {}", s.method, s.path);
            }
        }
        for path in ["/api/v1/orgs/{id}", "/api/v1/exemplars/{id}", "/api/v1/exemplars/{id}/steps", "/api/v1/models/{id}/decision", "/api/v1/orgs/{id}/move"] {
            let op = doc["paths"][path].as_object().unwrap().iter().find(|(m, _)| *m != "get").unwrap().1;
            assert!(!op["responses"]["409"].is_null(), "{path}: a versioned write");
        }
        let limit = doc["paths"]["/api/v1/exemplars"]["get"]["parameters"].as_array().unwrap().iter().find(|p| p["name"] == "limit").unwrap();
        assert_eq!((limit["in"].as_str(), limit["schema"]["maximum"].as_i64()), (Some("query"), Some(200)));
        let kinds = &doc["components"]["schemas"]["ExemplarInput"]["properties"]["kind"]["enum"];
        assert_eq!(kinds.as_array().unwrap().len(), dienhinh_domain::exemplar::ExemplarKind::ALL.len());
    }
}
