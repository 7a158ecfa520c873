//! The access test generated from the router: every entry of
//! `dienhinh_web::routes::table()` is called as every demo account and
//! anonymously, with the ids of real demo records inside and outside the
//! caller's subtree and with an id that does not exist, and each answer is
//! compared with the route's declared `Access` evaluated by the pure rule
//! `dienhinh_domain::access::allowed` (and, for steps, `exemplar::check`).
//!
//! A route joins by itself when it is added to the table. Two small tables
//! below must know about it, and the test fails until they do:
//! [`KINDS`] (which record an `{id}` names, by path prefix) and
//! [`sample`] (a minimal valid body for every POST/PUT).
//!
//! Definitions used below:
//! - **let in**: the handler ran past its permission check: 2xx, a 3xx that
//!   is not a redirect to `/login`, or 409/422 from validation or a stale
//!   version (for the API: an error whose code is not `forbidden`,
//!   `not_found`, `unauthorized` or `csrf`).
//! - **refused**: 403 (API `forbidden`) when the caller may see the record
//!   but not act, 404 (API `not_found`) when they may not even see it, and
//!   for anonymous callers 303 to `/login` (pages) or 401 (API). A step the
//!   caller may not take is a 403 like any other refusal; only the step's
//!   legality from the exemplar's stage (or a missing reason) is a 422. A
//!   404 body never contains the record's name.
//! - Nothing ever answers 5xx.
//!
//! The same walk posts every state-changing page route without the CSRF
//! token (expecting the CSRF refusal) before posting it with the token.

use crate::both;
use crate::helpers::{hidden, TestApp, PASSWORD};
use dienhinh_domain::exemplar::{self, Stage, Status, Level, Step};
use dienhinh_domain::{access, Action, Assignment, OrgPath};
use dienhinh_web::routes::{Access, RouteSpec};
use reqwest::{Client, Method, StatusCode};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// The kinds of record a path parameter can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Org,
    User,
    Plan,
    Exemplar,
    Attachment,
    Model,
    Propaganda,
    Story,
    Review,
    Round,
    Nomination,
    Session,
}

/// Which record an `{id}` means, by the route's path prefix. A route with a
/// path parameter and no matching prefix fails the walk: a new kind of
/// record must be added here (and to [`Kind`] and [`find`]).
const KINDS: &[(&str, Kind)] = &[
    ("/orgs/", Kind::Org),
    ("/api/v1/orgs/", Kind::Org),
    ("/users/", Kind::User),
    ("/api/v1/users/", Kind::User),
    ("/plans/", Kind::Plan),
    ("/api/v1/plans/", Kind::Plan),
    ("/exemplars/", Kind::Exemplar),
    ("/api/v1/exemplars/", Kind::Exemplar),
    ("/attachments/", Kind::Attachment),
    ("/models/", Kind::Model),
    ("/api/v1/models/", Kind::Model),
    ("/propaganda/", Kind::Propaganda),
    ("/api/v1/propaganda/", Kind::Propaganda),
    ("/stories/", Kind::Story),
    ("/api/v1/stories/", Kind::Story),
    ("/reviews/", Kind::Review),
    ("/api/v1/reviews/", Kind::Review),
    ("/rounds/", Kind::Round),
    ("/api/v1/rounds/", Kind::Round),
    ("/nominations/", Kind::Nomination),
    ("/api/v1/nominations/", Kind::Nomination),
    ("/sessions/", Kind::Session),
    ("/api/v1/sessions/", Kind::Session),
];

fn kind_of_any(path: &str) -> Option<Kind> {
    path.contains("{id}").then(|| kind_of(path))
}

fn kind_of(path: &str) -> Kind {
    KINDS
        .iter()
        .filter(|(prefix, _)| path.starts_with(prefix))
        .max_by_key(|(prefix, _)| prefix.len())
        .map(|(_, k)| *k)
        .unwrap_or_else(|| panic!("route {path} has a path parameter but its prefix is not in access_walk::KINDS: add the kind of record it names"))
}

/// Where a sampled record sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// Under Đảng bộ Công ty Điện lực (inside for capuy/canbo, sibling for the Tài chính accounts).
    Dienluc,
    /// Under Đảng bộ Sở Tài chính (the other way round).
    Taichinh,
    /// At the root node (Tỉnh ủy), outside the bloc: out of reach of everyone but admin.
    Root,
    /// An id that does not exist.
    Missing,
    /// An exemplar of Điện lực with a fostering item of Tài chính (ids mixed across subtrees).
    Crossed,
}

const MISSING: i64 = 987_654;

/// A sampled record.
#[derive(Debug, Clone)]
struct Rec {
    id: i64,
    /// The second path parameter (`{item}`), when the route has one.
    item: i64,
    path: OrgPath,
    /// What must not appear in a body that refuses it.
    name: String,
    /// The commendation round it belongs to (its council sees it too).
    round: Option<i64>,
}

struct World {
    places: Vec<(Place, OrgPath, i64)>,
    /// (kind, place) → record.
    records: BTreeMap<(Kind, usize), Rec>,
    set_id: i64,
    criteria: Vec<(i64, dienhinh_domain::evaluation::AppliesTo)>,
    adopter: i64,
    /// The demo council: its secretary, every member, and a nomination it voted on.
    secretary: i64,
    council: Vec<i64>,
    voted: i64,
}

async fn one(app: &TestApp, sql: &str, path: &OrgPath, exact: bool) -> Option<(i64, String, String)> {
    use sqlx::Row;
    let pattern = if exact { path.0.clone() } else { format!("{}%", path.0) };
    sqlx::query(sql).bind(pattern).fetch_optional(app.db.reader()).await.unwrap().map(|r| (r.get(0), r.get(1), r.get(2)))
}

/// One record of `kind` at `place`, if the demo has one.
async fn find(app: &TestApp, kind: Kind, path: &OrgPath, exact: bool) -> Option<Rec> {
    let op = if exact { "=" } else { "LIKE" };
    let sql = match kind {
        Kind::Org => format!("SELECT id, path, name FROM orgs WHERE path {op} $1 ORDER BY path LIMIT 1"),
        Kind::User => format!("SELECT id, org_path, full_name FROM users WHERE org_path {op} $1 ORDER BY id LIMIT 1"),
        Kind::Plan => format!("SELECT id, org_path, number FROM plans WHERE org_path {op} $1 ORDER BY id LIMIT 1"),
        Kind::Exemplar => format!(
            "SELECT e.id, e.org_path, e.name FROM exemplars e WHERE e.org_path {op} $1 \
             AND EXISTS (SELECT 1 FROM fostering_items f WHERE f.exemplar_id = e.id) ORDER BY e.id LIMIT 1"
        ),
        Kind::Attachment => format!("SELECT id, org_path, file_name FROM attachments WHERE org_path {op} $1 ORDER BY id LIMIT 1"),
        Kind::Model => format!("SELECT id, org_path, title FROM annual_models WHERE org_path {op} $1 ORDER BY id LIMIT 1"),
        Kind::Propaganda => format!("SELECT id, org_path, title FROM propaganda_items WHERE org_path {op} $1 ORDER BY id LIMIT 1"),
        Kind::Story => format!("SELECT id, org_path, title FROM stories WHERE org_path {op} $1 ORDER BY id LIMIT 1"),
        Kind::Review => format!("SELECT r.id, r.org_path, o.name FROM review_reports r JOIN orgs o ON o.id = r.org_id WHERE r.org_path {op} $1 ORDER BY r.id LIMIT 1"),
        // Rounds and sessions sit at the bloc: the bloc's newest round (and its first session) for both TCCS places.
        Kind::Round if exact => "SELECT id, org_path, basis FROM commendation_rounds WHERE org_path = $1 LIMIT 1".into(),
        Kind::Round => "SELECT id, org_path, basis FROM commendation_rounds WHERE $1 <> '' ORDER BY year DESC, id LIMIT 1".into(),
        Kind::Session if exact => "SELECT id, org_path, place FROM council_sessions WHERE org_path = $1 LIMIT 1".into(),
        Kind::Session => "SELECT id, org_path, place FROM council_sessions WHERE $1 <> '' ORDER BY id LIMIT 1".into(),
        Kind::Nomination => format!("SELECT n.id, n.org_path, e.name FROM nominations n JOIN exemplars e ON e.id = n.exemplar_id WHERE n.org_path {op} $1 ORDER BY n.id DESC LIMIT 1"),
    };
    let (id, p, name) = one(app, &sql, path, exact).await?;
    let item = if kind == Kind::Exemplar { first_item(app, id).await } else { MISSING };
    let round_sql = match kind {
        Kind::Round => Some("SELECT id FROM commendation_rounds WHERE id = $1"),
        Kind::Nomination => Some("SELECT round_id FROM nominations WHERE id = $1"),
        Kind::Session => Some("SELECT round_id FROM council_sessions WHERE id = $1"),
        _ => None,
    };
    let round = match round_sql {
        Some(q) => Some(sqlx::query_scalar::<_, i64>(q).bind(id).fetch_one(app.db.reader()).await.unwrap()),
        None => None,
    };
    // Rounds and sessions name nothing secret (a round binds its whole subtree).
    let name = if matches!(kind, Kind::Round | Kind::Session) { String::new() } else { name };
    Some(Rec { id, item, path: OrgPath(p), name, round })
}

async fn first_item(app: &TestApp, exemplar_id: i64) -> i64 {
    dienhinh_store::fostering::for_exemplar(&app.db, exemplar_id).await.unwrap().first().map(|f| f.id).unwrap_or(MISSING)
}

