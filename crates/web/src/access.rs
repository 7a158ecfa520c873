//! Permission, applied from the route table. The router wraps every route in
//! [`enforce`] with its [`RouteSpec`], so the declared `Access` is what runs:
//!
//! - a public route is let through; any other needs a caller (pages send
//!   anyone else to the sign-in page, the API answers 401);
//! - a route that names a record (`{id}`) loads it by the route's record
//!   kind: missing, or not visible to the caller → 404 (an id outside one's
//!   subtree tells nothing); visible but the route's `Access` not allowed at
//!   its node → 403. A nested `{item}` must belong to the `{id}` record
//!   (else 404). The loaded records reach the handler as [`Authorized`];
//! - a route without a record (lists, creations) needs the action somewhere
//!   in the caller's scope (else 403); the node a creation names in its body
//!   is checked by the handler with [`target`].

use crate::auth::{ApiUser, AuthUser, Signed};
use crate::error::{ApiError, PageError};
use crate::routes::{Access, RouteSpec};
use crate::AppState;
use axum::body::Body;
use axum::extract::{FromRequestParts, RawPathParams, Request, State};
use axum::http::{header, request::Parts, Extensions};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use dienhinh_domain::exemplar::Step;
use dienhinh_domain::access::{council_allows, CouncilDuty};
use dienhinh_domain::commendation::CouncilSeat;
use dienhinh_domain::{Action, OrgPath, RecordKind};
use dienhinh_store::annual_models::AnnualModel;
use dienhinh_store::commendation::{self, Nomination, Round, Session};
use dienhinh_store::exemplars::Exemplar;
use dienhinh_store::files::Attachment;
use dienhinh_store::fostering::FosteringItem;
use dienhinh_store::orgs::{self, Org};
use dienhinh_store::plans::{self, Plan};
use dienhinh_store::propaganda::PropagandaItem;
use dienhinh_store::stories::Story;
use dienhinh_store::users::User;
use dienhinh_store::{Found, StoreError, StoreResult, Stored};
use std::sync::Arc;

/// Why a caller is refused: answered 404 or 403 in the page's or the API's
/// words; a store failure stays a failure (logged, 500).
#[derive(Debug)]
pub enum Refusal {
    NotFound,
    /// With what the caller should know, when there is more to say.
    Forbidden(Option<String>),
    Store(StoreError),
}

impl From<StoreError> for Refusal {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Refusal::NotFound,
            other => Refusal::Store(other),
        }
    }
}

impl From<Refusal> for ApiError {
    fn from(r: Refusal) -> Self {
        match r {
            Refusal::NotFound => ApiError::not_found(),
            Refusal::Forbidden(why) => with_why(ApiError::forbidden(), why, |e| &mut e.message),
            Refusal::Store(e) => e.into(),
        }
    }
}

impl From<Refusal> for PageError {
    fn from(r: Refusal) -> Self {
        match r {
            Refusal::NotFound => PageError::not_found(),
            Refusal::Forbidden(why) => with_why(PageError::forbidden(), why, |e| &mut e.message),
            Refusal::Store(e) => e.into(),
        }
    }
}

fn with_why<E>(mut e: E, why: Option<String>, message: fn(&mut E) -> &mut String) -> E {
    if let Some(why) = why {
        message(&mut e).push_str(&format!(" {why}"));
    }
    e
}

impl Refusal {
    /// The store failure it was, if any: for forms that answer a refused
    /// unit with a message beside the field.
    pub fn failure(self) -> Option<StoreError> {
        match self {
            Refusal::Store(e) => Some(e),
            _ => None,
        }
    }

    fn respond(self, is_api: bool) -> Response {
        if is_api {
            ApiError::from(self).into_response()
        } else {
            PageError::from(self).into_response()
        }
    }
}

/// A record a route's `{id}` can name: a stored record (its kind and node
/// are what `store::Stored` says), with who may see it.
pub trait Record: Stored + Clone + 'static {
    /// Whether the caller may see it at all; this is the route's `View`.
    fn visible(&self, me: &AuthUser, at: &OrgPath) -> bool {
        me.can(Action::View, at)
    }
    /// The commendation round whose council may also see it (and whose
    /// seats `Access::Council` routes are judged by).
    fn round(&self) -> Option<i64> {
        None
    }
}

/// A record a nested `{item}` can name: it lives inside its `{id}` record
/// and is judged at that record's node.
pub trait Item: Stored + Clone + 'static {
    /// The id of the record it belongs to.
    fn owner(&self) -> i64;
}

