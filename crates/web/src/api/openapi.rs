use axum::Json;
use dienhinh_domain::Coded;
use serde_json::{json, Value};
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
        super::search::search, super::propaganda::list, super::propaganda::get, super::propaganda::create, super::propaganda::update, super::propaganda::figures, super::figures::period,
        super::stories::list, super::stories::get, super::stories::create, super::stories::update, super::stories::submit, super::stories::review,
        super::stories::unpublish,
        super::reviews::list, super::reviews::get, super::reviews::create, super::reviews::update, super::reviews::submit, super::reviews::send_back,
        super::reviews::accept, super::reviews::aggregate,
        super::commendation::list_forms, super::commendation::add_form, super::commendation::list_rounds, super::commendation::create_round,
        super::commendation::get_round, super::commendation::board, super::commendation::nominate, super::commendation::get_nomination, super::commendation::save_dossier,
        super::commendation::step, super::commendation::open_session, super::commendation::get_session, super::commendation::vote,
        super::commendation::written_vote, super::commendation::close_session, super::commendation::conclude, super::commendation::upward,
        super::attachments::list_of_nomination, super::attachments::upload_to_nomination, super::commendation::nominees_xlsx, super::commendation::proposal_docx, super::commendation::annex_docx, super::commendation::minutes_docx, super::commendation::report_docx,
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

/// The document served at `/api/openapi.json`: the annotated operations,
/// then every status the router and the extractors can answer (from the
/// route table) and every constraint the server enforces.
pub async fn document() -> Json<Value> {
    Json(spec())
}

/// The OpenAPI document as JSON (see [`document`]).
pub fn spec() -> Value {
    let mut doc = serde_json::to_value(ApiDoc::openapi()).expect("the document serialises");
    constrain(&mut doc);
    for s in crate::routes::specs().into_iter().filter(|s| s.path.starts_with("/api/v1/")) {
        let method = s.method.as_str().to_lowercase();
        let body = needs_body(&doc, s.path, &method);
        let Some(op) = doc["paths"][s.path].get_mut(&method) else { continue };
        refusals(op, &s, body);
    }
    doc
}

/// What a request body's schema names: (has a body, carries `version`).
fn needs_body(doc: &Value, path: &str, method: &str) -> (bool, bool) {
    let op = &doc["paths"][path][method];
    let Some(content) = op["requestBody"]["content"].as_object() else { return (false, false) };
    let versioned = content.values().any(|c| has_property(doc, &c["schema"], "version"));
    (true, versioned)
}

fn has_property(doc: &Value, schema: &Value, name: &str) -> bool {
    if let Some(r) = schema["$ref"].as_str() {
        let key = r.trim_start_matches("#/components/schemas/");
        return has_property(doc, &doc["components"]["schemas"][key], name);
    }
    !schema["properties"][name].is_null() || schema["allOf"].as_array().is_some_and(|all| all.iter().any(|s| has_property(doc, s, name)))
}