async fn world(app: &TestApp) -> World {
    let dienluc = app.org("Đảng bộ Công ty Điện lực Nam Định").await;
    let taichinh = app.org("Đảng bộ Sở Tài chính").await;
    let tinh = app.org("Tỉnh ủy Nam Định").await;
    // Every sampled exemplar needs a fostering item for the `{item}` routes.
    let system = dienhinh_store::Actor::system("walk");
    for org in [&dienluc, &taichinh] {
        let list = dienhinh_store::exemplars::list(
            &app.db,
            &dienhinh_store::exemplars::ExemplarFilter { within: vec![org.org_path()], limit: Some(1), ..Default::default() },
        )
        .await
        .unwrap();
        let e = &list.items[0];
        if dienhinh_store::fostering::for_exemplar(&app.db, e.id).await.unwrap().is_empty() {
            let input = dienhinh_store::fostering::FosteringInput { support_kind: "ky_thuat".into(), support: "Kèm cặp".into(), ..Default::default() };
            dienhinh_store::fostering::add(&app.db, &system, e.id, input).await.unwrap();
        }
    }
    let places = vec![
        (Place::Dienluc, dienluc.org_path(), dienluc.id),
        (Place::Taichinh, taichinh.org_path(), taichinh.id),
        (Place::Root, tinh.org_path(), tinh.id),
        (Place::Missing, OrgPath("/0/".into()), MISSING),
        (Place::Crossed, dienluc.org_path(), dienluc.id),
    ];
    let mut records = BTreeMap::new();
    for kind in [Kind::Org, Kind::User, Kind::Plan, Kind::Exemplar, Kind::Attachment, Kind::Model, Kind::Propaganda, Kind::Story, Kind::Review, Kind::Round, Kind::Nomination, Kind::Session] {
        for (i, (place, path, _)) in places.iter().enumerate() {
            let rec = match place {
                Place::Missing => Some(Rec { id: MISSING, item: MISSING, path: path.clone(), name: String::new(), round: None }),
                Place::Root => find(app, kind, path, true).await,
                Place::Crossed => None,
                _ => find(app, kind, path, false).await,
            };
            if let Some(r) = rec {
                records.insert((kind, i), r);
            }
        }
    }
    // Crossed: an exemplar of Điện lực with an item of Tài chính's exemplar.
    let own = records[&(Kind::Exemplar, 0)].clone();
    let other = records[&(Kind::Exemplar, 1)].clone();
    records.insert((Kind::Exemplar, 4), Rec { item: other.item, name: other.name.clone(), ..own });
    // The bloc's criteria set of plan 48 (2022–2025), the first the demo creates.
    let set = dienhinh_store::plans::criteria_set(&app.db, 1).await.unwrap();
    World {
        places,
        records,
        set_id: set.id,
        criteria: set.criteria.iter().map(|c| (c.id, c.applies_to)).collect(),
        adopter: app.org_id("Chi bộ Văn phòng Sở").await,
        secretary: dienhinh_store::users::by_username(&app.db, "btg").await.unwrap().id,
        council: sqlx::query_scalar("SELECT DISTINCT user_id FROM council_members").fetch_all(app.db.reader()).await.unwrap(),
        voted: sqlx::query_scalar("SELECT nomination_id FROM council_votes ORDER BY id LIMIT 1").fetch_one(app.db.reader()).await.unwrap(),
    }
}

/// A request body.
enum Body {
    None,
    Form(Vec<(String, String)>),
    Json(Value),
    Multipart,
}

const PNG: &[u8] = include_bytes!("../../seed/demo-photo.png");

/// What a route's sample body needs to know.
struct Ctx<'a> {
    rec: Option<&'a Rec>,
    /// The place's organisation (the target of creations).
    org: i64,
    n: usize,
    w: &'a World,
}

fn s(v: impl ToString) -> String {
    v.to_string()
}

