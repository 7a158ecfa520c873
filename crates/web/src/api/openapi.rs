use axum::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(title = "dienhinh API", description = "Điển hình tiên tiến: JSON API. Authenticate with `Authorization: Bearer <token>` (create one with `dienhinh token create --user U`) or a session cookie plus the `X-CSRF-Token` header for writes."),
    paths(
        super::users::me, super::users::list, super::users::get, super::users::create,
        super::orgs::list, super::orgs::get, super::orgs::create, super::orgs::update, super::orgs::move_to,
        super::audit::list, super::plans::list, super::plans::get,
        super::exemplars::list, super::exemplars::get, super::exemplars::create, super::exemplars::update,
        super::exemplars::step, super::exemplars::steps, super::fostering::list_fostering, super::fostering::add_fostering,
        super::evaluations::list_evaluations, super::evaluations::add_evaluation, super::spread::list_replications,
        super::spread::add_replication, super::spread::list_visits, super::spread::add_visit, super::catalog::fields, super::catalog::add_field,
        super::catalog::movements, super::catalog::add_movement, super::catalog::add_criteria_set,
        super::attachments::list, super::attachments::upload, super::models::list_models, super::models::register_model, super::models::decide_model,
        super::search::search,
    ),
    modifiers(&Bearer),
    security(("bearer" = [])),
)]
pub struct ApiDoc;

struct Bearer;

impl Modify for Bearer {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("bearer", SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()));
    }
}

pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