impl Record for Org {}
impl Record for User {}
impl Record for Exemplar {}
impl Record for AnnualModel {}
impl Record for PropagandaItem {}
impl Record for Story {}
impl Record for dienhinh_store::reviews::Review {}
/// Judged at its owner's node (copied into the row).
impl Record for Attachment {}

impl Record for Plan {
    fn visible(&self, me: &AuthUser, at: &OrgPath) -> bool {
        reads_binding(me, at)
    }
}

impl Record for Round {
    /// A round binds its subtree: its units see it to nominate.
    fn visible(&self, me: &AuthUser, at: &OrgPath) -> bool {
        reads_binding(me, at)
    }
    fn round(&self) -> Option<i64> {
        Some(self.id)
    }
}

impl Record for Nomination {
    fn round(&self) -> Option<i64> {
        Some(self.round_id)
    }
}

impl Record for Session {
    fn round(&self) -> Option<i64> {
        Some(self.round_id)
    }
}

impl Item for FosteringItem {
    fn owner(&self) -> i64 {
        self.exemplar_id
    }
}

/// The kind of record an `{id}` or `{item}` names, by the path segment
/// before it (`RecordKind::segment`, the registry's). A new kind: its
/// segment there, a [`Record`] (or [`Item`]) impl for its type and an arm
/// in [`load`] (or [`load_item`]); the access walk then needs it in its `KINDS`.
pub fn kind_named(segment: &str) -> Option<RecordKind> {
    RecordKind::named_by(segment)
}

/// Where a loaded record is judged: its node, and for commendation records
/// the caller's seats in its round's council.
struct Judged {
    at: OrgPath,
    seats: Vec<CouncilSeat>,
    round: Option<i64>,
}

/// Loads the `{id}` record of `kind` if the caller may see it (by its own
/// rule, or by a seat in the council of its round), leaves it in `ext` for
/// [`Authorized`], and returns where it is judged.
async fn load(kind: RecordKind, st: &AppState, me: &AuthUser, id: i64, ext: &mut Extensions) -> Result<Judged, Refusal> {
    async fn one<T: Record>(st: &AppState, me: &AuthUser, id: i64, ext: &mut Extensions) -> Result<Judged, Refusal> {
        let rec: T = dienhinh_store::write::get(&st.db, id).await?;
        // Every kind a route names lives at a node.
        let at = rec.org_path().cloned().ok_or(Refusal::NotFound)?;
        let round = rec.round();
        let seats = match round {
            Some(_) => commendation::seats(&st.db, me.user.id).await?,
            None => vec![],
        };
        let seated = round.is_some_and(|r| council_allows(&seats, r, CouncilDuty::Vote));
        if !rec.visible(me, &at) && !seated {
            return Err(Refusal::NotFound);
        }
        ext.insert(Authorized(rec));
        ext.insert(Seats(seats.clone()));
        Ok(Judged { at, seats, round })
    }
    match kind {
        RecordKind::Org => one::<Org>(st, me, id, ext).await,
        RecordKind::User => one::<User>(st, me, id, ext).await,
        RecordKind::Plan => one::<Plan>(st, me, id, ext).await,
        RecordKind::Exemplar => one::<Exemplar>(st, me, id, ext).await,
        RecordKind::AnnualModel => one::<AnnualModel>(st, me, id, ext).await,
        RecordKind::Attachment => one::<Attachment>(st, me, id, ext).await,
        RecordKind::Propaganda => one::<PropagandaItem>(st, me, id, ext).await,
        RecordKind::Story => one::<Story>(st, me, id, ext).await,
        RecordKind::Review => one::<dienhinh_store::reviews::Review>(st, me, id, ext).await,
        RecordKind::CommendationRound => one::<Round>(st, me, id, ext).await,
        RecordKind::Nomination => one::<Nomination>(st, me, id, ext).await,
        RecordKind::CouncilSession => one::<Session>(st, me, id, ext).await,
        other => unreachable!("no route loads a {other:?} by its {{id}}"),
    }
}

