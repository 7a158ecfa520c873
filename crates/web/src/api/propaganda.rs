//! The propaganda log (plan II.3, IV.2): the items a unit published about
//! the exemplars, and their count per unit, channel and type for a year.

use super::{ApiJson, ApiQuery, Created};
use crate::access::{self, Authorized};
use crate::auth::ApiUser;
use crate::error::ApiResult;
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use dienhinh_domain::propaganda::{Channel, ItemType, PropagandaInput, FIRST_YEAR};
use dienhinh_domain::Action;
use dienhinh_store::figures::{self, PropagandaFigures};
use dienhinh_store::propaganda::{self, PropagandaFilter, PropagandaItem};
use serde::Deserialize;
use dienhinh_domain::order::PropagandaOrder;

super::list_page!(
    /// A page of propaganda items, newest first.
    PropagandaPage,
    PropagandaItem
);

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PropagandaParams {
    /// Only the items of this unit and the units under it.
    pub org_id: Option<i64>,
    /// The year published.
    pub year: Option<i64>,
    /// A channel code.
    pub channel: Option<String>,
    /// A type code.
    pub item_type: Option<String>,
    /// Only the items that featured this exemplar.
    pub exemplar_id: Option<i64>,
    /// The order (a code; absent: the list's default).
    pub sort: Option<String>,
    /// The page before this cursor (a page's `prev`), instead of `cursor`.
    pub before: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

/// The years the log takes.
fn years() -> std::ops::RangeInclusive<i64> {
    FIRST_YEAR..=dienhinh_domain::clock::current_year()
}

/// Propaganda items in the caller's subtrees, newest first unless `sort` asks otherwise, keyset-paged.
#[utoipa::path(get, path = "/api/v1/propaganda", tag = "propaganda", params(PropagandaParams),
    responses((status = 200, body = PropagandaPage), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list(State(st): State<AppState>, ApiUser(me): ApiUser, ApiQuery(p): ApiQuery<PropagandaParams>) -> ApiResult<PropagandaPage> {
    let asked = super::ordered::<PropagandaOrder>(p.sort, p.limit, p.cursor, p.before)?;
    let channel = super::code_in::<Channel>("channel", p.channel)?;
    let item_type = super::code_in::<ItemType>("item_type", p.item_type)?;
    let f = PropagandaFilter {
        within: me.scope(Action::View),
        org_id: p.org_id,
        year: super::year_in("year", p.year, years())?,
        channel: channel.as_deref().and_then(Channel::from_code),
        item_type: item_type.as_deref().and_then(ItemType::from_code),
        exemplar_id: p.exemplar_id,
        cursor: None,
        limit: None,
    };
    PropagandaPage::listed(propaganda::listing(&st.db, &f, asked.order, asked.at()).await?)
}

#[utoipa::path(get, path = "/api/v1/propaganda/{id}", tag = "propaganda", params(("id" = i64, Path)),
    responses((status = 200, body = PropagandaItem), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get(Authorized(p): Authorized<PropagandaItem>) -> ApiResult<PropagandaItem> {
    Ok(Json(p))
}

/// Records an item made by a unit where the caller enters data; the
/// exemplars it featured must be ones the caller can see.
#[utoipa::path(post, path = "/api/v1/propaganda", tag = "propaganda", request_body = PropagandaInput,
    responses((status = 201, body = PropagandaItem), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create(State(st): State<AppState>, ApiUser(me): ApiUser, ApiJson(mut i): ApiJson<PropagandaInput>) -> Created<PropagandaItem> {
    access::target(&st, &me, i.org_id, Action::Publicise).await?;
    i.exemplar_ids = access::seen_exemplars(&st, &me, &i.exemplar_ids).await?;
    Ok((StatusCode::CREATED, Json(propaganda::create(&st.db, &me.actor(), i).await?)))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct PropagandaUpdate {
    /// The version read (`version` of the item); a stale one is answered 409 with the item as it is now.
    pub version: i64,
    #[serde(flatten)]
    pub input: PropagandaInput,
}

/// Corrects an item (every field but its unit, which stays: `org_id` is ignored).
#[utoipa::path(put, path = "/api/v1/propaganda/{id}", tag = "propaganda", params(("id" = i64, Path)), request_body = PropagandaUpdate,
    responses((status = 200, body = PropagandaItem), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn update(State(st): State<AppState>, ApiUser(me): ApiUser, Authorized(p): Authorized<PropagandaItem>, ApiJson(mut u): ApiJson<PropagandaUpdate>) -> ApiResult<PropagandaItem> {
    u.input.exemplar_ids = access::seen_exemplars(&st, &me, &u.input.exemplar_ids).await?;
    Ok(Json(propaganda::update(&st.db, &me.actor(), p.id, u.version, u.input).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FiguresParams {
    /// The year (default: this year).
    pub year: Option<i64>,
}

/// The items of a year in the caller's subtrees, per unit, channel and type.
#[utoipa::path(get, path = "/api/v1/figures/propaganda", tag = "propaganda", params(FiguresParams),
    responses((status = 200, body = PropagandaFigures), (status = 403, body = crate::error::ErrorBody)))]
pub async fn figures(State(st): State<AppState>, ApiUser(me): ApiUser, ApiQuery(p): ApiQuery<FiguresParams>) -> ApiResult<PropagandaFigures> {
    let year = super::year_in("year", p.year, years())?.unwrap_or_else(dienhinh_domain::clock::current_year);
    Ok(Json(figures::propaganda(&st.db, &me.scope(Action::View), year).await?))
}