/// A minimal valid body for every state-changing route, in the route
/// table's spelling. Returns whether the body names the target organisation
/// (creations), which then stands for the record. A state-changing route
/// missing here fails the walk.
async fn sample(app: &TestApp, spec: &RouteSpec, cx: &Ctx<'_>) -> (Body, bool) {
    let id = cx.rec.map(|r| r.id).unwrap_or(MISSING);
    let db = &app.db;
    // The record as it is now (for versions and unchanged fields), read only when the route names one.
    let kind = spec.path.contains("{id}").then(|| kind_of(spec.path)).filter(|_| cx.rec.is_some() && spec.method != Method::GET);
    let org = match kind {
        Some(Kind::Org) => dienhinh_store::orgs::get(db, id).await.ok(),
        _ => None,
    };
    let ex = match kind {
        Some(Kind::Exemplar) => dienhinh_store::exemplars::get(db, id).await.ok(),
        _ => None,
    };
    let model = match kind {
        Some(Kind::Model) => dienhinh_store::annual_models::get(db, id).await.ok(),
        _ => None,
    };
    let story_version = match kind {
        Some(Kind::Story) => dienhinh_store::stories::get(db, id).await.map(|s| s.version).unwrap_or(1),
        _ => 1,
    };
    let propaganda_version = match kind {
        Some(Kind::Propaganda) => dienhinh_store::propaganda::get(db, id).await.map(|p| p.version).unwrap_or(1),
        _ => 1,
    };
    let item = match kind {
        Some(Kind::Exemplar) if spec.path.contains("{item}") => dienhinh_store::fostering::get(db, cx.rec.map(|r| r.item).unwrap_or(MISSING)).await.ok(),
        _ => None,
    };
    let year = dienhinh_domain::clock::current_year();
    let nomination_version = match kind {
        Some(Kind::Nomination) => dienhinh_store::commendation::get_nomination(db, id).await.map(|n| n.version).unwrap_or(1),
        _ => 1,
    };
    let review_version = match kind {
        Some(Kind::Review) => dienhinh_store::reviews::get(db, id).await.map(|r| r.version).unwrap_or(1),
        _ => 1,
    };
    let session_version = match kind {
        Some(Kind::Session) => dienhinh_store::commendation::get_session(db, id).await.map(|s| s.version).unwrap_or(1),
        _ => 1,
    };
    let n = cx.n;
    let f = |pairs: &[(&str, String)]| Body::Form(pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect());
    let org_version = org.as_ref().map(|o| o.version).unwrap_or(1);
    let org_kind = org.as_ref().map(|o| o.kind.code().to_string()).unwrap_or_else(|| dienhinh_domain::OrgKind::ChiBo.code().into());
    let org_name = org.as_ref().map(|o| o.name.clone()).unwrap_or_else(|| "Chi bộ".into());
    let org_parent = org.as_ref().and_then(|o| o.parent_id).unwrap_or(id);
    // A new unit at the place takes a kind that may stand there (a chi bộ under a TCCS).
    let child_kind = match dienhinh_store::orgs::get(db, cx.org).await {
        Ok(o) if spec.path.ends_with("/orgs") => o.kind.default_child().unwrap_or(dienhinh_domain::OrgKind::ChiBo),
        _ => dienhinh_domain::OrgKind::ChiBo,
    }
    .code();
    let ex_version = ex.as_ref().map(|e| e.version).unwrap_or(1);
    let ex_kind = ex.as_ref().map(|e| e.kind.code().to_string()).unwrap_or_else(|| dienhinh_domain::exemplar::ExemplarKind::CaNhan.code().into());
    let ex_name = ex.as_ref().map(|e| e.name.clone()).unwrap_or_else(|| "Điển hình".into());
    let ex_year = ex.as_ref().map(|e| e.year_found).unwrap_or(2024);
    let m_version = model.as_ref().map(|m| m.version).unwrap_or(1);
    let i_version = item.as_ref().map(|i| i.version).unwrap_or(1);
    // The criteria that apply to the exemplar's kind (an evaluation answers those and no other).
    let ex_kind_is = ex.as_ref().map(|e| e.kind).unwrap_or(dienhinh_domain::exemplar::ExemplarKind::CaNhan);
    let criteria: Vec<i64> = cx.w.criteria.iter().filter(|(_, a)| a.covers(ex_kind_is)).map(|(id, _)| *id).collect();
    let scores: Vec<Value> = criteria.iter().map(|c| json!({"criterion_id": c, "result": "dat", "score": 9})).collect();
    let m = &spec.method;
    match (m.as_str(), spec.path) {
        ("POST", "/login") => (f(&[("username", s("khong-co")), ("password", s("sai-mat-khau")), ("next", s("/"))]), false),
        ("POST", "/logout") => (Body::None, false),
        ("POST", "/account/password") => (f(&[("current", s("sai-mat-khau")), ("new_password", s("mat-khau-moi-walk")), ("confirm", s("mat-khau-moi-walk"))]), false),
        ("POST", "/orgs") => (f(&[("parent_id", s(cx.org)), ("kind", s(child_kind)), ("name", format!("Tổ chức walk {n}"))]), true),
        ("POST", "/orgs/{id}") => (f(&[("kind", org_kind), ("name", org_name), ("version", s(org_version))]), false),
        ("POST", "/orgs/{id}/move") => (f(&[("parent_id", s(org_parent)), ("version", s(org_version)), ("confirmed", s(1))]), false),
        ("POST", "/users") => (
            f(&[("username", format!("walk{n}")), ("full_name", format!("Người walk {n}")), ("org_id", s(cx.org)), ("role", s("nguoi_xem")), ("password", s(PASSWORD))]),
            true,
        ),
        ("POST", "/models") => (f(&[("org_id", s(cx.org)), ("year", s(year)), ("title", format!("Mô hình walk {n}"))]), true),
        ("POST", "/models/{id}/decision") => (f(&[("decision", s("approve")), ("note", s("Đồng ý")), ("version", s(m_version)), ("confirmed", s(1))]), false),
        ("POST", "/exemplars") => (
            f(&[("org_id", s(cx.org)), ("kind", s("ca_nhan")), ("name", format!("Điển hình walk {n}")), ("year_found", s(2025))]),
            true,
        ),
        ("POST", "/exemplars/{id}") => (f(&[("kind", ex_kind), ("name", ex_name), ("year_found", s(ex_year)), ("version", s(ex_version))]), false),
        ("POST", "/exemplars/{id}/fostering") => (f(&[("support_kind", s("ky_thuat")), ("support", format!("Kèm cặp {n}"))]), false),
        ("POST", "/exemplars/{id}/fostering/{item}/status") => (f(&[("status", s("dang_thuc_hien")), ("version", s(i_version))]), false),
        ("POST", "/exemplars/{id}/evaluations") => {
            let mut p = vec![
                ("criteria_set_id", s(cx.w.set_id)),
                ("period_year", s(2025)),
                ("evaluated_on", s("2025-12-01")),
                ("evaluator", s("Đảng ủy")),
            ];
            let owned: Vec<(String, String)> = criteria.iter().flat_map(|c| [(format!("result_{c}"), s("dat")), (format!("score_{c}"), s(9))]).collect();
            let mut pairs: Vec<(String, String)> = p.drain(..).map(|(k, v)| (k.to_string(), v)).collect();
            pairs.extend(owned);
            (Body::Form(pairs), false)
        }
        ("POST", "/exemplars/{id}/replications") => (f(&[("adopter_org_id", s(cx.w.adopter)), ("adopted_on", s("2025-10-01")), ("how", s("hoi_nghi"))]), false),
        ("POST", "/exemplars/{id}/visits") => (f(&[("visited_on", s("2025-11-02")), ("visiting_units", s("Đoàn")), ("participants", s(12))]), false),
        ("POST", "/exemplars/{id}/attachments") | ("POST", "/api/v1/exemplars/{id}/attachments") | ("POST", "/stories/{id}/images") => (Body::Multipart, false),
        ("POST", "/nominations/{id}/attachments") | ("POST", "/api/v1/nominations/{id}/attachments") => (Body::Multipart, false),
        ("POST", "/catalog/fields") => (f(&[("field_name", format!("Lĩnh vực walk {n}"))]), false),
        ("POST", "/catalog/movements") => (f(&[("org_id", s(cx.org)), ("movement_name", format!("Phong trào walk {n}")), ("year_from", s(year))]), true),
        ("POST", "/catalog/criteria") => (
            f(&[("org_id", s(cx.org)), ("set_name", format!("Tiêu chí walk {n}")), ("period_from", s(year)), ("period_to", s(year + 2)), ("criteria", s("Hoàn thành xuất sắc nhiệm vụ"))]),
            true,
        ),
        ("POST", "/propaganda") => (
            f(&[("org_id", s(cx.org)), ("item_type", s("tin")), ("channel", s("trang_web")), ("title", format!("Tin walk {n}")), ("published_on", s("2025-01-02"))]),
            true,
        ),
        ("POST", "/api/v1/propaganda") => (
            Body::Json(json!({"org_id": cx.org, "item_type": "tin", "channel": "trang_web", "title": format!("Tin walk {n}"), "published_on": "2025-01-02"})),
            true,
        ),
        ("POST", "/propaganda/{id}") => (
            f(&[("item_type", s("tin")), ("channel", s("trang_web")), ("title", format!("Tin walk {n}")), ("published_on", s("2025-01-02")), ("version", s(propaganda_version))]),
            false,
        ),
        ("PUT", "/api/v1/propaganda/{id}") => (
            Body::Json(json!({"org_id": cx.org, "item_type": "tin", "channel": "trang_web", "title": format!("Tin walk {n}"), "published_on": "2025-01-02", "version": propaganda_version})),
            false,
        ),
        ("POST", "/stories") => (f(&[("org_id", s(cx.org)), ("title", format!("Bài walk {n}")), ("body", s("Nội dung **bài**."))]), true),
        ("POST", "/stories/{id}") => (f(&[("title", format!("Bài walk {n}")), ("body", s("Nội dung.")), ("version", s(story_version))]), false),
        ("POST", "/stories/{id}/submit") => (f(&[("version", s(story_version))]), false),
        ("POST", "/stories/{id}/review") => (f(&[("decision", s("tra_lai")), ("note", s("Sửa lại đoạn đầu.")), ("version", s(story_version))]), false),
        ("POST", "/stories/{id}/unpublish") => (f(&[("note", s("Gỡ theo đề nghị.")), ("version", s(story_version))]), false),
        ("POST", "/api/v1/stories") => (Body::Json(json!({"org_id": cx.org, "title": format!("Bài walk {n}"), "body": "Nội dung."})), true),
        ("PUT", "/api/v1/stories/{id}") => (Body::Json(json!({"org_id": cx.org, "title": format!("Bài walk {n}"), "body": "Nội dung.", "version": story_version})), false),
        ("POST", "/api/v1/stories/{id}/submit") => (Body::Json(json!({"version": story_version})), false),
        ("POST", "/api/v1/stories/{id}/review") => (Body::Json(json!({"decision": "tra_lai", "note": "Sửa lại.", "version": story_version})), false),
        ("POST", "/api/v1/stories/{id}/unpublish") => (Body::Json(json!({"reason": "Gỡ theo đề nghị.", "version": story_version})), false),
        ("POST", "/api/v1/fields") => (Body::Json(json!({"name": format!("Lĩnh vực walk {n}")})), false),
        ("POST", "/api/v1/movements") => (Body::Json(json!({"org_id": cx.org, "name": format!("Phong trào walk {n}"), "year_from": year})), true),
        ("POST", "/api/v1/criteria-sets") => (
            Body::Json(json!({"org_id": cx.org, "name": format!("Tiêu chí walk {n}"), "period_from": year, "period_to": year + 2,
                "criteria": [{"code": "W.1", "applies_to": "chung", "text": "Hoàn thành xuất sắc nhiệm vụ"}]})),
            true,
        ),
        ("POST", "/api/v1/orgs") => (Body::Json(json!({"parent_id": cx.org, "kind": child_kind, "name": format!("Tổ chức walk {n}")})), true),
        ("PUT", "/api/v1/orgs/{id}") => (Body::Json(json!({"version": org_version, "kind": org_kind, "name": org_name})), false),
        ("POST", "/api/v1/orgs/{id}/move") => (Body::Json(json!({"parent_id": org_parent, "version": org_version})), false),
        ("POST", "/api/v1/users") => (
            Body::Json(json!({"username": format!("walk{n}"), "full_name": format!("Người walk {n}"), "org_id": cx.org, "role": "nguoi_xem", "password": PASSWORD})),
            true,
        ),
        ("POST", "/api/v1/exemplars") => (Body::Json(json!({"org_id": cx.org, "kind": "ca_nhan", "name": format!("Điển hình walk {n}"), "year_found": 2025})), true),
        ("PUT", "/api/v1/exemplars/{id}") => (
            Body::Json(json!({"version": ex_version, "org_id": ex.as_ref().map(|e| e.org_id).unwrap_or(cx.org), "kind": ex_kind, "name": ex_name, "year_found": ex_year})),
            false,
        ),
        ("POST", "/api/v1/exemplars/{id}/fostering") => (Body::Json(json!({"support_kind": "ky_thuat", "support": format!("Kèm cặp {n}")})), false),
        ("POST", "/api/v1/exemplars/{id}/evaluations") => (
            Body::Json(json!({"criteria_set_id": cx.w.set_id, "period_year": 2025, "evaluated_on": "2025-12-01", "evaluator": "Đảng ủy", "scores": scores})),
            false,
        ),
        ("POST", "/api/v1/exemplars/{id}/replications") => (Body::Json(json!({"adopter_org_id": cx.w.adopter, "adopted_on": "2025-10-01", "how": "hoi_nghi"})), false),
        ("POST", "/api/v1/exemplars/{id}/visits") => (Body::Json(json!({"visited_on": "2025-11-02", "visiting_units": "Đoàn", "participants": 12})), false),
        ("POST", "/api/v1/models") => (Body::Json(json!({"org_id": cx.org, "year": year, "title": format!("Mô hình walk {n}")})), true),
        ("POST", "/api/v1/models/{id}/decision") => (Body::Json(json!({"approve": true, "note": "Đồng ý", "version": m_version})), false),
        ("POST", "/api/v1/commendation-forms") => (Body::Json(json!({"name": format!("Hình thức walk {n}"), "authority": "trong_khoi"})), false),
        ("POST", "/api/v1/rounds") => (
            Body::Json(json!({"org_id": cx.org, "year": year, "form_id": 1, "deadline": format!("{year}-12-31"),
                "rules": {"quorum_num": 2, "quorum_den": 3, "threshold_percent": 50, "threshold_rule": "tren", "ballot": "bo_phieu_kin", "basis": "Quy chế walk"},
                "council": [{"user_id": cx.w.secretary, "role": "thu_ky"}]})),
            true,
        ),
        ("POST", "/api/v1/rounds/{id}/nominations") => (Body::Json(json!({"exemplar_id": cx.w.records[&(Kind::Exemplar, 0)].id})), false),
        ("POST", "/api/v1/rounds/{id}/sessions") => (Body::Json(json!({"held_on": dienhinh_domain::clock::today_iso(), "present": cx.w.council})), false),
        ("POST", "/api/v1/rounds/{id}/outcome") => (Body::Json(json!({"number": format!("{n}-QĐ/ĐUK"), "date": dienhinh_domain::clock::today_iso(), "signer": "Người ký walk"})), false),
        ("PUT", "/api/v1/nominations/{id}/dossier") => (Body::Json(json!({"report": format!("Báo cáo walk {n}"), "confirmation": "Xác nhận", "version": nomination_version})), false),
        ("POST", "/api/v1/nominations/{id}/steps") => (Body::Json(json!({"step": "gui", "version": nomination_version})), false),
        ("POST", "/api/v1/nominations/{id}/upward") => (Body::Json(json!({"approved": false, "version": nomination_version})), false),
        ("POST", "/api/v1/sessions/{id}/votes") => (Body::Json(json!({"nomination_id": cx.w.voted, "choice": "dong_y"})), false),
        ("POST", "/api/v1/sessions/{id}/written-votes") => (Body::Json(json!({"nomination_id": cx.w.voted, "member_id": cx.w.secretary, "choice": "dong_y"})), false),
        ("POST", "/api/v1/sessions/{id}/close") => (Body::Json(json!({"version": session_version})), false),
        // Without a council: refused as invalid (422) for those who guide, so the walk opens no rounds.
        ("POST", "/rounds") => (f(&[("year", s(year)), ("form_id", s(1)), ("deadline", format!("{year}-12-31")), ("basis", s("Quy chế walk"))]), false),
        ("POST", "/rounds/{id}/nominations") => (f(&[("exemplar_id", s(cx.w.records[&(Kind::Exemplar, 0)].id))]), false),
        ("POST", "/rounds/{id}/sessions") => {
            let mut pairs = vec![("held_on".to_string(), dienhinh_domain::clock::today_iso())];
            pairs.extend(cx.w.council.iter().map(|u| ("present".to_string(), s(u))));
            (Body::Form(pairs), false)
        }
        ("POST", "/rounds/{id}/outcome") => (f(&[("number", format!("{n}-QĐ/ĐUK")), ("date", dienhinh_domain::clock::today_iso()), ("signer", s("Người ký walk"))]), false),
        ("POST", "/nominations/{id}/dossier") => (f(&[("report", format!("Báo cáo walk {n}")), ("confirmation", s("Xác nhận")), ("version", s(nomination_version))]), false),
        ("POST", "/nominations/{id}/steps") => (f(&[("step", s("gui")), ("version", s(nomination_version))]), false),
        ("POST", "/nominations/{id}/upward") => (f(&[("approved", s(0)), ("version", s(nomination_version))]), false),
        ("POST", "/sessions/{id}/votes") => (f(&[("nomination_id", s(cx.w.voted)), ("choice", s("dong_y"))]), false),
        ("POST", "/sessions/{id}/written-votes") => (f(&[("nomination_id", s(cx.w.voted)), ("member_id", s(cx.w.secretary)), ("choice", s("dong_y"))]), false),
        ("POST", "/sessions/{id}/close") => (f(&[("version", s(session_version))]), false),
        ("POST", "/reviews") => (f(&[("org_id", s(cx.org)), ("period_from", s(2024)), ("period_to", s(2024))]), true),
        ("POST", "/reviews/{id}") => (f(&[("results", format!("Kết quả walk {n}")), ("version", s(review_version))]), false),
        ("POST", "/reviews/{id}/submit") | ("POST", "/reviews/{id}/accept") => (f(&[("version", s(review_version))]), false),
        ("POST", "/reviews/{id}/return") => (f(&[("comment", s("Bổ sung số liệu.")), ("version", s(review_version))]), false),
        ("POST", "/api/v1/reviews") => (Body::Json(json!({"org_id": cx.org, "period_from": 2024, "period_to": 2024})), true),
        ("PUT", "/api/v1/reviews/{id}") => (Body::Json(json!({"version": review_version, "results": format!("Kết quả walk {n}")})), false),
        ("POST", "/api/v1/reviews/{id}/submit") | ("POST", "/api/v1/reviews/{id}/accept") => (Body::Json(json!({"version": review_version})), false),
        ("POST", "/api/v1/reviews/{id}/return") => (Body::Json(json!({"version": review_version, "comment": "Bổ sung số liệu."})), false),
        ("GET", _) => (Body::None, false),
        // Steps are posted once per step code, with the body built in the walk.
        _ if spec.access == Access::Step => (Body::None, false),
        (m, p) => panic!("no sample body for {m} {p}: add one to access_walk::sample"),
    }
}