/// Loads the `{item}` of `kind` if it belongs to the `{id}` record `owner`.
async fn load_item(kind: RecordKind, st: &AppState, owner: i64, id: i64, ext: &mut Extensions) -> Result<(), Refusal> {
    async fn one<T: Item>(st: &AppState, owner: i64, id: i64, ext: &mut Extensions) -> Result<(), Refusal> {
        let item: T = dienhinh_store::write::get(&st.db, id).await?;
        if item.owner() != owner {
            return Err(Refusal::NotFound);
        }
        ext.insert(Authorized(item));
        Ok(())
    }
    match kind {
        RecordKind::Fostering => one::<FosteringItem>(st, owner, id, ext).await,
        other => unreachable!("no route loads a {other:?} by its {{item}}"),
    }
}

/// The caller's seats in councils, left by [`enforce`] for routes naming a
/// commendation record (empty for other routes).
#[derive(Debug, Clone, Default)]
pub struct Seats(pub Vec<CouncilSeat>);

impl Seats {
    pub fn role_in(&self, round_id: i64) -> Option<dienhinh_domain::commendation::CouncilRole> {
        self.0.iter().find(|s| s.round_id == round_id).map(|s| s.role)
    }
}

impl FromRequestParts<AppState> for Seats {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Self::Rejection> {
        Ok(parts.extensions.get::<Seats>().cloned().unwrap_or_default())
    }
}

/// A record the route named and the caller passed the route's rule for.
#[derive(Debug, Clone)]
pub struct Authorized<T>(pub T);

impl<T: Clone + Send + Sync + 'static> FromRequestParts<AppState> for Authorized<T> {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Self::Rejection> {
        parts.extensions.remove::<Authorized<T>>().ok_or_else(|| {
            // A handler asking for a record its route does not name: a bug, not a refusal.
            tracing::error!(path = parts.uri.path(), record = std::any::type_name::<T>(), "route names no such record");
            let e = StoreError::Other(anyhow::anyhow!("no authorized record"));
            if parts.uri.path().starts_with("/api/") { ApiError::from(e).into_response() } else { PageError::from(e).into_response() }
        })
    }
}

/// The node a request body names as the place of a new record: missing and
/// not visible are the same refusal (404), visible without `action` is 403.
pub async fn target(st: &AppState, me: &AuthUser, org_id: i64, action: Action) -> Result<Org, Refusal> {
    let org = orgs::get(&st.db, org_id).await?;
    let at = org.org_path();
    if !me.can(Action::View, &at) {
        Err(Refusal::NotFound)
    } else if !me.can(action, &at) {
        Err(Refusal::Forbidden(None))
    } else {
        Ok(org)
    }
}

/// Plans and criteria sets bind their node's subtree: everyone inside it may
/// read them, as may anyone who may view their node.
fn reads_binding(me: &AuthUser, at: &OrgPath) -> bool {
    me.can(Action::View, at) || at.contains(&me.user.org_path)
}

/// An id no record has. A record that a request body names (not the place
/// of the new record: an adopter, a criteria set) and that the caller may
/// not see goes to the store as this, so the refusal (status, field and
/// message) is exactly the one for a record that does not exist.
pub const UNSEEN: i64 = 0;

/// `org_id` if the caller may see that unit, else [`UNSEEN`].
pub async fn seen_org(st: &AppState, me: &AuthUser, org_id: i64) -> StoreResult<i64> {
    Ok(match orgs::get(&st.db, org_id).await.optional()? {
        Some(o) if me.can(Action::View, &o.org_path()) => org_id,
        _ => UNSEEN,
    })
}

/// Each of `ids` if the caller may see that exemplar, else [`UNSEEN`]
/// (exemplars a body names as featured, linked …).
pub async fn seen_exemplars(st: &AppState, me: &AuthUser, ids: &[i64]) -> StoreResult<Vec<i64>> {
    let ids: Vec<i64> = ids.iter().copied().take(1000).collect();
    let at = dienhinh_store::kinds::org_paths_of(&st.db, RecordKind::Exemplar, &ids).await?;
    Ok(ids.iter().map(|id| if at.get(id).is_some_and(|p| me.can(Action::View, p)) { *id } else { UNSEEN }).collect())
}

/// `set_id` if the caller may read that criteria set, else [`UNSEEN`].
pub async fn seen_criteria_set(st: &AppState, me: &AuthUser, set_id: i64) -> StoreResult<i64> {
    Ok(match plans::criteria_set(&st.db, set_id).await.optional()? {
        Some(s) if reads_binding(me, &s.org_path) => set_id,
        _ => UNSEEN,
    })
}

