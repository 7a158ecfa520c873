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
        super::exemplars::step, super::exemplars::steps, super::exemplars::list_fostering, super::exemplars::add_fostering,
        super::exemplars::list_evaluations, super::exemplars::add_evaluation, super::exemplars::list_replications,
        super::exemplars::add_replication, super::exemplars::list_visits, super::exemplars::add_visit, super::exemplars::fields, super::exemplars::add_field,
        super::exemplars::movements, super::exemplars::add_movement, super::exemplars::add_criteria_set,
        super::attachments::list, super::attachments::upload, super::exemplars::list_models, super::exemplars::register_model, super::exemplars::decide_model,
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