/// A caller: a demo account (page session + API token) or nobody.
struct Caller {
    username: Option<&'static str>,
    who: Vec<Assignment>,
    /// Where the person works, and their seats in councils.
    home: OrgPath,
    seats: Vec<dienhinh_domain::commendation::CouncilSeat>,
    page: Client,
    csrf: String,
    token: Option<String>,
}

async fn caller(app: &TestApp, username: Option<&'static str>) -> Caller {
    match username {
        Some(u) => {
            let (page, csrf) = app.sign_in(u).await;
            let user = dienhinh_store::users::by_username(&app.db, u).await.unwrap();
            let seats = dienhinh_store::commendation::seats(&app.db, user.id).await.unwrap();
            Caller { username, who: user.assignments(), home: user.org_path.clone(), seats, page, csrf, token: Some(app.token(u).await) }
        }
        None => {
            // The anonymous browser holds the sign-in form's double-submit
            // token, so its posts pass CSRF and meet the sign-in redirect.
            let page = app.client();
            let html = page.get(app.url("/login")).send().await.unwrap().text().await.unwrap();
            Caller { username, who: vec![], home: OrgPath(String::new()), seats: vec![], page, csrf: hidden(&html, "_csrf"), token: None }
        }
    }
}

/// What the rule says about one call.
#[derive(Debug, Clone, PartialEq)]
enum Want {
    LetIn,
    Forbidden,
    NotFound,
    /// Refused one way or the other (403/404, or a page's 422 refusing the chosen unit).
    Refused,
    /// Public route: anything but 5xx.
    Any,
    /// Anonymous: 303 to /login (pages) or 401 (API).
    SignIn,
    /// A step the caller may take: `Ok` → let in, `Err(code)` → 422 carrying that code (API).
    Step(Result<(), &'static str>),
}

fn by_rule(who: &[Assignment], ok: bool, at: &OrgPath) -> Want {
    if ok {
        Want::LetIn
    } else if access::allowed(who, Action::View, at) {
        Want::Forbidden
    } else {
        Want::NotFound
    }
}

fn expected(spec: &RouteSpec, c: &Caller, rec: Option<&Rec>, place: Option<Place>, targets_org: bool, step: Option<Step>) -> Want {
    if spec.access == Access::Public {
        return Want::Any;
    }
    if c.username.is_none() {
        return Want::SignIn;
    }
    let who = &c.who;
    let Some(rec) = rec else {
        // No record: lists, forms and creations judged by scope.
        return match spec.access {
            Access::Public | Access::SignedIn => Want::LetIn,
            Access::Needs(a) => {
                if access::scope_roots(who, a).is_empty() { Want::Forbidden } else { Want::LetIn }
            }
            Access::Step | Access::Spread | Access::Within(_) | Access::NominationStep | Access::Council(_) | Access::WholeRound => {
                panic!("{} {}: a step, spread or council route without a record", spec.method, spec.path)
            }
        };
    };
    if place == Some(Place::Missing) {
        return if targets_org { Want::Refused } else { Want::NotFound };
    }
    if place == Some(Place::Crossed) {
        // The item belongs to another exemplar: never changed through this one.
        return Want::Refused;
    }
    let at = &rec.path;
    if let Some(round) = rec.round {
        return commendation_rule(spec, c, rec, round);
    }
    let want = match spec.access {
        Access::Public | Access::SignedIn => Want::LetIn,
        Access::Needs(a) => by_rule(who, access::allowed(who, a, at), at),
        Access::Spread => by_rule(who, access::allowed(who, Action::EnterData, at) || access::allowed(who, Action::Guide, at), at),
        Access::Step => {
            if !access::allowed(who, Action::View, at) {
                Want::NotFound
            } else {
                Want::Step(Ok(())) // refined by the caller with the exemplar's stage
            }
        }
        Access::Within(_) | Access::NominationStep | Access::Council(_) | Access::WholeRound => panic!("{} {}: only commendation records", spec.method, spec.path),
    };
    let _ = step;
    if targets_org && matches!(want, Want::Forbidden | Want::NotFound) {
        return Want::Refused;
    }
    want
}

/// A record of a commendation round: seen by those who view its node, by
/// the council of its round and (a round) by every unit below it; acted on
/// by the route's rule, a council route by the caller's seats in the round.
fn commendation_rule(spec: &RouteSpec, c: &Caller, rec: &Rec, round: i64) -> Want {
    let (who, at) = (&c.who, &rec.path);
    let seated = access::council_allows(&c.seats, round, access::CouncilDuty::Vote);
    let visible = access::allowed(who, Action::View, at) || seated || (kind_of(spec.path) == Kind::Round && at.contains(&c.home));
    if !visible {
        return Want::NotFound;
    }
    let ok = match spec.access {
        Access::SignedIn => true,
        Access::Needs(Action::View) => true,
        Access::Needs(a) => access::allowed(who, a, at),
        Access::Within(a) => who.iter().any(|x| access::role_grants(x.role, a) && (x.org_path.contains(at) || at.contains(&x.org_path))),
        // The walk posts `gui` (send the dossier): the unit's, at the nominee's node.
        Access::NominationStep => access::allowed(who, Action::EnterData, at),
        Access::Council(duty) => access::council_allows(&c.seats, round, duty),
        Access::WholeRound => access::allowed(who, Action::View, at) || seated,
        Access::Public | Access::Step | Access::Spread => panic!("{} {}: not a commendation rule", spec.method, spec.path),
    };
    if ok { Want::LetIn } else { Want::Forbidden }
}

struct Answer {
    status: StatusCode,
    location: String,
    body: String,
    /// The success announcement the answer sets (`flash`), if any.
    flash: Option<String>,
}

async fn send(app: &TestApp, c: &Caller, spec: &RouteSpec, url_path: &str, body: &Body, with_csrf: bool) -> Answer {
    let is_api = spec.path.starts_with("/api/");
    let method = Method::from_bytes(spec.method.as_str().as_bytes()).unwrap();
    let mut url = app.url(url_path);
    let client = if is_api { Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap() } else { c.page.clone() };
    let mut csrf = c.csrf.clone();
    if c.username.is_none() && !is_api && spec.method != Method::GET {
        // Each visit to the sign-in form renews its double-submit token.
        let html = client.get(app.url("/login")).send().await.unwrap().text().await.unwrap();
        csrf = hidden(&html, "_csrf");
    }
    if matches!(body, Body::Multipart) && !is_api && with_csrf {
        url = format!("{url}?_csrf={csrf}");
    }
    let mut req = client.request(method, url);
    if is_api {
        if let Some(t) = &c.token {
            req = req.bearer_auth(t);
        }
    }
    req = match body {
        Body::None if !is_api && spec.method != Method::GET && with_csrf => req.form(&[("_csrf", csrf.as_str())]),
        Body::None => req,
        Body::Form(pairs) => {
            let mut pairs = pairs.clone();
            if with_csrf {
                pairs.push(("_csrf".into(), csrf.clone()));
            }
            req.form(&pairs)
        }
        Body::Json(v) => req.json(v),
        Body::Multipart => {
            let part = reqwest::multipart::Part::bytes(PNG.to_vec()).file_name("anh-walk.png").mime_str("image/png").unwrap();
            req.multipart(reqwest::multipart::Form::new().part("file", part))
        }
    };
    let res = req.send().await.unwrap();
    let status = res.status();
    let location = res.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    let flash = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok()?.strip_prefix(&format!("{}=", dienhinh_web::flash::FLASH_COOKIE)).map(|v| v.split(';').next().unwrap_or_default().to_string()))
        .find(|v| !v.is_empty());
    let body = res.text().await.unwrap_or_default();
    Answer { status, location, body, flash }
}