/// What [`enforce`] knows about its route.
#[derive(Clone)]
pub struct Guard {
    pub st: AppState,
    pub spec: Arc<RouteSpec>,
}

/// The middleware every route of the table runs behind (see the module comment).
pub async fn enforce(State(g): State<Guard>, req: Request, next: Next) -> Response {
    if g.spec.access == Access::Public {
        return next.run(req).await;
    }
    match check(&g, req).await {
        Ok(req) => next.run(req).await,
        Err(res) => res,
    }
}

async fn check(g: &Guard, req: Request) -> Result<Request, Response> {
    let (st, spec) = (&g.st, &*g.spec);
    let is_api = spec.path.starts_with("/api/");
    let (mut parts, mut body) = req.into_parts();
    let me = if is_api {
        ApiUser::from_request_parts(&mut parts, st).await.map_err(IntoResponse::into_response)?.0
    } else {
        Signed::from_request_parts(&mut parts, st).await.map_err(IntoResponse::into_response)?.0
    };
    let Some(kind) = spec.record else {
        return if spec.access.held(&me) { Ok(Request::from_parts(parts, body)) } else { Err(Refusal::Forbidden(None).respond(is_api)) };
    };
    let step = if spec.access == Access::Step {
        let (step, rebuilt) = posted_step(&parts, body).await.map_err(|_| crate::security::too_large(is_api))?;
        body = rebuilt;
        step
    } else {
        None
    };
    let ids = id_params(&mut parts, st).await;
    let refused = |r: Refusal| r.respond(is_api);
    let id = ids.0.ok_or(Refusal::NotFound).map_err(refused)?;
    let judged = load(kind, st, &me, id, &mut parts.extensions).await.map_err(refused)?;
    let at = &judged.at;
    if let Access::Council(duty) = spec.access {
        if !judged.round.is_some_and(|r| council_allows(&judged.seats, r, duty)) {
            let why = match duty {
                CouncilDuty::Vote => "Chỉ thành viên Hội đồng thi đua, khen thưởng của đợt này mới biểu quyết.",
                CouncilDuty::Clerk => "Chỉ Thư ký Hội đồng của đợt này mới thực hiện được việc này.",
            };
            return Err(refused(Refusal::Forbidden(Some(why.into()))));
        }
    } else if spec.access == Access::WholeRound {
        let seated = judged.round.is_some_and(|r| council_allows(&judged.seats, r, CouncilDuty::Vote));
        if !seated && !spec.access.allows(&me, at, step) {
            let why = "Văn bản chung của đợt xét (tờ trình, danh sách, biên bản) dành cho cấp ủy tổ chức đợt xét và Hội đồng.";
            return Err(refused(Refusal::Forbidden(Some(why.into()))));
        }
    } else if spec.access != Access::Needs(Action::View) && !spec.access.allows(&me, at, step) {
        // `View` was decided by the record's own visibility rule.
        return Err(refused(Refusal::Forbidden(step.map(Step::who_may))));
    }
    if let Some(item_kind) = spec.item {
        let item = ids.1.ok_or(Refusal::NotFound).map_err(refused)?;
        load_item(item_kind, st, id, item, &mut parts.extensions).await.map_err(refused)?;
    }
    Ok(Request::from_parts(parts, body))
}

/// The `{id}` and `{item}` of the path; `None` when not a number.
async fn id_params(parts: &mut Parts, st: &AppState) -> (Option<i64>, Option<i64>) {
    let Ok(params) = RawPathParams::from_request_parts(parts, st).await else {
        return (None, None);
    };
    let get = |name: &str| params.iter().find(|(k, _)| *k == name).and_then(|(_, v)| v.parse().ok());
    (get("id"), get("item"))
}

/// The step a lifecycle route is asked to take (form field or JSON `step`),
/// and the body handed back. `None` for an unknown step: the handler refuses
/// it. `Err` when the body is over the form limit.
async fn posted_step(parts: &Parts, body: Body) -> Result<(Option<Step>, Body), ()> {
    let bytes = axum::body::to_bytes(body, crate::security::FORM_BODY_LIMIT).await.map_err(|_| ())?;
    let is_json = parts.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("application/json"));
    let code = if is_json {
        serde_json::from_slice::<serde_json::Value>(&bytes).ok().and_then(|v| v["step"].as_str().map(str::to_string))
    } else {
        crate::auth::form_field(&bytes, "step")
    };
    Ok((code.as_deref().and_then(Step::from_code), Body::from(bytes)))
}