/// Adds each status the operation can answer and does not list yet.
fn refusals(op: &mut Value, s: &crate::routes::RouteSpec, (body, versioned): (bool, bool)) {
    use crate::routes::Access;
    use dienhinh_domain::Action;
    let queried = op["parameters"].as_array().is_some_and(|ps| ps.iter().any(|p| p["in"] == "query"));
    let checked_query = op["parameters"].as_array().is_some_and(|ps| ps.iter().any(|p| p["in"] == "query" && CHECKED_PARAMS.contains(&p["name"].as_str().unwrap_or(""))));
    let may_refuse = match s.access {
        Access::Public | Access::SignedIn => false,
        Access::Needs(Action::View) => s.record.is_none(),
        Access::Needs(_) | Access::Step | Access::Spread | Access::Within(_) | Access::NominationStep | Access::Council(_) | Access::WholeRound => true,
    };
    // A write without a record in its path names one in its body (an
    // organisation, mostly), refused as missing when the caller cannot see it.
    let names_record = s.record.is_some() || (s.method != axum::http::Method::GET && s.path != "/api/v1/fields");
    let statuses: [(bool, &str, &str); 10] = [
        (queried || body, "400", "Malformed query string or JSON body (`bad_request`)."),
        (true, "401", "No valid session or Bearer token (`unauthorized`)."),
        (may_refuse, "403", "Not the caller's to do at that node (`forbidden`)."),
        (names_record, "404", "A record named in the path or body does not exist or is outside the caller's scope (`not_found`)."),
        (versioned, "409", "The version sent is not the current one (`conflict`, with `current`)."),
        (body, "413", "Body over the route's limit (`too_large`)."),
        (body, "415", "Body of another media type than the one documented (`unsupported_media_type`)."),
        (body || checked_query, "422", "A value out of range or against a rule; `fields` names each (`invalid`)."),
        (true, "429", "Too many requests; retry after `Retry-After` seconds (`rate_limited`)."),
        (true, "500", "Unexpected failure (`internal`); details are only in the server log."),
    ];
    let responses = op["responses"].as_object_mut().expect("operations have responses");
    for (applies, status, description) in statuses {
        if applies && !responses.contains_key(status) {
            responses.insert(status.into(), json!({"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}}));
        }
    }
}

/// Query parameters the API refuses with 422 when out of range.
const CHECKED_PARAMS: [&str; 11] = ["limit", "cursor", "before", "sort", "year", "kind", "status", "level", "entity", "channel", "item_type"];

/// The codes of a code table, as a JSON Schema enum.
fn codes<T: Coded>() -> Value {
    json!({"type": "string", "enum": T::ALL.iter().map(|v| v.code()).collect::<Vec<_>>()})
}

/// A code a query takes: blank is "all" for a filter, the default for `sort`.
fn query_codes<T: Coded>() -> Value {
    let mut codes: Vec<&str> = T::ALL.iter().map(|v| v.code()).collect();
    codes.push("");
    json!({"type": "string", "enum": codes})
}

/// Text the server requires: not blank, at most `max` characters.
fn required_text(max: usize) -> Value {
    json!({"type": "string", "minLength": 1, "maxLength": max, "pattern": "\\S"})
}

fn text(max: usize) -> Value {
    json!({"type": "string", "maxLength": max})
}

fn int(min: i64, max: i64) -> Value {
    json!({"type": "integer", "format": "int64", "minimum": min, "maximum": max})
}

/// Every constraint the server enforces on a parameter or a body field, so
/// that a request valid by the document is accepted and one outside it is
/// refused. Lengths and ranges are those the domain validates.
fn constrain(doc: &mut Value) {
    use dienhinh_domain::{annual_model, commendation, evaluation, exemplar, fostering, order, propaganda, spread, story, OrgKind, RecordKind, Role};
    let this_year = dienhinh_domain::clock::current_year();
    let year = int(exemplar::MIN_YEAR, this_year + 1);
    let cursor = {
        let p = dienhinh_store::page::Cursor::PATTERN;
        json!({"type": "string", "pattern": format!("^({})?$", &p[1..p.len() - 1])})
    };
    let date = json!({"type": "string", "format": "date"});
    let params: Vec<(&str, &str, Value)> = vec![
        ("*", "limit", int(1, super::MAX_LIMIT)),
        ("*", "before", cursor.clone()),
        ("*", "cursor", cursor),
        ("/api/v1/exemplars", "year", year.clone()),
        ("/api/v1/exemplars", "kind", query_codes::<exemplar::ExemplarKind>()),
        ("/api/v1/exemplars", "status", query_codes::<exemplar::Status>()),
        ("/api/v1/exemplars", "level", query_codes::<exemplar::Level>()),
        ("/api/v1/models", "year", year.clone()),
        ("/api/v1/orgs", "kind", query_codes::<OrgKind>()),
        ("/api/v1/search", "kind", query_codes::<RecordKind>()),
        ("/api/v1/audit", "entity", query_codes::<RecordKind>()),
        ("/api/v1/propaganda", "year", int(propaganda::FIRST_YEAR, this_year)),
        ("/api/v1/propaganda", "channel", query_codes::<propaganda::Channel>()),
        ("/api/v1/propaganda", "item_type", query_codes::<propaganda::ItemType>()),
        ("/api/v1/figures/propaganda", "year", int(propaganda::FIRST_YEAR, this_year)),
        ("/api/v1/stories", "status", query_codes::<story::StoryStatus>()),
        ("/api/v1/exemplars", "sort", query_codes::<order::ExemplarOrder>()),
        ("/api/v1/orgs", "sort", query_codes::<order::OrgOrder>()),
        ("/api/v1/users", "sort", query_codes::<order::UserOrder>()),
        ("/api/v1/audit", "sort", query_codes::<order::AuditOrder>()),
        ("/api/v1/plans", "sort", query_codes::<order::PlanOrder>()),
        ("/api/v1/propaganda", "sort", query_codes::<order::PropagandaOrder>()),
        ("/api/v1/stories", "sort", query_codes::<order::StoryOrder>()),
        ("/api/v1/reviews", "sort", query_codes::<order::ReviewOrder>()),
        ("/api/v1/reviews", "status", query_codes::<dienhinh_domain::review::ReviewStatus>()),
        ("/api/v1/rounds", "sort", query_codes::<order::RoundOrder>()),
                ("/api/v1/figures", "from", int(dienhinh_domain::period::FIRST_YEAR, this_year + 1)),
        ("/api/v1/figures", "to", int(dienhinh_domain::period::FIRST_YEAR, this_year + 1)),
    ];
    if let Some(paths) = doc["paths"].as_object_mut() {
        for (path, ops) in paths.iter_mut() {
            for op in ops.as_object_mut().into_iter().flat_map(|o| o.values_mut()) {
                for p in op.get_mut("parameters").and_then(Value::as_array_mut).into_iter().flatten() {
                    let name = p["name"].as_str().unwrap_or("").to_string();
                    if let Some((_, _, schema)) = params.iter().find(|(at, n, _)| (*at == "*" || at == path) && *n == name && p["in"] == "query") {
                        p["schema"] = schema.clone();
                    }
                    if p["in"] == "path" && name == "id" {
                        p["schema"] = json!({"type": "integer", "format": "int64"});
                    }
                }
            }
        }
    }
    let fields: Vec<(&str, &str, Value)> = vec![
        ("ExemplarInput", "kind", codes::<exemplar::ExemplarKind>()),
        ("ExemplarInput", "name", required_text(300)),
        ("ExemplarInput", "position", text(300)),
        ("ExemplarInput", "unit_name", text(300)),
        ("ExemplarInput", "achievements", text(20_000)),
        ("ExemplarInput", "model", text(20_000)),
        ("ExemplarInput", "year_found", year.clone()),
        ("ExemplarInput", "member_count", json!({"type": ["integer", "null"], "format": "int64", "minimum": 1, "maximum": 1_000_000})),
        ("ExemplarInput", "field_ids", json!({"type": "array", "items": {"type": "integer", "format": "int64"}, "maxItems": 20})),
        ("ExemplarInput", "movement_ids", json!({"type": "array", "items": {"type": "integer", "format": "int64"}, "maxItems": 20})),
        ("StepInput", "step", codes::<exemplar::Step>()),
        ("OrgInput", "kind", codes::<OrgKind>()),
        ("OrgInput", "name", required_text(300)),
        ("OrgInput", "short_name", text(60)),
        ("OrgUpdate", "kind", codes::<OrgKind>()),
        ("OrgUpdate", "name", required_text(300)),
        ("OrgUpdate", "short_name", text(60)),
        ("NewUser", "username", json!({"type": "string", "pattern": "^[A-Za-z0-9._-]{3,32}$"})),
        ("NewUser", "full_name", required_text(200)),
        ("NewUser", "position", text(200)),
        ("NewUser", "role", codes::<Role>()),
        ("FosteringInput", "support_kind", codes::<fostering::SupportKind>()),
        ("FosteringInput", "support", required_text(5000)),
        ("FosteringInput", "responsible", text(300)),
        ("FosteringInput", "due_on", json!({"type": ["string", "null"], "format": "date"})),
        ("ReplicationInput", "how", codes::<spread::How>()),
        ("ReplicationInput", "adopted_on", date.clone()),
        ("ReplicationInput", "note", text(5000)),
        ("StudyVisitInput", "visited_on", date.clone()),
        ("StudyVisitInput", "visiting_units", required_text(5000)),
        ("StudyVisitInput", "participants", int(1, 100_000)),
        ("StudyVisitInput", "lessons", text(10_000)),
        ("EvaluationInput", "evaluated_on", date.clone()),
        ("EvaluationInput", "evaluator", required_text(300)),
        ("ScoreInput", "result", codes::<evaluation::EvalResult>()),
        ("ScoreInput", "score", json!({"type": ["number", "null"], "minimum": 0, "maximum": evaluation::MAX_SCORE})),
        ("ScoreInput", "comment", text(5000)),
        ("Criterion", "applies_to", codes::<evaluation::AppliesTo>()),
        ("AnnualModelInput", "year", int(annual_model::FIRST_YEAR, this_year + 1)),
        ("AnnualModelInput", "title", required_text(300)),
        ("AnnualModelInput", "description", text(10_000)),
        ("Decision", "note", text(5000)),
        ("StoryInput", "title", required_text(300)),
        ("StoryInput", "summary", text(500)),
        ("StoryInput", "body", required_text(story::MAX_BODY)),
        ("StoryInput", "exemplar_ids", json!({"type": "array", "items": {"type": "integer", "format": "int64"}, "maxItems": story::MAX_EXEMPLARS})),
        ("Review", "decision", json!({"type": "string", "enum": ["dang", "hen_dang", "tra_lai"]})),
        ("Review", "note", text(5000)),
        ("Unpublish", "reason", required_text(5000)),
        ("PropagandaInput", "item_type", codes::<propaganda::ItemType>()),
        ("PropagandaInput", "channel", codes::<propaganda::Channel>()),
        ("PropagandaInput", "title", required_text(300)),
        // No pattern: control characters are stripped at the edge before the
        // rule (empty, or an http(s) address with a host) is judged, so a
        // pattern would call invalid what the server accepts; a breach is a 422.
        ("PropagandaInput", "link", json!({"type": "string", "maxLength": propaganda::MAX_LINK, "description": "Empty, or an http(s) address with a host."})),
        ("PropagandaInput", "published_on", date.clone()),
        ("NominationStepInput", "step", codes::<commendation::NominationStep>()),
        ("RoundInput", "year", int(2000, this_year + 1)),
        ("RoundInput", "deadline", date.clone()),
        ("VoteRules", "ballot", codes::<commendation::BallotKind>()),
        ("VoteRules", "threshold_rule", codes::<commendation::ThresholdRule>()),
        ("VoteRules", "quorum_den", int(1, 100)),
        ("VoteRules", "quorum_num", int(1, 100)),
        ("VoteRules", "basis", required_text(500)),
        ("Eligibility", "min_level", codes::<exemplar::Level>()),
        ("Eligibility", "kind", {
            let mut kinds: Vec<Value> = exemplar::ExemplarKind::ALL.iter().map(|k| json!(k.code())).collect();
            kinds.push(Value::Null);
            json!({"type": ["string", "null"], "enum": kinds})
        }),
        ("Eligibility", "evaluation_years", int(0, 10)),
        ("Eligibility", "years_as_exemplar", int(0, 50)),
        ("CouncilMemberInput", "role", codes::<commendation::CouncilRole>()),
        ("ReviewInput", "period_from", int(dienhinh_domain::period::FIRST_YEAR, this_year + 1)),
        ("ReviewInput", "period_to", int(dienhinh_domain::period::FIRST_YEAR, this_year + 1)),
        ("ReviewInput", "results", text(dienhinh_domain::review::PART_MAX)),
        ("ReviewInput", "shortcomings", text(dienhinh_domain::review::PART_MAX)),
        ("ReviewInput", "lessons", text(dienhinh_domain::review::PART_MAX)),
        ("ReviewInput", "tasks", text(dienhinh_domain::review::PART_MAX)),
        ("StepBody", "comment", text(dienhinh_store::reviews::COMMENT_MAX)),
        ("PropagandaInput", "exemplar_ids", json!({"type": "array", "items": {"type": "integer", "format": "int64"}, "maxItems": propaganda::MAX_EXEMPLARS})),
    ];
    // Defaulted in serde but required by the rules: required in the document.
    for (schema, field) in [("FosteringInput", "support")] {
        if let Some(required) = doc["components"]["schemas"][schema].get_mut("required").and_then(Value::as_array_mut) {
            required.push(json!(field));
        }
    }
    for (schema, field, constraint) in fields {
        let at = &mut doc["components"]["schemas"][schema]["properties"][field];
        assert!(!at.is_null(), "OpenAPI constraint for {schema}.{field}: no such property");
        let description = at.get("description").cloned();
        *at = constraint;
        if let Some(d) = description {
            at["description"] = d;
        }
    }
}