/// A page write that succeeded announces it: its redirect sets the flash,
/// the page it lands on shows the message once (`role="status"`), and the
/// next page no more.
async fn announced_once(app: &TestApp, c: &Caller, a: &Answer, ctx: &str) {
    let code = a.flash.as_deref().unwrap_or_else(|| panic!("{ctx}: a page write that succeeded announces nothing (use pages::done)"));
    let message = dienhinh_web::flash::Done::from_code(code).unwrap_or_else(|| panic!("{ctx}: unknown announcement {code:?}")).message();
    let shown = |html: &str| html.matches(&format!("role=\"status\">{}", askama_escape(message))).count();
    let landed = c.page.get(app.url(&a.location)).send().await.unwrap().text().await.unwrap();
    assert_eq!(shown(&landed), 1, "{ctx}: {:?} shown on {} (once expected)", message, a.location);
    if let Some((_, section)) = a.location.split_once('#') {
        // Landing on a section scrolls the top away: the message is in the section.
        let start = landed.find(&format!("id=\"{section}\"")).unwrap_or_else(|| panic!("{ctx}: {} has no section {section}", a.location));
        let inside = &landed[start..];
        let inside = &inside[..inside.find("</section>").unwrap_or(inside.len())];
        assert_eq!(shown(inside), 1, "{ctx}: {message:?} is not inside #{section}");
    }
    let again = c.page.get(app.url(&a.location)).send().await.unwrap().text().await.unwrap();
    assert_eq!(shown(&again), 0, "{ctx}: {:?} shown again on {}", message, a.location);
}

/// Text as askama writes it into HTML.
fn askama_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&#34;").replace('\'', "&#39;")
}

/// The API error code and first field code of a JSON error body.
fn codes(body: &str) -> (String, String) {
    let v: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    (s(v["error"]["code"].as_str().unwrap_or_default()), s(v["error"]["fields"][0]["code"].as_str().unwrap_or_default()))
}

fn let_in(a: &Answer, is_api: bool) -> bool {
    let st = a.status.as_u16();
    match st {
        200..=299 => true,
        300..=399 => !a.location.starts_with("/login"),
        409 | 422 => {
            if is_api {
                let (code, _) = codes(&a.body);
                !["forbidden", "not_found", "unauthorized", "csrf"].contains(&code.as_str())
            } else {
                true
            }
        }
        _ => false,
    }
}

fn check(a: &Answer, want: &Want, is_api: bool, rec: Option<&Rec>, ctx: &str) {
    assert!(!a.status.is_server_error(), "{ctx}: {} {}", a.status, &a.body[..a.body.len().min(300)]);
    let st = a.status.as_u16();
    match want {
        Want::Any => assert!(st != 403, "{ctx}: public route refused ({st})"),
        Want::SignIn => {
            if is_api {
                assert_eq!(st, 401, "{ctx}");
                assert_eq!(codes(&a.body).0, "unauthorized", "{ctx}");
            } else {
                assert!(st == 303 && a.location.starts_with("/login"), "{ctx}: {st} → {:?}", a.location);
            }
        }
        Want::LetIn => assert!(let_in(a, is_api), "{ctx}: expected to be let in, got {st} {}", &a.body[..a.body.len().min(300)]),
        Want::Forbidden => {
            assert_eq!(st, 403, "{ctx}: expected 403 {}", &a.body[..a.body.len().min(300)]);
            if is_api {
                assert_eq!(codes(&a.body).0, "forbidden", "{ctx}");
            } else {
                assert!(a.body.contains("không có quyền"), "{ctx}: the page's 403 says why");
            }
        }
        Want::NotFound => {
            assert_eq!(st, 404, "{ctx}: expected 404 {}", &a.body[..a.body.len().min(300)]);
            if is_api {
                assert_eq!(codes(&a.body).0, "not_found", "{ctx}");
            }
        }
        Want::Refused => {
            assert!(!let_in(a, is_api) || (st == 422 && !is_api), "{ctx}: expected a refusal, got {st}");
            assert!([403, 404, 422].contains(&st), "{ctx}: expected a refusal, got {st}");
        }
        Want::Step(Ok(())) => assert!(let_in(a, is_api) && st < 400, "{ctx}: step expected to pass, got {st} {}", &a.body[..a.body.len().min(300)]),
        Want::Step(Err(code)) => {
            assert_eq!(st, 422, "{ctx}: step expected refused with {code}");
            if is_api {
                assert_eq!(codes(&a.body).1, *code, "{ctx}");
            }
        }
    }
    // A body that refuses a record the caller may not see names nothing of it.
    if let Some(r) = rec {
        if st == 404 && !r.name.is_empty() {
            assert!(!a.body.contains(&r.name), "{ctx}: the refusal leaks {:?}", r.name);
        }
    }
}

/// Accounts of the demo, then nobody.
fn callers() -> Vec<Option<&'static str>> {
    dienhinh::demo::ACCOUNTS.iter().map(|a| Some(a.username)).chain([None]).collect()
}

both!(every_route_as_every_caller_matches_the_rules, |app| {
    let started = std::time::Instant::now();
    let w = world(&app).await;
    let mut specs = dienhinh_web::routes::specs();
    // Signing out ends the session: last.
    specs.sort_by_key(|s| s.path == "/logout");
    let mut n = 0usize;
    let mut calls = 0usize;
    let mut csrf_checked = 0usize;
    let mut announced = 0usize;
    let mut covered = std::collections::HashSet::new();
    for username in callers() {
        let c = caller(&app, username).await;
        let me = username.unwrap_or("anonymous");
        // Routes this caller has already posted without a token (once each).
        let mut csrf_done = std::collections::HashSet::new();
        for spec in &specs {
            let is_api = spec.path.starts_with("/api/");
            let has_id = spec.path.contains("{id}");
            let has_item = spec.path.contains("{item}");
            // The places this route is called at: with a record, or once without.
            let kind = if has_id { Some(kind_of(spec.path)) } else { None };
            let probe = sample(&app, spec, &Ctx { rec: None, org: w.places[0].2, n: 0, w: &w }).await;
            let targets_org = probe.1;
            let mut runs: Vec<(Option<Place>, Option<Rec>, i64)> = vec![];
            if let Some(k) = kind {
                for (i, (place, _, org)) in w.places.iter().enumerate() {
                    if *place == Place::Crossed && !has_item {
                        continue;
                    }
                    if let Some(r) = w.records.get(&(k, i)) {
                        runs.push((Some(*place), Some(r.clone()), *org));
                    }
                }
            } else if targets_org {
                for (place, path, org) in &w.places {
                    if *place == Place::Crossed {
                        continue;
                    }
                    let name = if *place == Place::Missing { String::new() } else { dienhinh_store::orgs::get(&app.db, *org).await.unwrap().name };
                    runs.push((Some(*place), Some(Rec { id: *org, item: MISSING, path: path.clone(), name, round: None }), *org));
                }
            } else {
                runs.push((None, None, w.places[0].2));
            }
            for (place, rec, org) in runs {
                let url_path = match &rec {
                    Some(r) if has_id => spec.path.replace("{id}", &r.id.to_string()).replace("{item}", &r.item.to_string()),
                    _ => spec.path.to_string(),
                };
                let steps: Vec<Option<Step>> = if spec.access == Access::Step { Step::ALL.iter().copied().map(Some).collect() } else { vec![None] };
                for step in steps {
                    n += 1;
                    let (mut body, _) = sample(&app, spec, &Ctx { rec: rec.as_ref(), org, n, w: &w }).await;
                    let mut want = expected(spec, &c, rec.as_ref(), place, targets_org, step);
                    if let Some(step) = step {
                        // The step's body and the domain's verdict on it, from the exemplar as it is now.
                        let (version, stage) = match dienhinh_store::exemplars::get(&app.db, rec.as_ref().unwrap().id).await {
                            Ok(e) => (e.version, e.stage()),
                            Err(_) => (1, Stage { status: Status::PhatHien, level: Level::CoSo }),
                        };
                        let reason = format!("Lý do kiểm thử {n}");
                        // The decision a recognition or a raised level records.
                        let today = dienhinh_domain::clock::today_iso();
                        body = if is_api {
                            Body::Json(json!({"step": step.code(), "reason": reason, "version": version, "decision_no": format!("{n}-NQ/ĐU"), "decided_on": today}))
                        } else {
                            Body::Form(vec![
                                ("step".into(), step.code().into()),
                                ("reason".into(), reason.clone()),
                                ("version".into(), version.to_string()),
                                ("decision_no".into(), format!("{n}-NQ/ĐU")),
                                ("decided_on".into(), today.clone()),
                                ("confirmed".into(), "1".into()),
                            ])
                        };
                        if want == Want::Step(Ok(())) {
                            // Who asks first (403), then what the stage allows (422).
                            let at = &rec.as_ref().unwrap().path;
                            want = if !step.needs_any().into_iter().any(|a| access::allowed(&c.who, a, at)) {
                                Want::Forbidden
                            } else {
                                Want::Step(exemplar::check(step, stage, &c.who, at, &reason).map(|_| ()).map_err(|r| r.code))
                            };
                        }
                    }
                    let ctx = format!("{me} {} {url_path} ({place:?}{})", spec.method, step.map(|s| format!(", step {}", s.code())).unwrap_or_default());
                    // CSRF: every state-changing page route, posted by a signed-in session
                    // without its token, is refused before anything else happens.
                    if !is_api && spec.method != Method::GET && c.username.is_some() && csrf_done.insert(spec.path) {
                        let a = send(&app, &c, spec, &url_path, &body, false).await;
                        assert_eq!(a.status, StatusCode::FORBIDDEN, "{ctx} without CSRF token");
                        assert!(a.body.contains("biểu mẫu không hợp lệ"), "{ctx}: the CSRF refusal says so");
                        csrf_checked += 1;
                    }
                    let a = send(&app, &c, spec, &url_path, &body, true).await;
                    calls += 1;
                    if spec.path == "/logout" && c.username.is_some() {
                        // Signing out answers with the sign-in page; let in means the session is gone.
                        assert!(a.status == StatusCode::SEE_OTHER && a.location.starts_with("/login"), "{ctx}: {}", a.status);
                        let home = c.page.get(app.url("/account/password")).send().await.unwrap();
                        assert!(home.headers().get("location").is_some_and(|l| l.to_str().unwrap().starts_with("/login")), "{ctx}: session still alive");
                    } else {
                        check(&a, &want, is_api, rec.as_ref(), &ctx);
                        if !is_api && spec.method != Method::GET && spec.path != "/login" && a.status == StatusCode::SEE_OTHER && !a.location.starts_with("/login") {
                            announced_once(&app, &c, &a, &ctx).await;
                            announced += 1;
                        }
                    }
                    covered.insert((spec.method.clone(), spec.path));
                }
            }
        }
    }
    let all: std::collections::HashSet<_> = specs.iter().map(|s| (s.method.clone(), s.path)).collect();
    assert_eq!(covered, all, "every route was called");
    eprintln!(
        "access walk: {} routes, {} callers, {calls} calls, {csrf_checked} CSRF refusals, {announced} announcements, {:.1} s",
        specs.len(),
        callers().len(),
        started.elapsed().as_secs_f64()
    );
});

// ---------------------------------------------------------------------------
// Ids in request bodies.
//
// Every field of a request body that names another record is listed in
// [`BODY_IDS`]. The walk sends each one twice, as an account that may use
// the route: once with a record that exists but that account cannot see,
// once with an id no record has. The two answers must be the same (status
// and body, the id aside) and must not name the hidden record; both must be
// refusals. Page fields that choose a unit are also posted with the picker's
// drill-down, which must not open a unit the caller cannot see.
//
// The table is checked against the fields the code reads: every `*_id`,
// `*_ids` or list-of-integers property of an API request schema (OpenAPI,
// derived from the input structs) and every id a page handler reads from a
// form. A new body id without an entry fails the walk.

/// What a body id names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Names {
    Org,
    Exemplar,
    Movement,
    CriteriaSet,
    Criterion,
    User,
    /// A nomination of another round than the session's.
    Nomination,
    /// The edited record's own unit: read by the shared input, then replaced
    /// with the record's (a record moves with its unit, never by an edit).
    /// Any unit sent is ignored: both answers let the edit in.
    Own,
    /// A catalog entry everyone reads (fields, commendation forms): nothing
    /// is hidden, only a missing id is sent, which must be refused.
    Catalog,
}

/// A unit administrator of the bloc (the demo's only administrator sits at
/// the province): created by the walk, for the routes only administrators use.
const ADMIN_DUK: &str = "admin.khoi";

/// (method, path, field, what it names, who sends it). Field spelling: `a`
/// one id, `a[]` a list of ids (a repeated form field), `a[].b` the `b` of
/// each object of the list `a`.
const BODY_IDS: &[(&str, &str, &str, Names, &str)] = {
    use Names::*;
    const CB: &str = "canbo.taichinh";
    const CU: &str = "capuy.taichinh";
    &[
        ("POST", "/orgs", "parent_id", Org, ADMIN_DUK),
        ("POST", "/orgs/{id}/move", "parent_id", Org, ADMIN_DUK),
        ("POST", "/users", "org_id", Org, ADMIN_DUK),
        ("POST", "/models", "org_id", Org, CB),
        ("POST", "/exemplars", "org_id", Org, CB),
        ("POST", "/exemplars", "movement_ids[]", Movement, CB),
        ("POST", "/exemplars", "field_ids[]", Catalog, CB),
        ("POST", "/exemplars/{id}", "org_id", Own, CB),
        ("POST", "/exemplars/{id}", "movement_ids[]", Movement, CB),
        ("POST", "/exemplars/{id}", "field_ids[]", Catalog, CB),
        ("POST", "/exemplars/{id}/evaluations", "criteria_set_id", CriteriaSet, CB),
        ("POST", "/exemplars/{id}/replications", "adopter_org_id", Org, CB),
        ("POST", "/catalog/movements", "org_id", Org, "btg"),
        ("POST", "/catalog/criteria", "org_id", Org, CU),
        ("POST", "/propaganda", "org_id", Org, CB),
        ("POST", "/propaganda", "exemplar_ids[]", Exemplar, CB),
        ("POST", "/propaganda/{id}", "exemplar_ids[]", Exemplar, CB),
        ("POST", "/stories", "org_id", Org, CB),
        ("POST", "/stories", "exemplar_ids[]", Exemplar, CB),
        ("POST", "/stories/{id}", "exemplar_ids[]", Exemplar, CB),
        ("POST", "/reviews", "org_id", Org, CB),
        ("POST", "/rounds/{id}/nominations", "exemplar_id", Exemplar, CB),
        ("POST", "/rounds/{id}/sessions", "present[]", User, "btg"),
        ("POST", "/sessions/{id}/votes", "nomination_id", Nomination, "btg"),
        ("POST", "/sessions/{id}/written-votes", "nomination_id", Nomination, "btg"),
        ("POST", "/sessions/{id}/written-votes", "member_id", User, "btg"),
        ("POST", "/api/v1/orgs", "parent_id", Org, ADMIN_DUK),
        ("POST", "/api/v1/orgs/{id}/move", "parent_id", Org, ADMIN_DUK),
        ("POST", "/api/v1/users", "org_id", Org, ADMIN_DUK),
        ("POST", "/api/v1/exemplars", "org_id", Org, CB),
        ("POST", "/api/v1/exemplars", "movement_ids[]", Movement, CB),
        ("POST", "/api/v1/exemplars", "field_ids[]", Catalog, CB),
        ("PUT", "/api/v1/exemplars/{id}", "org_id", Own, CB),
        ("PUT", "/api/v1/exemplars/{id}", "movement_ids[]", Movement, CB),
        ("PUT", "/api/v1/exemplars/{id}", "field_ids[]", Catalog, CB),
        ("POST", "/api/v1/exemplars/{id}/evaluations", "criteria_set_id", CriteriaSet, CB),
        ("POST", "/api/v1/exemplars/{id}/evaluations", "scores[].criterion_id", Criterion, CB),
        ("POST", "/api/v1/exemplars/{id}/replications", "adopter_org_id", Org, CB),
        ("POST", "/api/v1/movements", "org_id", Org, "btg"),
        ("POST", "/api/v1/criteria-sets", "org_id", Org, CU),
        ("POST", "/api/v1/models", "org_id", Org, CB),
        ("POST", "/api/v1/models", "exemplar_id", Exemplar, CB),
        ("POST", "/api/v1/propaganda", "org_id", Org, CB),
        ("POST", "/api/v1/propaganda", "exemplar_ids[]", Exemplar, CB),
        ("PUT", "/api/v1/propaganda/{id}", "org_id", Own, CB),
        ("PUT", "/api/v1/propaganda/{id}", "exemplar_ids[]", Exemplar, CB),
        ("POST", "/api/v1/stories", "org_id", Org, CB),
        ("POST", "/api/v1/stories", "exemplar_ids[]", Exemplar, CB),
        ("PUT", "/api/v1/stories/{id}", "org_id", Own, CB),
        ("PUT", "/api/v1/stories/{id}", "exemplar_ids[]", Exemplar, CB),
        ("POST", "/api/v1/reviews", "org_id", Org, CB),
        ("POST", "/api/v1/rounds", "org_id", Org, "btg"),
        ("POST", "/api/v1/rounds", "form_id", Catalog, "btg"),
        ("POST", "/api/v1/rounds", "council[].user_id", User, "btg"),
        ("POST", "/api/v1/rounds/{id}/nominations", "exemplar_id", Exemplar, CB),
        ("POST", "/api/v1/rounds/{id}/sessions", "present[]", User, "btg"),
        ("POST", "/api/v1/sessions/{id}/votes", "nomination_id", Nomination, "btg"),
        ("POST", "/api/v1/sessions/{id}/written-votes", "nomination_id", Nomination, "btg"),
        ("POST", "/api/v1/sessions/{id}/written-votes", "member_id", User, "btg"),
    ]
};

/// Page form fields named like ids that are not body ids: list filters (a
/// query, judged by the list's own scope).
const NOT_BODY_IDS: &[&str] = &["field_id", "entity_id", "actor_id", "movement_id"];

/// The id fields of every API request body, from the OpenAPI document.
fn api_body_ids() -> std::collections::BTreeSet<(String, String, String)> {
    let doc = dienhinh_web::api::openapi::spec();
    let resolve = |v: &Value| -> Value {
        match v["$ref"].as_str() {
            Some(r) => doc["components"]["schemas"][r.rsplit('/').next().unwrap()].clone(),
            None => v.clone(),
        }
    };
    fn walk(v: &Value, prefix: &str, resolve: &dyn Fn(&Value) -> Value, out: &mut Vec<String>) {
        let v = resolve(v);
        for sub in ["allOf", "oneOf", "anyOf"] {
            for s in v[sub].as_array().into_iter().flatten() {
                walk(s, prefix, resolve, out);
            }
        }
        for (name, p) in v["properties"].as_object().into_iter().flatten() {
            let p = resolve(p);
            let items = resolve(&p["items"]);
            let integer = |t: &Value| t["type"] == "integer" || t["type"].as_array().is_some_and(|a| a.contains(&json!("integer")));
            let listed = p["type"] == "array" || p["type"].as_array().is_some_and(|a| a.contains(&json!("array")));
            let id_named = name.ends_with("_id") || name.ends_with("_ids");
            if listed && !items["properties"].is_null() {
                walk(&items, &format!("{prefix}{name}[]."), resolve, out);
            } else if listed && (integer(&items) || id_named) {
                out.push(format!("{prefix}{name}[]"));
            } else if id_named {
                out.push(format!("{prefix}{name}"));
            }
        }
    }
    let mut found = std::collections::BTreeSet::new();
    for spec in dienhinh_web::routes::specs().into_iter().filter(|s| s.path.starts_with("/api/") && s.method != Method::GET) {
        let op = &doc["paths"][spec.path][spec.method.as_str().to_lowercase()];
        let schema = &op["requestBody"]["content"]["application/json"]["schema"];
        if schema.is_null() {
            continue;
        }
        let mut out = vec![];
        walk(schema, "", &resolve, &mut out);
        for f in out {
            found.insert((spec.method.to_string(), spec.path.to_string(), f));
        }
    }
    found
}

/// The id fields page handlers read from forms: the names given to
/// `Pairs::int`/`Pairs::ids`, to a unit picker, and form struct fields
/// named `*_id`, in the sources of `web/src/pages`.
fn page_body_ids() -> std::collections::BTreeSet<String> {
    fn sources(dir: &std::path::Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                sources(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(std::fs::read_to_string(p).unwrap());
            }
        }
    }
    let mut texts = vec![];
    sources(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../web/src/pages"), &mut texts);
    let mut found = std::collections::BTreeSet::new();
    let word = |t: &str| t.chars().take_while(|c| c.is_ascii_lowercase() || *c == '_').collect::<String>();
    for t in &texts {
        // `.int("x")`, `.ids("x")`, `UnitPicker::load(st, "x", …)`.
        for call in [".int(\"", ".ids(\"", "UnitPicker::load(st, \""] {
            for (at, _) in t.match_indices(call) {
                let name = word(&t[at + call.len()..]);
                if name.ends_with("_id") || name.ends_with("_ids") || call == ".ids(\"" {
                    found.insert(name);
                }
            }
        }
        // Form struct fields: `x_id: String`.
        for ty in [": String,", ": i64,", ": Option<i64>,", ": Vec<i64>,"] {
            for (at, _) in t.match_indices(ty) {
                let line = t[..at].rsplit('\n').next().unwrap().trim_start();
                let name = line.strip_prefix("pub ").unwrap_or(line);
                if (name.ends_with("_id") || name.ends_with("_ids")) && name.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
                    found.insert(name.to_string());
                }
            }
        }
    }
    found.retain(|f| !NOT_BODY_IDS.contains(&f.as_str()) && !f.starts_with("me_"));
    found
}

#[test]
fn every_body_id_field_has_an_entry() {
    let listed: std::collections::BTreeSet<(String, String, String)> =
        BODY_IDS.iter().filter(|e| e.1.starts_with("/api/")).map(|(m, p, f, _, _)| (m.to_string(), p.to_string(), f.to_string())).collect();
    let found = api_body_ids();
    let unlisted: Vec<_> = found.difference(&listed).collect();
    let stale: Vec<_> = listed.difference(&found).collect();
    assert!(unlisted.is_empty(), "API body ids without an entry in access_walk::BODY_IDS: {unlisted:#?}");
    assert!(stale.is_empty(), "BODY_IDS entries no API schema has: {stale:#?}");
    let page_listed: std::collections::BTreeSet<String> =
        BODY_IDS.iter().filter(|e| !e.1.starts_with("/api/")).map(|e| e.2.trim_end_matches("[]").to_string()).collect();
    let page_found = page_body_ids();
    let unlisted: Vec<_> = page_found.difference(&page_listed).collect();
    assert!(unlisted.is_empty(), "page form ids without an entry in access_walk::BODY_IDS: {unlisted:#?}");
    let stale: Vec<_> = page_listed.difference(&page_found).collect();
    assert!(stale.is_empty(), "BODY_IDS page fields no page reads: {stale:#?}");
    for (m, p, ..) in BODY_IDS {
        assert!(dienhinh_web::routes::specs().iter().any(|s| s.method.as_str() == *m && s.path == *p), "BODY_IDS names no route {m} {p}");
    }
}

/// `field` of `body` set to `id` (see [`BODY_IDS`] for the spelling).
fn with_id(body: &Body, field: &str, id: i64) -> Body {
    let (name, list, inner) = match field.split_once("[].") {
        Some((a, b)) => (a, true, Some(b)),
        None => (field.trim_end_matches("[]"), field.ends_with("[]"), None),
    };
    match body {
        Body::Form(pairs) => {
            let mut pairs: Vec<(String, String)> = pairs.iter().filter(|(k, _)| k != name).cloned().collect();
            pairs.push((name.to_string(), id.to_string()));
            Body::Form(pairs)
        }
        Body::Json(v) => {
            let mut v = v.clone();
            v[name] = match inner {
                // One more object in the list, like the first but naming `id` (as a plain member, where there are roles).
                Some(b) => {
                    let mut items = v[name].as_array().cloned().unwrap_or_default();
                    let mut one = items.first().cloned().unwrap_or_else(|| json!({}));
                    one[b] = json!(id);
                    if one.get("role").is_some() {
                        one["role"] = json!("uy_vien");
                    }
                    items.push(one);
                    Value::Array(items)
                }
                None if list => json!([id]),
                None => json!(id),
            };
            Body::Json(v)
        }
        Body::None | Body::Multipart => panic!("{field}: a body id in a route without a form or JSON body"),
    }
}

/// A record of `what` at `at` (a subtree, or exactly that node for the root) that the
/// caller cannot see: (id, name). `None` for catalog entries.
async fn hidden_record(app: &TestApp, what: Names, at: &OrgPath, org: i64, root: bool, session_round: i64) -> Option<(i64, String)> {
    let op = if root { "=" } else { "LIKE" };
    let pattern = if root { at.0.clone() } else { format!("{}%", at.0) };
    let sql = match what {
        Names::Org | Names::Own => return Some((org, dienhinh_store::orgs::get(&app.db, org).await.unwrap().name)),
        Names::Catalog => return None,
        Names::Nomination => {
            let id: i64 = sqlx::query_scalar("SELECT id FROM nominations WHERE round_id <> $1 ORDER BY id LIMIT 1").bind(session_round).fetch_one(app.db.reader()).await.unwrap();
            return Some((id, String::new()));
        }
        Names::Exemplar => format!("SELECT id, name FROM exemplars WHERE org_path {op} $1 ORDER BY id LIMIT 1"),
        Names::Movement => format!("SELECT id, name FROM movements WHERE org_path {op} $1 ORDER BY id LIMIT 1"),
        Names::CriteriaSet => format!("SELECT id, name FROM criteria_sets WHERE org_path {op} $1 ORDER BY id LIMIT 1"),
        Names::Criterion => format!("SELECT c.id, c.text FROM criteria c JOIN criteria_sets s ON s.id = c.set_id WHERE s.org_path {op} $1 ORDER BY c.id LIMIT 1"),
        Names::User => format!("SELECT id, full_name FROM users WHERE org_path {op} $1 ORDER BY id LIMIT 1"),
    };
    let found: Option<(i64, String)> = sqlx::query_as(&sql).bind(pattern).fetch_optional(app.db.reader()).await.unwrap();
    Some(found.unwrap_or_else(|| panic!("the demo has no {what:?} at {}: add one for the body-id walk", at.0)))
}

both!(ids_in_bodies_out_of_sight_are_refused_as_missing, |app| {
    let w = world(&app).await;
    let specs = dienhinh_web::routes::specs();
    let system = dienhinh_store::Actor::system("walk");
    let duk = app.org("Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh Nam Định").await;
    let tinh = app.org("Tỉnh ủy Nam Định").await;
    let dienluc = app.org("Đảng bộ Công ty Điện lực Nam Định").await;
    let new_user = dienhinh_domain::user::NewUser {
        username: ADMIN_DUK.into(),
        full_name: "Trịnh Quản Khối".into(),
        position: String::new(),
        org_id: duk.id,
        role: dienhinh_domain::Role::Admin.code().into(),
        password: PASSWORD.into(),
    };
    dienhinh_store::users::create(&app.db, &system, new_user).await.unwrap();
    // A criteria set of Điện lực, which Tài chính does not read.
    let capuy = app.token("capuy").await;
    let res = Client::new()
        .post(app.url("/api/v1/criteria-sets"))
        .bearer_auth(&capuy)
        .json(&json!({"org_id": dienluc.id, "name": "Tiêu chí riêng Điện lực", "period_from": 2025, "period_to": 2026,
            "criteria": [{"code": "ĐL.1", "applies_to": "chung", "text": "Tiêu chí riêng của Điện lực"}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED, "{}", res.text().await.unwrap());
    let tc = app.token("canbo.taichinh").await;
    let res = Client::new().post(app.url("/api/v1/stories")).bearer_auth(&tc).json(&json!({"org_id": w.places[1].2, "title": "Bài nháp", "body": "Nội dung."})).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let draft = res.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let mut callers: BTreeMap<&str, Caller> = BTreeMap::new();
    let mut sitting: Option<Rec> = None;
    let mut failures = vec![];
    let mut calls = 0;
    for (n, (method, path, field, what, who)) in BODY_IDS.iter().enumerate() {
        let spec = specs.iter().find(|s| s.method.as_str() == *method && s.path == *path).unwrap();
        if !callers.contains_key(who) {
            callers.insert(who, caller(&app, Some(who)).await);
        }
        let c = &callers[who];
        // A TCCS account does not see its sibling Điện lực; a bloc account does not see the province.
        let in_tccs = !c.home.contains(&dienluc.org_path()) && c.home.0.len() > duk.org_path().0.len();
        let (home, hidden_at, hidden_org) = if in_tccs { (1, dienluc.org_path(), dienluc.id) } else { (0, tinh.org_path(), tinh.id) };
        let home_org = if in_tccs { w.places[1].2 } else { duk.id };
        if kind_of_any(spec.path) == Some(Kind::Session) && sitting.is_none() {
            // A sitting of the open round, after the round's own entries (votes need an open session).
            let round = &w.records[&(Kind::Round, 0)];
            let present: Vec<i64> = sqlx::query_scalar("SELECT user_id FROM council_members WHERE round_id = $1").bind(round.id).fetch_all(app.db.reader()).await.unwrap();
            let btg = app.token("btg").await;
            let res = Client::new()
                .post(app.url(&format!("/api/v1/rounds/{}/sessions", round.id)))
                .bearer_auth(&btg)
                .json(&json!({"held_on": dienhinh_domain::clock::today_iso(), "place": "Phòng họp", "present": present}))
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), StatusCode::CREATED);
            let id = res.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
            sitting = Some(Rec { id, round: Some(round.id), ..w.records[&(Kind::Session, 0)].clone() });
        }
        let rec = spec.path.contains("{id}").then(|| match kind_of(spec.path) {
            // A draft: published stories are not edited.
            Kind::Story => Rec { id: draft, ..w.records[&(Kind::Story, home)].clone() },
            Kind::Session => sitting.clone().unwrap(),
            k => w.records[&(k, home)].clone(),
        });
        let url_path = match &rec {
            Some(r) => spec.path.replace("{id}", &r.id.to_string()),
            None => spec.path.to_string(),
        };
        let session_round = sitting.as_ref().and_then(|r| r.round).unwrap_or(0);
        let hidden = hidden_record(&app, *what, &hidden_at, hidden_org, !in_tccs, session_round).await;
        let is_page = !spec.path.starts_with("/api/");
        let drills: &[bool] = if is_page && *what == Names::Org { &[false, true] } else { &[false] };
        for &drill in drills {
            let ctx = format!("{who} {method} {url_path} {field}{}", if drill { " (drill-down)" } else { "" });
            // The body as the record is now (its version), naming `id` in `field`.
            let call = |id: i64| {
                let (c, w, rec, app, url_path) = (&c, &w, &rec, &app, &url_path);
                async move {
                    let (body, _) = sample(app, spec, &Ctx { rec: rec.as_ref(), org: home_org, n: 10_000 + n, w }).await;
                    let body = match with_id(&body, field, id) {
                        Body::Form(mut pairs) if drill => {
                            pairs.push((dienhinh_web::picker::DRILL.into(), "1".into()));
                            Body::Form(pairs)
                        }
                        b => b,
                    };
                    let a = send(app, c, spec, url_path, &body, true).await;
                    if a.status == StatusCode::SEE_OTHER && !spec.path.starts_with("/api/") {
                        // Land where the write sends the caller, as a browser does (its announcement is shown there once).
                        c.page.get(app.url(&a.location)).send().await.unwrap();
                    }
                    a
                }
            };
            let missing = call(MISSING).await;
            calls += 1;
            assert!(!missing.status.is_server_error(), "{ctx}: {} {}", missing.status, missing.body);
            let refused = missing.status.is_client_error();
            if *what == Names::Own && refused || *what != Names::Own && !drill && !refused {
                failures.push(format!("{ctx}: a missing id answered {} {}", missing.status, &missing.body[..missing.body.len().min(300)]));
            }
            let Some((hid, name)) = &hidden else { continue };
            let seen = call(*hid).await;
            calls += 1;
            let as_hidden = |s: &str| s.replace(&MISSING.to_string(), &hid.to_string());
            let (mb, ml) = (as_hidden(&missing.body), as_hidden(&missing.location));
            let same = if *what == Names::Own { seen.status == missing.status } else { seen.status == missing.status && seen.body == mb && seen.location == ml };
            if !same {
                let diff = seen.body.lines().zip(mb.lines()).find(|(a, b)| a != b).map(|(a, b)| format!("\n    hidden:  {}\n    missing: {}", a.trim(), b.trim())).unwrap_or_default();
                failures.push(format!("{ctx}: hidden {} {:?} ≠ missing {} {:?}{diff}", seen.status, seen.location, missing.status, missing.location));
            } else if !name.is_empty() && seen.body.contains(name.as_str()) && !missing.body.contains(name.as_str()) {
                failures.push(format!("{ctx}: the answer names {name:?}"));
            }
            if *what == Names::Own {
                let at: String = sqlx::query_scalar(&format!("SELECT org_path FROM {} WHERE id = $1", if path.contains("stories") { "stories" } else if path.contains("propaganda") { "propaganda_items" } else { "exemplars" }))
                    .bind(rec.as_ref().unwrap().id)
                    .fetch_one(app.db.reader())
                    .await
                    .unwrap();
                assert!(!at.starts_with(&hidden_at.0), "{ctx}: the record moved to {at}");
            }
        }
    }
    // A movement of the bloc above binds the exemplar's node: accepted.
    let bloc: i64 = sqlx::query_scalar("SELECT id FROM movements WHERE org_id = $1 ORDER BY id LIMIT 1").bind(duk.id).fetch_one(app.db.reader()).await.unwrap();
    let res = Client::new()
        .post(app.url("/api/v1/exemplars"))
        .bearer_auth(&tc)
        .json(&json!({"org_id": w.places[1].2, "kind": "ca_nhan", "name": "Điển hình phong trào khối", "year_found": 2025, "movement_ids": [bloc], "confirm_duplicate": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED, "{}", res.text().await.unwrap());
    eprintln!("body ids: {} entries, {calls} calls", BODY_IDS.len());
    assert!(failures.is_empty(), "ids in bodies answered differently from missing ones:\n{}", failures.join("\n"));
});
